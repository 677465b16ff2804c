"""What a linker says about one mention: the entry it refers to, or why there is none."""

from __future__ import annotations

from dataclasses import dataclass

#: A clear winner: ``kb_id`` is set.
LINKED = "linked"
#: Several entries fit and none clearly wins: ``kb_id`` is empty, ``candidates`` lists them.
AMBIGUOUS = "ambiguous"
#: No entry has this name: ``kb_id`` is empty.
UNKNOWN = "unknown"
#: A generic actor phrase ("rebels", "gunmen") that names no one actor.
GENERIC = "generic"
LINK_STATUSES = (LINKED, AMBIGUOUS, UNKNOWN, GENERIC)


def verdict_words(status: str, label: str) -> str:
    """The linker's verdict on a span with no entry, as the windows say it ("not in the
    gazetteer"; a FACTION's entries are actors, no gazetteer's)."""
    if status == UNKNOWN:
        return "not in the actors" if label == "FACTION" else "not in the gazetteer"
    return {AMBIGUOUS: "ambiguous", GENERIC: "generic: no one actor"}.get(status, status)


@dataclass(frozen=True, slots=True)
class Candidate:
    kb_id: str
    label: str  # "Kassab, Latakia, SY", "Hayat Tahrir al-Sham"
    score: float


@dataclass(frozen=True, slots=True)
class Link:
    """The linker's answer for the mention ``text[start:end]``."""

    start: int
    end: int
    kb_id: str  # empty unless status is LINKED
    status: str
    candidates: tuple[Candidate, ...] = ()  # best first
    note: str = ""  # e.g. 'name used 2012-2016', 'the army of the article's country'

    @property
    def linked(self) -> bool:
        return self.status == LINKED
