"""``annotator merge OUT_DB IN_DB...``: combine projects annotators worked on separately.

- Articles match by text hash; articles missing from OUT_DB are copied, with their
  suggestions. A model's suggestions for an article (and the record that the model ran on
  it, suggestions or not) come from the first project that has them, never doubled.
- Each annotator's work on an article — their spans with what they refer to (``kb_id``),
  the spans they rejected, the relations and attribute values on them (a claim's source,
  polarity, ...), and their status — comes along, with its events, and so does the
  reviewer's (the annotator ``gold``). Suggestions keep the linker's answers; what an
  article's tool keeps (``provenance``) and the project's own actors come from the first
  project that has them (an actor defined otherwise elsewhere is named in the report). A
  model's suggested relations and values come with its suggestions. Relation types and
  attributes missing from OUT_DB are added to its scheme; one defined differently in two
  projects is an error.
- The same annotator with different work on the same article (other spans or links,
  rejections, relations, values, or another status) in two inputs, or in an input and
  OUT_DB, is an error that names both files; with ``newer`` (``--newer``), the version
  edited or marked last (its status's time) replaces the others, OUT_DB's too, so an
  annotator who goes on working in a copy can be merged again (a reviewed article they
  changed then shows as changed since reviewed). Two versions of one time stay an error.
- A label OUT_DB renamed or merged into another after an input was copied from it is read
  under its new name in that input, and one it deleted with its spans is left out of it
  (``merge_follow.py``).
- Every input is read and checked before OUT_DB is opened for writing; the write is one
  transaction. On any error OUT_DB is as it was, and if it did not exist, no file is left.
- Work already in OUT_DB, identical, is skipped and so are events already there: merging
  the same input twice changes nothing.

Inputs are only read. Span row ids differ between projects, so spans and relations get new
ids (relations and values find their spans by value); the ids inside event payloads stay
those of the project where the edit was made.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.processes import remove_left_by_dead
from annotator.review.merge_follow import follow_out_db
from annotator.review.merge_plan import plan_merge
from annotator.review.merge_report import MergeReport
from annotator.storage import StorageError, Store
from annotator.storage.base import GUIDELINES_SETTING
from annotator.storage.merge_reading import ProjectContent, edit_mark, read_project
from annotator.storage.merging import (
    add_actors,
    add_articles,
    add_events,
    add_labels,
    add_negatives,
    add_provenance,
    add_spans,
    add_statuses,
    add_suggestions,
    article_ids_by_hash,
    keep_longer_times,
    remove_work,
    touch_statuses,
)
from annotator.storage.merging_claims import (
    add_claim_scheme,
    add_relations_and_values,
    add_suggested_links,
    renames_of,
)


def merge_projects(
    out_db: Path,
    inputs: Sequence[Path],
    newer: bool = False,
    stage: Callable[[str, int, int], None] = lambda stage, done, total: None,
) -> MergeReport:
    """Merge the projects ``inputs`` into ``out_db`` (created if missing); see the module
    doc. ``stage(what, done, total)`` follows the reading of each project and the writing
    (two 50,000-article projects: 20-50 s without a word)."""
    out_db = Path(out_db)
    if not inputs:
        raise AnnotatorError("give at least one project to merge")
    # The combined project holds its own work already, and a project named twice is one.
    files: dict[Path, Path] = {}  # resolved -> as given
    for path in map(Path, inputs):
        files.setdefault(path.resolve(), path)
    itself = files.pop(out_db.resolve(), None)
    if not files:
        raise AnnotatorError(f"nothing to merge: {out_db} is the only project named")
    steps = len(files) + 2  # each input, OUT_DB, the writing
    contents = []
    for done, path in enumerate(files.values()):
        stage(f"reading {path.name}", done, steps)
        contents.append(read_project(path))
    for attempt in range(ATTEMPTS):
        again = " again: it changed while it was read" if attempt else ""
        stage(f"reading {out_db.name}{again}", len(files), steps)
        if attempt == ATTEMPTS - 1 and out_db.exists():
            # Still changing: read it holding the write lock (an edit meanwhile waits, or
            # is refused with "busy, try again" after the busy timeout; never lost).
            with Store(out_db) as store, store.transaction():
                report, plan, replaced = _read_and_plan(out_db, contents, files, itself, newer)
                stage(f"writing {out_db.name}", steps - 1, steps)
                _write_plan(store, plan, report, replaced)
            stage(f"writing {out_db.name}", steps, steps)
            return report
        report, plan, replaced = _read_and_plan(out_db, contents, files, itself, newer)
        stage(f"writing {out_db.name}", steps - 1, steps)
        try:
            _write(out_db, plan, report, replaced)
        except _ChangedMeanwhile:
            continue
        stage(f"writing {out_db.name}", steps, steps)
        return report
    raise AnnotatorError(
        f"{out_db} kept changing while the merge read it (another merge made it meanwhile): "
        "nothing was merged; merge again"
    )


def _read_and_plan(
    out_db: Path,
    contents: list[ProjectContent],
    files: dict[Path, Path],
    itself: Path | None,
    newer: bool,
) -> tuple[MergeReport, ProjectContent, set[tuple[str, str]]]:
    """OUT_DB read, and what to write into it planned (``plan_merge``)."""
    existing = read_project(out_db) if out_db.exists() else ProjectContent(out_db)
    report = MergeReport(out_db, list(files.values()), created=existing.edits is None)
    report.itself_named = itself is not None and not report.created
    label_notes, notes = follow_out_db(existing, contents)
    report.label_notes += label_notes
    report.notes += notes
    plan, replaced = plan_merge(existing, contents, report, newer)
    plan.edits = existing.edits
    plan.suggested_names = renames_of(content.suggested_names for content in contents)
    return report, plan, replaced


#: How often OUT_DB is read again when it changed while it was read.
ATTEMPTS = 3


class _ChangedMeanwhile(Exception):
    """OUT_DB was edited between its reading and the writing: the plan is out of date."""


def _write(
    out_db: Path, plan: ProjectContent, report: MergeReport, replaced: set[tuple[str, str]]
) -> None:
    """Write the plan in one transaction, if OUT_DB's edits stand where they did when it
    was read (``plan.edits``), else ``_ChangedMeanwhile``."""
    if plan.edits is None:
        _write_new(out_db, plan, report, replaced)
        return
    with Store(out_db) as store, store.transaction():
        if edit_mark(store._db) != plan.edits:
            raise _ChangedMeanwhile
        _write_plan(store, plan, report, replaced)


def _write_new(
    out_db: Path, plan: ProjectContent, report: MergeReport, replaced: set[tuple[str, str]]
) -> None:
    """A new OUT_DB, written whole under a name of its own beside it and then linked into
    place: two merges making it at once wrote one into the other's half-made file, and
    the one that failed deleted the file the other had just finished. Now the second finds
    it there, complete (``_ChangedMeanwhile``), and nothing is left on an error."""
    if out_db.exists():
        raise _ChangedMeanwhile
    # What a merge killed outright (SIGKILL, a power cut) left: 35 MB stayed for good.
    remove_left_by_dead(
        sorted(out_db.parent.glob(f".{glob.escape(out_db.name)}.merging-*")),
        r"\.merging-(\d+)(?:-wal|-shm)?$",
    )
    temporary = out_db.with_name(f".{out_db.name}.merging-{os.getpid()}")
    try:
        try:
            with Store(temporary) as store, store.transaction():
                _write_plan(store, plan, report, replaced)
        except StorageError as error:  # said of OUT_DB: the temporary name is not the user's
            raise StorageError(str(error).replace(str(temporary), str(out_db))) from None
        try:
            os.link(temporary, out_db)  # fails if the file is there: never written over
        except FileExistsError:
            raise _ChangedMeanwhile from None
        except OSError:  # a file system without hard links
            if out_db.exists():
                raise _ChangedMeanwhile from None
            os.replace(temporary, out_db)
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)


def _write_plan(
    store: Store, plan: ProjectContent, report: MergeReport, replaced: set[tuple[str, str]]
) -> None:
    remove_work(store, article_ids_by_hash(store), replaced)
    add_labels(store, plan.labels)
    renames = plan.suggested_names if report.created else None
    add_claim_scheme(store, plan.claims.relation_types, plan.claims.attribute_types, renames)
    add_articles(store, plan.articles.values())
    ids = article_ids_by_hash(store)
    add_suggestions(store, ids, plan.suggestions, plan.preannotated)
    add_suggested_links(
        store, ids, plan.claims.suggested_relations, plan.claims.suggested_attributes
    )
    add_spans(store, ids, plan.spans)
    add_negatives(store, ids, plan.negatives)
    add_provenance(store, ids, plan.provenance)
    add_actors(store, plan.actors)
    add_relations_and_values(store, ids, plan.claims.relations, plan.claims.attributes)
    add_statuses(store, ids, plan.statuses)
    touch_statuses(store, ids, replaced)
    keep_longer_times(store, ids, report.longer)
    add_events(store, ids, plan.events)
    if plan.guidelines:  # OUT_DB had none: the first input's that has some
        store.set_setting(GUIDELINES_SETTING, plan.guidelines)
