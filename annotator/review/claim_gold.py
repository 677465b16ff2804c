"""Who claims what, in gold: the relations and attribute values every annotator agrees on
(``agreed_claim_work``, the pre-fill), one annotator's sources of a claim (``take_source``,
which also brings the claim and its source spans, with their entries, into gold) or value of
an attribute (``take_attribute``), and whose version gold holds (``claim_choice_in_gold``); the
relations and values that come with spans a span choice brings in
(``with_work_of_taken_spans``).
Pure functions from gold's spans and claim work to new ones, like the span choices of
``adjudication``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from annotator.core.model import Span
from annotator.core.relations import AttributeType, ClaimWork, SpanAttribute, SpanRelation
from annotator.core.spans import EntityConflict, entity_conflicts
from annotator.review.claims import AttributeDisagreement, ClaimDisagreement, SourceDisagreement


def agreed_claim_work(
    spans_by_annotator: Mapping[str, Iterable[Span]],
    work_by_annotator: Mapping[str, ClaimWork],
    gold: Iterable[Span],
) -> ClaimWork:
    """The relations and values every given annotator has, on spans gold holds: the pre-fill
    of the gold version beside ``agreed_spans``."""
    names = list(spans_by_annotator)
    if not names:
        return ClaimWork()
    held = {span.key for span in gold}
    works = [work_by_annotator.get(name, ClaimWork()) for name in names]
    relations = set.intersection(*({r.key for r in work.relations} for work in works))
    attributes = set.intersection(*({a.key for a in work.attributes} for work in works))
    return ClaimWork(
        tuple(
            SpanRelation(Span(*head), Span(*child), label)
            for head, child, label in sorted(relations)
            if head in held and child in held
        ),
        tuple(
            SpanAttribute(Span(*span), name, value)
            for span, name, value in sorted(attributes)
            if span in held
        ),
    )


def with_work_of_taken_spans(
    gold_before: Iterable[Span],
    gold_after: Iterable[Span],
    gold_work: ClaimWork,
    spans_by_annotator: Mapping[str, Iterable[Span]],
    work_by_annotator: Mapping[str, ClaimWork],
) -> ClaimWork:
    """Gold's relations and values after a span choice brought spans into it (one
    annotator's version of a claim whose extent was disputed, say): each new span comes with
    the relations and values that every annotator who has it gives it, between spans gold
    holds. Nobody else marked that claim so, so no source or attribute disagreement is there
    to settle them, and without this gold would lose the source everyone gave the claim."""
    gold_after = list(gold_after)
    new = {span.key for span in gold_after} - {span.key for span in gold_before}
    relations = list(gold_work.relations)
    attributes = list(gold_work.attributes)
    known = {r.key for r in relations} | {a.key for a in attributes}
    for key in sorted(new):
        having = {
            name: spans
            for name, spans in spans_by_annotator.items()
            if any(span.key == key for span in spans)
        }
        agreed = agreed_claim_work(having, work_by_annotator, gold_after)
        for relation in agreed.relations:
            if key in (relation.head.key, relation.child.key) and relation.key not in known:
                relations.append(relation)
                known.add(relation.key)
        for value in agreed.attributes:
            if value.span.key == key and value.key not in known:
                attributes.append(value)
                known.add(value.key)
    if len(relations) == len(gold_work.relations) and len(attributes) == len(gold_work.attributes):
        return gold_work
    return ClaimWork(tuple(relations), tuple(attributes))


def take_source(
    gold: Sequence[Span],
    gold_work: ClaimWork,
    disagreement: SourceDisagreement,
    annotator: str,
    kinds: Mapping[str, str],
) -> tuple[list[Span], ClaimWork]:
    """Gold with ``annotator``'s sources of the claim in place of gold's (and the claim and
    its sources among gold's spans). ``EntityConflict`` if a source span would overlap
    another entity of gold: take that span's disagreement first."""
    if annotator not in disagreement.versions:
        raise KeyError(f"{annotator} is not among {', '.join(disagreement.annotators)}")
    claim = disagreement.claim
    chosen = _as_in_gold(gold, disagreement.versions[annotator], disagreement)
    spans = list(gold)
    keys = {span.key for span in spans}
    for span in (claim, *chosen):
        if span.key in keys:
            continue
        conflicts = entity_conflicts(span, spans, kinds)
        if conflicts:
            raise EntityConflict.in_gold(span, conflicts[0])
        spans.append(replace(span, id=None, score=None))  # gold's own row, same entry
        keys.add(span.key)
    kept = tuple(
        r for r in gold_work.relations if not (r.head == claim and r.label == disagreement.label)
    )
    added = tuple(SpanRelation(claim, child, disagreement.label) for child in chosen)
    spans.sort(key=lambda s: (s.start, s.end, s.label))
    return spans, ClaimWork(kept + added, gold_work.attributes)


def _as_in_gold(
    gold: Sequence[Span], sources: Sequence[Span], disagreement: SourceDisagreement
) -> tuple[Span, ...]:
    """``sources``, each as gold holds its words where gold settled them under another
    label some annotator gave a source ("the Observatory" a SOURCE in gold, a FACTION in
    this version): taking the version gave the overlap refusal of a span just settled."""
    labels = {s.label for version in disagreement.versions.values() for s in version}
    at = {(s.start, s.end): s for s in gold if s.label in labels}
    return tuple(
        source
        if source.key in {g.key for g in gold}
        else at.get((source.start, source.end), source)
        for source in sources
    )


def take_attribute(
    gold_work: ClaimWork,
    disagreement: AttributeDisagreement,
    annotator: str,
    attribute_type: AttributeType,
) -> ClaimWork:
    """Gold with ``annotator``'s value of the attribute on the claim (the default is not
    stored)."""
    if annotator not in disagreement.versions:
        raise KeyError(f"{annotator} is not among {', '.join(disagreement.annotators)}")
    value = disagreement.versions[annotator]
    kept = tuple(
        a
        for a in gold_work.attributes
        if not (a.span == disagreement.claim and a.name == disagreement.name)
    )
    if value != attribute_type.default:
        kept += (SpanAttribute(disagreement.claim, disagreement.name, value),)
    return ClaimWork(gold_work.relations, kept)


def claim_choice_in_gold(
    gold_work: ClaimWork, disagreement: ClaimDisagreement, default: str = ""
) -> str | None:
    """The first annotator whose version gold holds for the disagreement, or ``None``.
    ``default`` is the attribute's default, for attribute disagreements."""
    if isinstance(disagreement, SourceDisagreement):
        held: object = tuple(
            sorted(
                gold_work.sources(disagreement.claim, disagreement.label),
                key=lambda s: s.key,
            )
        )
    else:
        held = gold_work.values(disagreement.claim).get(disagreement.name, default)
    return next((name for name, v in disagreement.versions.items() if v == held), None)
