"""A project's own actors changed after they were added: how many spans each is linked
from, a record changed, an actor removed (its links with it when asked) and put back.

Functions over a ``Store``, each one transaction with an event in the log, as
``storage.links`` adds them (``add_project_actor``). What a change may be (a name another
actor has, a country nobody knows) is the knowledge base's rule (``kb.actor_edits``); here
the records are written as given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.core.text import counted
from annotator.storage.base import now
from annotator.storage.errors import guarded
from annotator.storage.links import ProjectActorError
from annotator.storage.store import Store


class ActorInUse(ProjectActorError):
    """An actor spans are linked to, not removed unless its links go with it."""

    def __init__(self, name: str, kb_id: str, spans: int):
        super().__init__(f"{name} ({kb_id}): {counted(spans, 'span')} linked to it")
        self.spans = spans


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
def change_project_actor(store: Store, record: Mapping[str, Any], annotator: str) -> dict:
    """Write ``record`` over the project actor of its id; returns the record it replaces."""
    kb_id = str(record["id"])
    with store.transaction():
        row = store._db.execute("SELECT record FROM kb_actors WHERE id = ?", [kb_id]).fetchone()
        if row is None:
            raise ProjectActorError(f"{kb_id}: no such actor in the project (removed elsewhere?)")
        store._db.execute(
            "UPDATE kb_actors SET name = ?, record = ? WHERE id = ?",
            [str(record["name"]), json.dumps(dict(record), ensure_ascii=False), kb_id],
        )
        before = json.loads(row[0])
        payload = {"id": kb_id, "before": before, "after": dict(record)}
        store._event(annotator, None, "change_actor", payload, now())
    return before


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
    nothing; returns how many spans were linked elsewhere or deleted since, left so."""
    kb_id = removed.row[0]
    stamp = now()
    relinked = 0
    with store.transaction():
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
