"""The article on screen in the annotation window, with the annotator's spans of it."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.editing import SpanList
from annotator.core.lazy_tokens import LazyTokens
from annotator.core.model import Article, Span
from annotator.nlp.tokens import token_bounds
from annotator.ui.article_work import ReadWithIt, shown_started


def text_order(span: Span) -> tuple[int, int, str, int]:
    return (span.start, span.end, span.label, span.id or 0)


class OpenArticle:
    """The article on screen and this annotator's spans of it, kept in text order (a
    ``SpanList``, so the editing rules find the spans near a gesture at once)."""

    def __init__(
        self,
        article: Article,
        spans: Iterable[Span],
        status: str,
        loading: bool = False,
        read_with_it: ReadWithIt | None = None,
    ):
        self.article = article
        self.spans = spans  # type: ignore[assignment]
        self.status = status
        self.loading = loading  # a long article whose spans a worker is still reading
        self.read_with_it = read_with_it or ReadWithIt()
        self._tokens: LazyTokens | None = None

    @property
    def spans(self) -> SpanList:
        return self._spans

    @spans.setter
    def spans(self, spans: Iterable[Span]) -> None:
        self._spans = spans if isinstance(spans, SpanList) else SpanList(spans)

    @property
    def id(self) -> int:
        assert self.article.id is not None
        return self.article.id

    @property
    def started(self) -> bool:
        """Whether the spans shown are the annotator's; else they are the suggestions of an
        article they have not started on (``storage.spans.is_suggestion``: all or none)."""
        return shown_started(self._spans)

    @property
    def own_spans(self) -> int:
        """How many spans the annotator has on it (none until they start)."""
        return len(self._spans) if self.started else 0

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
        return next((s for s in self._spans if s.id == span_id), None)
