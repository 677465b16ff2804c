"""Components of a trained project model: a learned entity recognizer working with the rules.

A trained pipeline is the base pipeline with the rule components (``components.py``) plus:

- ``annotator_set_aside``: moves the base ``ner``'s entities (which the rules have used) to
  ``doc.spans["annotator_ontonotes"]`` and leaves ``doc.ents`` unset, so the learned
  recognizer predicts freely (a ``ner`` keeps entities already set);
- ``annotator_ner``: a copy of the base ``ner`` fine-tuned on the project's finished articles.
  It keeps the base model's labels, and the project's LOCATION and FACTION spans are taught
  as the base label closest to them (GPE, LOC or FAC; ORG or NORP), so it starts as good as
  the base model and learns the project's conventions (edges, which organisations are
  parties) from a handful of articles;
- ``annotator_merge``: the learned LOCATION and FACTION spans and the rules' suggestions
  become one set: per label, the plan that scored best in cross-validation on the training
  articles (``plan``: the rules alone, the learned spans alone, or one of them first and
  the other filling the gaps it leaves; see ``PLANS``). The result
  replaces the LOCATION and FACTION suggestions in ``doc.spans["annotator_suggestions"]``
  and is set as ``doc.ents``. Before that, the project's edge convention (``edges``,
  learned from the finished articles: whether a LOCATION or FACTION takes in a "the" before
  it or a possessive "'s" after it, as GUM's markables do and CoNLL's do not) is applied to
  every span of the label;
- ``annotator_claim_edges`` (after the attribution component, last): the rules' claims with
  the project's claim edges (``CLAIM_EDGES``, learned likewise: whether a claim takes in the
  full stop or comma after it and its quotation marks, as GUM's attributions do and the
  rules' guidelines do not). It comes last so that each claim's source is found as the
  rules find it; the suggested relations and attribute values follow their claims.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.nlp.attribution_component import ATTRIBUTES_KEY, RELATIONS_KEY
from annotator.nlp.claim_edges import CLAIM_PUNCTUATION
from annotator.nlp.claims import CLAIM
from annotator.nlp.components import SUGGESTIONS_KEY, put_suggestions
from annotator.nlp.entities import FACTION, LOCATION

Range = tuple[int, int, str]

SET_ASIDE = "annotator_set_aside"
LEARNED_NER = "annotator_ner"
MERGE = "annotator_merge"
ONTONOTES_KEY = "annotator_ontonotes"
LEARNED_KEY = "annotator_learned"
CLAIM_EDGES_COMPONENT = "annotator_claim_edges"

#: The learned recognizer's labels as suggestions.
SUGGESTED_AS = {"GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION, "ORG": FACTION, "NORP": FACTION}
#: A project's label taught as the base label the base model gave the same words, if one of
#: these, else the first.
TAUGHT_AS = {LOCATION: ("GPE", "LOC", "FAC"), FACTION: ("ORG", "NORP")}


@Language.factory(SET_ASIDE, default_config={"spans_key": ONTONOTES_KEY})
def make_set_aside(nlp: Language, name: str, spans_key: str):
    def set_aside(doc: Doc) -> Doc:
        doc.spans[spans_key] = list(doc.ents)
        doc.set_ents([], default="missing")
        return doc

    return set_aside


def learned_spans(doc: Doc) -> list[SpacySpan]:
    """The learned recognizer's entities as LOCATION and FACTION spans."""
    return [
        SpacySpan(doc, ent.start, ent.end, label=SUGGESTED_AS[ent.label_])
        for ent in doc.ents
        if ent.label_ in SUGGESTED_AS
    ]


#: Edge words a label may take in: a "the" before the span, a possessive after it.
LEADING_THE = "the"
POSSESSIVE = "'s"
EDGES = (LEADING_THE, POSSESSIVE)
_POSSESSIVES = ("'s", "’s")


def take_in_edges(doc: Doc, ranges: Iterable[Range], edges: dict[str, list[str]]) -> list[Range]:
    """Token ranges (start, end, label) widened by their label's edge convention: a "the"
    just before, a possessive "'s" just after, when no other range has that token."""
    kept = list(ranges)
    taken = {i for start, end, _ in kept for i in range(start, end)}
    widened = []
    for start, end, label in kept:
        words = edges.get(label, ())
        # Never across a sentence start: a headline's last word is no "the" of the next line.
        if (
            LEADING_THE in words
            and start > 0
            and start - 1 not in taken
            and doc[start - 1].lower_ == "the"
            and not doc[start].is_sent_start
        ):
            start -= 1
            taken.add(start)
        if (
            POSSESSIVE in words
            and end < len(doc)
            and end not in taken
            and doc[end].lower_ in _POSSESSIVES
            and not doc[end].is_sent_start
        ):
            taken.add(end)
            end += 1
        widened.append((start, end, label))
    return widened


#: Edges a claim may take in: the punctuation mark just after it (a full stop, a comma...),
#: and the quotation mark that opens it, with the one that closes it if the claim runs to
#: it ('"We fought them,"'; '"We urge them' of a quotation that goes on).
PUNCTUATION = "punctuation"
QUOTES = "quotes"
CLAIM_EDGES = (PUNCTUATION, QUOTES)
OPENING_QUOTES = frozenset('"“«')
CLOSING_QUOTES = frozenset('"”»')


def take_in_claim_edges(doc: Doc, ranges: Iterable[Range], words: Iterable[str]) -> list[Range]:
    """Token ranges of claims widened by the project's claim edges (``CLAIM_EDGES``): the
    punctuation mark after a claim's last word; an opening quotation mark just before its
    first word, and then the closing mark just after it. Only marks joined to the claim (no
    space between) are taken in."""
    words = set(words)
    widened = []
    for start, end, label in ranges:
        if (
            PUNCTUATION in words
            and end < len(doc)
            and doc[end].text in CLAIM_PUNCTUATION
            and not doc[end - 1].whitespace_
        ):
            end += 1
        if (
            QUOTES in words
            and start > 0
            and doc[start - 1].text in OPENING_QUOTES
            and not doc[start - 1].whitespace_
        ):
            start -= 1
            if end < len(doc) and doc[end].text in CLOSING_QUOTES and not doc[end - 1].whitespace_:
                end += 1
        widened.append((start, end, label))
    return widened


#: What each label may take, in order: the first source's spans go in first, the second
#: source's fill the gaps they leave.
PLANS = (("rules",), ("rules", "learned"), ("learned", "rules"), ("learned",))


def merge(
    plan: dict[str, list[str]], learned: Iterable[Range], rules: Iterable[Range]
) -> list[Range]:
    """One non-overlapping set of (start, end, label) ranges: every label's first source,
    then every label's second source where it overlaps nothing kept (a longer range never
    displaces one already kept).

    In the first round the labels kept on the rules go first: a label whose plan starts
    with the rules keeps every span the rules gave it, as today's suggestions have it (a
    learned FACTION such as "Saudi Arabia's Civil Defense Authority" took the rules' place
    "Saudi Arabia" away, and LOCATION, "kept on the rules", scored below them). Otherwise
    FACTION comes before LOCATION."""
    by_source = {"learned": list(learned), "rules": list(rules)}
    kept: list[Range] = []
    for round_ in (0, 1):
        labels = [FACTION, LOCATION]
        if round_ == 0:
            labels.sort(key=lambda label: _first(plan, label) != "rules")  # stable
        for label in labels:
            sources = plan.get(label, ["rules"])
            if round_ >= len(sources):
                continue
            for start, end, name in by_source[sources[round_]]:
                if name == label and all(end <= s or start >= e for s, e, _ in kept):
                    kept.append((start, end, name))
    return sorted(kept)


def _first(plan: dict[str, list[str]], label: str) -> str:
    return plan.get(label, ["rules"])[0]


class MergeSuggestions:
    """The learned entities and the rules' as the pipeline's LOCATION and FACTION suggestions."""

    def __init__(
        self,
        name: str,
        plan: dict[str, list[str]],
        spans_key: str,
        edges: dict[str, list[str]] | None = None,
    ):
        for label, sources in plan.items():
            if tuple(sources) not in PLANS:
                raise ValueError(f"{name}: {label} cannot take {sources}; choose from {PLANS}")
        for label, words in (edges or {}).items():
            if label not in (LOCATION, FACTION) or not set(words) <= set(EDGES):
                raise ValueError(f"{name}: {label} cannot take in {words}; choose from {EDGES}")
        self.name = name
        self.plan = {label: list(sources) for label, sources in plan.items()}
        self.edges = {label: list(words) for label, words in (edges or {}).items()}
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        learned = learned_spans(doc)
        doc.spans[LEARNED_KEY] = learned
        rules = [s for s in doc.spans.get(self.spans_key, ()) if s.label_ in (LOCATION, FACTION)]
        ranges = merge(self.plan, _ranges(learned), _ranges(rules))
        merged = [
            SpacySpan(doc, start, end, label=label)
            for start, end, label in take_in_edges(doc, ranges, self.edges)
        ]
        put_suggestions(doc, self.spans_key, (LOCATION, FACTION), merged)
        doc.set_ents(merged, default="outside")
        return doc


def _ranges(spans: Iterable[SpacySpan]) -> list[Range]:
    return [(span.start, span.end, span.label_) for span in spans]


@Language.factory(
    MERGE,
    default_config={
        "plan": {LOCATION: ["rules"], FACTION: ["rules"]},
        "spans_key": SUGGESTIONS_KEY,
        "edges": {},
    },
)
def make_merge(
    nlp: Language,
    name: str,
    plan: dict[str, list[str]],
    spans_key: str,
    edges: dict[str, list[str]],
) -> MergeSuggestions:
    return MergeSuggestions(name, plan, spans_key, edges)


class ClaimEdges:
    """The claims with the project's claim edges (``take_in_claim_edges``), and the suggested
    relations and attribute values of each claim moved to its new edges."""

    def __init__(self, name: str, words: list[str], spans_key: str):
        if not set(words) <= set(CLAIM_EDGES):
            raise ValueError(f"{name}: a claim cannot take in {words}; choose from {CLAIM_EDGES}")
        self.name = name
        self.words = list(words)
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        claims = [s for s in doc.spans.get(self.spans_key, ()) if s.label_ == CLAIM]
        wider = take_in_claim_edges(doc, _ranges(claims), self.words)
        moved = {
            (old.start_char, old.end_char): (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
            for old, (start, end, _) in zip(claims, wider, strict=True)
        }
        unique = dict.fromkeys((start, end) for start, end, _ in wider)  # two may become one
        put_suggestions(
            doc, self.spans_key, (CLAIM,), (SpacySpan(doc, s, e, label=CLAIM) for s, e in unique)
        )

        def edges(start: int, end: int, label: str) -> tuple[int, int]:
            return moved.get((start, end), (start, end)) if label == CLAIM else (start, end)

        relations = doc.user_data.get(RELATIONS_KEY, ())
        doc.user_data[RELATIONS_KEY] = list(
            dict.fromkeys(
                (*edges(hs, he, hl), hl, *edges(cs, ce, cl), cl, label)
                for hs, he, hl, cs, ce, cl, label in relations
            )
        )
        attributes = doc.user_data.get(ATTRIBUTES_KEY, ())
        doc.user_data[ATTRIBUTES_KEY] = list(
            dict.fromkeys((*edges(s, e, label), label, n, v) for s, e, label, n, v in attributes)
        )
        return doc


@Language.factory(CLAIM_EDGES_COMPONENT, default_config={"words": [], "spans_key": SUGGESTIONS_KEY})
def make_claim_edges(nlp: Language, name: str, words: list[str], spans_key: str) -> ClaimEdges:
    return ClaimEdges(name, words, spans_key)
