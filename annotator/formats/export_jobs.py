"""Exports a batch at a time: jobs of ``BATCH`` articles, encoded here or in worker
processes (each on its own connection to the project), written in order."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from annotator.core.model import NOBODY
from annotator.core.progress import Progress
from annotator.core.splits import SPLIT_NAMES, split_of
from annotator.formats.actor_files import PROJECT_PREFIX as PROJECT
from annotator.formats.base import BatchEncoder, BatchWriter, EncodedBatch
from annotator.formats.export_choice import Rivals, select_versions
from annotator.formats.export_report import ExportReport, OmissionLog
from annotator.formats.kb_links import (
    attribute_count,
    kb_ids_of,
    relations_of,
    verdicts_of,
    with_links,
)
from annotator.formats.parallel import run_in_order
from annotator.storage import Store
from annotator.storage.export_items import ArticleBatch
from annotator.storage.exports import load_batch, versions_between
from annotator.storage.token_cache import cache_tokens

BATCH = 1000  # articles read at a time


@dataclass(frozen=True)
class Job:
    """Articles ``first..last`` (ids) to export in one batch: what a worker is given."""

    first: int
    last: int
    who: str | None
    wanted: str
    split: tuple[float, ...] | None
    encoder: BatchEncoder
    tokenizer: str | None
    path: Path | None  # the project file, for a worker to open
    #: The format written: the imported fields of its own the batch carries (provenance),
    #: and whether it can say an article is not annotated (``select_versions``).
    format_name: str = ""
    negatives: bool = False  # whether the batch carries known negatives (DocBin writes them)
    skip_unsettled: bool = False  # articles with tied versions left out, not refused


@dataclass
class JobResult:
    """What a job encoded and counted."""

    parts: list[tuple[str, EncodedBatch]] = field(default_factory=list)  # (split name, bytes)
    seen: int = 0
    articles: Counter[str] = field(default_factory=Counter)
    versions: Counter[str] = field(default_factory=Counter)
    spans: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)
    rivals: Rivals = field(default_factory=lambda: Rivals())
    links: int = 0  # spans with an entry
    project_links: int = 0  # of them, to one of the project's own actors
    verdicts: Counter[str] = field(default_factory=Counter)  # the linker's, on spans without
    unfinished: Counter[str] = field(default_factory=Counter)  # versions not done, by status
    comments: int = 0  # flag comments of the versions written
    relations: int = 0  # relations between the spans exported
    attributes: int = 0  # attribute values (effective) of the spans exported


def write_batches(
    store: Store,
    template: Job,
    writers: dict[str, BatchWriter],
    report: ExportReport,
    log: OmissionLog,
    rivals: Rivals,
    progress: Progress,
    workers: int,
    scratch: Path,
) -> None:
    """Jobs of ``BATCH`` articles (``template`` for a range of ids), run here or in worker
    processes, written in order."""
    ids = store.article_ids()
    jobs = [
        replace(template, first=ids[i], last=ids[min(i + BATCH, len(ids)) - 1])
        for i in range(0, len(ids), BATCH)
    ]
    run = _run_in_worker if workers else partial(_run, store=store)
    appended = {name: writer.appends_to for name, writer in writers.items()}
    outputs = {name: path for name, path in appended.items() if path is not None}
    tokenizer = template.tokenizer
    made: dict[int, bytes] = {}  # token cache entries to keep
    seen = 0
    for result in run_in_order(run, jobs, workers, scratch, outputs):
        rivals.merge(result.rivals)
        if not rivals.count:  # once the export is bound to fail, only count the rivals
            for name, encoded in result.parts:
                if encoded.written is None:  # not by a worker already
                    writers[name].write(encoded)
                for omission in encoded.omissions:
                    log.add(omission)
                made.update(encoded.tokens)
                report.counts.update(encoded.counts)
            report.articles.update(result.articles)
            report.versions.update(result.versions)
            report.spans.update(result.spans)
            report.links += result.links
            report.project_links += result.project_links
            report.verdicts.update(result.verdicts)
            report.unfinished.update(result.unfinished)
            report.comments += result.comments
            report.relations += result.relations
            report.attributes += result.attributes
        report.left_out.update(result.left_out)
        if tokenizer and len(made) >= BATCH:
            tokenizer = _keep_tokens(store, made, tokenizer)
        seen += result.seen
        progress(seen, len(ids))
    if tokenizer:
        _keep_tokens(store, made, tokenizer)


def _run(job: Job, store: Store) -> JobResult:
    with _collector_paused():
        return _run_job(job, store)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A job makes some hundred thousand small objects, none in a reference cycle; the
    cyclic garbage collector would walk them again and again (a third of the reading time)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _run_job(job: Job, store: Store) -> JobResult:
    result = JobResult()
    versions = versions_between(store, job.first, job.last, job.who)
    result.seen = len(versions)
    chosen = select_versions(
        versions,
        job.wanted,
        result.left_out,
        result.rivals,
        job.who,
        job.skip_unsettled,
        job.format_name,
    )
    if chosen and not result.rivals.count:
        batch = load_batch(
            store, chosen, job.tokenizer, job.format_name, job.negatives, asked=job.who
        )
        batch = with_links(batch, store)
        result.links = sum(1 for kb_id in kb_ids_of(batch) if kb_id)
        result.project_links = sum(1 for kb_id in kb_ids_of(batch) if kb_id.startswith(PROJECT))
        result.verdicts.update(verdict for verdict in verdicts_of(batch) if verdict)
        result.relations = sum(map(len, relations_of(batch)))
        result.attributes = attribute_count(batch)
        for name, part in _parts(batch, job.split):
            result.parts.append((name, job.encoder(part)))
            result.articles[name] += len(part)
            result.versions.update(annotator or NOBODY for annotator in part.annotators)
            result.unfinished.update(
                status
                for who, status in zip(part.annotators, part.statuses, strict=True)
                if who and status != "done"
            )
            result.comments += sum(1 for comment in part.comments if comment)
            result.spans.update(part.span_labels)
    return result


_worker_stores: dict[Path, Store] = {}


def _run_in_worker(job: Job) -> JobResult:
    """In a worker process: the job, on the worker's own connection to the project."""
    assert job.path is not None
    if job.path not in _worker_stores:
        _worker_stores[job.path] = Store(job.path)
    return _run(job, _worker_stores[job.path])


def _parts(
    batch: ArticleBatch, split: tuple[float, ...] | None
) -> Iterator[tuple[str, ArticleBatch]]:
    if split is None:
        yield "", batch
        return
    names = [split_of(text, split) for text in batch.texts]
    for name in SPLIT_NAMES:
        indices = [i for i, part in enumerate(names) if part == name]
        if indices:
            yield name, batch.select(indices)


def _keep_tokens(store: Store, made: dict[int, bytes], tokenizer: str) -> str | None:
    """Keep tokens made on the way in the project's cache; None once it cannot be written."""
    kept = cache_tokens(store, made.items(), tokenizer)
    made.clear()
    return tokenizer if kept else None
