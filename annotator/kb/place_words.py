"""What the words in and around a place mention say of it, for ``place_linker``: "Idlib
province" asks for a region, "the town of Ariha" for a town, "the Britain-based monitor"
is no context, "Atlanta, Georgia" is qualified, "across the Dnipro" is no town; and whether
a town answers to a name only as its region's seat ("Akkar": Halba)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from annotator.core.model import Span
from annotator.kb.normalize import name_key
from annotator.kb.places import PLACE, REGION, Place

ALIKE = 0.5  # names this similar (of 1: the same) are spellings of one name

_REGION_WORDS = r"provinces?|governorates?|regions?|states?|oblasts?"
REGION_AFTER = re.compile(
    rf"^(?:(?:,\s*|\s+and\s+|\s+)(?:[A-Z][\w'’-]*\s*)+)*\s*({_REGION_WORDS})\b"
)
REGION_SUFFIX = re.compile(rf"\s+({_REGION_WORDS})$", re.IGNORECASE)
PLACE_SUFFIX = re.compile(r"\s+(?:city|town)$", re.IGNORECASE)
# "the Britain-based monitor", "the Iran-backed Houthis": no context (the article is not
# about Britain, nor Iran: Yemen's Taiz and Hodeidah were left ambiguous with Iran's towns)
BASED_AFTER = re.compile(
    r"[-–‑](?:based|backed|led|allied|aligned|funded|sponsored|supported|brokered|mediated)\b"
)
# "Atlanta, Georgia", "Tripoli in Lebanon": what stands between a name and its qualifier
QUALIFYING = re.compile(r",[ \t]*|[ \t]+in[ \t]+")
PLACE_BEFORE = re.compile(r"\b(?:town|city|village|capital|port)\s+of\s+$", re.IGNORECASE)
# "across the Dnipro", "the left bank of the Dnipro near Oleshky": a name after "the" that
# ends its phrase there is a river, a region or a country, not a town ("Dnipro" was the city,
# 300 km upstream). A town takes no "the" unless its name has one ("The Hague"), and a name
# before a noun says what the noun is of ("the Aleppo countryside", "the Tripoli-based").
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_PHRASE_ENDS = re.compile(
    r"[ \t]*(?:\n|$)|[ \t]+[^\w\s]|[^\w\s\-–‑]|\s+(?:rivers?|and|or|near|in|on|at|to|from|"
    r"with|into|between|as|by|for|of|where|which|that|while|but|after|before|since|until|"
    r"under|over|towards?|across|along|through|north|south|east|west|is|was|were|are|has|"
    r"had|have|said|says)\b"
)


def strip_article(mention: str) -> str:
    """The mention without "the" and a possessive ("the Gaza Strip", "Syria's")."""
    mention = mention.strip()
    if mention.lower().startswith("the "):
        mention = mention[4:]
    return re.sub(r"['’]s$", "", mention)


def no_town(text: str, span: Span) -> bool:
    """Whether the span's name comes after "the" and ends its phrase ("across the Dnipro",
    "the Dnipro near Oleshky"), as no town's name does."""
    the = text[span.start : span.end].lower().startswith("the ")
    the = the or _THE_BEFORE.search(text, max(0, span.start - 8), span.start) is not None
    return the and _PHRASE_ENDS.match(text, span.end) is not None


def has_the(name: str) -> bool:
    return name.lower().startswith("the ")


def spelled_alike(name: str, other: str) -> bool:
    """Whether two names are spellings of one ("Hama" and "Ḩamāh", "Akkar" and "Aakkâr"),
    not two names ("Akkar" and Halba). Of the gazetteer's 1,384 towns that answer to the
    name of the region they are in, 63 have a name less alike than this: some 50 are the
    seats of regions known by their own name (Bahia and Salvador, Penang and George Town,
    Parwan and Jabal os Saraj), the rest mostly one name in two scripts or languages
    (Mogilev and Mahilyow, Il-Birgu and Vittoriosa)."""
    return SequenceMatcher(None, name_key(name), name_key(other)).ratio() >= ALIKE


def seats_by_another_name(name: str, candidates: Sequence[Place]) -> frozenset[str]:
    """The towns among ``candidates`` called ``name`` only because their region is: the
    region's own name is ``name`` (spelled alike) and theirs another ("Akkar" is the
    governorate Aakkâr and, as another name, Halba, its seat; "Idlib" names both)."""
    regions = [p for p in candidates if p.kind == REGION and spelled_alike(p.name, name)]
    return frozenset(
        p.kb_id
        for p in candidates
        if p.kind == PLACE
        and any((p.country, p.admin1) == (r.country, r.admin1) for r in regions)
        and not spelled_alike(p.name, name)
    )
