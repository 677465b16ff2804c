"""The writer's aside after a claim: a dash standing alone or a comma, then an article and
one of the aside nouns ("— a claim the Pentagon did not confirm —", "…, a claim Israel
denied"). No part of the claim, nor its speaker, nor, but for the writer's own doubt, a hedge
of it (``claim_edges``, ``speakers``, ``attribution`` ask here); and a spaced dash that is no
aside at all, joining two names ("the Kyiv - Kharkiv road")."""

from __future__ import annotations

import re
from collections.abc import Collection

#: A dash standing alone: spaced, or an em dash, which never joins words.
ASIDE_DASH = re.compile(r"(?<=\s)[-–—](?=\s)|—")
ASIDE_COMMA = re.compile(r",(?=\s)")
#: A spaced dash between two names before a route or a front joins them: "the Kyiv - Kharkiv
#: road" (the claim ended at "the Kyiv").
_NAME_BEFORE = re.compile(r"(?:^|\s)[A-Z][\w'’.-]*\s$")
_NAME_AND_ROUTE = re.compile(
    r"\s[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?\s"
    r"(?:road|highway|motorway|border|frontier|front|line|railway|corridor|route)s?\b"
)
#: What opens or closes the writer's aside after a claim: such a dash, or a comma.
_ASIDE_MARK = re.compile(rf"{ASIDE_DASH.pattern}|{ASIDE_COMMA.pattern}")
#: The words after such an aside that are a clause of their own: after "and" or "but", or a
#: participle ("— a claim the SDF rejected — killing five"), not the rest of the claim's
#: clause ("— a figure the rebels disputed — in the village of Tal Abyad").
_CLAUSE_AFTER = re.compile(r"\s*(?:(?:and|but)\s+|(?=\w+ing\b))")
_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)|\n")
#: A relative clause that is the writer's doubt of what comes before it, to the sentence's
#: end or a mark: ", which could not be verified", ", which Reuters could not independently
#: verify" (both stayed in the claim).
_DOUBTING_WHICH = re.compile(
    r"\s*which\s+(?:[\w'’.-]+\s+){0,3}?(?:could|can|has|have|was|were|is|are)\s*(?:not|n['’]t)"
    r"\s+(?:(?:be|been|independently|immediately|yet)\s+)*(?:verif|confirm|corroborat)\w*"
    r"(?:\s+by\s+[^,;:.!?\n]{1,40})?\s*(?:[,;:.!?—–-]|\n|$)",
    re.IGNORECASE,
)
#: After the noun, the words of a phrase that is the speaker, not an aside: its saying verb
#: right away ("a Reuters tally showed") or after the noun's "by" or "from" ("a tally by the
#: health ministry said"), then at most the time of the saying, to the sentence's end; not
#: a clause of its own ("a claim the army denied", "a figure the UN confirmed").
_SPEAKING_PHRASE = re.compile(
    r"(?:\s+(?:by|from|of)\s[^,;:.!?\n]{1,60}?)?\s+(?P<verb>[a-z]+)"
    r"(?:\s+(?:on|in|late|earlier|last|this)\b[^,;:.!?\n]{0,30})?\s*(?:[.!?]|\n|$)"
)


def after_writers_aside(
    text: str, claim_end: int, range_end: int, aside_nouns: Collection[str]
) -> int | None:
    """Where the words of a range go on as a clause of their own (past an "and" or "but")
    after the writer's aside that ends a claim at ``claim_end`` and closes before
    ``range_end``."""
    aside = writers_aside(text, claim_end, aside_nouns)
    if aside is None or aside[1] >= range_end or text[aside[1]] not in ",-–—":
        return None
    words = _CLAUSE_AFTER.match(text, aside[1] + 1, range_end)
    return words.end() if words is not None and words.end() < range_end else None


def continued_claim_end(text: str, start: int, aside_nouns: Collection[str]) -> int | None:
    """Where the claim ends that a claim starting at ``start`` goes on from, past the
    writer's aside between them ("they shot down a drone — a claim the junta did not confirm —
    and captured two soldiers": the drone's end for the soldiers); ``None`` if none does."""
    paragraph = text.rfind("\n", 0, start) + 1
    for mark in reversed(list(_ASIDE_MARK.finditer(text, paragraph, start))):
        end = mark.start()
        while end > paragraph and text[end - 1].isspace():
            end -= 1
        if after_writers_aside(text, end, start + 1, aside_nouns) == start:
            return end
    return None


def joins_names(text: str, dash: int) -> bool:
    """Whether the spaced dash at ``dash`` joins the names either side of it before a route or
    a front ("the Kyiv - Kharkiv road", "the Israel – Lebanon border"): one name, no aside."""
    return (
        text[dash] in "-–"
        and _NAME_BEFORE.search(text, max(0, dash - 40), dash) is not None
        and _NAME_AND_ROUTE.match(text, dash + 1) is not None
    )


def opens_writers_aside(
    text: str, mark: int, aside_nouns: Collection[str], saying_verbs: Collection[str] = ()
) -> bool:
    """Whether the dash or comma at ``mark`` opens the writer's comment on what comes before
    it: an article, then one of ``aside_nouns`` within three words ("- a claim the army
    denied", "— the highest toll in a week", ", a charge Moscow rejects"), or its doubt in a
    "which" (", which could not be verified"); not what is said ("– which denies it –") nor
    who says it, the noun the subject of one of ``saying_verbs``
    that ends the sentence (", a tally by the health ministry said")."""
    if _DOUBTING_WHICH.match(text, mark + 1):
        return True
    words = text[mark + 1 : mark + 60].split(maxsplit=4)[:4]
    if not words or words[0].lower() not in ("a", "an", "the"):
        return False
    at = mark + 1
    for word in words[1:]:
        at = text.index(word, at) + len(word)
        bare = word.rstrip(",;:.!?")
        if bare.lower() in aside_nouns:
            return bare != word or not _speaks(text, at, saying_verbs)
        if bare != word:
            return False  # the noun phrase ended: "— the third, and …"
    return False


def _speaks(text: str, noun_end: int, saying_verbs: Collection[str]) -> bool:
    """Whether the noun ending at ``noun_end`` says what comes before its phrase: "…, the
    latest tally from the health ministry said" was read as the writer's aside, and the
    claim had no source."""
    phrase = _SPEAKING_PHRASE.match(text, noun_end)
    return phrase is not None and phrase["verb"] in saying_verbs


def writers_aside(
    text: str, end: int, aside_nouns: Collection[str], saying_verbs: Collection[str] = ()
) -> tuple[int, int] | None:
    """The characters of the writer's aside right after a claim ending at ``end`` (from its
    dash or comma to the mark that closes it, or to its sentence's end), if one opens there
    (``opens_writers_aside``)."""
    mark = _ASIDE_MARK.search(text, end, min(len(text), end + 3))
    if (
        mark is None
        or text[end : mark.start()].strip()
        or not opens_writers_aside(text, mark.start(), aside_nouns, saying_verbs)
    ):
        return None
    # a dash's aside ends at the next dash ("— a claim the SDF, for one, rejected —")
    closer = ASIDE_DASH if mark.group() != "," else _ASIDE_MARK
    closing = closer.search(text, mark.end())
    stop = _SENTENCE_STOP.search(text, mark.end())
    ends = [m.start() for m in (closing, stop) if m is not None]
    return mark.start(), min(ends, default=len(text))
