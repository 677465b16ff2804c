"""Removing a relation type or an attribute from the scheme, with every relation or value of
it (and the suggested ones), and putting it all back: the undo of a deletion made in the
window.

``take_relation_type`` / ``take_attribute_type`` return what went (``RemovedClaimType``, its
rows as ``saved_rows.SavedRows``); ``restore_claim_type`` puts them back with their ids.
``relation_type_usage`` / ``attribute_type_usage`` say beforehand how much would go, for the
question the window asks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.relations import AttributeType, RelationType, SchemeError
from annotator.core.text import counted
from annotator.storage import saved_rows
from annotator.storage.attribute_values import AttributeValueRenaming
from annotator.storage.base import now
from annotator.storage.claim_scheme import ATTRIBUTE, RELATION, TABLES, a_kind
from annotator.storage.saved_rows import SavedRows


@dataclass(frozen=True, slots=True)
class ClaimTypeUsage:
    """How much of the project a relation type or attribute holds: annotators' relations
    (or values; gold's included), how many annotators, and a model's suggested ones."""

    stored: int = 0
    annotators: int = 0
    suggested: int = 0
    noun: str = RELATION

    @property
    def used(self) -> bool:
        return bool(self.stored or self.suggested)

    def describe(self) -> str:
        """``12 relations of 3 annotators, 40 suggested``; ``nothing``."""
        parts = []
        if self.stored:
            noun = self.noun + ("s" if self.stored != 1 else "")
            whose = f" of {self.annotators} annotator{'s' if self.annotators != 1 else ''}"
            parts.append(f"{self.stored} {noun}{whose}")
        if self.suggested:  # ("holds 246 suggested", with no noun, when nothing else)
            noun = "" if parts else f" {self.noun}{'s' if self.suggested != 1 else ''}"
            parts.append(f"{self.suggested} suggested{noun}")
        return ", ".join(parts) or "nothing"


@dataclass(frozen=True)
class RemovedClaimType:
    """A relation type or attribute taken out of the scheme, where it stood, and every row
    that went with it (relations or values, suggested ones): ``restore_claim_type`` puts
    them back as they were."""

    definition: RelationType | AttributeType
    position: int
    rows: tuple[SavedRows, ...] = ()

    @property
    def kind(self) -> str:
        return RELATION if isinstance(self.definition, RelationType) else ATTRIBUTE

    @property
    def stored(self) -> int:
        """How many annotators' relations (or values) went with it."""
        table = "relations" if self.kind == RELATION else "span_attributes"
        return sum(len(rows) for rows in self.rows if rows.table == table)

    @property
    def suggested(self) -> int:
        """How many of a model's suggested relations (or values) went with it."""
        table = "suggested_relations" if self.kind == RELATION else "suggested_attributes"
        return sum(len(rows) for rows in self.rows if rows.table == table)

    def describe(self) -> str:
        """``716 relations, 40 suggested``: what went with it."""
        noun = RELATION if self.kind == RELATION else "value"
        return counted(self.stored, noun) + (
            f", {self.suggested} suggested" if self.suggested else ""
        )


class ClaimTypeRemoval(AttributeValueRenaming):
    # -- how much hangs on a type ----------------------------------------------------------

    def relation_type_usage(self) -> dict[str, ClaimTypeUsage]:
        """How much each relation type holds, by name (every type of the scheme)."""
        return self._usage(RELATION, [t.name for t in self.relation_types()])

    def attribute_type_usage(self) -> dict[str, ClaimTypeUsage]:
        """How many values of each attribute are stored, by name (every attribute)."""
        return self._usage(ATTRIBUTE, [t.name for t in self.attribute_types()])

    def _usage(self, kind: str, names: Sequence[str]) -> dict[str, ClaimTypeUsage]:
        _, ((stored, column), (suggested, _)) = TABLES[kind]
        noun = RELATION if kind == RELATION else "value"
        counts = {
            name: (n, annotators)
            for name, n, annotators in self._db.execute(
                f"SELECT {column}, COUNT(*), COUNT(DISTINCT annotator) FROM {stored} "
                f"GROUP BY {column}"
            )
        }
        suggestions = dict(
            self._db.execute(f"SELECT {column}, COUNT(*) FROM {suggested} GROUP BY {column}")
        )
        return {
            name: ClaimTypeUsage(*counts.get(name, (0, 0)), suggestions.get(name, 0), noun)
            for name in names
        }

    # -- changing --------------------------------------------------------------------------
    def take_relation_type(self, name: str, by: str = "") -> RemovedClaimType:
        """Remove a relation type with every relation (and suggested one) of it; returns
        them all, for ``restore_claim_type``."""
        with self._writing():
            return self._take(RELATION, self.relation_type(name), by)

    def take_attribute_type(self, name: str, by: str = "") -> RemovedClaimType:
        """Remove an attribute with every value (and suggested one) of it; returns them
        all, for ``restore_claim_type``."""
        with self._writing():
            return self._take(ATTRIBUTE, self.attribute_type(name), by)

    def delete_relation_type(self, name: str, by: str = "") -> int:
        """Remove a relation type and every relation (and suggestion) of it; returns how
        many relations went."""
        return self.take_relation_type(name, by).stored

    def delete_attribute_type(self, name: str, by: str = "") -> int:
        """Remove an attribute and every value of it; returns how many values went."""
        return self.take_attribute_type(name, by).stored

    def restore_claim_type(self, removed: RemovedClaimType, by: str = "") -> None:
        """Put a removed relation type or attribute back where it stood, with the rows that
        went with it (the undo of ``take_*``). Rows whose spans were deleted or relabelled
        since, so that the type no longer allows them, stay out."""
        kind, definition = removed.kind, removed.definition
        table, hanging = TABLES[kind]
        with self._writing():
            exists = self._db.execute(
                f"SELECT 1 FROM {table} WHERE name = ?", [definition.name]
            ).fetchone()
            if exists:
                raise SchemeError(
                    f"the scheme has {a_kind(kind)} {definition.name} again (added since); "
                    "nothing was changed"
                )
            self._db.execute(
                f"UPDATE {table} SET position = position + 1 WHERE position >= ?",
                [removed.position],
            )
            saved_rows.put_back(self._db, SavedRows(table, *_definition_row(definition)))
            self._db.execute(
                f"UPDATE {table} SET position = ? WHERE name = ?",
                [removed.position, definition.name],
            )
            for rows in removed.rows:
                saved_rows.put_back(self._db, rows)
            self._drop_stray(kind, definition.name)
            self._claim_event(by, f"restore_{kind}_type", None, definition)

    # -- helpers -----------------------------------------------------------------------------
    def _take(
        self, kind: str, definition: RelationType | AttributeType, by: str
    ) -> RemovedClaimType:
        table, hanging = TABLES[kind]
        names = [
            row[0] for row in self._db.execute(f"SELECT name FROM {table} ORDER BY position, name")
        ]
        rows = tuple(
            saved_rows.take(self._db, rows_table, f"{column} = ?", [definition.name])
            for rows_table, column in hanging
        )
        self._db.execute(f"DELETE FROM {table} WHERE name = ?", [definition.name])
        # Positions stay 0..n-1, so a restored type goes back exactly where it was.
        remaining = [name for name in names if name != definition.name]
        self._db.executemany(
            f"UPDATE {table} SET position = ? WHERE name = ?",
            [(index, name) for index, name in enumerate(remaining)],
        )
        removed = RemovedClaimType(definition, names.index(definition.name), rows)
        self._event(
            by, None, f"delete_{kind}_type",
            {"name": definition.name, "stored": removed.stored}, now(),
        )  # fmt: skip
        return removed

    def _drop_stray(self, kind: str, name: str) -> None:
        """Rows of ``name`` whose spans are gone or carry labels it does not allow."""
        if kind == RELATION:
            self._db.execute(
                """DELETE FROM relations WHERE label = :name AND (
                     NOT EXISTS (SELECT 1 FROM spans h, relation_types t,
                                        json_each(t.head_labels) a
                                  WHERE h.id = relations.head AND t.name = :name
                                    AND a.value = h.label)
                  OR NOT EXISTS (SELECT 1 FROM spans c, relation_types t,
                                        json_each(t.child_labels) a
                                  WHERE c.id = relations.child AND t.name = :name
                                    AND a.value = c.label))""",
                {"name": name},
            )  # fmt: skip
            self._db.execute(
                "DELETE FROM suggested_relations WHERE label = ? AND (head NOT IN "
                "(SELECT id FROM suggestions) OR child NOT IN (SELECT id FROM suggestions))",
                [name],
            )
        else:
            self._db.execute(
                """DELETE FROM span_attributes WHERE name = :name AND NOT EXISTS (
                     SELECT 1 FROM spans s, attribute_types t, json_each(t."values") v
                      WHERE s.id = span_attributes.span_id AND t.name = :name
                        AND s.label = t.label AND v.value = span_attributes.value)""",
                {"name": name},
            )
            self._db.execute(
                "DELETE FROM suggested_attributes WHERE name = ? AND suggestion_id NOT IN "
                "(SELECT id FROM suggestions)",
                [name],
            )


def _definition_row(
    definition: RelationType | AttributeType,
) -> tuple[tuple[str, ...], tuple[tuple[str, ...]]]:
    """A type as a row of its table (position set after), for ``saved_rows.put_back``."""
    columns: tuple[str, ...]
    values: tuple[str, ...]
    if isinstance(definition, RelationType):
        columns = ("name", "head_labels", "child_labels", "color", "key", "description")
        values = (
            definition.name,
            json.dumps(definition.head_labels),
            json.dumps(definition.child_labels),
            definition.color,
            definition.key,
            definition.description,
        )
    else:
        columns = ("name", "label", "kind", "values", "default", "key", "description")
        values = (
            definition.name,
            definition.label,
            definition.kind,
            json.dumps(definition.values),
            definition.default,
            definition.key,
            definition.description,
        )
    return columns, (values,)
