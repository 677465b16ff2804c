"""What the words around a name say about it, for the entity rules (``entity_rules.py``).

``NameContext`` reads names and their surroundings token by token with the word lists of
``entity_words.txt``: the edges of a name, datelines, "the village of X", "X, a town in",
outlets named by the words around them, alternative names in brackets, a place that speaks.
The functions below it need no word list.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import numpy as np
from spacy.tokens import Doc, Token

from annotator.nlp.wordlists import EntityWords

#: The plain mapping of spaCy's (OntoNotes) labels, used unfiltered by the quality baseline.
MODEL_LABELS = {
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "FACTION",
    "NORP": "FACTION",
}

ARTICLES = {"the", "The"}
POSSESSIVES = {"'s", "’s"}
DASHES = {"-", "—", "–", "--"}
MAX_NAME = 6  # tokens in a name found from context alone
#: Words of a dateline's place ("DAR ES SALAAM"): a headline in capitals is longer ("SUDAN
#: ARMY SAYS IT RETOOK OMDURMAN - STATE TV" was a LOCATION).
MAX_DATELINE_WORDS = 3


class NameContext:
    """Readings of names in context that depend on the word lists."""

    def __init__(self, words: EntityWords, places: Iterable[str] = (), outlets: Iterable[str] = ()):
        self.words = words
        #: The gazetteer's names in capitals, as a dateline writes them ("GOMA", "KYIV").
        self.places_in_capitals = frozenset(place.upper() for place in places)
        #: The names no faction has, news agencies among them: "(AFP)" after a village the
        #: gazetteer lacks still makes a dateline ("KANSAFRA (AFP) -").
        self.outlets = frozenset(outlets)

    def looks_like_place_name(self, doc: Doc, start: int, end: int) -> bool:
        """Capitalised words (and particles: "al-Mawasi"), no acronym, no organisation word."""
        if doc[end - 1].lower_.endswith("ism"):
            return False  # "towards Judaism"
        has_name = False
        for token in doc[start:end]:
            if token.text in self.words.organisation_words:
                return False
            if token.is_title:
                has_name = True
            elif not (
                token.lower_ in self.words.particles
                or token.text in DASHES
                or token.text in ("'", "’")
            ):
                return False  # "NATO", "the", "Workers'"
        return has_name

    def name_end(self, doc: Doc, start: int) -> int:
        """The end of a capitalised name starting at ``start`` ("Kansafra", "Deir ez-Zor",
        "al-Mawasi"), or ``start`` if there is none."""
        end = start
        i = start
        while i < len(doc) and i - start < MAX_NAME:
            token = doc[i]
            if token.is_title:
                end = i = i + 1
            elif (token.lower_ in self.words.particles or joins_words(doc, i)) and i + 1 < len(doc):
                i += 1  # only inside a name: a title word must follow
            else:
                break
        return end

    def name_start(self, doc: Doc, end: int) -> int:
        """The start of a capitalised name ending at ``end`` (exclusive), or ``end``."""
        particles = self.words.particles
        start = end
        i = end - 1
        while i >= 0 and end - i <= MAX_NAME:
            token = doc[i]
            if token.is_title and not token.is_stop:
                start = i
            elif not (token.lower_ in particles or joins_words(doc, i)):
                break
            i -= 1
        if start > 0 and doc[start - 1].lower_ in particles and doc[start - 1].is_lower:
            start -= 1  # "al-Mawasi": the particle starts the name
        return start

    def datelines(self, doc: Doc) -> list[tuple[int, int]]:
        """ "IDLIB, Syria (Wire) —", "ADDIS ABABA, Ethiopia —", "BEIRUT (Reuters) -", "KYIV,
        Nov 5 (Reuters) -": the place in capitals at the start of a paragraph, and the
        country after its comma. A short place only; and with nothing but a bracket or a dash
        after it, no headline in capitals, which looks the same ("BREAKING NEWS -", "GAZA
        LIVE (Updated) -" were LOCATIONs)."""
        found = []
        for i in paragraph_starts(doc):
            end = i
            while end < len(doc) and end - i < MAX_NAME:
                token = doc[end]
                if token.is_upper and token.text[0].isalpha():
                    end += 1
                elif (
                    token.text in DASHES
                    and end > i
                    and end + 1 < len(doc)
                    and doc[end + 1].is_upper
                    and not doc[end - 1].whitespace_
                    and not token.whitespace_
                ):
                    end += 1  # "DEIR AL-BALAH"; not "GOMA - M23 rebels", a place and a group
                else:
                    break
            if (
                end == i
                or end >= len(doc)
                or not any(len(t) > 1 for t in doc[i:end])
                or len(doc[i:end].text.split()) > MAX_DATELINE_WORDS
            ):
                continue
            mark = doc[end].text
            if mark == ",":
                after = end + 1
                stop = after
                while (
                    stop < len(doc)
                    and stop - after < MAX_NAME
                    and (doc[stop].is_title or doc[stop].lower_ in ("of", "the", "and"))
                ):
                    stop += 1
                dated = any(t.text in self.words.calendar for t in doc[after:stop])
                if _opens_agency(doc, self._past_date(doc, after)):
                    # Reuters' "KYIV, Nov 5 (Reuters) -", "KIEV, May 21, 2023 (AFP) -",
                    # "OUAGADOUGOU, 14 March 2024 (AFP) -"
                    found.append((i, end))
                elif (
                    not dated
                    and stop > after
                    and (  # "UPDATE, Monday —" is no dateline
                        _opens_agency(doc, stop)
                        or (doc[stop].text == "," if stop < len(doc) else False)
                        and _opens_agency(doc, self._past_date(doc, stop + 1))
                    )
                ):  # "IDLIB, Syria (Wire) —", "BAMAKO, Mali, Sept 8, 2023 (AFP) -"
                    found += [(i, end), (after, stop)]
            elif (mark in DASHES or mark == "(") and (
                doc[i:end].text in self.places_in_capitals
                or self._agency_at(doc, end)
                or not self._headline_in_capitals(doc, i, end)
            ):
                found.append((i, end))
        return found

    def _headline_in_capitals(self, doc: Doc, start: int, end: int) -> bool:
        """Whether capitals the gazetteer lacks, alone before a dash or a bracket, are a
        headline: they hold a headline word ("BREAKING NEWS", "GAZA LIVE"), or a place the
        gazetteer knows with words no part of a place's name ("SUDAN CRISIS"; "NORTH
        KHARTOUM" is a place). Otherwise a place it lacks ("DAR ES SALAAM", "SAKE" lost
        their LOCATION when it had to know them)."""
        words = [t for t in doc[start:end] if t.text not in DASHES]
        if any(t.lower_ in self.words.headline_words for t in words):
            return True
        name_words = self.words.compass | self.words.particles
        known = [t.text in self.places_in_capitals for t in words]
        return any(known) and any(
            not is_place and t.lower_ not in name_words
            for t, is_place in zip(words, known, strict=True)
        )

    def _agency_at(self, doc: Doc, k: int) -> bool:
        """Whether token ``k`` opens a bracket that names a news agency ("(AFP)", "(Reuters)",
        "(Wire)"), not a headline's "(Updated)"."""
        if doc[k].text != "(":
            return False
        close = next((j for j in range(k + 1, min(k + 5, len(doc))) if doc[j].text == ")"), None)
        inside = doc[k + 1 : close].text if close is not None else ""
        return inside in self.outlets or inside == "Wire"

    def _past_date(self, doc: Doc, k: int) -> int:
        """Where a date starting at token ``k`` ends ("Nov 5", "May 21, 2023", the day
        first: "14 March 2024"); -1 if none starts there."""
        calendar, n = self.words.calendar, len(doc)
        if k + 1 >= n:
            return -1
        if not (
            (doc[k].text in calendar and doc[k + 1].like_num)
            or (doc[k].like_num and doc[k + 1].text in calendar)
        ):
            return -1
        k += 2
        if k + 1 < n and doc[k].text == "," and _a_year(doc[k + 1]):
            k += 2
        elif k < n and _a_year(doc[k]):
            k += 1
        return k

    def appositive_noun(self, doc: Doc, comma: int, nouns: frozenset[str]) -> bool:
        """ "X, a small town in", "X, the UN-backed broadcaster,": one of ``nouns`` heads a
        short description right after the name's comma (not "X, a village elder")."""
        if comma + 2 >= len(doc) or doc[comma + 1].lower_ not in ("a", "an", "the"):
            return False
        for k in range(comma + 2, min(len(doc), comma + 7)):
            token = doc[k]
            if token.is_lower and token.lower_ in nouns:
                if k + 1 == len(doc):
                    return True
                following = doc[k + 1]
                return not (following.is_alpha and following.is_lower) or (
                    following.is_stop or following.lower_ in self.words.compass
                )
            if token.is_stop or not (token.is_lower or token.text in DASHES or token.is_title):
                return False  # "on Sunday, the latest assault on a town": not about X
        return False

    def named_as_media(self, doc: Doc, start: int, end: int) -> bool:
        """ "state broadcaster RTB", "the state-run Global New Light", "Radio Okapi, the
        UN-backed broadcaster": the words around the name say it is an outlet."""
        around = self.words.media_around
        i = start - 1
        if i >= 0 and doc[i].text in ARTICLES:
            i -= 1
        if i >= 0 and doc[i].is_lower:
            word = doc[i].lower_
            if word in around or word == "agency" and i > 0 and doc[i - 1].lower_ == "news":
                return True
            if word in ("run", "owned") and i >= 2 and doc[i - 1].text == "-":
                return doc[i - 2].lower_ == "state"  # "state-run", "state-owned"
        return end < len(doc) and doc[end].text == "," and self.appositive_noun(doc, end, around)

    def after_tell(self, doc: Doc, start: int) -> bool:
        """ "told the Wire": one tells a person or an outlet, not a place."""
        i = start - 1
        if i >= 0 and doc[i].text in ARTICLES:
            i -= 1
        return i >= 0 and doc[i].lower_ in self.words.tell

    def speaks(self, doc: Doc, start: int, end: int) -> bool:
        """Is the place a government acting: the subject of a verb of saying or stance
        ("Moscow has not commented"), the one accused or blamed ("accused Russia of
        shelling", "blamed Israel", "China was accused"), or the accuser ("by Manila")?"""
        root = doc[end - 1]
        while start <= root.head.i < end and root.head.i != root.i:
            root = root.head
        verb = root.head
        if root.dep_ == "pobj" and verb.lower_ == "by" and verb.dep_ == "agent":
            root, verb = verb, verb.head  # "was accused by the Philippines": the accuser
        if verb.lower_ in self.words.accusing_verbs:  # one accused or blamed, or accusing
            return root.dep_ in ("nsubj", "nsubjpass", "dobj", "agent")
        if verb.lower_ not in self.words.speech_verbs:
            return False
        if root.dep_ == "nsubj":
            return True
        # The object of "condemned … for", "warned … of"; not the place one "claimed".
        return root.dep_ == "dobj" and any(
            child.dep_ == "prep" and child.lower_ in ("of", "for")
            for child in (*verb.children, *root.children)
        )

    def after_stance_prefix(self, doc: Doc, start: int) -> bool:
        """ "pro-Beijing", "anti-Houthi": a side, not a place."""
        return (
            start >= 2
            and doc[start - 1].text == "-"
            and doc[start - 2].lower_ in self.words.stances
        )


def pieces(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """An entity's parts between paragraph breaks and dashes standing alone, with the
    guidelines' edges: no space, punctuation or symbol (an emoji) at either end, no leading
    "the", no possessive "'s" at the end ("Niger\\n\\nNIAMEY", "Goma - the army", "the
    Homeland (", "the Nusra Front", "Yemen's", "Atarib 💥")."""
    first, last = doc[start], doc[end - 1]
    inside = range(start + 1, end - 1)
    if not (
        no_word(first) or first.text in ARTICLES or no_word(last) or last.text in POSSESSIVES
    ) and not any(doc[i].is_space or doc[i].text in DASHES for i in inside):
        return [(start, end)]  # nearly all entities
    found = []
    piece_start = start
    for i in range(start, end + 1):
        if i < end and not (
            (doc[i].is_space and "\n" in doc[i].text)
            or (doc[i].text in DASHES and not joins_words(doc, i))
        ):
            continue
        s, e = piece_start, i
        while s < e and (no_word(doc[s]) or doc[s].text in ARTICLES):
            s += 1
        while e > s and (no_word(doc[e - 1]) or doc[e - 1].text in POSSESSIVES):
            e -= 1
        if e > s:
            found.append((s, e))
        piece_start = i + 1
    return found


def joins_words(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a dash joining the words around it into one ("Deir ez-Zor"), not
    one standing alone: "west of Goma - the army said" was the FACTION "Goma - the army"."""
    dash = doc[i]
    if i == 0 or dash.text not in DASHES or dash.text == "—":
        return False
    return not (dash.whitespace_ or doc[i - 1].whitespace_)


def no_word(token: Token) -> bool:
    """Space, punctuation or a symbol: a token with no letter or digit in it."""
    return token.is_space or token.is_punct or not any(c.isalnum() for c in token.text)


def paragraph_starts(doc: Doc) -> Iterable[int]:
    if len(doc):
        yield 0
    for i in np.flatnonzero(doc.to_array("IS_SPACE")).tolist():
        if i + 1 < len(doc) and "\n" in doc[i].text:
            yield i + 1


def past_headline_tag(doc: Doc, start: int, headline_words: Collection[str]) -> int:
    """Where a story's text starts after a tag in capitals that opens its paragraph
    ("EXCLUSIVE -", "ANALYSIS-", "FACTBOX:", "UPDATE 2-": ``headline_words``, those of
    entity_words.txt), else ``start``. The model took "EXCLUSIVE" for an organisation, and
    "EXCLUSIVE-Wagner fighters" for one name."""
    if not (start == 0 or "\n" in doc[start - 1].text):
        return start
    k = start
    while k < len(doc) and (
        (doc[k].is_upper and doc[k].lower_ in headline_words) or (k > start and doc[k].like_num)
    ):
        k += 1
    if k == start or k >= len(doc) or not (doc[k].text in DASHES or doc[k].text == ":"):
        return start
    return k + 1


def listed_with_places(doc: Doc, start: int, end: int) -> bool:
    """Coordinated with a place the model found: "Nigeria, Niger, Chad and Cameroon"."""
    root = doc[end - 1]
    return any(p.ent_type_ in ("GPE", "LOC") and not start <= p.i < end for p in root.conjuncts)


def bracketed_name(doc: Doc, end: int) -> tuple[int, int] | None:
    """The name in brackets right after an entity: "(الفاشر)", "(YBŞ)", not "(Wire)" after a
    dateline's country nor a description ("(Ḥalab to its inhabitants)")."""
    if end + 2 >= len(doc) or doc[end].text != "(":
        return None
    close = end + 1
    while close < len(doc) and close - end <= 4 and doc[close].text != ")":
        token = doc[close]
        if token.is_lower and token.is_ascii or token.is_digit or token.is_space:
            return None
        close += 1
    if close >= len(doc) or doc[close].text != ")" or close == end + 1:
        return None
    if close + 1 < len(doc) and doc[close + 1].text in DASHES:
        return None  # "Syria (Wire) —": the agency of a dateline
    inside = doc[end + 1 : close]
    if not any(is_alternative_name(t.text) or t.ent_type_ in MODEL_LABELS for t in inside):
        return None  # "District Council (Second)": a word, not another name
    return (end + 1, close)


def is_alternative_name(word: str) -> bool:
    """An acronym ("KIA", "FAMa", "YBŞ") or a word in another script ("الفاشر")."""
    return sum(ch.isupper() for ch in word) >= 2 or any(
        ch.isalpha() and ord(ch) > 0x24F for ch in word
    )


def merge_chains(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping token ranges joined: "Syrian government" + "government forces"."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def end_char(doc: Doc, end: int) -> int:
    """The character offset where token ``end - 1`` ends."""
    token = doc[end - 1]
    return token.idx + len(token.text)


def _a_year(token) -> bool:
    return token.like_num and len(token) == 4


def _opens_agency(doc: Doc, k: int) -> bool:
    """Whether token ``k`` is the agency's bracket or the dash that ends a dateline."""
    return 0 <= k < len(doc) and doc[k].text in ("(", *DASHES)
