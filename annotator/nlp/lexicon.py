"""The gazetteer and the faction lexicon shipped in ``resources/``.

Both are plain text files a person can read and extend; see the comments at their top for
the format. The named factions are the actor knowledge base's names
(``resources/kb/actors.jsonl``, ``annotator.kb.actors``): one file the suggestion rules and
the linker both read. They are read once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from annotator.core.resources import resource_text
from annotator.kb.actors import ACTORS, ActorKB, named_faction_groups, parse_actors
from annotator.nlp.wordlists import entry_lines

GAZETTEER = "gazetteer.txt"
FACTIONS = "factions.txt"
#: The actor knowledge base's file name, as a saved pipeline keeps its copy.
ACTORS_FILE = ACTORS[-1]
# "named" is read in files saved before the named factions moved to the actor KB.
_SECTIONS = ("named", "generic", "actors", "nationalities", "not factions")


@dataclass(frozen=True)
class Lexicon:
    """What the rules know beyond the model."""

    places: tuple[str, ...]  # case-sensitive names
    countries: frozenset[str]  # the places of the gazetteer's "Countries" section
    named_factions: tuple[tuple[str, ...], ...]  # each actor: its names (canonical first)
    generic_factions: tuple[str, ...]  # any case: "government forces", "rebels"
    actor_nouns: tuple[str, ...]  # any case: "troops" in "Syrian troops"
    nationalities: tuple[str, ...]  # any case: "Syrian", "Iranian-backed"
    not_factions: tuple[str, ...]  # case-sensitive: outlets, UN bodies, aid agencies
    #: The files as read: a saved pipeline carries them (``annotator.nlp.components``).
    factions_text: str = field(default="", repr=False, compare=False)
    gazetteer_text: str = field(default="", repr=False, compare=False)
    actors_text: str = field(default="", repr=False, compare=False)

    def faction_names(self) -> list[str]:
        """Every name and alias of the named groups, with "Al-" variants of "al-" names."""
        names: list[str] = []
        for group in self.named_factions:
            for name in group:
                names.append(name)
                if name.startswith(("al-", "al ")):
                    names.append("A" + name[1:])
        return list(dict.fromkeys(names))


def parse_gazetteer(text: str) -> tuple[list[str], set[str]]:
    """Places, and the countries among them."""
    places: list[str] = []
    countries: set[str] = set()
    section = ""
    for raw in text.splitlines():
        if raw.startswith("## "):
            section = raw[3:].strip().lower()
            continue
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        places.append(_without_article(GAZETTEER, line))
        if section.startswith("countries"):
            countries.add(line)
    return list(dict.fromkeys(places)), countries


def _without_article(resource: str, name: str) -> str:
    """A name as the guidelines mark it: no leading lower-case "the" ("The Hague" is a name)."""
    if name.startswith("the "):
        raise ValueError(f'{resource}: write {name!r} without "the", as it is marked')
    return name


def parse_factions(lines: list[str]) -> dict[str, list[str]]:
    """The ``[section]`` blocks of the faction lexicon, lines in order."""
    sections: dict[str, list[str]] = {name: [] for name in _SECTIONS}
    current = None
    for line in lines:
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            if current not in sections:
                raise ValueError(f"{FACTIONS}: unknown section [{current}]")
            continue
        if current is None:
            raise ValueError(f"{FACTIONS}: {line!r} comes before any [section]")
        sections[current].append(line)
    return sections


def parse_lexicon(factions_text: str, gazetteer_text: str, actors_text: str = "") -> Lexicon:
    """The lexicon of these files (``factions.txt``, ``gazetteer.txt``, ``actors.jsonl``).

    The named factions are the actors' names; a ``[named]`` section of ``factions.txt``
    (pipelines saved before the actor knowledge base held them) adds its groups."""
    sections = parse_factions(entry_lines(factions_text))
    places, countries = parse_gazetteer(gazetteer_text)
    named = named_faction_groups(ActorKB(parse_actors(actors_text, ACTORS_FILE)))
    named += tuple(
        tuple(_without_article(FACTIONS, name.strip()) for name in line.split("|") if name.strip())
        for line in sections["named"]
    )
    return Lexicon(
        places=tuple(places),
        countries=frozenset(countries),
        named_factions=named,
        generic_factions=tuple(sections["generic"]),
        actor_nouns=tuple(sections["actors"]),
        nationalities=tuple(sections["nationalities"]),
        not_factions=tuple(sections["not factions"]),
        factions_text=factions_text,
        gazetteer_text=gazetteer_text,
        actors_text=actors_text,
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon shipped in ``resources/``."""
    return parse_lexicon(resource_text(FACTIONS), resource_text(GAZETTEER), resource_text(*ACTORS))
