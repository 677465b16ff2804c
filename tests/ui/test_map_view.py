"""The map of an article's places: every name it shows lies inside the map."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from annotator.ui.map_view import MapPlace, MapView


def name_rects(view: MapView) -> dict[str, QRectF]:
    """Each shown name's box in the viewport's pixels (a dot and its name ignore the zoom:
    the name's position is in pixels from its dot)."""
    return {
        kb_id: QRectF(
            QPointF(view.mapFromScene(dot.pos())) + dot.name.pos(), dot.name.boundingRect().size()
        )
        for kb_id, dot in view.dots.items()
        if dot.name.isVisible()
    }


def test_names_at_the_edges_stay_inside_the_map(qtbot):
    """A long name on the easternmost place, its left side taken by a neighbour, once ran
    past the map's edge; the places are now fitted with room for it."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(260, 200)
    view.show()
    places = [
        MapPlace("geonames:1", "Tobruk", "Tobruk, LY", "place", 32.08, 23.96),
        MapPlace("geonames:2", "Bardia", "Bardia, LY", "place", 31.76, 25.09),
        MapPlace(
            "geonames:3",
            "Sidi Barrani (Marmarica coast)",
            "Sidi Barrani, EG",
            "place",
            31.61,
            25.93,
        ),
        MapPlace("geonames:4", "Derna", "Derna, LY", "place", 32.77, 22.64),
    ]
    view.set_places(places)
    qtbot.waitUntil(lambda: view.isVisible())
    view.fit()
    shown = name_rects(view)
    inside = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
    assert "geonames:3" in shown  # the long name is shown ...
    for kb_id, rect in shown.items():
        assert inside.contains(rect), (kb_id, rect, inside)  # ... and nothing is cut off
    for dot in view.dots.values():  # every place is on the map
        assert inside.contains(view.mapFromScene(dot.pos()))
