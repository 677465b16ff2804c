"""Searching the articles: FTS5 over titles and texts, an article's number, its file name
or URL, and the text as a reader sees it (through marks that show nothing, alef forms,
Arabic vowel marks, Turkish dotless and dotted i, apostrophes inside a transliterated
name, inside a run of Chinese), where FTS's words miss it."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata

from annotator.storage.articles import Articles

#: Characters that show nothing in a word (soft hyphen, zero-width space and joiners,
#: direction marks, embeddings and isolates, word joiner, BOM), and the forms of alef.
_UNSEEN = (
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_ALEFS = "أإآٱ"
#: Turkish dotless ı and dotted İ: FTS folds "I" to "i" but keeps "ı" apart, so "ırak"
#: missed "Irak" and "ÇATIŞMA" missed "çatışma"; both are "i" to a search.
_TURKISH_I = "ıİ"
#: Arabic vowel marks, left out of a search as Latin accents are (إِدْلِب is إدلب).
_HARAKAT = "".join(chr(c) for c in (*range(0x064B, 0x0660), 0x0670))
#: Han and kana: a run of them is one word to FTS, so a word inside it is looked for so.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


#: An apostrophe inside a name counts for nothing: "Marib" finds "Ma'rib" and "Ma’rib" (FTS
#: cut them in two words), and "Ma'rib" finds "Marib". Not one of an English contraction or
#: possessive, in capitals too ("don't", "DON'T", "Syria's"): "dont" found "don't" only in
#: the articles that also held a name so written. Only the articles with one are folded.
#: (The apostrophe first, the letter before it looked back at after: a pattern that starts
#: by looking back is tried at every character, five times slower over 20,000 articles.)
_APOSTROPHES = "['’‘ʼ]"
_NAME_APOSTROPHE = re.compile(
    rf"{_APOSTROPHES}(?<=[^\W\d_]{_APOSTROPHES})(?!(?i:s|t|d|m|re|ve|ll)\b)(?=[^\W\d_])"
)
#: The ayn and hamza of transliteration count for nothing wherever they stand ("Maʾrib" is
#: "Marib"; FTS took them as letters): "Raʾs al-ʿAyn" and "Saʿd" were missed as
#: contractions' "s" and "d", and "ʿAyn" begins with one.
_AYN_HAMZA = "ʻʾʿ"
#: ALA-LC writes the hamza as ʼ (U+02BC), which English text also writes for its apostrophe
#: ("donʼt", "Hamasʼs"): it is the hamza, and counts for nothing, where it starts a word
#: ("ʼAḥrār") or where its word or a word beside it writes transliteration, an ayn or
#: hamza or a letter with a macron or a dot below ("Raʼs al-ʻAyn", "Ṣanʻāʼ"); elsewhere
#: an apostrophe ("Maʼrib" is "Marib"; "dont" found "donʼt" when it counted for nothing).
_ALA_LC_HAMZA = "ʼ"
_MACRON_DOT_BELOW = "\u0304\u0323"  # as combining marks, and in Latin letters: "ā", "ḥ"
_TRANSLITERATION = re.compile(
    f"[{_AYN_HAMZA}{_MACRON_DOT_BELOW}"
    + "".join(
        letter
        for letter in map(chr, (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)))
        if set(_MACRON_DOT_BELOW) & set(unicodedata.normalize("NFD", letter))
    )
    + "]"
)
_HAMZA_STARTING_A_WORD = re.compile(rf"{_ALA_LC_HAMZA}(?<![^\W\d_]{_ALA_LC_HAMZA})")
#: Typeset copy writes the ayn and hamza with quotation marks: "Ra’s al-‘Ayn", "Sa'd
#: al-'Ali". Such a mark before what would end a contraction ("’s", "'d") is the hamza where
#: the next word writes transliteration, a mark above or below or an ayn after an article
#: ("al-‘Ayn"): "Ras al-Ayn" missed "Ra’s al-‘Ayn" (read as "Ra" and "’s").
#: (The mark first, the article looked back at after: twice as fast over 20,000 articles.)
_QUOTED_AYN = re.compile(
    r"['‘’](?<=-['‘’])(?i:(?<=\b[ae][lnrstdz]-['‘’])|(?<=\b[ae][lnrstdz]h-['‘’]))"
)
_APOSTROPHE_ENDING = re.compile(r"['’](?<=[^\W\d_]['’])(?=(?i:s|t|d|m|re|ve|ll)\b)")

_FOLDED = str.maketrans(
    {
        **dict.fromkeys(_UNSEEN + _HARAKAT + _AYN_HAMZA),
        **dict.fromkeys(_ALEFS, "ا"),
        **dict.fromkeys(_TURKISH_I, "i"),
    }
)


def _fold(text: str) -> str:
    """Text as ``_search_as_shown`` compares it: no unseen marks nor vowel marks, one alef,
    one i, no ayn or hamza, no apostrophe inside a name."""
    if _ALA_LC_HAMZA in text:
        # the hamzas out; the ʼ left is an apostrophe, found as ' and ’ are ("don't" missed
        # "donʼt", which looks the same)
        text = _without_hamzas(text).replace(_ALA_LC_HAMZA, "'")
    if _has_quoted_ayn(text) or _TRANSLITERATION.search(text):
        text = _without_quoted_hamzas(text)
    return _NAME_APOSTROPHE.sub("", text.translate(_FOLDED))


def _without_hamzas(text: str) -> str:
    """``text`` without ALA-LC's hamzas (``_ALA_LC_HAMZA``), its apostrophes kept."""
    # (found and read around where they stand: cutting every word of an article into pieces
    # doubled the time of folding 20,000 articles that hold one)
    pieces = []
    done = 0
    at = text.find(_ALA_LC_HAMZA)
    while at != -1:
        start, end = _word_around(text, at)
        word = text[start:end]
        if any(_TRANSLITERATION.search(w) for w in (word, *_words_beside(text, start, end))):
            word = word.replace(_ALA_LC_HAMZA, "")
        else:
            word = _HAMZA_STARTING_A_WORD.sub("", word)
        pieces += [text[done:start], word]
        done = end
        at = text.find(_ALA_LC_HAMZA, end)
    return "".join(pieces) + text[done:]


def _without_quoted_hamzas(text: str) -> str:
    """``text`` without the quotation marks that write a hamza before a contraction's
    ending, where the next word writes transliteration (``_QUOTED_AYN``: "Ra’s al-‘Ayn");
    English's apostrophes kept, and a transliterated name's own possessive ("Saʿd’s men"
    finds "Sad")."""
    pieces = []
    done = 0
    for mark in _APOSTROPHE_ENDING.finditer(text):
        start, end = _word_around(text, mark.start())
        _, after = _words_beside(text, start, end)
        if _transliterated(after) and not _transliterated(text[start:end]):
            pieces.append(text[done : mark.start()])
            done = mark.end()
    return "".join(pieces) + text[done:]


def _transliterated(word: str) -> bool:
    return bool(_QUOTED_AYN.search(word) or _TRANSLITERATION.search(word))


def _has_quoted_ayn(text: str) -> bool:
    # (a look for the hyphen and mark first: most articles hold none)
    return any(pair in text for pair in ("-'", "-‘", "-’")) and bool(_QUOTED_AYN.search(text))


def _words_beside(text: str, start: int, end: int) -> tuple[str, str]:
    """The words just before and after the word ``text[start:end]`` in the same phrase, or
    "" where a stop or comma parts them ("said Saʿd. Hamasʼs": none before "Hamasʼs")."""
    k = start
    while k > 0 and text[k - 1].isspace():
        k -= 1
    before = text[slice(*_word_around(text, k - 1))] if k > 0 and text[k - 1].isalpha() else ""
    k = end
    while k < len(text) and text[k].isspace():
        k += 1
    joined = k < len(text) and text[end - 1].isalpha()
    after = text[slice(*_word_around(text, k))] if joined else ""
    return before, after


def _word_around(text: str, at: int) -> tuple[int, int]:
    """Where the word holding character ``at`` starts and ends (between spaces)."""
    start = end = at
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _folded_terms(terms: list[str]) -> list[str]:
    """The query's words folded together, as an article is: "Raʼs" beside "al-ʻAyn" holds
    the hamza, alone an apostrophe."""
    return _fold(" ".join(terms)).split()


class Search(Articles):
    #: (the articles' count, last id and last title edit; their folded index), for
    #: ``_search_as_shown``
    _folded: tuple[object, sqlite3.Connection | None] = (None, None)
    #: (the articles' count, ...; whether a value holds a Turkish i), for ``search``
    _turkish_i: tuple[object, bool] = (None, False)

    def search(self, query: str, limit: int = 10_000) -> list[int]:
        """Ids of articles whose title or text match ``query`` (FTS5, words as typed); first,
        for ``#12`` article 12, and the articles whose source, URL, date or a metadata value
        holds the query as typed (the file an article was imported from, "Syrian
        Observatory", an ACLED event id: the heading or nothing shows them, the text does
        not hold them)."""
        terms = [t.replace('"', '""') for t in query.split()]
        if not terms:
            return self.article_ids()
        found: dict[int, None] = {}
        # "#12", and "Article 12", as the list names an article without a title
        if number := re.fullmatch(r"#(\d+)|article\s+(\d+)", query.strip(), re.IGNORECASE):
            digits = (number.group(1) or number.group(2)).lstrip("0") or "0"
            # (past SQLite's integers no article: an OverflowError on each key, and past
            # 4,300 digits int() itself refused)
            row = None
            if len(digits) <= 19 and (wanted := int(digits)) < 2**63:
                row = self._db.execute("SELECT id FROM articles WHERE id = ?", [wanted]).fetchone()
            if row is not None:  # that article alone ("#12" listed every text with "12" too)
                return [row[0]]
        typed = " ".join(query.split())
        # (three characters at least, two of Chinese or Japanese: 李明 is a whole name)
        if len(typed) >= 3 or (len(typed) == 2 and _CJK.search(typed)):
            typed = typed.translate(_I_ALIKE)
            # A metadata value: found in the JSON as written there (escaped), then checked
            # to be a value, not a field's name ("actor1" listed every ACLED article), at
            # any depth (news-please's "authors" list).
            as_json = _like(json.dumps(typed, ensure_ascii=False)[1:-1])
            i = self._values_with_turkish_i()
            sources = self._db.execute(
                f"SELECT id FROM articles WHERE {_holds('source', i)} OR {_holds('url', i)} "
                f"OR published LIKE ?1 ESCAPE '\\' OR ({_holds('meta', i, '?2')} AND EXISTS "
                "(SELECT 1 FROM json_tree(meta) AS m WHERE m.type IN ('text', 'integer', "
                f"'real') AND {_holds('m.value', i)})) ORDER BY id LIMIT ?3",
                [_like(typed), as_json, limit],
            )
            found.update((article_id, None) for (article_id,) in sources)
        # Each word quoted: punctuation in the query is text to find, not FTS syntax.
        # The last word matches as a prefix, so the list narrows while one types.
        # (and the words folded as the text as shown is, where that changes them: "إدلب"
        # finds "ادلب" too)
        for words in dict.fromkeys([tuple(terms), tuple(_folded_terms(terms))]):
            if not words:
                continue
            match = " ".join(f'"{t}"' for t in words) + "*"
            matched = self._db.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                [match, limit],
            )
            found.update((article_id, None) for (article_id,) in matched)
        # and what FTS's words miss, looked for in the text as shown
        found.update(
            (article_id, None) for (article_id,) in self._search_as_shown(query.split(), limit)
        )
        return list(found)[:limit]

    def _search_as_shown(self, terms: list[str], limit: int) -> list[tuple[int]]:
        """Articles whose title and text, as a reader sees them, hold every term: without
        the marks that show nothing ("Nya\u200bla" is shown "Nyala", "de\u00adnied"
        "denied"), with the forms of alef as one ("ادلب" finds "إدلب"), and inside a run of
        Chinese ("民族"). FTS's words break at those marks and take such a run whole. Only
        the articles that hold such marks are looked at, in an index of their own (a search
        for Chinese: every article, with LIKE)."""
        if _CJK.search("".join(terms)):  # no folding: a scan of the text as it is
            patterns = [_like(t) for t in terms]
            where = " AND ".join("a.title || ' ' || a.text LIKE ? ESCAPE '\\'" for _ in terms)
            return self._db.execute(
                f"SELECT a.id FROM articles a WHERE {where} ORDER BY a.id LIMIT ?",
                [*patterns, limit],
            ).fetchall()
        words = [folded.replace('"', '""') for folded in _folded_terms(terms)]
        index = self._folded_index()
        if not words or index is None:
            return []
        match = " ".join(f'"{word}"' for word in words) + "*"  # as the search box's words
        return index.execute(
            "SELECT rowid FROM folded WHERE folded MATCH ? ORDER BY rowid LIMIT ?", [match, limit]
        ).fetchall()

    def _values_with_turkish_i(self) -> bool:
        """Whether a source, URL or metadata value has a Turkish i (``_holds``: looking
        for them in every value costs a search on 100,000 articles about half again).
        Asked once per set of articles."""
        key = self.articles_key()
        if self._turkish_i[0] != key:
            has = " OR ".join(
                f"instr({column}, '{i}')" for column in ("meta", "source", "url") for i in "ıİ"
            )
            row = self._db.execute(f"SELECT 1 FROM articles WHERE {has} LIMIT 1").fetchone()
            self._turkish_i = (key, row is not None)
        return self._turkish_i[1]

    def _folded_index(self) -> sqlite3.Connection | None:
        """An FTS5 index, in memory, of the title and text as shown (``_fold``) of the
        articles that hold a mark that shows nothing, a vowel mark, an alef form, a
        Turkish i, an apostrophe inside a name or an ayn quoted after an article; None if
        none does. Made once per set of articles and titles (texts never change): folding
        them on every search stalled the window for 0.7–1 s with 1,000 Arabic articles.
        In memory, not in the project: a read-only project is searched the same."""
        key = self.articles_key()  # (a title's edit may bring a mark, or take one)
        if self._folded[0] != key:
            odd = re.compile(
                f"[{_UNSEEN}{_ALEFS}{_HARAKAT}{_TURKISH_I}{_AYN_HAMZA}{_ALA_LC_HAMZA}]"
            )
            rows = [
                (article_id, _fold(f"{title} {text}"))
                for article_id, title, text in self._db.execute(
                    "SELECT id, title, text FROM articles"
                )
                if odd.search(title)
                or odd.search(text)
                or _NAME_APOSTROPHE.search(title)
                or _NAME_APOSTROPHE.search(text)
                or _has_quoted_ayn(title)
                or _has_quoted_ayn(text)
            ]
            index = None
            if rows:
                index = sqlite3.connect(":memory:", check_same_thread=False)
                index.execute("CREATE VIRTUAL TABLE folded USING fts5(text)")
                index.executemany("INSERT INTO folded (rowid, text) VALUES (?, ?)", rows)
            if self._folded[1] is not None:
                self._folded[1].close()
            self._folded = (key, index)
        return self._folded[1]


#: The Turkish i's as one "i" in a source, URL or metadata value, which LIKE compares
#: (ASCII letters in either case): "Yilmaz" finds "Yılmaz", as in a title or a text.
_I_ALIKE = str.maketrans(dict.fromkeys(_TURKISH_I, "i"))


def _holds(column: str, turkish_i: bool, pattern: str = "?1") -> str:
    """SQL: whether ``column`` is LIKE ``pattern``; with ``turkish_i``, its Turkish i's
    taken as "i" (``_I_ALIKE``; replaced only in a value that has one, as few do)."""
    like = f"LIKE {pattern} ESCAPE '\\'"
    if not turkish_i:
        return f"{column} {like}"
    folded = f"replace(replace({column}, 'ı', 'i'), 'İ', 'i')"
    return (
        f"({column} {like} OR (instr({column}, 'ı') + instr({column}, 'İ') > 0 "
        f"AND {folded} {like}))"
    )


def _like(text: str) -> str:
    """A LIKE pattern (``ESCAPE '\\'``) that finds ``text`` anywhere, its ``%`` and ``_``
    taken as they are."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
