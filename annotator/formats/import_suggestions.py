"""The model's suggestions for an import's new articles, made before the batch's
transaction opens (``importer``)."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.model import Article
from annotator.nlp.base import PreAnnotator, Suggestions
from annotator.nlp.preannotate import project_kb_of
from annotator.storage import Store
from annotator.storage.imports import ImportBatch, article_ids


def suggest_new_articles(
    store: Store,
    rows: ImportBatch,
    preannotator: PreAnnotator,
    suggested_for: Callable[[int], None],
) -> dict[str, Suggestions]:
    """The model's suggestions for the batch's articles the project does not hold yet (the
    batch's transaction writes them), ``suggested_for(n)`` told as each is made (a batch
    took 20 s with the progress at 0). Runs before it, so the project is not locked."""
    held = article_ids(store, (digest for digest, _ in rows.articles))
    new: dict[str, Article] = {}
    for digest, article in rows.articles:
        if digest not in held:
            new.setdefault(digest, article)
    made: dict[str, Suggestions] = {}
    found = preannotator.suggest_articles(
        new.values(), kb=project_kb_of(store), between=lambda: suggested_for(len(made))
    )
    for count, (digest, suggestions) in enumerate(zip(new, found, strict=True), start=1):
        made[digest] = suggestions
        suggested_for(count)
    return made
