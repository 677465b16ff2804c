"""Pre-annotate a project's articles: ``annotator preannotate DB``.

Articles stream from the project in id order through ``nlp.pipe``; suggestions are written
every ``WRITE_BATCH`` articles in one transaction each, so a cancelled or interrupted run
leaves whole batches behind and the next run carries on where it stopped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.model import Span
from annotator.core.progress import Progress, no_progress
from annotator.nlp.base import PreAnnotator
from annotator.storage import Store

#: Articles per write transaction.
WRITE_BATCH = 500
#: Settings keys that tell the window which pipeline made the suggestions.
SETTING_DESCRIPTION = "preannotator"
SETTING_NAME = "preannotator_model"


@dataclass(frozen=True, slots=True)
class PreannotateReport:
    articles: int = 0  # pre-annotated by this run
    suggestions: int = 0  # stored by this run
    skipped: int = 0  # already had suggestions from this model


def preannotate_store(
    store: Store,
    preannotator: PreAnnotator,
    *,
    force: bool = False,
    n_process: int = 1,
    batch_size: int = 64,
    progress: Progress = no_progress,
) -> PreannotateReport:
    """Suggest spans for the articles that have none from ``preannotator.name`` yet.

    With ``force`` every article is redone, its earlier suggestions from the same model
    replaced. ``progress(done, total)`` is called as articles are processed; raising
    ``Cancelled`` from it stops the run after the batches already written.
    """
    name = preannotator.name
    every = store.article_ids()
    if force:
        todo = every
    else:
        done_before = store.articles_suggested_by(name)
        todo = [i for i in every if i not in done_before]
    skipped = len(every) - len(todo)
    total = len(todo)
    progress(0, total)

    pending_ids: deque[int] = deque()

    def texts() -> Iterator[str]:
        for article in store.iter_articles(todo):
            assert article.id is not None
            pending_ids.append(article.id)
            yield article.text

    articles = suggestions = 0
    batch: list[tuple[int, list[Span]]] = []
    results = preannotator.suggest(texts(), batch_size=batch_size, n_process=n_process)
    try:
        for spans in results:
            batch.append((pending_ids.popleft(), spans))
            if len(batch) >= WRITE_BATCH:
                suggestions += _write(store, preannotator, batch, force)
                articles += len(batch)
                batch = []
            progress(articles + len(batch), total)
        if batch:
            suggestions += _write(store, preannotator, batch, force)
            articles += len(batch)
            progress(articles, total)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops nlp.pipe's worker processes on cancel
    return PreannotateReport(articles=articles, suggestions=suggestions, skipped=skipped)


def _write(
    store: Store, preannotator: PreAnnotator, batch: list[tuple[int, list[Span]]], force: bool
) -> int:
    """One batch, all or nothing: old suggestions of this model out, new ones in."""
    with store.transaction():
        if force:
            store.clear_suggestions([article_id for article_id, _ in batch], preannotator.name)
        count = store.add_suggestions(batch, preannotator.name)
        store.set_setting(SETTING_DESCRIPTION, preannotator.description)
        store.set_setting(SETTING_NAME, preannotator.name)
    return count
