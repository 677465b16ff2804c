"""Where annotators disagree on what a span refers to, and settling it in gold.

A ``link`` disagreement is a span that two or more compared annotators marked alike (same
start, end and label) with different knowledge-base entries (``Span.kb_id``): an entry
against another (``geonames:163345`` or ``geonames:6453366``, two Tripolis), or an entry
against none. A span only some annotators have is a span disagreement (``missing``...); its
entries are compared among those who have it. It is a class of its own, after the spans'
and the claims' (``annotator.review.disagreements.KINDS``), with the same keys to take a
version: ``take_link`` gives gold that annotator's entry on the span.

The disagreement list counts them for every article at once (``link_disagreement_counts``)
from the entries of the done work (``load_done_entries``), which agreement reads too
(``annotator.review.link_agreement``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.core.model import Span, SpanKey
from annotator.core.spans import EntityConflict, entity_conflicts
from annotator.kb.links import LINKED
from annotator.review.work import DoneWork
from annotator.storage import Store
from annotator.storage.links import links_between

LINK = "link"
#: The classes of disagreement about what spans refer to, after the claims'.
LINK_KINDS = (LINK,)


@dataclass(frozen=True, slots=True)
class LinkDisagreement:
    """A span the compared annotators who have it link to different entries.

    ``versions`` maps each of them, in the order given, to the entry they chose (``""``:
    none); ``verdicts`` those with none to the linker's word they kept for it
    (``unknown``: not in the gazetteer, ``ambiguous``, ``generic``), where there is one."""

    span: Span  # start, end and label; no entry
    versions: Mapping[str, str]
    verdicts: Mapping[str, str] = dataclasses.field(default_factory=dict)

    kind = LINK

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(self.versions)


def find_link_disagreements(
    spans_by_annotator: Mapping[str, Iterable[Span]],
) -> list[LinkDisagreement]:
    """The link disagreements among annotators on one article, in text order, given each
    compared annotator's spans (with their ``kb_id``, as ``Store.spans`` reads them)."""
    entries: dict[SpanKey, dict[str, str]] = {}
    verdicts: dict[SpanKey, dict[str, str]] = {}
    for name, spans in spans_by_annotator.items():
        for span in spans:
            held = entries.setdefault(span.key, {})
            if name not in held or (span.kb_id and not held[name]):
                held[name] = span.kb_id
            if not span.kb_id and span.link_status not in ("", LINKED):
                verdicts.setdefault(span.key, {}).setdefault(name, span.link_status)
    return [
        LinkDisagreement(
            Span(*key),
            versions,
            {name: said for name, said in verdicts.get(key, {}).items() if not versions[name]},
        )
        for key, versions in sorted(entries.items())
        if len(versions) >= 2 and len(set(versions.values())) > 1
    ]


def entries_by_span(versions: Iterable[Iterable[Span]]) -> dict[SpanKey, set[str]]:
    """The entries the versions (spans of several annotators) give each span (``""``:
    none)."""
    found: dict[SpanKey, set[str]] = {}
    for spans in versions:
        for span in spans:
            found.setdefault(span.key, set()).add(span.kb_id)
    return found


def agreed_entry(entries: Mapping[SpanKey, set[str]], key: SpanKey) -> str:
    """The entry every version with the span gives it, or none when they differ."""
    chosen = entries.get(key, set())
    return next(iter(chosen)) if len(chosen) == 1 else ""


def take_link(
    gold: Sequence[Span],
    disagreement: LinkDisagreement,
    annotator: str,
    kinds: Mapping[str, str],
) -> list[Span]:
    """Gold with ``annotator``'s entry on the disputed span (the span added to gold where it
    lacks it). ``EntityConflict`` if the span would overlap another entity of gold: settle
    that span's disagreement first."""

    if annotator not in disagreement.versions:
        raise KeyError(f"{annotator} is not among {', '.join(disagreement.annotators)}")
    entry = disagreement.versions[annotator]
    # (their "not in the gazetteer" with it: gold showed "–", a span nobody looked at)
    verdict = disagreement.verdicts.get(annotator, "")
    span = disagreement.span
    spans = list(gold)
    held = [i for i, s in enumerate(spans) if s.key == span.key]
    if not held:
        conflicts = entity_conflicts(span, spans, kinds)
        if conflicts:
            raise EntityConflict.in_gold(span, conflicts[0])
        spans.append(Span(span.start, span.end, span.label, kb_id=entry, link_status=verdict))
    for i in held:
        spans[i] = dataclasses.replace(spans[i], kb_id=entry, link_status=verdict)
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


def link_choice_in_gold(gold: Sequence[Span], disagreement: LinkDisagreement) -> str | None:
    """The first annotator whose entry gold holds on the span, with their verdict where
    they gave none (two annotators' "not in the gazetteer" and "ambiguous" are two
    versions), or ``None`` (gold lacks the span, or holds what nobody chose)."""
    held = next((s for s in gold if s.key == disagreement.span.key), None)
    if held is None:
        return None
    verdict = "" if held.kb_id or held.link_status == LINKED else held.link_status
    return next(
        (
            name
            for name, entry in disagreement.versions.items()
            if entry == held.kb_id and (entry or disagreement.verdicts.get(name, "") == verdict)
        ),
        None,
    )


# -- every article at once: the disagreement list and agreement --------------------------------


def load_done_entries(store: Store, work: DoneWork) -> npt.NDArray[np.int64]:
    """(annotators, span identities): the entry each annotator gave each distinct span of
    the done work (``DoneWork.span_identity``), coded ``1..`` by entry, 0 for none or where
    the annotator has no such span."""
    identity = work.span_identity()
    table = np.zeros((len(work.annotators), int(identity.max(initial=-1)) + 1), dtype=np.int64)
    if not len(identity):
        return table
    article_ids = work.article_ids
    found = links_between(store, int(article_ids[0]), int(article_ids[-1]))
    annotator_code = {name: i for i, name in enumerate(work.annotators)}
    label_code = {name: i for i, name in enumerate(work.labels)}
    entry_code: dict[str, int] = {}
    rows = []
    for (article_id, name), links in found.items():
        index = int(np.searchsorted(article_ids, article_id))
        if name not in annotator_code or index >= len(article_ids):
            continue
        if article_ids[index] != article_id:
            continue
        for (start, end, label), kb_id in links.items():
            if label in label_code:
                code = entry_code.setdefault(kb_id, len(entry_code) + 1)
                rows.append((index, start, end, label_code[label], annotator_code[name], code))
    if not rows:
        return table
    fields = [("article", np.int64), ("start", np.int64), ("end", np.int64),
              ("label", np.int64), ("annotator", np.int64)]  # fmt: skip
    # DoneWork's rows are sorted by these fields in this order: a structured array of them
    # is sorted too, and searchsorted finds each linked span's row.
    spans = np.rec.fromarrays(
        [work.span_article, work.span_start, work.span_end, work.span_label,
         work.span_annotator],
        dtype=fields,
    )  # fmt: skip
    linked = np.array(rows, dtype=np.int64)
    wanted = np.rec.fromarrays(list(linked[:, :5].T), dtype=fields)
    at = np.minimum(np.searchsorted(spans, wanted), len(spans) - 1)
    hit = spans[at] == wanted  # a linked span of work in progress is not in the done work
    table[work.span_annotator[at[hit]], identity[at[hit]]] = linked[hit, 5]
    return table


def link_disagreement_counts(
    work: DoneWork, entries: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """(articles, 1): how many link disagreements each article of ``work`` has, as
    ``find_link_disagreements`` finds them on the review screen."""
    counts = np.zeros((len(work), len(LINK_KINDS)), dtype=np.int64)
    identity = work.span_identity()
    if not len(identity):
        return counts
    has = np.zeros(entries.shape, dtype=bool)
    has[work.span_annotator, identity] = True
    lowest = np.where(has, entries, np.iinfo(np.int64).max).min(axis=0)
    highest = np.where(has, entries, -1).max(axis=0)
    disputed = (has.sum(axis=0) >= 2) & (lowest != highest)
    article = np.zeros(entries.shape[1], dtype=np.int64)
    article[identity] = work.span_article
    counts[:, 0] = np.bincount(article[disputed], minlength=len(work))
    return counts
