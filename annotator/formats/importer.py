"""Bring files into a project: read and check, then write a batch at a time.

Every file is read and checked before anything is written, so a bad file anywhere leaves the
project exactly as it was (``--skip-invalid``: the bad records are left out and listed, and
the rest is imported). Files are streamed twice, once to check and once to write, so memory
stays flat however large they are. The writing goes a batch of articles per transaction
(``storage.imports``), so that other windows on the project wait for a batch at a time;
the model pre-annotates each batch's new articles before its transaction opens.

Annotations in a file become the spans of an annotator, status ``done``, beside the
suggestions: the ``annotator`` given, else the name the file gives (Prodigy's
``_annotator_id``, Label Studio's ``completed_by``), else ``imported``; an annotation the
file marks as the reference (Label Studio's ``ground_truth``) is the gold version too. They
replace that annotator's spans on articles already in the project, and the summary counts
the annotations replaced and, of those, the ones that differed: edits made since an earlier
import of the same file are gone, and the user should know. Identical spans given twice are
stored once; what a file holds that the program does not (relations, events, categories...) is
counted in the report by kind; spans an annotator rejected are kept as known negatives. What
a span refers to (JSONL's ``kb_id``, brat's normalizations, Label Studio's per-region
``kb_id`` text) is kept as the span's link, written in the batch's transaction. Relations
between spans and attribute values (Prodigy's ``relations`` and span ``attributes``, brat's
``R`` and ``A`` lines, doccano's ``relations``, Label Studio's ``relation`` results and
per-region choices) are kept where the project's scheme has them (``claim_import``), with
the spans, in the same transaction; the report counts the others by kind.

Token boundaries are not computed here: exports compute those they lack and keep them in the
project's token cache, so an import runs at the speed of the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from annotator.core.model import ENTITY_KIND
from annotator.core.progress import Progress, no_progress
from annotator.core.text import title_line
from annotator.formats import actor_files
from annotator.formats.actor_files import read_actors
from annotator.formats.base import Annotation, Invalid
from annotator.formats.claim_import import SchemeFilter
from annotator.formats.import_check import (
    DEFAULT_ANNOTATOR,
    Checked,
    ImportPlan,
    Reading,
    check_files,
    claim_key,
    import_annotator,
    note_overlapping_entities,
)
from annotator.formats.import_files import expand_paths, read_files
from annotator.formats.import_kept import keep_what_the_file_cannot_hold
from annotator.formats.import_replaced import Replaced, unchanged
from annotator.formats.import_report import LISTED, ImportReport
from annotator.formats.import_suggestions import suggest_new_articles
from annotator.nlp.base import PreAnnotator, Suggestions
from annotator.nlp.language import looks_english
from annotator.nlp.preannotate import record_preannotator, store_claims_and_links
from annotator.storage import Store
from annotator.storage.imports import (
    AnnotationRows,
    ImportBatch,
    article_ids,
    write_import_batch,
)
from annotator.storage.links import add_missing_project_actors, write_imported_links

BATCH_ARTICLES = 2000  # articles written per transaction
BATCH_CHARACTERS = 8_000_000  # ... or fewer, when they are long


# -- writing ------------------------------------------------------------------------------


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    format_name: str = "auto",
    annotator: str | None = None,
    preannotator: PreAnnotator | None = None,
    progress: Progress = no_progress,
    skip_invalid: bool = False,
    plan: ImportPlan | None = None,
) -> ImportReport:
    """Import files and folders into ``store``; see the module docstring for the guarantees.

    ``plan``: what ``check_import`` made of the same paths and options, when the caller
    checked them before opening the project (the command line does: a refused file must not
    even open, and so upgrade, the project).
    """
    if annotator is not None:
        annotator = import_annotator(annotator)
    if plan is None:
        plan = check_import(paths, format_name, annotator, skip_invalid)
    report = plan.report
    report.files = len(plan.files)
    report.model = preannotator.name if preannotator else ""
    report.linking = getattr(preannotator, "linker", None) is not None
    reading = Reading(plan, annotator)
    scheme = SchemeFilter(store.relation_types(), store.attribute_types())
    known_labels = {label.name for label in store.labels()}
    claim_labels = {label.name for label in store.labels() if label.kind != ENTITY_KIND}
    unknown: set[str] = set()
    unknown_suggested: set[str] = set()  # of a file's predictions (Label Studio's)
    annotators: set[str] = set()
    replaced = Replaced(report)
    written = 0
    progress(0, plan.documents)
    for index, (path, _) in enumerate(plan.files):
        if (index, -1) in plan.skipped:
            continue
        added = duplicates = 0
        for batch in _batches(reading, index, path):

            def suggested(count: int, before: int = written) -> None:
                progress(before + count, plan.documents)  # a batch is 2,000 articles

            result = _write(
                store, batch, plan, index, preannotator, report, annotators, scheme, replaced,
                suggested,
            )  # fmt: skip
            unknown.update(
                span.label
                for _, checked in batch
                for _, annotation in checked.annotations
                for span in annotation.spans
                if span.label not in known_labels
            )
            # (a prediction's PERSON went unsaid, though `annotator labels` then listed it)
            unknown_suggested.update(
                span.label
                for _, checked in batch
                for _, spans in checked.document.suggestions
                for span in spans
                if span.label not in known_labels
            )
            checked_ones = [checked for _, checked in batch]
            note_overlapping_entities(report, checked_ones, path, claim_labels)
            added += len(result.added)
            duplicates += result.duplicates
            report.filled += result.filled
            written += len(batch)
            progress(written, plan.documents)
        report.added += added
        report.duplicates += duplicates
        report.per_file.append((str(path), added, duplicates))
    if plan.actors:
        added = add_missing_project_actors(store, plan.actors, annotator or DEFAULT_ANNOTATOR)
        report.actors_added, report.actors_differing = added
    report.annotators = sorted(annotators)
    report.unknown_labels = sorted(unknown)
    report.unknown_suggested_labels = sorted(unknown_suggested - unknown)
    report.renamed_labels = store.renamed_labels(unknown | unknown_suggested)
    return report


def check_import(
    paths: Iterable[Path | str],
    format_name: str = "auto",
    annotator: str | None = None,
    skip_invalid: bool = False,
) -> ImportPlan:
    """Expand the paths and check every file (``check_files``), writing nothing; and the
    annotator's name given (``import_check.import_annotator``)."""
    if annotator is not None:
        annotator = import_annotator(annotator)
    left_out: Counter[str] = Counter()
    paths = [Path(path) for path in paths]
    files = expand_paths(paths, format_name, left_out)
    plan = check_files(files, format_name, annotator, skip_invalid)
    plan.report.other_files = left_out
    plan.actors = [actor for path in actor_files.beside(paths) for actor in read_actors(path)]
    return plan


def _other_languages(rows: ImportBatch, suggested: dict[str, Suggestions]) -> dict[str, str]:
    """The suggested articles that do not look English (``nlp.language``), each with how to
    name it. Before the batch's transaction: the first look loads spaCy's stop words of eleven
    languages (5 s), and the project stayed locked meanwhile."""
    return {
        digest: title_line(article.title or article.text[:40])
        for digest, article in rows.articles
        if digest in suggested and not looks_english(article.text)
    }


def _count_other_languages(
    report: ImportReport, other: dict[str, str], suggested: dict[str, Suggestions]
) -> None:
    for digest, name in other.items():
        if digest in suggested:
            report.not_english += 1
            report.not_english_example = report.not_english_example or name


def _batches(reading: Reading, index: int, path: Path) -> Iterator[list[tuple[int, Checked]]]:
    batch: list[tuple[int, Checked]] = []
    characters = 0
    for item_index, item in reading.items(index):
        if isinstance(item, Invalid) or (index, item_index) in reading.plan.skipped:
            continue
        checked = reading.check(item, path)
        batch.append((item_index, checked))
        characters += len(item.article.text)
        if len(batch) >= BATCH_ARTICLES or characters >= BATCH_CHARACTERS:
            yield batch
            batch, characters = [], 0
    if batch:
        yield batch


def _write(
    store: Store,
    batch: list[tuple[int, Checked]],
    plan: ImportPlan,
    index: int,
    preannotator: PreAnnotator | None,
    report: ImportReport,
    annotators: set[str],
    scheme: SchemeFilter,
    replaced: Replaced,
    suggested_for: Callable[[int], None] = lambda count: None,
):
    rows = ImportBatch()
    firsts: list[AnnotationRows] = []  # each (text, annotator)'s first, replacing its work
    holds: list[frozenset[str]] = []  # what the record of each of rows.annotations can say
    format_name = plan.files[index][1].name
    for item_index, checked in batch:
        document = checked.document
        # A further decision on a text (Prodigy's binary answers, one span a task) is more
        # of one article, not a duplicate of it: "1 article imported, 3 duplicates skipped".
        further = checked.annotations and all(
            annotation.merge
            and plan.claimed.first(claim_key(checked.digest, who)) != (index, item_index)
            for who, annotation in checked.annotations
        )
        if not further:
            rows.articles.append((checked.digest, document.article))
        record = len(rows.articles) - 1
        for who, annotation in checked.annotations:
            first = plan.claimed.first(claim_key(checked.digest, who)) == (index, item_index)
            if not first and not annotation.merge:
                continue  # the same annotation again (the check saw it is the same): once
            status = _status(annotation)
            relations = scheme.relations(annotation.relations, format_name, report.not_held)
            relations = list(dict.fromkeys(relations))  # given twice, stored (and counted) once
            values, kept = scheme.attributes(annotation.attributes, format_name, report.not_held)
            report.relations.update(r.label for r in relations)
            report.attributes += kept
            report.attribute_defaults += kept - len(values)
            rows.annotations.append(
                AnnotationRows(
                    checked.digest,
                    who,
                    annotation.spans,
                    annotation.negatives,
                    status,
                    # Decisions (ner.teach) add to the annotator's work, never replace
                    # it: one reject, or one accept, replaced a finished annotation of 46
                    # spans; a later import of the same decisions adds nothing new.
                    replace=not annotation.merge,
                    relations=relations,
                    attributes=values,
                    comment=annotation.comment,
                )
            )
            holds.append(plan.holds(index, item_index))
            if not further:
                rows.with_work.add(record)
            if first and rows.annotations[-1].replace:  # (decisions added replace nothing)
                firsts.append(rows.annotations[-1])
            if status is not None:
                annotators.add(who)
                report.annotated += 1
                if annotation.status_unknown:
                    report.opened_only.append(f"{who}'s {document.article.source}")
                elif annotation.status is not None:
                    report.unfinished[status] += 1
                else:
                    report.partial += status != "done"
                report.empty += status == "done" and not annotation.spans
                report.gold += annotation.gold
        report.duplicate_spans += checked.duplicates
        for model, spans in document.suggestions:
            rows.suggestions.append((checked.digest, model, spans))
            report.predictions[model] += len(spans)
        if document.provenance is not None:
            rows.provenance.append((checked.digest, *document.provenance))
    suggested: dict[str, Suggestions] = {}
    if preannotator is not None:
        suggested = suggest_new_articles(store, rows, preannotator, suggested_for)
    other_languages = _other_languages(rows, suggested)
    with store.transaction():  # the spans and their links: all or nothing
        # The articles whose work the batch replaces (read once: three steps need them).
        ids = article_ids(store, {a.text_hash for a in rows.annotations if a.replace})
        held = replaced.before(store, firsts, ids)
        gone: Counter[str] = Counter()
        completed = keep_what_the_file_cannot_hold(store, rows.annotations, holds, ids, gone)
        report.verdicts_removed += gone["verdicts"]
        # What would write the same work again is not written (nor counted as kept).
        same = unchanged([annotation for annotation, _ in completed], held, ids)
        # (the file's spans all the same: "3 spans in 1 annotation", not "0 spans")
        report.spans += sum(len(completed[i][0].spans) for i in same)
        completed = [pair for i, pair in enumerate(completed) if i not in same]
        rows.annotations = [annotation for annotation, _ in completed]
        restored = _kept(completed, "links")  # not the file's links
        for _, kept in completed:
            report.kept_from_project.update(kept)
        linked = [
            (annotation.text_hash, annotation.annotator, span)
            for annotation in rows.annotations
            for span in annotation.spans
            if span.kb_id or span.link_status
        ]
        if suggested:
            # Another import may have added some of these texts while they were suggested
            # for: its suggestions stand, and this one writes and counts only its own.
            taken = article_ids(store, suggested)
            suggested = {digest: s for digest, s in suggested.items() if digest not in taken}
            name = preannotator.name  # type: ignore[union-attr]
            _count_other_languages(report, other_languages, suggested)
            rows.suggestions += [(digest, name, s.spans) for digest, s in suggested.items()]
            report.suggestions += sum(len(found.spans) for found in suggested.values())
        result = write_import_batch(store, rows)
        if suggested:  # the claims' sources and values, and the links, of those spans
            ids = article_ids(store, suggested)
            sources, links = store_claims_and_links(
                store,
                preannotator.name,  # type: ignore[union-attr]
                [(ids[digest], found) for digest, found in suggested.items()],
            )
            report.suggested_sources += sources
            report.suggested_links += links
            record_preannotator(store, preannotator)  # type: ignore[arg-type]
        if linked:
            ids = article_ids(store, {digest for digest, _, _ in linked})
            report.links += (
                write_imported_links(
                    store,
                    (
                        (
                            ids[digest],
                            who,
                            span.start,
                            span.end,
                            span.label,
                            span.kb_id,
                            span.link_status,
                        )
                        for digest, who, span in linked
                    ),
                )
                - restored
            )
            verdicts = sum(1 for _, _, span in linked if span.link_status and not span.kb_id)
            report.verdicts += verdicts - _kept(completed, "verdicts")  # (the file's own)
        replaced.after(store, held)
    report.spans += result.spans
    # (not the project's own rejections, kept where the file has no place for them: the
    # report said the file brought them)
    report.negatives += result.negatives - _kept(completed, "rejected spans")
    report.unaccepted += result.unaccepted
    return result


def _kept(completed: list[tuple[AnnotationRows, Counter[str]]], kind: str) -> int:
    """How many ``kind`` (links, rejected spans) came from the project, not the file."""
    return sum(kept[kind] for _, kept in completed)


def _status(annotation: Annotation) -> str | None:
    """``done`` for a whole annotation; ``in_progress`` for decisions that accepted spans;
    None for rejections alone, which annotate nothing; the file's own, where it gives one."""
    if annotation.status is not None:
        return annotation.status
    if annotation.complete:
        return "done"
    return "in_progress" if annotation.spans else None


__all__ = [
    "DEFAULT_ANNOTATOR",
    "LISTED",
    "ImportPlan",
    "ImportReport",
    "check_files",
    "check_import",
    "expand_paths",
    "import_paths",
    "read_files",
]
