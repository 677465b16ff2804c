"""The tokenizer of the pipelines the program suggests with: wire text's hard line breaks
joined before the words are cut, one character for one (``core.text.join_hard_line_breaks``).

The program joins a text itself before the pipeline sees it (keeping a title's line break,
which it alone knows of) and cuts it with ``inner``. A saved project model carries this
tokenizer in its config (``annotator_joined_tokenizer.v1``, also a ``spacy_tokenizers``
entry point), so that ``spacy.load(folder)(text)`` gives the program's suggestions for a
text as it comes: with the lines left as they were, a wrapped wire story's FACTION lost
half its words and whole claims went missing. The Doc's text is the joined one, of the
same length: every offset is the original text's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

from annotator.core.text import join_hard_line_breaks

NAME = "annotator_joined_tokenizer.v1"


class JoinedTokenizer:
    """Cuts ``join_hard_line_breaks(text)`` with ``inner``; saved and read as ``inner`` is."""

    def __init__(self, inner: Tokenizer):
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        return self.inner(join_hard_line_breaks(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path: Any, **kwargs: Any) -> JoinedTokenizer:
        self.inner.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs: Any) -> JoinedTokenizer:
        self.inner.from_bytes(data, **kwargs)
        return self

    def __getattr__(self, name: str) -> Any:  # the rest is the inner tokenizer's
        if name == "inner":  # (not set yet: while unpickling)
            raise AttributeError(name)
        return getattr(self.inner, name)


@registry.tokenizers(NAME)
def make_joined_tokenizer() -> Any:
    """spaCy's own tokenizer for the language, behind the join."""
    own = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def create(nlp: Language) -> JoinedTokenizer:
        return JoinedTokenizer(own(nlp))

    return create


def cutting(nlp: Language) -> Tokenizer:
    """The tokenizer that cuts a text already joined (the program's way)."""
    tokenizer = nlp.tokenizer
    return tokenizer.inner if isinstance(tokenizer, JoinedTokenizer) else tokenizer  # type: ignore[return-value]


def joining(nlp: Language) -> Language:
    """``nlp`` cutting its texts joined, and saved so (its config names this tokenizer)."""
    if not isinstance(nlp.tokenizer, JoinedTokenizer):
        nlp.tokenizer = JoinedTokenizer(nlp.tokenizer)  # type: ignore[assignment]
    nlp.config["nlp"]["tokenizer"] = {"@tokenizers": NAME}
    return nlp
