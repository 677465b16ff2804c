"""The entity rules: spaCy's labels mapped to LOCATION and FACTION, filtered, plus the lexicon.

The model's entities and the rule matches (the gazetteer and faction lexicon, found by two
``SpanRuler`` components into ``doc.spans[RULES_KEY]``) are candidates; overlapping ones are
settled by length, a rule match winning a tie. So the gazetteer fixes "Aleppo" tagged LANGUAGE,
while "Aleppo University" tagged ORG keeps its longer span.

Edges follow the guidelines: a model entity loses a leading "the" and a possessive "'s" at its
end ("the Nusra Front" → "Nusra Front", "Yemen's" → "Yemen"); so "the White Helmets" (FAC)
meets the [not factions] entry "White Helmets" at its length and loses to it, "the Kerem
Shalom" (ORG) to the gazetteer's "Kerem Shalom". A "The" stays only where the gazetteer or the
lexicon spells it as part of the name ("The Hague"); a generic phrase's "the" ("the army") is
context that the suggestion leaves out.

FACTION is for parties to a conflict, so of the model's ORG and NORP entities:

- news outlets, UN bodies, aid agencies, rights groups, civilian services and companies are
  dropped: a list, name endings such as "News", "Times", "Inc", words such as "Radio", "Civil
  Defence", "Red Crescent", "health", a leading "UN", lower-case media words ("the state news
  [agency]") and media words around the name ("state broadcaster RTB", "the state-run X");
  they are sources or bystanders;
- nationalities are dropped ("Syrian officials", "Afghan teenagers") unless an actor noun
  follows ("Kurdish fighters", "Syrian government forces"), which makes the whole phrase a
  FACTION;
- names the lexicon does not know are places where the words around them say so: "a market
  in Sarmin", "the al-Hol camp", "Nigeria, Niger, Chad and Cameroon"; named facilities too
  ("the Saudi Hospital").

Places from context, model or not: datelines in capitals ("IDLIB, Syria (Wire) —"; gazetteer
names also match in capitals), "the village of Kansafra", "residents of X", "Andarab, a valley
in ...". What context made of one mention, the model's other mentions of the name follow; a
name in brackets right after an entity is its alternative name, with its label ("El Fasher
(الفاشر)", "Sinjar Resistance Units (YBŞ)").

Smaller rules: a country the model tags ORG keeps it ("Russia said": metonymy, read from
context), and with a parse a place that is the subject of "said", "denies", "has not
commented"... is a government speaking ("Moscow denies"): FACTION; a place before "government"
or "regime" forms a faction's designation with it ("the Damascus government"); a generic word
after a place's name joins it ("Idlib province"); places after "pro-"/"anti-" are stances, not
places; "Operation X" is neither.

The word lists these rules read are data (``resources/entity_words.txt``, read by
``annotator.nlp.wordlists``); the helpers that read context are in ``entity_context.py``;
``components.py`` runs the rules as a pipeline component.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span
from annotator.core.spans import filter_overlapping
from annotator.nlp.entity_context import (
    MODEL_LABELS,
    NameContext,
    bracketed_name,
    end_char,
    merge_chains,
    past_headline_tag,
    pieces,
)
from annotator.nlp.lexicon import Lexicon
from annotator.nlp.organisations import Organisations
from annotator.nlp.wordlists import EntityWords

LOCATION = "LOCATION"
FACTION = "FACTION"
NOT_FACTION = "NOT_FACTION"  # a rule label that only vetoes: never suggested

#: Model entities that keep a shorter rule match inside them from being suggested:
#: "Jordan" in the PERSON "Michael Jordan".
BLOCKING_LABELS = {"PERSON", "WORK_OF_ART", "PRODUCT"}

RULES_KEY = "annotator_rules"
NAMES_RULER = "annotator_names"
ACTORS_RULER = "annotator_actors"

_MODEL_KINDS = {"GPE", "LOC", "FAC", "ORG", "NORP"} | BLOCKING_LABELS

__all__ = [
    "ACTORS_RULER",
    "FACTION",
    "LOCATION",
    "MODEL_LABELS",
    "NAMES_RULER",
    "NOT_FACTION",
    "RULES_KEY",
    "EntityRules",
    "plain_entity_spans",
]


def plain_entity_spans(doc: Doc) -> list[Span]:
    """The model's entities under the plain mapping, nothing filtered: the baseline."""
    return [
        Span(ent.start_char, ent.end_char, MODEL_LABELS[ent.label_], origin="model")
        for ent in doc.ents
        if ent.label_ in MODEL_LABELS
    ]


@dataclass(slots=True)
class _Candidate:
    start: int  # token indices, end exclusive
    end: int
    label: str | None  # None: blocks shorter matches, suggests nothing
    rule: bool
    context: bool = False  # labelled by the words around it: the name's other mentions follow


class EntityRules:
    """Turns a processed ``Doc`` into LOCATION and FACTION suggestions."""

    def __init__(self, lexicon: Lexicon, words: EntityWords):
        self.lexicon = lexicon
        self.words = words
        self.context = NameContext(words, lexicon.places, lexicon.not_factions)
        self.not_factions = set(lexicon.not_factions)
        self.countries = lexicon.countries
        self.actor_nouns = {noun.lower() for noun in lexicon.actor_nouns if " " not in noun}
        self.possessed_nouns = {tuple(noun.lower().split()) for noun in lexicon.actor_nouns}
        places = set(lexicon.places)
        # One-word adjectives of nationality or community that are not also the name of a
        # place ("Myanmar", "US" are both): the model tags some GPE ("Ukrainian officials").
        self.adjectives = {
            n for n in lexicon.nationalities if n[:1].isupper() and " " not in n and n not in places
        }
        self.orgs = Organisations(
            words, self.context, self.not_factions, self.actor_nouns, self.countries
        )

    def spans(self, doc: Doc) -> list[Span]:
        group = list(doc.spans.get(RULES_KEY, ()))
        known = _covered(doc, (s for s in group if s.label_ != LOCATION))
        model, others = self._model_candidates(doc, known)
        candidates = self._rule_candidates(doc, group, model, known) + model
        kept = _resolve(candidates)
        if self._follow_context(doc, kept, candidates, others):
            kept = _resolve(candidates)
        parsed = doc.has_annotation("DEP")
        # "Iran-backed Houthi rebels": the country is no place (put on the map beside the
        # FACTION "Houthi rebels"), and the whole phrase is the faction
        backers = {c.end: c.start for c in kept if c.label == LOCATION and _backs(doc, c.end)}
        spans = []
        for c in kept:
            if c.label is None or c.label == NOT_FACTION or c.end in backers:
                continue
            label, start, end = c.label, c.start, c.end
            if label == FACTION and c.start > 2 and _backs(doc, c.start - 2):
                start = backers.get(c.start - 2, c.start - 3)
            after = doc[end].lower_ if end < len(doc) else ""
            if label == FACTION and after in self.actor_nouns:
                end += 1  # "Hezbollah fighters", like "Kurdish fighters"
            elif label == LOCATION and after in self.words.government_nouns:
                label, end = FACTION, end + 1  # "the Kinshasa regime", "the Damascus government"
            elif label == LOCATION and after in self.words.name_nouns:
                end += 1  # the generic word belongs to the name: "Idlib province", "al-Hol camp"
            elif label == LOCATION and parsed and self.context.speaks(doc, c.start, end):
                label = FACTION  # a capital or country speaking for a government: "Moscow denies"
            spans.append(Span(doc[start].idx, end_char(doc, end), label, origin="model"))
        return filter_overlapping(spans)

    # -- rule matches ------------------------------------------------------------------------

    def _rule_candidates(
        self, doc: Doc, group: list[SpacySpan], model: list[_Candidate], known: bytearray
    ) -> list[_Candidate]:
        organisations = {(c.start, c.end) for c in model if c.label == FACTION}
        found: list[_Candidate] = []
        generic: list[tuple[int, int]] = []
        for span in group:
            if span.id_ == "generic":
                generic.append((span.start, span.end))
            elif span.label_ == LOCATION:
                if self.context.after_stance_prefix(doc, span.start):
                    continue  # "pro-Beijing" is a side, not a place
                if span.text in self.countries and (span.start, span.end) in organisations:
                    continue  # metonymy the model saw: "Russia said", "Sweden beat Tunisia"
                found.append(_Candidate(span.start, span.end, LOCATION, True))
            else:
                found.append(_Candidate(span.start, span.end, span.label_, True))
        # Chained actor phrases form one faction: "Syrian government" + "government forces";
        # their "the" is context, not part of the suggestion: "the army" gives "army".
        found += [
            _Candidate(s + (doc[s].lower_ == "the"), e, FACTION, True)
            for s, e in merge_chains(generic)
        ]
        found += [
            _Candidate(s, e, LOCATION, True, context=True)
            for s, e in self._places_from_context(doc, known)
        ]
        found += [_Candidate(s, e, FACTION, True) for s, e in self._countries_forces(doc, group)]
        return found

    def _countries_forces(self, doc: Doc, group: list[SpacySpan]) -> list[tuple[int, int]]:
        """ "Mali's army", "Ukraine's air force": a country's own forces after its
        possessive ("army" alone is a side only as "the army")."""
        found = []
        for span in group:
            i = span.end
            if not (
                span.label_ == LOCATION
                and span.text in self.countries
                and i + 1 < len(doc)
                and doc[i].text in ("'s", "’s", "'", "’")
            ):
                continue
            # "Mali's ruling junta": a word or two describing the forces may come first.
            first = i + 1
            while first < min(len(doc), i + 3) and doc[first].tag_ in ("JJ", "VBG", "VBN"):
                first += 1
            for n in (3, 2, 1):
                if tuple(t.lower_ for t in doc[first : first + n]) in self.possessed_nouns:
                    found.append((i + 1, first + n))
                    break
        return found

    def _places_from_context(self, doc: Doc, known: bytearray) -> list[tuple[int, int]]:
        """Names that the words around them make places, whatever the model says: datelines
        ("IDLIB, Syria (Wire) —"), "the village of X", "residents of X", "X, a town in"."""
        found = [(s, e) for s, e in self.context.datelines(doc) if not any(known[s:e])]
        named: list[tuple[int, int]] = []
        # Only "of" and "," can start these contexts: found as integers, not token by token.
        lower = doc.to_array("LOWER")
        strings = doc.vocab.strings
        for i in np.flatnonzero(lower == strings.add("of")).tolist():
            if i > 0 and doc[i - 1].lower_ in self.words.place_nouns_of:
                named.append((i + 1, self.context.name_end(doc, i + 1)))
        for i in np.flatnonzero(lower == strings.add(",")).tolist():
            if self.context.appositive_noun(doc, i, self.words.place_nouns_appositive):
                named.append((self.context.name_start(doc, i), i))
        for start, end in named:
            if (
                end > start
                and not any(known[start:end])
                and self.context.looks_like_place_name(doc, start, end)
                and not any(
                    t.ent_type_ in ("DATE", "TIME") or t.text in self.words.calendar
                    for t in doc[start:end]
                )
                and not (end < len(doc) and doc[end].lower_ in self.actor_nouns)
            ):
                found.append((start, end))
        return found

    # -- the model's entities ----------------------------------------------------------------

    def _model_candidates(
        self, doc: Doc, known: bytearray
    ) -> tuple[list[_Candidate], list[tuple[int, int]]]:
        """Candidates from the model; and names it saw that suggest nothing by themselves (a
        NORP without an actor noun: "A Bhamo resident"), for other mentions to label."""
        candidates: list[_Candidate] = []
        others: list[tuple[int, int]] = []
        # Surnames of people named in full: a later "Paris claims" is Valeska Paris speaking.
        ents = doc.ents
        surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1}
        for ent in ents:
            kind = ent.label_
            if kind not in _MODEL_KINDS:
                continue
            for start, end in pieces(doc, ent.start, ent.end):
                start = past_headline_tag(doc, start, self.words.headline_words)
                if start >= end:
                    continue  # "EXCLUSIVE -" at the top of a story: no name
                if (doc[start].text == "Operation" and end - start > 1) or (
                    end - start == 1 and doc[start].text in surnames
                ):
                    # "Operation Hadin Kai", "Bolden" after "Charles Bolden": neither a side
                    # nor a place.
                    candidates.append(_Candidate(start, end, None, False))
                    continue
                c = self._model_candidate(doc, kind, start, end, known)
                if c is not None:
                    candidates.append(c)
                else:
                    others.append((start, end))
        return candidates, others

    def _model_candidate(
        self, doc: Doc, kind: str, start: int, end: int, known: bytearray
    ) -> _Candidate | None:
        if kind in ("GPE", "LOC", "FAC"):
            if end - start == 1 and (doc[start].text in self.adjectives or doc[start].tag_ == "JJ"):
                kind = "NORP"  # "Ukrainian officials" tagged GPE: an adjective, not a place
            elif (
                doc[start].lower_ in self.words.stances
                and end - start > 2
                and doc[start + 1].text == "-"
            ):
                kind = "NORP"  # "the Pro-Beijing camp": a side, not a place
            elif self.context.after_tell(doc, start):
                return _Candidate(start, end, None, False)  # "told the Wire"
            else:
                return _Candidate(start, end, LOCATION, False)
        if kind == "ORG":
            if self.orgs.is_bystander(doc, start, end) or self.orgs.is_person(doc, start, end):
                return _Candidate(start, end, None, False)
            if doc[end - 1].text in self.words.facility_endings:
                # A named facility is a place: "the Saudi Hospital", "Mitiga Airport".
                return _Candidate(start, end, LOCATION, False)
            if self.orgs.is_place(doc, start, end, known):
                return _Candidate(start, end, LOCATION, False, context=True)
            return _Candidate(start, end, FACTION, False)
        if kind == "NORP":
            # A nationality is an actor only with an actor noun: "Alawite militias".
            if end < len(doc) and doc[end].lower_ in self.actor_nouns:
                return _Candidate(start, end + 1, FACTION, False)
            return None
        return _Candidate(start, end, None, False)  # BLOCKING_LABELS

    # -- other mentions and alternative names ------------------------------------------------

    def _follow_context(
        self,
        doc: Doc,
        kept: list[_Candidate],
        candidates: list[_Candidate],
        others: list[tuple[int, int]],
    ) -> bool:
        """What context made of one mention, the model's other mentions of the name follow;
        a name in brackets right after an entity is its alternative name: "El Fasher
        (الفاشر)", "Sinjar Resistance Units (YBŞ)". Adds to ``candidates`` and relabels them;
        True if anything changed."""
        labels: dict[str, str] = {}
        added: list[_Candidate] = []
        rule_starts = {c.start for c in kept if c.rule}
        for c in kept:
            if c.label not in (LOCATION, FACTION):
                continue
            if c.context:
                labels.setdefault(doc[c.start : c.end].text, c.label)
            alias = bracketed_name(doc, c.end)
            if alias is not None and alias[0] not in rule_starts:
                name = doc[alias[0] : alias[1]].text
                if name not in self.not_factions and name not in self.words.media_endings:
                    added.append(_Candidate(alias[0], alias[1], c.label, True))
                    labels.setdefault(name, c.label)
        if not labels:
            return False
        changed = bool(added)
        for c in candidates:
            if c.rule or c.label not in (LOCATION, FACTION):
                continue
            label = labels.get(doc[c.start : c.end].text)
            if label is not None and label != c.label:
                c.label, changed = label, True
        for start, end in others:
            label = labels.get(doc[start:end].text)
            if label is not None:
                added.append(_Candidate(start, end, label, False))
        candidates += added
        return changed or bool(added)


def _backs(doc: Doc, name_end: int) -> bool:
    """Whether the name ending at token ``name_end`` is joined to "-backed", "-led",
    "-allied" or "-aligned" ("Iran-backed", "NATO-led"): a backer, no place."""
    return (
        0 < name_end < len(doc) - 1
        and doc[name_end].text == "-"
        and not doc[name_end - 1].whitespace_
        and not doc[name_end].whitespace_
        and doc[name_end - 1].text[:1].isupper()
        and doc[name_end + 1].lower_ in _BACKING
    )


_BACKING = {"backed", "led", "allied", "aligned"}


def _covered(doc: Doc, spans: Iterable[SpacySpan]) -> bytearray:
    covered = bytearray(len(doc))
    for span in spans:
        covered[span.start : span.end] = b"\x01" * (span.end - span.start)
    return covered


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
