"""Undo commands for who claims what: a claim's sources (relations) and its attribute values.

Like every command (``commands.py``) they write first and show after, each edit one undo
step. They name spans by id through the history's ``SpanIds``, so an undo still finds a
span that an undo or redo of a span edit added back under a new id; relations keep their
ids (the store gives an id back to the relation it had).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Protocol

from annotator.core.relations import AttributeValue, Relation, SchemeError
from annotator.storage import Store
from annotator.ui.commands import ChangedElsewhere, EditListener, SpanIds, StoreCommand
from annotator.ui.span_commands import SpanChange


class ClaimListener(EditListener, Protocol):
    def claims_changed(self, article_id: int) -> None: ...


class RelationChange(StoreCommand):
    """Remove relations ``removed`` and add ``added`` (one annotator, one article).

    ``made_by``: a ``SpanChange`` in the same ``CommandGroup``, written first, that adds
    the span at the ``made_end`` (``child`` or ``head``) of the added relations (a source
    made from selected words); its id is known only once it is written.
    """

    def __init__(
        self,
        store: Store,
        listener: ClaimListener,
        ids: SpanIds,
        article_id: int,
        annotator: str,
        added: Sequence[Relation],
        removed: Sequence[Relation],
        text: str,
        made_by: SpanChange | None = None,
        made_end: str = "child",
    ):
        super().__init__(text, listener)
        self.claim_listener = listener
        self.store = store
        self.ids = ids
        self.article_id = article_id
        self.annotator = annotator
        self.added = list(added)
        self.removed = list(removed)
        self.made_by = made_by
        self.made_end = made_end

    def _resolve(self, relation: Relation) -> Relation:
        current = self.ids.current
        return replace(relation, head=current(relation.head), child=current(relation.child))  # type: ignore[arg-type]

    def _stored(self, relation: Relation) -> Relation:
        """``relation`` with its id as stored: a suggested one shown before the article was
        started has none until the start copied it, and one copied by a start that was
        undone and redone has another (the copy made again): it is found by its ends."""
        held = self.store.relations(self.article_id, self.annotator)
        if relation.id is not None and any(h.id == relation.id for h in held):
            return relation
        wanted = self._resolve(relation)
        for stored in held:
            if (stored.head, stored.child, stored.label) == (
                wanted.head,
                wanted.child,
                wanted.label,
            ):
                return replace(relation, id=stored.id)
        raise ChangedElsewhere(f"this {relation.label} link was removed elsewhere")

    def write(self, forward: bool) -> None:
        if forward and self.made_by is not None:
            made = self.made_by.after[0].id
            assert made is not None
            self.added = [replace(r, **{self.made_end: made}) for r in self.added]  # type: ignore[arg-type]
            self.made_by = None
        gone, back = (self.removed, self.added) if forward else (self.added, self.removed)
        store, article_id, annotator = self.store, self.article_id, self.annotator
        types = {t.name for t in store.relation_types()}
        for relation in back:
            if relation.label not in types:
                raise ChangedElsewhere(
                    f"the relation type {relation.label} was renamed or deleted elsewhere"
                )
        with store.transaction(), scheme_changed_elsewhere():
            for relation in gone:
                relation = self._stored(relation)
                store.delete_relation(
                    relation.id,  # type: ignore[arg-type]
                    expected=self._resolve(relation),
                    article_id=article_id,
                    annotator=annotator,
                )
            stored = [
                store.add_relation(article_id, annotator, self._resolve(relation))
                for relation in back
            ]
        if forward:
            self.added = stored
        else:
            self.removed = stored

    def show(self, forward: bool) -> None:
        self.claim_listener.claims_changed(self.article_id)


class AttributeChange(StoreCommand):
    """Set (or clear, ``None``: the default) one attribute of one span: ``before`` →
    ``after``."""

    def __init__(
        self,
        store: Store,
        listener: ClaimListener,
        ids: SpanIds,
        article_id: int,
        annotator: str,
        span_id: int,
        name: str,
        before: AttributeValue | None,
        after: AttributeValue | None,
        text: str,
    ):
        super().__init__(text, listener)
        self.claim_listener = listener
        self.store = store
        self.ids = ids
        self.article_id = article_id
        self.annotator = annotator
        self.span_id = span_id
        self.name = name
        self.before = before
        self.after = after

    def write(self, forward: bool) -> None:
        expected, value = (self.before, self.after) if forward else (self.after, self.before)
        span_id = self.ids.current(self.span_id)
        assert span_id is not None
        store, article_id, annotator = self.store, self.article_id, self.annotator
        if self.name not in {t.name for t in store.attribute_types()}:
            raise ChangedElsewhere(f"the attribute {self.name} was renamed or deleted elsewhere")
        with store.transaction(), scheme_changed_elsewhere():
            held = store.attribute_value(span_id, self.name)
            if _value(held) != _value(expected):
                raise ChangedElsewhere(
                    f"the {self.name} of this claim was changed elsewhere (it is "
                    f"{_value(held) or 'the default'} now)"
                )
            if value is None:
                store.clear_attribute(
                    span_id, self.name, article_id=article_id, annotator=annotator
                )
            else:
                store.set_attribute(
                    span_id,
                    self.name,
                    value.value,
                    value.origin,
                    article_id=article_id,
                    annotator=annotator,
                )

    def show(self, forward: bool) -> None:
        self.claim_listener.claims_changed(self.article_id)


@contextmanager
def scheme_changed_elsewhere() -> Iterator[None]:
    """A step the scheme no longer allows (a type's labels or values changed in another
    window or program since) is changed elsewhere: refused, and it leaves the history."""
    try:
        yield
    except SchemeError as error:
        raise ChangedElsewhere(f"{error} (the scheme was changed elsewhere)") from None


def _value(value: AttributeValue | None) -> str | None:
    return value.value if value is not None else None
