"""Qt item models over plain data: the spans of the open article, and the article list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import Label, Span
from annotator.storage import ArticleRow
from annotator.storage.errors import StorageError
from annotator.ui.theme import is_dark, label_text, readable
from annotator.ui.widgets import plain_tip

#: Grey for what is not the annotator's own (suggestions), made legible by ``label_text``.
MUTED = "#8a8a8a"

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


#: What the Links column says of a place or faction that refers to no entry yet.
NO_ENTRY = "–"


class Reference(NamedTuple):
    """What the span list says a span refers to: the text, a tooltip, a colour (or "")."""

    text: str
    tip: str = ""
    color: str = ""


class SpanListModel(RowsModel):
    """The open article's spans in text order: label (a claim with its number), text, links,
    origin. Links are what a place or faction refers to (``describe``, set by
    ``ui/entity_links.py``) and a claim's source and attributes, or the claims a source makes
    (``set_links``, from ``ui/claim_sources.py``), side by side."""

    COLUMNS = ("Label", "Text", "Links", "Origin")
    KEY = "id"
    LINKS = 2
    ORIGIN = 3

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self.article_id: int | None = None
        self._colors: dict[str, QColor] = {}
        self.confirmed = False
        #: What a span refers to (``ui/entity_links.py`` sets it); None: nothing shown.
        self.describe: Callable[[Span], Reference | None] = lambda span: None
        self._describe: Callable[[Span], str] | None = None  # "source: … · denied"
        self._numbers: dict[int, int] = {}  # claim span id -> its number in the text
        #: A span's origin as the usage figures count it (asked per row shown): a
        #: suggestion changed by its claim links alone is "edited"
        self._origin_of: Callable[[Span], str] = lambda span: span.origin

    def references_changed(self) -> None:
        """The entries' names became known (the place index is ready): redraw the column."""
        if self.rows:
            self.dataChanged.emit(
                self.index(0, self.LINKS), self.index(len(self.rows) - 1, self.LINKS)
            )

    def set_labels(self, labels: list[Label]) -> None:
        self._colors = {label.name: QColor(label.color) for label in labels}

    def set_spans(
        self, text: str, spans: list[Span], confirmed: bool, article_id: int | None = None
    ) -> None:
        self._text = text
        self.confirmed = confirmed
        self.article_id = article_id  # whose spans the list shows
        self.set_rows(spans)

    def set_links(
        self,
        describe: Callable[[Span], str] | None,
        numbers: dict[int, int],
        origin_of: Callable[[Span], str] = lambda span: span.origin,
    ) -> None:
        """What the Links column says of a span (asked only for the rows on screen), the
        claims' numbers, and each span's origin as the usage figures count it (a suggestion
        whose sources or values were changed reads "corrected"; one deleted and made again
        by hand, "suggested" or "corrected", not "added")."""
        self._describe, self._numbers, self._origin_of = describe, numbers, origin_of
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.ORIGIN))

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
        if column == self.LINKS:
            return self._links(span, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                number = self._numbers.get(span.id)
                return f"{span.label} {number}" if number else span.label
            if column == 1:
                return " ".join(span.text(self._text).split())
            origin = self._origin_of(span)
            return _ORIGIN_TEXT.get(origin, origin)
        # (a suggestion made again by hand was confirmed by the hand that made it)
        unconfirmed = span.origin == "model" == self._origin_of(span) and not self.confirmed
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:  # (the whole name, where a narrow column cuts it)
                return plain_tip(self.data(index))
            if column == 1:
                return plain_tip(span.text(self._text))
            if column == self.ORIGIN and unconfirmed:
                return "A suggestion nobody confirmed yet: kept as it is when the article is done"
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ORIGIN and unconfirmed:
            return QBrush(label_text(MUTED))  # (legible: #8a8a8a on white is 3.4:1)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            color = self._colors.get(span.label)
            if color is None:
                return None
            return QBrush(label_text(color))
        if role == Qt.ItemDataRole.UserRole:
            return span
        return None

    def _links(self, span: Span, role: int):
        """The Links column: the entry a place or faction refers to, then the claim links."""
        if role == Qt.ItemDataRole.UserRole:
            return span
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        reference = self.describe(span)
        claims = self.links_text(span)
        if claims and reference is not None and reference.text == NO_ENTRY:
            reference = None  # the claim links say more than "no entry yet"
        if role == Qt.ItemDataRole.ForegroundRole:
            color = reference.color if reference is not None and not claims else ""
            return QBrush(label_text(color)) if color else None  # (grey: made legible)
        if role == Qt.ItemDataRole.DisplayRole:
            return " · ".join(filter(None, [reference.text if reference else "", claims])) or None
        tips = [reference.tip or reference.text] if reference is not None else []
        return plain_tip("\n".join([*tips, claims] if claims else tips)) or None


_STATUS_MARK = {"todo": "○", "in_progress": "◐", "done": "●", "skipped": "↷", "flagged": "⚑"}
_STATUS_COLOR = {
    "done": "#2e7d32",
    "in_progress": "#ef6c00",
    "flagged": "#c62828",
    "skipped": "#757575",
    "todo": "#9e9e9e",
}


class ArticleListModel(RowsModel):
    """The articles shown in the list (after filter and search), with this annotator's status.

    An article the annotator has not started on counts the suggestions it shows them, in
    grey: counted for the rows on screen only (``count_suggestions``, a page at a time),
    so that a list of ten thousand articles fills at once.
    """

    COLUMNS = ("", "Title", "Spans")
    KEY = "id"
    #: The project could not count the suggestions of the rows on screen (and will not try
    #: again until the list is read anew).
    countFailed = Signal(str)  # noqa: N815 - Qt signal naming
    #: Rows whose suggestions are counted together with the one on screen that needs it.
    COUNT_PAGE = 200

    def __init__(self) -> None:
        super().__init__()
        self.count_suggestions: Callable[[list[int]], dict[int, int]] | None = None
        self._suggestions: dict[int, int] = {}

    def set_rows(self, rows: Sequence) -> None:
        self._suggestions = {}
        super().set_rows(rows)

    def forget_suggestion_counts(self) -> None:
        """Count the suggestions again as rows are painted: another program may have
        suggested again while the rows stayed the same."""
        self._suggestions = {}
        if self.rows:
            spans = self.COLUMNS.index("Spans")
            self.dataChanged.emit(self.index(0, spans), self.index(len(self.rows) - 1, spans))

    def suggestions(self, row: int) -> int:
        """How many suggestions the article of ``row`` shows (for one not started)."""
        article_id = self.rows[row].id
        if article_id not in self._suggestions and self.count_suggestions is not None:
            page = self.rows[max(0, row - self.COUNT_PAGE // 4) : row + self.COUNT_PAGE]
            ids = [r.id for r in page if not r.started and r.id not in self._suggestions]
            try:
                counted = self.count_suggestions(ids)
            except StorageError as error:  # a damaged page: said once, not at every paint
                self.count_suggestions, counted = None, {}
                self.countFailed.emit(f"Suggestions not counted: {error}")
            self._suggestions.update({i: counted.get(i, 0) for i in ids})
        return self._suggestions.get(article_id, 0)

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
            # A string: an int is written in the user's locale's digits (٤٦ under Arabic,
            # 1.234 under German), unlike every other figure of the program.
            return f"{row.spans if row.started else self.suggestions(index.row()):,}"
        if role == Qt.ItemDataRole.AccessibleTextRole and column != 1:
            # A screen reader reads words, not a mark or a grey figure.
            if column == 0:
                return row.status.replace("_", " ")
            if row.started:
                return f"{row.spans} spans"
            return f"{self.suggestions(index.row())} suggestions, not looked at yet"
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.title}\nstatus: {row.status.replace('_', ' ')}"
            n = 0 if row.started else self.suggestions(index.row())
            if n:
                tip += f"\n{n} suggestion{'s' if n != 1 else ''}, not looked at yet"
            return plain_tip(tip)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            color = QColor(_STATUS_COLOR.get(row.status, "#000000"))
            return QBrush(readable(color, True, 0.3) if is_dark() else color)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and not row.started:
            return QBrush(label_text(MUTED))  # suggestions, not the annotator's spans
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 1:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
