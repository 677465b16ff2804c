"""The review screen's lanes: each compared annotator's spans over the same text, one lane
each, and the gold lane below; they scroll together, with the disagreements boxed."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QSplitter, QVBoxLayout, QWidget

from annotator.core.model import Label, Span
from annotator.core.relations import RelationType
from annotator.core.text import isolated
from annotator.ui.article_view import ArticleView
from annotator.ui.key_guards import EscBack, EscClears
from annotator.ui.preferences import FONT_SIZE

MAX_LANES = 9  # keys 1–9


#: The heading of the lane the keys go to.
FOCUSED_HEADING = "background: palette(highlight); color: palette(highlighted-text);"


class ReviewLanes(QSplitter):
    """Lanes over one text: ``lane_views`` (one per annotator, reused between articles)
    and ``gold_view``. ``zoomAsked``: Ctrl + the wheel over any of them."""

    zoomAsked = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, labels: Sequence[Label], parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("reviewLanes")
        self.labels = list(labels)
        self.lane_views: list[ArticleView] = []
        self.lane_names: list[QLabel] = []
        self.relation_color = QColor("#444444")
        self.gold_view = self._lane_view("goldLane")
        self.gold_view.setAccessibleName("Gold version")
        self._esc_back = EscBack(self, back_to=self.gold_view)
        EscClears(self.gold_view)  # Esc: the selection first, then the window
        # Gold is edited from the keyboard too: Shift (and Ctrl+Shift) with the arrows select
        # words for Ctrl+1/2/3; the lanes only show.
        self.gold_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.claim_keys = ""  # R, D, H, Q on a gold claim, in words (``set_claim_keys``)
        self.gold_name = QLabel(objectName="goldLaneName")
        self.gold_name.setWordWrap(True)  # its keys wrap: the line set the window's width
        self._name_gold_keys()
        # The lane with the keyboard's focus has its heading marked: its caret, one blinking
        # pixel, was all that told a reviewer where the keys went.
        QApplication.instance().focusChanged.connect(self._mark_focused)  # type: ignore[union-attr]

    def set_labels(self, labels: Sequence[Label]) -> None:
        """Another label scheme (colours, new labels), in every lane."""
        self.labels = list(labels)
        for view in self.views:
            view.set_labels(self.labels)
        self._name_gold_keys()

    def set_relation_types(self, relation_types: Sequence[RelationType]) -> None:
        """The colour of the links drawn for a source disagreement: the first relation
        type's, as in the annotation window."""
        if relation_types:
            self.relation_color = QColor(relation_types[0].color)
        for view in self.views:
            view.relation_color = self.relation_color
            view.viewport().update()

    def _name_gold_keys(self) -> None:
        """The gold lane's heading names its keys: Ctrl + the label's place in the scheme."""
        from annotator.ui.review_follow import gold_keys

        keys = " · ".join(
            f"{key} {html.escape(name)}" for name, key in gold_keys(self.labels).items() if key
        )
        claims = f"; {html.escape(self.claim_keys)}" if self.claim_keys else ""
        self.gold_name.setText(
            "<b>gold</b> — what the export will hold (click a span; select words and press "
            f"{keys}; Del removes{claims})"
        )

    def set_claim_keys(self, keys: str) -> None:
        """Name the gold lane's claim keys in its heading too."""
        self.claim_keys = keys
        self._name_gold_keys()

    @property
    def views(self) -> list[ArticleView]:
        return [*self.lane_views, self.gold_view]

    def show_review(
        self,
        text: str,
        versions: Mapping[str, list[Span]],
        gold: list[Span],
        marks: list[tuple[int, int]],
    ) -> None:
        """Show each annotator's version (in order, numbered) and gold, boxing ``marks``."""
        self._ensure_lanes(len(versions))
        for number, (view, name_label, name) in enumerate(
            zip(self.lane_views, self.lane_names, versions, strict=False), start=1
        ):
            name_label.setText(f"<b>{number}</b> · {html.escape(isolated(name))}")
            view.setAccessibleName(f"{name}'s version")
            view.show_article(text, versions[name], confirmed=True)
            view.set_marks(marks)
        self.gold_view.show_article(text, gold, confirmed=True)
        self.gold_view.set_marks(marks)

    def set_current(self, index: int | None, start: int | None = None) -> None:
        """Box disagreement ``index`` in bold in every lane and bring ``start`` into view."""
        for view in self.views:
            view.set_current_mark(index)
            if start is not None:
                view.select_range(start, start, scroll=False)
        if start is not None and self.views:
            # Scrolled to the middle when out of the upper part of the lane, not just to its
            # last line: the disagreement runs on below its start. The lanes follow.
            first = self.views[0]
            where = first.cursorRect()
            if where.top() < 0 or where.bottom() > first.viewport().height() * 0.6:
                first.centerCursor()

    def _mark_focused(self, _old: QWidget | None, now: QWidget | None) -> None:
        for view, heading in zip(self.views, [*self.lane_names, self.gold_name], strict=True):
            focused = FOCUSED_HEADING if view is now else ""
            if heading.styleSheet() != focused:
                heading.setStyleSheet(focused)

    def _lane_view(self, name: str) -> ArticleView:
        view = ArticleView()
        view.setObjectName(name)
        view.set_labels(self.labels)
        view.relation_color = self.relation_color
        view.document().setDocumentMargin(8)
        font = view.font()
        # The text size of the annotation window (Ctrl++, Preferences): fixed at 11 pt, the
        # lanes of a review opened after a zoom, or added after it, were of mixed sizes.
        font.setPointSize(FONT_SIZE.read(QSettings()))
        view.setFont(font)
        view.zoomAsked.connect(self.zoomAsked)
        # One line at least, not QTextEdit's 70 px: six annotators' lanes and gold made the
        # window taller than a 768-pixel screen, and the gold lane fell off it.
        line = view.fontMetrics().lineSpacing()
        view.setMinimumHeight(line + 2 * 8 + 2 * view.frameWidth() + 2)
        # Lanes move together: the same passage in every lane.
        view.verticalScrollBar().valueChanged.connect(self._sync_scroll)
        return view

    def _sync_scroll(self, value: int) -> None:
        for view in self.views:
            if view.verticalScrollBar().value() != value:
                view.verticalScrollBar().blockSignals(True)
                view.verticalScrollBar().setValue(value)
                view.verticalScrollBar().blockSignals(False)
                view.format_visible()

    def _ensure_lanes(self, count: int) -> None:
        """One lane per compared annotator (reused between articles), then the gold lane."""
        count = min(count, MAX_LANES)
        while len(self.lane_views) < count:
            view = self._lane_view(f"lane{len(self.lane_views) + 1}")
            view.installEventFilter(self._esc_back)  # Esc: to gold, not closing the window
            name = QLabel()
            name.setWordWrap(True)
            self.lane_views.append(view)
            self.lane_names.append(name)
            self.insertWidget(len(self.lane_views) - 1, _lane(name, view))
        for i, view in enumerate(self.lane_views):
            view.parentWidget().setVisible(i < count)
        if self.gold_view.parentWidget() is None:
            self.addWidget(_lane(self.gold_name, self.gold_view))
        # Room left goes to gold, what the export will hold, twice as much as to a lane.
        for index in range(self.count()):
            self.setStretchFactor(
                index, 2 if self.widget(index).isAncestorOf(self.gold_view) else 1
            )


def _lane(name: QLabel, view: ArticleView) -> QWidget:
    lane = QWidget()
    layout = QVBoxLayout(lane)
    layout.setContentsMargins(0, 2, 0, 2)
    layout.setSpacing(1)
    layout.addWidget(name)
    layout.addWidget(view)
    return lane
