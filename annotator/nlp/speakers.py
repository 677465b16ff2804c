"""Who makes a claim: the words that name its speaker, found from the cue that introduces it.

``SpeakerFinder(words).find(claim)`` takes a claim as a token span of a processed ``Doc`` and
returns a ``Speaker`` (a token range, its head word, and the cue verb) or ``None``:

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

The verbs (reporting and denial verbs, the nouns a claim hangs from) are the claim word list's
(``resources/claim_words.txt``, ``ClaimWords``): the attribution component carries its copy
in a saved pipeline, as the claim component does.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from annotator.nlp.asides import writers_aside
from annotator.nlp.claim_edges import (
    another_statement,
    content_end,
    ends_soon,
    that_clause,
)
from annotator.nlp.speaker_phrases import (
    FIRST_PERSON,
    NOBODY,
    QUOTES,
    SUBJECTS,
    Speaker,
    closes_quote,
    colon_verb,
    make_speaker,
    noun_phrase,
    only_punct,
    quotations,
    subject_of,
)
from annotator.nlp.wordlists import ClaimWords, load_claim_words

__all__ = ["QUOTES", "Speaker", "SpeakerFinder", "find_speaker", "quotations"]

# Words between a speaker and its verb that are no part of the speaker: "X has also said".
_NOT_SPEAKER = {
    "has", "have", "had", "also", "later", "then", "again", "further", "previously", "earlier",
    "was", "were", "is", "are", "would", "will", "did", "does", "do", "reportedly",
    "allegedly", "once", "first", "repeatedly", "publicly", "separately", "however", "who",
    "which", "that", "and", "but", "been", "being", "be", "not", "never", "n't",
}  # fmt: skip
_MAX_SPEAKER = 10  # words of a speaker found by word patterns
_MAX_GAP = 12  # words between a claim and its verb: ", a security source and a war monitor said"
#: Verbs that introduce a quotation though they report nothing else: 'She continued: "..."'.
_QUOTE_VERBS = {"continued", "continues", "asked", "asks", "replied", "replies", "quipped"}
# Without a tagger these forms are too often nouns ("the state news agency", "a report").
_NOUN_LIKE = {
    "state", "states", "report", "reports", "claim", "claims", "note", "notes", "find", "show",
    "shows", "estimate", "estimates", "fear", "fears", "post", "rule", "rules", "read",
    "reads", "stress", "comment", "comments", "reply", "replies", "finding", "warning",
    "reporting", "tweet", "tweets", "dispute", "disputes", "found", "thought", "think",
}  # fmt: skip


def find_speaker(claim: SpacySpan, words: ClaimWords | None = None) -> Speaker | None:
    """The words that name who makes ``claim``, with ``words`` (the shipped list by default)."""
    return SpeakerFinder(words or load_claim_words()).find(claim)


class SpeakerFinder:
    """Finds claims' speakers with the verbs of one claim word list."""

    def __init__(self, words: ClaimWords):
        self.words = words
        # The text of the last doc asked about: ``Doc.text`` joins every token anew.
        self._doc: Doc | None = None
        self._text = ""

    def text_of(self, doc: Doc) -> str:
        """``doc.text``, made once per doc."""
        if doc is not self._doc:
            self._doc, self._text = doc, doc.text
        return self._text

    def find(self, claim: SpacySpan) -> Speaker | None:
        """The words that name who makes ``claim`` (a token span of a processed ``Doc``)."""
        doc = claim.doc
        speaker = self._according_to(claim)
        if speaker is None:
            parsed = self._from_parse(claim)
            speaker = None if parsed is NOBODY else parsed or self._from_words(claim)
        if speaker is None:
            # A sentence of a longer quotation: its speaker is the quotation's.
            return self._quotation_speaker(doc, claim.start_char, claim.end_char)
        if doc[speaker.head].lower_ in FIRST_PERSON:
            # "I" in a quotation is whoever the quotation is by: '"I think we won," X said'.
            at = doc[speaker.head].idx
            return self._quotation_speaker(doc, at, at + 1) or speaker
        return speaker

    def _according_to(self, claim: SpacySpan) -> Speaker | None:
        """ "According to X, CLAIM" and "CLAIM, according to X": X runs to the first comma (an
        apposition after it is left out, as for other speakers) or to the claim."""
        doc, sent = claim.doc, claim.sent
        for i in range(sent.start, sent.end - 2):
            if doc[i].lower_ != "according" or doc[i + 1].lower_ != "to":
                continue
            start = i + 2
            if claim.end <= i and only_punct(doc, claim.end, i):
                limit = sent.end
            elif start < claim.start and not self._cue_between(doc, start, claim.start):
                limit = claim.start
            else:
                continue
            end = start
            while end < limit and doc[end].text not in {",", ";", ":", "(", "—", "--"}:
                end += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
            if start < end and end - start <= _MAX_SPEAKER:
                return make_speaker(doc, start, end, None)
        return None

    def _cue_between(self, doc: Doc, start: int, end: int) -> bool:
        """Another claim's cue between an "according to" and a claim: it is not the claim's."""
        return any(
            self._is_cue(doc[k]) or (doc[k].lower_ == "according" and doc[k + 1].lower_ == "to")
            for k in range(start, end - 1)
        )

    def _from_parse(self, claim: SpacySpan) -> Speaker | None:
        """The speaker of the verb the parse hangs the claim from; ``NOBODY`` when there is such
        a verb but no one in particular speaks; ``None`` when the parse has no verb for it."""
        doc = claim.doc
        if not doc.has_annotation("DEP"):
            return None
        verb = (
            self._cue_verb(claim) or self._adjacent_verb(claim) or self._parenthetical_verb(claim)
        )
        if verb is None:
            return None
        speaker = subject_of(verb)
        if speaker is None:
            # ", activists and state media said": the parser made them a list with the
            # claim's words, and the verb has no subject; the words between tell
            subjectless = not any(c.dep_ in (*SUBJECTS, "auxpass") for c in verb.children)
            final = verb.i >= claim.end and ends_soon(doc, verb.i, content_end(verb.sent))
            words = self._from_words(claim, before=False) if subjectless and final else None
            return words if words is not None and words.verb == verb else NOBODY
        start, end = noun_phrase(speaker)
        if start < claim.end and claim.start < end and verb.dep_ != "parataxis":
            # The speaker inside the claim: a misparse ("Israeli air strikes ..., killing
            # four soldiers, activists and state media said": the strikes said). The words
            # after the claim may still tell (", X said").
            return self._from_words(claim, before=False) or NOBODY
        return make_speaker(doc, start, end, verb, head=speaker.i)

    def _cue_verb(self, claim: SpacySpan) -> Token | None:
        """The reporting (or denial) verb the claim's clause hangs from, a few steps up."""
        roots = [t for t in claim if t.head == t or not claim.start <= t.head.i < claim.end]
        for root in roots:
            node = root
            for _ in range(4):
                head = node.head
                if head == node:
                    break
                if not claim.start <= head.i < claim.end:
                    if another_statement(node, head):
                        break  # "Houthis claim A; U.S. says B": A is not the U.S.'s
                    if that_clause(node):  # "said that A and that B": B as A
                        node = head
                        continue
                    if self._is_cue(head):
                        return head
                    if head.pos_ in ("VERB", "AUX") and head.lower_ not in self.words.claim_nouns:
                        break  # another verb's clause: "rebels attacked after troops left"
                node = head
        return None

    def _adjacent_verb(self, claim: SpacySpan, also: Collection[str] = ()) -> Token | None:
        """A quotation's verb standing just after it, past a comma or quotation mark ('"...,"
        X said'), or before it, past a colon, comma or mark ('X said: "..."'), where the parse
        does not join them (a quotation of several sentences)."""
        doc = claim.doc
        after = claim.end
        while after < len(doc) and (doc[after].is_punct or doc[after].is_space):
            if doc[after].text == ";" or (
                doc[after].text in ".!?" and not closes_quote(doc, after)
            ):
                return None  # another statement follows: "Houthis claim A; U.S. says B"
            after += 1
        if after > claim.end or (claim.end > 0 and doc[claim.end - 1].text in QUOTES):
            for k in range(after, min(len(doc), after + _MAX_GAP)):
                if doc[k].is_punct:
                    break
                if self._is_cue(doc[k]) or doc[k].lower_ in also:
                    return doc[k]
        before = claim.start - 1
        while before >= 0 and (doc[before].is_punct or doc[before].is_space):
            before -= 1
        if 0 <= before < claim.start - 1 and (
            self._is_cue(doc[before]) or doc[before].lower_ in also
        ):
            return doc[before]
        return None

    def _parenthetical_verb(self, claim: SpacySpan) -> Token | None:
        """A verb set in the claim between commas: "The attack, the army said, killed 40"."""
        for token in claim:
            if token.dep_ == "parataxis" and self._is_cue(token):
                return token
        return None

    def _quotation_speaker(self, doc: Doc, start: int, end: int) -> Speaker | None:
        """The speaker of the quotation that holds characters ``start..end``: the subject of the
        verb just after or before it ('"...," X said', 'X said: "..."'), or, after a colon, of
        the clause the colon ends ('X defended the plan: "..."')."""
        if not doc.has_annotation("DEP"):
            return None
        text = self.text_of(doc)
        paragraph_start = text.rfind("\n\n", 0, start) + 1
        paragraph_end = text.find("\n\n", end)
        paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
        for q_start, q_end in quotations(text, paragraph_start, paragraph_end):
            if not (q_start <= start and end <= q_end):
                continue
            quotation = doc.char_span(q_start + 1, q_end - 1, alignment_mode="expand")
            if quotation is None or len(quotation) == 0:
                return None
            verb = self._adjacent_verb(quotation, _QUOTE_VERBS) or colon_verb(quotation)
            outer = subject_of(verb) if verb is not None else None
            if outer is None or outer.lower_ in FIRST_PERSON or q_start <= outer.idx < q_end:
                return None
            first, last = noun_phrase(outer)
            return make_speaker(doc, first, last, verb, head=outer.i)
        return None

    def _is_cue(self, token: Token, strict: bool = False) -> bool:
        """A reporting or denial verb. Without tags any such form next to a claim counts;
        ``strict`` leaves out forms that are more often nouns there ("state", "report")."""
        form = token.lower_
        if form not in self.words.reporting_forms and form not in self.words.denial_forms:
            return False
        if token.doc.has_annotation("TAG"):
            return token.tag_.startswith("VB")
        return not strict or form not in _NOUN_LIKE

    # -- word patterns (no parse) -----------------------------------------------------------

    def _from_words(self, claim: SpacySpan, before: bool = True) -> Speaker | None:
        """ "CLAIM, X said [trail]." / "CLAIM, said X." / "X said [that|:] CLAIM" (unless
        not ``before``)."""
        doc = claim.doc
        sent = doc[claim.end - 1].sent  # a quotation may run over several sentences
        k = claim.end
        while k < sent.end and (doc[k].is_punct or doc[k].is_space) and doc[k].text not in ".!?;":
            k += 1
        # A comma or a closing mark, after the claim or as its last token: ", X said"; not
        # the writer's aside ("— a claim the Pentagon did not confirm": "claim the Pentagon"
        # was the source).
        aside = writers_aside(
            self.text_of(doc), claim.end_char, self.words.aside_nouns, self.words.saying_forms
        )
        # (", and threatened further attacks": the verb has the subject before the claim)
        joined = k < sent.end and doc[k].lower_ in ("and", "but", "then")
        if (
            aside is None
            and not joined
            and (k > claim.end or doc[claim.end - 1].text in QUOTES | {","})
        ):
            window = []
            for i in range(k, min(sent.end, k + _MAX_GAP)):
                if doc[i].is_punct:
                    break
                window.append(i)
            # A form that is rather a noun ("state media said") only if nothing else is a verb.
            verbs = [i for i in window if self._is_cue(doc[i], strict=True)] or [
                i for i in window if self._is_cue(doc[i])
            ]
            if verbs:
                verb = verbs[0]
                if verb > k:
                    return self._words_before(doc, k, verb)
                end = verb + 1  # ", said X"
                while end < sent.end and not doc[end].is_punct and end - verb <= _MAX_SPEAKER:
                    end += 1
                return make_speaker(doc, verb + 1, end, doc[verb]) if end > verb + 1 else None
        if not before:
            return None
        sent = claim.sent
        j = claim.start - 1
        while j >= sent.start and (doc[j].is_punct or doc[j].is_space or doc[j].lower_ == "that"):
            j -= 1
        for verb in range(j, max(sent.start - 1, j - 5), -1):
            if doc[verb].is_punct:
                break
            if self._is_cue(doc[verb]):
                return self._words_before(doc, sent.start, verb)
        return None

    def _words_before(self, doc: Doc, start: int, verb: int) -> Speaker | None:
        """The speaker in the words ``start..verb`` before a reporting verb: the last run of words
        before it, without the auxiliaries and adverbs next to it; or, when an apposition set off
        by commas stands before the verb ("Paul Dewar, an Ottawa MP, said"), the words before it.
        """
        end = verb
        earlier = next((k for k in range(start, verb) if self._is_cue(doc[k], strict=True)), None)
        if earlier is not None:  # "X denied ... and accused ...": the verbs share X
            return self._words_before(doc, start, earlier)
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
        return make_speaker(doc, start, end, doc[verb])
