"""Where annotators disagree on who makes a claim, or how it is framed; settling it in gold.

Two classes of disagreement, beside those of spans (``annotator.review.disagreements``):

- ``source``: a claim every compared annotator who has it marked alike (same start, end
  and label), with different sources (the set of spans its ``source`` relations point to,
  compared by value: another extent or label is another source; none at all is a version
  too);
- ``attribute``: such a claim with different values of one attribute (a value not stored
  is the attribute's default).

A claim only some annotators have is a span disagreement (``missing``, ``boundary``...);
its source and attributes are compared among those who have it. Each disagreement names its
claim, so the review screen shows it where the claim is.

Settling them in gold: ``annotator.review.adjudication`` (``take_source``,
``take_attribute``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from annotator.core.model import Span, SpanKey
from annotator.core.relations import AttributeType, ClaimWork, RelationType
from annotator.review.claim_arrays import claim_disagreement_table, load_done_links
from annotator.review.work import DoneWork
from annotator.storage import Store

SOURCE = "source"
ATTRIBUTE = "attribute"
#: The classes of disagreement about claims, after those of spans.
CLAIM_KINDS = (SOURCE, ATTRIBUTE)


@dataclass(frozen=True, slots=True)
class SourceDisagreement:
    """A claim the compared annotators who have it give different sources.

    ``versions`` maps each of them to the source spans they relate the claim to by
    ``label``, sorted (an empty tuple: no source).
    """

    claim: Span
    label: str
    versions: Mapping[str, tuple[Span, ...]]

    kind = SOURCE

    @property
    def start(self) -> int:
        return self.claim.start

    @property
    def end(self) -> int:
        return self.claim.end

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(self.versions)


@dataclass(frozen=True, slots=True)
class AttributeDisagreement:
    """A claim the compared annotators who have it give different values of ``name``."""

    claim: Span
    name: str
    versions: Mapping[str, str]

    kind = ATTRIBUTE

    @property
    def start(self) -> int:
        return self.claim.start

    @property
    def end(self) -> int:
        return self.claim.end

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(self.versions)


ClaimDisagreement = SourceDisagreement | AttributeDisagreement


@dataclass(frozen=True)
class ClaimScheme:
    """The relation types and attributes compared, from ``Store.relation_types()`` and
    ``Store.attribute_types()``."""

    relation_types: Sequence[RelationType] = ()
    attribute_types: Sequence[AttributeType] = ()

    def compared_labels(self) -> set[str]:
        """Labels of the spans that carry relations (as head) or attributes: the claims."""
        heads = {label for t in self.relation_types for label in t.head_labels}
        return heads | {t.label for t in self.attribute_types}


def find_claim_disagreements(
    spans_by_annotator: Mapping[str, Iterable[Span]],
    work_by_annotator: Mapping[str, ClaimWork],
    scheme: ClaimScheme,
) -> list[ClaimDisagreement]:
    """The source and attribute disagreements among annotators on one article, in text
    order; ``work_by_annotator`` holds each one's relations and values by value."""
    held: dict[str, set[SpanKey]] = {}
    sources: dict[str, dict[tuple[SpanKey, str], frozenset[SpanKey]]] = {}
    values: dict[str, dict[SpanKey, dict[str, str]]] = {}
    entries: dict[str, dict[SpanKey, str]] = {}
    labels = scheme.compared_labels()
    for name, spans in spans_by_annotator.items():
        spans = list(spans)
        held[name] = {s.key for s in spans if s.label in labels}
        entries[name] = {s.key: s.kb_id for s in spans if s.kb_id}
        work = work_by_annotator.get(name, ClaimWork())
        found: dict[tuple[SpanKey, str], set[SpanKey]] = {}
        for relation in work.relations:
            found.setdefault((relation.head.key, relation.label), set()).add(relation.child.key)
        sources[name] = {key: frozenset(children) for key, children in found.items()}
        values[name] = {}
        for attribute in work.attributes:
            values[name].setdefault(attribute.span.key, {})[attribute.name] = attribute.value
    found_all = compare_claims(held, sources, values, scheme)
    return [_with_entries(d, entries) for d in found_all]


def _with_entries(
    disagreement: ClaimDisagreement, entries: Mapping[str, Mapping[SpanKey, str]]
) -> ClaimDisagreement:
    """Each version's source spans with the entries their annotator gave them, so that a
    source taken into gold keeps what it refers to."""
    if not isinstance(disagreement, SourceDisagreement):
        return disagreement
    versions = {
        name: tuple(replace(span, kb_id=entries[name].get(span.key, "")) for span in sources)
        for name, sources in disagreement.versions.items()
    }
    return replace(disagreement, versions=versions)


def compare_claims(
    held: Mapping[str, set[SpanKey]],
    sources: Mapping[str, Mapping[tuple[SpanKey, str], frozenset[SpanKey]]],
    values: Mapping[str, Mapping[SpanKey, Mapping[str, str]]],
    scheme: ClaimScheme,
) -> list[ClaimDisagreement]:
    """``find_claim_disagreements`` on spans named by key: ``held`` maps each annotator to the
    claims they have, ``sources`` to (claim, relation label) → source keys, ``values`` to
    claim → attribute → value (stored values only)."""
    found: list[ClaimDisagreement] = []
    claims = sorted({key for keys in held.values() for key in keys})
    for claim in claims:
        holders = [name for name in held if claim in held[name]]
        if len(holders) < 2:
            continue
        span = Span(*claim)
        for relation_type in scheme.relation_types:
            if claim[2] not in relation_type.head_labels:
                continue
            versions = {
                name: tuple(
                    Span(*key) for key in sorted(sources[name].get((claim, relation_type.name), ()))
                )
                for name in holders
            }
            if len(set(versions.values())) > 1:
                found.append(SourceDisagreement(span, relation_type.name, versions))
        for attribute_type in scheme.attribute_types:
            if attribute_type.label != claim[2]:
                continue
            chosen = {
                name: values[name].get(claim, {}).get(attribute_type.name, attribute_type.default)
                for name in holders
            }
            if len(set(chosen.values())) > 1:
                found.append(AttributeDisagreement(span, attribute_type.name, chosen))
    return found


# -- every article at once: the disagreement list -------------------------------------------


def claim_scheme(store: Store) -> ClaimScheme:
    return ClaimScheme(tuple(store.relation_types()), tuple(store.attribute_types()))


def claim_disagreement_counts(store: Store, work: DoneWork) -> npt.NDArray[np.int64]:
    """(articles, classes): source and attribute disagreements (``CLAIM_KINDS`` order) of
    each article of ``work``, as ``find_claim_disagreements`` finds them on the review
    screen, for all articles at once (``annotator.review.claim_arrays``)."""
    return claim_disagreement_table(work, load_done_links(store, work))
