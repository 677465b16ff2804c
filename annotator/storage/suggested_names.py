"""What pre-annotation suggests, kept within the project's scheme: the relation type and
attributes it suggests by their built-in names (``source``; ``polarity``, ``hedged``,
``quote``) are stored under the names the project has given them since, with the values it
suggests.

A rename of one of them is remembered in the settings (``suggested_names``): after
``labels DB relation set source --name attributed_to``, a later import wrote ``source``
relations beside ``attributed_to`` ones, outside the scheme (the window drew them, the
brat export left them out, ``labels`` listed none).
"""

from __future__ import annotations

import json
import sqlite3

from annotator.core.relations import DEFAULT_ATTRIBUTE_TYPES, DEFAULT_RELATION_TYPES, SchemeError

RELATION, ATTRIBUTE = "relation", "attribute"
_KEY = "suggested_names"
_BUILT_IN = {
    RELATION: tuple(t.name for t in DEFAULT_RELATION_TYPES),
    ATTRIBUTE: tuple(t.name for t in DEFAULT_ATTRIBUTE_TYPES),
}


def suggested_names(db: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Per kind, each built-in name with the name the project calls it now: the name it
    was renamed to while a type of that name is in the scheme (deleted, and a new type
    of the built-in name added, suggestions went to the deleted one's name), else its own
    while that is; "" where neither is (deleted: nothing of it is suggested)."""
    names = _remembered(db)
    for kind, table in ((RELATION, "relation_types"), (ATTRIBUTE, "attribute_types")):
        there = {name for (name,) in db.execute(f"SELECT name FROM {table}")}
        names[kind] = {
            built_in: now if now in there else built_in if built_in in there else ""
            for built_in, now in names[kind].items()
        }
    return names


def carry_renames(db: sqlite3.Connection, names: dict[str, dict[str, str]]) -> None:
    """A new project made of another (a merge) calls the built-in types as that one did."""
    for kind, renamed in names.items():
        for built_in, now in renamed.items():
            if now and now != built_in:
                remember_rename(db, kind, built_in, now)


def _remembered(db: sqlite3.Connection) -> dict[str, dict[str, str]]:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [_KEY]).fetchone()
    saved = json.loads(row[0]) if row else {}
    return {
        kind: {name: saved.get(kind, {}).get(name, name) for name in names}
        for kind, names in _BUILT_IN.items()
    }


def remember_rename(db: sqlite3.Connection, kind: str, old: str, new: str) -> None:
    """``old`` is called ``new`` now (inside the rename's transaction)."""
    names = _remembered(db)
    renamed = {built_in: new for built_in, now in names[kind].items() if now == old}
    if renamed:
        names[kind].update(renamed)
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [_KEY, json.dumps(names, ensure_ascii=False)],
        )


def check_suggested_values_kept(db: sqlite3.Connection, name: str, values: set[str]) -> None:
    """``SchemeError`` if an attribute the program suggests (polarity, hedged, quote; by
    the name the project gave it) would lose a value it suggests: its suggestions would
    fall outside the scheme."""
    now = suggested_names(db)[ATTRIBUTE]
    program = next((t for t in DEFAULT_ATTRIBUTE_TYPES if now[t.name] == name), None)
    if program is not None and (lost := [v for v in program.values if v not in values]):
        raise SchemeError(
            f"pre-annotation suggests {name} {' and '.join(lost)}: {name} keeps "
            f"{'those values' if len(lost) > 1 else 'that value'} (it may have more); "
            "nothing was changed"
        )
