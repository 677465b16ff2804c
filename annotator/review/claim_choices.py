"""The review screen's keys on a source or attribute disagreement: one annotator's version
(``take_source`` / ``take_attribute``), all of them (``A``: every source any of them gave;
refused for an attribute, which has one value), or none (``0``: no source; the attribute's
default). Pure functions from gold's spans and claim work to new ones, like the span choices
of ``adjudication``.

A claim disagreement can lie on a claim gold does not hold yet (two of three annotators
marked it): taking a version brings the claim into gold too, as ``take_source`` brings
the source spans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.core.relations import AttributeType, ClaimWork, SpanRelation
from annotator.core.spans import entity_conflicts, span_in_words
from annotator.review.claim_gold import (
    claim_choice_in_gold,
    take_attribute,
    take_source,
)
from annotator.review.claims import (
    AttributeDisagreement,
    ClaimDisagreement,
    ClaimScheme,
    SourceDisagreement,
)


class ChoiceRefused(AnnotatorError):
    """The choice does not apply to this disagreement (every value of one attribute)."""

    held: Span | None = None  # gold's claim with other edges, which a choice would double

    @classmethod
    def other_edges(cls, held: Span) -> ChoiceRefused:
        error = cls(_other_edges(f"characters {held.start}-{held.end}"))
        error.held = held
        return error

    def in_words(self, text: str) -> str:
        """The refusal with the claim's words, not its offsets."""
        if self.held is None:
            return str(self)
        return _other_edges(span_in_words(self.held, text))


def _other_edges(claim: str) -> str:
    return (
        f"gold holds this claim with other edges ({claim}): a choice here would add a second "
        "claim; take these edges in the claim's span disagreement first, or leave it"
    )


def can_take_all_claims(disagreement: ClaimDisagreement) -> bool:
    """``A`` takes every annotator's sources of a claim; an attribute has one value."""
    return isinstance(disagreement, SourceDisagreement)


def attribute_type_of(scheme: ClaimScheme, name: str) -> AttributeType:
    return next(t for t in scheme.attribute_types if t.name == name)


def take_claim_choice(
    gold: Sequence[Span],
    gold_work: ClaimWork,
    disagreement: ClaimDisagreement,
    choice: str,
    kinds: Mapping[str, str],
    scheme: ClaimScheme,
) -> tuple[list[Span], ClaimWork]:
    """Gold's spans and claim work with ``choice`` (an annotator, ``all`` or ``none``)
    taken for the disagreement. ``EntityConflict`` if a source span would overlap another
    entity of gold, ``ChoiceRefused`` for ``all`` on an attribute."""
    claim = disagreement.claim
    if choice not in ("all", "none") and choice not in disagreement.versions:
        having = ", ".join(disagreement.versions)  # the heading's keys name every lane
        raise ChoiceRefused(f"{choice} has no version of this claim: only {having} marked it")
    other = other_extent_in_gold(gold, claim)
    if other is not None:
        raise ChoiceRefused.other_edges(other)
    if isinstance(disagreement, SourceDisagreement):
        if choice not in ("all", "none"):
            return take_source(gold, gold_work, disagreement, choice, kinds)
        spans, work = _with_claim(gold, claim), gold_work
        chosen: set[Span] = set()
        if choice == "all":
            _check_sources_apart(disagreement, kinds)
            for name, sources in disagreement.versions.items():
                if sources:  # brings each one's source spans into gold (or refuses)
                    spans, _ = take_source(spans, work, disagreement, name, kinds)
                    chosen.update(sources)
        kept = tuple(
            r for r in work.relations if not (r.head == claim and r.label == disagreement.label)
        )
        added = tuple(
            SpanRelation(claim, child, disagreement.label)
            for child in sorted(chosen, key=lambda s: s.key)
        )
        return spans, ClaimWork(kept + added, work.attributes)
    attribute_type = attribute_type_of(scheme, disagreement.name)
    spans = _with_claim(gold, claim)
    if choice == "all":
        raise ChoiceRefused(
            f"a claim has one {disagreement.name}: take one annotator's value (or 0 for "
            f"{attribute_type.default})"
        )
    if choice == "none":  # the default, which is stored as no value
        values = tuple(
            a for a in gold_work.attributes if not (a.span == claim and a.name == disagreement.name)
        )
        return spans, ClaimWork(gold_work.relations, values)
    return spans, take_attribute(gold_work, disagreement, choice, attribute_type)


def _check_sources_apart(disagreement: SourceDisagreement, kinds: Mapping[str, str]) -> None:
    """``ChoiceRefused`` if two annotators' sources overlap one another, so that gold can
    hold one of them only: the refusal named "a span in gold" that was in no gold."""
    every: list[Span] = []
    for sources in disagreement.versions.values():
        for span in sources:
            clash = entity_conflicts(span, [s for s in every if s.key != span.key], kinds)
            if clash:
                other = clash[0]
                raise ChoiceRefused(
                    f"the sources overlap one another ({span.label} {span.start}-{span.end} "
                    f"and {other.label} {other.start}-{other.end}): gold holds one of them; "
                    "take one annotator's version"
                )
            every.append(span)


def other_extent_in_gold(gold: Sequence[Span], claim: Span) -> Span | None:
    """The claim gold holds in place of ``claim``, with other edges (the reviewer took
    another annotator's extent), if gold lacks ``claim`` itself."""
    if any(span.key == claim.key for span in gold):
        return None
    return next(
        (s for s in gold if s.label == claim.label and s.start < claim.end and claim.start < s.end),
        None,
    )


def claim_choice_label(
    gold_work: ClaimWork,
    disagreement: ClaimDisagreement,
    scheme: ClaimScheme,
    gold: Sequence[Span] | None = None,
) -> str | None:
    """Which choice gold holds: the first annotator whose version it is, ``all``,
    ``none``, ``no claim`` (``gold``'s spans lack the claim), or ``None`` (gold holds
    something else)."""
    if gold is not None and all(span.key != disagreement.claim.key for span in gold):
        # not an annotator's version: the default of a claim not there
        other = other_extent_in_gold(gold, disagreement.claim)
        return "no claim" if other is None else "the claim with other edges"
    if isinstance(disagreement, AttributeDisagreement):
        default = attribute_type_of(scheme, disagreement.name).default
        held = claim_choice_in_gold(gold_work, disagreement, default)
        if held is None and gold_work.values(disagreement.claim).get(disagreement.name) is None:
            return "none"  # the default, which no annotator chose
        return held
    held = claim_choice_in_gold(gold_work, disagreement)
    if held is not None:
        return held
    sources = gold_work.sources(disagreement.claim, disagreement.label)
    if not sources:
        return "none"
    every = {s for version in disagreement.versions.values() for s in version}
    return "all" if sources == every else None


def _with_claim(gold: Sequence[Span], claim: Span) -> list[Span]:
    """Gold's spans, with the claim among them."""
    spans = list(gold)
    if all(span.key != claim.key for span in spans):
        spans.append(Span(claim.start, claim.end, claim.label))
        spans.sort(key=lambda s: (s.start, s.end, s.label))
    return spans
