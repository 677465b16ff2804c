"""The review window's undo command: the gold version of an article replaced and saved at
once, refused when another reviewer changed it meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from annotator.core.model import GOLD, Span
from annotator.core.relations import ClaimWork
from annotator.review.adjudication import save_gold
from annotator.storage import Store
from annotator.ui.commands import ChangedElsewhere, EditListener, StoreCommand


class GoldListener(EditListener, Protocol):
    def gold_written(self, article_id: int, spans: list[Span], focus: int | None) -> None: ...


class GoldChange(StoreCommand):
    """Replace an article's gold version (``before`` → ``after``), saved at once.

    ``disagreement`` is the one the change settles: undo makes it current again, redo
    moves on to the next, as the choice did. ``saved`` says whether gold was stored
    before (else the window showed the agreed spans, and the store holds none).
    ``claims_before`` / ``claims_after``: gold's relations and attribute values on each
    side (by value), so that undo puts back those a change of spans took away; without
    them gold keeps the ones it has on the spans it keeps.
    """

    def __init__(
        self,
        store: Store,
        listener: GoldListener,
        article_id: int,
        before: list[Span],
        after: list[Span],
        text: str,
        saved: bool = True,
        disagreement: int | None = None,
        claims_before: ClaimWork | None = None,
        claims_after: ClaimWork | None = None,
    ):
        super().__init__(text, listener)
        self.gold_listener = listener
        self.store = store
        self.article_id = article_id
        self.before = before
        self.after = after
        self.saved = saved
        #: Whether gold was first saved by this change: its undo takes the gold version
        #: away whole, status and all (the agreed spans saved as gold stayed, "in
        #: progress", and the default export then left the article out).
        self.makes_gold = not saved
        self.disagreement = disagreement
        self.claims_before = claims_before
        self.claims_after = claims_after if claims_after is not None else claims_before
        self._stored: list[Span] = []

    def write(self, forward: bool) -> None:
        expected, spans = (self.before, self.after) if forward else (self.after, self.before)
        expected_claims, claims = (
            (self.claims_before, self.claims_after)
            if forward
            else (self.claims_after, self.claims_before)
        )
        with self.store.transaction():
            held = self.store.spans(self.article_id, GOLD)
            first = forward and not self.saved and not held
            changed = linked_keys(held) != linked_keys(expected)
            if not changed and not first and expected_claims is not None:
                keys = {span.key for span in expected}
                changed = claim_work_keys(self.store.claim_work(self.article_id, GOLD)) != (
                    claim_work_keys(expected_claims, keys)
                )
            if changed and not first:
                raise ChangedElsewhere(
                    f"the gold version of article {self.article_id} was changed elsewhere"
                )
            if not forward and self.makes_gold:
                if self.store.status(self.article_id, GOLD).status == "done":
                    # marked reviewed since, by another reviewer (this window's own mark
                    # is undone before this): taking gold away would take that too
                    raise ChangedElsewhere(
                        f"article {self.article_id} was marked reviewed elsewhere since"
                    )
                self.store.remove_version(self.article_id, GOLD)
                self._stored, self.saved = [], False
                return
            self._stored = save_gold(self.store, self.article_id, spans, claims=claims)
        self.saved = True

    def labels_named(self) -> set[str] | None:
        return {span.label for span in (*self.before, *self.after)}

    def show(self, forward: bool) -> None:
        focus = self.disagreement
        if focus is not None and forward:
            focus += 1
        self.gold_listener.gold_written(self.article_id, self._stored, focus)


def claim_work_keys(work: ClaimWork, spans: set[tuple[int, int, str]] | None = None) -> tuple:
    """Relations and values by value (on ``spans`` only, if given), to compare."""
    relations = {
        r.key for r in work.relations if spans is None or {r.head.key, r.child.key} <= spans
    }
    values = {a.key for a in work.attributes if spans is None or a.span.key in spans}
    return relations, values


def linked_keys(spans: Sequence[Span]) -> list[tuple[tuple[int, int, str], str]]:
    """Spans by value with what each refers to, to compare: by value alone, another
    reviewer's link choice was not seen, and the next edit here wrote it away."""
    return sorted((span.key, span.kb_id) for span in spans)
