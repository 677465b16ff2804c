"""What the map draws: its colours in each theme, a place, the country outlines and a
place's dot. The view that lays them out is ``annotator.ui.map_view``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsSimpleTextItem

from annotator.core.resources import resource_text
from annotator.ui.theme import is_dark


@dataclass(frozen=True)
class MapColors:
    """The map's colours in one theme: land, water, borders, dots, names, the message."""

    land: str
    water: str
    border: str
    dot: str
    selected: str
    name: str
    ring: str  # around a filled dot: the page colour, so dots stand off each other
    message: str  # the message line's style sheet


LIGHT_MAP = MapColors(
    "#f2efe6", "#dce8f2", "#9a9a9a", "#1f5fa8", "#d62728", "#1b1b1b", "#ffffff",
    "background: rgba(255,255,255,215); color: #333;",
)  # fmt: skip
DARK_MAP = MapColors(
    "#34373b", "#1a222c", "#62666d", "#6cb4ff", "#ff6b6b", "#e4e4e4", "#1f2023",
    "background: rgba(31,32,35,215); color: #e4e4e4;",
)  # fmt: skip


def map_colors() -> MapColors:
    """The colours of the theme the application is in now."""
    return DARK_MAP if is_dark() else LIGHT_MAP


@dataclass(frozen=True)
class MapPlace:
    """A place to draw: an entry the article's spans refer to."""

    kb_id: str
    name: str  # "Kassab"
    label: str  # "Kassab, Latakia, SY"
    kind: str  # place, region, country
    latitude: float
    longitude: float
    mentions: int = 1


@lru_cache(maxsize=1)
def country_paths() -> tuple[tuple[str, QPainterPath], ...]:
    """Each country's name and outline, in map coordinates (x = longitude, y = -latitude)."""
    collection = json.loads(resource_text("map", "countries.geojson"))
    paths = []
    for feature in collection["features"]:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                path.moveTo(ring[0][0], -ring[0][1])
                for x, y in ring[1:]:
                    path.lineTo(x, -y)
                path.closeSubpath()
        paths.append((feature["properties"]["name"], path))
    return tuple(paths)


class PlaceDot(QGraphicsEllipseItem):
    """A place's dot, its size in pixels whatever the zoom, with its name beside it."""

    RADIUS = 5.0

    def __init__(self, place: MapPlace):
        r = self.RADIUS
        super().__init__(-r, -r, 2 * r, 2 * r)
        self.place = place
        self.setPos(place.longitude, -place.latitude)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)
        name = place.name if place.mentions == 1 else f"{place.name} ×{place.mentions}"
        self.name = QGraphicsSimpleTextItem(name, self)
        self.setToolTip(f"{place.label}\n{place.kb_id}\n{place.mentions} mention(s)")
        self.set_selected(False)

    @property
    def filled(self) -> bool:
        return self.place.kind == "place"

    def set_selected(self, selected: bool) -> None:
        colors = map_colors()
        color = QColor(colors.selected if selected else colors.dot)
        r = self.RADIUS * (1.5 if selected else 1.0)
        self.setRect(-r, -r, 2 * r, 2 * r)
        self.setPen(
            QPen(QColor(colors.ring) if self.filled else color, 2.0 if self.filled else 2.5)
        )
        self.setBrush(QBrush(color) if self.filled else QBrush(Qt.BrushStyle.NoBrush))
        font = QFont()
        font.setBold(selected)
        font.setPointSizeF(9.5)
        self.name.setFont(font)
        self.name.setBrush(QBrush(QColor(colors.selected if selected else colors.name)))
        self.setZValue(3 if selected else 2)
