"""The rules as spaCy pipeline components, so a saved pipeline carries them.

``add_rule_components(nlp)`` puts them into any pipeline (trained or blank), once:

- ``annotator_paragraphs``: a blank line starts a sentence, and so does the story after a
  dateline or a headline tag ("UPDATE 2-");
- ``annotator_names`` and ``annotator_actors``: two ``SpanRuler``s with the gazetteer and the
  faction lexicon, into ``doc.spans["annotator_rules"]``;
- ``annotator_entities``: the entity rules (``entities.py``) turn the model's entities and the
  rulers' matches into LOCATION and FACTION suggestions;
- ``annotator_claims``: the claim rules (``claims.py``) add CLAIM suggestions;
- ``annotator_attribution`` (``attribution_component.py``), last, once the entities are
  final (after a trained model's ``annotator_merge``): each claim's source as a SOURCE
  suggestion or the FACTION suggestion that speaks, the ``source`` relations and the claim
  attributes.

Every suggested span ends up in ``doc.spans["annotator_suggestions"]``; the relations and
attribute values in ``doc.user_data["annotator_relations"]`` and
``doc.user_data["annotator_attributes"]`` as plain lists of character offsets (what
``claim_links(doc)`` reads), which travel with the ``Doc`` from a worker process. So
``nlp.pipe(..., n_process=N)`` makes them all in its workers, and ``spacy.load`` of a saved
pipeline gives the program's suggestions (for a text given as the program gives it: hard
line breaks joined, ``annotator.core.text.join_hard_line_breaks``). The entity, claim and
attribution components write the data files they were built from into the saved pipeline
(``to_disk``) and read them back (``from_disk``); the factories are also registered as
``spacy_factories`` entry points, so ``spacy.load`` finds them in any process where this
program is installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span
from annotator.core.relations import SOURCE_LABEL
from annotator.core.text import DATELINE, DATELINE_AHEAD, first_line_break
from annotator.nlp.attribution_component import ATTRIBUTION, attribution_last, claim_links
from annotator.nlp.claims import CLAIM, ClaimRules
from annotator.nlp.component_data import (
    SUGGESTIONS_KEY,
    DataFiles,
    put_suggestions,
    suggestions,
)
from annotator.nlp.entities import (
    ACTORS_RULER,
    FACTION,
    LOCATION,
    NAMES_RULER,
    NOT_FACTION,
    RULES_KEY,
    EntityRules,
)
from annotator.nlp.entity_context import paragraph_starts, past_headline_tag
from annotator.nlp.joined_tokenizer import joining
from annotator.nlp.lexicon import (
    ACTORS_FILE,
    FACTIONS,
    GAZETTEER,
    Lexicon,
    load_lexicon,
    parse_lexicon,
)
from annotator.nlp.tokens import with_project_token_rules
from annotator.nlp.wordlists import (
    CLAIM_WORDS,
    ENTITY_WORDS,
    ClaimWords,
    EntityWords,
    load_claim_words,
    load_entity_words,
)

__all__ = [
    "ATTRIBUTION",
    "CLAIMS",
    "ENTITIES",
    "PARAGRAPHS",
    "RULE_COMPONENTS",
    "SUGGESTIONS_KEY",
    "add_rule_components",
    "attribution_last",
    "claim_links",
    "put_suggestions",
    "suggestions",
]

PARAGRAPHS = "annotator_paragraphs"
ENTITIES = "annotator_entities"
CLAIMS = "annotator_claims"
#: The components ``add_rule_components`` adds, in pipeline order (rulers first).
RULE_COMPONENTS = (NAMES_RULER, ACTORS_RULER, PARAGRAPHS, ENTITIES, CLAIMS, ATTRIBUTION)

#: A blank line, or a line break before a dateline (left unjoined, ``join_hard_line_breaks``).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\n" + DATELINE_AHEAD)


def paragraph_boundaries(doc: Doc, headline_words: Collection[str] = frozenset()) -> Doc:
    """A blank line starts a sentence, and so does a dateline on a line of its own, and the
    story after its dateline: headlines, datelines and paragraphs never run together (the
    parser made "KHARTOUM" the subject of "The army said", and so the claim's source). So
    does the story after a tag of ``headline_words`` opening a paragraph ("UPDATE 2-",
    "EXCLUSIVE-"): "UPDATE 2-Israeli strikes kill 12…" was a claim, "WRAPUP 2" the source
    of Israel's.

    Before the parser, which keeps boundaries already set; after a sentencizer, which does not.
    """
    breaks = [match.end() for match in _PARAGRAPH_BREAK.finditer(doc.text)]
    breaks += [match.end() for match in DATELINE.finditer(doc.text)]
    # The first line break left in a joined text ends a headline (kept for a title).
    first = first_line_break(doc.text)
    if first > 0:
        breaks.append(first + 1)
    for end in breaks:
        span = doc.char_span(0, end, alignment_mode="expand")
        if span is not None and span.end < len(doc):
            doc[span.end].is_sent_start = True
    for start in list(paragraph_starts(doc)):
        story = past_headline_tag(doc, start, headline_words)
        if start < story < len(doc):
            _one_sentence_from(doc, story)
    return doc


def _one_sentence_from(doc: Doc, start: int) -> None:
    """Start a sentence at ``start`` that runs to its first full stop or the next boundary
    set: given the start alone, the parser made "Israeli" of "UPDATE 2-Israeli strikes" a
    sentence of its own."""
    doc[start].is_sent_start = True
    k = start + 1
    while k < len(doc) and doc[k].is_sent_start is not True and doc[k - 1].text not in ".!?":
        doc[k].is_sent_start = False
        k += 1


@Language.factory(PARAGRAPHS)
def make_paragraphs(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    # The shipped headline words, those the entity rules read: this component saves no file.
    return partial(paragraph_boundaries, headline_words=load_entity_words().headline_words)


class EntitySuggester(DataFiles):
    """LOCATION and FACTION suggestions from the model's entities and the rulers' matches."""

    files = (FACTIONS, GAZETTEER, ENTITY_WORDS, ACTORS_FILE)
    optional = (ACTORS_FILE,)  # pipelines saved before it kept the named factions in FACTIONS

    def __init__(
        self,
        name: str = ENTITIES,
        *,
        spans_key: str = SUGGESTIONS_KEY,
        lexicon: Lexicon | None = None,
        words: EntityWords | None = None,
    ):
        self.name = name
        self.spans_key = spans_key
        self.rules = EntityRules(lexicon or load_lexicon(), words or load_entity_words())

    @property
    def lexicon(self) -> Lexicon:
        return self.rules.lexicon

    def __call__(self, doc: Doc) -> Doc:
        found = [doc.char_span(s.start, s.end, label=s.label) for s in self.spans(doc)]
        put_suggestions(doc, self.spans_key, (LOCATION, FACTION), found)  # type: ignore[arg-type]
        return doc

    def spans(self, doc: Doc) -> list[Span]:
        """The suggestions for ``doc`` (its entities and rule matches already set)."""
        return self.rules.spans(doc)

    def texts(self) -> dict[str, str]:
        lexicon = self.rules.lexicon
        return {
            FACTIONS: lexicon.factions_text,
            GAZETTEER: lexicon.gazetteer_text,
            ENTITY_WORDS: self.rules.words.text,
            ACTORS_FILE: lexicon.actors_text,
        }

    def load_texts(self, texts: dict[str, str]) -> None:
        lexicon = parse_lexicon(texts[FACTIONS], texts[GAZETTEER], texts.get(ACTORS_FILE, ""))
        self.rules = EntityRules(lexicon, EntityWords.parse(texts[ENTITY_WORDS]))


@Language.factory(ENTITIES, default_config={"spans_key": SUGGESTIONS_KEY})
def make_entities(nlp: Language, name: str, spans_key: str) -> EntitySuggester:
    return EntitySuggester(name, spans_key=spans_key)


class ClaimSuggester(DataFiles):
    """CLAIM suggestions from reporting verbs, "according to" and quotations."""

    files = (CLAIM_WORDS,)

    def __init__(
        self,
        name: str = CLAIMS,
        *,
        spans_key: str = SUGGESTIONS_KEY,
        words: ClaimWords | None = None,
    ):
        self.name = name
        self.spans_key = spans_key
        self.rules = ClaimRules(words or load_claim_words())

    def __call__(self, doc: Doc) -> Doc:
        # A claim's edges are trimmed by characters; a full stop inside a token ("the U.S.")
        # stays with it, as spans in a Doc hold whole tokens.
        found: dict[tuple[int, int], SpacySpan] = {}
        for s in self.spans(doc):
            span = doc.char_span(s.start, s.end, label=CLAIM, alignment_mode="expand")
            if span is not None:
                found.setdefault((span.start, span.end), span)
        put_suggestions(doc, self.spans_key, (CLAIM,), found.values())
        return doc

    def spans(self, doc: Doc) -> list[Span]:
        return self.rules.spans(doc)

    def texts(self) -> dict[str, str]:
        return {CLAIM_WORDS: self.rules.words.text}

    def load_texts(self, texts: dict[str, str]) -> None:
        self.rules = ClaimRules(ClaimWords.parse(texts[CLAIM_WORDS]))


@Language.factory(CLAIMS, default_config={"spans_key": SUGGESTIONS_KEY})
def make_claims(nlp: Language, name: str, spans_key: str) -> ClaimSuggester:
    return ClaimSuggester(name, spans_key=spans_key)


def add_entity_rulers(nlp: Language, lexicon: Lexicon) -> None:
    """Add the gazetteer and faction lexicon as two ``SpanRuler`` components.

    Names match case-sensitively (``ORTH``): "Hama" the city, not "hama"; places also in
    capitals ("ALEPPO", in datelines and headlines) when that is at least five letters long:
    shorter ones ("GAO", "KUT") are as often acronyms. Generic actor phrases and nationality +
    actor noun combinations match in any case (``LOWER``).
    """
    # First in the pipeline: the rulers need only tokens, and SpanRuler runs the components
    # before it over every phrase pattern when it compiles them (seconds of parsing for nothing).
    names = nlp.add_pipe(
        "span_ruler",
        name=NAMES_RULER,
        first=True,
        config={"spans_key": RULES_KEY, "overwrite": True},
    )
    capitals = [p.upper() for p in lexicon.places if sum(ch.isalpha() for ch in p) >= 5]
    patterns: list[dict] = [
        {"label": LOCATION, "pattern": p, "id": "place"}
        for p in dict.fromkeys([*lexicon.places, *capitals])
    ]
    patterns += [{"label": FACTION, "pattern": p, "id": "named"} for p in lexicon.faction_names()]
    patterns += [
        {"label": NOT_FACTION, "pattern": p, "id": "not_faction"} for p in lexicon.not_factions
    ]
    names.add_patterns(patterns)  # type: ignore[attr-defined]

    actors = nlp.add_pipe(
        "span_ruler",
        name=ACTORS_RULER,
        after=NAMES_RULER,
        config={"spans_key": RULES_KEY, "overwrite": False, "phrase_matcher_attr": "LOWER"},
    )
    phrases = [p.lower() for p in lexicon.generic_factions]
    phrases += [
        f"{nationality} {noun}".lower()
        for nationality in lexicon.nationalities
        for noun in lexicon.actor_nouns
    ]
    actors.add_patterns(  # type: ignore[attr-defined]
        [{"label": FACTION, "pattern": p, "id": "generic"} for p in dict.fromkeys(phrases)]
    )


def add_rule_components(nlp: Language) -> list[str]:
    """Add the rule components a pipeline lacks; a pipeline saved with them keeps its own.
    Returns the names of those added."""
    before = set(nlp.pipe_names)
    with_project_token_rules(nlp)
    joining(nlp)  # saved so: spacy.load(folder)(text) suggests as the program does
    if not nlp.has_pipe(NAMES_RULER):
        add_entity_rulers(nlp, load_lexicon())
    if not any(nlp.has_pipe(name) for name in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer")
    if not nlp.has_pipe(PARAGRAPHS):
        if nlp.has_pipe("parser"):
            nlp.add_pipe(PARAGRAPHS, before="parser")
        else:
            nlp.add_pipe(PARAGRAPHS)
    for label in (LOCATION, FACTION, CLAIM, SOURCE_LABEL):
        nlp.vocab.strings.add(label)  # span labels a worker process sends back
    if not nlp.has_pipe(ENTITIES):
        nlp.add_pipe(ENTITIES)
    if not nlp.has_pipe(CLAIMS):
        nlp.add_pipe(CLAIMS, after=ENTITIES)
    if not nlp.has_pipe(ATTRIBUTION):
        nlp.add_pipe(ATTRIBUTION, last=True)
    attribution_last(nlp)
    return [name for name in nlp.pipe_names if name not in before]
