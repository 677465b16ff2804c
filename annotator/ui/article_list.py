"""The corpus beside the article: a search box, a status filter and the list of articles
with the annotator's status and span count; and the order in which Next and Done walk it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QWidget,
)

from annotator.core.model import STATUSES
from annotator.core.text import counted
from annotator.storage import Store
from annotator.ui.models import ArticleListModel
from annotator.ui.widgets import OpenedByClickOnly, font_scale, make_panel, make_table

STATUS_FILTERS = [("All articles", None)] + [
    (status.replace("_", " ").capitalize(), status) for status in STATUSES
]


def fixed_columns(table: QTableView, widths: list[int | None]) -> None:
    """Fixed widths, one stretching column: sizing to contents reads every row, which
    costs tens of milliseconds on an article with thousands of spans."""
    header = table.horizontalHeader()
    scale = font_scale(table)  # (large fonts: "5(" for a count of spans)
    for column, width in enumerate(widths):
        if width is None:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(column, round(width * scale))


class ArticleListPanel(QWidget):
    """Search, filter and the article list. Emits ``articleChosen`` when a row is clicked
    and ``filterChanged`` when the search or the filter changes what the list should hold."""

    articleChosen = Signal(int)  # noqa: N815 - Qt signal naming
    filterChanged = Signal()  # noqa: N815
    #: Enter in the search box opened the first article found: the text takes the keys.
    searchAccepted = Signal()  # noqa: N815

    def __init__(self, typing_guard: QObject, parent: QWidget | None = None):
        super().__init__(parent)
        self.search_box = QLineEdit(placeholderText="Search articles…", clearButtonEnabled=True)
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName("Search articles")
        self.search_box.installEventFilter(typing_guard)
        self.status_filter = QComboBox(objectName="statusFilter", accessibleName="Show articles")
        for text, status in STATUS_FILTERS:
            self.status_filter.addItem(text, status)
        # Shown to an annotator a lead gave articles to (``annotator assign``): on, the list,
        # Next and Done keep to those.
        self.mine_only = QCheckBox(objectName="assignedOnly", checked=True, visible=False)
        # (its note of articles found elsewhere widened the column, moving the text)
        self.mine_only.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.given = 0  # how many articles the annotator was given (0: none, they see all)
        self._read_rows: list = []  # ``Store.article_list`` as last read
        self._read_with: tuple | None = None  # (list key, filter, given only, store) then
        self._ranked: list[int] = []  # what the search found, best first (the list keeps its order)
        self.model = ArticleListModel()
        self.table = make_table(self.model, "articleList")
        self.table.setAccessibleName("Articles")
        fixed_columns(self.table, [28, None, 48])
        make_panel([self.search_box, self.status_filter, self.mine_only, self.table], self)

        self.table.clicked.connect(self._row_clicked)
        self.table.activated.connect(self._row_clicked)
        self.status_filter.currentIndexChanged.connect(lambda _: self.filterChanged.emit())
        self.mine_only.toggled.connect(lambda _: self.filterChanged.emit())
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.filterChanged.emit)
        self.search_box.textChanged.connect(lambda _: self._search_timer.start())
        # From the search box, Enter opens the first article found and Down goes into the
        # list: both did nothing, and only F6 reached what was found.
        self.search_box.returnPressed.connect(self._open_first_found)
        self.search_box.installEventFilter(self)
        self._open_id: int | None = None  # the article open in the window (``select``)
        self.table.installEventFilter(self)
        OpenedByClickOnly(self.table, self._mark_open_again)

    @property
    def rows(self) -> list:
        return self.model.rows

    @property
    def assigned_only(self) -> bool:
        """Whether the list holds only the articles given to the annotator."""
        return self.given > 0 and self.mine_only.isChecked()

    def clear_filters(self) -> None:
        """Show every article again, unsearched, for another project: a search or filter of
        the one before hid all of its articles, and the window said it had none."""
        for widget in (self.search_box, self.status_filter):
            widget.blockSignals(True)  # (the list is filled once, after)
        self.search_box.clear()
        self.status_filter.setCurrentIndex(0)
        for widget in (self.search_box, self.status_filter):
            widget.blockSignals(False)
        self._search_timer.stop()

    def stop(self) -> None:
        """Nothing more follows from a search typed (the window closes, and its project next)."""
        self._search_timer.stop()

    def fill(self, store: Store, annotator: str, list_key: tuple | None = None) -> None:
        """(Re)read the list from the project, under the current filter and search;
        ``list_key`` (``Store.article_list_key``) unchanged, the rows read before serve."""
        given = store.assignment_counts(annotator).get(annotator, {})
        self.given = given.get("articles", 0)
        # (short: the list's column is narrow, and the box no longer widens it)
        self.mine_only.setText(f"Only my {counted(self.given, 'article')}")
        self.mine_only.setVisible(self.given > 0)
        # Read again only when what it shows may have changed: each key typed in the search
        # built 50,000 rows again, a second's stall per key (``list_key``: what they show).
        status, assigned_only = self.status_filter.currentData(), self.assigned_only
        read_with = (list_key, status, assigned_only, store)
        if list_key is None or self._read_with != read_with:
            self._read_rows = store.article_list(annotator, status, assigned_only=assigned_only)
            self._read_with = read_with if list_key is not None else None
        rows = self._read_rows
        query = self.search_box.text().strip()
        # (every article found: the list was cut at 10,000, unsaid)
        self._ranked = store.search(query, limit=store.article_count()) if query else []
        for index, (text, _) in enumerate(STATUS_FILTERS):
            self.status_filter.setItemText(index, text)
        self.status_filter.setToolTip("")
        if query:
            found = set(self._ranked)
            shown = {row.id for row in rows}
            rows = [row for row in rows if row.id in found]
            if self.assigned_only and (outside := found - set(store.assigned_articles(annotator))):
                # (the list showed nothing, and nothing said that other articles match; the
                # count of their own makes way, or the column cut the note off)
                self.mine_only.setText(f"Only mine (+{len(outside):,} elsewhere)")
                found -= outside
            if status is not None and (other := found - shown):
                # (the same: "Done" and a search gave an empty list, and no word of the rest)
                index = self.status_filter.currentIndex()
                named = f"{STATUS_FILTERS[index][0]} (+{len(other):,} in others)"
                self.status_filter.setItemText(index, named)
                self.status_filter.setToolTip(  # (the whole of it: the box cuts it)
                    f"{counted(len(other), 'article')} the search finds "
                    f"{'is' if len(other) == 1 else 'are'} in other statuses"
                )
        self.mine_only.setToolTip(  # (the whole of it, if cut)
            self.mine_only.text().replace("elsewhere", "found outside the articles given you")
        )
        self.model.count_suggestions = store.suggestion_counts
        if rows != self.model.rows or not rows:
            self.model.set_rows(rows)
        else:  # the same list (another annotator wrote): no reset, the view keeps its place
            self.model.forget_suggestion_counts()

    def select(self, article_id: int) -> None:
        self._open_id = article_id
        row = self.model.row_of(article_id)
        selection = self.table.selectionModel()
        if row < 0:
            selection.clearSelection()
            return
        index = self.model.index(row, 1)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _mark_open_again(self) -> None:
        if self._open_id is not None:
            self.select(self._open_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table and event.type() == QEvent.Type.FocusOut:
            # Rows walked with the arrows and left without Enter: the list marks the open
            # article again (it marked one that was not open, read out as if it were).
            self._mark_open_again()
            return False
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self._searched_now()
            if self.model.rows:
                self.table.setFocus(Qt.FocusReason.TabFocusReason)
                # On what Enter in the box opens, the best found (row 0, or the open
                # article, was selected: Down then Enter opened another than Enter did).
                if (best := self._best_found()) is not None:
                    self.table.selectRow(self.model.row_of(best))
                elif not self.table.selectionModel().selectedRows():
                    self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def _searched_now(self) -> None:
        """The list as the search box says, now (it follows 200 ms after the last key)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.filterChanged.emit()

    def _open_first_found(self) -> None:
        """Open what the search ranks first among the rows shown ("#15" article 15, which
        the list shows after 6, whose text holds "15")."""
        self._searched_now()
        if self.model.rows:
            self.articleChosen.emit(self._best_found() or self.model.rows[0].id)
            self.searchAccepted.emit()

    def _best_found(self) -> int | None:
        """What the search ranks first among the rows shown (None without a search)."""
        shown = {row.id for row in self.model.rows}
        return next((i for i in self._ranked if i in shown), None)

    def _row_clicked(self, index: QModelIndex) -> None:
        article_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if article_id is not None:
            self.articleChosen.emit(article_id)

    # -- the order of the list -------------------------------------------------------------

    def step_from(self, article_id: int | None, step: int) -> int | None:
        """The article ``step`` rows from ``article_id`` (Next / Previous), or ``None``."""
        rows = self.model.rows
        if not rows:
            return None
        if article_id is None:
            return rows[0].id
        row = self.model.row_of(article_id)
        if row < 0:  # filtered out: continue from where it would stand in id order
            row = next((i for i, r in enumerate(rows) if r.id > article_id), len(rows))
            row -= 1 if step > 0 else 0
        target = row + step
        return rows[target].id if 0 <= target < len(rows) else None

    def next_not_done(self, article_id: int) -> int | None:
        """The next article after ``article_id`` not done, round the list."""
        rows = self.model.rows
        start = self.model.row_of(article_id)
        for offset in range(1, len(rows) + 1):
            row = rows[(start + offset) % len(rows)]
            if row.status != "done":
                return row.id
        return None

    def following(self, article_id: int) -> int | None:
        """The next row's article (worth reading ahead), if there is one."""
        rows = self.model.rows
        row = self.model.row_of(article_id)
        return rows[row + 1].id if 0 <= row < len(rows) - 1 else None

    def first_to_open(self, remembered: str) -> int | None:
        """Where the annotator left off, else the first article not done or skipped."""
        if remembered.isdigit() and self.model.row_of(int(remembered)) >= 0:
            return int(remembered)
        for row in self.model.rows:
            if row.status not in ("done", "skipped"):
                return row.id
        return self.model.rows[0].id if self.model.rows else None
