"""Token boundaries from spaCy's blank English tokenizer: for snapping and for agreement.

The tokenizer is rule-based and needs no trained pipeline, so these boundaries are the
same on every machine, whichever model pre-annotated the project. Two rules are added:
- each Chinese or Japanese character (and their punctuation) is a token of its own, as
  spaCy's own Chinese tokenizer cuts by default. Those scripts put no spaces between words,
  so English rules made a whole clause one token, and a place selected in it grew to the
  clause;
- an invisible mark at a word's edge (a direction mark around an Arabic name, a zero-width
  space, a soft hyphen) is split off, as punctuation is. English rules split no suffix after
  one, so "near \u200eإدلب\u200e." was one token and the place took in the full stop.
  Inside a word ("Nya\u200bla") it stays.
"""

from __future__ import annotations

import re
import threading
import unicodedata

import numpy as np
import spacy
from spacy.lang.char_classes import ALPHA, HYPHENS
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

_blank: Language | None = None
_building = threading.Lock()


def blank_english() -> Language:
    """spaCy's blank English pipeline, built once (half a second): a second caller waits
    for the first instead of building another (the window builds it on a thread)."""
    global _blank
    if _blank is None:
        with _building:
            if _blank is None:
                _blank = with_project_token_rules(spacy.blank("en"))
    return _blank


#: Han, kana, CJK punctuation and full-width forms: one token each.
CJK_CHARACTER = r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"


#: Invisible marks split off a word's edges: soft hyphen, zero-width space and non-joiner,
#: direction marks, embeddings and isolates, word joiner, BOM (not the joiner of emoji).
#: Spacing modifier letters (ʿ ʾ ʼ ʻ...), which end transliterated names ("Ṣanʿāʾ").
MODIFIER_LETTER = r"[\u02b0-\u02ff]"
#: An Arabic conjunction or preposition written onto a quoted or bracketed name ('و"اللواء
#: 444 قتال"': "and 'Brigade 444'"), one or two of them, with a tatweel ('ما يعرف بـ«الدعم
#: السريع»', 'وب«…»', 'للـ"…"'): split off, with the quote after it, as English splits a
#: quote; the name was one token with them, and a span could not leave them out.
ARABIC_PROCLITIC = r"[وفبلك]{1,3}ـ?(?=[\"“«‘„(\['])"
EDGE_MARK = r"[\u00ad\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"


def with_project_token_rules(nlp: Language) -> Language:
    """``nlp`` whose tokenizer splits off each CJK character and the invisible marks at a
    word's edges (see the module docstring). Built from the language's defaults, so a
    pipeline given them twice (a saved project model) has them once. The pre-annotating
    pipeline has them too: its tokens are the project's ("Residents of Ṣanʿāʾ." took the
    stop into the suggestion that the project's tokens, and the exports, leave out)."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):  # a saved project model's (joined_tokenizer.py)
        tokenizer = tokenizer.inner  # type: ignore[union-attr]
    assert isinstance(tokenizer, Tokenizer)
    prefixes = [*(nlp.Defaults.prefixes or ()), CJK_CHARACTER, EDGE_MARK, ARABIC_PROCLITIC]
    # (a stop after a mark, or after a modifier letter ending a transliterated name, as in
    # "Ṣanʿāʾ.": English rules split one only after a letter or a digit)
    after_mark = rf"(?:(?<={EDGE_MARK})|(?<={MODIFIER_LETTER}))[.,;:!?)\]}}\"'”’»]"
    suffixes = [*(nlp.Defaults.suffixes or ()), EDGE_MARK, after_mark]
    # (and a hyphen, a dash or a slash after one: "Ṣanʿāʾ-based", "Ṣanʿāʾ/Aden" were one
    # token, where "Sanaa-based" is three: spaCy counts no modifier letter as a letter)
    after_name = rf"(?<={MODIFIER_LETTER})(?:{HYPHENS}|/)(?=[{ALPHA}\u02b0-\u02ff0-9])"
    infixes = [*(nlp.Defaults.infixes or ()), CJK_CHARACTER, after_name]
    tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # The URL rule comes first and took "1.阿勒颇遭袭" or "bbc.com报道…" whole, as a host name:
    # never across a CJK character.
    url = nlp.Defaults.url_match.__self__  # type: ignore[union-attr]
    flags, rest = re.match(r"(\(\?[aiLmsux]+\))?(.*)", url.pattern, re.DOTALL).groups()  # type: ignore[union-attr]
    no_cjk = f"{flags or ''}(?!.*{CJK_CHARACTER})(?:{rest})"
    tokenizer.url_match = re.compile(no_cjk, url.flags).match
    return nlp


def blank_english_ready() -> bool:
    """Whether ``blank_english`` answers at once."""
    return _blank is not None


def token_bounds(text: str, include_space: bool = False) -> list[tuple[int, int]]:
    """(start, end) code-point offsets of each token, in order.

    Whitespace tokens (runs of spaces, line breaks) are left out unless asked for: nobody
    labels them, and they would only pad agreement figures with easy agreement. Pieces of
    one character as a reader sees it (spaCy cuts "🇸🇾" in two, "👨‍👩‍👧" in five) are one token,
    so a span's edge never stops inside an emoji.
    """
    doc = blank_english().tokenizer(text)
    bounds: list[tuple[int, int]] = []
    for token in doc:
        if token.is_space and not include_space:
            continue
        start, end = token.idx, token.idx + len(token.text)
        if bounds and bounds[-1][1] == start and inside_character(text, start):
            bounds[-1] = (bounds[-1][0], end)  # one character to the reader: one token
        else:
            bounds.append((start, end))
    return bounds


def joined_pieces(
    text: str, starts: np.ndarray, ends: np.ndarray, code_points: np.ndarray | None = None
) -> list[int]:
    """Indices of the tokens (by code-point ``starts`` and ``ends``) that go on the
    character the token before began, as a reader sees it: the second half of a flag, the
    pieces of an emoji joined by ZWJ (``inside_character``). Exports write them as one
    token with the one before (CoNLL had lines of half a flag), and agreement counts them
    so. Only tokens that touch the one before and begin at U+0300 or above (or after a
    ZWJ) are looked at, in numpy: most texts have none."""
    if len(starts) < 2 or text.isascii():
        return []
    if code_points is None:
        code_points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    touching = np.nonzero(ends[:-1] == starts[1:])[0] + 1
    if not touching.size:
        return []
    lead = code_points[starts[touching]]
    maybe = touching[(lead >= 0x300) | (code_points[starts[touching] - 1] == 0x200D)]
    return [k for k in maybe.tolist() if inside_character(text, int(starts[k]))]


def piece_owners(pieces: list[int]) -> list[tuple[int, int]]:
    """For each of ``joined_pieces``' pieces (in order), the token its character began in:
    the one before it, or that one's own, as (piece, token)."""
    owner: dict[int, int] = {}
    for k in pieces:
        owner[k] = owner.get(k - 1, k - 1)
    return list(owner.items())


_ZWJ = "\u200d"


def inside_character(text: str, i: int) -> bool:
    """Whether offset ``i`` falls inside what a reader sees as one character, where spaCy's
    tokenizer cuts: a flag (two regional indicators), an emoji joined by ZWJ, a skin tone, a
    subdivision flag's tags, a combining mark. (Not all of Unicode's grapheme rules: those
    that split a token in news text.)"""
    before, after = text[i - 1], text[i]
    if after == _ZWJ or before == _ZWJ or unicodedata.category(after) in ("Mn", "Me", "Mc"):
        return True
    code = ord(after)
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, tags
        return True
    if _regional(after) and _regional(before):
        run = 0  # the indicators before ``i`` pair up from the start of their run
        while i - run - 1 >= 0 and _regional(text[i - run - 1]):
            run += 1
        return run % 2 == 1
    return False


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
