"""CLAIM spans: the content of statements attributed to a source.

Rules, in the order they are tried for each reporting verb ("said", "claimed", "accused"...):

1. the parse: the verb's clausal complement (``ccomp``; ``xcomp`` for claim/deny/allege:
   "claimed to have shot down a drone"), or for accuse/blame its object and its "of"/"for"
   phrase ("accused the army of shelling Idlib");
2. where the parse gives nothing, word patterns that need no parser, so they also run on the
   blank pipeline:
   - "..., <source> said [in a statement]." and "..., said <source>." - the part before the comma;
   - "<source> said [that] ..." - the rest of the sentence;
   - "<source> accused X of Y" - "X of Y".

Independently of any verb:

- "[...that] according to <source>, CONTENT" (the source ends at a comma, or where the parse
  ends it) and "CONTENT, according to <source>.";
- quotations introduced or followed by a reporting verb ('he said: "..."', '"...," he said')
  - the whole quotation, across sentences.

A blank line always ends a sentence (``annotator_paragraphs``), so a headline or dateline
never joins the claim below it. A claim runs to the end of its clause, with the guidelines'
edges: it starts after "that" ("said that **...**"), and leaves out the full stop, commas and
spaces at its ends, and the quotation marks of a claim that is a whole quotation ('"**We
fought them**," he said'); a quotation that only begins or ends the claim keeps its marks
('accused **"foreign intelligence services" of helping the group**'). Claims may nest and
overlap; the same claim found twice (the parse's clause and the quotation around it) is kept
once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span

CLAIM = "CLAIM"

_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "claim": ("claim", "claims", "claimed", "claiming"),
    "report": ("report", "reports", "reported", "reporting"),
    "accuse": ("accuse", "accuses", "accused", "accusing"),
    "blame": ("blame", "blames", "blamed", "blaming"),
    "deny": ("deny", "denies", "denied", "denying"),
    "announce": ("announce", "announces", "announced", "announcing"),
    "state": ("state", "states", "stated", "stating"),
    "add": ("add", "adds", "added", "adding"),
    "insist": ("insist", "insists", "insisted", "insisting"),
    "allege": ("allege", "alleges", "alleged", "alleging"),
    "warn": ("warn", "warns", "warned", "warning"),
    "confirm": ("confirm", "confirms", "confirmed", "confirming"),
    "acknowledge": ("acknowledge", "acknowledges", "acknowledged", "acknowledging"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "assert": ("assert", "asserts", "asserted", "asserting"),
    "argue": ("argue", "argues", "argued", "arguing"),
    "believe": ("believe", "believes", "believed", "believing"),
    "think": ("think", "thinks", "thought"),
    "contend": ("contend", "contends", "contended", "contending"),
    "explain": ("explain", "explains", "explained", "explaining"),
    "indicate": ("indicate", "indicates", "indicated", "indicating"),
    "maintain": ("maintain", "maintains", "maintained", "maintaining"),
    "note": ("note", "notes", "noted", "noting"),
    "observe": ("observe", "observes", "observed", "observing"),
    "reveal": ("reveal", "reveals", "revealed", "revealing"),
    "suggest": ("suggest", "suggests", "suggested", "suggesting"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "tweet": ("tweet", "tweets", "tweeted", "tweeting"),
    "post": ("posted",),
    "conclude": ("conclude", "concludes", "concluded", "concluding"),
    "find": ("find", "finds", "found", "finding"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "stress": ("stress", "stresses", "stressed", "stressing"),
    "declare": ("declare", "declares", "declared", "declaring"),
    "estimate": ("estimate", "estimates", "estimated"),
    "predict": ("predict", "predicts", "predicted"),
    "testify": ("testify", "testifies", "testified"),
    "concede": ("concede", "concedes", "conceded"),
    "complain": ("complain", "complains", "complained"),
    "boast": ("boast", "boasts", "boasted"),
    "agree": ("agree", "agrees", "agreed"),
    "fear": ("fear", "fears", "feared"),
    "threaten": ("threaten", "threatens", "threatened"),
    "rule": ("rule", "rules", "ruled"),
    "recommend": ("recommend", "recommends", "recommended"),
    "reply": ("reply", "replies", "replied"),
    "respond": ("respond", "responds", "responded"),
    "comment": ("comment", "comments", "commented"),
    "read": ("reads",),
}
REPORTING_FORMS: dict[str, str] = {form: lemma for lemma, forms in _VERBS.items() for form in forms}
# Without a tagger these forms are too often nouns or adjectives to trust ("the claims",
# "a report", "the said"); with one, the tag decides.
_AMBIGUOUS_WITHOUT_TAGS = {
    "claim", "claims", "report", "reports", "state", "states", "note", "notes", "finding",
    "warning", "find", "show", "shows", "estimate", "estimates", "fear", "fears", "tweet",
    "tweets", "blame", "post", "reporting", "add", "rule", "read", "reads", "stress", "think",
    "say", "tell", "deny", "found", "thought", "maintain", "agree", "complain", "believe",
    "rules", "comment", "comments", "reply", "replies", "respond",
}  # fmt: skip
_XCOMP_VERBS = {"claim", "deny", "allege", "report", "say"}
_ACCUSE_VERBS = {"accuse": "of", "blame": "for"}
# Subordinate uses where the verb introduces no attributed content.
_NOT_AFTER = {"to", "be", "been", "being", "was", "were", "is", "are", "the", "a", "an", "of"}

_SENT_END = {".", "!", "?"}
_QUOTES_OPEN = {'"', "“", "‘", "'"}
_QUOTES_CLOSE = {'"', "”", "’", "'"}
_MAX_SOURCE = 14  # tokens between a comma and a sentence-final reporting verb
_MAX_TRAIL = 7  # tokens after it: "in a statement on Monday"

# A quotation: straight or curly double quotes, within one paragraph.
_QUOTATION = re.compile(r'"[^"\n]{3,}?"|“[^”\n]{3,}?”')
_SOURCE_WORDS = r"(?:[\w.'’-]+\s+){0,8}?"
_VERB_ALT = "|".join(sorted(REPORTING_FORMS, key=len, reverse=True))
_AFTER_QUOTE = re.compile(rf"^\s*(?:{_SOURCE_WORDS})(?:{_VERB_ALT})\b", re.IGNORECASE)
_AFTER_QUOTE_INVERTED = re.compile(rf"^\s*(?:{_VERB_ALT})\b", re.IGNORECASE)
# Before a quotation, a few more verbs introduce speech: 'She continued: "..."'.
_QUOTE_VERB_ALT = _VERB_ALT + "|continued|asked|stating|saying|writing"
_BEFORE_QUOTE = re.compile(rf"\b(?:{_QUOTE_VERB_ALT})\b[^.!?\n\"“”]{{0,40}}[,:]\s*$", re.IGNORECASE)


def claim_spans(doc: Doc) -> list[Span]:
    """CLAIM suggestions for a processed ``Doc`` (parsed or not)."""
    parsed = doc.has_annotation("DEP")
    tagged = doc.has_annotation("TAG")
    found: list[tuple[int, int]] = []
    for sent in doc.sents:
        found += _according_to(sent)
        for token in sent:
            lemma = REPORTING_FORMS.get(token.lower_)
            if lemma is None or not _is_verb(token, tagged):
                continue
            content = _from_parse(token, lemma) if parsed else None
            if content is None:
                content = _from_words(token, lemma, sent, tagged)
            if content is not None:
                found.append(content)
    found += _quotations(doc.text)
    return _unique(doc.text, found)


def _is_verb(token: Token, tagged: bool) -> bool:
    if tagged:
        return token.tag_.startswith("VB")
    if token.lower_ in _AMBIGUOUS_WITHOUT_TAGS:
        return False
    return token.i == 0 or token.nbor(-1).lower_ not in _NOT_AFTER


# -- the parse ---------------------------------------------------------------------------------


def _from_parse(verb: Token, lemma: str) -> tuple[int, int] | None:
    if lemma in _ACCUSE_VERBS:
        return _accusation_parse(verb, _ACCUSE_VERBS[lemma])
    for child in verb.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and lemma in _XCOMP_VERBS):
            return _clause(child)
    return None


def _clause(head: Token) -> tuple[int, int]:
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    # A complement before its verb ('"...," he said') may carry the verb's own comma.
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text in {",", ";", ":", "--"}:
        end -= 1
    if doc[start].lower_ == "that" and doc[start].dep_ == "mark":
        start += 1  # "said that ...": the claim starts after "that"
    return _chars(doc, start, end)


def _accusation_parse(verb: Token, preposition: str) -> tuple[int, int] | None:
    doc = verb.doc
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == preposition]
    if objects:
        preps += [c for c in objects[0].children if c.dep_ == "prep" and c.lower_ == preposition]
    if not objects or not preps:
        return None
    start = objects[0].left_edge.i
    end = max(p.right_edge.i for p in preps) + 1
    return _chars(doc, start, end)


# -- word patterns -----------------------------------------------------------------------------


def _from_words(verb: Token, lemma: str, sent: SpacySpan, tagged: bool) -> tuple[int, int] | None:
    doc = verb.doc
    s_start, s_end = sent.start, _content_end(sent)
    i = verb.i
    if lemma in _ACCUSE_VERBS:
        prep = _ACCUSE_VERBS[lemma]
        for j in range(i + 2, min(s_end, i + 12)):
            if doc[j].lower_ == prep:
                end = _clause_end(doc, j + 1, s_end)
                return _chars(doc, i + 1, end) if end > j + 1 else None
        return None
    # "..., <source> said [trail]." / "..., said <source>."
    comma = _comma_before(doc, s_start, i)
    if comma is not None and _ends_soon(doc, i, s_end) and comma > s_start + 2:
        start = s_start
        if doc[start].text in _QUOTES_OPEN:
            start += 1
        return _chars(doc, start, comma)
    # "<source> said [that] ..."
    if i == s_start or doc[i - 1].is_punct:
        return None
    that = _that_after(doc, i, s_end)
    j = i + 1 if that is None else that + 1
    if that is None and (
        j >= s_end or not (_starts_clause(doc[j], tagged) or doc[j].text in _QUOTES_OPEN)
    ):
        return None
    if s_end - j < 3:
        return None
    return _chars(doc, j, s_end)


def _that_after(doc: Doc, i: int, s_end: int) -> int | None:
    """A "that" soon after the verb, with no punctuation between: "said on Monday that"."""
    for k in range(i + 1, min(s_end, i + 8)):
        if doc[k].lower_ == "that":
            return k
        if doc[k].is_punct:
            return None
    return None


def _starts_clause(token: Token, tagged: bool) -> bool:
    if tagged:
        return token.tag_ in {"PRP", "DT", "NNP", "NNPS", "NNS", "NN", "CD", "EX", "PRP$", "JJ"}
    return token.lower_ in {
        "the", "a", "an", "it", "he", "she", "they", "we", "i", "you", "there", "this",
        "these", "those", "his", "her", "their", "its", "our", "no", "all", "some",
    } or token.is_title or token.like_num  # fmt: skip


def _comma_before(doc: Doc, start: int, i: int) -> int | None:
    """The comma that ends the content before a sentence-final reporting verb.

    The nearest one, unless it stands right before the verb with no source after it: then
    the source is an appositive before it ("..., Khaled Omar, a spokesman, said.") and the
    content ends at the comma before the source.
    """
    commas: list[int] = []
    for j in range(i - 1, max(start, i - _MAX_SOURCE) - 1, -1):
        text = doc[j].text
        if text == "," and j not in commas:
            commas.append(j)
        elif text in _QUOTES_CLOSE and j > start and doc[j - 1].text == ",":
            commas.append(j - 1)
        elif text in _SENT_END or (
            j < i - 1 and REPORTING_FORMS.get(doc[j].lower_) and doc[j].tag_[:2] == "VB"
        ):
            break
    if not commas:
        return None
    source_after = i + 1 < len(doc) and not (doc[i + 1].is_punct or doc[i + 1].is_stop)
    if commas[0] == i - 1 and not source_after and len(commas) > 1:
        return commas[min(2, len(commas) - 1)]
    return commas[0]


def _ends_soon(doc: Doc, i: int, s_end: int) -> bool:
    """Only a short adverbial ("in a statement on Monday") after the verb."""
    if s_end - i - 1 > _MAX_TRAIL:
        return False
    return not any(doc[k].text == "," or doc[k].lower_ == "that" for k in range(i + 1, s_end))


def _content_end(sent: SpacySpan) -> int:
    """The sentence's end without its closing punctuation and quotes."""
    end = sent.end
    while end > sent.start and (
        sent.doc[end - 1].text in _SENT_END
        or sent.doc[end - 1].text in _QUOTES_CLOSE
        or sent.doc[end - 1].is_space
    ):
        end -= 1
    return end


def _clause_end(doc: Doc, start: int, limit: int) -> int:
    for k in range(start, limit):
        if doc[k].text in {";", ":"}:
            return k
    return limit


def _according_to(sent: SpacySpan) -> list[tuple[int, int]]:
    """ "According to X, CONTENT." and "CONTENT, according to X." """
    doc = sent.doc
    found = []
    s_start, s_end = sent.start, _content_end(sent)
    for i in range(s_start, s_end - 1):
        if doc[i].lower_ != "according" or doc[i + 1].lower_ != "to":
            continue
        source_end = _source_end(doc, i, s_end)
        before = i
        while before > s_start and doc[before - 1].text in {",", "(", "-", "—"}:
            before -= 1
        opens = before == s_start or doc[before - 1].lower_ in _OPENERS
        after_len = s_end - source_end if source_end is not None else 0
        if source_end is not None and after_len >= 3 and (opens or after_len > before - s_start):
            found.append(_chars(doc, source_end, s_end))
        elif before > s_start + 2:
            start = s_start + (1 if doc[s_start].text in _QUOTES_OPEN else 0)
            found.append(_chars(doc, start, before))
    return found


# Words after which "according to X, ..." opens the content: "learned that according to".
_OPENERS = {"that", "and", "but", "while", "as", "because", "so", "yet", "though", "although"}


def _source_end(doc: Doc, i: int, s_end: int) -> int | None:
    """Where the source after "according to" ends: at a comma, or where the parse says."""
    for k in range(i + 2, min(s_end, i + 22)):
        if doc[k].text == ",":
            return k + 1
    if doc.has_annotation("DEP"):
        objects = [c for c in doc[i + 1].children if c.dep_ == "pobj"]
        if objects and objects[0].right_edge.i + 1 < s_end:
            return objects[0].right_edge.i + 1
    return None


# -- quotations --------------------------------------------------------------------------------


def _quotations(text: str) -> list[tuple[int, int]]:
    """Character ranges of quotations with a reporting verb right before or after them."""
    found = []
    for match in _QUOTATION.finditer(text):
        start, end = match.span()
        after = text[end : end + 80]
        before = text[max(0, start - 80) : start]
        inner_end = text[end - 2 : end - 1]
        if (
            (inner_end in {",", "?", "!"} or after.startswith(","))
            and (_AFTER_QUOTE.match(after.lstrip(",")) or _AFTER_QUOTE_INVERTED.match(after))
        ) or _BEFORE_QUOTE.search(before):
            found.append((start, end))
    return found


# -- helpers -----------------------------------------------------------------------------------


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range → character range; ``_edges`` trims it."""
    if start >= end:
        return (0, 0)
    last = doc[end - 1]
    return (doc[start].idx, last.idx + len(last.text))


def _unique(text: str, ranges: Iterable[tuple[int, int]]) -> list[Span]:
    """One span per claim, with the guidelines' edges: the parse's clause and the quotation
    around it are one claim."""
    kept = {_edges(text, start, end) for start, end in ranges}
    return [Span(s, e, CLAIM, origin="model") for s, e in sorted(kept) if e - s >= 3]


_PUNCT_EDGE = " \t\n.,;:!?"
_QUOTE_PAIRS = {'"': '"', "“": "”", "‘": "’"}
_QUOTE_OPENING = {close: opening for opening, close in _QUOTE_PAIRS.items()}


def _edges(text: str, start: int, end: int) -> tuple[int, int]:
    """No space, full stop or comma at either end; no quotation marks around a claim that is
    a whole quotation, nor unpaired ones; a quotation inside the claim keeps both its marks."""
    while True:
        was = (start, end)
        while start < end and text[start] in _PUNCT_EDGE:
            start += 1
        while end > start and text[end - 1] in _PUNCT_EDGE:
            end -= 1
        if start < end and text[start] in _QUOTE_PAIRS:
            close = text.find(_QUOTE_PAIRS[text[start]], start + 1, end)
            if close == end - 1:
                end -= 1  # the whole claim is a quotation: "..."
            if close in (-1, end):
                start += 1
        last = text[end - 1] if end > start else ""
        if last in _QUOTE_OPENING and not _unclosed(text, start, end - 1, last):
            end -= 1  # a closing mark whose quotation opened before the claim
        if (start, end) == was:
            break
    following = text[end : end + 1]
    if following in _QUOTE_OPENING and _unclosed(text, start, end, following):
        end += 1  # 'had killed "more than 40 soldiers"': the quotation closes inside the claim
    return start, end


def _unclosed(text: str, start: int, end: int, close: str) -> bool:
    """Does the range hold a quotation that ``close`` would close?"""
    opening = _QUOTE_OPENING[close]
    if opening == close:
        return text.count(close, start, end) % 2 == 1
    return text.count(opening, start, end) > text.count(close, start, end)
