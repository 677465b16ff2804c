"""Who makes a claim: the words that name its speaker, found from the cue that introduces it.

``find_speaker(claim)`` takes a claim as a token span of a processed ``Doc`` and returns a
``Speaker`` (a token range, its head word, and the cue verb) or ``None``:

- "according to X, CLAIM" / "CLAIM, according to X": X, up to a comma;
- with a parse, the reporting (or denial) verb the claim's clause hangs from ("said",
  "claimed", "denied"; also through a noun: "rejected claims that ..."), or a quotation's
  verb just after or before it, or one set between commas inside the claim; its speaker is
  the subject ("X said"), the agent of a passive ("was told by X"), the subject of the verb
  it is joined to ("X met reporters and said"), or the noun a relative clause hangs from
  ("X, who said"); a passive without agent ("it was said") has none;
- without a parse (the blank pipeline), or where the parse has no verb for the claim, word
  patterns: "CLAIM, X said [trail].", "CLAIM, said X.", "X said [that|:] CLAIM";
- a sentence of a longer quotation takes the quotation's speaker ('"...," X said', 'X said:
  "..."', 'X defended the plan: "..."'), and so does a first person inside a quotation
  ('"I think we won," X said': X, not "I").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from annotator.nlp.wordlists import load_claim_words

#: The reporting verbs' forms the claim rules know (``resources/claim_words.txt``).
REPORTING_FORMS = load_claim_words().reporting_forms

#: Verbs whose claim the source denies. Besides "deny", those that take a claim through a
#: noun ("rejected claims that ...", "dismissed reports that ...").
DENIAL_FORMS = {
    form: lemma
    for lemma, forms in {
        "deny": ("deny", "denies", "denied", "denying"),
        "reject": ("reject", "rejects", "rejected", "rejecting"),
        "dismiss": ("dismiss", "dismisses", "dismissed", "dismissing"),
        "refute": ("refute", "refutes", "refuted", "refuting"),
        "dispute": ("dispute", "disputes", "disputed", "disputing"),
    }.items()
    for form in forms
}
#: Nouns a claim clause can hang from on its way to the verb: "denied reports that ...".
CLAIM_NOUNS = {
    "claim", "claims", "report", "reports", "allegation", "allegations", "accusation",
    "accusations", "suggestion", "suggestions", "assertion", "assertions", "statement",
    "statements", "rumour", "rumours", "rumor", "rumors", "charge", "charges",
}  # fmt: skip
_SUBJECTS = {"nsubj", "csubj", "nsubjpass"}
# Words between a speaker and its verb that are no part of the speaker: "X has also said".
_NOT_SPEAKER = {
    "has", "have", "had", "also", "later", "then", "again", "further", "previously", "earlier",
    "was", "were", "is", "are", "would", "will", "did", "does", "do", "reportedly",
    "allegedly", "once", "first", "repeatedly", "publicly", "separately", "however", "who",
    "which", "that", "and", "but", "been", "being", "be", "not", "never", "n't",
}  # fmt: skip
QUOTES = {'"', "“", "”", "‘", "’", "'", "«", "»"}
_MAX_SPEAKER = 10  # words of a speaker found by word patterns
_MAX_GAP = 8  # words between a claim and the verb after it: ", the local council said"


@dataclass(frozen=True, slots=True)
class Speaker:
    """The words that name who makes a claim: tokens ``start..end`` (end exclusive), the
    head word, and the verb that introduced the claim (``None`` for "according to")."""

    start: int
    end: int
    head: int
    verb: Token | None


# -- who speaks ------------------------------------------------------------------------------


def find_speaker(claim: SpacySpan) -> Speaker | None:
    """The words that name who makes ``claim`` (a token span of a processed ``Doc``)."""
    doc = claim.doc
    speaker = _according_to(claim)
    if speaker is None:
        parsed = _from_parse(claim)
        speaker = None if parsed is _NOBODY else parsed or _from_words(claim)
    if speaker is None:
        # A sentence of a longer quotation: its speaker is the quotation's.
        return _quotation_speaker(doc, claim.start_char, claim.end_char)
    if doc[speaker.head].lower_ in _FIRST_PERSON:
        # "I" in a quotation is whoever the quotation is by: '"I think we won," X said'.
        at = doc[speaker.head].idx
        return _quotation_speaker(doc, at, at + 1) or speaker
    return speaker


#: Said by the parse: the claim's verb has a speaker nobody in particular ("it was said").
_NOBODY = Speaker(0, 0, 0, None)
_FIRST_PERSON = {"i", "we", "me", "us"}


def _according_to(claim: SpacySpan) -> Speaker | None:
    """ "According to X, CLAIM" and "CLAIM, according to X": X runs to the first comma (an
    apposition after it is left out, as for other speakers) or to the claim."""
    doc, sent = claim.doc, claim.sent
    for i in range(sent.start, sent.end - 2):
        if doc[i].lower_ != "according" or doc[i + 1].lower_ != "to":
            continue
        start = i + 2
        if claim.end <= i and _only_punct(doc, claim.end, i):
            limit = sent.end
        elif start < claim.start and not _cue_between(doc, start, claim.start):
            limit = claim.start
        else:
            continue
        end = start
        while end < limit and doc[end].text not in {",", ";", ":", "(", "—", "--"}:
            end += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if start < end and end - start <= _MAX_SPEAKER:
            return _speaker(doc, start, end, None)
    return None


def _cue_between(doc: Doc, start: int, end: int) -> bool:
    """Another claim's cue between an "according to" and a claim: it is not the claim's."""
    return any(
        _is_cue(doc[k]) or (doc[k].lower_ == "according" and doc[k + 1].lower_ == "to")
        for k in range(start, end - 1)
    )


def _only_punct(doc: Doc, start: int, end: int) -> bool:
    return all(doc[k].is_punct or doc[k].is_space for k in range(start, end))


def _from_parse(claim: SpacySpan) -> Speaker | None:
    """The speaker of the verb the parse hangs the claim from; ``_NOBODY`` when there is such
    a verb but no one in particular speaks; ``None`` when the parse has no verb for it."""
    doc = claim.doc
    if not doc.has_annotation("DEP"):
        return None
    verb = _cue_verb(claim) or _adjacent_verb(claim) or _parenthetical_verb(claim)
    if verb is None:
        return None
    speaker = _subject(verb)
    if speaker is None:
        return _NOBODY
    start, end = _noun_phrase(speaker)
    if start < claim.end and claim.start < end and verb.dep_ != "parataxis":
        return _NOBODY  # the speaker inside the claim: a misparse
    return _speaker(doc, start, end, verb, head=speaker.i)


def _cue_verb(claim: SpacySpan) -> Token | None:
    """The reporting (or denial) verb the claim's clause hangs from, a few steps up."""
    roots = [t for t in claim if t.head == t or not claim.start <= t.head.i < claim.end]
    for root in roots:
        node = root
        for _ in range(4):
            head = node.head
            if head == node:
                break
            if not claim.start <= head.i < claim.end:
                if _is_cue(head):
                    return head
                if head.pos_ in ("VERB", "AUX") and head.lower_ not in CLAIM_NOUNS:
                    break  # another verb's clause: "rebels attacked after troops left"
            node = head
    return None


def _adjacent_verb(claim: SpacySpan, also: Collection[str] = ()) -> Token | None:
    """A quotation's verb standing just after it, past a comma or quotation mark ('"...,"
    X said'), or before it, past a colon, comma or mark ('X said: "..."'), where the parse
    does not join them (a quotation of several sentences)."""
    doc = claim.doc
    after = claim.end
    while after < len(doc) and (doc[after].is_punct or doc[after].is_space):
        if doc[after].text in ".!?" and not _closes_quote(doc, after):
            return None
        after += 1
    if after > claim.end or (claim.end > 0 and doc[claim.end - 1].text in QUOTES):
        for k in range(after, min(len(doc), after + _MAX_GAP)):
            if doc[k].is_punct:
                break
            if _is_cue(doc[k]) or doc[k].lower_ in also:
                return doc[k]
    before = claim.start - 1
    while before >= 0 and (doc[before].is_punct or doc[before].is_space):
        before -= 1
    if 0 <= before < claim.start - 1 and (_is_cue(doc[before]) or doc[before].lower_ in also):
        return doc[before]
    return None


def _closes_quote(doc: Doc, i: int) -> bool:
    """'... the end."' : a full stop followed by a closing mark ends a quotation only."""
    return i + 1 < len(doc) and doc[i + 1].text in QUOTES


def _parenthetical_verb(claim: SpacySpan) -> Token | None:
    """A verb set in the claim between commas: "The attack, the army said, killed 40"."""
    for token in claim:
        if token.dep_ == "parataxis" and _is_cue(token):
            return token
    return None


def _quotation_speaker(doc: Doc, start: int, end: int) -> Speaker | None:
    """The speaker of the quotation that holds characters ``start..end``: the subject of the
    verb just after or before it ('"...," X said', 'X said: "..."'), or, after a colon, of
    the clause the colon ends ('X defended the plan: "..."')."""
    if not doc.has_annotation("DEP"):
        return None
    paragraph_start = doc.text.rfind("\n\n", 0, start) + 1
    paragraph_end = doc.text.find("\n\n", end)
    paragraph_end = len(doc.text) if paragraph_end == -1 else paragraph_end
    for q_start, q_end in quotations(doc.text, paragraph_start, paragraph_end):
        if not (q_start <= start and end <= q_end):
            continue
        quotation = doc.char_span(q_start + 1, q_end - 1, alignment_mode="expand")
        if quotation is None or len(quotation) == 0:
            return None
        verb = _adjacent_verb(quotation, _QUOTE_VERBS) or _colon_verb(quotation)
        outer = _subject(verb) if verb is not None else None
        if outer is None or outer.lower_ in _FIRST_PERSON or q_start <= outer.idx < q_end:
            return None
        first, last = _noun_phrase(outer)
        return _speaker(doc, first, last, verb, head=outer.i)
    return None


def _colon_verb(quotation: SpacySpan) -> Token | None:
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


#: Verbs that introduce a quotation though they report nothing else: 'She continued: "..."'.
_QUOTE_VERBS = {"continued", "continues", "asked", "asks", "replied", "replies", "quipped"}


def _is_cue(token: Token, strict: bool = False) -> bool:
    """A reporting or denial verb. Without tags any such form next to a claim counts;
    ``strict`` leaves out forms that are more often nouns there ("state", "report")."""
    form = token.lower_
    if form not in REPORTING_FORMS and form not in DENIAL_FORMS:
        return False
    if token.doc.has_annotation("TAG"):
        return token.tag_.startswith("VB")
    return not strict or form not in _NOUN_LIKE


# Without a tagger these forms are too often nouns ("the state news agency", "a report").
_NOUN_LIKE = {
    "state", "states", "report", "reports", "claim", "claims", "note", "notes", "find", "show",
    "shows", "estimate", "estimates", "fear", "fears", "post", "rule", "rules", "read",
    "reads", "stress", "comment", "comments", "reply", "replies", "finding", "warning",
    "reporting", "tweet", "tweets", "dispute", "disputes", "found", "thought", "think",
}  # fmt: skip


def _subject(verb: Token) -> Token | None:
    """Who does ``verb``: its subject (the agent of a passive), else that of the verb it is
    joined to; the noun a relative clause ("X, who said") hangs from."""
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        agents = [
            p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
        ]
        if agents:
            return agents[0]
        if subjects:
            subject = subjects[0]
            if subject.tag_ in ("WP", "WDT") or subject.lower_ in ("who", "which", "that"):
                return verb.head if verb.dep_ == "relcl" else None
            if subject.dep_ == "nsubjpass":
                return None  # "it was said that ...": nobody in particular
            return subject
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head != verb:
            verb = verb.head
            continue
        return None
    return None


def _noun_phrase(head: Token) -> tuple[int, int]:
    """The token range of the phrase ``head`` heads, without what follows a comma after it
    (an apposition, a relative clause) or a clause hanging from it."""
    start, end = head.left_edge.i, head.right_edge.i + 1
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


# -- word patterns (no parse) ---------------------------------------------------------------


def _from_words(claim: SpacySpan) -> Speaker | None:
    """ "CLAIM, X said [trail]." / "CLAIM, said X." / "X said [that|:] CLAIM"."""
    doc = claim.doc
    sent = doc[claim.end - 1].sent  # a quotation may run over several sentences
    k = claim.end
    while k < sent.end and (doc[k].is_punct or doc[k].is_space) and doc[k].text not in ".!?":
        k += 1
    # A comma or a closing mark, after the claim or as its last token: ", X said".
    if k > claim.end or doc[claim.end - 1].text in QUOTES | {","}:
        window = []
        for i in range(k, min(sent.end, k + _MAX_GAP)):
            if doc[i].is_punct:
                break
            window.append(i)
        # A form that is rather a noun ("state media said") only if nothing else is a verb.
        verbs = [i for i in window if _is_cue(doc[i], strict=True)] or [
            i for i in window if _is_cue(doc[i])
        ]
        if verbs:
            verb = verbs[0]
            if verb > k:
                return _words_before(doc, k, verb)
            end = verb + 1  # ", said X"
            while end < sent.end and not doc[end].is_punct and end - verb <= _MAX_SPEAKER:
                end += 1
            return _speaker(doc, verb + 1, end, doc[verb]) if end > verb + 1 else None
    sent = claim.sent
    j = claim.start - 1
    while j >= sent.start and (doc[j].is_punct or doc[j].is_space or doc[j].lower_ == "that"):
        j -= 1
    for verb in range(j, max(sent.start - 1, j - 5), -1):
        if doc[verb].is_punct:
            break
        if _is_cue(doc[verb]):
            return _words_before(doc, sent.start, verb)
    return None


def _words_before(doc: Doc, start: int, verb: int) -> Speaker | None:
    """The speaker in the words ``start..verb`` before a reporting verb: the last run of words
    before it, without the auxiliaries and adverbs next to it; or, when an apposition set off
    by commas stands before the verb ("Paul Dewar, an Ottawa MP, said"), the words before it.
    """
    end = verb
    earlier = next((k for k in range(start, verb) if _is_cue(doc[k], strict=True)), None)
    if earlier is not None:  # "X denied ... and accused ...": the verbs share X
        return _words_before(doc, start, earlier)
    while end > start and doc[end - 1].text in _NOT_SPEAKER:
        end -= 1
    commas = [k for k in range(start, end) if doc[k].is_punct]
    if commas and commas[-1] == end - 1:  # "X, the head of Y, said"
        first = next((k for k in range(start, end) if doc[k].text == ","), end)
        end = first
    elif commas:
        start = commas[-1] + 1
    while start < end and (doc[start].is_punct or doc[start].lower_ in ("and", "but", "as")):
        start += 1
    if end <= start or end - start > _MAX_SPEAKER:
        return None
    return _speaker(doc, start, end, doc[verb])


def _speaker(
    doc: Doc, start: int, end: int, verb: Token | None, head: int | None = None
) -> Speaker:
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
