"""The entity layer: spaCy's labels mapped to LOCATION and FACTION, filtered, plus the lexicon.

The model's entities and the rule matches (the gazetteer and faction lexicon, found by two
``SpanRuler`` components into ``doc.spans[RULES_KEY]``) are candidates; overlapping ones are
settled by length, a rule match winning a tie. So the gazetteer fixes "Aleppo" tagged LANGUAGE,
while "Aleppo University" tagged ORG keeps its longer span.

FACTION is for parties to a conflict, so of the model's ORG and NORP entities:

- news outlets, UN bodies, aid agencies, rights groups and companies are dropped (a list,
  and name endings such as "News", "Times", "Inc"): they are sources or bystanders;
- nationalities are dropped ("Syrian officials", "Afghan teenagers") unless an actor noun
  follows ("Kurdish fighters", "Syrian government forces"), which makes the whole phrase a
  FACTION.

Smaller rules: a country the model tags ORG keeps it ("Russia said": metonymy, read from
context); places after "pro-"/"anti-" are stances, not places; "the" joins a faction's name
and a place whose name takes it ("the Nusra Front", "the Gaza Strip") unless the name only
modifies a noun ("the U.S. embassy").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span
from annotator.core.spans import filter_overlapping
from annotator.nlp.lexicon import Lexicon

LOCATION = "LOCATION"
FACTION = "FACTION"
NOT_FACTION = "NOT_FACTION"  # a rule label that only vetoes: never suggested

#: The plain mapping of spaCy's (OntoNotes) labels, used unfiltered by the quality baseline.
MODEL_LABELS = {"GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION, "ORG": FACTION, "NORP": FACTION}

#: Model entities that keep a shorter rule match inside them from being suggested:
#: "Jordan" in the PERSON "Michael Jordan".
BLOCKING_LABELS = {"PERSON", "WORK_OF_ART", "PRODUCT"}

RULES_KEY = "annotator_rules"
NAMES_RULER = "annotator_names"
ACTORS_RULER = "annotator_actors"

# Last words of ORG names that are news outlets or companies, not parties to a conflict.
MEDIA_ENDINGS = {
    "News", "Times", "Post", "Herald", "Gazette", "Journal", "Magazine", "Tribune",
    "Telegraph", "Daily", "Weekly", "TV", "Television", "Radio", "Broadcasting", "Chronicle",
    "Monitor", "Express", "Mirror", "Sun", "Star", "Independent", "Wire", "Reporter",
}  # fmt: skip
MEDIA_WORDS = {"News", "Press", "Broadcasting"}
COMPANY_ENDINGS = {
    "Inc", "Inc.", "Ltd", "Ltd.", "Corp", "Corp.", "Corporation", "Co.", "LLC", "plc", "PLC",
    "GmbH", "AG", "Holdings", "Airlines", "Airways", "Motors", "Technologies",
}  # fmt: skip
_ARTICLES = {"the", "The"}
_STANCES = {"pro", "anti"}
_MODIFIED_NOUNS = {
    "military", "army", "embassy", "government", "commander", "commanders", "official",
    "officials", "spokesman", "spokeswoman", "spokesperson", "leader", "leaders", "border",
    "side", "president", "minister", "ministry", "forces", "troops", "soldiers", "fighters",
    "camp", "vessel", "base", "brigade", "unit", "units", "offensive", "positions", "members",
    "statement", "source", "sources", "media", "envoy", "delegation", "authorities",
}  # fmt: skip
_WEB_ADDRESS = re.compile(r"\.(?:com|org|net|gov|info|co|ca|uk)\b", re.IGNORECASE)


def plain_entity_spans(doc: Doc) -> list[Span]:
    """The model's entities under the plain mapping, nothing filtered: the baseline."""
    return [
        Span(ent.start_char, ent.end_char, MODEL_LABELS[ent.label_], origin="model")
        for ent in doc.ents
        if ent.label_ in MODEL_LABELS
    ]


def add_entity_rulers(nlp: Language, lexicon: Lexicon) -> None:
    """Add the gazetteer and faction lexicon as two ``SpanRuler`` components.

    Names match case-sensitively (``ORTH``): "Hama" the city, not "hama". Generic actor
    phrases and nationality + actor noun combinations match in any case (``LOWER``).
    """
    # First in the pipeline: the rulers need only tokens, and SpanRuler runs the components
    # before it over every phrase pattern when it compiles them (seconds of parsing for nothing).
    names = nlp.add_pipe(
        "span_ruler",
        name=NAMES_RULER,
        first=True,
        config={"spans_key": RULES_KEY, "overwrite": True},
    )
    patterns: list[dict] = [
        {"label": LOCATION, "pattern": p, "id": "place"} for p in lexicon.places
    ]
    patterns += [{"label": FACTION, "pattern": p, "id": "named"} for p in lexicon.faction_names()]
    patterns += [
        {"label": NOT_FACTION, "pattern": p, "id": "not_faction"} for p in lexicon.not_factions
    ]
    names.add_patterns(patterns)  # type: ignore[attr-defined]

    actors = nlp.add_pipe(
        "span_ruler",
        name=ACTORS_RULER,
        after=NAMES_RULER,
        config={"spans_key": RULES_KEY, "overwrite": False, "phrase_matcher_attr": "LOWER"},
    )
    phrases = [p.lower() for p in lexicon.generic_factions]
    phrases += [
        f"{nationality} {noun}".lower()
        for nationality in lexicon.nationalities
        for noun in lexicon.actor_nouns
    ]
    actors.add_patterns(  # type: ignore[attr-defined]
        [{"label": FACTION, "pattern": p, "id": "generic"} for p in dict.fromkeys(phrases)]
    )


@dataclass(slots=True)
class _Candidate:
    start: int  # token indices, end exclusive
    end: int
    label: str | None  # None: blocks shorter matches, suggests nothing
    rule: bool
    takes_article: bool = False  # "the" before it joins the span: "the Nusra Front"


class EntityRules:
    """Turns a processed ``Doc`` into LOCATION and FACTION suggestions."""

    def __init__(self, lexicon: Lexicon):
        self.not_factions = set(lexicon.not_factions)
        self.countries = lexicon.countries
        self.article_places = lexicon.article_places
        self.actor_nouns = {noun.lower() for noun in lexicon.actor_nouns if " " not in noun}

    def spans(self, doc: Doc) -> list[Span]:
        model = self._model_candidates(doc)
        candidates = self._rule_candidates(doc, model) + model
        spans = []
        for c in _resolve(candidates):
            if c.label is None or c.label == NOT_FACTION:
                continue
            start, end = c.start, c.end
            if c.label == FACTION and end < len(doc) and doc[end].lower_ in self.actor_nouns:
                end += 1  # "Hezbollah fighters", like "Kurdish fighters"
            if (
                c.takes_article
                and start > 0
                and doc[start - 1].text in _ARTICLES
                and not _modifies_next(doc, end)
            ):
                start -= 1
            spans.append(Span(doc[start].idx, _end_char(doc, end), c.label, origin="model"))
        return filter_overlapping(spans)

    def _rule_candidates(self, doc: Doc, model: list[_Candidate]) -> list[_Candidate]:
        group = doc.spans.get(RULES_KEY, ())
        organisations = {(c.start, c.end) for c in model if c.label == FACTION and c.takes_article}
        found: list[_Candidate] = []
        generic: list[tuple[int, int]] = []
        for span in group:
            if span.id_ == "generic":
                generic.append((span.start, span.end))
            elif span.label_ == LOCATION:
                if _after_stance_prefix(doc, span.start):
                    continue  # "pro-Beijing" is a side, not a place
                if span.text in self.countries and (span.start, span.end) in organisations:
                    continue  # metonymy the model saw: "Russia said", "Sweden beat Tunisia"
                found.append(
                    _Candidate(
                        span.start, span.end, LOCATION, True, span.text in self.article_places
                    )
                )
            else:
                found.append(_Candidate(span.start, span.end, span.label_, True, True))
        # Chained actor phrases form one faction: "Syrian government" + "government forces".
        found += [_Candidate(s, e, FACTION, True) for s, e in _merge_chains(generic)]
        return found

    def _model_candidates(self, doc: Doc) -> list[_Candidate]:
        candidates = []
        for ent in doc.ents:
            label = ent.label_
            if label in ("GPE", "LOC", "FAC"):
                takes_article = ent.text in self.article_places
                candidates.append(_Candidate(ent.start, ent.end, LOCATION, False, takes_article))
            elif label == "ORG":
                if self._is_bystander(ent):
                    candidates.append(_Candidate(ent.start, ent.end, None, False))
                else:
                    candidates.append(_Candidate(ent.start, ent.end, FACTION, False, True))
            elif label == "NORP":
                # A nationality is an actor only with an actor noun: "Alawite militias".
                if ent.end < len(doc) and doc[ent.end].lower_ in self.actor_nouns:
                    candidates.append(_Candidate(ent.start, ent.end + 1, FACTION, False))
            elif label in BLOCKING_LABELS:
                candidates.append(_Candidate(ent.start, ent.end, None, False))
        return candidates

    def _is_bystander(self, ent: SpacySpan) -> bool:
        """A news outlet, UN body, aid agency, rights group or company: not a party."""
        text = ent.text
        if text.startswith(("the ", "The ")):
            text = text[4:]
        if text in self.not_factions or "news agency" in text.lower():
            return True
        last = ent[-1].text
        if last in MEDIA_ENDINGS or last in COMPANY_ENDINGS or _WEB_ADDRESS.search(text):
            return True
        return any(token.text in MEDIA_WORDS for token in ent)


def _after_stance_prefix(doc: Doc, start: int) -> bool:
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in _STANCES


def _modifies_next(doc: Doc, end: int) -> bool:
    """Is the name a modifier of what follows ("the U.S. military", "the Polaroid camera")?"""
    last = doc[end - 1]
    if end < len(doc) and doc[end].text == "-":
        return True  # "the Houthi-run agency": the name is half of a compound modifier
    if doc.has_annotation("DEP"):
        return last.dep_ in ("compound", "amod", "nmod") and last.head.i >= end
    # Without a parse, only a few nouns that names commonly modify are recognised.
    return end < len(doc) and doc[end].lower_ in _MODIFIED_NOUNS


def _merge_chains(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first; a rule match before a model entity of the same length."""
    kept: list[_Candidate] = []
    taken = bytearray()
    for c in sorted(candidates, key=lambda c: (c.start - c.end, not c.rule, c.start)):
        if len(taken) < c.end:
            taken.extend(bytes(c.end - len(taken)))
        if any(taken[c.start : c.end]):
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        kept.append(c)
    return kept


def _end_char(doc: Doc, end: int) -> int:
    token = doc[end - 1]
    return token.idx + len(token.text)
