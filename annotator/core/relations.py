"""Who claims what: relations between spans (a claim and its source) and attributes of spans
(a claim's polarity, hedging, quotation), with the scheme that types them.

Two ways to name the spans a relation joins:

- by span id (``Relation``, ``AttributeValue``): an annotator's stored work, which the window
  edits and undoes by id;
- by span value (``SpanRelation``, ``SpanAttribute``: start, end and label): work that has no
  ids yet or is compared across annotators — a model's suggestions, an imported file, the
  gold version made by adjudication, agreement.

``by_value`` and ``by_id`` turn one into the other given an annotator's spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.core.text import counted

SOURCE_LABEL = "SOURCE"
#: The relation from a CLAIM span (head) to the FACTION or SOURCE span that makes it (child).
SOURCE_RELATION = "source"

POLARITY = "polarity"
HEDGED = "hedged"
QUOTE = "quote"
ASSERTED, DENIED = "asserted", "denied"
NO, YES = "no", "yes"

FLAG = "flag"  # two values, the first the default: a key toggles it
CHOICE = "choice"  # several values: a key steps through them
ATTRIBUTE_KINDS = (FLAG, CHOICE)


class RelationError(AnnotatorError):
    """A relation or attribute value that cannot be stored: its spans are not one annotator's
    on one article, or the scheme does not allow it. Nothing was saved."""


class SchemeError(RelationError):
    """A relation, attribute or value the project's scheme does not have or allow."""


@dataclass(frozen=True, slots=True)
class RelationType:
    """A kind of relation of the scheme: which labels its head and its child may carry."""

    name: str
    head_labels: tuple[str, ...]
    child_labels: tuple[str, ...]
    color: str = "#555555"
    key: str = ""
    description: str = ""

    def allows(self, head_label: str, child_label: str) -> bool:
        return head_label in self.head_labels and child_label in self.child_labels


@dataclass(frozen=True, slots=True)
class AttributeType:
    """An attribute of the scheme, set on spans of one label.

    A ``flag`` has two values, the default first (``no``, ``yes``); a ``choice`` has two or
    more. A span without a stored value has the default.
    """

    name: str
    label: str
    kind: str
    values: tuple[str, ...]
    default: str
    key: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ATTRIBUTE_KINDS:
            raise SchemeError(
                f"attribute {self.name}: kind must be one of {', '.join(ATTRIBUTE_KINDS)}, "
                f"not {self.kind!r}"
            )
        twice = sorted({v for v in self.values if self.values.count(v) > 1})
        if twice:
            raise SchemeError(f"attribute {self.name}: the value {twice[0]!r} is given twice")
        if len(self.values) < 2:
            raise SchemeError(f"attribute {self.name}: needs two or more different values")
        if self.kind == FLAG and len(self.values) != 2:
            raise SchemeError(f"attribute {self.name}: a flag has exactly two values")
        if self.default not in self.values:
            raise SchemeError(
                f"attribute {self.name}: the default {self.default!r} is not one of its values"
            )

    def check(self, value: str) -> None:
        """Raise ``SchemeError`` unless ``value`` is one of this attribute's values."""
        if value not in self.values:
            raise SchemeError(
                f"{value!r} is not a value of attribute {self.name} "
                f"(its values: {', '.join(self.values)}); nothing was saved"
            )

    def next_value(self, value: str | None) -> str:
        """The value after ``value`` (the default when ``None``), round: what its key sets."""
        current = self.default if value is None else value
        index = self.values.index(current) if current in self.values else -1
        return self.values[(index + 1) % len(self.values)]


DEFAULT_RELATION_TYPES: tuple[RelationType, ...] = (
    RelationType(
        SOURCE_RELATION,
        head_labels=("CLAIM",),
        child_labels=("FACTION", SOURCE_LABEL),
        color="#444444",
        key="R",
        description="Who makes the claim: from a CLAIM span to the FACTION or SOURCE span that "
        "makes it ('insurgents claimed ...', '..., the Observatory said').",
    ),
)

DEFAULT_ATTRIBUTE_TYPES: tuple[AttributeType, ...] = (
    AttributeType(
        POLARITY,
        "CLAIM",
        CHOICE,
        (ASSERTED, DENIED),
        ASSERTED,
        key="D",
        description="Whether the source asserts the claim or denies it ('Russia denied "
        "striking the hospital': the claim 'striking the hospital' is denied).",
    ),
    AttributeType(
        HEDGED,
        "CLAIM",
        FLAG,
        (NO, YES),
        NO,
        key="H",
        description="The article marks the claim as unverified: 'could not be independently "
        "verified', 'reportedly', 'purportedly', 'allegedly', 'unconfirmed'.",
    ),
    AttributeType(
        QUOTE,
        "CLAIM",
        FLAG,
        (NO, YES),
        NO,
        key="Q",
        description="The claim is a direct quotation (in quotation marks), not a paraphrase.",
    ),
)


# -- stored work: by span id ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation of one annotator's spans on one article, by span id.

    Two relations are equal when head, child and label are; ``origin`` (``model`` = an
    accepted suggestion, ``human``) and ``id`` are bookkeeping.
    """

    head: int
    child: int
    label: str = SOURCE_RELATION
    origin: str = field(default="human", compare=False)
    id: int | None = field(default=None, compare=False)


def carried_over(
    relations: Iterable[Relation], gone: Mapping[int, Span], added: Sequence[Span]
) -> list[tuple[Relation, Relation]]:
    """The relations an edit that replaces spans should move to a new span, each with where
    it goes: those whose child (a claim's source) is among the spans ``gone`` (by id) and
    lies inside a span ``added``, and whose head stays; moved to that span, with no id.

    Drawn over "Saudi Arabia's Civil Defense Authority", a FACTION replaced the LOCATION and
    the claim's SOURCE inside it, and the claim lost its source without a word."""
    carried: list[tuple[Relation, Relation]] = []
    for relation in relations:
        child = gone.get(relation.child)
        if child is None or relation.head in gone:
            continue
        into = _holding(added, child)
        if into is not None and into.id is not None:
            moved = Relation(relation.head, into.id, relation.label, relation.origin)
            carried.append((relation, moved))
    return carried


@dataclass(frozen=True, slots=True)
class AttributeValue:
    """The value of one attribute on one span (by id); ``origin`` as for spans."""

    span: int
    name: str
    value: str
    origin: str = field(default="human", compare=False)


@dataclass(frozen=True, slots=True)
class SpanLinks:
    """The relations and attribute values that hang on some spans: what deleting the spans
    takes with it, and what an undo puts back (``Store.restore_links``)."""

    relations: tuple[Relation, ...] = ()
    attributes: tuple[AttributeValue, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.relations or self.attributes)


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """A span deleted with its links (``Store.delete_span_with_links``), ready to restore."""

    span: Span
    links: SpanLinks = SpanLinks()


# -- work by value: suggestions, imports, gold, comparison ------------------------------------


@dataclass(frozen=True, slots=True)
class SpanRelation:
    """A relation between two spans named by value (start, end, label)."""

    head: Span
    child: Span
    label: str = SOURCE_RELATION
    origin: str = field(default="human", compare=False)

    @property
    def key(self) -> tuple[tuple[int, int, str], tuple[int, int, str], str]:
        return (self.head.key, self.child.key, self.label)


@dataclass(frozen=True, slots=True)
class SpanAttribute:
    """An attribute value of a span named by value."""

    span: Span
    name: str
    value: str
    origin: str = field(default="human", compare=False)

    @property
    def key(self) -> tuple[tuple[int, int, str], str, str]:
        return (self.span.key, self.name, self.value)


@dataclass(frozen=True)
class ClaimWork:
    """One annotator's relations and attribute values on one article, by value."""

    relations: tuple[SpanRelation, ...] = ()
    attributes: tuple[SpanAttribute, ...] = ()

    def sources(self, claim: Span, label: str = SOURCE_RELATION) -> frozenset[Span]:
        """The spans ``claim`` is related to by ``label``."""
        return frozenset(r.child for r in self.relations if r.head == claim and r.label == label)

    def values(self, span: Span) -> dict[str, str]:
        """The attribute values stored on ``span`` (without defaults)."""
        return {a.name: a.value for a in self.attributes if a.span == span}


def by_value(
    spans: Iterable[Span], relations: Iterable[Relation], attributes: Iterable[AttributeValue]
) -> ClaimWork:
    """Stored work (by id) by value, given the annotator's spans on the article (with ids).

    Relations or values whose spans are not among ``spans`` are left out.
    """
    of_id = {span.id: span for span in spans if span.id is not None}
    return ClaimWork(
        tuple(
            SpanRelation(_plain(of_id[r.head]), _plain(of_id[r.child]), r.label, r.origin)
            for r in relations
            if r.head in of_id and r.child in of_id
        ),
        tuple(
            SpanAttribute(_plain(of_id[a.span]), a.name, a.value, a.origin)
            for a in attributes
            if a.span in of_id
        ),
    )


def by_id(
    spans: Iterable[Span],
    relations: Iterable[SpanRelation],
    attributes: Iterable[SpanAttribute] = (),
) -> tuple[list[Relation], list[AttributeValue]]:
    """Work by value as relations and values by id, given stored spans (with ids).

    Each value names the first stored span of the same start, end and label; relations and
    values whose spans are not stored are left out.
    """
    id_of: dict[tuple[int, int, str], int] = {}
    for span in spans:
        if span.id is not None:
            id_of.setdefault(span.key, span.id)
    found_relations = [
        Relation(id_of[r.head.key], id_of[r.child.key], r.label, r.origin)
        for r in relations
        if r.head.key in id_of and r.child.key in id_of
    ]
    found_values = [
        AttributeValue(id_of[a.span.key], a.name, a.value, a.origin)
        for a in attributes
        if a.span.key in id_of
    ]
    return found_relations, found_values


def carried_by_value(
    work: ClaimWork,
    removed: Sequence[Span],
    added: Sequence[Span],
    types: Sequence[RelationType],
) -> tuple[ClaimWork, list[SpanRelation], list[SpanRelation]]:
    """``work`` after an edit that replaced ``removed`` by ``added`` (by value), with each
    relation whose child went and lies inside a span added moved to that span, where its
    type allows that label (``carried_over``, for work named by value: the review's gold);
    and the relations moved, and those that lost their child."""
    gone = {span.key for span in removed} - {span.key for span in added}
    allowed = {t.name: t for t in types}
    relations: list[SpanRelation] = []
    carried: list[SpanRelation] = []
    dropped: list[SpanRelation] = []
    for relation in work.relations:
        if relation.child.key not in gone or relation.head.key in gone:
            relations.append(relation)
            continue
        into = _holding(added, relation.child)
        kind = allowed.get(relation.label)
        if into is not None and kind is not None and kind.allows(relation.head.label, into.label):
            relations.append(replace(relation, child=_plain(into)))
            carried.append(relations[-1])
        else:
            dropped.append(relation)
    return ClaimWork(tuple(relations), work.attributes), carried, dropped


def _holding(spans: Sequence[Span], inner: Span) -> Span | None:
    """The first of ``spans`` that holds ``inner`` whole."""
    return next((s for s in spans if s.start <= inner.start and inner.end <= s.end), None)


def what_became_of_claims(carried: Sequence[str], dropped: Sequence[str]) -> list[str]:
    """In words, for the status bar, what an edit that replaced a claim's source did with
    each relation, given their labels: ["it is the source of 1 claim now", "2 claims lost
    their source"]."""
    said = []
    for relation in sorted(set(carried)):
        said.append(f"it is the {relation} of {counted(carried.count(relation), 'claim')} now")
    for relation in sorted(set(dropped)):
        count = dropped.count(relation)
        said.append(f"{counted(count, 'claim')} lost {'its' if count == 1 else 'their'} {relation}")
    return said


def _plain(span: Span) -> Span:
    return Span(span.start, span.end, span.label, span.origin)


def effective_values(
    types: Sequence[AttributeType], label: str, stored: Mapping[str, str]
) -> dict[str, str]:
    """Every attribute of a span of ``label``: the stored value, else the default."""
    return {t.name: stored.get(t.name, t.default) for t in types if t.label == label}
