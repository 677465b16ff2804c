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

The verbs and other words are data (``resources/claim_words.txt``); ``components.py`` runs
these rules as a pipeline component.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span
from annotator.nlp.asides import after_writers_aside, opens_writers_aside
from annotator.nlp.claim_edges import (
    MAX_SOURCE,
    MAX_TRAIL,
    QUOTATION,
    QUOTES_CLOSE,
    QUOTES_OPEN,
    SENT_END,
    according_source_end,
    accusation_parse,
    after_the_day,
    another_statement,
    claim_ranges,
    clause,
    clause_end,
    content_end,
    ends_soon,
    that_after,
    that_clause,
    token_chars,
)
from annotator.nlp.wordlists import ClaimWords

CLAIM = "CLAIM"
#: Words that join a verb to the one before it, with its subject: "… and vowed".
_JOINING = {"and", "but", "then"}
_PRONOUNS = {"it", "they", "we", "he", "she", "i"}
_SOURCE_WORDS = r"(?:[\w.'’-]+\s+){0,8}?"


class ClaimRules:
    """Turns a processed ``Doc`` (parsed or not) into CLAIM suggestions."""

    def __init__(self, words: ClaimWords):
        self.words = words
        self.forms = words.reporting_forms
        verbs = "|".join(sorted(self.forms, key=len, reverse=True))
        self.after_quote = re.compile(rf"^\s*(?:{_SOURCE_WORDS})(?:{verbs})\b", re.IGNORECASE)
        self.after_quote_inverted = re.compile(rf"^\s*(?:{verbs})\b", re.IGNORECASE)
        # Before a quotation, a few more verbs introduce speech: 'She continued: "..."'.
        quote_verbs = "|".join([verbs, *words.quotation_verbs])
        self.before_quote = re.compile(
            rf"\b(?:{quote_verbs})\b[^.!?\n\"“”]{{0,40}}[,:]\s*$", re.IGNORECASE
        )

    def spans(self, doc: Doc) -> list[Span]:
        """CLAIM suggestions for a processed ``Doc`` (parsed or not)."""
        parsed = doc.has_annotation("DEP")
        tagged = doc.has_annotation("TAG")
        found: list[tuple[int, int]] = []
        for sent in doc.sents:
            found += self._according_to(sent)
            for token in sent:
                lemma = self.forms.get(token.lower_)
                if lemma is None or not self._is_verb(token, tagged) or _negated(token):
                    continue  # "did not say how many", "has not commented": nothing claimed
                contents = self._from_parse(token, lemma) if parsed else []
                if not contents:
                    content = self._from_words(token, lemma, sent, tagged)
                    contents = _and_that(token.doc, content) if content is not None else []
                found += contents
        found += self._quotations(doc.text)
        return [
            Span(s, e, CLAIM, origin="model")
            for s, e in claim_ranges(
                doc.text, found, self.words.aside_nouns, self.words.own_act_forms
            )
        ]

    def _is_verb(self, token: Token, tagged: bool) -> bool:
        if tagged:
            return token.tag_.startswith("VB")
        if token.lower_ in self.words.ambiguous_without_tags:
            return False
        return token.i == 0 or token.nbor(-1).lower_ not in self.words.not_after

    def _from_parse(self, verb: Token, lemma: str) -> list[tuple[int, int]]:
        """The clauses the parse hangs from ``verb``: one, or two joined by "and that"."""
        accusation = self.words.accusation_verbs
        if lemma in accusation:
            found = accusation_parse(verb, accusation[lemma])
            return [found] if found is not None else []
        for child in verb.children:
            if another_statement(child, verb):
                continue  # "Hamas says A; Israel says B": the first half is not Israel's
            if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and lemma in self.words.xcomp_verbs):
                start, end = clause(child)
                end = self._before_subjectless_speakers(verb, child, end)
                end = self._past_the_writers_aside(verb, end)
                claims = []
                # "said that A and that B": two reported clauses, one span each
                second = next((c for c in child.children if that_clause(c)), None)
                joined = self._second_cue(child) or second
                said_too = _join_before(child, joined) if joined is not None else None
                if said_too is not None and said_too.idx > start:
                    end = min(end, said_too.idx)  # one span per reported clause
                if second is not None:
                    claims.append(clause(second))
                return [(start, end), *claims] if start < end else claims
        return []

    def _before_subjectless_speakers(self, verb: Token, child: Token, end: int) -> int:
        """Where a clause before its verb ends when the parser took the speakers into it
        ("..., killing four soldiers, activists and state media said": the speakers a list
        with the soldiers, the verb without a subject): at the comma before them."""
        doc = verb.doc
        if child.i > verb.i or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return end
        comma = self._comma_before(doc, verb.sent.start, verb.i)
        if comma is not None and doc[comma].idx < end and child.i < comma:
            return doc[comma].idx
        return end

    def _past_the_writers_aside(self, verb: Token, end: int) -> int:
        """Where a reported clause ending at ``end`` ends with the words the writer's aside
        after it closes before, when the parser hangs them outside the clause ("Rebels said
        they had taken the airbase, a claim the army denied, and killed five soldiers": the
        soldiers were in no claim, nor "…, a claim Israel denied, killing 20 people"):
        ``claim_ranges`` makes them a claim of their own."""
        doc = verb.doc
        last = verb.right_edge
        while last.i > verb.i and (last.is_punct or last.is_space):
            last = doc[last.i - 1]
        verb_end = last.idx + len(last.text)
        if verb_end <= end:
            return end
        after = after_writers_aside(doc.text, end, verb_end, self.words.aside_nouns)
        return end if after is None else verb_end

    def _second_cue(self, head: Token) -> Token | None:
        """ "… that its fighters had returned fire and accused the army of …": a reporting
        verb joined to the reported clause's own, with no subject of its own, is the
        speaker's second statement (the parser hangs it inside the first), and a pledge
        verb the speaker's act ("it fired rockets at northern Israel and vowed to
        retaliate" was one claim)."""
        # (a pledge is the speaker's when the clause's subject may be the speaker: "Hezbollah
        # said Israel fired rockets and vowed…" reports Israel's vow)
        pledges = self.words.pledge_forms if _speakers_pronoun(head) else frozenset()
        for conj in head.children:
            if (
                conj.dep_ == "conj"
                and (conj.lower_ in self.words.cue_forms or conj.lower_ in pledges)
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children)
            ):
                return conj
        return None

    def _from_words(
        self, verb: Token, lemma: str, sent: SpacySpan, tagged: bool
    ) -> tuple[int, int] | None:
        doc = verb.doc
        s_start, s_end = sent.start, content_end(sent)
        i = verb.i
        if lemma in self.words.accusation_verbs:
            prep = self.words.accusation_verbs[lemma]
            for j in range(i + 2, min(s_end, i + 12)):
                if doc[j].lower_ == prep:
                    end = clause_end(doc, j + 1, s_end)
                    # "was accused by Manila of ramming a boat": what comes after "of"; the
                    # accuser is the source, no part of the claim.
                    start = j + 1 if doc[i + 1].lower_ == "by" else i + 1
                    return token_chars(doc, start, end) if end > j + 1 else None
            return None
        if i > 0 and doc[i - 1].lower_ in _JOINING and verb.lower_ in self.words.pledge_forms:
            return None  # "… and threatened further attacks": the speaker's act, no claim
        # "..., <source> said [trail]." / "..., said <source>."
        comma = self._comma_before(doc, s_start, i)
        if (
            comma is not None
            and comma + 1 < i
            and all(t.lower_ in _JOINING for t in doc[comma + 1 : i])
        ):
            # "Hezbollah said it fired rockets at northern Israel, and threatened …": the
            # verb has the subject it is joined to, and no source after the comma (the words
            # before it were a claim with no source)
            comma = None
        if comma is not None and opens_writers_aside(
            doc.text, doc[comma].idx, self.words.aside_nouns, self.words.saying_forms
        ):
            return None  # "…, a claim the army denied": the writer's aside, no claim of the army's
        if (
            comma is not None
            and comma > s_start + 2
            and (ends_soon(doc, i, s_end) or self._goes_on_after(doc, i, s_end, s_start, comma))
        ):
            start = s_start
            if doc[start].text in QUOTES_OPEN:
                start += 1
            return token_chars(doc, start, comma)
        # "<source> said [that] ..."
        if i == s_start or doc[i - 1].is_punct:
            return None
        that = that_after(doc, i, s_end)
        if that is not None and doc[that].head.dep_ == "relcl":
            return None  # "observed a truce that began…": the "that" of a relative clause
        j = after_the_day(doc, i + 1, s_end) if that is None else that + 1
        if that is None and (
            j >= s_end or not (self._starts_clause(doc[j], tagged) or doc[j].text in QUOTES_OPEN)
        ):
            return None
        # a semicolon ends it: "Houthis claim attack on ship; U.S. says missile intercepted"
        end = next((k for k in range(j, s_end) if doc[k].text == ";"), s_end)
        if doc[j].lower_ in _PRONOUNS:
            # "… it fired rockets at northern Israel and vowed to retaliate": the speaker's
            # pledge, no part of what it said
            end = next((k for k in range(j + 1, end - 1) if self._joins_a_pledge(doc, k)), end)
        if end - j < 3:
            return None
        return token_chars(doc, j, end)

    def _joins_a_pledge(self, doc: Doc, k: int) -> bool:
        """Whether token ``k`` is the "and" (with its comma) before a pledge verb."""
        at = k + 1 if doc[k].text == "," else k
        return doc[at].lower_ in _JOINING and doc[at + 1].lower_ in self.words.pledge_forms

    def _goes_on_after(self, doc: Doc, i: int, s_end: int, start: int, comma: int) -> bool:
        """ "…, the military said [on Friday], as a raid went on" (", days after…", ", in a
        blow to…"): the source's words and a comma after a whole clause, then more words
        that are not what it said (no quotation, no "that"). With tags, the words before
        are a clause when they have a verb ("The attack, officials said, killed 12" is
        not); without, the word after the comma must start a clause of another kind."""
        tagged = doc.has_annotation("TAG")
        if tagged and not any(t.tag_.startswith("VB") for t in doc[start:comma]):
            return False
        for k in range(i + 1, min(s_end - 1, i + 1 + MAX_TRAIL)):
            if doc[k].lower_ == "that":
                return False
            if doc[k].text == ",":
                after = doc[k + 1]
                if after.text in QUOTES_OPEN:
                    return False
                return tagged or after.lower_ in self.words.after_source
        return False

    def _starts_clause(self, token: Token, tagged: bool) -> bool:
        if tagged:
            return token.tag_ in {"PRP", "DT", "NNP", "NNPS", "NNS", "NN", "CD", "EX", "PRP$", "JJ"}
        return token.lower_ in self.words.clause_starters or token.is_title or token.like_num

    def _comma_before(self, doc: Doc, start: int, i: int) -> int | None:
        """The comma that ends the content before a sentence-final reporting verb.

        The nearest one, unless it stands right before the verb with no source after it: then
        the source is an appositive before it ("..., Khaled Omar, a spokesman, said.") and the
        content ends at the comma before the source.
        """
        commas: list[int] = []
        for j in range(i - 1, max(start, i - MAX_SOURCE) - 1, -1):
            text = doc[j].text
            if text == "," and j not in commas:
                commas.append(j)
            elif text in QUOTES_CLOSE and j > start and doc[j - 1].text == ",":
                commas.append(j - 1)
            elif text in SENT_END or (
                j < i - 1 and self.forms.get(doc[j].lower_) and doc[j].tag_[:2] == "VB"
            ):
                break
        if not commas:
            return None
        source_after = i + 1 < len(doc) and not (doc[i + 1].is_punct or doc[i + 1].is_stop)
        if commas[0] == i - 1 and not source_after and len(commas) > 1:
            return commas[min(2, len(commas) - 1)]
        return commas[0]

    def _according_to(self, sent: SpacySpan) -> list[tuple[int, int]]:
        """ "According to X, CONTENT." and "CONTENT, according to X." """
        doc = sent.doc
        found = []
        s_start, s_end = sent.start, content_end(sent)
        for i in range(s_start, s_end - 1):
            if doc[i].lower_ != "according" or doc[i + 1].lower_ != "to":
                continue
            source_end = according_source_end(doc, i, s_end)
            before = i
            while before > s_start and doc[before - 1].text in {",", "(", "-", "—"}:
                before -= 1
            opens = before == s_start or doc[before - 1].lower_ in self.words.openers
            after_len = s_end - source_end if source_end is not None else 0
            if (
                source_end is not None
                and after_len >= 3
                and (opens or after_len > before - s_start)
            ):
                found.append(token_chars(doc, source_end, s_end))
            elif before > s_start + 2:
                start = s_start + (1 if doc[s_start].text in QUOTES_OPEN else 0)
                found.append(token_chars(doc, start, before))
        return found

    def _quotations(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of quotations with a reporting verb right before or after them."""
        found = []
        for match in QUOTATION.finditer(text):
            start, end = match.span()
            after = text[end : end + 80]
            before = text[max(0, start - 80) : start]
            inner_end = text[end - 2 : end - 1]
            if (
                (inner_end in {",", "?", "!"} or after.startswith(","))
                and (
                    self.after_quote.match(after.lstrip(","))
                    or self.after_quote_inverted.match(after)
                )
            ) or self.before_quote.search(before):
                found.append((start, end))
        return found


def _speakers_pronoun(head: Token) -> bool:
    """Whether the subject of the clause ``head`` heads is a pronoun, which may stand for
    the speaker ("Hezbollah said it fired…")."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _PRONOUNS for c in head.children)


def _negated(verb: Token) -> bool:
    """ "did not say", "has not commented", "never said" (by the parse, else the words)."""
    if verb.doc.has_annotation("DEP"):
        return any(child.dep_ == "neg" for child in verb.children)
    before = verb.doc[max(0, verb.i - 2) : verb.i]
    return any(t.lower_ in ("not", "n't", "never") for t in before)


def _join_before(head: Token, conj: Token) -> Token:
    """The "and" (or comma) that joins ``conj`` to ``head``, else ``conj``'s first word."""
    joins = [c for c in head.children if c.dep_ in ("cc", "punct") and c.i < conj.left_edge.i]
    return joins[-1] if joins else conj.left_edge


def _and_that(doc: Doc, content: tuple[int, int]) -> list[tuple[int, int]]:
    """A claim found by words, split where "and that" opens a second reported clause."""
    start, end = content
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return [content]
    for k in range(span.start + 1, span.end - 2):
        if doc[k].lower_ == "and" and doc[k + 1].lower_ == "that":
            first_end = doc[k - 1].idx + len(doc[k - 1].text)
            return [(start, first_end), (doc[k + 2].idx, end)]
    return [content]
