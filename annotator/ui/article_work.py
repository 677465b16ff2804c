"""What the window reads with an article's spans: its claims' sources and values, and how
its names were linked. Those of the spans shown, which are the annotator's own or, on an
article they have not started, its suggestions (whose ids are minus the suggestions').

The window reads them when it shows an article (``claim_sources.py``, ``entity_links.py``);
for a long article, the worker that reads its spans reads them too (``article_loader.py``),
so that showing it reads nothing more on the GUI thread. ``ReadWithIt`` carries them to the
window's first look; every later look (after an edit, another window's) reads the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.model import Span
from annotator.core.relations import AttributeValue, Relation, by_id
from annotator.storage import Store
from annotator.storage.links import link_statuses, suggested_links

ClaimWork = tuple[list[Relation], list[AttributeValue]]
LinkStatuses = dict[tuple[int, int, str], str]


def shown_started(spans: Sequence[Span]) -> bool:
    """Whether the spans shown are the annotator's (else an unstarted article's suggestions)."""
    first = spans[0].id if spans else None
    return first is None or first >= 0


def read_claim_work(
    store: Store, article_id: int, annotator: str, spans: Sequence[Span]
) -> ClaimWork:
    """The relations and values of the spans shown, by the ids they are shown with."""
    if shown_started(spans):
        return store.relations(article_id, annotator), store.attribute_values(article_id, annotator)
    work = store.suggested_work(article_id)
    return by_id(spans, work.relations, work.attributes)


def read_link_statuses(store: Store, article_id: int, annotator: str) -> LinkStatuses:
    """How the linker judged the spans shown, by where they are: the annotator's own, or,
    on an article they have not started, its suggestions."""
    if store.started(article_id, annotator):
        return link_statuses(store, article_id, annotator)
    return {(s.start, s.end, s.label): s.status for s in suggested_links(store, article_id)}


@dataclass
class ReadWithIt:
    """Read by a worker with a long article's spans; each is taken once (``take_*``)."""

    claim_work: ClaimWork | None = None
    link_statuses: LinkStatuses | None = None

    def take_claim_work(self) -> ClaimWork | None:
        work, self.claim_work = self.claim_work, None
        return work

    def take_link_statuses(self) -> LinkStatuses | None:
        statuses, self.link_statuses = self.link_statuses, None
        return statuses


def linker_notes(
    store: Store, article_id: int, annotator: str
) -> dict[tuple[int, int, str], tuple[str, str]]:
    """The linker's notes on the suggestions the annotator sees (or took), by span: (the
    entry the note is about, the note)."""
    model = store.shown_model(article_id, annotator)
    if model is None:
        return {}
    return {
        (link.start, link.end, link.label): (link.kb_id, link.note)
        for link in suggested_links(store, article_id, model)
        if link.note
    }
