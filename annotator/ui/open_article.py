"""The article on screen in the annotation window, with the annotator's spans of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.editing import LazyTokens
from annotator.core.model import Article, Span
from annotator.nlp.tokens import token_bounds


def text_order(span: Span) -> tuple[int, int, str, int]:
    return (span.start, span.end, span.label, span.id or 0)


@dataclass
class OpenArticle:
    """The article on screen and this annotator's spans of it, kept in text order."""

    article: Article
    spans: list[Span]
    status: str
    loading: bool = False  # a long article whose spans a worker is still reading
    _tokens: LazyTokens | None = field(default=None, repr=False)

    @property
    def id(self) -> int:
        assert self.article.id is not None
        return self.article.id

    @property
    def confirmed(self) -> bool:
        """Once the article is done, suggestions the annotator kept count as confirmed."""
        return self.status == "done"

    @property
    def tokens(self) -> LazyTokens:
        # Tokenised a stretch at a time, where needed: opening never waits for it.
        if self._tokens is None:
            self._tokens = LazyTokens(self.article.text, token_bounds)
        return self._tokens

    def span(self, span_id: int | None) -> Span | None:
        return next((s for s in self.spans if s.id == span_id), None)
