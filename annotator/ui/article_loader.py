"""Where the annotation window gets the article it opens: read ahead while the annotator
reads, read now, or, for a long article, read on a worker thread.

A million-character article has tens of thousands of spans: reading them, finding its
paragraphs and converting offsets takes hundreds of milliseconds of Python. For an article
past ``LARGE_ARTICLE`` characters that work runs on a thread with a connection of its own,
and the window shows the result in one short step (``ArticleView.show_prepared``), so the
window never freezes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.model import Article, Span
from annotator.storage import StatusRow, StorageError, Store
from annotator.ui.article_work import ReadWithIt, read_claim_work, read_link_statuses
from annotator.ui.commands import WRITE_ERRORS, failure_message
from annotator.ui.span_formats import PreparedText, prepare_text

#: Articles longer than this (characters) are opened on a worker thread.
LARGE_ARTICLE = 200_000
#: The next article is read this long after one is shown (while the annotator reads).
READ_AHEAD_MS = 30


@dataclass
class LoadedArticle:
    article: Article
    spans: list[Span]
    status: StatusRow
    model: str | None  # which pipeline made its suggestions
    prepared: PreparedText | None = None  # what the view needs, made off the GUI thread
    read_with_it: ReadWithIt | None = None  # its claims and links, read off the GUI thread


class ArticleSource(QObject):
    """Opens articles for one window. ``open`` answers at once with a ``LoadedArticle``,
    or with the bare ``Article`` of a long one, whose ``loaded`` (or ``failed``) follows
    on the GUI thread. ``read_ahead_soon(article_id)`` reads an article in idle time so
    that opening it next costs nothing; ``forget`` drops what was read (it changed)."""

    loaded = Signal(object)  # LoadedArticle
    failed = Signal(int, str)  # article id, message

    def __init__(self, parent: QObject, store, annotator):
        super().__init__(parent)
        self.store = store  # callables: the window's current store and annotator
        self.annotator = annotator
        self.ahead: LoadedArticle | None = None
        self.wanted: int | None = None  # the long article a worker reads
        self._next: int | None = None
        self._ahead_soon = QTimer(self, singleShot=True, interval=READ_AHEAD_MS)
        self._ahead_soon.timeout.connect(self._read_ahead)

    def open(self, article_id: int) -> LoadedArticle | Article:
        """The article with this annotator's spans (or, until they start on it, its
        suggestions); or, for a long article, just the article, while a worker reads the
        rest."""
        self.wanted = None
        ahead, self.ahead = self.ahead, None
        if ahead is not None and ahead.article.id == article_id:
            return ahead
        store, annotator = self.store(), self.annotator()
        article = store.article(article_id)  # the text alone is quick to read
        if len(article.text) > LARGE_ARTICLE and store.path is not None:
            self.wanted = article_id
            args = (store.path, article_id, annotator)
            threading.Thread(target=self._read_long, args=args, daemon=True).start()
            return article
        spans = store.open_article(article_id, annotator)
        status = store.status(article_id, annotator)
        return LoadedArticle(article, spans, status, store.shown_model(article_id, annotator))

    def read_ahead_soon(self, article_id: int | None) -> None:
        self.ahead = None
        self._next = article_id
        if article_id is not None:
            self._ahead_soon.start()

    def _read_ahead(self) -> None:
        # Not long articles: reading them here would stall the window.
        store, annotator = self.store(), self.annotator()
        if self._next is None:
            return
        try:
            article = store.article(self._next)
            if len(article.text) <= LARGE_ARTICLE:
                spans = store.open_article(self._next, annotator)
                status = store.status(self._next, annotator)
                model = store.shown_model(self._next, annotator)
                self.ahead = LoadedArticle(article, spans, status, model)
        except StorageError:  # (a damaged page, the file gone: the opening itself says so)
            self.ahead = None

    def forget(self, article_id: int | None = None) -> None:
        """Drop what was read ahead (of ``article_id`` only, if given): it changed since."""
        if self.ahead is not None and article_id in (None, self.ahead.article.id):
            self.ahead = None

    def stop(self) -> None:
        self._ahead_soon.stop()
        self.wanted = None

    def _read_long(self, path, article_id: int, annotator: str) -> None:
        try:
            with Store(path) as store:
                spans = store.open_article(article_id, annotator)
                article = store.article(article_id)
                status = store.status(article_id, annotator)
                model = store.shown_model(article_id, annotator)
                read_with_it = ReadWithIt(
                    read_claim_work(store, article_id, annotator, spans),
                    read_link_statuses(store, article_id, annotator),
                )
            prepared = prepare_text(article.text, spans, status.status == "done")
            result: LoadedArticle | str = LoadedArticle(
                article, spans, status, model, prepared, read_with_it
            )
        except WRITE_ERRORS as error:
            result = failure_message(error, reading="it")
        if self.wanted != article_id:
            return  # another article was opened meanwhile
        try:
            if isinstance(result, LoadedArticle):
                self.loaded.emit(result)
            else:
                self.failed.emit(article_id, result)
        except RuntimeError:  # the window closed meanwhile
            pass
