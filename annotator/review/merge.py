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
from dataclasses import replace
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.processes import remove_left_by_dead
from annotator.review.merge_follow import follow_out_db
from annotator.review.merge_report import MergeReport
from annotator.review.merge_scheme import MergeConflict, plan_scheme
from annotator.storage import StorageError, Store
from annotator.storage.base import GUIDELINES_SETTING
from annotator.storage.merge_reading import EventRecord, ProjectContent, edit_mark, read_project
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
    """OUT_DB read, and what to write into it planned (``_plan``)."""
    existing = read_project(out_db) if out_db.exists() else ProjectContent(out_db)
    report = MergeReport(out_db, list(files.values()), created=existing.edits is None)
    report.itself_named = itself is not None and not report.created
    label_notes, notes = follow_out_db(existing, contents)
    report.label_notes += label_notes
    report.notes += notes
    plan, replaced = _plan(existing, contents, report, newer)
    plan.edits = existing.edits
    plan.suggested_names = renames_of(content.suggested_names for content in contents)
    return report, plan, replaced


#: How often OUT_DB is read again when it changed while it was read.
ATTEMPTS = 3


class _ChangedMeanwhile(Exception):
    """OUT_DB was edited between its reading and the writing: the plan is out of date."""


def _plan(
    existing: ProjectContent, contents: list[ProjectContent], report: MergeReport, newer: bool
) -> tuple[ProjectContent, set[tuple[str, str]]]:
    """What to write into OUT_DB, decided (and checked) before anything is written; and
    the work of OUT_DB that newer work replaces (``newer``)."""
    plan = ProjectContent(existing.path)
    plan_scheme(existing, contents, plan, report.label_notes)
    _plan_guidelines(existing, contents, plan, report)

    for content in contents:
        for text_hash, article in content.articles.items():
            if text_hash not in existing.articles and text_hash not in plan.articles:
                plan.articles[text_hash] = article
    report.articles_added = len(plan.articles)
    report.articles_known = len({h for c in contents for h in c.articles} - set(plan.articles))

    ran = set(existing.suggestions) | set(existing.preannotated)  # (article, model)
    # An article OUT_DB pre-annotated later (a model adopted since re-suggested it) takes
    # no older pre-annotation back: an old copy brought back all the adoption replaced.
    latest: dict[str, str] = {}
    for (text_hash, _), at in existing.preannotated.items():
        latest[text_hash] = max(latest.get(text_hash, ""), at)
    for content in contents:
        for key in sorted(set(content.suggestions) | set(content.preannotated)):
            if key in ran:
                continue
            if content.preannotated.get(key, "") < latest.get(key[0], ""):
                report.suggestions_older += len(content.suggestions.get(key, []))
                continue
            ran.add(key)
            plan.suggestions[key] = content.suggestions.get(key, [])
            plan.preannotated[key] = content.preannotated.get(key, "")
            for part in ("suggested_relations", "suggested_attributes"):
                if key in getattr(content.claims, part):
                    getattr(plan.claims, part)[key] = getattr(content.claims, part)[key]
    report.suggestions_added = sum(len(s) for s in plan.suggestions.values())

    # Whose work is where: the first project holding each (annotator, article) owns it;
    # with ``newer``, the one that edited or marked it last.
    owner = {key: existing for key in existing.work()}
    replaced: set[tuple[str, str]] = set()
    for content in contents:
        for key in sorted(content.work()):
            if key not in owner:
                owner[key] = content
                _take_work(plan, content, key)
                report.articles_by_annotator[key[0]] += 1
                report.spans_by_annotator[key[0]] += len(content.spans.get(key, []))
                report.relations_by_annotator[key[0]] += len(content.claims.relations.get(key, []))
            elif _work(owner[key], key) == _work(content, key):
                report.unchanged_by_annotator[key[0]] += 1
                _keep_longer_time(plan, owner[key] is existing, owner[key], content, key, report)
            elif not newer or _stamp(owner[key], key) == _stamp(content, key):
                raise MergeConflict(_conflict_message(key, owner[key], content, newer))
            elif _stamp(content, key) > _stamp(owner[key], key):
                if owner[key] is existing:
                    replaced.add(key)
                owner[key] = content
                _take_work(plan, content, key)
                report.replaced_by_annotator[key[0]] += 1
            else:
                report.older_by_annotator[key[0]] += 1

    # What an article's tool keeps, and the project's own actors: the first project that has
    # one gives it (an actor another project defines differently is counted, not merged).
    for content in contents:
        for key, record in content.provenance.items():
            if key not in existing.provenance:
                plan.provenance.setdefault(key, record)
        for kb_id, actor in content.actors.items():
            known = existing.actors.get(kb_id) or plan.actors.get(kb_id)
            if known is None:
                plan.actors[kb_id] = actor
            elif known[1] != actor[1]:
                report.actors_differing.add(kb_id)

    seen = {_event_key(event) for event in existing.events}
    for content in contents:
        for event in content.events:
            if _event_key(event) not in seen:
                seen.add(_event_key(event))
                plan.events.append(event)
    report.events_added = len(plan.events)
    return plan, replaced


def _plan_guidelines(
    existing: ProjectContent,
    contents: list[ProjectContent],
    plan: ProjectContent,
    report: MergeReport,
) -> None:
    """The project's own guidelines: OUT_DB's, else the first input's that has some; others
    that differ are left out, said (they were dropped unsaid)."""
    kept, source = existing.guidelines, None
    for content in contents:
        if not content.guidelines.strip() or content.guidelines == kept:
            continue
        if not kept.strip():
            kept, source = content.guidelines, content.path
            plan.guidelines = kept
            report.notes.append(f"guidelines: taken from {content.path}")
        else:
            report.notes.append(
                f"guidelines: {content.path}'s differ from those kept"
                + (f" ({source}'s)" if source is not None else "")
                + ", left out (annotator guidelines DB --set FILE chooses)"
            )


def _take_work(plan: ProjectContent, content: ProjectContent, key: tuple[str, str]) -> None:
    """The plan writes ``content``'s work for ``key`` (an older version's, if any, goes)."""
    for part in ("spans", "statuses", "negatives"):
        mine, theirs = getattr(plan, part), getattr(content, part)
        if key in theirs:
            mine[key] = theirs[key]
        else:
            mine.pop(key, None)
    for part in ("relations", "attributes"):
        mine, theirs = getattr(plan.claims, part), getattr(content.claims, part)
        if key in theirs:
            mine[key] = theirs[key]
        else:
            mine.pop(key, None)


def _keep_longer_time(
    plan: ProjectContent,
    in_out: bool,
    owner: ProjectContent,
    content: ProjectContent,
    key: tuple[str, str],
    report: MergeReport,
) -> None:
    """The same work, read longer in ``content`` (an annotator who went on reading a done
    article in their copy): the longer reading time is kept, in OUT_DB (``report.longer``)
    or in the plan. The copy's 10 minutes more were dropped as "identical"."""
    mine, theirs = owner.statuses.get(key), content.statuses.get(key)
    if mine is None or theirs is None:
        return
    kept = report.longer.get(key, mine.seconds_active) if in_out else mine.seconds_active
    if theirs.seconds_active <= kept:
        return
    if in_out:
        report.longer[key] = theirs.seconds_active
    else:
        plan.statuses[key] = replace(plan.statuses[key], seconds_active=theirs.seconds_active)


def _stamp(content: ProjectContent, key: tuple[str, str]) -> str:
    """When the annotator last edited or marked the article there ("" if never said)."""
    status = content.statuses.get(key)
    return status.updated_at or "" if status else ""


def _work(content: ProjectContent, key: tuple[str, str]) -> tuple[object, ...]:
    """An annotator's work on an article, as compared: their spans, relations, values and
    status."""
    status = content.statuses.get(key)
    # start, end, label and what the span refers to (kb_id)
    spans = frozenset((*record[:3], record[6]) for record in content.spans.get(key, []))
    negatives = frozenset(content.negatives.get(key, []))
    return spans, negatives, *content.claims.work(key), status.status if status else None


def _conflict_message(
    key: tuple[str, str], first: ProjectContent, second: ProjectContent, newer: bool
) -> str:
    annotator, text_hash = key
    article = first.articles.get(text_hash) or second.articles[text_hash]
    title = f"'{article.title}'" if article.title else f"with text hash {text_hash[:12]}"
    said = (
        f"annotator {annotator} has different work on article {title} "
        f"in {first.path} and in {second.path}; nothing was merged"
    )
    if newer:
        return said + " (both were last changed at the same time: which is newer is unknown)"
    return said + " (--newer takes the version edited or marked last)"


def _event_key(event: EventRecord) -> tuple:
    return (event.ts, event.annotator, event.text_hash, event.action, event.payload)


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
