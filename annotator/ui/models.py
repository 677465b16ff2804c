"""Qt item models over plain data: the spans of the open article, and the article list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import Label, Span
from annotator.storage import ArticleRow
from annotator.ui.widgets import plain_tip

Index = QModelIndex | QPersistentModelIndex
_ORIGIN_TEXT = {"model": "suggested", "edited": "corrected", "human": "added"}


class RowsModel(QAbstractTableModel):
    """A table over a plain list of rows, with fixed column titles (``columns()``), that
    finds a row by its key (the attribute ``KEY``: an id) at once."""

    COLUMNS: tuple[str, ...] = ()
    KEY: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []
        self._row_of: dict = {}

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self.KEY is not None:  # attrgetter: 20,000 spans are keyed in a millisecond or two
            keys = map(attrgetter(self.KEY), self.rows)
            self._row_of = dict(zip(keys, range(len(self.rows)), strict=True))
        self.endResetModel()

    def row_of(self, key: object) -> int:
        return self._row_of.get(key, -1)

    def columns(self) -> Sequence[str]:
        return self.COLUMNS

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns()[section]
        return None

    def changed_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class SpanListModel(RowsModel):
    """The open article's spans in text order: label (a claim with its number), text, links
    (a claim's source and attributes, the claims a source makes), origin."""

    COLUMNS = ("Label", "Text", "Links", "Origin")
    KEY = "id"
    LINKS = 2

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self.article_id: int | None = None
        self._colors: dict[str, QColor] = {}
        self.confirmed = False
        self._describe: Callable[[Span], str] | None = None  # "source: … · denied"
        self._numbers: dict[int, int] = {}  # claim span id -> its number in the text

    def set_labels(self, labels: list[Label]) -> None:
        self._colors = {label.name: QColor(label.color) for label in labels}

    def set_spans(
        self, text: str, spans: list[Span], confirmed: bool, article_id: int | None = None
    ) -> None:
        self._text = text
        self.confirmed = confirmed
        self.article_id = article_id  # whose spans the list shows
        self.set_rows(spans)

    def set_links(self, describe: Callable[[Span], str] | None, numbers: dict[int, int]) -> None:
        """What the Links column says of a span (asked only for the rows on screen), and
        the claims' numbers."""
        self._describe, self._numbers = describe, numbers
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.LINKS))

    def links_text(self, span: Span) -> str:
        return self._describe(span) if self._describe is not None else ""

    @property
    def spans(self) -> list[Span]:
        return self.rows

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        span = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                number = self._numbers.get(span.id)
                return f"{span.label} {number}" if number else span.label
            if column == 1:
                return " ".join(span.text(self._text).split())
            if column == self.LINKS:
                return self.links_text(span)
            return _ORIGIN_TEXT.get(span.origin, span.origin)
        unconfirmed = span.origin == "model" and not self.confirmed
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return plain_tip(span.text(self._text))
            if column == self.LINKS:
                return plain_tip(self.links_text(span))
            if column == 3 and unconfirmed:
                return "A suggestion nobody confirmed yet: kept as it is when the article is done"
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and unconfirmed:
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            color = self._colors.get(span.label)
            return QBrush(color.darker(130)) if color else None
        if role == Qt.ItemDataRole.UserRole:
            return span
        return None


_STATUS_MARK = {"todo": "○", "in_progress": "◐", "done": "●", "skipped": "↷", "flagged": "⚑"}
_STATUS_COLOR = {
    "done": "#2e7d32",
    "in_progress": "#ef6c00",
    "flagged": "#c62828",
    "skipped": "#757575",
    "todo": "#9e9e9e",
}


class ArticleListModel(RowsModel):
    """The articles shown in the list (after filter and search), with this annotator's status."""

    COLUMNS = ("", "Title", "Spans")
    KEY = "id"

    def update_row(self, article_id: int, **changes: object) -> None:
        row = self.row_of(article_id)
        if row < 0:
            return
        old = self.rows[row]
        self.rows[row] = ArticleRow(
            id=old.id,
            title=str(changes.get("title", old.title)),
            status=str(changes.get("status", old.status)),
            spans=int(changes.get("spans", old.spans)),  # type: ignore[call-overload]
        )
        self.changed_row(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _STATUS_MARK.get(row.status, "?")
            if column == 1:
                return row.title or f"Article {row.id}"
            return row.spans
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"{row.title}\nstatus: {row.status.replace('_', ' ')}")
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor(_STATUS_COLOR.get(row.status, "#000000")))
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 1:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
