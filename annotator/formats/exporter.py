"""Write a project's annotations as a dataset, in any registered format, streaming.

Which annotations (``annotator export DB OUT``):

- ``--annotator NAME``: NAME's spans, on the articles NAME has a version of;
- ``--gold``: the adjudicated version (spans of the reserved annotator ``gold``);
- neither: for each article, its gold version where it has one; else the version of the one
  annotator who marked it done; else of the one annotator who started on it. If two
  annotators tie (two finished it, or two started and nobody finished), the export stops,
  names the articles and asks for ``--annotator`` or adjudication. So a project one person
  annotates, or a team that split the articles, exports as it is; overlapping work is
  adjudicated first.

Which articles: those whose chosen version is ``done`` (finished work), unless ``--status``
names another status (``todo``, ``in_progress``, ``skipped``, ``flagged``) or ``all`` (every
article, whatever its status). An article without a version (nobody, or not the annotator
named, has started on it: spans, or a status other than ``todo``; opening it to look is not
starting) counts as ``todo`` and goes out without spans, as a task for another tool, counted
as ``nobody``'s in the report; a format that cannot say "not annotated" (CoNLL, whose O means
"not an entity") leaves it out (``NOT_ANNOTATED_UNSAID``). Suggestions are never exported.
The report counts what was left out and why.

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

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path

from annotator.core.model import GOLD, NOBODY
from annotator.core.progress import Progress, no_progress
from annotator.core.splits import split_of
from annotator.formats.actor_files import (
    ACTORS_NAME,
    PROJECT_PREFIX,
    actors_path,
    write_actors,
)
from annotator.formats.article_fields import beyond_the_text
from annotator.formats.base import BatchEncoder, BatchWriter, Writer
from annotator.formats.export_choice import (
    ExportError,
    Rivals,
    check_annotator,
    check_status,
    export_format,
    parse_split,
    preview_export,
    select_versions,
)
from annotator.formats.export_files import (
    export_targets,
    omitted_list_path,
    partial_path,
    refuse_the_project,
    remove_path,
    replace_partial,
    users_path,
    written_through,
)
from annotator.formats.export_jobs import BATCH, Job, write_batches
from annotator.formats.export_notes import NEGATIVES_HELD, add_notes
from annotator.formats.export_report import (
    DEFAULT_STATUS,
    LISTED,
    OMITTED_NAME,
    ExportReport,
    OmissionLog,
    subtract_omitted,
)
from annotator.formats.kb_links import ClaimTypes, items_with_links, verdict_counts
from annotator.formats.labelstudio_task_ids import TaskIds
from annotator.formats.parallel import default_workers
from annotator.storage import Store
from annotator.storage.exports import Version, iter_versions, load_articles


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
    skip_unsettled: bool = False,
) -> ExportReport:
    """Write the project's annotations to ``out`` in a format; see the module docstring.

    ``tokens=False``: JSON Lines without each article's tokens (and spans' token indices).
    ``skip_unsettled``: articles with several annotators' versions and no gold are left out
    (counted), not a reason to refuse the export.

    ``workers``: processes that encode batches, for the formats written a batch at a time
    (JSON Lines, DocBin); by default some for big exports (``parallel.default_workers``), 0
    for none. The files are the same either way.
    """
    fmt = export_format(format_name)
    options: dict[str, object] = {} if tokens else {"tokens": False}
    if options and fmt.name != "jsonl":
        raise ExportError(
            f"--no-tokens is for the jsonl format only (its tokens); {fmt.name} has no such choice"
        )
    if fmt.scheme:
        options["scheme"] = ClaimTypes.of(store)
    if fmt.name == "labelstudio":  # one id a task ("id": 1 was an imported task's and article 1's)
        options["task_ids"] = TaskIds.of(store)
    who = GOLD if gold else annotator
    check_annotator(store, who)
    wanted = check_status(status or DEFAULT_STATUS)
    # A folder named in full, as a file's target is ("no article to export to out/newdir"
    # beside "/…/out/tie.jsonl").
    out = (
        Path(os.path.abspath(out))
        if split is not None or fmt.folder
        else written_through(Path(out))
    )
    targets = export_targets(
        out,
        fmt,
        split,
        lambda: (
            preview_export(store, who, wanted, skip_unsettled, format_name=fmt.name).articles > 0
        ),
    )
    omitted_path = omitted_list_path(out, fmt, split)
    actors_file = actors_path(out, fmt, split)
    refuse_the_project([out, *targets.values(), omitted_path, actors_file], store.path)
    report = ExportReport(fmt.name, dict(targets), who=who)
    partial = {name: partial_path(path) for name, path in targets.items()}
    made_folder = split is not None and not out.exists()
    writers: dict[str, Writer] = {}
    # A folder export keeps its list inside the folder being written, so that it moves with
    # it: OUT itself does not exist (or must stay empty) until the folder is complete.
    inside = fmt.folder and split is None
    log = OmissionLog(report, partial[""] / OMITTED_NAME if inside else partial_path(omitted_path))
    companions: list[tuple[Path, Path]] = []  # (written, final): files a writer adds beside
    rivals = Rivals()
    try:
        for path in partial.values():
            remove_path(path)  # left by an export that was killed: it would stop this one
        if made_folder:
            out.mkdir()
        labels = store.labels()
        writers = {name: fmt.write(path, labels, **options) for name, path in partial.items()}  # type: ignore[misc, call-arg]
        total = store.article_count()
        progress(0, total)
        if all(isinstance(writer, BatchWriter) for writer in writers.values()):
            template = Job(
                0, 0, who, wanted, split, *_encoding(writers), store.path, fmt.name,
                negatives=fmt.name in NEGATIVES_HELD, skip_unsettled=skip_unsettled,
            )  # fmt: skip
            if workers is None or store.path is None:  # workers open the project file
                workers = default_workers(total) if store.path is not None else 0
            scratch = next(iter(partial.values())).parent
            write_batches(store, template, writers, report, log, rivals, progress, workers, scratch)  # type: ignore[arg-type]
        else:
            chosen = _chosen(
                store, who, wanted, report, rivals, progress, total, skip_unsettled, fmt.name
            )
            _write_items(store, writers, chosen, split, report, log, fmt.name)
        if rivals.count:
            raise ExportError(rivals.message())
        for name, writer in writers.items():
            writer.close()
            for written, suffix in getattr(writer, "companions", dict)().items():
                companions.append((written, targets[name].with_name(targets[name].name + suffix)))
        listed = log.close(log.path if inside else omitted_path)
        if "links" in fmt.holds and fmt.name != "geojson":  # GeoJSON: located places only
            actors = partial[""] / ACTORS_NAME if inside else partial_path(actors_file)
            report.actors = write_actors(store, actors) if report.project_links else 0
            if report.actors and not inside:
                companions.append((actors, actors_file))
    except BaseException as failed:
        for discard in (*(writer.discard for writer in writers.values()), log.discard):
            with suppress(OSError):  # a full disk fails the flush of what is thrown away
                discard()
        with suppress(OSError):  # a read-only folder refuses even the removal of nothing
            _remove_written(partial, companions, out if made_folder else None)
        if isinstance(failed, OSError):  # a full disk, a folder not writable: said of OUT
            # (not of the temporary name, which the user never gave: ".x.jsonl.partial")
            meant = users_path(failed, partial, targets, out)
            if meant is not None:
                problem = failed.strerror or failed
                raise ExportError(f"{meant}: {problem}; nothing was written") from None
        raise
    if not report.written:  # no article: an earlier dataset there stays
        _remove_written(partial, companions, out if made_folder else None)
    else:
        for name, path in partial.items():
            replace_partial(path, targets[name])
        for written, final in companions:
            written.replace(final)
    if listed:
        report.omissions_path = omitted_path
    elif report.written and omitted_path.is_file():
        omitted_path.unlink()  # from an earlier export: it would describe another dataset
    if report.written and not report.actors and actors_file.is_file():
        actors_file.unlink()  # likewise
    if report.actors:
        report.actors_path = actors_file
        report.notes.append(
            f"{report.actors} of the project's own actors, which its links name (project: "
            f"ids), written to {actors_file}"
        )
    subtract_omitted(report)
    if all(hasattr(writer, "spans_written") for writer in writers.values()):
        # a format that holds some spans only (GeoJSON: the located places)
        report.spans = sum((writer.spans_written for writer in writers.values()), Counter())  # type: ignore[attr-defined]
    for name, writer in writers.items() if report.written else ():  # each part's own notes
        report.notes.extend(
            f"{name}: {note}" if name else note for note in getattr(writer, "notes", [])
        )
    add_notes(report, fmt, targets, wanted, store, split)
    return report


def _remove_written(
    partial: dict[str, Path], companions: list[tuple[Path, Path]], folder: Path | None
) -> None:
    """Remove what an export wrote before its files were put in place: the partial files,
    the files its writers added beside them, and the folder it made (``folder``)."""
    for path in [*partial.values(), *(written for written, _ in companions)]:
        remove_path(path)
    if folder is not None:
        remove_path(folder)


def _chosen(
    store: Store,
    who: str | None,
    wanted: str,
    report: ExportReport,
    rivals: Rivals,
    progress: Progress,
    total: int,
    skip_unsettled: bool = False,
    format_name: str = "",
) -> Iterator[list[Version]]:
    """The versions to write, a batch at a time; progress counts the articles looked at."""
    seen = 0
    for versions in iter_versions(store, who, batch=BATCH):
        chosen = select_versions(
            versions, wanted, report.left_out, rivals, who, skip_unsettled, format_name
        )
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
            report.counts["fields"] += beyond_the_text(item.article)
            report.versions[item.annotator or NOBODY] += 1
            if item.annotator and item.status != "done":
                report.unfinished[item.status] += 1
                report.comments += bool(item.comment)
            report.spans.update(span.label for span in item.spans)
            report.links += sum(1 for span in item.spans if span.kb_id)
            report.project_links += sum(
                1 for span in item.spans if span.kb_id.startswith(PROJECT_PREFIX)
            )
            report.verdicts.update(verdict_counts(item.spans))
            report.relations += len(item.relations)
            report.attributes += len(item.attributes)
    for writer in writers.values():
        report.counts.update(getattr(writer, "counts", {}))


def _encoding(writers: dict[str, Writer]) -> tuple[BatchEncoder, str | None]:
    writer = next(iter(writers.values()))
    assert isinstance(writer, BatchWriter)
    return writer.encoder, writer.tokenizer


__all__ = [
    "LISTED",
    "OMITTED_NAME",
    "ExportError",
    "ExportReport",
    "export_project",
    "parse_split",
    "split_of",
]
