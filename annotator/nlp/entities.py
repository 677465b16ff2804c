"""The entity layer: spaCy's labels mapped to LOCATION and FACTION, filtered, plus the lexicon.

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
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
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
# Words of ORG names that make them news outlets wherever they stand: "Radio Okapi".
MEDIA_WORDS = {"News", "Press", "Broadcasting", "Radio", "Daily", "TV", "Television"}
COMPANY_ENDINGS = {
    "Inc", "Inc.", "Ltd", "Ltd.", "Corp", "Corp.", "Corporation", "Co.", "LLC", "plc", "PLC",
    "GmbH", "AG", "Holdings", "Airlines", "Airways", "Motors", "Technologies", "Telecom",
    "Telecoms",
}  # fmt: skip
# Last words of ORG names that are places: "a named facility used as a place".
FACILITY_ENDINGS = {
    "Hospital", "Airport", "Prison", "Crossing", "Dam", "Airbase", "Stadium", "Mosque",
    "Refinery",
}  # fmt: skip
_ARTICLES = {"the", "The"}
_POSSESSIVES = {"'s", "’s"}
_STANCES = {"pro", "anti"}
_WEB_ADDRESS = re.compile(r"\.(?:com|org|net|gov|info|co|ca|uk)\b", re.IGNORECASE)

# Lower-case words inside an ORG that make it a news outlet: "the state news [agency]".
_MEDIA_NOUNS = {"news", "media", "agency", "television", "broadcaster", "newspaper", "radio"}
# Lower-case words right before a name, or heading a description after it, that make it one:
# "state broadcaster RTB", "Radio Okapi, the UN-backed broadcaster".
_MEDIA_AROUND = {
    "broadcaster", "television", "tv", "newspaper", "radio", "channel", "station", "outlet",
    "website", "daily", "weekly", "magazine", "tabloid", "media",
}  # fmt: skip
# Civilian services, aid and rights bodies: they report, they do not fight.
_CIVIL_WORDS = {
    "health", "rescue", "emergency", "relief", "humanitarian", "refugee", "refugees",
    "disaster", "ambulance", "rights",
}  # fmt: skip
_CIVIL_PAIRS = {
    ("civil", "defence"), ("civil", "defense"), ("civil", "protection"), ("red", "crescent"),
    ("red", "cross"), ("atomic", "energy"),
}  # fmt: skip
# Title-case words of organisations: a name with one is no place, whatever the context.
_ORG_WORDS = {
    "Army", "Forces", "Force", "Front", "Brigade", "Brigades", "Battalion", "Regiment",
    "Division", "Corps", "Guard", "Guards", "Militia", "Movement", "Party", "Council",
    "Committee", "Ministry", "Government", "Union", "Alliance", "Coalition", "Group",
    "Organisation", "Organization", "Agency", "Commission", "Authority", "Command", "Police",
    "Congress", "Parliament", "Assembly", "Senate", "Court", "Bank", "Company", "University",
    "Institute", "Association", "Federation", "League", "Network", "Office", "Service",
    "Department", "Mission", "Unit", "Units", "Resistance", "Liberation", "Revolutionary",
}  # fmt: skip
# "the village of X", "residents of X".
_PLACE_NOUNS_OF = {
    "village", "villages", "town", "towns", "city", "district", "province", "region",
    "governorate", "county", "municipality", "camp", "neighbourhood", "neighborhood", "suburb",
    "suburbs", "outskirts", "settlement", "hamlet", "valley", "island", "oasis", "residents",
    "inhabitants", "locality", "commune",
}  # fmt: skip
# "X, a town in ...", "X, the frontline village where ...".
_PLACE_NOUNS_APPOSITIVE = {
    "village", "town", "city", "district", "province", "region", "governorate", "county",
    "municipality", "camp", "neighbourhood", "neighborhood", "suburb", "settlement", "hamlet",
    "valley", "island", "oasis", "locality", "commune", "crossing",
}  # fmt: skip
# A generic word after a place's name that belongs to the name: "Idlib province".
_NAME_NOUNS = {
    "province", "district", "governorate", "county", "municipality", "region", "camp",
    "crossing", "river", "airport", "airbase", "valley", "road", "highway", "zone",
}  # fmt: skip
# "a market in Sarmin": before a name the model calls ORG, these make it a place.
_PLACE_PREPOSITIONS = {
    "in", "into", "near", "outside", "around", "towards", "toward", "across", "inside",
    "throughout",
}  # fmt: skip
# After a place, nouns that make it a faction's designation: "the Damascus government".
_GOVERNMENT_NOUNS = {"government", "regime", "junta"}
_TELL = {"told", "tell", "tells", "telling"}
# Verbs whose subject, when it is a place, is a government acting: "Moscow denies".
_SPEECH_VERBS = {
    "said", "says", "denied", "denies", "commented", "comment", "comments", "responded",
    "respond", "responds", "accused", "accuses", "blamed", "blames", "claimed", "claims",
    "announced", "announces", "warned", "warns", "insisted", "insists", "confirmed",
    "confirms", "rejected", "rejects", "condemned", "condemns", "considers", "considered",
    "threatened", "threatens", "vowed", "vows", "demanded", "demands", "acknowledged",
    "admitted", "alleged", "retaliated",
}  # fmt: skip
# Lower-case particles inside Arabic and other names: "Deir ez-Zor", "al-Mawasi".
_PARTICLES = {
    "al", "el", "ad", "ar", "as", "ash", "at", "az", "ed", "er", "es", "ez", "an", "bin",
    "ibn", "de", "du", "la", "le",
}  # fmt: skip
_DASHES = {"-", "—", "–", "--"}
_COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
_CALENDAR = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
}  # fmt: skip
_MODEL_KINDS = {"GPE", "LOC", "FAC", "ORG", "NORP"} | BLOCKING_LABELS
_MAX_NAME = 6  # tokens in a name found from context alone


def plain_entity_spans(doc: Doc) -> list[Span]:
    """The model's entities under the plain mapping, nothing filtered: the baseline."""
    return [
        Span(ent.start_char, ent.end_char, MODEL_LABELS[ent.label_], origin="model")
        for ent in doc.ents
        if ent.label_ in MODEL_LABELS
    ]


def add_entity_rulers(nlp: Language, lexicon: Lexicon) -> None:
    """Add the gazetteer and faction lexicon as two ``SpanRuler`` components.

    Names match case-sensitively (``ORTH``): "Hama" the city, not "hama"; places also in
    capitals ("ALEPPO", in datelines and headlines) when that is at least five letters long:
    shorter ones ("GAO", "KUT") are as often acronyms. Generic actor phrases and nationality +
    actor noun combinations match in any case (``LOWER``).
    """
    # First in the pipeline: the rulers need only tokens, and SpanRuler runs the components
    # before it over every phrase pattern when it compiles them (seconds of parsing for nothing).
    names = nlp.add_pipe(
        "span_ruler",
        name=NAMES_RULER,
        first=True,
        config={"spans_key": RULES_KEY, "overwrite": True},
    )
    capitals = [p.upper() for p in lexicon.places if sum(ch.isalpha() for ch in p) >= 5]
    patterns: list[dict] = [
        {"label": LOCATION, "pattern": p, "id": "place"}
        for p in dict.fromkeys([*lexicon.places, *capitals])
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
    context: bool = False  # labelled by the words around it: the name's other mentions follow


class EntityRules:
    """Turns a processed ``Doc`` into LOCATION and FACTION suggestions."""

    def __init__(self, lexicon: Lexicon):
        self.not_factions = set(lexicon.not_factions)
        self.countries = lexicon.countries
        self.actor_nouns = {noun.lower() for noun in lexicon.actor_nouns if " " not in noun}
        places = set(lexicon.places)
        # One-word adjectives of nationality or community that are not also the name of a
        # place ("Myanmar", "US" are both): the model tags some GPE ("Ukrainian officials").
        self.adjectives = {
            n for n in lexicon.nationalities if n[:1].isupper() and " " not in n and n not in places
        }

    def spans(self, doc: Doc) -> list[Span]:
        group = list(doc.spans.get(RULES_KEY, ()))
        known = _covered(doc, (s for s in group if s.label_ != LOCATION))
        model, others = self._model_candidates(doc, known)
        candidates = self._rule_candidates(doc, group, model, known) + model
        kept = _resolve(candidates)
        if self._follow_context(doc, kept, candidates, others):
            kept = _resolve(candidates)
        parsed = doc.has_annotation("DEP")
        spans = []
        for c in kept:
            if c.label is None or c.label == NOT_FACTION:
                continue
            label, end = c.label, c.end
            after = doc[end].lower_ if end < len(doc) else ""
            if label == FACTION and after in self.actor_nouns:
                end += 1  # "Hezbollah fighters", like "Kurdish fighters"
            elif label == LOCATION and after in _GOVERNMENT_NOUNS:
                label, end = FACTION, end + 1  # "the Kinshasa regime", "the Damascus government"
            elif label == LOCATION and after in _NAME_NOUNS:
                end += 1  # the generic word belongs to the name: "Idlib province", "al-Hol camp"
            elif label == LOCATION and parsed and _speaks(doc, c.start, end):
                label = FACTION  # a capital or country speaking for a government: "Moscow denies"
            spans.append(Span(doc[c.start].idx, _end_char(doc, end), label, origin="model"))
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
                if _after_stance_prefix(doc, span.start):
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
            for s, e in _merge_chains(generic)
        ]
        found += [
            _Candidate(s, e, LOCATION, True, context=True)
            for s, e in self._places_from_context(doc, known)
        ]
        return found

    def _places_from_context(self, doc: Doc, known: bytearray) -> list[tuple[int, int]]:
        """Names that the words around them make places, whatever the model says: datelines
        ("IDLIB, Syria (Wire) —"), "the village of X", "residents of X", "X, a town in"."""
        found = [(s, e) for s, e in _datelines(doc) if not any(known[s:e])]
        named: list[tuple[int, int]] = []
        # Only "of" and "," can start these contexts: found as integers, not token by token.
        lower = doc.to_array("LOWER")
        strings = doc.vocab.strings
        for i in np.flatnonzero(lower == strings.add("of")).tolist():
            if i > 0 and doc[i - 1].lower_ in _PLACE_NOUNS_OF:
                named.append((i + 1, _name_end(doc, i + 1)))
        for i in np.flatnonzero(lower == strings.add(",")).tolist():
            if _appositive_noun(doc, i, _PLACE_NOUNS_APPOSITIVE):
                named.append((_name_start(doc, i), i))
        for start, end in named:
            if (
                end > start
                and not any(known[start:end])
                and _looks_like_place_name(doc, start, end)
                and not any(
                    t.ent_type_ in ("DATE", "TIME") or t.text in _CALENDAR for t in doc[start:end]
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
            for start, end in _pieces(doc, ent.start, ent.end):
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
            elif doc[start].lower_ in _STANCES and end - start > 2 and doc[start + 1].text == "-":
                kind = "NORP"  # "the Pro-Beijing camp": a side, not a place
            elif _after_tell(doc, start):
                return _Candidate(start, end, None, False)  # "told the Wire"
            else:
                return _Candidate(start, end, LOCATION, False)
        if kind == "ORG":
            if self._is_bystander(doc, start, end):
                return _Candidate(start, end, None, False)
            if doc[end - 1].text in FACILITY_ENDINGS:
                # A named facility is a place: "the Saudi Hospital", "Mitiga Airport".
                return _Candidate(start, end, LOCATION, False)
            if self._org_is_place(doc, start, end, known):
                return _Candidate(start, end, LOCATION, False, context=True)
            return _Candidate(start, end, FACTION, False)
        if kind == "NORP":
            # A nationality is an actor only with an actor noun: "Alawite militias".
            if end < len(doc) and doc[end].lower_ in self.actor_nouns:
                return _Candidate(start, end + 1, FACTION, False)
            return None
        return _Candidate(start, end, None, False)  # BLOCKING_LABELS

    def _org_is_place(self, doc: Doc, start: int, end: int, known: bytearray) -> bool:
        """An ORG the lexicon does not know, named like a place and used as one: "a market in
        Sarmin", "the al-Hol camp"."""
        if any(known[start:end]) or not _looks_like_place_name(doc, start, end):
            return False
        if end < len(doc):
            following = doc[end]
            if following.lower_ in self.actor_nouns:
                return False  # "Wazalendo militias"
            if following.is_lower and following.lower_ in _NAME_NOUNS:
                return True  # "al-Hol camp", "al-Nashwa district"
            if following.is_alpha and following.is_lower and not following.is_stop:
                return False  # the name modifies a noun: "in Hamas tunnels"
            if following.text in _POSSESSIVES:
                return False  # "in Lessing's play"
        if start > 0 and doc[start - 1].lower_ in _PLACE_PREPOSITIONS and doc[start - 1].is_lower:
            return True
        # Listed with places: "troops from Nigeria, Niger, Chad and Cameroon". Only countries:
        # other names in a list with places are as often companies ("Ubisoft, Microsoft").
        return (
            doc[start:end].text in self.countries
            and doc.has_annotation("DEP")
            and _listed_with_places(doc, start, end)
        )

    def _is_bystander(self, doc: Doc, start: int, end: int) -> bool:
        """A news outlet, UN body, aid agency, rights group, civilian service or company."""
        ent = doc[start:end]
        text = ent.text
        if text in self.not_factions or "news agency" in text.lower():
            return True
        words = [t.text for t in ent]
        if words[-1] in MEDIA_ENDINGS or words[-1] in COMPANY_ENDINGS:
            return True
        if _WEB_ADDRESS.search(text) or any(w in MEDIA_WORDS for w in words):
            return True
        if words[0] in ("UN", "U.N.") or words[:2] == ["United", "Nations"]:
            return True  # "the UN Support Mission in Libya"
        lower = [t.lower_ for t in ent]
        if any(w in _CIVIL_WORDS for w in lower) or any(
            pair in _CIVIL_PAIRS for pair in zip(lower, lower[1:], strict=False)
        ):
            return True  # "the Syrian Civil Defence", "the Libyan Red Crescent"
        if any(t.is_lower and t.lower_ in _MEDIA_NOUNS for t in ent):
            return True  # "the state news [agency SANA]", "the agency"
        if not any(ch.isupper() for ch in text):
            # No name ("production &amp"), unless it designates a side: "defence ministry".
            return not any(w in self.actor_nouns or w.startswith("ministr") for w in lower)
        if end - start == 1 and ent[0].is_title and ent[0].is_stop:
            return True  # "Next", "Several": a capitalised word, not a name
        return _named_as_media(doc, start, end)

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
            alias = _bracketed_name(doc, c.end)
            if alias is not None and alias[0] not in rule_starts:
                name = doc[alias[0] : alias[1]].text
                if name not in self.not_factions and name not in MEDIA_ENDINGS:
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


def _covered(doc: Doc, spans: Iterable[SpacySpan]) -> bytearray:
    covered = bytearray(len(doc))
    for span in spans:
        covered[span.start : span.end] = b"\x01" * (span.end - span.start)
    return covered


def _pieces(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """An entity's parts between paragraph breaks, with the guidelines' edges: no space or
    punctuation at either end, no leading "the", no possessive "'s" at the end
    ("Niger\n\nNIAMEY", "the Homeland (", "the Nusra Front", "Yemen's")."""
    first, last = doc[start], doc[end - 1]
    if not (
        first.is_space
        or first.is_punct
        or first.text in _ARTICLES
        or last.is_space
        or last.is_punct
        or last.text in _POSSESSIVES
    ) and (end - start < 3 or not any(doc[i].is_space for i in range(start + 1, end - 1))):
        return [(start, end)]  # nearly all entities
    pieces = []
    piece_start = start
    for i in range(start, end + 1):
        if i < end and not (doc[i].is_space and "\n" in doc[i].text):
            continue
        s, e = piece_start, i
        while s < e and (doc[s].is_space or doc[s].is_punct or doc[s].text in _ARTICLES):
            s += 1
        while e > s and (
            doc[e - 1].is_space or doc[e - 1].is_punct or doc[e - 1].text in _POSSESSIVES
        ):
            e -= 1
        if e > s:
            pieces.append((s, e))
        piece_start = i + 1
    return pieces


def _looks_like_place_name(doc: Doc, start: int, end: int) -> bool:
    """Capitalised words (and particles: "al-Mawasi"), no acronym, no organisation word."""
    if doc[end - 1].lower_.endswith("ism"):
        return False  # "towards Judaism"
    has_name = False
    for token in doc[start:end]:
        if token.text in _ORG_WORDS:
            return False
        if token.is_title:
            has_name = True
        elif not (token.lower_ in _PARTICLES or token.text in _DASHES or token.text in ("'", "’")):
            return False  # "NATO", "the", "Workers'"
    return has_name


def _name_end(doc: Doc, start: int) -> int:
    """The end of a capitalised name starting at ``start`` ("Kansafra", "Deir ez-Zor",
    "al-Mawasi"), or ``start`` if there is none."""
    end = start
    i = start
    while i < len(doc) and i - start < _MAX_NAME:
        token = doc[i]
        if token.is_title:
            end = i = i + 1
        elif (token.lower_ in _PARTICLES or token.text in _DASHES) and i + 1 < len(doc):
            i += 1  # only inside a name: a title word must follow
        else:
            break
    return end


def _name_start(doc: Doc, end: int) -> int:
    """The start of a capitalised name ending at ``end`` (exclusive), or ``end``."""
    start = end
    i = end - 1
    while i >= 0 and end - i <= _MAX_NAME:
        token = doc[i]
        if token.is_title and not token.is_stop:
            start = i
        elif not (token.lower_ in _PARTICLES or token.text in _DASHES):
            break
        i -= 1
    if start > 0 and doc[start - 1].lower_ in _PARTICLES and doc[start - 1].is_lower:
        start -= 1  # "al-Mawasi": the particle starts the name
    return start


def _datelines(doc: Doc) -> list[tuple[int, int]]:
    """ "IDLIB, Syria (Wire) —", "ADDIS ABABA, Ethiopia —", "BEIRUT (Reuters) -": the place
    in capitals at the start of a paragraph, and the country after its comma."""
    found = []
    for i in _paragraph_starts(doc):
        end = i
        while end < len(doc) and end - i < _MAX_NAME:
            token = doc[end]
            if token.is_upper and token.text[0].isalpha():
                end += 1
            elif token.text in _DASHES and end > i and end + 1 < len(doc) and doc[end + 1].is_upper:
                end += 1  # "DEIR AL-BALAH"
            else:
                break
        if end == i or end >= len(doc) or not any(len(t) > 1 for t in doc[i:end]):
            continue
        mark = doc[end].text
        if mark == ",":
            after = end + 1
            stop = after
            while (
                stop < len(doc)
                and stop - after < _MAX_NAME
                and (doc[stop].is_title or doc[stop].lower_ in ("of", "the", "and"))
            ):
                stop += 1
            if (
                stop < len(doc)
                and stop > after
                and doc[stop].text in ("(", *_DASHES)
                and not any(t.text in _CALENDAR for t in doc[after:stop])  # "UPDATE, Monday —"
            ):
                found += [(i, end), (after, stop)]
        elif mark in _DASHES or mark == "(":
            found.append((i, end))
    return found


def _paragraph_starts(doc: Doc) -> Iterable[int]:
    if len(doc):
        yield 0
    for i in np.flatnonzero(doc.to_array("IS_SPACE")).tolist():
        if i + 1 < len(doc) and "\n" in doc[i].text:
            yield i + 1


def _appositive_noun(doc: Doc, comma: int, nouns: set[str]) -> bool:
    """ "X, a small town in", "X, the UN-backed broadcaster,": one of ``nouns`` heads a short
    description right after the name's comma (not "X, a village elder")."""
    if comma + 2 >= len(doc) or doc[comma + 1].lower_ not in ("a", "an", "the"):
        return False
    for k in range(comma + 2, min(len(doc), comma + 7)):
        token = doc[k]
        if token.is_lower and token.lower_ in nouns:
            if k + 1 == len(doc):
                return True
            following = doc[k + 1]
            return not (following.is_alpha and following.is_lower) or (
                following.is_stop or following.lower_ in _COMPASS
            )
        if token.is_stop or not (token.is_lower or token.text in _DASHES or token.is_title):
            return False  # "on Sunday, the latest assault on a town": not a description of X
    return False


def _named_as_media(doc: Doc, start: int, end: int) -> bool:
    """ "state broadcaster RTB", "the state-run Global New Light", "Radio Okapi, the UN-backed
    broadcaster": the words around the name say it is an outlet."""
    i = start - 1
    if i >= 0 and doc[i].text in _ARTICLES:
        i -= 1
    if i >= 0 and doc[i].is_lower:
        word = doc[i].lower_
        if word in _MEDIA_AROUND or word == "agency" and i > 0 and doc[i - 1].lower_ == "news":
            return True
        if word in ("run", "owned") and i >= 2 and doc[i - 1].text == "-":
            return doc[i - 2].lower_ == "state"  # "state-run", "state-owned"
    return end < len(doc) and doc[end].text == "," and _appositive_noun(doc, end, _MEDIA_AROUND)


def _listed_with_places(doc: Doc, start: int, end: int) -> bool:
    """Coordinated with a place the model found: "Nigeria, Niger, Chad and Cameroon"."""
    root = doc[end - 1]
    return any(p.ent_type_ in ("GPE", "LOC") and not start <= p.i < end for p in root.conjuncts)


def _bracketed_name(doc: Doc, end: int) -> tuple[int, int] | None:
    """The name in brackets right after an entity: "(الفاشر)", "(YBŞ)", not "(Wire)" after a
    dateline's country nor a description ("(Ḥalab to its inhabitants)")."""
    if end + 2 >= len(doc) or doc[end].text != "(":
        return None
    close = end + 1
    while close < len(doc) and close - end <= 4 and doc[close].text != ")":
        token = doc[close]
        if token.is_lower and token.is_ascii or token.is_digit or token.is_space:
            return None
        close += 1
    if close >= len(doc) or doc[close].text != ")" or close == end + 1:
        return None
    if close + 1 < len(doc) and doc[close + 1].text in _DASHES:
        return None  # "Syria (Wire) —": the agency of a dateline
    inside = doc[end + 1 : close]
    if not any(_is_alternative_name(t.text) or t.ent_type_ in MODEL_LABELS for t in inside):
        return None  # "District Council (Second)": a word, not another name
    return (end + 1, close)


def _is_alternative_name(word: str) -> bool:
    """An acronym ("KIA", "FAMa", "YBŞ") or a word in another script ("الفاشر")."""
    return sum(ch.isupper() for ch in word) >= 2 or any(
        ch.isalpha() and ord(ch) > 0x24F for ch in word
    )


def _after_tell(doc: Doc, start: int) -> bool:
    """ "told the Wire": one tells a person or an outlet, not a place."""
    i = start - 1
    if i >= 0 and doc[i].text in _ARTICLES:
        i -= 1
    return i >= 0 and doc[i].lower_ in _TELL


def _speaks(doc: Doc, start: int, end: int) -> bool:
    """Is the place the subject of a verb of saying or stance: "Moscow has not commented"?"""
    root = doc[end - 1]
    while start <= root.head.i < end and root.head.i != root.i:
        root = root.head
    return root.dep_ == "nsubj" and root.head.lower_ in _SPEECH_VERBS


def _after_stance_prefix(doc: Doc, start: int) -> bool:
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in _STANCES


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
