"""``conll``: CoNLL-2003-style columns, one token per line, IOB2 tags for the entity labels.

Each article starts with ``-DOCSTART- -X- O O`` and a blank line; each line of the article
is a "sentence" ending in a blank line; each token is written as ``TOKEN _ _ TAG``
(``Aleppo _ _ B-LOCATION``). Readers that take the first column as the word and the last as
the tag (spaCy's ``convert``, Flair, Hugging Face's conll2003 loader) read it as it is. The
document line is spaCy's: ``spacy convert`` splits documents at that whole line only
(``conll_ner_to_docs``' ``doc_delimiter``), and at CoNLL-2003's ``-DOCSTART- -X- -X- O`` it
made a one-token "-DOCSTART-" document of each, grouping the sentences ten by ten; the
others test the first column.
Tokens are spaCy's blank English tokenizer's, whitespace tokens left out.

A line that begins with ``-DOCSTART-`` is a document boundary to readers (Hugging Face's
conll2003 loader and Flair test the start of the line; this one the first column), and the
format has no escaping; so a token of the text that begins with ``-DOCSTART-`` is written
with a backslash in front (``\\-DOCSTART- _ _ O``), counted in the report, and each span
over it listed as written not exactly. A token already made of backslashes and then
``-DOCSTART-`` gets one more, so that reading, which takes one backslash off such a token,
gives back the text; other readers see a word.

CoNLL holds one layer of non-overlapping entities on whole tokens, so an export leaves out,
and lists in its report: every claim-kind span (CLAIM), spans off token boundaries, and
entities overlapping a longer one. Reading accepts IOB2, IOB1 and BIOES/BILOU tags and any
number of columns (the first is the token, the last the tag), separated by tabs (a token
may then hold a space: ``New York<TAB>B-LOC``) or by spaces (ASCII ones: a no-break space
is part of its token, ``10\u00a0000``). CoNLL-U Plus files (tab-separated ``ID FORM LEMMA
... MISC`` and more columns, the ID a number; ``#`` comments, ``# newdoc`` starting a
document) are read with FORM the token and the last column the tag, ``SpaceAfter=No`` in
MISC joining a token to the next, as the sentence's ``# text`` has it (without such marks,
the tokens are spaced as ``# text`` is, where they follow it in order); a multiword token
("3-4 del", words "de" and "el") is its form in the text, tagged as its first word with an
entity tag; empty nodes are passed over. Plain CoNLL-U, ten columns, has no tags: refused.
Reading rebuilds each document's text by joining tokens with spaces (but for CoNLL-U's
``SpaceAfter=No``) and sentences with line breaks: the original paragraph breaks, title and
metadata are not in the file, so a round trip keeps the words and the entities on them,
not the character offsets. Nor always the
file's token lines: the export tokenizes with spaCy's blank English tokenizer, which may cut
a token of the file in several ("1996-08-22" in five), and a file scored against the one
imported (conlleval) then no longer lines up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from annotator.core.model import Label
from annotator.core.spans import EDGE_SPACES, entity_layer, is_entity, without_edge_spaces
from annotator.formats.base import Format, Omission
from annotator.formats.conll_columns import DOCSTART
from annotator.formats.conll_reader import BOUNDARY_LIKE, ESCAPED, looks_like_conll, read_conll
from annotator.formats.packed_tokens import alignment
from annotator.storage.export_items import AnnotatedArticle

#: The line that starts an article: the one ``spacy convert`` splits documents at.
DOCSTART_LINE = f"{DOCSTART} -X- O O"


class ConllWriter:
    def __init__(self, path: Path, labels: Sequence[Label]):
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.kinds = {label.name: label.kind for label in labels}
        self.counts: Counter[str] = Counter()  # "escaped": tokens written as \-DOCSTART-

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        text = item.article.text
        tokens = alignment(text)
        omissions: list[Omission] = []
        entities = []
        for span in item.spans:
            trimmed = without_edge_spaces(span, text)
            if not is_entity(span, self.kinds):
                reason = f"{span.label} is not an entity label: CoNLL holds entities only"
                omissions.append(Omission.of(item, span, reason))
            elif any(c.isspace() for c in span.label):
                omissions.append(Omission.of(item, span, "CoNLL tags cannot contain spaces"))
            elif tokens.aligned(trimmed.start, trimmed.end) is None:
                omissions.append(Omission.of(item, span, "not on token boundaries"))
            else:
                entities.append(trimmed)
                if trimmed is not span:
                    omissions.append(Omission.of(item, span, EDGE_SPACES, written=True))
        kept, overlapping = entity_layer(entities)
        for span, other in overlapping:
            detail = f"overlaps {other.label} {other.start}-{other.end}"
            omissions.append(Omission.of(item, span, "overlaps another entity", detail=detail))
        bounds = tokens.bounds()
        spaces = tokens.is_space.tolist()
        escaped = {
            i
            for i, (start, end) in enumerate(bounds)
            if not spaces[i] and BOUNDARY_LIKE.match(text, start, end)
        }
        self.counts["escaped"] += len(escaped)
        tags = ["O"] * len(tokens)
        for span in kept:
            first, last = tokens.aligned(span.start, span.end) or (0, -1)
            tags[first] = f"B-{span.label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{span.label}"
            if not escaped.isdisjoint(range(first, last + 1)):
                omissions.append(Omission.of(item, span, ESCAPED, written=True))
        lines = [f"{DOCSTART_LINE}\n\n"]
        in_sentence = False
        for i, (start, end) in enumerate(bounds):
            if spaces[i]:
                # A line break ends a sentence, unless an entity runs across it.
                if in_sentence and "\n" in text[start:end] and not tags[i].startswith("I-"):
                    lines.append("\n")
                    in_sentence = False
                continue
            token = "\\" + text[start:end] if i in escaped else text[start:end]
            lines.append(f"{token} _ _ {tags[i]}\n")
            in_sentence = True
        if in_sentence:
            lines.append("\n")
        self.file.write("".join(lines))
        return omissions

    def close(self) -> None:
        self.file.close()

    def discard(self) -> None:
        self.file.close()


CONLL = Format(
    "conll",
    "CoNLL-2003-style columns with IOB2 tags (entities only)",
    (".conll", ".iob", ".txt", ".conllu", ".conllup"),
    read_conll,
    ConllWriter,
    detect=lambda path: path.suffix.lower() != ".txt" or looks_like_conll(path),
    holds=frozenset(),
)
