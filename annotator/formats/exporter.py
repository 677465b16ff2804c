"""Write a project's annotations as a dataset, in any registered format, streaming.

Which annotations (``annotator export DB OUT``):

- ``--annotator NAME``: NAME's spans, on the articles NAME has a version of;
- ``--gold``: the adjudicated version (spans of the reserved annotator ``gold``);
- neither: for each article, its gold version where it has one; else the version of the one
  annotator who marked it done; else of the one annotator who opened it. If two annotators
  tie (two finished it, or two opened it and nobody finished), the export stops, names the
  articles and asks for ``--annotator`` or adjudication. So a project one person annotates,
  or a team that split the articles, exports as it is; overlapping work is adjudicated first.

Which articles: those whose chosen version is ``done`` (finished work), unless ``--status``
names another status (``todo``, ``in_progress``, ``skipped``, ``flagged``) or ``all`` (every
article, whatever its status). An article without a version (nobody, or not the annotator
named, has opened it) counts as ``todo`` and goes out without spans, as a task for another
tool. Suggestions are never exported. The report counts what was left out and why.

Where: OUT is the file (or, for brat, the folder) to write. With ``--split 0.8,0.1,0.1``,
OUT is a folder that receives ``train``, ``dev`` and ``test`` files with the format's suffix
(``train.spacy``...; brat: three folders). Each article's split is drawn from a hash of its
text, with case and spacing folded, so the split is the same in every export, an article
never changes split when the project grows, and texts that differ only in case or spacing
land together; the shares are met approximately, exactly in the limit.

Nothing is dropped silently: every span a format cannot hold is counted in the report,
the first ``LISTED`` are kept in it (for the window), and all are written to
``OMITTED_NAME`` beside the output (``OUT.omitted.tsv``, or ``OUT/omitted.tsv`` for a folder).
Files are written under temporary names and renamed when complete: an error or a cancel
leaves no partial dataset.
"""

from __future__ import annotations

import gc
import hashlib
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, STATUSES
from annotator.core.progress import Progress, no_progress
from annotator.formats import export_formats, get_format
from annotator.formats.base import (
    BatchEncoder,
    BatchWriter,
    EncodedBatch,
    Format,
    Writer,
)
from annotator.formats.export_report import (
    DEFAULT_STATUS,
    LISTED,
    OMITTED_NAME,
    ExportReport,
    OmissionLog,
    add_notes,
    subtract_omitted,
)
from annotator.formats.kb_links import (
    ClaimTypes,
    attribute_count,
    items_with_links,
    kb_ids_of,
    relations_of,
    with_links,
)
from annotator.formats.parallel import default_workers, run_in_order
from annotator.storage import Store
from annotator.storage.exports import (
    ArticleBatch,
    Version,
    iter_versions,
    load_articles,
    load_batch,
    versions_between,
)
from annotator.storage.token_cache import cache_tokens

SPLIT_NAMES = ("train", "dev", "test")
ALL_STATUSES = "all"
_RIVALS_SHOWN = 5
_BATCH = 1000  # articles read at a time


class ExportError(AnnotatorError):
    """An export that cannot be made as asked; nothing is written."""


def parse_split(text: str) -> tuple[float, ...]:
    """``"0.8,0.1,0.1"`` as shares of train, dev (and test); they must add up to 1."""
    try:
        shares = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ExportError(f"--split {text}: give two or three numbers, e.g. 0.8,0.1,0.1") from None
    if not 2 <= len(shares) <= 3 or any(share < 0 for share in shares):
        raise ExportError(f"--split {text}: give two or three shares >= 0, e.g. 0.8,0.1,0.1")
    if abs(sum(shares) - 1) > 1e-6:
        raise ExportError(f"--split {text}: the shares add up to {sum(shares):g}, not 1")
    return shares


def split_of(text: str, shares: Sequence[float]) -> str:
    """The split an article's text falls in: the same for the same text, in any project."""
    folded = " ".join(text.casefold().split())
    digest = hashlib.sha256(folded.encode("utf-8")).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    bound = 0.0
    for name, share in zip(SPLIT_NAMES, shares, strict=False):
        bound += share
        if point < bound:
            return name
    return SPLIT_NAMES[len(shares) - 1]  # rounding at the top


def export_project(
    store: Store,
    out: Path,
    format_name: str,
    *,
    annotator: str | None = None,
    gold: bool = False,
    status: str | None = None,
    split: tuple[float, ...] | None = None,
    progress: Progress = no_progress,
    workers: int | None = None,
    tokens: bool = True,
) -> ExportReport:
    """Write the project's annotations to ``out`` in a format; see the module docstring.

    ``tokens=False``: JSON Lines without each article's tokens (and spans' token indices).

    ``workers``: processes that encode batches, for the formats written a batch at a time
    (JSON Lines, DocBin); by default some for big exports (``parallel.default_workers``), 0
    for none. The files are the same either way.
    """
    fmt = _export_format(format_name)
    options: dict[str, object] = {} if tokens else {"tokens": False}
    if options and fmt.name != "jsonl":
        raise ExportError(f"--no-tokens is for the jsonl format; {fmt.name} needs its tokens")
    if fmt.scheme:
        options["scheme"] = ClaimTypes.of(store)
    who = GOLD if gold else annotator
    _check_annotator(store, who)
    wanted = _check_status(status or DEFAULT_STATUS)
    out = Path(out)
    targets = _targets(out, fmt, split)
    omitted_path = _omitted_path(out, fmt, split)
    report = ExportReport(fmt.name, dict(targets))
    partial = {name: _partial(path) for name, path in targets.items()}
    made_folder = split is not None and not out.exists()
    writers: dict[str, Writer] = {}
    # A folder export keeps its list inside the folder being written, so that it moves with
    # it: OUT itself does not exist (or must stay empty) until the folder is complete.
    inside = fmt.folder and split is None
    log = OmissionLog(report, partial[""] / OMITTED_NAME if inside else _partial(omitted_path))
    companions: list[tuple[Path, Path]] = []  # (written, final): files a writer adds beside
    rivals = _Rivals()
    for path in partial.values():
        _remove(path)  # left by an export that was killed: it would stop this one
    try:
        if made_folder:
            out.mkdir()
        labels = store.labels()
        writers = {name: fmt.write(path, labels, **options) for name, path in partial.items()}  # type: ignore[misc, call-arg]
        total = store.article_count()
        progress(0, total)
        if all(isinstance(writer, BatchWriter) for writer in writers.values()):
            template = _Job(
                0, 0, who, wanted, split, *_encoding(writers), store.path, fmt.name,
                negatives=fmt.name == "spacy",
            )  # fmt: skip
            if workers is None or store.path is None:  # workers open the project file
                workers = default_workers(total) if store.path is not None else 0
            scratch = next(iter(partial.values())).parent
            _write_batches(
                store, template, writers, report, log, rivals, progress, workers, scratch
            )  # type: ignore[arg-type]
        else:
            chosen = _chosen(store, who, wanted, report, rivals, progress, total)
            _write_items(store, writers, chosen, split, report, log, fmt.name)
        if rivals.count:
            raise ExportError(rivals.message())
        for name, writer in writers.items():
            writer.close()
            for written, suffix in getattr(writer, "companions", dict)().items():
                companions.append((written, targets[name].with_name(targets[name].name + suffix)))
        listed = log.close(log.path if inside else omitted_path)
    except BaseException:
        for writer in writers.values():
            writer.discard()
        log.discard()
        for path in [*partial.values(), *(written for written, _ in companions)]:
            _remove(path)
        if made_folder:
            _remove(out)
        raise
    for name, path in partial.items():
        _replace(path, targets[name])
    for written, final in companions:
        written.replace(final)
    if listed:
        report.omissions_path = omitted_path
    elif omitted_path.is_file():
        omitted_path.unlink()  # from an earlier export: it would describe another dataset
    subtract_omitted(report)
    if all(hasattr(writer, "spans_written") for writer in writers.values()):
        # a format that holds some spans only (GeoJSON: the located places)
        report.spans = sum((writer.spans_written for writer in writers.values()), Counter())  # type: ignore[attr-defined]
    for writer in writers.values():
        report.notes.extend(getattr(writer, "notes", []))
    add_notes(report, fmt, targets, wanted, store)
    return report


def _chosen(
    store: Store,
    who: str | None,
    wanted: str,
    report: ExportReport,
    rivals: _Rivals,
    progress: Progress,
    total: int,
) -> Iterator[list[Version]]:
    """The versions to write, a batch at a time; progress counts the articles looked at."""
    seen = 0
    for versions in iter_versions(store, who, batch=_BATCH):
        chosen = _select(versions, wanted, report.left_out, rivals)
        if chosen and not rivals.count:  # once the export is bound to fail, only count rivals
            yield chosen
        seen += len(versions)
        progress(seen, total)


def _write_items(
    store: Store,
    writers: dict[str, Writer],
    chosen: Iterable[list[Version]],
    split: tuple[float, ...] | None,
    report: ExportReport,
    log: OmissionLog,
    format_name: str,
) -> None:
    for versions in chosen:
        items = items_with_links(load_articles(store, versions, provenance=format_name), store)
        for item in items:
            name = split_of(item.article.text, split) if split else ""
            for omission in writers[name].add(item):
                log.add(omission)
            report.articles[name] += 1
            report.versions[item.annotator or "nobody"] += 1
            report.spans.update(span.label for span in item.spans)
            report.links += sum(1 for span in item.spans if span.kb_id)
            report.relations += len(item.relations)
            report.attributes += len(item.attributes)
    for writer in writers.values():
        report.counts.update(getattr(writer, "counts", {}))


def _encoding(writers: dict[str, Writer]) -> tuple[BatchEncoder, str | None]:
    writer = next(iter(writers.values()))
    assert isinstance(writer, BatchWriter)
    return writer.encoder, writer.tokenizer


@dataclass(frozen=True)
class _Job:
    """Articles ``first..last`` (ids) to export in one batch: what a worker is given."""

    first: int
    last: int
    who: str | None
    wanted: str
    split: tuple[float, ...] | None
    encoder: BatchEncoder
    tokenizer: str | None
    path: Path | None  # the project file, for a worker to open
    provenance: str | None = None  # the format whose imported fields the batch carries
    negatives: bool = False  # whether the batch carries known negatives (DocBin writes them)


@dataclass
class _JobResult:
    """What a job encoded and counted."""

    parts: list[tuple[str, EncodedBatch]] = field(default_factory=list)  # (split name, bytes)
    seen: int = 0
    articles: Counter[str] = field(default_factory=Counter)
    versions: Counter[str] = field(default_factory=Counter)
    spans: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)
    rivals: _Rivals = field(default_factory=lambda: _Rivals())
    links: int = 0  # spans with an entry
    relations: int = 0  # relations between the spans exported
    attributes: int = 0  # attribute values (effective) of the spans exported


def _write_batches(
    store: Store,
    template: _Job,
    writers: dict[str, BatchWriter],
    report: ExportReport,
    log: OmissionLog,
    rivals: _Rivals,
    progress: Progress,
    workers: int,
    scratch: Path,
) -> None:
    """Jobs of ``_BATCH`` articles (``template`` for a range of ids), run here or in worker
    processes, written in order."""
    ids = store.article_ids()
    jobs = [
        replace(template, first=ids[i], last=ids[min(i + _BATCH, len(ids)) - 1])
        for i in range(0, len(ids), _BATCH)
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
            report.relations += result.relations
            report.attributes += result.attributes
        report.left_out.update(result.left_out)
        if tokenizer and len(made) >= _BATCH:
            tokenizer = _keep_tokens(store, made, tokenizer)
        seen += result.seen
        progress(seen, len(ids))
    if tokenizer:
        _keep_tokens(store, made, tokenizer)


def _run(job: _Job, store: Store) -> _JobResult:
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


def _run_job(job: _Job, store: Store) -> _JobResult:
    result = _JobResult()
    versions = versions_between(store, job.first, job.last, job.who)
    result.seen = len(versions)
    chosen = _select(versions, job.wanted, result.left_out, result.rivals)
    if chosen and not result.rivals.count:
        batch = load_batch(store, chosen, job.tokenizer, job.provenance, job.negatives)
        batch = with_links(batch, store)
        result.links = sum(1 for kb_id in kb_ids_of(batch) if kb_id)
        result.relations = sum(map(len, relations_of(batch)))
        result.attributes = attribute_count(batch)
        for name, part in _parts(batch, job.split):
            result.parts.append((name, job.encoder(part)))
            result.articles[name] += len(part)
            result.versions.update(annotator or "nobody" for annotator in part.annotators)
            result.spans.update(part.span_labels)
    return result


_worker_stores: dict[Path, Store] = {}


def _run_in_worker(job: _Job) -> _JobResult:
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


def _select(
    versions: list[Version], wanted: str, left_out: Counter[str], rivals: _Rivals
) -> list[Version]:
    """The versions to write; the others are counted in the report, or collected as rivals."""
    chosen = []
    for version in versions:
        if version.rivals:
            if wanted == ALL_STATUSES or any(status == wanted for _, status in version.rivals):
                rivals.add(version)
            else:
                left_out[f"status {version.rivals[0][1]}"] += 1
        elif version.annotator is None and wanted not in (ALL_STATUSES, "todo"):
            left_out["not annotated"] += 1
        elif wanted not in (ALL_STATUSES, version.status):
            left_out[f"status {version.status}"] += 1
        else:
            chosen.append(version)
    return chosen


def _export_format(name: str) -> Format:
    fmt = get_format(name)
    if fmt.write is None:
        known = ", ".join(f.name for f in export_formats())
        raise ExportError(f"the {fmt.name} format can be imported, not exported; export as {known}")
    return fmt


def _check_annotator(store: Store, who: str | None) -> None:
    if who is None:
        return
    names = store.annotators(include_gold=True)
    if who in names:
        return
    where = store.path or "this project"
    if who == GOLD:
        raise ExportError(
            f"{where} has no gold version yet: adjudicate in the review window first, "
            "or export one annotator with --annotator NAME"
        )
    raise ExportError(
        f"no annotator {who!r} in {where}; annotators: {', '.join(names) or 'none yet'}"
    )


def _check_status(status: str) -> str:
    if status != ALL_STATUSES and status not in STATUSES:
        choices = ", ".join([*STATUSES, ALL_STATUSES])
        raise ExportError(f"unknown status {status!r}; choose one of {choices}")
    return status


def _targets(out: Path, fmt: Format, split: tuple[float, ...] | None) -> dict[str, Path]:
    """Where each part goes: ``{"": OUT}``, or ``{"train": OUT/train.jsonl, ...}``."""
    if not out.parent.is_dir():
        raise ExportError(f"{out}: folder {out.parent} does not exist")
    if split is None:
        if fmt.folder:
            _check_empty_folder(out)
        elif out.is_dir():
            raise ExportError(
                f"{out} is a folder; give a file name such as {out / ('dataset' + fmt.suffix)}, "
                "or use --split to write train/dev/test files into it"
            )
        return {"": out}
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: with --split, OUT is a folder for train/dev/test files")
    names = SPLIT_NAMES[: len(split)]
    if fmt.folder:
        for name in names:
            _check_empty_folder(out / name)
        return {name: out / name for name in names}
    return {name: out / f"{name}{fmt.suffix}" for name in names}


def _check_empty_folder(path: Path) -> None:
    if path.is_file() or (path.is_dir() and any(path.iterdir())):
        raise ExportError(f"{path} already exists and is not an empty folder; choose a new one")


def _omitted_path(out: Path, fmt: Format, split: tuple[float, ...] | None) -> Path:
    if split is not None or fmt.folder:
        return out / OMITTED_NAME
    return out.with_name(f"{out.name}.{OMITTED_NAME}")


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def _replace(partial: Path, target: Path) -> None:
    if partial.is_dir() and target.is_dir():
        target.rmdir()  # checked empty before the export started
    partial.replace(target)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@dataclass
class _Rivals:
    """Articles with tied versions: how many, and a few to name."""

    count: int = 0
    examples: list[Version] = field(default_factory=list)

    def add(self, version: Version) -> None:
        self.count += 1
        if len(self.examples) < _RIVALS_SHOWN:
            self.examples.append(version)

    def merge(self, other: _Rivals) -> None:
        self.count += other.count
        self.examples += other.examples[: _RIVALS_SHOWN - len(self.examples)]

    def message(self) -> str:
        examples = "; ".join(
            f"article {v.article_id}: {', '.join(name for name, _ in v.rivals)}"
            for v in self.examples
        )
        more = (
            f"; and {self.count - len(self.examples)} more"
            if self.count > len(self.examples)
            else ""
        )
        return (
            f"{self.count} articles have versions by several annotators and no gold version "
            f"({examples}{more}); export one annotator with --annotator NAME, or adjudicate "
            "them and export --gold"
        )


__all__ = [
    "LISTED",
    "OMITTED_NAME",
    "ExportError",
    "ExportReport",
    "export_project",
    "parse_split",
    "split_of",
]
