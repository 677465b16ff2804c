"""Name keys: one spelling for the many ways a name is written.

"Al-Hasakah", "al Hasakah", "HASAKAH", "Ḥasakah" and "الحسكة" (the Arabic article too) all
reduce to a key in which case, diacritics, apostrophes, hyphens and a leading Arabic article
do not count, and an inner article ("Jisr ash-Shughur", "Jisr al-Shughur") is one word.
Both the gazetteer's names and the mentions are compared by these keys.
"""

from __future__ import annotations

import re
import unicodedata

# The Arabic article in its Latin spellings, assimilated ("ash-Sham") or not ("al-Sham").
_ARTICLES = frozenset(
    ["al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "ath", "adh"]
    + ["ed", "er", "es", "et", "ez", "ul", "il"]
)
_APOSTROPHES = "'’‘ʼʿʾ`´ʻ"
_ARABIC = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None, "ٱ": "ا"})
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
_DROP = str.maketrans("", "", _APOSTROPHES)
#: Marks that show nothing inside a word: a soft hyphen ("Ma\u00adrib" is shown "Marib"),
#: a joiner, direction marks and embeddings, a byte-order mark. Not the zero-width
#: non-joiner and space, which part words. (The gazetteer's index keys names by this:
#: ``geonames.INDEX_FORMAT`` changes with it.)
_INVISIBLE = str.maketrans(
    "",
    "",
    "\u00ad\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)


def name_key(name: str) -> str:
    """The lookup key of a place or actor name (empty when the name has no letters)."""
    if name.isascii():
        bare = name.translate(_DROP).lower()
    else:
        # NFKD splits letters from their marks; dropping the marks removes Latin diacritics
        # and Arabic vowel signs and hamzas (أ إ آ become ا) alike.
        decomposed = unicodedata.normalize("NFKD", name.translate(_INVISIBLE))
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
        bare = bare.translate(_ARABIC).translate(_DROP).casefold()
    tokens = [t for t in _SEPARATORS.split(bare) if t]
    words: list[str] = []
    for position, token in enumerate(tokens):
        if token in _ARTICLES:
            # A leading article goes ("al-Hasakah" is "Hasakah"), unless it is all there is.
            if position == 0 and len(tokens) > 1:
                continue
            words.append("al")
        elif token.startswith("ال") and len(token) > 3:
            words.append(token[2:])
        else:
            words.append(token)
    return " ".join(words)


def words_of(key: str) -> list[str]:
    return key.split()
