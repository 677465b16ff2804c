"""The review window follows the project file while others work on it.

Another reviewer saves gold, an annotator changes an article they had marked done, a label
is recoloured or added, new articles become ready for review: the window sees each within
``POLL_MS`` (SQLite's ``PRAGMA data_version``, as the annotation window does, through
``ProjectWatcher``) and shows it, staying on the disagreement the reviewer was looking at.

The open article is read again at once (a few milliseconds) and redrawn only if it changed.
The article list is ranked again once the file has been quiet for ``LIST_QUIET_MS``: ranking
a large project takes a few hundred milliseconds, too long to repeat on every commit of
every annotator at work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from annotator.core.model import Label
from annotator.review.adjudication import open_review
from annotator.ui.commands import WRITE_ERRORS
from annotator.ui.history import action_text
from annotator.ui.review_claims import Item
from annotator.ui.watcher import ProjectWatcher
from annotator.ui.widgets import Act

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow

#: The article list is ranked again after the file has been this quiet (ms).
LIST_QUIET_MS = 1000


def gold_label_rows(labels: Sequence[Label]) -> list[Act]:
    """Ctrl+1, 2, 3…: label the gold lane's selection (one action per label, in order)."""
    return [
        Act(
            f"reviewLabel_{label.name}",
            f"Gold: {action_text(label.name)}",
            (f"Ctrl+{position}",),
            lambda w, name=label.name: w.label_gold_selection(name),
        )
        for position, label in enumerate(labels, start=1)
    ]


def same_place(items: Sequence[Item], previous: Item | None) -> int:
    """Where ``previous`` is among ``items`` after a reload: the same disagreement (kind,
    layer and extent), else the first one that overlaps it, else the first one after it."""
    if previous is None or not items:
        return 0
    for index, item in enumerate(items):
        if _place(item) == _place(previous):
            return index
    for index, item in enumerate(items):
        if item.start < previous.end and previous.start < item.end:
            return index
    following = [i for i, item in enumerate(items) if item.start >= previous.start]
    return following[0] if following else len(items) - 1


def _place(item: Item) -> tuple[str, str, int, int]:
    return (type(item).__name__, getattr(item, "layer", ""), item.start, item.end)


class ReviewFollower(QObject):
    """Polls the project for ``window`` and reloads what others changed."""

    def __init__(self, window: ReviewWindow):
        super().__init__(window)
        self.window = window
        self.watcher = ProjectWatcher(self, lambda: window.store)
        self.watcher.changed.connect(self.changed)
        self._list_soon = QTimer(self, singleShot=True, interval=LIST_QUIET_MS)
        self._list_soon.timeout.connect(self.refresh_list)

    def changed(self) -> None:
        """Another connection committed: the labels and the open article now, the list
        when the file is quiet."""
        try:
            self.reload_labels()
            self.reload_article()
        except WRITE_ERRORS:  # busy, or gone: the next change will tell
            return
        self._list_soon.start()

    def reload_labels(self) -> None:
        """The label scheme as the project holds it now, if another window changed it: the
        lanes' colours and the gold lane's Ctrl+1, 2, 3… actions."""
        window = self.window
        labels = window.store.labels()
        if labels == window.labels:
            return
        window.labels = labels
        window.kinds = {label.name: label.kind for label in labels}
        for name, action in window.label_actions.items():
            window.removeAction(action)
            window.named_actions.pop(name, None)
            action.deleteLater()
        window.label_actions = window.add_actions(gold_label_rows(labels))
        window.lanes.set_labels(labels)

    def reload_article(self) -> None:
        """Read the open article again; redraw it, on the same disagreement, if it changed."""
        window = self.window
        review = window.review
        if review is None or review.article.id is None:
            return
        fresh = open_review(window.store, review.article.id)
        if (
            fresh.versions == review.versions
            and sorted(s.key for s in fresh.gold) == sorted(s.key for s in window.gold)
            and fresh.gold_saved == review.gold_saved
            and fresh.kinds == review.kinds
        ):
            return
        window.show_review(fresh, keep=window.current_disagreement())
        window.statusBar().showMessage("Changed in another window: shown as saved now", 5000)

    def refresh_list(self) -> None:
        window = self.window
        try:
            window.refresh_articles()
        except WRITE_ERRORS:
            self._list_soon.start()
            return
        if window.review is None:  # nothing was ready to review; perhaps something is now
            first = window.first_to_review()
            if first is not None:
                window.open_article(first)

    def stop(self) -> None:
        self.watcher.stop()
        self._list_soon.stop()
