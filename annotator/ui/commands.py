"""Undo commands: the only path by which the window changes spans and statuses.

Each command writes through the ``Store`` (one committed transaction) and then tells the
window what changed, so nothing is shown as done before it is on disk. Undo is the same
change in reverse, so one command class serves add, delete, relabel and resize.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Span
from annotator.review.adjudication import save_gold
from annotator.storage import Store


class EditListener(Protocol):
    """What a command tells after it wrote: the window redraws from this."""

    def spans_changed(self, article_id: int, removed: list[Span], added: list[Span]) -> None: ...

    def status_changed(self, article_id: int, status: str) -> None: ...


class SpanChange(QUndoCommand):
    """Replace ``before`` spans by ``after`` spans in one article of one annotator.

    Spans present on both sides with the same id are updated in place (one ``update``
    event); the others are deleted or added. Added spans keep their id across redo.
    """

    def __init__(
        self,
        store: Store,
        listener: EditListener,
        article_id: int,
        annotator: str,
        before: list[Span],
        after: list[Span],
        text: str,
    ):
        super().__init__(text)
        self.store = store
        self.listener = listener
        self.article_id = article_id
        self.annotator = annotator
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.after = self._apply(self.before, self.after)

    def undo(self) -> None:
        self.before = self._apply(self.after, self.before)

    def _apply(self, old: list[Span], new: list[Span]) -> list[Span]:
        new_ids = {s.id for s in new if s.id is not None}
        stored: list[Span] = []
        with self.store.transaction():
            for span in old:
                if span.id not in new_ids:
                    self.store.delete_span(span.id)  # type: ignore[arg-type]
            old_ids = {s.id for s in old}
            for span in new:
                if span.id is not None and span.id in old_ids:
                    stored.append(
                        self.store.update_span(
                            span.id, span.start, span.end, span.label, span.origin
                        )
                    )
                else:
                    stored.append(self.store.add_span(self.article_id, self.annotator, span))
        self.listener.spans_changed(self.article_id, old, stored)
        return stored


class StatusChange(QUndoCommand):
    """Set an article's status for the annotator (done, skipped, flagged, ...)."""

    def __init__(
        self,
        store: Store,
        listener: EditListener,
        article_id: int,
        annotator: str,
        status: str,
        comment: str | None = None,
    ):
        super().__init__(f"mark {status}")
        self.store = store
        self.listener = listener
        self.article_id = article_id
        self.annotator = annotator
        previous = store.status(article_id, annotator)
        self.before = (previous.status, previous.comment)
        self.after = (status, previous.comment if comment is None else comment)

    def redo(self) -> None:
        self._apply(*self.after)

    def undo(self) -> None:
        self._apply(*self.before)

    def _apply(self, status: str, comment: str) -> None:
        self.store.set_status(self.article_id, self.annotator, status, comment)
        self.listener.status_changed(self.article_id, status)


class GoldChange(QUndoCommand):
    """Replace an article's gold version (``before`` → ``after``), saved at once."""

    def __init__(
        self,
        store: Store,
        on_saved: Callable[[int, list[Span]], None],
        article_id: int,
        before: list[Span],
        after: list[Span],
        text: str,
    ):
        super().__init__(text)
        self.store = store
        self.on_saved = on_saved
        self.article_id = article_id
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.on_saved(self.article_id, save_gold(self.store, self.article_id, self.after))

    def undo(self) -> None:
        self.on_saved(self.article_id, save_gold(self.store, self.article_id, self.before))
