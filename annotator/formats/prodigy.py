"""``jsonl`` / ``prodigy``: JSON Lines in Prodigy's task format.

A record holds ``text``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``: every token
of spaCy's blank English tokenizer, whitespace tokens included, so tokens and their ``ws``
rebuild the text exactly), ``spans`` (``start``, ``end``, ``label``, ``token_start``,
``token_end``, the last inclusive, as Prodigy counts), ``meta`` (title, source, url,
published, the article id and the article's own metadata), ``_annotator_id`` and
``answer: "accept"``. Offsets are code points. Every span is written, overlapping claims
included; a span off token boundaries keeps its exact offsets and its token indices cover
the tokens it touches (the export report lists it).

Reading takes ``text``, optional ``title``, ``url``, ``source``, ``published`` (at the top or
in ``meta``), and ``spans`` (``start``, ``end``, ``label``; a ``text`` given for a span must be
the text at those offsets). Tasks answered ``reject`` or ``ignore`` bring their text only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from annotator.core.model import Label, Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.base import Format, FormatError, ImportedDocument, Omission
from annotator.formats.files import article_from, as_text, iter_json_lines, metadata_of
from annotator.formats.tokens import Tokens
from annotator.storage.exports import AnnotatedArticle

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def read_jsonl(path: Path) -> Iterator[ImportedDocument]:
    for line, record in iter_json_lines(path):
        raw_text = record.get("text")
        if not isinstance(raw_text, str):
            raise FormatError(path, 'record has no "text" string', line)
        if not raw_text.strip():
            raise FormatError(path, 'record has an empty "text"', line)
        text = normalize_newlines(raw_text)
        meta = record.get("meta") or {}
        if not isinstance(meta, dict):
            raise FormatError(path, '"meta" must be an object', line)
        article = article_from(text, record, meta)
        spans = None
        if "spans" in record and record.get("answer", "accept") not in ("reject", "ignore"):
            spans = _spans(path, line, record["spans"], raw_text)
        annotator = record.get("_annotator_id") or record.get("annotator")
        yield ImportedDocument(article, spans, as_text(annotator) or None, line)


def _spans(path: Path, line: int, raw_spans: Any, raw_text: str) -> list[Span]:
    if not isinstance(raw_spans, list):
        raise FormatError(path, '"spans" must be a list', line)
    to_stored = newline_offset_map(raw_text)
    spans = []
    for number, item in enumerate(raw_spans, start=1):
        try:
            start, end, label = int(item["start"]), int(item["end"]), str(item["label"])
        except (KeyError, TypeError, ValueError):
            raise FormatError(
                path, f"span {number} needs integer start, end and a label", line
            ) from None
        if not 0 <= start < end <= len(raw_text):
            raise FormatError(path, f"span {number} ({start}-{end}) lies outside the text", line)
        stated = item.get("text")
        if stated is not None and normalize_newlines(raw_text[start:end]) != normalize_newlines(
            str(stated)
        ):
            raise FormatError(
                path,
                f"span {number} ({start}-{end}) says {stated!r} but the text there is "
                f"{raw_text[start:end]!r}",
                line,
            )
        spans.append(Span(to_stored(start), to_stored(end), label, origin="human"))
    return spans


class JsonlWriter:
    """One Prodigy task per line."""

    def __init__(self, path: Path, labels: Sequence[Label]):
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        article = item.article
        tokens = Tokens.of(article.text)
        spans, omissions = [], []
        for span in item.spans:
            written: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
            covered = tokens.covering(span.start, span.end)
            if covered is None:
                reason = "covers no token (whitespace only): written without token indices"
                omissions.append(Omission.of(item, span, reason, written=True))
            else:
                written["token_start"], written["token_end"] = covered
                if tokens.aligned(span.start, span.end) is None:
                    reason = "not on token boundaries: token indices cover the tokens it touches"
                    omissions.append(Omission.of(item, span, reason, written=True))
            spans.append(written)
        meta = {
            **article.meta,
            **metadata_of(article),
            "article_id": article.id,
        }
        # The tokens are most of the file and of the time: format them directly.
        text = article.text
        token_json = ", ".join(
            f'{{"text": {_ENCODE(text[s:e])}, "start": {s}, "end": {e}, "id": {i}, '
            f'"ws": {"true" if ws else "false"}}}'
            for i, (s, e, ws) in enumerate(
                zip(tokens.starts, tokens.ends, tokens.trailing_space, strict=True)
            )
        )
        # An article nobody annotated goes out as a task to annotate: no spans, no answer.
        answer = (
            f', "spans": {_ENCODE(spans)}, "_annotator_id": {_ENCODE(item.annotator)}, '
            '"answer": "accept"'
            if item.annotator
            else ""
        )
        self.file.write(
            f'{{"text": {_ENCODE(text)}, "tokens": [{token_json}], "meta": {_ENCODE(meta)}'
            f"{answer}}}\n"
        )
        return omissions

    def close(self) -> None:
        self.file.close()

    def discard(self) -> None:
        self.file.close()


JSONL = Format(
    "jsonl",
    "JSON Lines in Prodigy's task format (text, tokens, spans, meta)",
    (".jsonl", ".ndjson", ".json"),
    read_jsonl,
    JsonlWriter,
    aliases=("prodigy",),
)
