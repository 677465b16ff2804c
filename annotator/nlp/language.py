"""Whether a text is English, the language of the pipelines the program suggests with.

A text is taken for another language when most of its letters are of another script
(Cyrillic, Arabic, Chinese...), or when it has more of another Latin-script language's stop
words than of English's and at least ``LEAST_SHARE`` of them (spaCy's lists). Running
English has 30–52 % English stop words; French, Spanish and Portuguese news 2–5 % of
English's and far more of their own. Counting English stop words alone took terse English
(a table of casualty figures, a wire brief of names and numbers: 4–9 %) for another
language. Suggestions on other languages are poor (a Ukrainian headline as a FACTION),
and nothing said so.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+")
#: Fewer words than this (a headline, a caption) say too little to judge by stop words:
#: none of 1,014 beginnings of English news (8-40 words of GUM and wikigold) is taken for
#: another language at 10; at 8, 3 are. (At 25, short briefs in Turkish or French passed.)
LEAST_WORDS = 10
#: Fewer letters than this say too little to judge by script (a Russian brief of 95
#: letters passed as English at 100).
LEAST_LETTERS = 12
#: Another language's stop words must be at least this share of the words.
LEAST_SHARE = 0.10
#: The characters read: the start of an article says its language.
SAMPLE = 5000
#: Latin-script languages of conflict news whose stop words spaCy ships.
OTHER_LANGUAGES = ("fr", "es", "pt", "de", "it", "nl", "id", "tr", "pl", "ro", "sv")


#: Parts of names in English news, which other languages' lists hold as stop words: "al"
#: twice in "Hay'at Tahrir al-Sham seized Maarat al-Numan" made it Spanish.
NAME_PARTS = frozenset(
    {"al", "el", "ad", "ash", "as", "at", "an", "ibn", "bin", "abu", "um", "umm", "bint",
     "de", "del", "della", "di", "da", "dos", "das", "do", "la", "le", "van", "von", "der",
     "den", "ter", "ten", "du", "des", "y"}
)  # fmt: skip
#: Marks that show nothing inside a word (a soft hyphen in "Ho\u00addeidah" cut it in two).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")


@lru_cache(maxsize=1)
def _other_stop_words() -> dict[str, frozenset[str]]:
    words = {}
    for code in OTHER_LANGUAGES:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
        # the words English lacks, names' parts aside
        words[code] = frozenset(module.STOP_WORDS) - STOP_WORDS - NAME_PARTS
    return words


def looks_english(text: str) -> bool:
    """Whether ``text`` reads as English (short texts are given the benefit of the doubt)."""
    sample = _INVISIBLE.sub("", text[:SAMPLE])
    letters = [c for c in sample if c.isalpha()]
    if len(letters) >= LEAST_LETTERS and sum(c > "\u024f" for c in letters) > len(letters) / 2:
        return False  # another script
    words = _WORD.findall(sample.lower())
    if len(words) < LEAST_WORDS:
        return True
    english = sum(word in STOP_WORDS for word in words)
    other = max(sum(w in stops for w in words) for stops in _other_stop_words().values())
    return not (other > english and other >= LEAST_SHARE * len(words))
