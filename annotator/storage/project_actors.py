"""A project's own actors changed after they were added: how many spans each is linked
from, a record changed, an actor removed (its links with it when asked) and put back.

Functions over a ``Store``, each one transaction with an event in the log, as
``storage.links`` adds them (``add_project_actor``). What a change may be (a name another
actor has, a country nobody knows) is the knowledge base's rule (``kb.actor_edits``): it is
given the actor as the project holds it in the write transaction (``edit_project_actor``),
since a copy read before wrote back what another window or program had changed since.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.core.text import counted
from annotator.storage.base import now
from annotator.storage.errors import guarded
from annotator.storage.links import ProjectActorError, project_actors
from annotator.storage.store import Store


class ActorInUse(ProjectActorError):
    """An actor spans are linked to, not removed unless its links go with it."""

    def __init__(self, name: str, kb_id: str, spans: int):
        super().__init__(f"{name} ({kb_id}): {counted(spans, 'span')} linked to it")
        self.spans = spans


class ActorChangedElsewhere(ProjectActorError):
    """The actor is no longer as the change expected it: changed or removed by another
    window or program since."""


#: A change of one actor: every project actor and this one, as stored now, to the record
#: to write.
ActorEdit = Callable[[list[dict[str, Any]], dict[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class RemovedActor:
    """What ``remove_project_actor`` took: the actor's row and the links it undid, by span
    and suggestion id with the status each had, for ``restore_project_actor``."""

    row: tuple[str, str, str, str, str]  # id, name, record, added_by, added_at
    spans: list[tuple[int, str]] = field(default_factory=list)
    suggestions: list[tuple[int, str, str]] = field(default_factory=list)  # with the note

    @property
    def record(self) -> dict[str, Any]:
        return json.loads(self.row[2])


@guarded
def actor_link_counts(store: Store) -> dict[str, int]:
    """How many spans (every annotator's, gold's) are linked to each project actor."""
    rows = store._db.execute(
        "SELECT kb_id, COUNT(*) FROM spans WHERE kb_id LIKE 'project:%' GROUP BY kb_id"
    )
    return dict(rows.fetchall())


@guarded
def change_project_actor(
    store: Store,
    record: Mapping[str, Any],
    annotator: str,
    expected: Mapping[str, Any] | None = None,
) -> dict:
    """Write ``record`` over the project actor of its id; returns the record it replaces.
    ``expected``: the record it must hold now, else ``ActorChangedElsewhere`` (an undo
    wrote its old copy over another window's change)."""
    kb_id = str(record["id"])
    with store.transaction():
        row = store._db.execute("SELECT record FROM kb_actors WHERE id = ?", [kb_id]).fetchone()
        if row is None:
            raise _removed_elsewhere(kb_id)
        before = json.loads(row[0])
        if expected is not None and before != _as_stored(expected):
            raise ActorChangedElsewhere(
                f"{before['name']} ({kb_id}) was changed elsewhere (another window or "
                "program) since"
            )
        store._db.execute(
            "UPDATE kb_actors SET name = ?, record = ? WHERE id = ?",
            [str(record["name"]), json.dumps(dict(record), ensure_ascii=False), kb_id],
        )
        payload = {"id": kb_id, "before": before, "after": dict(record)}
        store._event(annotator, None, "change_actor", payload, now())
    return before


@guarded
def edit_project_actor(
    store: Store, kb_id: str, edit: ActorEdit, annotator: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change the project actor ``kb_id`` by ``edit``, given it as the project holds it in
    this write transaction (each change touches its own field, another window's or
    program's kept); returns the record before and after."""
    with store.transaction():
        records = project_actors(store)
        record = next((r for r in records if r.get("id") == kb_id), None)
        if record is None:
            raise _removed_elsewhere(kb_id)
        after = dict(edit(records, record))
        before = change_project_actor(store, after, annotator, expected=record)
    return before, after


def _removed_elsewhere(kb_id: str) -> ActorChangedElsewhere:
    return ActorChangedElsewhere(f"{kb_id}: no such actor in the project (removed elsewhere?)")


def _as_stored(record: Mapping[str, Any]) -> Any:
    return json.loads(json.dumps(dict(record), ensure_ascii=False))


@guarded
def remove_project_actor(
    store: Store, kb_id: str, annotator: str, unlink: bool = False
) -> RemovedActor:
    """Remove the project actor ``kb_id``. Spans linked to it refuse it (``ActorInUse``)
    unless ``unlink``: then they refer to nothing, not linked yet, as do the suggestions
    linked to it (the next suggestion run links them again)."""
    with store.transaction():
        row = store._db.execute(
            "SELECT id, name, record, added_by, added_at FROM kb_actors WHERE id = ?", [kb_id]
        ).fetchone()
        if row is None:
            raise ProjectActorError(f"{kb_id}: no such actor in the project")
        spans = store._db.execute(
            "SELECT id, link_status FROM spans WHERE kb_id = ? ORDER BY id", [kb_id]
        ).fetchall()
        if spans and not unlink:
            raise ActorInUse(row[1], kb_id, len(spans))
        suggestions = store._db.execute(
            "SELECT id, link_status, link_note FROM suggestions WHERE kb_id = ? ORDER BY id",
            [kb_id],
        ).fetchall()
        stamp = now()
        store._db.execute(
            "UPDATE spans SET kb_id = '', link_status = '', updated_at = ? WHERE kb_id = ?",
            [stamp, kb_id],
        )
        store._db.execute(
            "UPDATE suggestions SET kb_id = '', link_status = '', link_note = '' WHERE kb_id = ?",
            [kb_id],
        )
        store._db.execute("DELETE FROM kb_actors WHERE id = ?", [kb_id])
        payload = {"id": kb_id, "unlinked_spans": [span_id for span_id, _ in spans]}
        store._event(annotator, None, "remove_actor", payload, stamp)
    return RemovedActor(tuple(row), [tuple(s) for s in spans], [tuple(s) for s in suggestions])


@guarded
def restore_project_actor(store: Store, removed: RemovedActor, annotator: str) -> int:
    """Put a removed actor back with the links it took, where a span still refers to
    nothing; returns how many spans were linked elsewhere or deleted since, left so. One of
    its id added since (another window, ``annotator actors``) is ``ActorChangedElsewhere``,
    and nothing is written."""
    kb_id = removed.row[0]
    stamp = now()
    relinked = 0
    with store.transaction():
        there = store._db.execute("SELECT name FROM kb_actors WHERE id = ?", [kb_id]).fetchone()
        if there is not None:  # (the insert failed on the duplicate id, an error unexplained)
            raise ActorChangedElsewhere(
                f"{there[0]} ({kb_id}) was added again elsewhere (another window or program) "
                "since; the removal was not undone"
            )
        store._db.execute(
            "INSERT INTO kb_actors (id, name, record, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
            list(removed.row),
        )
        for span_id, status in removed.spans:
            cursor = store._db.execute(
                "UPDATE spans SET kb_id = ?, link_status = ?, updated_at = ? "
                "WHERE id = ? AND kb_id = '' AND link_status = ''",
                [kb_id, status, stamp, span_id],
            )
            relinked += cursor.rowcount
        for suggestion_id, status, note in removed.suggestions:
            store._db.execute(
                "UPDATE suggestions SET kb_id = ?, link_status = ?, link_note = ? "
                "WHERE id = ? AND kb_id = '' AND link_status = ''",
                [kb_id, status, note, suggestion_id],
            )
        store._event(annotator, None, "add_actor", removed.record, stamp)
    return len(removed.spans) - relinked
