"""Who makes each claim, and how the article frames it: the source span, the ``source``
relation and the claim attributes, suggested for the CLAIM spans of a processed ``Doc``.

``attribute_claims(doc, claims, entities)`` is the entry point; it is pure (it reads the
``Doc`` and the spans given and changes nothing), and works on a parsed ``Doc`` and on one
of the blank pipeline. The pipeline runs it as its last component (``annotator_attribution``
in ``components.py``), with the verbs of the word list it was saved with. For each claim:

1. the speaker's words (``annotator.nlp.speakers.SpeakerFinder``);
2. the span for them: a FACTION suggestion that covers the speaker's head word is the source
   (a party to the conflict speaks: "insurgents claimed ..."), and so is one inside a speaker
   phrase like "a spokesman for the RSF"; otherwise a SOURCE span over the speaker's words
   ("the Observatory" → "Observatory"), kept off every LOCATION and FACTION span, one per
   mention of a speaker however many claims it makes. A speaker whose head word is a
   LOCATION gets no source (a place does not speak; the entity rules make a speaking capital
   a FACTION where the parse shows it);
3. the attributes the text marks: ``polarity`` ``denied`` when the cue is a denial
   ("denied", "rejected", "dismissed", "refuted"); ``hedged`` ``yes`` when the claim's
   sentence, or a short disclaimer right after it ("The claim could not be independently
   verified."), says it is unverified ("reportedly", "allegedly", "purportedly",
   "unconfirmed", "could not be verified"); ``quote`` ``yes`` when the claim stands inside
   quotation marks, or quoted words make up most of it. Defaults (asserted, not hedged, not
   a quote) are not suggested.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span
from annotator.core.relations import (
    DENIED,
    HEDGED,
    POLARITY,
    QUOTE,
    SOURCE_LABEL,
    SOURCE_RELATION,
    YES,
    SpanAttribute,
    SpanRelation,
)
from annotator.nlp.asides import continued_claim_end, writers_aside
from annotator.nlp.entity_context import no_word
from annotator.nlp.speakers import QUOTES, Speaker, SpeakerFinder, quotations
from annotator.nlp.wordlists import ClaimWords, load_claim_words

FACTION = "FACTION"
LOCATION = "LOCATION"

_LEADING = {"the", "a", "an"}
_TRAILING = {"'s", "’s", "of", "at", "in", "for", "from", "on", "the", "a", "an", "and", "to", "by"}
_HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|unverified|unconfirmed|alleged|"
    r"purported|"
    r"(?:could|can|did|has|have|had|was|were|is|are)\s*(?:not|n['’]t)\s+(?:be\s+|been\s+)?"
    r"(?:independently\s+|immediately\s+|yet\s+)?(?:verif|confirm|corroborat)\w*|"
    r"(?:impossible|not\s+possible|unable)\s+to\s+(?:independently\s+)?(?:verify|confirm)|"
    r"no\s+independent\s+(?:verification|confirmation))\b",
    re.IGNORECASE,
)
# A sentence of its own that only says what it follows is unverified.
_DISCLAIMER = re.compile(
    r"(?:could|can|did|has|have|had|was|were|is|are)\s*(?:not|n['’]t)\s+(?:be\s+|been\s+)?"
    r"(?:independently\s+|immediately\s+)?(?:verif|confirm|corroborat)\w*|"
    r"(?:impossible|not\s+possible|unable)\s+to\s+(?:independently\s+)?(?:verify|confirm)",
    re.IGNORECASE,
)
# In the writer's aside after a claim, the writer's own doubt ("- an assertion that could
# not be independently verified"), not a party's silence ("— a claim the Pentagon did not
# confirm —").
_WRITERS_DOUBT = re.compile(
    r"\b(?:unverified|unconfirmed|not\s+(?:be\s+|been\s+|independently\s+)+"
    r"(?:verif|confirm|corroborat)\w*|"
    r"(?:impossible|not\s+possible|unable)\s+to\s+(?:independently\s+)?(?:verify|confirm))\b",
    re.IGNORECASE,
)


class Attribution(NamedTuple):
    """What ``attribute_claims`` suggests: new SOURCE spans, the ``source`` relations (each
    from a claim to a SOURCE span here or to a FACTION span given), and attribute values."""

    sources: list[Span]
    relations: list[SpanRelation]
    attributes: list[SpanAttribute]


def attribute_claims(
    doc: Doc,
    claims: Sequence[Span],
    entities: Sequence[Span],
    words: ClaimWords | None = None,
) -> Attribution:
    """The sources, ``source`` relations and attributes of ``claims`` in ``doc``.

    ``claims`` are CLAIM spans of the doc's text (suggested or not); ``entities`` are the
    LOCATION and FACTION spans suggested for it (other labels are ignored). Offsets are
    those of ``doc.text``. A claim whose speaker is not found gets no relation; one found
    twice for several claims is one SOURCE span. ``words``: the claim word list whose verbs
    and nouns are read (the shipped one by default).
    """
    words = words or load_claim_words()
    finder = SpeakerFinder(words)
    entity_spans = sorted(
        (s for s in entities if s.label in (FACTION, LOCATION)), key=lambda s: s.start
    )
    sources: dict[tuple[int, int], Span] = {}
    relations: list[SpanRelation] = []
    attributes: list[SpanAttribute] = []
    speakers: dict[int, Speaker | None] = {}  # by where their claims end
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        tokens = doc.char_span(claim.start, claim.end, alignment_mode="expand")
        if tokens is None or len(tokens) == 0:
            continue
        # "— a claim the junta did not confirm — and captured two soldiers": the words after
        # the writer's aside are said by the speaker of the claim before it (not the junta)
        before = continued_claim_end(finder.text_of(doc), claim.start, words.aside_nouns)
        if before is not None and before in speakers:
            speaker = speakers[before]
        else:
            speaker = finder.find(tokens)
        speakers[claim.end] = speaker
        if speaker is not None:
            child = _source_span(doc, speaker, entity_spans, sources, words.spokespersons)
            if child is not None:
                relations.append(SpanRelation(_value(claim), child, SOURCE_RELATION, "model"))
        attributes += [
            SpanAttribute(_value(claim), name, value, "model")
            for name, value in claim_attributes(
                tokens, speaker, claims, words, text=finder.text_of(doc)
            ).items()
        ]
    return Attribution(sorted(sources.values(), key=lambda s: s.start), relations, attributes)


def attribute_suggestions(
    doc: Doc, spans: Sequence[Span], words: ClaimWords | None = None
) -> Attribution:
    """``attribute_claims`` over a pre-annotator's suggestions for ``doc``: its CLAIM spans,
    with its LOCATION and FACTION spans as the entities."""
    claims = [s for s in spans if s.label == "CLAIM"]
    entities = [s for s in spans if s.label in (FACTION, LOCATION)]
    return attribute_claims(doc, claims, entities, words)


def _value(span: Span) -> Span:
    return Span(span.start, span.end, span.label, "model")


# -- the source span -------------------------------------------------------------------------


def _source_span(
    doc: Doc,
    speaker: Speaker,
    entities: Sequence[Span],
    sources: dict[tuple[int, int], Span],
    spokespersons: Collection[str],
) -> Span | None:
    """The FACTION span that speaks, or a SOURCE span over the speaker's words (new, or one
    made for another claim) kept off every entity; ``None`` if the speaker is a place."""
    head = doc[speaker.head]
    head_start, head_end = head.idx, head.idx + len(head.text)
    first, last = doc[speaker.start], doc[speaker.end - 1]
    phrase = (first.idx, last.idx + len(last.text))
    covering = [e for e in entities if e.start < head_end and head_start < e.end]
    if covering:
        entity = covering[0]
        return entity if entity.label == FACTION else None
    # "a spokesman for the RSF", "Taliban spokesman Zabihullah Mujahid": the party speaks.
    if any(t.lower_ in spokespersons for t in doc[speaker.start : speaker.end]):
        inside = [
            e
            for e in entities
            if e.label == FACTION and phrase[0] <= e.start and e.end <= phrase[1]
        ]
        if inside:
            return inside[0]
    start, end = speaker.start, speaker.end
    # Keep off entities: the longest run of words around the head that touches none.
    taken = [(e.start, e.end) for e in entities if e.start < phrase[1] and phrase[0] < e.end]
    for k in range(speaker.head - 1, speaker.start - 1, -1):
        if _touches(doc[k], taken):
            start = k + 1
            break
    for k in range(speaker.head + 1, speaker.end):
        if _touches(doc[k], taken):
            end = k
            break
    # Edges as the guidelines mark them: no leading "the", no dangling "of" where an entity
    # was cut off ("Residents of [Idlib]"), no rest of a word joined to one ("[Houthi]-run").
    if start > speaker.start:  # cut after an entity: drop the rest of its word
        while start < end - 1 and not doc[start - 1].whitespace_:
            start += 1
    if end < speaker.end:  # cut before an entity: drop the words that modify it
        while end > start + 1 and doc[end - 1].head.i >= end and doc[end - 1].i != speaker.head:
            end -= 1  # "Residents of northern [Gaza]": "northern" goes with "of"
    while start < end - 1 and (
        doc[start].lower_ in _LEADING or doc[start].text in QUOTES or no_word(doc[start])
    ):
        start += 1
    while end > start + 1 and (no_word(doc[end - 1]) or doc[end - 1].lower_ in _TRAILING):
        end -= 1
    if no_word(doc[start]):
        return None  # an emoji or a mark that "said": nobody to name
    chars = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
    for (s, e), existing in sources.items():
        if s < chars[1] and chars[0] < e:
            return existing  # the same speaker as another claim's, perhaps cut otherwise
    source = Span(chars[0], chars[1], SOURCE_LABEL, "model")
    sources[chars] = source
    return source


def _touches(token: Token, taken: Iterable[tuple[int, int]]) -> bool:
    start, end = token.idx, token.idx + len(token.text)
    return any(s < end and start < e for s, e in taken)


# -- attributes ------------------------------------------------------------------------------


def claim_attributes(
    claim: SpacySpan,
    speaker: Speaker | None,
    others: Sequence[Span] = (),
    words: ClaimWords | None = None,
    *,
    text: str | None = None,
) -> dict[str, str]:
    """The attribute values the text marks for ``claim`` (defaults left out). ``others`` are
    the other claims of the text: a hedge inside one of them is that claim's; ``words``
    name the denial verbs (the shipped list by default); ``text``: the doc's text, if the
    caller has it (``Doc.text`` is made anew at each call)."""
    text = claim.doc.text if text is None else text
    values: dict[str, str] = {}
    verb = speaker.verb if speaker is not None else None
    words = words or load_claim_words()
    if verb is not None and verb.lower_ in words.denial_forms:
        values[POLARITY] = DENIED
    if _hedged(claim, verb, others, text, words.aside_nouns):
        values[HEDGED] = YES
    if _quoted(claim, text):
        values[QUOTE] = YES
    return values


def _hedged(
    claim: SpacySpan,
    verb: Token | None,
    others: Sequence[Span],
    text: str,
    aside_nouns: Collection[str],
) -> bool:
    """A hedge in the claim, or elsewhere in its sentence but not in another claim (nor the
    claim's own verb: "X alleged that ..." attributes, it does not doubt); in the writer's
    aside after it (``asides.writers_aside``), or before it when it goes on past one, the
    writer's own doubt only; or a short disclaimer sentence right after it."""
    doc, sent = claim.doc, claim.sent
    start, end = claim.start_char, claim.end_char
    elsewhere = [o for o in others if not (o.start <= start and end <= o.end)]
    # the writer's aside after the claim, and the one before it when it goes on past one
    before = continued_claim_end(text, start, aside_nouns)
    around = [writers_aside(text, end, aside_nouns)]
    if before is not None:
        around.append(writers_aside(text, before, aside_nouns))
    asides = [aside for aside in around if aside is not None]
    if any(_WRITERS_DOUBT.search(text, *aside) for aside in asides):
        return True
    for match in _HEDGES.finditer(text, sent.start_char, max(sent.end_char, end)):
        at = match.start()
        if (verb is not None and at == verb.idx) or any(a <= at < b for a, b in asides):
            continue  # "— a claim the Pentagon did not confirm —" made the drone's downing hedged
        if start <= at < end or not any(o.start <= at < o.end for o in elsewhere):
            return True
    sent = doc[claim.end - 1].sent
    if sent.end < len(doc):
        following = doc[sent.end].sent
        return (
            len(following) <= 25
            and _DISCLAIMER.search(text, following.start_char, following.end_char) is not None
        )
    return False


def _quoted(claim: SpacySpan, text: str) -> bool:
    """Inside quotation marks, or mostly quoted words."""
    start, end = claim.start_char, claim.end_char
    paragraph_start = text.rfind("\n\n", 0, start) + 1
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    quoted = 0
    for q_start, q_end in quotations(text, paragraph_start, paragraph_end):
        if q_start <= start and end <= q_end:
            return True
        quoted += max(0, min(end, q_end) - max(start, q_start))
    return quoted >= 0.8 * (end - start)
