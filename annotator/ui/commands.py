"""Undo commands: the only path by which the windows change spans and statuses.

``SpanChange`` (``span_commands.py``) changes the spans, ``LinkChange``
(``link_commands.py``) what a span refers to, the same way, and the review window's
``GoldChange`` (``gold_commands.py``) its gold version. A command writes first and shows
after: ``write(forward)`` does its writes in one transaction through the ``Store`` and raises
if they fail; only then does ``show(forward)`` tell the window what changed, so nothing is
shown as done before it is on disk. A write that fails (the project busy, read-only or full,
or the span changed in another window) changes nothing: ``EditHistory`` (``ui/history.py``)
does not move the undo stack (an undo or redo that can never succeed leaves it,
``FOR_GOOD``), and the window says why and shows what is stored.

Commands refuse rather than touch a span that is no longer the one they made: each write
names the span it expects (``expected=``), and a span another window changed or deleted
stops the command. A span that redo adds again gets a new id from the store; ``SpanIds``
remembers where it went, so later commands find it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.storage import ArticleConflict, SpanConflict, StorageError, Store


class ChangedElsewhere(AnnotatorError):
    """What a command would undo or redo is no longer what it left: another window (or
    program) changed it."""


#: What a failed write raises: the store's errors (``SpanConflict``, ``ProjectBusy``,
#: ``ReadOnlyProject``, ``DiskFull``...) and a command's own check. Anything else is a bug
#: and stays loud.
WRITE_ERRORS: tuple[type[BaseException], ...] = (StorageError, ChangedElsewhere)

#: The failures that trying again can never mend: what the step would change was changed or
#: deleted elsewhere. Such a step leaves the undo history (``EditHistory``), so that the
#: steps before it can still be undone.
FOR_GOOD: tuple[type[BaseException], ...] = (SpanConflict, ArticleConflict, ChangedElsewhere)


def failure_message(error: BaseException, reading: str = "") -> str:
    """One line for the annotator: why the edit was not made (``reading``: what was being
    read and was not, "it" for an article to open: "Not saved" said of it was untrue)."""
    if reading:
        verb = "open" if reading == "it" else "read"
        return f"Could not {verb} {reading}: {str(error).rstrip('.')}."
    if isinstance(error, AnnotatorError):
        return f"Not saved: {str(error).rstrip('.')}."
    return f"Not saved: the project could not be written ({error})."


class EditListener(Protocol):
    """What a command tells: the window redraws from this, or says why nothing changed."""

    def spans_changed(self, article_id: int, removed: list[Span], added: list[Span]) -> None: ...

    def status_changed(self, article_id: int, status: str) -> None: ...

    def edit_failed(self, message: str) -> None: ...


class SpanIds:
    """Where each span the history knows now lives: a span added again (redo of a delete,
    undo of a replacement) gets a new id, and commands made before still name the old one."""

    def __init__(self) -> None:
        self._moved: dict[int, int] = {}

    def current(self, span_id: int | None) -> int | None:
        while span_id in self._moved:
            span_id = self._moved[span_id]
        return span_id

    def moved(self, old: int | None, new: int | None) -> None:
        if old is not None and new is not None and old != new:
            self._moved[old] = new
            self._moved.pop(new, None)  # a live id is never redirected

    def moved_many(self, moves: dict[int, int]) -> None:
        """``moved`` for many spans at once (the copies of an article's suggestions)."""
        self._moved.update(moves)
        for new in moves.values():
            self._moved.pop(new, None)

    def resolve(self, span: Span) -> Span:
        span_id = self.current(span.id)
        return span if span_id == span.id else replace(span, id=span_id)

    def clear(self) -> None:
        self._moved.clear()


class StoreCommand(QUndoCommand):
    """A command that writes (``write``) and then shows (``show``); see the module docstring.

    ``EditHistory`` writes before it moves the stack, so a failed write moves nothing.
    When Qt calls ``redo``/``undo`` itself (``QUndoStack.undo()``), a failed write makes the
    command obsolete: the stack drops it, and stays consistent with the store.
    """

    def __init__(self, text: str, listener: EditListener):
        super().__init__(text)
        self.listener = listener
        self._written: bool | None = None  # the direction already written, not yet shown
        self.dropped = False  # an undo or redo failed for good (``try_write``)
        #: What is out of reach once the history is cleared, to say so ("" for nothing).
        self.lost_with_history = ""

    def write(self, forward: bool) -> None:
        raise NotImplementedError

    def show(self, forward: bool) -> None:
        raise NotImplementedError

    def labels_named(self) -> set[str] | None:
        """The span labels an undo or redo of this step would write (``None``: any, as a
        change of the scheme may). Their rename elsewhere clears the history
        (``EditHistory.forget_if_labels_gone``)."""
        return set()

    def try_write(self, forward: bool, on_stack: bool = False) -> bool:
        """Write one way; on failure tell the listener why and return ``False``.

        ``on_stack``: an undo or redo of a kept step. If it failed for good (``FOR_GOOD``),
        ``dropped`` is set and the message says the step leaves the history.
        """
        try:
            self.write(forward)
        except WRITE_ERRORS as error:
            message = failure_message(error)
            self.dropped = on_stack and isinstance(error, FOR_GOOD)
            if self.dropped:
                verb = "redone" if forward else "undone"
                message += f" That step cannot be {verb}: it leaves the undo history."
            self.listener.edit_failed(message)
            return False
        self._written = forward
        return True

    def redo(self) -> None:
        self._run(True)

    def undo(self) -> None:
        self._run(False)

    def _run(self, forward: bool) -> None:
        if self._written != forward and not self.try_write(forward):
            self.setObsolete(True)
            return
        self._written = None
        self.show(forward)


class StatusChange(StoreCommand):
    """Set an article's status for the annotator (done, skipped, flagged, ...)."""

    def __init__(
        self,
        store: Store,
        listener: EditListener,
        article_id: int,
        annotator: str,
        status: str,
        comment: str | None = None,
        was: str | None = None,
    ):
        """``was``: the status it replaces, when a command before it in its group sets
        one first (the review's gold, saved "in progress" then marked reviewed)."""
        super().__init__(f"mark {status}", listener)
        self.store = store
        self.article_id = article_id
        self.annotator = annotator
        previous = store.status(article_id, annotator)
        self.before = (was or previous.status, previous.comment)
        self.after = (status, previous.comment if comment is None else comment)
        self._first = True

    def write(self, forward: bool) -> None:
        expected, (status, comment) = (
            (self.before, self.after) if forward else (self.after, self.before)
        )
        with self.store.transaction():
            stored = self.store.status(self.article_id, self.annotator).status
            if not self._first and stored != expected[0]:
                raise ChangedElsewhere(
                    f"article {self.article_id} is {stored.replace('_', ' ')} now "
                    "(changed in another window)"
                )
            self.store.set_status(self.article_id, self.annotator, status, comment)
        self._first = False

    def show(self, forward: bool) -> None:
        self.listener.status_changed(self.article_id, (self.after if forward else self.before)[0])


class CommandGroup(StoreCommand):
    """Several commands as one undo step, written in one transaction (all or nothing)."""

    def __init__(
        self, store: Store, listener: EditListener, text: str, parts: Sequence[StoreCommand]
    ):
        super().__init__(text, listener)
        self.store = store
        self.parts = list(parts)

    def write(self, forward: bool) -> None:
        with self.store.transaction():
            for part in self.parts if forward else reversed(self.parts):
                part.write(forward)

    def show(self, forward: bool) -> None:
        for part in self.parts if forward else reversed(self.parts):
            part.show(forward)

    def labels_named(self) -> set[str] | None:
        named: set[str] = set()
        for part in self.parts:
            labels = part.labels_named()
            if labels is None:
                return None
            named |= labels
        return named
