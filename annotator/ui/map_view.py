"""A map of the open article's linked places, drawn offline.

Country outlines are Natural Earth's 1:110m (``resources/map/countries.geojson``, public
domain); each place the article's spans refer to is a dot with its name, where GeoNames
puts it: a filled dot for a town, a ring for a region or country (whose point is only its
centre). The view fits the places with a margin, never closer than a few hundred
kilometres, so a place far from the others (the other Tripoli) stands out. Clicking a dot
emits ``placeClicked`` with its entry; the selected span's place is drawn larger, in red.
Mouse wheel zooms, dragging pans. No tiles, nothing downloaded. In the dark theme the map
is drawn dark too (``MapColors``), and follows a switch of theme at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QMarginsF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QWidget,
)

from annotator.ui.map_items import (
    MapPlace,
    PlaceDot,
    country_paths,
    map_colors,
)

#: The smallest extent shown, in degrees of latitude (about 330 km): a lone village is
#: shown with its surroundings, not alone on a blank page.
MIN_EXTENT = 3.0
MARGIN = 0.25  # of the places' extent, on each side


class MapView(QGraphicsView):
    """The article's places over country outlines (see the module docstring)."""

    placeClicked = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("placeMap")
        self.setAccessibleName("Map of the article's places")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setMinimumSize(220, 180)
        self.dots: dict[str, PlaceDot] = {}
        self.selected: str | None = None
        self._extent = QRectF(-180, -85, 360, 170)
        self._drawn_countries = False
        self.message = QLabel(self, objectName="mapMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)  # a narrow map cut the line off mid-sentence
        self.message.move(6, 6)
        self.message.hide()
        self.countries: list[QGraphicsPathItem] = []
        self.recolor()

    def recolor(self) -> None:
        """Draw the map in the colours of the theme the application is in now."""
        colors = map_colors()
        self.setBackgroundBrush(QBrush(QColor(colors.water)))
        pen = QPen(QColor(colors.border), 0.8)
        pen.setCosmetic(True)  # a hairline at every zoom
        for item in self.countries:
            item.setPen(pen)
            item.setBrush(QBrush(QColor(colors.land)))
        for kb_id, dot in self.dots.items():
            dot.set_selected(kb_id == self.selected)
        self.message.setStyleSheet(f"{colors.message} padding: 4px 8px; border-radius: 3px;")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.recolor()

    def _draw_countries(self) -> None:
        if self._drawn_countries:
            return
        self._drawn_countries = True
        for name, path in country_paths():
            item = QGraphicsPathItem(path)
            item.setToolTip(name)
            item.setZValue(0)
            self.scene().addItem(item)
            self.countries.append(item)
        self.recolor()
        # Room to pan around the world, not beyond it.
        self.scene().setSceneRect(QRectF(-200, -95, 400, 190))

    # -- what it shows ---------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """A line over the map ("building the place index…"), wrapped to the map's width;
        empty hides it."""
        self.message.setText(text)
        self._fit_message()
        self.message.setVisible(bool(text))

    def _fit_message(self) -> None:
        message = self.message
        if not message.text():
            return
        one_line = message.fontMetrics().horizontalAdvance(message.text()) + 24  # + padding
        width = min(one_line, max(self.viewport().width() - 12, 60))
        message.resize(width, message.heightForWidth(width))

    def set_places(self, places: Sequence[MapPlace]) -> None:
        """Draw these places (and only these), and fit the view to them."""
        self._draw_countries()
        for dot in self.dots.values():
            self.scene().removeItem(dot)
        self.dots = {place.kb_id: PlaceDot(place) for place in places}
        for dot in self.dots.values():
            self.scene().addItem(dot)
        if self.selected in self.dots:
            self.dots[self.selected].set_selected(True)
        self._extent = _extent(places)
        self.fit()

    def select_place(self, kb_id: str | None) -> None:
        """Draw ``kb_id``'s dot as the selected one (None: none)."""
        if kb_id == self.selected:
            return
        if self.selected in self.dots:
            self.dots[self.selected].set_selected(False)
        self.selected = kb_id
        if kb_id in self.dots:
            dot = self.dots[kb_id]
            dot.set_selected(True)
            if not self.viewport().rect().contains(self.mapFromScene(dot.pos())):
                self.centerOn(dot.pos())
        self._place_names()

    def fit(self) -> None:
        """Fit the view to the places and their names, keeping angles true at their latitude.

        The names are drawn in pixels, so room for them cannot be given in degrees: the
        places are fitted, the names placed, and where a name sticks out past an edge the
        places are fitted again inside that much more margin (twice at most)."""
        extent = self._extent
        # Equirectangular, with longitudes shrunk by the cosine of the latitude in the
        # middle, so that shapes there look as they do on the ground.
        squeeze = max(math.cos(math.radians(-extent.center().y())), 0.2)
        view = self.viewport().rect()
        pad = QMarginsF(4, 4, 4, 4)
        for _ in range(3):
            scale = min(
                max(view.width() - pad.left() - pad.right(), 1) / (extent.width() * squeeze),
                max(view.height() - pad.top() - pad.bottom(), 1) / extent.height(),
            )
            self.setTransform(QTransform.fromScale(scale * squeeze, scale))
            # The places' middle goes to the middle of the room the margins leave.
            shift = QPointF(
                (pad.right() - pad.left()) / 2 / (scale * squeeze),
                (pad.bottom() - pad.top()) / 2 / scale,
            )
            self.centerOn(extent.center() + shift)
            outside = _sticking_out(self._place_names(), QRectF(view))
            if outside.isNull():
                return
            pad = _at_most(pad + outside, 0.35 * view.width(), 0.35 * view.height())

    def _place_names(self) -> list[QRectF]:
        """Each name beside its dot: to the right, else left, above or below, where it
        covers no other name or dot (in pixels). A name with no free place is hidden (its
        dot's tooltip has it), except the selected place's; zooming in shows more.
        Returns where the names shown are, in the viewport's pixels."""
        at = {kb_id: QPointF(self.mapFromScene(dot.pos())) for kb_id, dot in self.dots.items()}
        view = QRectF(self.viewport().rect())
        taken = [
            QRectF(at[kb_id].x() - 4, at[kb_id].y() - 4, 8, 8) for kb_id in self.dots
        ]  # the dots themselves
        order = sorted(
            self.dots.values(),
            key=lambda d: (d.place.kb_id != self.selected, d.place.kind != "place",
                           -d.place.mentions, d.place.name),
        )  # fmt: skip
        names = []
        for dot in order:
            point = at[dot.place.kb_id]
            size = dot.name.boundingRect()
            r = dot.rect().width() / 2
            options = (
                QPointF(r + 3, -size.height() / 2),
                QPointF(-r - 3 - size.width(), -size.height() / 2),
                QPointF(-size.width() / 2, -r - size.height()),
                QPointF(-size.width() / 2, r),
                # then the corners: a place with neighbours on four sides
                QPointF(r, -r - size.height()),
                QPointF(-r - size.width(), -r - size.height()),
                QPointF(r, r),
                QPointF(-r - size.width(), r),
            )
            own = QRectF(point.x() - r, point.y() - r, 2 * r, 2 * r)
            others = [o for o in taken if not own.contains(o.center())]
            covers = [_covered(QRectF(point + o, size.size()), others) for o in options]
            free = [offset for offset, n in zip(options, covers, strict=True) if not n]
            # A name inside the map, else one past its edge rather than none.
            inside = [o for o in free if view.contains(QRectF(point + o, size.size()))]
            chosen = (inside or free or [None])[0]
            selected = dot.place.kb_id == self.selected
            dot.name.setVisible(chosen is not None or selected)
            if chosen is None and not selected:
                continue
            if chosen is None:  # the selected place's name is shown: over as little as can be
                chosen = options[covers.index(min(covers))]
            dot.name.setPos(chosen)
            names.append(QRectF(point + chosen, size.size()))
            # Kept apart by a space: names that touched read as one ("Jisr ash ShughūrArīḥā").
            taken.append(names[-1].adjusted(-NAME_GAP, -1, NAME_GAP, 1))
        return names

    # -- Qt's events -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_message()
        self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.scale(factor, factor)
        self._place_names()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, PlaceDot):
            item = item.parentItem()
        if isinstance(item, PlaceDot) and event.button() == Qt.MouseButton.LeftButton:
            self.placeClicked.emit(item.place.kb_id)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.fit()  # back to the article's places


#: The least room (pixels) between two names on the map, side by side.
NAME_GAP = 5


def _covered(name: QRectF, others: Sequence[QRectF]) -> int:
    """How many of the other names and dots ``name`` would cover."""
    return sum(name.intersects(other) for other in others)


def _sticking_out(names: Sequence[QRectF], view: QRectF) -> QMarginsF:
    """How far the names reach past each edge of ``view`` (a null margin: not at all)."""
    outside = QMarginsF()
    for name in names:
        outside.setLeft(max(outside.left(), view.left() - name.left()))
        outside.setTop(max(outside.top(), view.top() - name.top()))
        outside.setRight(max(outside.right(), name.right() - view.right()))
        outside.setBottom(max(outside.bottom(), name.bottom() - view.bottom()))
    return outside


def _at_most(margins: QMarginsF, across: float, down: float) -> QMarginsF:
    """``margins`` capped, so that a long name never shrinks the map to nothing."""
    return QMarginsF(
        min(margins.left(), across),
        min(margins.top(), down),
        min(margins.right(), across),
        min(margins.bottom(), down),
    )


def _extent(places: Sequence[MapPlace]) -> QRectF:
    """The places' box in map coordinates, with a margin, at least ``MIN_EXTENT`` high."""
    if not places:
        return QRectF(-180, -85, 360, 170)
    xs = [p.longitude for p in places]
    ys = [-p.latitude for p in places]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    width = max(right - left, MIN_EXTENT)
    height = max(bottom - top, MIN_EXTENT)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    width, height = width * (1 + 2 * MARGIN), height * (1 + 2 * MARGIN)
    return QRectF(cx - width / 2, cy - height / 2, width, height)
