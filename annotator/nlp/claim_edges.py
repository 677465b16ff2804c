"""Pieces of the claim rules that read no word list of their own: clauses from the parse,
sentence ends, and the guidelines' edges of a claim (``claims.py`` uses them; the writer's
aside is ``asides.py``'s, its nouns from their list)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from annotator.core.text import DATELINE_DATE
from annotator.nlp.asides import (
    ASIDE_COMMA,
    ASIDE_DASH,
    after_writers_aside,
    joins_names,
    opens_writers_aside,
)

SENT_END = {".", "!", "?"}
QUOTES_OPEN = {'"', "“", "‘", "'"}
QUOTES_CLOSE = {'"', "”", "’", "'"}
MAX_SOURCE = 14  # tokens between a comma and a sentence-final reporting verb
MAX_TRAIL = 7  # tokens after it: "in a statement on Monday"
# A quotation: straight or curly double quotes, within one paragraph.
QUOTATION = re.compile(r'"[^"\n]{3,}?"|“[^”\n]{3,}?”')

#: The marks the guidelines leave out at a claim's ends (a project may take them in:
#: ``learned.take_in_claim_edges``).
CLAIM_PUNCTUATION = frozenset(".,;:!?")
_PUNCT_EDGE = frozenset(" \t\n") | CLAIM_PUNCTUATION
_DASH_MARKS = "-–—"
_QUOTE_PAIRS = {'"': '"', "“": "”", "‘": "’"}
_QUOTE_OPENING = {close: opening for opening, close in _QUOTE_PAIRS.items()}

_WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_PART_OF_DAY = {"morning", "afternoon", "evening", "night"}
_NAME = r"[A-ZÀ-ÖØ-ÞĀ-žḀ-ỿ][\w'’.&-]*"
#: A dateline before a claim's first words ("IDLIB, Syria (Wire) — Artillery fire ..."): a
#: place, an optional ", Country" and "(Agency)", and a dash. Not part of the claim.
_DATELINE = re.compile(
    rf"(?P<place>{_NAME}(?: {_NAME}){{0,3}})"
    rf"(?P<country>, {_NAME}(?: {_NAME}){{0,3}})?"
    # AP's "KYIV, Ukraine, March 3 (AP) —", the year in scraped copy ("May 21, 2023"), the
    # day first ("14 March 2024")
    rf"(?P<date>, {DATELINE_DATE})?"
    r"(?P<agency> ?\([^()\n]{1,40}\))?"
    r" ?(?:—|–|--?) +"
)


def clause(head: Token) -> tuple[int, int]:
    """The characters of the clause ``head`` heads, without "that", a time before its
    subject, the reporter's ", without giving evidence" and a trailing comma."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:  # "…, without providing evidence": the reporter's words
        if (
            child.lower_ == "without"
            and doc[child.i - 1].text == ","
            and child.right_edge.i + 1 >= end
        ):
            end = child.i - 1
            break
    # A complement before its verb ('"...," he said') may carry the verb's own comma.
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text in {",", ";", ":", "--"}:
        end -= 1
    subject_after = any(
        c.dep_ in ("nsubj", "nsubjpass") and c.i > start for c in head.children
    )  # "that" before the clause's own subject is no pronoun ("said that was wrong")
    if doc[start].lower_ == "that" and (doc[start].dep_ in ("mark", "det") or subject_after):
        start += 1  # "said that ...": the claim starts after "that" (at times misparsed)
    first = doc[start]
    if (
        first.dep_ in ("prep", "npadvmod")
        and first.head == head
        and doc[first.i - 1] == head.head  # right after the reporting verb, not in a quote
        and first.right_edge.i + 1 < end
    ):
        after = doc[first.right_edge.i + 1]
        # "said on Monday", and the wires' "said Monday" (which was claimed with the day)
        time_from = first.i + 1 if first.dep_ == "prep" else first.i
        timed = all(t.ent_type_ in ("DATE", "TIME") for t in doc[time_from : after.i])
        # the subject, or its first word ("said on Saturday its forces had …" kept the day)
        opens_subject = any(
            c.dep_ in ("nsubj", "nsubjpass") and c.left_edge == after for c in head.children
        )
        if timed and opens_subject:
            start = after.i  # "said [on] Monday they had …": the day is the saying's
    return token_chars(doc, start, end)


def that_clause(token: Token) -> bool:
    """A clause joined to a reported one and opened by its own "that" ("… and that air
    strikes had hit the town"): a second claim, said by the verb the first hangs from."""
    return token.dep_ == "conj" and any(
        c.dep_ == "mark" and c.lower_ == "that" for c in token.children
    )


def accusation_parse(verb: Token, preposition: str) -> tuple[int, int] | None:
    """ "accused the army of shelling Idlib": the object and its "of" phrase, from the parse."""
    doc = verb.doc
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == preposition]
    if objects:
        preps += [c for c in objects[0].children if c.dep_ == "prep" and c.lower_ == preposition]
    if not objects or not preps:
        return None
    start = objects[0].left_edge.i
    end = max(p.right_edge.i for p in preps) + 1
    return token_chars(doc, start, end)


def that_after(doc: Doc, i: int, s_end: int) -> int | None:
    """A "that" soon after the verb, with no punctuation between: "said on Monday that"."""
    for k in range(i + 1, min(s_end, i + 8)):
        if doc[k].lower_ == "that":
            return k
        if doc[k].is_punct:
            return None
    return None


def after_the_day(doc: Doc, j: int, s_end: int) -> int:
    """Where the words after a reporting verb start once the day of the saying is left out
    ("said [on] Monday [night] the rebels had…" was claimed from "Monday"), without a parse."""
    k = j + 1 if j < s_end and doc[j].lower_ == "on" else j
    if k >= s_end or _WEEKDAY.fullmatch(doc[k].text) is None:
        return j
    k += 1
    return k + 1 if k < s_end and doc[k].lower_ in _PART_OF_DAY else k


def ends_soon(doc: Doc, i: int, s_end: int) -> bool:
    """Only a short adverbial ("in a statement on Monday") after the verb, up to a dash
    standing alone: what follows it is the writer's aside ("…, the ministry said on
    Wednesday - the highest toll in a week" lost its claim and its source)."""
    s_end = next((k for k in range(i + 1, s_end) if stands_alone(doc, k)), s_end)
    if s_end - i - 1 > MAX_TRAIL:
        return False
    return not any(doc[k].text == "," or doc[k].lower_ == "that" for k in range(i + 1, s_end))


def content_end(sent: SpacySpan) -> int:
    """The sentence's end without its closing punctuation and quotes."""
    end = sent.end
    while end > sent.start and (
        sent.doc[end - 1].text in SENT_END
        or sent.doc[end - 1].text in QUOTES_CLOSE
        or sent.doc[end - 1].is_space
    ):
        end -= 1
    return end


def clause_end(doc: Doc, start: int, limit: int) -> int:
    """The first ";" or ":" from ``start``, else ``limit``."""
    for k in range(start, limit):
        if doc[k].text in {";", ":"}:
            return k
    return limit


def according_source_end(doc: Doc, i: int, s_end: int) -> int | None:
    """Where the source after "according to" ends: at a comma, or where the parse says."""
    for k in range(i + 2, min(s_end, i + 22)):
        if doc[k].text == ",":
            return k + 1
    if doc.has_annotation("DEP"):
        objects = [c for c in doc[i + 1].children if c.dep_ == "pobj"]
        if objects and objects[0].right_edge.i + 1 < s_end:
            return objects[0].right_edge.i + 1
    return None


def token_chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range → character range; ``_edges`` trims it."""
    if start >= end:
        return (0, 0)
    last = doc[end - 1]
    return (doc[start].idx, last.idx + len(last.text))


def claim_ranges(
    text: str,
    ranges: Iterable[tuple[int, int]],
    aside_nouns: Collection[str] = (),
    own_acts: Collection[str] = (),
) -> list[tuple[int, int]]:
    """One span per claim, with the guidelines' edges: the parse's clause and the quotation
    around it are one claim. ``aside_nouns``: those of the writer's aside (``claim_edges``);
    the words after one that closes inside a range are a claim too, unless they start with
    one of ``own_acts`` (the speaker's pledge or statement)."""
    kept = set()
    for start, end in ranges:
        at: int | None = start
        while at is not None:
            claim = claim_edges(text, at, end, aside_nouns)
            kept.add(claim)
            # "… near Anefis — a claim the junta did not confirm — and captured two soldiers":
            # the words after the aside are said too (they were dropped), a claim of their own
            at = after_writers_aside(text, claim[1], end, aside_nouns)
            if at is not None and text[at:end].split(maxsplit=1)[0].lower() in own_acts:
                at = None  # "… — and vowed more attacks": the speaker's own act
    return [(s, e) for s, e in sorted(kept) if e - s >= 3]


def claim_edges(
    text: str, start: int, end: int, aside_nouns: Collection[str] = ()
) -> tuple[int, int]:
    """No space, full stop or comma at either end, nor a dash standing alone at its end, nor
    the writer's aside a dash opens (one of ``aside_nouns`` in its first words); no quotation
    marks around a claim that is a whole quotation, nor unpaired ones; a quotation inside the
    claim keeps both its marks; no dateline before it."""
    while True:
        was = (start, end)
        while start < end and text[start] in _PUNCT_EDGE:
            start += 1
        start = after_dateline(text, start, end)
        while end > start and text[end - 1] in _PUNCT_EDGE:
            end -= 1
        end = _before_a_lone_dash(text, start, _before_an_aside(text, start, end, aside_nouns))
        if start < end and text[start] in _QUOTE_PAIRS:
            close = text.find(_QUOTE_PAIRS[text[start]], start + 1, end)
            if close == end - 1:
                end -= 1  # the whole claim is a quotation: "..."
            if close in (-1, end):
                start += 1
        last = text[end - 1] if end > start else ""
        if last in _QUOTE_OPENING and not unclosed(text, start, end - 1, last):
            end -= 1  # a closing mark whose quotation opened before the claim
        if (start, end) == was:
            break
    following = text[end : end + 1]
    if following in _QUOTE_OPENING and unclosed(text, start, end, following):
        end += 1  # 'had killed "more than 40 soldiers"': the quotation closes inside the claim
    return start, end


def after_dateline(text: str, start: int, end: int) -> int:
    """Where a range's words start once a dateline at its start is left out.

    A place in capitals alone ("BEIRUT -") counts only at the start of a paragraph, so that
    a claim starting "ISIS — the group that ..." keeps its subject."""
    found = _DATELINE.match(text, start, end)
    if found is None or found.end() >= end:
        return start
    paragraph_start = start == 0 or text[start - 1] == "\n"
    in_capitals = found["place"].replace(" ", "").isupper()
    if found["country"] or found["agency"] or (in_capitals and paragraph_start):
        return found.end()
    return start


def _before_an_aside(text: str, start: int, end: int, aside_nouns: Collection[str]) -> int:
    """Where a range ends before a dash standing alone that no second one closes: the
    writer's aside after it is no part of the claim ("they had taken the airbase - a claim
    the army denied" was one claim). A dash between words ("pro-army", "2023–2024") is none,
    and a pair keeps its aside inside ("the army – which denies it – killed 12") unless it is
    the writer's comment on the claim: "shot down a drone — a claim the Pentagon did not
    confirm — and vowed more attacks" was one claim, and hedged. A comma opens the writer's
    comment as well: Reuters' "…, a claim the army denied"."""
    paragraph = text.rfind("\n", 0, start) + 1
    # (a mark inside a quotation is the speaker's: "We will fight – we will win," he said)
    for mark in ASIDE_COMMA.finditer(text, start, end):
        if opens_writers_aside(text, mark.start(), aside_nouns) and not _quoted_at(
            text, paragraph, mark.start()
        ):
            end = mark.start()
            break
    dashes = [
        m.start() for m in ASIDE_DASH.finditer(text, start, end) if not joins_names(text, m.start())
    ]
    if not dashes or dashes[0] == start or _quoted_at(text, paragraph, dashes[0]):
        return end
    if len(dashes) == 1 or opens_writers_aside(text, dashes[0], aside_nouns):
        return dashes[0]
    return end


def _quoted_at(text: str, paragraph: int, at: int) -> bool:
    """Whether a quotation opened since ``paragraph`` is still open at ``at``."""
    return any(unclosed(text, paragraph, at, close) for close in _QUOTE_OPENING)


def _before_a_lone_dash(text: str, start: int, end: int) -> int:
    """Where a range ends without a dash standing alone at its end: the headline's "SUDAN ARMY
    SAYS IT RETOOK OMDURMAN - STATE TV" claimed "IT RETOOK OMDURMAN -". A hyphen joined to
    its word stays ("pro-")."""
    dash = end
    while dash > start and text[dash - 1] in _DASH_MARKS:
        dash -= 1
    if dash < end and (dash == start or text[dash - 1] in " \t\n"):
        return dash
    return end


def unclosed(text: str, start: int, end: int, close: str) -> bool:
    """Does the range hold a quotation that ``close`` would close?"""
    opening = _QUOTE_OPENING[close]
    if opening == close:
        return text.count(close, start, end) % 2 == 1
    return text.count(opening, start, end) > text.count(close, start, end)


def another_statement(child: Token, verb: Token) -> bool:
    """Whether ``child``'s words are another statement of the headline or sentence, which the
    parser hangs from this verb: they end before it with a semicolon between ("Hamas says A;
    Israel says B"), or a dash standing alone while the verb has its own clause after it
    ("The rebels said A - the army said B" gave the army the rebels' words, and B to nobody)."""
    doc = verb.doc
    if child.i > verb.i:
        return False
    between = range(child.right_edge.i + 1, verb.i)
    if any(doc[k].text == ";" for k in between):
        return True
    return any(stands_alone(doc, k) for k in between) and any(
        c.dep_ == "ccomp" and c.i > verb.i for c in verb.children
    )


def stands_alone(doc: Doc, k: int) -> bool:
    """Whether token ``k`` is a dash standing alone: spaced (not between two names before a
    road, ``joins_names``), or an em dash."""
    dash = doc[k]
    if dash.text not in ("-", "–", "—", "--"):
        return False
    if dash.text == "—":
        return True
    spaced = k > 0 and bool(doc[k - 1].whitespace_ and dash.whitespace_)
    return spaced and not joins_names(doc.text, dash.idx)
