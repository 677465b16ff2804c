"""The article on screen in the annotation window, with the annotator's spans of it, and
the next one, read ahead."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.model import Article, Span
from annotator.core.spans import TokenIndex
from annotator.nlp.tokens import token_bounds
from annotator.storage import StatusRow, Store


def text_order(span: Span) -> tuple[int, int, str, int]:
    return (span.start, span.end, span.label, span.id or 0)


@dataclass
class OpenArticle:
    """The article on screen and this annotator's spans of it, kept in text order."""

    article: Article
    spans: list[Span]
    status: str
    _tokens: TokenIndex | None = field(default=None, repr=False)

    @property
    def id(self) -> int:
        assert self.article.id is not None
        return self.article.id

    @property
    def confirmed(self) -> bool:
        """Once the article is done, suggestions the annotator kept count as confirmed."""
        return self.status == "done"

    @property
    def tokens(self) -> TokenIndex:
        # Tokenised on first use: paging through articles never waits for it.
        if self._tokens is None:
            self._tokens = TokenIndex(token_bounds(self.article.text))
        return self._tokens

    def span(self, span_id: int | None) -> Span | None:
        return next((s for s in self.spans if s.id == span_id), None)


class ReadAhead:
    """The next article of the list, read while the annotator reads this one, so Next
    shows it at once. Only articles opened before: a first opening writes, and waits for
    the key."""

    def __init__(self) -> None:
        self.loaded: tuple[Article, list[Span], StatusRow] | None = None

    def read(self, store: Store, annotator: str, article_id: int | None) -> None:
        self.loaded = None
        if article_id is not None:
            self.loaded = (
                store.article(article_id),
                store.spans(article_id, annotator),
                store.status(article_id, annotator),
            )

    def take(self, article_id: int) -> tuple[Article, list[Span], StatusRow] | None:
        """What was read for ``article_id``, once; ``None`` if it was not read ahead."""
        loaded, self.loaded = self.loaded, None
        return loaded if loaded is not None and loaded[0].id == article_id else None

    def forget(self, article_id: int | None = None) -> None:
        """Drop what was read (of ``article_id`` only, if given): it changed since."""
        if self.loaded is not None and article_id in (None, self.loaded[0].id):
            self.loaded = None
