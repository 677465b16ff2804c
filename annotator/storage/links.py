"""Knowledge-base links of spans and suggestions, and a project's own actors.

Functions over a ``Store`` (its connection stays in ``storage``; SQLite's errors come out as
``StorageError``, ``@guarded``). Each edit is one short transaction with an event in the
events log, like every other edit:

- ``set_span_link`` / ``clear_span_link``: what a span refers to; returns the link it had, so
  the window's undo command can put it back;
- ``span_links`` / ``link_statuses`` / ``article_links``: the links of an annotator's spans
  of an article (by span id; by where they are), every annotator's links of an article;
- ``store_suggested_links`` / ``suggested_links``: the linker's answers for a model's
  suggestions (``Store.open_article`` copies them onto the spans an annotator gets);
- ``add_project_actor`` / ``project_actors``: the project's additions to the actor knowledge
  base (JSON records as ``annotator.kb.actors`` reads them; ``project_actors.py`` changes
  and removes them);
  ``add_missing_project_actors``: an export's actors file, imported back;
- ``has_links`` / ``links_between`` / ``verdicts_between`` / ``write_imported_links``:
  whether a project uses links, the entries and the linker's verdicts of a range of
  articles for an export, the links an import brings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.text import reading_order
from annotator.storage.base import LINKED as LINKED  # re-exported: the status a link sets
from annotator.storage.base import now
from annotator.storage.base import stored_status as stored_status  # re-exported
from annotator.storage.errors import SpanConflict, guarded
from annotator.storage.store import Store


@dataclass(frozen=True, slots=True)
class SpanLink:
    """What one span refers to."""

    span_id: int
    annotator: str
    start: int
    end: int
    label: str
    kb_id: str
    status: str


@dataclass(frozen=True, slots=True)
class SuggestedLink:
    start: int
    end: int
    label: str
    kb_id: str
    status: str
    note: str = ""


def set_span_link(
    store: Store,
    span_id: int,
    kb_id: str,
    status: str = LINKED,
    expected: tuple[int, int, str, str] | None = None,
    origin: str | None = None,
) -> tuple[str, str]:
    """Make span ``span_id`` refer to ``kb_id`` (empty: to nothing); returns the previous
    ``(kb_id, status)``. One transaction, logged as a ``link_span`` edit (a ``todo`` article
    is ``in_progress`` after it, as after any edit).

    A span with an entry is ``linked``; one without keeps the linker's word for why
    (``ambiguous``, ``unknown``, ``generic``) only when ``status`` says so: an annotator's
    "no entry" is ``""``, settled.

    ``expected``: the span's ``(start, end, label, kb_id)`` as the caller last saw it; if
    another window changed any of them, ``SpanConflict`` and nothing is written.

    ``origin``: the span's origin after, when the link changes it (a suggestion linked
    elsewhere is ``edited``, as one moved or relabelled is; an undo gives ``model`` back)."""
    with store.transaction():
        row = store._db.execute(
            'SELECT article_id, annotator, kb_id, link_status, start, "end", label '
            "FROM spans WHERE id = ?",
            [span_id],
        ).fetchone()
        if row is None:
            raise SpanConflict(
                f"span {span_id} was deleted elsewhere (another window or program); "
                "its link was not changed"
            )
        article_id, annotator, before, before_status, start, end, label = row
        if expected is not None and (start, end, label, before) != expected:
            now_refers = f"refers to {before}" if before else "refers to nothing"
            raise SpanConflict(
                f"span {start}-{end} {label} was changed elsewhere (another window or "
                f"program; it {now_refers} now); its link was not changed"
            )
        status = stored_status(kb_id, status)
        stamp = now()
        store._db.execute(
            "UPDATE spans SET kb_id = ?, link_status = ?, updated_at = ? WHERE id = ?",
            [kb_id, status, stamp, span_id],
        )
        payload = {"id": span_id, "before": before, "after": kb_id, "status": status}
        if origin is not None:
            store._db.execute("UPDATE spans SET origin = ? WHERE id = ?", [origin, span_id])
            payload["origin"] = origin
        store._log_edit(article_id, annotator, "link_span", payload, stamp)  # starts it too
    return before, before_status


def clear_span_link(store: Store, span_id: int) -> tuple[str, str]:
    """Make the span refer to nothing; returns the previous ``(kb_id, status)``."""
    return set_span_link(store, span_id, "", "")


@guarded
def span_links(store: Store, article_id: int, annotator: str) -> dict[int, tuple[str, str]]:
    """``span id -> (kb_id, status)`` for the annotator's spans of an article that have either."""
    rows = store._db.execute(
        "SELECT id, kb_id, link_status FROM spans WHERE article_id = ? AND annotator = ? "
        "AND (kb_id != '' OR link_status != '')",
        [article_id, annotator],
    )
    return {span_id: (kb_id, status) for span_id, kb_id, status in rows}


@guarded
def link_statuses(store: Store, article_id: int, annotator: str) -> dict[tuple[int, int, str], str]:
    """``(start, end, label) -> status`` for the annotator's spans of an article that have
    a link status: only those rows are read (an article may hold 20,000 spans)."""
    rows = store._db.execute(
        'SELECT start, "end", label, link_status FROM spans '
        "WHERE article_id = ? AND annotator = ? AND link_status != ''",
        [article_id, annotator],
    )
    return {(start, end, label): status for start, end, label, status in rows}


@guarded
def article_links(store: Store, article_id: int) -> list[SpanLink]:
    """Every annotator's linked spans of an article (gold included), in text order."""
    rows = store._db.execute(
        'SELECT id, annotator, start, "end", label, kb_id, link_status FROM spans '
        "WHERE article_id = ? AND kb_id != '' ORDER BY start, \"end\", label, annotator",
        [article_id],
    )
    return [SpanLink(*row) for row in rows]


@guarded
def store_suggested_links(
    store: Store, article_id: int, model: str, links: Iterable[SuggestedLink]
) -> int:
    """Record the linker's answers on the model's suggestions (matched by start, end and
    label), in one transaction; returns how many suggestions were updated."""
    count = 0
    with store.transaction():
        for link in links:
            cursor = store._db.execute(
                "UPDATE suggestions SET kb_id = ?, link_status = ?, link_note = ? "
                'WHERE article_id = ? AND model = ? AND start = ? AND "end" = ? AND label = ?',
                [link.kb_id, link.status, link.note, article_id, model, link.start, link.end,
                 link.label],
            )  # fmt: skip
            count += cursor.rowcount
    return count


@guarded
def articles_unlinked(store: Store, model: str, labels: Sequence[str]) -> list[int]:
    """The articles with suggestions of ``model`` and one of ``labels`` that the linker never
    answered for (suggested with linking off, or without a place index)."""
    marks = ", ".join("?" for _ in labels)
    rows = store._db.execute(
        "SELECT DISTINCT article_id FROM suggestions WHERE model = ? AND link_status = '' "
        f"AND label IN ({marks}) ORDER BY article_id",
        [model, *labels],
    )
    return [row[0] for row in rows]


@guarded
def suggested_links(store: Store, article_id: int, model: str | None = None) -> list[SuggestedLink]:
    """The linker's answers on an article's suggestions (of ``model``, or the latest model)."""
    model = model or store.suggestion_model(article_id)
    if model is None:
        return []
    rows = store._db.execute(
        'SELECT start, "end", label, kb_id, link_status, link_note FROM suggestions '
        "WHERE article_id = ? AND model = ? AND link_status != '' ORDER BY start, \"end\", label",
        [article_id, model],
    )
    return [SuggestedLink(*row) for row in rows]


class ProjectActorError(AnnotatorError):
    """A project actor that cannot be added; the message says why."""


@guarded
def add_project_actor(store: Store, record: Mapping[str, Any], annotator: str) -> None:
    """Add an actor to the project's knowledge base (or replace the one with its id).

    ``record`` is an actor record (``annotator.kb.actors``); its id must start ``project:``
    so it can never collide with a shipped entry.
    """
    kb_id, name = str(record.get("id", "")), str(record.get("name", "")).strip()
    if not kb_id.startswith("project:") or len(kb_id) <= len("project:"):
        raise ProjectActorError(f"a project actor's id starts with 'project:', not {kb_id!r}")
    if not name:
        raise ProjectActorError(f"project actor {kb_id} has no name")
    stamp = now()
    with store.transaction():
        store._db.execute(
            "INSERT INTO kb_actors (id, name, record, added_by, added_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, record = excluded.record",
            [kb_id, name, json.dumps(dict(record), ensure_ascii=False), annotator, stamp],
        )
        store._event(annotator, None, "add_actor", dict(record), stamp)


@guarded
def project_actors(store: Store) -> list[dict[str, Any]]:
    """The project's actor records, by name as a person reads it (``reading_order``)."""
    rows = store._db.execute("SELECT record FROM kb_actors ORDER BY id")
    records = [json.loads(record) for (record,) in rows]
    return sorted(records, key=lambda record: reading_order(str(record["name"])))


@guarded
def has_links(store: Store) -> bool:
    """Whether any span or suggestion of the project refers to an entry (or was linked)."""
    for table in ("spans", "suggestions"):
        if store._db.execute(
            f"SELECT 1 FROM {table} WHERE kb_id != '' OR link_status != '' LIMIT 1"
        ).fetchone():
            return True
    return False


@guarded
def links_between(
    store: Store, first: int, last: int
) -> dict[tuple[int, str], dict[tuple[int, int, str], str]]:
    """The linked spans of articles ``first..last`` (ids): ``(article id, annotator) ->
    {(start, end, label): kb_id}``. Few spans are linked, so an export asks for a range."""
    found: dict[tuple[int, str], dict[tuple[int, int, str], str]] = {}
    rows = store._db.execute(
        'SELECT article_id, annotator, start, "end", label, kb_id FROM spans '
        "WHERE article_id BETWEEN ? AND ? AND kb_id != ''",
        [first, last],
    )
    for article_id, annotator, start, end, label, kb_id in rows:
        found.setdefault((article_id, annotator), {})[(start, end, label)] = kb_id
    return found


@guarded
def verdicts_between(
    store: Store, first: int, last: int
) -> dict[tuple[int, str], dict[tuple[int, int, str], str]]:
    """The linker's verdicts on spans of articles ``first..last`` that have no entry
    ("ambiguous", "unknown", "generic"): ``(article id, annotator) -> {(start, end, label):
    status}``, as ``links_between`` gives entries."""
    found: dict[tuple[int, str], dict[tuple[int, int, str], str]] = {}
    rows = store._db.execute(
        'SELECT article_id, annotator, start, "end", label, link_status FROM spans '
        "WHERE article_id BETWEEN ? AND ? AND kb_id = '' AND link_status != ''",
        [first, last],
    )
    for article_id, annotator, start, end, label, status in rows:
        found.setdefault((article_id, annotator), {})[(start, end, label)] = status
    return found


@guarded
def write_imported_links(
    store: Store, links: Iterable[tuple[int, str, int, int, str, str, str]]
) -> int:
    """Set the links an import brings, ``(article id, annotator, start, end, label, kb_id,
    status)``, on the spans just written (in the import's transaction when called inside
    it): the entry, and the linker's verdict on a span without one ("ambiguous", kept from
    the project when the file cannot say it); returns how many spans were linked."""
    count = 0
    with store.transaction():
        for article_id, annotator, start, end, label, kb_id, status in links:
            cursor = store._db.execute(
                "UPDATE spans SET kb_id = ?, link_status = ? WHERE article_id = ? "
                'AND annotator = ? AND start = ? AND "end" = ? AND label = ?',
                [kb_id, LINKED if kb_id else status, article_id, annotator, start, end, label],
            )
            count += cursor.rowcount if kb_id else 0
    return count


@guarded
def add_missing_project_actors(
    store: Store, records: Sequence[Mapping[str, Any]], annotator: str
) -> tuple[int, int]:
    """Add the actors whose ids the project does not hold; one it holds stays as it is.
    (added, held already but different)."""
    held = {record["id"]: record for record in project_actors(store)}
    added = differing = 0
    for record in records:
        kb_id = str(record["id"])
        if kb_id not in held:
            add_project_actor(store, record, annotator)
            held[kb_id] = dict(record)
            added += 1
        elif dict(record) != held[kb_id]:
            differing += 1
    return added, differing
