"""Text helpers that keep every offset valid; and a count in words for messages."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from pathlib import PurePath

_LINE_ENDING = re.compile(r"\r\n?")
# A single line break (of any convention) with text on both sides: a hard wrap.
#: A dateline ahead: a place in capitals, an optional ", Country" (", March 3"), then the
#: agency in brackets or a dash: "KYIV, Ukraine (Reuters) -", "GOMA (Reuters) -", "KYIV,
#: Ukraine, March 3 (AP) —", "KIEV, May 21, 2023 (AFP) -", a transliterated "ṢANʿĀʾ, March
#: 4, 2024 (AP) -" (capitals with their accents and modifier letters); not "UN, which" or
#: "RSF, hit" on a wrapped line.
_WORD = r"(?:[A-Z][\w'’.\-]*|of|the|and)"
#: A dateline's date: "March 3", "May 21, 2023", "March 1st", and the day first, "14 March
#: 2024", "14 March, 2024", "1st March 2024".
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATELINE_DATE = (
    rf"(?:[A-Z][a-z]{{2,8}}\.? {_DAY}(?:,? \d{{4}})?|{_DAY} [A-Z][a-z]{{2,8}}\.?(?:,? \d{{4}})?)"
)
_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-žḀ-ỿ"  # (Latin Extended alternates cases: a lower-case one is rare here)
_DATELINE_HEAD = (
    rf"[{_CAPITAL}][{_CAPITAL}ʻʼʾʿ'’.\-]*(?: [{_CAPITAL}][{_CAPITAL}ʻʼʾʿ'’.\-]*)*"
    rf"(?:, {_WORD}(?: {_WORD})*)?"
    rf"(?:, {DATELINE_DATE})?"
)
#: A dateline with its place as running text writes it, which only its date makes one:
#: "Homs, 3 May 2024 -", "Aleppo, March 14, 2024:" (the parser made "Homs" the subject of the
#: story's "residents said": a FACTION, and the claim's source instead of the residents).
_TITLED_WORD = rf"[{_CAPITAL}][\w'’ʻʼʾʿ.\-]*"
_DATED_HEAD = (
    rf"{_TITLED_WORD}(?: (?:[a-z]{{1,3}}-)?{_TITLED_WORD}){{0,2}}"  # "Deir ez-Zor"
    rf"(?:, {_WORD}(?: {_WORD})*)?, {DATELINE_DATE}"
)
DATELINE_AHEAD = (
    rf"(?=(?:{_DATELINE_HEAD} ?(?:\([A-Z]|[—–-] )|{_DATED_HEAD}(?: ?\([A-Z]| ?[—–-] |: )))"
)
_AGENCY = r"(?:\([^()\n]{1,40}\) ?)?"
#: A whole dateline at a paragraph's start, through its dash (or a dated one's colon) and the
#: spaces after it: "KHARTOUM, Sudan (AP) — ". The story's first sentence starts after it.
DATELINE = re.compile(
    rf"(?m)^(?:{_DATELINE_HEAD} ?{_AGENCY}[—–-]+|{_DATED_HEAD} ?{_AGENCY}(?:[—–-]+|:)) +"
)
#: A single line break inside a paragraph, unless a dateline follows it (a headline joined
#: to its dateline read as one sentence, one claim, and the place in capitals as a group).
_HARD_WRAP = re.compile(r"(?<=[^\r\n])(?:\r\n|\n|\r)(?=[^\r\n])(?!" + DATELINE_AHEAD[3:])


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``: the form every article is stored in."""
    return _LINE_ENDING.sub("\n", text)


def newline_offset_map(text: str) -> Callable[[int], int]:
    """Map offsets into ``text`` to offsets into ``normalize_newlines(text)``.

    Importers use it for annotation files whose offsets count ``\\r\\n`` as two characters.
    An offset between ``\\r`` and ``\\n`` maps to the single newline's start.
    """
    dropped = [m.start() + 1 for m in re.finditer(r"\r\n", text)]  # the \n of each \r\n

    def to_normalized(offset: int) -> int:
        return offset - bisect_right(dropped, offset)

    return to_normalized


#: Spaces the model should read as spaces: form feed, vertical tab, and the no-break, thin,
#: narrow, fixed-width and ideographic spaces of typeset wire text (with a no-break space,
#: "El Fasher" was a FACTION and "Rapid Support Forces" nothing).
_ODD_SPACES = {
    code: " " for code in (0x0B, 0x0C, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)
}

#: An apostrophe inside a word, as outlets set it: the single quotation marks of typeset
#: copy ("Hay’at") and the modifier letter apostrophe ("Maʼrib"). The model reads each as
#: the ASCII one it learned from: "Hay’at Tahrir al-Sham" was two factions, "Maʼrib" a
#: FACTION and a claim's source, where "Hay'at" and "Ma'rib" were right. At a word's edge
#: they stay (a closing quote). Not the ayn and hamza of scholarly transliteration (ʿ ʾ):
#: read as apostrophes, "Ṣanʿāʾ" became a FACTION and "Ṣaʿdah" no place at all.
_WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[\u2019\u2018\u02bc](?=[^\W\d_])")
#: Nor a hamza before a word that writes transliteration, where the ASCII one would read as
#: a possessive: "RAʼS AL-ʻAYN (AP) -" became "RA" (a LOCATION) and "'S" ("Ra’s al-‘Ayn").
_HAMZA_BEFORE_TRANSLITERATION = re.compile(
    r"['\u2019\u2018\u02bc](?=[sS]\s+\S*(?:[ʻʿʾāīūḥṣṭḍẓĀĪŪḤṢṬḌẒ]|-['\u2018\u2019ʻʿ]))"
)


def _as_ascii(apostrophe: re.Match) -> str:
    at = apostrophe.start()
    return apostrophe.group() if _HAMZA_BEFORE_TRANSLITERATION.match(apostrophe.string, at) else "'"


def join_hard_line_breaks(text: str, headline: bool = False) -> str:
    """The text as the model reads it, one character for one: single line breaks inside
    paragraphs become spaces, odd spaces plain ones, an apostrophe inside a word the ASCII one.

    Wire text is often wrapped mid-sentence; the model parses it better joined, and
    because each line-break character becomes exactly one space, every offset stays valid.
    With ``headline`` (the text's first line is the article's title, as a ``.txt`` file's
    is), the line break after it is kept: the title ran into the first claim.
    """
    # A form feed, vertical tab or no-break space between words is a space to the model
    # too: "Government\fforces" was one odd token, suggested as a SOURCE, not a FACTION.
    joined = _HARD_WRAP.sub(lambda wrap: " " * len(wrap.group()), text).translate(_ODD_SPACES)
    joined = _WORD_APOSTROPHE.sub(_as_ascii, joined)
    if headline:
        end = first_line_break(text)
        if end > 0 and joined[end] == " ":
            joined = f"{joined[:end]}\n{joined[end + 1 :]}"
    return joined


def first_line_break(text: str) -> int:
    """Where the first line with something in it ends (its line break), or -1."""
    return text.find("\n", len(text) - len(text.lstrip()))


TITLE_LENGTH = 300  # characters of a title taken from a text's first line


def first_line(text: str) -> str:
    """The first line with something in it, stripped and cut to a title's length: the title
    of a plain-text article."""
    for line in text.split("\n"):
        if line.strip():
            return title_line(line)[:TITLE_LENGTH]
    return ""


def title_line(title: str) -> str:
    """A title on one line: tabs, line breaks and runs of spaces become one space (a tab
    left a gap in the article list, a line break a second line in the heading)."""
    return " ".join(title.split())


def readable(name: str) -> str:
    """A name from the system (a file name, an argument) as text to store and show: bytes
    that are no UTF-8, which Python keeps as lone surrogates and SQLite, JSON and Qt refuse,
    become "\ufffd"."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def file_name(path: PurePath) -> str:
    return readable(path.name)


def shows_something(text: str) -> bool:
    """Whether ``text`` holds a character one can see: not only whitespace and invisible
    format characters (zero-width space, joiners, soft hyphens, BOMs), which made an
    article with an invisible title and text."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text)


def reading_order(name: str) -> tuple[str, str]:
    """A key that sorts names as a person reads them: case and accents do not count ("Şam
    Legion" came after "Unused Front" by code point); the name itself breaks ties."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold(), name


def counted(n: int, noun: str) -> str:
    """``1 span``, ``3 spans``: a count for a message (nouns with a plain plural)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def not_english_note(count: int, first: str) -> str:
    """What an import or a pre-annotation says of the articles that do not look English."""
    return (
        f"{counted(count, 'article')} {'does' if count == 1 else 'do'} not look English (the "
        f"first: {first!r}): the suggestions come from an English pipeline, and on other "
        "languages they are poor"
    )


#: Unicode's bidirectional classes of right-to-left letters (Hebrew; Arabic, Syriac, Thaana).
RIGHT_TO_LEFT = frozenset({"R", "AL"})


def one_line(message: object, limit: int = 300) -> str:
    """A message that may run over many lines (spaCy's config validation errors) as one
    line for a status bar or a terminal: its lines joined by "; ", cut at ``limit``."""
    lines = [" ".join(line.split()) for line in str(message).splitlines()]
    joined = "; ".join(line for line in lines if line)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def excerpt(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters with "…" at the end."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def excerpt_ends(text: str, limit: int = 24) -> str:
    """``text`` on one line, cut in the middle to ``limit`` characters: whole words from
    both ends, "…" between ("وكالة الأنباء … (سانا)"). Cut at the end, two versions that
    differ at their ends read alike ("وكالة الأنباء السورية ا…" both)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words = text.split(" ")
    head: list[str] = []
    tail: list[str] = []
    room = limit - len(" … ")
    open_ends = [head, tail]
    while open_ends:  # a word from the start, then one from the end, while one fits
        for end in list(open_ends):
            word = words[len(head)] if end is head else words[-1 - len(tail)]
            if len(" ".join(head + tail + [word])) > room:
                open_ends.remove(end)
            else:
                end.append(word)
    if not head or not tail:  # a long word at an end: characters from both ends
        half = (limit - 1) // 2
        return f"{text[:half]}…{text[len(text) - (limit - 1 - half) :]}"
    return f"{' '.join(head)} … {' '.join(reversed(tail))}"


def right_to_left(character: str) -> bool:
    """Whether ``character`` is a letter of a right-to-left script."""
    return unicodedata.bidirectional(character) in RIGHT_TO_LEFT


def isolated(value: str) -> str:
    """``value`` (a name, a span's words) to put inside a message: where it holds a
    right-to-left letter, between Unicode's isolate marks, so that it is laid out on its
    own. Else the numbers and signs around it joined its run: "LOCATION 'دير الزور': 1
    more mention" read "LOCATION '1 :'دير الزور more mention", "6 زينب, 0 none" read
    "6 / 0 ,زينب none"."""
    if any(map(right_to_left, value)) or any(c in _DIRECTION_MARKS for c in value):
        # (an override or embedding inside is closed by the isolate's end: "SANA\u202e news"
        # reversed the rest of the line)
        return f"\u2068{value}\u2069"
    return value


#: Marks that set a direction until something closes them: embeddings, overrides, isolates.
_DIRECTION_MARKS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def mostly_right_to_left(text: str, sample: int = 20_000) -> bool:
    """Whether most letters of ``text`` (of its first ``sample`` characters) are of a
    right-to-left script: an Arabic article, not an English one that quotes Arabic names.
    (Qt takes a paragraph's direction from its first letter, so "قوات سوريا الديمقراطية
    denied that …" was laid out right to left, its full stop at the far left.)"""
    classes = [unicodedata.bidirectional(c) for c in text[:sample] if c.isalpha()]
    rtl = sum(1 for c in classes if c in RIGHT_TO_LEFT)
    return rtl > len(classes) - rtl
