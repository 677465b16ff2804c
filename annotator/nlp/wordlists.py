"""The word lists the entity and claim rules read, from data files in ``resources/``.

Each file holds ``[section]`` blocks with one entry per line and ``#`` comments, the format
of the faction lexicon; see the comments at the top of ``entity_words.txt`` and
``claim_words.txt``. The rule components keep the text they were built from and write it
into a saved pipeline, so a project model carries the lists it was made with.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from annotator.core.resources import resource_text

ENTITY_WORDS = "entity_words.txt"
CLAIM_WORDS = "claim_words.txt"


def entry_lines(text: str) -> list[str]:
    """The non-empty lines of a data file, comments and surrounding spaces removed."""
    lines = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def read_sections(
    text: str, resource: str, sections: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """The ``[section]`` blocks of a data file, entries in order; every section must be known
    and present, so a typo in a file is an error rather than a rule that silently stops.
    ``optional`` sections may be missing (sections added after pipelines were saved with
    the file: the caller fills them in)."""
    found: dict[str, list[str]] = {}
    current = None
    for line in entry_lines(text):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            if current not in sections and current not in optional:
                raise ValueError(f"{resource}: unknown section [{current}]")
            found.setdefault(current, [])
            continue
        if current is None:
            raise ValueError(f"{resource}: {line!r} comes before any [section]")
        found[current].append(line)
    missing = [name for name in sections if name not in found]
    if missing:
        raise ValueError(f"{resource}: no section [{missing[0]}]")
    return found


_ENTITY_SECTIONS = (
    "media endings", "media words", "company endings", "facility endings",
    "organisation words", "media nouns", "media around", "civil words", "civil pairs",
    "place nouns before of", "place nouns after a name", "name nouns", "place prepositions",
    "government nouns", "tell", "speech verbs", "particles", "stances", "compass", "calendar",
)  # fmt: skip
#: Added after project models were first saved: a saved copy without them takes the shipped.
_LATER_ENTITY_SECTIONS = ("person titles", "accusing verbs", "headline words")


@dataclass(frozen=True)
class EntityWords:
    """What the entity rules read inside and around names (``entity_words.txt``)."""

    text: str  # the file as read: written into saved pipelines
    media_endings: frozenset[str]
    media_words: frozenset[str]
    company_endings: frozenset[str]
    facility_endings: frozenset[str]
    organisation_words: frozenset[str]
    media_nouns: frozenset[str]
    media_around: frozenset[str]
    civil_words: frozenset[str]
    civil_pairs: frozenset[tuple[str, ...]]
    place_nouns_of: frozenset[str]
    place_nouns_appositive: frozenset[str]
    name_nouns: frozenset[str]
    place_prepositions: frozenset[str]
    government_nouns: frozenset[str]
    tell: frozenset[str]
    speech_verbs: frozenset[str]
    particles: frozenset[str]
    stances: frozenset[str]
    compass: frozenset[str]
    calendar: frozenset[str]
    person_titles: frozenset[str]  # "spokeswoman Leni Kinzli": a person, not a faction
    accusing_verbs: frozenset[str]  # "blamed Israel", "was accused by the Philippines"
    headline_words: frozenset[str]  # "BREAKING NEWS -": a headline, no dateline's place

    @classmethod
    def parse(cls, text: str) -> EntityWords:
        s = _sections(text, ENTITY_WORDS, _ENTITY_SECTIONS, _LATER_ENTITY_SECTIONS)
        return cls(
            text=text,
            media_endings=frozenset(s["media endings"]),
            media_words=frozenset(s["media words"]),
            company_endings=frozenset(s["company endings"]),
            facility_endings=frozenset(s["facility endings"]),
            organisation_words=frozenset(s["organisation words"]),
            media_nouns=frozenset(s["media nouns"]),
            media_around=frozenset(s["media around"]),
            civil_words=frozenset(s["civil words"]),
            civil_pairs=frozenset(tuple(pair.split()) for pair in s["civil pairs"]),
            place_nouns_of=frozenset(s["place nouns before of"]),
            place_nouns_appositive=frozenset(s["place nouns after a name"]),
            name_nouns=frozenset(s["name nouns"]),
            place_prepositions=frozenset(s["place prepositions"]),
            government_nouns=frozenset(s["government nouns"]),
            tell=frozenset(s["tell"]),
            speech_verbs=frozenset(s["speech verbs"]),
            particles=frozenset(s["particles"]),
            stances=frozenset(s["stances"]),
            compass=frozenset(s["compass"]),
            calendar=frozenset(s["calendar"]),
            person_titles=frozenset(s["person titles"]),
            accusing_verbs=frozenset(s["accusing verbs"]),
            headline_words=frozenset(s["headline words"]),
        )


_CLAIM_SECTIONS = (
    "reporting verbs", "ambiguous without tags", "open complement verbs", "accusation verbs",
    "not after", "openers", "quotation verbs", "clause starters",
)  # fmt: skip
#: Added after project models were first saved, so a saved copy without them takes the
#: shipped ones; the first four are read by the attribution component only (``speakers.py``,
#: ``attribution.py``).
_LATER_CLAIM_SECTIONS = (
    "denial verbs", "claim nouns", "spokespersons", "after the source", "aside nouns",
    "pledge verbs",
)  # fmt: skip


@dataclass(frozen=True)
class ClaimWords:
    """What the claim rules look for (``claim_words.txt``)."""

    text: str  # the file as read: written into saved pipelines
    reporting_forms: dict[str, str]  # form -> lemma: "said" -> "say"
    ambiguous_without_tags: frozenset[str]
    xcomp_verbs: frozenset[str]
    accusation_verbs: dict[str, str]  # lemma -> preposition: "accuse" -> "of"
    not_after: frozenset[str]
    openers: frozenset[str]
    quotation_verbs: tuple[str, ...]
    clause_starters: frozenset[str]
    denial_forms: dict[str, str]  # form -> lemma: "denied" -> "deny"
    claim_nouns: frozenset[str]  # "denied reports that ...": a claim hangs from the noun
    spokespersons: frozenset[str]  # "a spokesman for the RSF": the group is the source
    after_source: frozenset[str]  # "…, the military said, as …": the claim ends before
    aside_nouns: frozenset[str]  # "… - a claim the army denied": the writer's, not the claim's
    pledge_forms: frozenset[str]  # "… — a claim … — and vowed more attacks": no claim

    @property
    def own_act_forms(self) -> frozenset[str]:
        """Forms of verbs that, after the writer's aside, tell what the speaker did rather
        than what it said: a pledge, or another statement ("and vowed", "and denied")."""
        return self.pledge_forms | self.cue_forms

    @property
    def saying_forms(self) -> frozenset[str]:
        """Forms of the reporting verbs that deny nothing: the noun of ", a tally by the
        health ministry said" speaks; that of ", a claim the army denied" is the writer's."""
        return frozenset(self.reporting_forms) - frozenset(self.denial_forms)

    @property
    def cue_forms(self) -> frozenset[str]:
        """Forms of the verbs that introduce a claim: reporting and denial verbs."""
        return frozenset(self.reporting_forms) | frozenset(self.denial_forms)

    @classmethod
    def parse(cls, text: str) -> ClaimWords:
        s = _sections(text, CLAIM_WORDS, _CLAIM_SECTIONS, _LATER_CLAIM_SECTIONS)
        return cls(
            text=text,
            reporting_forms=_forms(s["reporting verbs"]),
            ambiguous_without_tags=frozenset(s["ambiguous without tags"]),
            xcomp_verbs=frozenset(s["open complement verbs"]),
            accusation_verbs=dict(_pair(line) for line in s["accusation verbs"]),
            not_after=frozenset(s["not after"]),
            openers=frozenset(s["openers"]),
            quotation_verbs=tuple(s["quotation verbs"]),
            clause_starters=frozenset(s["clause starters"]),
            denial_forms=_forms(s["denial verbs"]),
            claim_nouns=frozenset(s["claim nouns"]),
            spokespersons=frozenset(s["spokespersons"]),
            after_source=frozenset(s["after the source"]),
            aside_nouns=frozenset(s["aside nouns"]),
            pledge_forms=frozenset(_forms(s["pledge verbs"])),
        )


def _sections(
    text: str, resource: str, sections: tuple[str, ...], later: tuple[str, ...]
) -> dict[str, list[str]]:
    """``read_sections``, with the ``later`` sections a saved copy lacks from the shipped."""
    found = read_sections(text, resource, sections, optional=later)
    if any(name not in found for name in later):
        shipped = read_sections(resource_text(resource), resource, sections, later)
        found = {**{name: shipped[name] for name in later}, **found}
    return found


def _forms(lines: list[str]) -> dict[str, str]:
    """``["say: say says said"]`` -> ``{"say": "say", "says": "say", "said": "say"}``."""
    return {form: lemma for lemma, forms in map(_pair, lines) for form in forms.split()}


def _pair(line: str) -> tuple[str, str]:
    """``"say: say says said"`` -> ``("say", "say says said")``."""
    key, sep, value = line.partition(":")
    if not sep or not key.strip() or not value.strip():
        raise ValueError(f"{CLAIM_WORDS}: {line!r} should read 'word: words'")
    return key.strip(), value.strip()


@lru_cache(maxsize=1)
def load_entity_words() -> EntityWords:
    return EntityWords.parse(resource_text(ENTITY_WORDS))


@lru_cache(maxsize=1)
def load_claim_words() -> ClaimWords:
    return ClaimWords.parse(resource_text(CLAIM_WORDS))
