"""Rows taken out of a table and kept in memory, so that an undo can put them back exactly
(same ids, same values): a removed article with everything that hangs on it, the spans a
label merge folded into others.

Which tables hang on which is read from the schema's foreign keys, so a table a later
migration adds (``... REFERENCES articles(id)`` or ``REFERENCES spans(id)``) is taken and
given back with the rest without this module knowing it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Parameters of a ``where`` clause: positional (``?``) or named (``:name``).
Params = Sequence[Any] | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SavedRows:
    """Some rows of one table, with their column names."""

    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def take(db: sqlite3.Connection, table: str, where: str, params: Params) -> SavedRows:
    """Read the rows of ``table`` matching ``where`` and delete them; returns them."""
    saved = read(db, table, where, params)
    db.execute(f"DELETE FROM {quote(table)} WHERE {where}", params)
    return saved


def read(db: sqlite3.Connection, table: str, where: str, params: Params) -> SavedRows:
    cursor = db.execute(f"SELECT * FROM {quote(table)} WHERE {where}", params)
    columns = tuple(d[0] for d in cursor.description)
    return SavedRows(table, columns, tuple(tuple(row) for row in cursor.fetchall()))


def put_back(db: sqlite3.Connection, saved: SavedRows) -> None:
    """Insert ``saved`` rows again as they were (``IntegrityError`` if one is taken)."""
    if not saved.rows:
        return
    columns = ", ".join(quote(c) for c in saved.columns)
    marks = ", ".join("?" * len(saved.columns))
    db.executemany(
        f"INSERT INTO {quote(saved.table)} ({columns}) VALUES ({marks})", list(saved.rows)
    )


@dataclass(frozen=True, slots=True)
class Reference:
    """``table.column`` refers to ``parent.parent_column``."""

    table: str
    column: str
    parent: str
    parent_column: str


#: References the schema holds without a FOREIGN KEY clause: relations and attribute values
#: name spans and suggestions by id, kept consistent by triggers (``0010_claim_relations``:
#: a foreign key would cascade when a migration rebuilds ``spans``). They hang on their
#: spans and suggestions all the same.
IMPLICIT_REFERENCES = (
    Reference("relations", "head", "spans", "id"),
    Reference("relations", "child", "spans", "id"),
    Reference("span_attributes", "span_id", "spans", "id"),
    Reference("suggested_relations", "head", "suggestions", "id"),
    Reference("suggested_relations", "child", "suggestions", "id"),
    Reference("suggested_attributes", "suggestion_id", "suggestions", "id"),
)


def references_to(db: sqlite3.Connection, parent: str) -> list[Reference]:
    """Every reference of the schema that points at ``parent`` (its foreign keys and the
    ``IMPLICIT_REFERENCES``), table by table."""
    found = []
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    for table in tables:
        for row in db.execute(f"PRAGMA foreign_key_list({quote(table)})"):
            # id, seq, table, from, to, on_update, on_delete, match
            if row[2] == parent:
                found.append(Reference(table, row[3], parent, row[4] or "rowid"))
    found += [ref for ref in IMPLICIT_REFERENCES if ref.parent == parent and ref.table in tables]
    return found
