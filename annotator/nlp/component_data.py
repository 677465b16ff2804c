"""What the rule components share: the suggestions' span group, and saving a component as
the data files it was built from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span

SUGGESTIONS_KEY = "annotator_suggestions"


def put_suggestions(doc: Doc, key: str, labels: Iterable[str], spans: Iterable[SpacySpan]) -> None:
    """Make ``spans`` the group's suggestions of ``labels``, keeping its others."""
    replaced = set(labels)
    kept = [span for span in doc.spans.get(key, ()) if span.label_ not in replaced]
    doc.spans[key] = [*kept, *spans]


def suggestions(doc: Doc, key: str = SUGGESTIONS_KEY, offset: int = 0) -> list[Span]:
    """The suggestions a pipeline made for ``doc``, as character spans, in text order;
    ``offset`` is added to each (where ``doc`` is a piece of a longer text)."""
    found = [
        Span(span.start_char + offset, span.end_char + offset, span.label_, origin="model")
        for span in doc.spans.get(key, ())
    ]
    return sorted(found, key=lambda s: (s.start, s.end, s.label))


class DataFiles:
    """Serialization of a component that is built from text files: the files themselves.
    A file of ``optional`` may be missing from a pipeline saved before it was added (read
    as empty)."""

    files: tuple[str, ...]
    optional: tuple[str, ...] = ()

    def texts(self) -> dict[str, str]:
        raise NotImplementedError

    def load_texts(self, texts: dict[str, str]) -> None:
        raise NotImplementedError

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts().items():
            (path / name).write_text(text, encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Any:
        path = Path(path)
        self.load_texts(
            {
                name: (path / name).read_text(encoding="utf-8")
                if name not in self.optional or (path / name).exists()
                else ""
                for name in self.files
            }
        )
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.texts())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> Any:
        self.load_texts(srsly.msgpack_loads(data))
        return self
