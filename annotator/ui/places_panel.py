"""The Places panel of the annotation window: the open article's linked places on a map.

``EntityLinks`` (``entity_links.py``) owns it and calls ``refresh`` when the span list is
filled again. The panel follows the selected span, and a click on a place selects its span
(the next one, if the place is named again). Until the place index is ready it says so.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from annotator.ui.main_layout import TEXT_WIDTH
from annotator.ui.map_view import MapPlace, MapView
from annotator.ui.place_index import BUILDING, PlaceIndex

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

BUILDING_NOTE = "Building the place index… (once per computer, about a minute)"

#: A window narrower than this starts without the map beside the text (Ctrl+M shows it):
#: the article list, the text at its 720 px and the span list need the room more (on a
#: 1600-px screen the map squeezed the text to its 260-px least).
MAP_BESIDE_TEXT = 220 + TEXT_WIDTH + 460 + 380


class PlacesPanel(QObject):
    """The map of the article's linked places, docked beside the span list."""

    def __init__(self, window: MainWindow, index: PlaceIndex):
        super().__init__(window)
        self.window = window
        self.index = index
        self.map = MapView()
        self.map.placeClicked.connect(self.place_clicked)
        self.dock = window.add_side_panel("placesPanel", "Places", self.map)
        window.resizeDocks([self.dock], [380], Qt.Orientation.Horizontal)
        if window.width() < MAP_BESIDE_TEXT:
            self.dock.hide()  # Ctrl+M shows it; the window remembers it either way
        window.span_list.selectionShown.connect(self._selection_shown)
        # Hidden, the map is not drawn (on a long article each edit cost 150-400 ms of
        # laying out names nobody saw): shown again, it is drawn then.
        self._drawn: list[MapPlace] | None = None
        self.dock.visibilityChanged.connect(lambda shown: shown and self.refresh())

    def show(self) -> None:
        """Beside the text, or in a window of its own where there is no room."""
        self.window.show_side_panel(self.dock, floating=(380, 320), top=False)

    def toggle(self) -> None:
        """Ctrl+M: show the map, or hide it when it shows."""
        if self.dock.isVisible():
            self.dock.hide()
        else:
            self.show()

    def refresh(self) -> None:
        """Draw the open article's linked places (the span list was just refilled), if the
        map shows and they changed."""
        if not self.dock.isVisible():
            self._drawn = None
            return
        if self.index.is_ready:
            self.map.show_message("")  # a note of a build that ended while the map was hidden
        current = self.window.current
        if current is None or current.loading:
            self._draw([])
            return
        linked = [s for s in current.spans if s.kb_id.startswith("geonames:")]
        if linked and not self.index.is_ready:
            self._draw([])
            if self.index.state == BUILDING:
                self.map.show_message(BUILDING_NOTE)
            return
        gazetteer = self.index.gazetteer
        places: dict[str, MapPlace] = {}
        for span in linked:
            if span.kb_id in places:
                places[span.kb_id] = dataclasses.replace(
                    places[span.kb_id], mentions=places[span.kb_id].mentions + 1
                )
                continue
            place = gazetteer.get(span.kb_id) if gazetteer is not None else None
            if place is not None:
                places[span.kb_id] = MapPlace(place.kb_id, place.name, place.label, place.kind,
                                              place.latitude, place.longitude)  # fmt: skip
        self._draw(list(places.values()))
        self.map.show_message("" if places else "No linked places in this article")
        selected = self.window.editor.selected
        self.map.select_place(selected.kb_id if selected is not None else None)

    def _draw(self, places: list[MapPlace]) -> None:
        """Lay the places out anew only if they changed: most edits leave them as they were."""
        if places != self._drawn:
            self.map.set_places(places)
            self._drawn = places

    def place_clicked(self, kb_id: str) -> None:
        """Select the span of the place clicked (the next one, if it is named again)."""
        current = self.window.current
        if current is None:
            return
        spans = [s for s in current.spans if s.kb_id == kb_id]
        if not spans:
            return
        selected = self.window.editor.selected
        following = spans[(spans.index(selected) + 1) % len(spans)] if selected in spans else None
        self.window.editor.select_span(following or spans[0])

    def _selection_shown(self, span_id: int | None) -> None:
        if not self.dock.isVisible():
            return  # drawn with the selection when it shows
        current = self.window.current
        span = current.span(span_id) if current is not None and span_id is not None else None
        self.map.select_place(span.kb_id if span is not None and span.kb_id else None)
