"""The undo command that changes what a span refers to (``L`` in the annotation window),
written and shown as every command is (``commands.py``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from annotator.core.editing import edited
from annotator.core.model import Span
from annotator.storage import Store
from annotator.storage.links import LINKED, set_span_link, stored_status
from annotator.ui.commands import SpanIds, StoreCommand


class LinkListener(Protocol):
    """Who is told of a link change (``ui/entity_links.py``)."""

    def link_changed(self, article_id: int, span: Span, status: str) -> None: ...

    def edit_failed(self, message: str) -> None: ...


class LinkChange(StoreCommand):
    """Make a span refer to another entry (``after``; ``""``: to none), or back.

    Refused, with nothing written, when the span is no longer as the command saw it: deleted,
    moved or relabelled, or linked to something else, in another window.
    """

    def __init__(
        self,
        store: Store,
        listener: LinkListener,
        ids: SpanIds,
        article_id: int,
        span: Span,
        after: str,
        text: str,
        status_after: str = "",
    ):
        """``status_after``: the verdict with no entry ("unknown": the annotator found the
        place or group missing from the gazetteer or the actors)."""
        super().__init__(text, listener)  # type: ignore[arg-type]
        self.link_listener = listener
        self.store = store
        self.ids = ids
        self.article_id = article_id
        self.span = span  # as it was; its kb_id the entry before
        self.after = after
        self.status_after = status_after or LINKED
        self.before_status = ""  # the link status before, read when first written

    def write(self, forward: bool) -> None:
        before, after = (self.span.kb_id, self.after) if forward else (self.after, self.span.kb_id)
        span = self.ids.resolve(self.span)
        assert span.id is not None
        expected = (span.start, span.end, span.label, before)
        status = self.status_after if forward else self.before_status
        # A suggestion linked elsewhere is a corrected one (it stayed "suggested", and the
        # usage figures counted it accepted); the undo makes it the model's again.
        origin = self._origin(forward)
        _, had = set_span_link(self.store, span.id, after, status, expected=expected, origin=origin)
        if forward:
            self.before_status = had  # "ambiguous" comes back with the undo

    def _origin(self, forward: bool) -> str:
        """A suggestion linked as it was suggested is the model's again (relinked back, it
        read "corrected" while the usage figures counted it accepted)."""
        if not forward:
            return self.span.origin
        if self.span.origin in ("model", "edited") and self._as_suggested():
            return "model"
        return edited(self.span).origin

    def _as_suggested(self) -> bool:
        span = self.span
        suggested = self.store.suggested_link(self.article_id, span.start, span.end, span.label)
        if suggested is None:
            return False
        kb_id, status = suggested
        now = (self.after, stored_status(self.after, self.status_after))
        return now == (kb_id, stored_status(kb_id, status))

    def show(self, forward: bool) -> None:
        kb_id = self.after if forward else self.span.kb_id
        status = stored_status(kb_id, self.status_after if forward else self.before_status)
        # The span on screen as stored: its old status came back with a Del undone.
        span = replace(
            self.ids.resolve(self.span),
            kb_id=kb_id,
            link_status=status,
            origin=self._origin(forward),
        )
        self.link_listener.link_changed(self.article_id, span, status)

    def labels_named(self) -> set[str] | None:
        return {self.span.label}
