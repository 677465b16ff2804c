"""The review window follows the project file while others work on it.

Another reviewer saves gold, an annotator changes an article they had marked done, a label
is recoloured or added, new articles become ready for review: the window sees each within
``POLL_MS`` (SQLite's ``PRAGMA data_version``, as the annotation window does, through
``ProjectWatcher``) and shows it, staying on the disagreement the reviewer was looking at.
A change of the scheme made in this program's own Labels dialog shares the review's
connection, so ``data_version`` does not move: the dialog calls ``follow_scheme`` itself.

The open article is read again at once (a few milliseconds) and redrawn only if it changed.
The article list is ranked again once the file has been quiet for ``LIST_QUIET_MS``: ranking
a large project takes a few hundred milliseconds, too long to repeat on every commit of
every annotator at work.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from annotator.core.model import GOLD, Label, Span
from annotator.core.relations import ClaimWork
from annotator.review.adjudication import open_review
from annotator.review.claims import claim_scheme
from annotator.storage.links import project_actors
from annotator.storage.rescue import rescued_note
from annotator.ui.commands import WRITE_ERRORS
from annotator.ui.gold_commands import claim_work_keys, linked_keys
from annotator.ui.review_claims import Item
from annotator.ui.review_layout import show_notes
from annotator.ui.review_links import EntryNames
from annotator.ui.watcher import ProjectWatcher
from annotator.ui.widgets import Act, action_text

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow

#: The article list is ranked again after the file has been this quiet (ms)...
LIST_QUIET_MS = 1000
#: ... or this long after the first change it waits on: a team at work never leaves the
#: file quiet for a second, and a change written every 0.4 s kept the list unranked.
LIST_LONGEST_MS = 4000
#: The annotation window beside it edits: followed once its edits pause this long.
OWN_EDITS_MS = 300


def gold_keys(labels: Sequence[Label]) -> dict[str, str]:
    """The key of each label in the gold lane: Ctrl and its place in the scheme (1–9, then
    0); labels past the tenth have none. Not the label's own key: Ctrl + a letter is the
    window's (Ctrl+W closes, Ctrl+Z undoes)."""
    places = [*"1234567890"]
    return {
        label.name: f"Ctrl+{places[i]}" if i < len(places) else "" for i, label in enumerate(labels)
    }


def gold_label_rows(labels: Sequence[Label]) -> list[Act]:
    """Ctrl+1, 2, 3…: label the gold lane's selection (one action per label, in order)."""
    keys = gold_keys(labels)
    return [
        Act(
            f"reviewLabel_{label.name}",
            f"Gold: {action_text(label.name)}",
            (keys[label.name],) if keys[label.name] else (),
            lambda w, name=label.name: w.gold_editor.label_selection(name),
        )
        for label in labels
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
        self.watcher.rescued.connect(self.rescued)
        self._list_soon = QTimer(self, singleShot=True, interval=LIST_QUIET_MS)
        self._list_soon.timeout.connect(self.refresh_list)
        self._list_waits_since = 0.0  # when the list began to wait (time.monotonic())
        # The annotation window's own edits: on the same connection, no news to the watcher.
        self._own_soon = QTimer(self, singleShot=True, interval=OWN_EDITS_MS)
        self._own_soon.timeout.connect(self.changed)
        self._listed: tuple | None = None  # ``Store.review_list_key`` when last ranked
        self._actors = self._read_actors()  # the project's actors the names were read from

    def _read_actors(self) -> list[dict] | None:
        try:
            return project_actors(self.window.store)
        except WRITE_ERRORS:
            return None

    def changed(self) -> None:
        """Another connection committed: the scheme, the actors' names and the open article
        now, the list when the file is quiet."""
        try:
            if self.follow_scheme():
                self._listed = None  # labels' kinds count in the ranking: rank again
            if self.follow_actors():
                return
            self.reload_article()
        except WRITE_ERRORS:  # busy, or gone: the next change will tell
            return
        self.list_later()

    def follow_actors(self) -> bool:
        """An actor renamed elsewhere (``annotator actors``, another window's Actors…): the
        list names entries anew (it kept the old name until the review was opened again).
        Whether they changed (the list and the article were read again)."""
        window = self.window
        actors = project_actors(window.store)
        if actors == self._actors:
            return False
        self._actors = actors
        window.disagreement_model.entry_name = EntryNames(window.store).name
        window.reload_from_store()
        return True

    def rescued(self) -> None:
        """The project file went from its path, and the work was copied aside
        (``Store.rescue_now``, by this window's look or the annotation window's): say where."""
        store = self.window.store
        if store.path is not None and store.rescued is not None:
            self.window.show_problem(rescued_note(store.path, store.rescued))
        with contextlib.suppress(*WRITE_ERRORS):
            self.reload_article()

    def list_later(self) -> None:
        """Rank the list once the file is quiet, but not later than ``LIST_LONGEST_MS``
        after the first change it waits on."""
        waited = (time.monotonic() - self._list_waits_since) * 1000
        if not self._list_soon.isActive():
            self._list_waits_since = time.monotonic()
            self._list_soon.start()
        elif waited + LIST_QUIET_MS < LIST_LONGEST_MS:
            self._list_soon.start()  # again: the file is not quiet yet

    def follow_scheme(self) -> bool:
        """The scheme as the project holds it now, if it changed: the gold lane's Ctrl+1,
        2, 3… actions, the lanes' colours, and the open article again with the relation
        types and attributes it compares (on the same disagreement). Returns whether it
        changed."""
        window = self.window
        labels = window.store.labels()
        scheme = claim_scheme(window.store)
        if labels == window.labels and scheme == window.claim_scheme:
            return False
        if labels != window.labels:
            # Gold's steps name labels: one renamed in the annotation window or elsewhere
            # would be refused, or redone as a label the scheme no longer has.
            if cleared := window.history.forget_if_labels_gone(window.labels, labels):
                window.show_problem(cleared)
            window.labels = labels
            window.kinds = {label.name: label.kind for label in labels}
            for name, action in window.label_actions.items():
                window.removeAction(action)
                window.named_actions.pop(name, None)
                action.deleteLater()
            window.label_actions = window.add_actions(gold_label_rows(labels))
            window.lanes.set_labels(labels)
        window.claim_scheme = scheme
        window.lanes.set_claim_keys(window.claims.reload_scheme())
        window.lanes.set_relation_types(scheme.relation_types)
        review = window.review
        if review is not None and review.article.id is not None:
            keep = window.current_disagreement()
            window.show_review(open_review(window.store, review.article.id), keep)
        return True

    def reload_article(self) -> None:
        """Read the open article again; redraw it, on the same disagreement, if it changed."""
        window = self.window
        review = window.review
        if review is None or review.article.id is None:
            return
        fresh = open_review(window.store, review.article.id)
        show_notes(window, review.article.id)  # (a comment changed alone was not shown)
        if (
            _work(fresh.versions, fresh.claim_versions)
            == _work(review.versions, review.claim_versions)
            and linked_keys(fresh.gold) == linked_keys(window.gold)
            # (another reviewer's change to gold's sources or values too)
            and claim_work_keys(fresh.gold_claims) == claim_work_keys(window.gold_claims)
            and fresh.gold_saved == review.gold_saved
            and fresh.kinds == review.kinds
        ):
            return
        # (saved gold: before the first save it is what the annotators agree on, and one of
        # them changing their work is no change to gold, in another window or not)
        gold_changed = (fresh.gold_saved or review.gold_saved) and (
            linked_keys(fresh.gold) != linked_keys(window.gold)
            or claim_work_keys(fresh.gold_claims) != claim_work_keys(window.gold_claims)
        )
        window.show_review(fresh, keep=window.current_disagreement())
        if gold_changed:
            # Two reviewers on one article overwrote each other's choices, and a status-bar
            # note of five seconds, naming nobody, was all that said so.
            by = _last_gold_reviewer(window)
            window.show_problem(
                f"Gold of this article was changed in another window{f' by {by}' if by else ''}:"
                " shown as it is saved now"
            )
        else:
            window.statusBar().showMessage("Changed in another window: shown as saved now", 5000)

    def refresh_list(self) -> None:
        """Rank the list again, if what it shows may have changed: a write elsewhere (an
        annotator's span on an article nobody finished) re-ranked 3,000 articles every 4 s,
        freezing the window 0.2–0.4 s each time."""
        window = self.window
        try:
            key = window.store.review_list_key()
            if key == self._listed and window.review is not None:
                return
            window.refresh_articles()
        except WRITE_ERRORS:
            self.list_later()
            return
        self._listed = key
        if window.review is None:  # nothing was ready to review; perhaps something is now
            first = window.first_to_review()
            if first is not None:
                window.open_article(first)

    def own_edit(self) -> None:
        """The annotation window beside this one wrote (it shares the connection, so the
        watcher never sees it): follow as for another program's write, once the edits pause."""
        if self.window.isVisible():
            self._own_soon.start()

    def catch_up(self) -> None:
        """The window shown again after it was closed: follow the file again, and show what
        changed meanwhile (it had stopped looking)."""
        self.watcher.resume()
        self.changed()
        self._list_soon.stop()  # ranked now: not again a second later
        self.refresh_list()

    def stop(self) -> None:
        self.watcher.stop()
        self._list_soon.stop()


def _work(versions: dict[str, list[Span]], claims: dict[str, ClaimWork]) -> tuple:
    """The annotators' work as the review compares it: spans with their entries, and
    claims' sources and values (an annotator's late Q or D on a claim did not show)."""
    return (
        {who: linked_keys(spans) for who, spans in versions.items()},
        {who: claim_work_keys(work) for who, work in claims.items()},
    )


def _last_gold_reviewer(window: ReviewWindow) -> str:
    """Who saved the open article's gold last (the ``by`` of its latest gold event)."""
    review = window.review
    if review is None or review.article.id is None:
        return ""
    events = window.store.events(review.article.id, GOLD)
    return str(events[-1]["payload"].get("by", "")) if events else ""
