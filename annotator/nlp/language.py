"""Whether a text is English, the language of the pipelines the program suggests with.

By the share of its words that are English stop words (spaCy's list): running English has
30–50 % of them (GUM's news 0.32–0.52, the bundled samples 0.37–0.44), French, Spanish and
Portuguese news 2–5 %, other scripts none. Suggestions on other languages are poor (a
Ukrainian headline as a FACTION), and nothing said so.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+")
#: Fewer words than this (a headline, a caption) say too little to judge.
LEAST_WORDS = 25
#: Below this share of stop words a text is taken for another language.
LEAST_SHARE = 0.15
#: The characters read: the start of an article says its language.
SAMPLE = 5000


def looks_english(text: str) -> bool:
    """Whether ``text`` reads as English (short texts are given the benefit of the doubt)."""
    words = _WORD.findall(text[:SAMPLE].lower())
    if len(words) < LEAST_WORDS:
        return True
    return sum(word in STOP_WORDS for word in words) >= LEAST_SHARE * len(words)
