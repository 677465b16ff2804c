"""What an export writes: an article with its chosen version (``AnnotatedArticle``), or many
of them column by column (``ArticleBatch``, which the batch writers encode without making an
object per span)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from annotator.core.model import Article, Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.storage.articles import article_from_row


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    """An article with the spans of its chosen version, ready to be written out."""

    article: Article
    spans: list[Span]
    annotator: str  # "" when nobody annotated it
    status: str
    #: What the article's tool keeps, as imported in the format written
    #: (``storage.import_records``).
    provenance: dict[str, Any] | None = None
    #: Spans the annotator rejected (known negatives), when the writer asked for them.
    negatives: list[Span] = field(default_factory=list)
    #: The comment of a flagged version (why it was flagged).
    comment: str = ""
    #: Relations between the spans (a claim and its source) and the spans' attribute values,
    #: by span value, when the export asked for them (``formats.kb_links``).
    relations: list[SpanRelation] = field(default_factory=list)
    attributes: list[SpanAttribute] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ArticleBatch:
    """Many articles with the spans of their chosen versions, column by column, in id order.

    For writers that format a batch at once rather than article by article. Article ``i``
    owns ``span_counts[i]`` consecutive spans, sorted by start, end and label. Spans carry
    no id or origin (no format writes them; ``load_articles`` has them).
    """

    ids: list[int]
    texts: list[str]
    titles: list[str]
    sources: list[str]
    urls: list[str]
    published: list[str]
    metas: list[str]  # JSON objects, as stored
    annotators: list[str]  # "" when nobody annotated it
    statuses: list[str]
    span_counts: list[int]
    span_starts: list[int]
    span_ends: list[int]
    span_labels: list[str]
    #: Cached token entries (``token_cache``), None where there is none: when asked for.
    tokens: list[bytes | None]
    #: What each article's tool keeps (JSON, as imported), None where nothing: when asked for.
    provenance: list[str | None] = field(default_factory=list)
    #: Each article's known negatives, (start, end, label): when asked for.
    negatives: list[list[tuple[int, int, str]]] = field(default_factory=list)
    #: Each flagged version's comment ("" for the others); empty when none has one.
    comments: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, items: Sequence[AnnotatedArticle]) -> ArticleBatch:
        """The batch of these articles, without cached tokens."""
        articles = [item.article for item in items]
        spans = [span for item in items for span in item.spans]
        return cls(
            [article.id or 0 for article in articles],
            [article.text for article in articles],
            [article.title for article in articles],
            [article.source for article in articles],
            [article.url for article in articles],
            [article.published for article in articles],
            [json.dumps(article.meta, ensure_ascii=False) for article in articles],
            [item.annotator for item in items],
            [item.status for item in items],
            [len(item.spans) for item in items],
            [span.start for span in spans],
            [span.end for span in spans],
            [span.label for span in spans],
            [None] * len(items),
            [None if item.provenance is None else json.dumps(item.provenance) for item in items],
            comments=[item.comment for item in items] if any(i.comment for i in items) else [],
        )

    def __len__(self) -> int:
        return len(self.ids)

    def items(self) -> list[AnnotatedArticle]:
        """The batch as ``AnnotatedArticle``s (their spans without ids or origins)."""
        firsts = list(accumulate(self.span_counts, initial=0))
        return [
            AnnotatedArticle(
                article_from_row(row[:7]),
                [
                    Span(start, end, label)
                    for start, end, label in zip(
                        self.span_starts[firsts[i] : firsts[i + 1]],
                        self.span_ends[firsts[i] : firsts[i + 1]],
                        self.span_labels[firsts[i] : firsts[i + 1]],
                        strict=True,
                    )
                ],
                row[7],
                row[8],
                self.provenance_of(i),
                [Span(*key) for key in self.negatives[i]] if self.negatives else [],
                comment=self.comments[i] if self.comments else "",
            )
            for i, row in enumerate(zip(*self._article_columns(), strict=True))
        ]

    def provenance_of(self, i: int) -> dict[str, Any] | None:
        """What article ``i``'s tool keeps, if the batch was loaded with it."""
        kept = self.provenance[i] if i < len(self.provenance) else None
        return json.loads(kept) if kept else None

    def select(self, indices: Sequence[int]) -> ArticleBatch:
        """The batch of these articles (in this order) only."""
        firsts = list(accumulate(self.span_counts, initial=0))
        spans = [j for i in indices for j in range(firsts[i], firsts[i + 1])]
        articles = [[column[i] for i in indices] for column in self._article_columns()]
        return ArticleBatch(
            *articles,  # type: ignore[call-arg]  # the nine article columns, in order
            [self.span_counts[i] for i in indices],
            [self.span_starts[j] for j in spans],
            [self.span_ends[j] for j in spans],
            [self.span_labels[j] for j in spans],
            [self.tokens[i] for i in indices],
            [self.provenance[i] for i in indices] if self.provenance else [],
            [self.negatives[i] for i in indices] if self.negatives else [],
            [self.comments[i] for i in indices] if self.comments else [],
        )

    def _article_columns(self) -> tuple[list, ...]:
        return (
            self.ids,
            self.texts,
            self.titles,
            self.sources,
            self.urls,
            self.published,
            self.metas,
            self.annotators,
            self.statuses,
        )
