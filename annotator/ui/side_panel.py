"""The annotation window's right-hand column: the labels with their keys, the open
article's spans (kept in step with the selection in the text), a comment box, the keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QWidget,
)

from annotator.core.model import CLAIM_KIND, Label, Span
from annotator.ui.article_list import fixed_columns
from annotator.ui.models import SpanListModel
from annotator.ui.widgets import configure_table, make_panel, plain_tip

KEYS_HELP = (
    "<small>Select text, press a label's key · click a span to select it<br>"
    "Del remove · Shift+←/→ move end · Ctrl+Shift+←/→ move start<br>"
    "Tab next span · L what it refers to · = every mention<br>"
    "Enter done &amp; next · N/P next/previous</small>"
)


def caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; padding-top: 4px;")
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, light or dark
    return label


class LabelLegend(QScrollArea):
    """One button per label, showing its key and colour; a click labels the selection.

    Past ``ONE_COLUMN`` labels the buttons take two columns, and a long name never widens
    the panel (its button shows what fits; the tooltip has it whole): a scheme of many
    labels once made the window taller and wider than the screen. Past ``SHOWN_ROWS`` rows
    when room is short, the legend scrolls: 30 labels made the window 762 pixels high at
    least, its comment box and status bar below a 720-pixel screen."""

    ONE_COLUMN = 6
    SHOWN_ROWS = 4  # rows it keeps when room is short
    WANTED_ROWS = 8  # rows it asks for: the spans' list needs room too

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="legend")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys label; Tab walks the spans
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        buttons = QWidget()
        self._layout = QGridLayout(buttons)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.setWidget(buttons)
        self._rows = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.widget().sizeHint().width(), self._height_of(self.WANTED_ROWS))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.widget().minimumSizeHint().width(), self._height_of(self.SHOWN_ROWS))

    def _height_of(self, rows: int) -> int:
        """The height that shows ``rows`` rows of buttons (all of them, if fewer)."""
        every = max(self._rows, 1)
        inner = self.widget().sizeHint().height()
        return inner * min(rows, every) // every + 2 * self.frameWidth()

    def set_labels(self, labels: Sequence[Label], actions: Mapping[str, QAction]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # gone at once, not when the event loop next runs
                widget.deleteLater()
        columns = 1 if len(labels) <= self.ONE_COLUMN else 2
        rows = -(-len(labels) // columns)
        self._rows = rows
        for place, label in enumerate(labels):
            action = actions[label.name]
            keys = action.shortcuts()
            key = keys[0].toString() if keys else ""
            button = QToolButton()
            button.setDefaultAction(action)
            button.setText(f"{key}  {action.text()}" if key else action.text())  # & escaped
            tip = f"{label.name}: {label.description}" if label.description else label.name
            button.setToolTip(plain_tip(tip))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            # Keys label (1, 2...); a focused button showed no mark, and Tab and Enter
            # there walked the spans and marked the article done.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, button.sizePolicy().verticalPolicy())
            button.setMinimumWidth(60)
            button.setStyleSheet(_legend_style(label))
            self._layout.addWidget(button, place % rows, place // rows)  # down, then across
            # Shown now, not on the next turn of the event loop as a layout shows a child
            # of a shown widget: hidden, the buttons measured 0, the legend asked for 0
            # pixels and kept them (no label buttons after File → Open, at times).
            button.show()
        self.updateGeometry()


def _legend_style(label: Label) -> str:
    return (
        "QToolButton { text-align: left; padding: 5px 8px; border-radius: 4px; "
        f"border: 1px solid {label.color}; border-left: 6px solid {label.color}; "
        "background: palette(base); font-weight: 600; }"
        f"QToolButton:hover {{ background: {label.color}22; }}"
    )


#: The span list's Label column, least and most, in average characters: as wide as the
#: scheme's longest name within these, so that the text beside it keeps its room.
LABEL_COLUMN_CHARS = (13, 24)


class MiddleCut(QStyledItemDelegate):
    """Cells that, too long for their column, are cut in the middle."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle  # type: ignore[attr-defined]


class SpanListView(QTableView):
    """The open article's spans: label, text, what it refers to, origin. Selecting a row
    emits ``spanChosen``; ``select_span`` selects a row without emitting it (the text
    selected it already). ``selectionShown`` tells, in every case, which span (id, or None)
    the list shows selected now (the map follows it)."""

    spanChosen = Signal(object)  # noqa: N815 - Qt signal naming
    selectionShown = Signal(object)  # noqa: N815

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("spanList")
        self.setAccessibleName("Spans of the article")
        self.span_model = SpanListModel()
        configure_table(self, self.span_model)
        fixed_columns(self, [78, None, None, 76])  # text and links stretch
        # The Label column cut in the middle, past its most width: EXTRA_LABEL_05 and
        # EXTRA_LABEL_06 both read "EXTRA_L…", and this column is where the window says a
        # span's label in words (whole: its tooltip). The others at their end: a claim's
        # "source: The Syrian Observatory for Human Rights…", already cut to 40 characters,
        # read "source: T…n Rights…" cut again in the middle.
        self.setItemDelegateForColumn(0, MiddleCut(self))
        self.selectionModel().selectionChanged.connect(self._row_selected)

    def set_labels(self, labels: Sequence[Label]) -> None:
        """The scheme's labels: their colours, and the Label column as wide as the longest
        name needs (a claim's with its number), within ``LABEL_COLUMN_CHARS``. At a fixed
        78 px, ARMED_GROUP read "ARM…OUP"."""
        self.span_model.set_labels(list(labels))
        metrics = self.fontMetrics()
        names = [label.name + " 99" * (label.kind == CLAIM_KIND) for label in labels]
        widest = max(map(metrics.horizontalAdvance, names), default=0)
        style_margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        needed = widest + 2 * (style_margin + 1) + 2  # the margins Qt keeps each side of a cell
        least, most = (chars * metrics.averageCharWidth() for chars in LABEL_COLUMN_CHARS)
        self.setColumnWidth(0, max(least, min(needed, most)))

    def select_span(self, span_id: int | None) -> None:
        row = self.span_model.row_of(span_id) if span_id is not None else -1
        if row < 0:
            self.clear_span_selection()
            return
        selection = self.selectionModel()
        selection.blockSignals(True)
        selection.setCurrentIndex(
            self.span_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        selection.blockSignals(False)
        self.viewport().update()
        self.scrollTo(self.span_model.index(row, 0))
        self.selectionShown.emit(span_id)

    def clear_span_selection(self) -> None:
        selection = self.selectionModel()
        selection.blockSignals(True)
        selection.clearSelection()
        selection.blockSignals(False)
        self.viewport().update()
        self.selectionShown.emit(None)

    def _row_selected(self) -> None:
        rows = self.selectionModel().selectedRows()
        if rows:
            span: Span = self.span_model.spans[rows[0].row()]
            self.spanChosen.emit(span)
            self.selectionShown.emit(span.id)


#: Rows the span list shows before the key hints under it do: it is where the annotator
#: works, they say what the README and the menus say too.
SPAN_ROWS_BEFORE_HINTS = 6


class AnnotationPanel(QWidget):
    """Labels, spans, the comment box and the keys, stacked in one column."""

    def __init__(self, typing_guard: QObject, parent: QWidget | None = None):
        super().__init__(parent)
        self.legend = LabelLegend()
        self.span_list = SpanListView()
        self.comment_box = QLineEdit(placeholderText="Comment (saved with a flag)…")
        self.comment_box.setObjectName("commentBox")
        self.comment_box.setAccessibleName("Comment")
        self.comment_box.installEventFilter(typing_guard)
        keys = QLabel(KEYS_HELP)
        keys.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        keys.setWordWrap(True)
        # The claim keys come from the scheme (``claim_sources.py`` fills this in).
        self.claim_keys = QLabel(objectName="claimKeys")
        self.claim_keys.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.claim_keys.setWordWrap(True)
        parts = [caption("Labels"), self.legend, caption("Spans"), self.span_list]
        make_panel([*parts, self.comment_box, self.claim_keys, keys], self)
        self.key_hints = (self.claim_keys, keys)
        self.hints_hidden = False  # by ``resizeEvent``, for want of room

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """The key hints make room in a column too short for everything (a large font,
        a low screen): the layout squeezed the label buttons till their names were cut,
        and then the span list, where the work is, to 3 rows under 6 lines of hints."""
        super().resizeEvent(event)
        layout = self.layout()
        hints = [hint for hint in self.key_hints if hint.text()]
        if layout is None or not hints:
            return
        margins = layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        others = [layout.itemAt(i).widget() for i in range(layout.count())]
        needed = sum(
            self._least_height(w) + layout.spacing()
            for w in others
            if w is not None and w not in self.key_hints
        )
        wanted = sum(hint.heightForWidth(width) + layout.spacing() for hint in hints)
        hide = needed + wanted + margins.top() + margins.bottom() > self.height()
        if hide != self.hints_hidden:
            self.hints_hidden = hide
            for hint in self.key_hints:
                hint.setVisible(not hide)

    def _least_height(self, widget: QWidget) -> int:
        """The height ``widget`` needs before the hints show: the span list's
        ``SPAN_ROWS_BEFORE_HINTS`` rows, the others' least."""
        if widget is not self.span_list:
            return widget.minimumSizeHint().height()
        rows = self.span_list.verticalHeader().defaultSectionSize() * SPAN_ROWS_BEFORE_HINTS
        header = self.span_list.horizontalHeader().sizeHint().height()
        return max(rows + header + 2 * self.span_list.frameWidth(),
                   self.span_list.minimumSizeHint().height())  # fmt: skip
