"""Pre-annotate a project's articles: ``annotator preannotate DB``.

Articles stream from the project in id order through ``nlp.pipe``; what is suggested for them
(spans, claim sources and attributes, knowledge-base links) is written every ``WRITE_BATCH``
articles in one transaction each, so a cancelled or interrupted run leaves whole batches
behind and the next run carries on where it stopped. Suggestions an earlier run made without
links (``--no-link``, or no place index then) are linked first, without the pipeline.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.model import Article
from annotator.core.progress import Progress, no_progress
from annotator.core.text import title_line
from annotator.kb.faction_linker import FACTION
from annotator.kb.place_linker import LOCATION
from annotator.nlp.base import PreAnnotator, Suggestions
from annotator.nlp.language import looks_english
from annotator.storage import Store
from annotator.storage.links import articles_unlinked, project_actors, store_suggested_links
from annotator.storage.usage import articles_with_spans

if TYPE_CHECKING:
    from annotator.kb.actors import ActorKB
    from annotator.nlp.linking import SuggestionLinker

#: Articles per write transaction.
WRITE_BATCH = 500
#: Settings keys that tell the window which pipeline made the suggestions.
SETTING_DESCRIPTION = "preannotator"
SETTING_NAME = "preannotator_model"


def record_preannotator(store: Store, preannotator: PreAnnotator) -> None:
    """Note which pipeline made the project's latest suggestions (the Model panel names
    it); inside the transaction that stores them."""
    store.set_setting(SETTING_NAME, preannotator.name)
    store.set_setting(SETTING_DESCRIPTION, preannotator.description)


@dataclass(frozen=True, slots=True)
class PreannotateReport:
    articles: int = 0  # pre-annotated by this run
    suggestions: int = 0  # spans stored by this run
    skipped: int = 0  # already had suggestions from this model
    relations: int = 0  # claim sources stored by this run
    links: int = 0  # spans linked to a knowledge-base entry by this run
    linked_later: int = 0  # of the skipped, those whose suggestions were linked only now,
    links_later: int = 0  # their spans linked to an entry,
    started_unlinked: int = 0  # and of them, those an annotator started (their spans stay)
    not_english: int = 0  # of the articles pre-annotated, those that do not look English,
    not_english_example: str = ""  # and the first's title


def preannotate_store(
    store: Store,
    preannotator: PreAnnotator,
    *,
    force: bool = False,
    n_process: int = 1,
    batch_size: int = 64,
    progress: Progress = no_progress,
) -> PreannotateReport:
    """Suggest spans, claim sources and attributes, and links for the articles that have no
    suggestions from ``preannotator.name`` yet.

    With ``force`` every article is redone, its earlier suggestions from the same model
    replaced. ``progress(done, total)`` is called as articles are processed; raising
    ``Cancelled`` from it stops the run after the batches already written.
    """
    name = preannotator.name
    every = store.article_ids()
    linker: SuggestionLinker | None = getattr(preannotator, "linker", None)
    unlinked: list[int] = []
    if force:
        todo = every
    else:
        done_before = store.articles_suggested_by(name)
        todo = [i for i in every if i not in done_before]
        if linker is not None:
            unlinked = _unlinked(store, name, linker)
    skipped = len(every) - len(todo)
    total = len(todo) + len(unlinked)
    progress(0, total)
    kb = project_kb_of(store)
    linked_later = (0, 0, 0)
    if linker is not None and unlinked:
        linked_later = _link_later(store, name, linker, unlinked, kb, progress, total)

    pending_ids: deque[int] = deque()

    other_languages: list[str] = []  # (the titles of those that do not look English)

    def articles() -> Iterator[Article]:
        for article in store.iter_articles(todo):
            assert article.id is not None
            pending_ids.append(article.id)
            if not looks_english(article.text):
                other_languages.append(title_line(article.title or article.text[:40]))
            yield article

    totals = [0, 0, 0, 0]  # articles, spans, relations, links
    batch: list[tuple[int, Suggestions]] = []
    results = preannotator.suggest_articles(
        articles(), batch_size=batch_size, n_process=n_process, kb=kb
    )
    before = len(unlinked)
    try:
        for found in results:
            batch.append((pending_ids.popleft(), found))
            if len(batch) >= WRITE_BATCH:
                _write(store, preannotator, batch, force, totals)
                batch = []
            progress(before + totals[0] + len(batch), total)
        if batch:
            _write(store, preannotator, batch, force, totals)
            progress(before + totals[0], total)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops nlp.pipe's worker processes on cancel
    done, spans, relations, links = totals
    later_articles, later_links, started = linked_later
    return PreannotateReport(
        done,
        spans,
        skipped,
        relations,
        links,
        later_articles,
        later_links,
        started,
        len(other_languages),
        other_languages[0] if other_languages else "",
    )


def _unlinked(store: Store, model: str, linker: SuggestionLinker) -> list[int]:
    """The articles whose suggestions of ``model`` the linker can link and never did
    (``--no-link``, or a place index that could not be built then): they were "already
    done", and only ``--force``, running the whole pipeline again, linked them."""
    labels = [FACTION] + ([LOCATION] if linker.places is not None else [])
    return articles_unlinked(store, model, labels)


def _link_later(
    store: Store,
    model: str,
    linker: SuggestionLinker,
    article_ids: Sequence[int],
    kb: ActorKB | None,
    progress: Progress,
    total: int,
) -> tuple[int, int, int]:
    """Link the suggestions of these articles (the text and the spans are all the linker
    needs: the pipeline does not run again), a transaction per ``WRITE_BATCH``; returns
    how many articles, how many spans linked to an entry, and how many of the articles an
    annotator has spans on: theirs stay as they are (a link cleared by hand and one never
    made look alike)."""
    done = linked = 0
    for start in range(0, len(article_ids), WRITE_BATCH):
        with store.transaction():
            for article in store.iter_articles(article_ids[start : start + WRITE_BATCH]):
                assert article.id is not None
                spans = store.suggestions(article.id, model)
                found = linker.link(article.text, spans, article.published, kb)
                store_suggested_links(store, article.id, model, found)
                linked += sum(1 for link in found if link.kb_id)
                done += 1
        progress(done, total)
    return done, linked, len(articles_with_spans(store, article_ids))


def project_kb_of(store: Store) -> ActorKB | None:
    """The project's actor knowledge base when it has actors of its own (else ``None``:
    the shipped one)."""
    records = project_actors(store)
    if not records:
        return None
    from annotator.kb.linking import project_kb

    return project_kb(records)


def _write(
    store: Store,
    preannotator: PreAnnotator,
    batch: list[tuple[int, Suggestions]],
    force: bool,
    totals: list[int],
) -> None:
    """One batch, all or nothing: old suggestions of this model out, new ones in."""
    with store.transaction():
        if force:
            store.clear_suggestions([article_id for article_id, _ in batch], preannotator.name)
        spans, relations, links = store_suggestions(store, preannotator.name, batch)
        record_preannotator(store, preannotator)
    totals[0] += len(batch)
    totals[1] += spans
    totals[2] += relations
    totals[3] += links


def store_suggestions(
    store: Store, model: str, batch: Sequence[tuple[int, Suggestions]]
) -> tuple[int, int, int]:
    """Write what ``model`` suggested for these articles (none of its suggestions stored
    yet): spans, then relations and values, then links, in one transaction. Returns how
    many spans, relations and linked spans."""
    with store.transaction():
        spans = store.add_suggestions(
            [(article_id, found.spans) for article_id, found in batch], model
        )
        relations, links = store_claims_and_links(store, model, batch)
    return spans, relations, links


def store_claims_and_links(
    store: Store, model: str, batch: Iterable[tuple[int, Suggestions]]
) -> tuple[int, int]:
    """Write the relations, values and links of suggestions whose spans are stored already
    (the importer writes those with its articles); returns how many relations and how many
    spans linked to an entry."""
    batch = list(batch)
    with store.transaction():
        relations = store.add_suggested_links(
            [(article_id, found.relations, found.attributes) for article_id, found in batch],
            model,
        )
        links = 0
        for article_id, found in batch:
            if found.links:
                store_suggested_links(store, article_id, model, found.links)
                links += sum(1 for link in found.links if link.kb_id)
    return relations, links
