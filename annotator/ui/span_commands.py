"""The undo command of a span edit in the annotation window: ``before`` spans replaced by
``after`` ones, written and shown as every command is (``commands.py``), with the relations
and attribute values the spans it deletes or relabels take along, given back by the write
the other way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.core.editing import SpanEdit
from annotator.core.model import Span
from annotator.core.relations import Relation, RelationError, SpanLinks, carried_over
from annotator.storage import Store
from annotator.ui.commands import EditListener, SpanIds, StoreCommand

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


class SpanChange(StoreCommand):
    """Replace ``before`` spans by ``after`` spans in one article of one annotator.

    Spans present on both sides with the same id are updated in place (one ``update``
    event); the others are deleted or added.

    A span deleted or relabelled takes its relations and attribute values with it (the
    store's triggers); each write reads them first (``Store.span_links``) and the write
    the other way puts back exactly those it took, relation ids included, pointing to the
    spans where they now are. A claim's source replaced by a new span holding it is that
    span at the first write (``carried``); later writes put that back as the rest.
    """

    def __init__(
        self,
        store: Store,
        listener: EditListener,
        ids: SpanIds,
        article_id: int,
        annotator: str,
        before: list[Span],
        after: list[Span],
        text: str,
    ):
        super().__init__(text, listener)
        self.store = store
        self.ids = ids
        self.article_id = article_id
        self.annotator = annotator
        self.before = before
        self.after = after
        self._shown: tuple[list[Span], list[Span]] = ([], [])
        self._taken: dict[bool, SpanLinks] = {}  # what the last write each way took along
        #: The relations the first write moved from spans it replaced to the new span
        #: holding them (``carried_over``), and those it could not (the scheme refused).
        self.carried: list[Relation] = []
        self.dropped: list[Relation] = []

    @classmethod
    def of_open_article(cls, window: MainWindow, edit: SpanEdit) -> SpanChange:
        """``edit`` of the article open in ``window``, by its annotator."""
        assert window.current is not None
        return cls(
            window.store,
            window,
            window.history.ids,
            window.current.id,
            window.annotator,
            edit.removed,
            edit.added,
            edit.description,
        )

    def write(self, forward: bool) -> None:
        old, new = (self.before, self.after) if forward else (self.after, self.before)
        first = forward and not self._taken
        removed, stored, taken = self._apply(
            old, new, self._taken.get(not forward, SpanLinks()), carry=first
        )
        self._taken = {forward: taken}
        if forward:
            self.after = stored
        else:
            self.before = stored
        self._shown = (removed, stored)

    def show(self, forward: bool) -> None:
        self.listener.spans_changed(self.article_id, *self._shown)

    def labels_named(self) -> set[str] | None:
        return {span.label for span in (*self.before, *self.after)}

    def _apply(
        self, old: list[Span], new: list[Span], restore: SpanLinks, carry: bool = False
    ) -> tuple[list[Span], list[Span], SpanLinks]:
        ids = self.ids
        old = [ids.resolve(span) for span in old]
        old_by_id = {span.id: span for span in old}
        kept_ids = {ids.current(span.id) for span in new if span.id is not None}
        stored: list[Span] = []
        moves: list[tuple[int | None, int | None]] = []  # noted once the write committed
        with self.store.transaction():
            links = self.store.span_links(s.id for s in old if s.id is not None)
            for span in old:
                if span.id not in kept_ids:
                    self.store.delete_span(span.id, expected=span)  # type: ignore[arg-type]
            for span in new:
                span_id = ids.current(span.id)
                if span_id is not None and span_id in old_by_id:
                    stored.append(
                        self.store.update_span(
                            span_id,
                            span.start,
                            span.end,
                            span.label,
                            span.origin,
                            expected=old_by_id[span_id],
                            # only an entry this edit changes (a relabel drops it, its undo
                            # gives it back): another window may have linked it meanwhile
                            kb_id=span.kb_id if span.kb_id != old_by_id[span_id].kb_id else None,
                            # the linker's verdict a relabel dropped ("generic"), given back
                            link_status=span.link_status
                            if span.link_status != old_by_id[span_id].link_status
                            else None,
                        )
                    )
                else:
                    added = self.store.add_span(
                        self.article_id, self.annotator, replace(span, id=None), was=span_id
                    )
                    # By the id it had last (a suggestion's copy, not the suggestion): the
                    # links this write restores name that one.
                    moves.append((span_id, added.id))
                    stored.append(added)
            if restore:
                moved = {before: after for before, after in moves if before is not None}
                self.store.restore_links(
                    self.article_id,
                    self.annotator,
                    _moved_links(restore, lambda i: moved.get(i) or ids.current(i) or i),
                )
            if carry:  # (later writes put them back as they put back what they took)
                gone = {i: s for i, s in old_by_id.items() if i is not None and i not in kept_ids}
                self._carry(links, gone, stored)
            taken = _taken(links, self.store.span_links(kept_ids & set(old_by_id)))  # type: ignore[arg-type]
        for before, after in moves:
            ids.moved(before, after)
        return old, stored, taken

    def _carry(self, links: SpanLinks, gone: dict[int, Span], stored: list[Span]) -> None:
        """A claim's source the edit replaced by a span holding it: that span is the source
        now, where the scheme allows its label; ``dropped``: the claims left without it."""
        added = [span for span in stored if span.id not in gone]
        moved: set[int | None] = set()
        self.carried = []  # (a first write refused and tried again counted them twice)
        for relation, carried in carried_over(links.relations, gone, added):
            try:
                self.store.add_relation(self.article_id, self.annotator, carried)
            except RelationError:
                continue
            self.carried.append(carried)
            moved.add(relation.id)
        self.dropped = [
            r
            for r in links.relations
            if r.child in gone and r.head not in gone and r.id not in moved
        ]


def _moved_links(links: SpanLinks, where: Callable[[int], int]) -> SpanLinks:
    """``links`` pointing to the spans where they are now (``where``: old id → id)."""
    return SpanLinks(
        tuple(replace(r, head=where(r.head), child=where(r.child)) for r in links.relations),
        tuple(replace(v, span=where(v.span)) for v in links.attributes),
    )


def _taken(before: SpanLinks, after: SpanLinks) -> SpanLinks:
    """The links of ``before`` that are not in ``after`` (an edit took them along)."""
    relations = {r.id for r in after.relations}
    values = {(v.span, v.name, v.value) for v in after.attributes}
    return SpanLinks(
        tuple(r for r in before.relations if r.id not in relations),
        tuple(v for v in before.attributes if (v.span, v.name, v.value) not in values),
    )
