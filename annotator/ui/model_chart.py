"""How the suggestions are used, drawn: per label, per model version in order, per annotator.

Each bar is one (model, annotator) over the articles the annotator marked done after opening
them with that model's suggestions (``storage.usage.suggestion_usage``), and stands for
every span involved: the suggestions accepted unchanged, edited and deleted, and the spans
added that no suggestion had. So a model that helps grows the first part version after
version, and an annotator who accepts everything shows as one colour only.

The bars are computed by ``usage_sections`` (plain data, tested without painting) and drawn
with ``QPainter``: a few hundred rectangles, no chart library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.ui.theme import contrast
from annotator.ui.widgets import plain_tip

#: What a bar is made of, in order, with its colour and its name in the legend.
PARTS = (  # Okabe and Ito's colours, told apart by red-green blind eyes too
    ("accepted", "#009e73", "accepted unchanged"),
    ("edited", "#f0e442", "edited"),
    ("deleted", "#d55e00", "deleted"),
    ("added", "#56b4e9", "added (no suggestion)"),
)
#: Every annotator together, or one bar per annotator.
EVERYONE = ""
EACH = "*"

_PROJECT_MODEL = re.compile(r"^project_model-(\d+)\.\d+\.\d+")
_VERSION = re.compile(r"-\d+(\.\d+)*$")
NO_MODEL = "none"


@dataclass(frozen=True)
class Bar:
    """One bar: a model's suggestions as one annotator (or everyone) used them."""

    model: str
    annotator: str  # "" for everyone together
    counts: dict[str, int]  # accepted, edited, deleted, added
    articles: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, part: str) -> float:
        return self.counts[part] / self.total if self.total else 0.0


@dataclass(frozen=True)
class Section:
    label: str
    bars: list[Bar]


def model_order(name: str) -> tuple[int, int, str]:
    """Models in the order a project meets them: no suggestions, then the pipelines it
    started with, then its own trained versions v1, v2, …"""
    match = _PROJECT_MODEL.match(name)
    if match:
        return (2, int(match.group(1)), name)
    return (0 if name == NO_MODEL else 1, 0, name)


def short_model_name(name: str) -> str:
    """``v3`` for the project's third model; a pipeline's name without its version and the
    rules' suffix (the bar's tooltip names it whole)."""
    match = _PROJECT_MODEL.match(name)
    if match:
        return f"v{match.group(1)}"
    if name == NO_MODEL:
        return "no model"
    return _VERSION.sub("", name.split("+rules")[0])


def figure_colour(fill: str) -> QColor:
    """White or black, whichever reads better on ``fill`` (white on yellow was 1.9:1)."""
    return max((QColor("#ffffff"), QColor("#000000")), key=lambda t: contrast(t, QColor(fill)))


def bar_name(bar: Bar) -> str:
    """A bar's name: whose use it shows, then the model's short name. Elided from the right,
    the model's name goes first: named the other way round, every bar of a project without
    a trained model read "core_web_sm_vbsp…", whoever it was."""
    model = short_model_name(bar.model)
    return f"{bar.annotator} · {model}" if bar.annotator else model


def usage_sections(
    usage: dict[str, dict[str, dict[str, dict[str, Any]]]],
    who: str = EACH,
    labels: list[str] | None = None,
) -> list[Section]:
    """The chart's bars from ``suggestion_usage``: per label (``labels`` first, in their
    order, then any other), per model in ``model_order``, one bar per annotator (``who``
    ``EACH``), for everyone together (``EVERYONE``) or for one annotator (their name)."""
    found = {label for by_who in usage.values() for rows in by_who.values() for label in rows}
    ordered = [label for label in labels or [] if label in found]
    ordered += sorted(found - set(ordered))
    sections = []
    for label in ordered:
        bars = []
        for model in sorted(usage, key=model_order):
            rows = {a: r[label] for a, r in usage[model].items() if label in r}
            if who not in (EACH, EVERYONE):
                rows = {a: r for a, r in rows.items() if a == who}
            if not rows:
                continue
            if who == EVERYONE:
                bars.append(Bar(model, "", _sum(rows.values()), _articles(usage[model])))
            else:
                for annotator, row in sorted(rows.items()):
                    articles = _articles({annotator: usage[model][annotator]})
                    bars.append(Bar(model, annotator, _counts(row), articles))
        if bars:
            sections.append(Section(label, bars))
    return sections


def _counts(row: dict[str, Any]) -> dict[str, int]:
    return {part: int(row.get(part, 0)) for part, _, _ in PARTS}


def _sum(rows) -> dict[str, int]:
    total = dict.fromkeys((part for part, _, _ in PARTS), 0)
    for row in rows:
        for part, n in _counts(row).items():
            total[part] += n
    return total


def _articles(by_annotator: dict[str, dict[str, dict[str, Any]]]) -> int:
    """Articles done by these annotators with the model (each annotator's, added up)."""
    return sum(
        max((int(r.get("articles", 0)) for r in rows.values()), default=0)
        for rows in by_annotator.values()
    )


class UsageChart(QWidget):
    """Stacked horizontal bars, a block per label: see the module docstring."""

    ROW = 18  # a bar's height with its gap
    HEADING = 22
    LEGEND_LINE = 16
    MIN_NAME_WIDTH = 80
    COUNT_WIDTH = 44

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="usageChart")
        self.sections: list[Section] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_sections(self, sections: list[Section]) -> None:
        self.sections = sections
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        bars = sum(len(s.bars) for s in self.sections)
        height = self.legend_height() + self.HEADING * len(self.sections) + self.ROW * bars
        return QSize(320, height + 4)

    def legend_items(self) -> list[tuple[QPoint, str, str]]:
        """Where each part's swatch goes (its top left), with its colour and name: on as
        many lines as the width needs."""
        metrics = self.fontMetrics()
        items, x, y = [], 4, 4
        for _, colour, name in PARTS:
            width = 14 + metrics.horizontalAdvance(name) + 12
            if x > 4 and x + width > self.width():
                x, y = 4, y + self.LEGEND_LINE
            items.append((QPoint(x, y), colour, name))
            x += width
        return items

    def legend_height(self) -> int:
        return self.legend_items()[-1][0].y() + self.LEGEND_LINE + 4

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.setMinimumHeight(self.sizeHint().height())  # the legend may wrap

    # -- geometry: where each part of each bar is (painting and tests use it) --------------

    def name_width(self) -> int:
        """The bars' names get what the longest needs, up to two fifths of the width (a
        longer one is elided; its tooltip says it whole)."""
        metrics = self.fontMetrics()
        needed = max(
            (metrics.horizontalAdvance(bar_name(b)) for s in self.sections for b in s.bars),
            default=0,
        )
        return max(self.MIN_NAME_WIDTH, min(needed + 12, self.width() * 2 // 5))

    def layout_bars(self) -> list[tuple[Section, Bar, QRect, dict[str, QRect]]]:
        """Each bar's name area and its parts' rectangles, top to bottom."""
        placed = []
        y = self.legend_height()
        names = self.name_width()
        width = max(40, self.width() - names - self.COUNT_WIDTH - 8)
        for section in self.sections:
            y += self.HEADING
            for bar in section.bars:
                name_rect = QRect(4, y, names - 8, self.ROW - 4)
                parts: dict[str, QRect] = {}
                x = float(names)
                for part, _, _ in PARTS:
                    share = bar.share(part)
                    if share <= 0:
                        continue
                    right = x + share * width
                    parts[part] = QRect(round(x), y, max(1, round(right) - round(x)), self.ROW - 4)
                    x = right
                placed.append((section, bar, name_rect, parts))
                y += self.ROW
        return placed

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        self._paint_legend(painter, text)
        metrics = painter.fontMetrics()
        y = self.legend_height()
        headings = {}
        for section in self.sections:
            headings[id(section)] = y
            y += self.HEADING + self.ROW * len(section.bars)
        bold = painter.font()
        bold.setBold(True)
        plain = painter.font()
        drawn_sections = set()
        names = self.name_width()
        width = max(40, self.width() - names - self.COUNT_WIDTH - 8)
        for section, bar, name_rect, parts in self.layout_bars():
            if id(section) not in drawn_sections:
                drawn_sections.add(id(section))
                painter.setFont(bold)
                painter.setPen(text)
                top = headings[id(section)]
                painter.drawText(
                    QRect(4, top, self.width() - 8, self.HEADING),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                    section.label,
                )
                painter.setFont(plain)
            name = bar_name(bar)
            painter.setPen(text)
            painter.drawText(
                name_rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width()),
            )
            if not parts:  # no span at all: an outline, so the row is not mistaken for 0%
                painter.setPen(QColor("#999999"))
                painter.drawRect(QRect(names, name_rect.top(), width, self.ROW - 5))
            for part, colour, _ in PARTS:
                if part not in parts:
                    continue
                rect = parts[part]
                painter.fillRect(rect, QColor(colour))
                share = bar.share(part)
                label = f"{share:.0%}"
                if metrics.horizontalAdvance(label) + 4 <= rect.width():
                    painter.setPen(figure_colour(colour))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
            painter.setPen(text)
            painter.drawText(
                QRect(
                    self.width() - self.COUNT_WIDTH - 4,
                    name_rect.top(),
                    self.COUNT_WIDTH,
                    self.ROW - 4,
                ),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{bar.articles} art.",
            )
        painter.end()

    def _paint_legend(self, painter: QPainter, text: QColor) -> None:
        painter.setPen(text)
        for corner, colour, name in self.legend_items():
            painter.fillRect(QRect(corner.x(), corner.y() + 2, 10, 10), QColor(colour))
            painter.drawText(
                QRect(corner.x() + 14, corner.y(), self.width(), self.LEGEND_LINE - 2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                name,
            )

    def bar_at(self, point: QPoint) -> Bar | None:
        for _, bar, name_rect, _parts in self.layout_bars():
            if name_rect.top() <= point.y() <= name_rect.bottom():
                return bar
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        bar = self.bar_at(event.position().toPoint())
        if bar is None:
            self.setToolTip("")
            return
        counts = ", ".join(f"{bar.counts[part]} {name}" for part, _, name in PARTS)
        if bar.annotator:
            said = f"{bar.model}, {bar.annotator}, {bar.articles} finished articles: {counts}"
        else:  # (59 "articles" were 51, eight of them finished by two)
            said = (
                f"{bar.model}, everyone, {bar.articles} finished articles counted once for "
                f"each annotator who finished them: {counts}"
            )
        self.setToolTip(plain_tip(said))
