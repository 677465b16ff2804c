"""The label scheme: adding, renaming, recolouring, re-keying, describing, reordering,
deleting and merging labels, and adopting the labels imported files brought.

Each change is one transaction, logged in the events log (``article_id`` empty, the
person who made it as ``annotator``), and returns what undoing it needs: a rename is undone
by renaming back, a change of colour, key, kind or description by ``change_label`` with
the label as it was (returned), a move by moving back. A deletion is undone by
``restore_label`` (``label_deletion.py``), a merge by ``unmerge_label`` with the
``LabelMerge`` record, an adoption by ``unadopt_labels`` (those two in
``label_merging.py``). The rules of names and keys live in ``annotator.core.labels``;
breaking one raises ``LabelError`` before anything is written.

A label name is held by the scheme (``labels``) and by every row that carries a label
(``LABEL_COLUMNS``): renaming and merging change them all together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.label_colours import check_color, next_color
from annotator.core.labels import (
    LabelError,
    check_key,
    check_kind,
    check_name,
    effective_keys,
    free_keys,
    label_after,
)
from annotator.core.model import CLAIM_KIND, ENTITY_KIND, GOLD, Label
from annotator.core.text import counted
from annotator.storage.base import now
from annotator.storage.claim_type_removal import ClaimTypeRemoval

#: The colour a ``Label`` has when none is given: ``add_label`` gives it one of the palette.
DEFAULT_COLOR = Label("").color

#: Every column outside ``labels`` that holds a label's name. A table a migration adds
#: with a label column (relation or attribute types that apply to some labels) belongs here.
LABEL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("spans", "label"),
    ("suggestions", "label"),
    ("known_negatives", "label"),
)


class UnknownLabel(LabelError):
    """No label of that name in the scheme (nor in the project's spans)."""


@dataclass(frozen=True, slots=True)
class LabelUsage:
    """How much of the project holds a label: spans (and whose), suggestions, rejections."""

    spans: int = 0
    annotators: int = 0  # whose spans they are, the review's gold not counted
    suggestions: int = 0
    negatives: int = 0
    gold: bool = False  # whether gold has spans of it too

    @property
    def used(self) -> bool:
        return bool(self.spans or self.suggestions or self.negatives)

    def describe(self) -> str:
        """``12 spans of 3 annotators and gold, 40 suggestions``."""
        parts = []
        if self.spans:
            people = [counted(self.annotators, "annotator")] if self.annotators else []
            whose = " of " + " and ".join(people + ["gold"] * self.gold)
            parts.append(f"{counted(self.spans, 'span')}{whose}")
        if self.suggestions:
            parts.append(f"{self.suggestions} suggestion{'s' if self.suggestions != 1 else ''}")
        if self.negatives:
            parts.append(f"{self.negatives} rejected span{'s' if self.negatives != 1 else ''}")
        return ", ".join(parts) or "nothing"


class Scheme(ClaimTypeRemoval):
    # -- reading ---------------------------------------------------------------------------

    def label(self, name: str) -> Label:
        """The scheme's label ``name``; ``UnknownLabel`` (naming the others) if none."""
        for label in self.labels():
            if label.name == name:
                return label
        known = ", ".join(label.name for label in self.labels()) or "none"
        raise UnknownLabel(f"no label {name!r} in the project's scheme (labels: {known})")

    def label_keys(self) -> dict[str, str]:
        """The key each label answers to in the window (``core.labels.effective_keys``)."""
        return effective_keys(self.labels())

    def label_usage(self) -> dict[str, LabelUsage]:
        """How much each label is used, for every label in the scheme or in the data."""
        counts: dict[str, dict[str, Any]] = {}
        for name, spans, annotators, gold in self._db.execute(
            "SELECT label, COUNT(*), COUNT(DISTINCT NULLIF(annotator, ?)), "
            "MAX(annotator = ?) FROM spans GROUP BY label",
            [GOLD, GOLD],
        ):
            counts.setdefault(name, {}).update(spans=spans, annotators=annotators, gold=bool(gold))
        for table, key in (("suggestions", "suggestions"), ("known_negatives", "negatives")):
            for name, n in self._db.execute(f"SELECT label, COUNT(*) FROM {table} GROUP BY label"):
                counts.setdefault(name, {})[key] = n
        usage = {label.name: LabelUsage() for label in self.labels()}
        usage.update({name: LabelUsage(**fields) for name, fields in counts.items()})
        return usage

    def labels_outside_scheme(self) -> dict[str, LabelUsage]:
        """Labels that spans, suggestions or rejections use but the scheme lacks (brought by
        imported files), by name, with how much they are used."""
        known = {label.name for label in self.labels()}
        return {
            name: usage for name, usage in sorted(self.label_usage().items()) if name not in known
        }

    # -- adding and changing -----------------------------------------------------------------

    def add_label(self, label: Label, by: str = "") -> Label:
        """Add ``label`` at the end of the scheme; returns it as stored.

        A colour left at the default grey gets the next colour of the palette, an empty key
        the next free digit. ``LabelError`` for a name, key or colour the rules refuse.
        """
        with self._writing():
            labels = self.labels()
            name = check_name(label.name)
            self._check_new_name(labels, name)
            kind = check_kind(label.kind)
            color = check_color(label.color) if label.color != DEFAULT_COLOR else next_color(labels)
            claim_keys = self.claim_key_owners()
            key = (
                check_key(labels, name, label.key, claim_keys)
                if label.key
                else first_free_key(labels, claim_keys)
            )
            stored = Label(name, kind, color, key, label.description.strip())
            self._insert_label(stored, self._end_position())
            self._scheme_event(by, "add_label", {"label": label_payload(stored)})
        return stored

    def change_label(
        self,
        name: str,
        *,
        kind: str | None = None,
        color: str | None = None,
        key: str | None = None,
        description: str | None = None,
        by: str = "",
    ) -> Label:
        """Change a label's kind, colour, key or description (``None``: unchanged); returns
        the label as it was, which undoes the change when given back.

        A claim label becomes an entity label only if none of its spans overlaps another
        entity span (LOCATION and FACTION never overlap).
        """
        with self._writing():
            labels = self.labels()
            before = self.label(name)
            after = Label(
                name,
                check_kind(kind) if kind is not None else before.kind,
                check_color(color) if color is not None else before.color,
                check_key(labels, name, key, self.claim_key_owners())
                if key is not None
                else before.key,
                description.strip() if description is not None else before.description,
            )
            if after == before:
                return before
            if before.kind == CLAIM_KIND and after.kind == ENTITY_KIND:
                clashes = self._entity_overlaps(name, labels)
                if clashes:
                    raise LabelError(
                        f"{name} cannot become an entity label: {clashes} of its spans overlap "
                        "another entity span (LOCATION and FACTION never overlap); fix those first"
                    )
            self._db.execute(
                "UPDATE labels SET kind = ?, color = ?, key = ?, description = ? WHERE name = ?",
                [after.kind, after.color, after.key, after.description, name],
            )
            self._scheme_event(
                by,
                "change_label",
                {"before": label_payload(before), "after": label_payload(after)},
            )
        return before

    def move_label(self, name: str, position: int, by: str = "") -> int:
        """Put ``name`` at ``position`` (0 = first; clamped) in the scheme's order; returns
        the position it had. Keys follow the labels, not their places."""
        with self._writing():
            names = [label.name for label in self.labels()]
            self.label(name)
            old = names.index(name)
            names.remove(name)
            position = max(0, min(position, len(names)))
            names.insert(position, name)
            if position != old:
                self._db.executemany(
                    "UPDATE labels SET position = ? WHERE name = ?",
                    [(index, label) for index, label in enumerate(names)],
                )
                self._scheme_event(by, "move_label", {"name": name, "from": old, "to": position})
        return old

    def rename_label(self, old: str, new: str, by: str = "") -> int:
        """Rename a label everywhere (the scheme, spans, suggestions, rejections); returns
        how many spans were renamed. Undone by renaming back.

        ``old`` may also be a label only the data has (from an imported file): then only
        the data is renamed. ``new`` must be a name nothing uses yet.
        """
        with self._writing():
            labels = self.labels()
            in_scheme = any(label.name == old for label in labels)
            usage = self.label_usage()
            if not in_scheme and old not in usage:
                self.label(old)  # raises, naming the labels there are
            check_name(new)
            if new == old:
                return 0
            self._check_new_name(labels, new, renaming=old)
            if usage.get(new, LabelUsage()).used:
                raise LabelError(
                    f"spans already use {new!r} (from an imported file); "
                    f"merge {old} into it instead"
                )
            if in_scheme:
                self._db.execute("UPDATE labels SET name = ? WHERE name = ?", [new, old])
            self._rename_in_claim_scheme(old, new)
            changed = {}
            for table, column in LABEL_COLUMNS:
                cursor = self._db.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [new, old]
                )
                changed[table] = cursor.rowcount
            self._scheme_event(by, "rename_label", {"from": old, "to": new, "rows": changed})
        return changed["spans"]

    def claim_types_naming(self, label: str) -> list[str]:
        """The relation types that join ``label`` and the attributes of its spans, as a
        message names them (``the relation source``)."""
        return [
            *(
                f"the relation {t.name}"
                for t in self.relation_types()
                if label in t.head_labels or label in t.child_labels
            ),
            *(f"the attribute {t.name}" for t in self.attribute_types() if t.label == label),
        ]

    def _rename_in_claim_scheme(self, old: str, new: str) -> None:
        """The relation and attribute types name the labels they join or apply to: renamed
        before the spans, so that the spans' relabel trigger (``0010_claim_relations``)
        still finds their relations and values allowed."""
        self._db.execute("UPDATE attribute_types SET label = ? WHERE label = ?", [new, old])
        for name, heads, children in self._db.execute(
            "SELECT name, head_labels, child_labels FROM relation_types"
        ).fetchall():
            renamed = [
                json.dumps([new if label == old else label for label in json.loads(labels)])
                for labels in (heads, children)
            ]
            if renamed != [heads, children]:
                self._db.execute(
                    "UPDATE relation_types SET head_labels = ?, child_labels = ? WHERE name = ?",
                    [*renamed, name],
                )

    # -- helpers -----------------------------------------------------------------------------

    def _check_new_name(self, labels: Sequence[Label], name: str, renaming: str = "") -> None:
        for label in labels:
            if label.name.casefold() == name.casefold() and label.name != renaming:
                raise LabelError(f"the scheme has a label {label.name} already")

    def _end_position(self) -> int:
        return int(
            self._db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM labels").fetchone()[0]
        )

    def _insert_label(self, label: Label, position: int) -> None:
        # Make room: the labels from ``position`` on move one place down.
        self._db.execute(
            "UPDATE labels SET position = position + 1 WHERE position >= ?", [position]
        )
        self._db.execute(
            "INSERT INTO labels (name, kind, color, key, description, position) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [label.name, label.kind, label.color, label.key, label.description, position],
        )
        self._label_cache = None

    def _entity_overlaps(self, name: str, labels: Sequence[Label], as_label: str = "") -> int:
        """How many of ``name``'s spans overlap another entity span of their annotator (a
        label outside the scheme counts as an entity), were ``name`` an entity label."""
        claims = [label.name for label in labels if label.kind != ENTITY_KIND]
        claims = [c for c in claims if c != name]
        skip = ",".join("?" * len(claims)) or "''"  # (NOT IN (NULL) would match nothing)
        row = self._db.execute(
            f"""
            SELECT COUNT(DISTINCT a.id) FROM spans a JOIN spans b
              ON b.article_id = a.article_id AND b.annotator = a.annotator AND b.id != a.id
             AND b.start < a."end" AND b."end" > a.start
             WHERE a.label = ? AND b.label NOT IN ({skip})
               AND NOT (b.label = ? AND b.start = a.start AND b."end" = a."end")
            """,
            [name, *claims, as_label],
        ).fetchone()
        return int(row[0])

    def renamed_labels(self, names: Iterable[str]) -> dict[str, str]:
        """Of ``names`` (labels outside the scheme: an import's), those the project renamed
        or merged into a label it has now, with that label: a file exported before the
        rename still says MILITIA where the project says ARMED."""
        scheme = {label.name for label in self.labels()}
        wanted = {name: name for name in names if name not in scheme}
        if not wanted:
            return {}
        changes = [
            (action, json.loads(payload))
            for action, payload in self._db.execute(
                "SELECT action, payload FROM events WHERE article_id IS NULL AND action IN "
                "('rename_label', 'merge_label', 'unmerge_label', 'delete_label', "
                "'restore_label') ORDER BY id"
            )
        ]
        for name in wanted:
            wanted[name] = label_after(name, changes) or name
        return {name: to for name, to in wanted.items() if to != name and to in scheme}

    def _scheme_event(self, by: str, action: str, payload: dict) -> None:
        self._event(by, None, action, payload, now())


def first_free_key(labels: Sequence[Label], claim_keys: Iterable[str] = ()) -> str:
    """The key a new label gets: the first of ``free_keys`` no label, relation type or
    attribute (``claim_keys``) has."""
    taken = [*effective_keys(labels).values(), *claim_keys]
    free = free_keys(key for key in taken if key)
    return free[0] if free else ""


def label_payload(label: Label) -> dict[str, str]:
    return {
        "name": label.name,
        "kind": label.kind,
        "color": label.color,
        "key": label.key,
        "description": label.description,
    }
