"""The phrases around a claim's speaker that need no word list: the ``Speaker`` value, the
subject of a verb and the phrase it heads, quotations and their marks.

``speakers.py`` finds the speaker with the claim word list; these helpers are what it and
``attribution.py`` share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

QUOTES = {'"', "“", "”", "‘", "’", "'", "«", "»"}
SUBJECTS = {"nsubj", "csubj", "nsubjpass"}
FIRST_PERSON = {"i", "we", "me", "us"}


@dataclass(frozen=True, slots=True)
class Speaker:
    """The words that name who makes a claim: tokens ``start..end`` (end exclusive), the
    head word, and the verb that introduced the claim (``None`` for "according to")."""

    start: int
    end: int
    head: int
    verb: Token | None


#: Said by the parse: the claim's verb has a speaker nobody in particular ("it was said").
NOBODY = Speaker(0, 0, 0, None)


def only_punct(doc: Doc, start: int, end: int) -> bool:
    return all(doc[k].is_punct or doc[k].is_space for k in range(start, end))


def closes_quote(doc: Doc, i: int) -> bool:
    """'... the end."' : a full stop followed by a closing mark ends a quotation only."""
    return i + 1 < len(doc) and doc[i + 1].text in QUOTES


def colon_verb(quotation: SpacySpan) -> Token | None:
    """The verb of the clause a colon before the quotation ends."""
    doc = quotation.doc
    k = quotation.start - 1
    while k >= 0 and (doc[k].text in QUOTES or doc[k].is_space):
        k -= 1
    if k < 1 or doc[k].text != ":":
        return None
    node = doc[k - 1]
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head == node:
            return None
        node = node.head
    return None


def subject_of(verb: Token) -> Token | None:
    """Who does ``verb``: its subject (the agent of a passive), else that of the verb it is
    joined to; the noun a relative clause ("X, who said") hangs from."""
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
        agents = [
            p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
        ]
        if agents and not any(c.dep_ == "nsubj" for c in subjects):
            return agents[0]  # not "Aisha Musa said by phone": the parse's agent is "phone"
        if subjects:
            subject = subjects[0]
            if subject.tag_ in ("WP", "WDT") or subject.lower_ in ("who", "which", "that"):
                return verb.head if verb.dep_ == "relcl" else None
            if subject.dep_ == "nsubjpass":
                return None  # "it was said that ...": nobody in particular
            return subject
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and verb.head.head != verb.head:
            # "X said its fighters returned fire and accused the army": the parser hangs
            # the second statement inside the first; it is X's, not "its fighters'".
            verb = verb.head.head
            continue
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head != verb:
            verb = verb.head
            continue
        return None
    return None


def noun_phrase(head: Token) -> tuple[int, int]:
    """The token range of the phrase ``head`` heads, without what follows a comma after it
    (an apposition, a relative clause) or a clause hanging from it, nor its own head word."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    if head.i < head.head.i < end:
        # "Rebels said they had taken the airbase, a claim the army denied": the parser hung
        # the writer's aside from "Rebels", whose phrase took the verb and the claim in
        end = head.head.i
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "appos", "punct", "advcl", "parataxis"):
            end = min(end, child.left_edge.i)
            break
    doc = head.doc
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return start, end


def make_speaker(
    doc: Doc, start: int, end: int, verb: Token | None, head: int | None = None
) -> Speaker:
    """The speaker of tokens ``start..end``; its head word found when not given."""
    if head is None:
        if doc.has_annotation("DEP"):
            head = next((t.i for t in doc[start:end] if not start <= t.head.i < end), end - 1)
        else:
            # Without a parse: no relative clause ("a father who fled Ariha"), and the head
            # is the last word before a preposition ("the head of the Observatory") or the
            # last word ("the local council").
            end = next((k for k in range(start + 1, end) if doc[k].lower_ in _RELATIVE), end)
            head = next((k - 1 for k in range(start + 1, end) if doc[k].lower_ in _OF), end - 1)
    return Speaker(start, end, head, verb)


_RELATIVE = {"who", "which", "whose", "whom"}
_OF = {"of", "for", "at", "in", "from", "with", "on"}


# -- quotations -----------------------------------------------------------------------------


_QUOTATION = re.compile(r'"[^"\n]+"|“[^”\n]+”|“[^”\n]+$', re.MULTILINE)


def quotations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character ranges of quotations in ``text[start:end]``, marks included; a curly
    quotation left open runs to the paragraph's end (as quoted paragraphs do)."""
    return [(start + m.start(), start + m.end()) for m in _QUOTATION.finditer(text[start:end])]
