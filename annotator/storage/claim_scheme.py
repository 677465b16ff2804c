"""The scheme of relations and attributes: which relations join which labels, which
attributes a label's spans carry and their values (tables ``relation_types`` and
``attribute_types``, migration ``0010_claim_relations``).

A project changes its scheme here, as it changes labels (``StoreBase.save_label``). A change
that would leave stored work outside the scheme is refused, naming how much; deleting a type
deletes its relations or values with it (the caller asks first).
"""

from __future__ import annotations

import json

from annotator.core.relations import AttributeType, RelationType, SchemeError
from annotator.storage.base import StoreBase


class ClaimScheme(StoreBase):
    def relation_types(self) -> list[RelationType]:
        return [
            RelationType(
                name,
                tuple(json.loads(heads)),
                tuple(json.loads(children)),
                color or "#555555",
                key or "",
                description or "",
            )
            for name, heads, children, color, key, description in self._db.execute(
                "SELECT name, head_labels, child_labels, color, key, description "
                "FROM relation_types ORDER BY position, name"
            )
        ]

    def relation_type(self, name: str) -> RelationType:
        """The relation type ``name``; ``SchemeError`` if the scheme has none."""
        for relation_type in self.relation_types():
            if relation_type.name == name:
                return relation_type
        known = ", ".join(t.name for t in self.relation_types()) or "none"
        raise SchemeError(f"the scheme has no relation {name!r} (it has: {known})")

    def attribute_types(self, label: str | None = None) -> list[AttributeType]:
        """The attributes of the scheme, or those of spans of ``label``."""
        sql = 'SELECT name, label, kind, "values", "default", key, description FROM attribute_types'
        params: list[str] = []
        if label is not None:
            sql += " WHERE label = ?"
            params.append(label)
        return [
            AttributeType(
                name, label_, kind, tuple(json.loads(values)), default, key or "", description or ""
            )
            for name, label_, kind, values, default, key, description in self._db.execute(
                sql + " ORDER BY position, name", params
            )
        ]

    def attribute_type(self, name: str) -> AttributeType:
        """The attribute ``name``; ``SchemeError`` if the scheme has none."""
        for attribute_type in self.attribute_types():
            if attribute_type.name == name:
                return attribute_type
        known = ", ".join(t.name for t in self.attribute_types()) or "none"
        raise SchemeError(f"the scheme has no attribute {name!r} (it has: {known})")

    def save_relation_type(self, relation_type: RelationType) -> None:
        """Add a relation type, or change one; refused (``SchemeError``) if relations already
        stored would join labels it no longer allows."""
        with self._writing():
            heads, children = (
                json.dumps(relation_type.head_labels),
                json.dumps(relation_type.child_labels),
            )
            (outside,) = self._db.execute(
                """SELECT COUNT(*) FROM relations r
                   JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child
                   WHERE r.label = ? AND (h.label NOT IN (SELECT value FROM json_each(?))
                                          OR c.label NOT IN (SELECT value FROM json_each(?)))""",
                [relation_type.name, heads, children],
            ).fetchone()
            if outside:
                raise SchemeError(
                    f"{outside} stored {relation_type.name} relations join other labels than "
                    f"{'/'.join(relation_type.head_labels)} → "
                    f"{'/'.join(relation_type.child_labels)}; nothing was changed"
                )
            self._db.execute(
                "INSERT INTO relation_types (name, head_labels, child_labels, color, key, "
                "description, position) VALUES (?, ?, ?, ?, ?, ?, "
                "(SELECT COALESCE(MAX(position), -1) + 1 FROM relation_types)) "
                "ON CONFLICT (name) DO UPDATE SET head_labels = excluded.head_labels, "
                "child_labels = excluded.child_labels, color = excluded.color, "
                "key = excluded.key, description = excluded.description",
                [relation_type.name, heads, children, relation_type.color, relation_type.key,
                 relation_type.description],
            )  # fmt: skip

    def delete_relation_type(self, name: str) -> int:
        """Remove a relation type and every relation (and suggestion) of it; returns how
        many relations went."""
        with self._writing():
            self.relation_type(name)
            gone = self._db.execute("DELETE FROM relations WHERE label = ?", [name]).rowcount
            self._db.execute("DELETE FROM suggested_relations WHERE label = ?", [name])
            self._db.execute("DELETE FROM relation_types WHERE name = ?", [name])
        return int(gone)

    def save_attribute_type(self, attribute_type: AttributeType) -> None:
        """Add an attribute, or change one; refused (``SchemeError``) if values already stored
        would fall outside it (another label, a value it no longer has)."""
        with self._writing():
            values = json.dumps(attribute_type.values)
            (outside,) = self._db.execute(
                """SELECT COUNT(*) FROM span_attributes a JOIN spans s ON s.id = a.span_id
                   WHERE a.name = ? AND (s.label != ?
                         OR a.value NOT IN (SELECT value FROM json_each(?)))""",
                [attribute_type.name, attribute_type.label, values],
            ).fetchone()
            if outside:
                raise SchemeError(
                    f"{outside} stored values of {attribute_type.name} are on other spans than "
                    f"{attribute_type.label} or are not among {', '.join(attribute_type.values)}; "
                    "nothing was changed"
                )
            self._db.execute(
                'INSERT INTO attribute_types (name, label, kind, "values", "default", key, '
                "description, position) VALUES (?, ?, ?, ?, ?, ?, ?, "
                "(SELECT COALESCE(MAX(position), -1) + 1 FROM attribute_types)) "
                "ON CONFLICT (name) DO UPDATE SET label = excluded.label, kind = excluded.kind, "
                '"values" = excluded."values", "default" = excluded."default", '
                "key = excluded.key, description = excluded.description",
                [attribute_type.name, attribute_type.label, attribute_type.kind, values,
                 attribute_type.default, attribute_type.key, attribute_type.description],
            )  # fmt: skip

    def delete_attribute_type(self, name: str) -> int:
        """Remove an attribute and every value of it; returns how many values went."""
        with self._writing():
            self.attribute_type(name)
            gone = self._db.execute("DELETE FROM span_attributes WHERE name = ?", [name]).rowcount
            self._db.execute("DELETE FROM suggested_attributes WHERE name = ?", [name])
            self._db.execute("DELETE FROM attribute_types WHERE name = ?", [name])
        return int(gone)
