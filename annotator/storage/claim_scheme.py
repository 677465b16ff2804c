"""The scheme of relations and attributes: which relations join which labels, which
attributes a label's spans carry and their values (tables ``relation_types`` and
``attribute_types``, migration ``0010_claim_relations``).

A project changes its scheme here, as it changes labels (``storage/scheme.py``), each change
one transaction logged in the events log. ``save_relation_type`` / ``save_attribute_type``
add a type or change one (renaming it with ``replacing=``, its stored relations or values
following); they return the definition as it was (``None`` for a new one), which saved
again undoes the change. A change that would leave stored work outside the scheme is refused
(``SchemeError``), naming how much; so are a name, a label, a key or a value the rules refuse
(``core/labels.py``: a key is one letter no label, no other type and no window action has).
Removing a type, with what hangs on it, is in ``claim_type_removal.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from annotator.core.label_colours import check_color
from annotator.core.labels import (
    LabelError,
    check_claim_key,
    check_word,
    claim_key_owners,
)
from annotator.core.relations import (
    AttributeType,
    RelationType,
    SchemeError,
)
from annotator.core.text import counted
from annotator.storage.base import StoreBase, now
from annotator.storage.suggested_names import (
    ATTRIBUTE,
    RELATION,
    check_suggested_values_kept,
    remember_rename,
)

T = TypeVar("T")

#: Per kind: the scheme's table, and the rows that hang on a type by its name (annotators'
#: and suggested ones) as ``(table, column)``.
TABLES = {
    RELATION: ("relation_types", (("relations", "label"), ("suggested_relations", "label"))),
    ATTRIBUTE: (
        "attribute_types",
        (("span_attributes", "name"), ("suggested_attributes", "name")),
    ),
}


class ClaimScheme(StoreBase):
    # -- reading ---------------------------------------------------------------------------

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

    def claim_key_owners(self) -> dict[str, str]:
        """The keys relation types and attributes have, each with its owner
        (``the relation source``): what a label's key must not be."""
        return claim_key_owners(self.relation_types(), self.attribute_types())

    def save_relation_type(
        self,
        relation_type: RelationType,
        *,
        replacing: str | None = None,
        new: bool = False,
        by: str = "",
    ) -> RelationType | None:
        """Add a relation type, or change one (``replacing``: its name before, to rename
        it; its relations follow). Returns the definition as it was, ``None`` if new.
        ``new``: only add (a type of that name is refused, not changed).

        Refused (``SchemeError``, nothing changed) for a name, label list, colour or key
        the rules refuse, and if relations already stored would join labels it no longer
        allows."""
        old = replacing or relation_type.name
        with self._writing():
            before = next((t for t in self.relation_types() if t.name == old), None)
            if replacing is not None and before is None:
                self.relation_type(replacing)  # raises, naming the types there are
            if new:
                self._check_unique(RELATION, "", relation_type.name)
            relation_type = self._checked_relation_type(relation_type, old)
            self._rename_type(RELATION, old, relation_type.name)
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
            self._claim_event(by, "save_relation_type", before, relation_type)
        return before

    def save_attribute_type(
        self,
        attribute_type: AttributeType,
        *,
        replacing: str | None = None,
        new: bool = False,
        by: str = "",
    ) -> AttributeType | None:
        """Add an attribute, or change one (``replacing``: its name before, to rename it;
        its values follow). Returns the definition as it was, ``None`` if new. ``new``:
        only add (an attribute of that name is refused, not changed).

        Refused (``SchemeError``, nothing changed) for a name, label, value or key the
        rules refuse, and if values already stored would fall outside it (on another
        label's spans, or a value it no longer has).

        A value not stored is the default, so a new default would change what every span
        without one says: they keep the old default, stored (``_keep_the_old_default``)."""
        old = replacing or attribute_type.name
        with self._writing():
            before = next((t for t in self.attribute_types() if t.name == old), None)
            if replacing is not None and before is None:
                self.attribute_type(replacing)  # raises, naming the attributes there are
            if new:
                self._check_unique(ATTRIBUTE, "", attribute_type.name)
            attribute_type = self._checked_attribute_type(attribute_type, old)
            if before is not None:
                check_suggested_values_kept(self._db, before.name, set(attribute_type.values))
            self._rename_type(ATTRIBUTE, old, attribute_type.name)
            values = json.dumps(attribute_type.values)
            self._check_values_stay(attribute_type, values)
            if before is not None and before.default != attribute_type.default:
                self._keep_the_old_default(before, attribute_type)
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
            self._claim_event(by, "save_attribute_type", before, attribute_type)
        return before

    def _check_values_stay(self, attribute_type: AttributeType, values: str) -> None:
        """``SchemeError`` if stored values would fall outside ``attribute_type``: on
        another label's spans, or a value it no longer has (each named, with its count)."""
        name, label = attribute_type.name, attribute_type.label
        (elsewhere,) = self._db.execute(
            "SELECT COUNT(*) FROM span_attributes a JOIN spans s ON s.id = a.span_id "
            "WHERE a.name = ? AND s.label != ?",
            [name, label],
        ).fetchone()
        if elsewhere:
            raise SchemeError(
                f"{counted(elsewhere, 'stored value')} of {name} are on other spans than "
                f"{label}; nothing was changed"
            )
        gone = self._db.execute(
            "SELECT value, COUNT(*) FROM span_attributes WHERE name = ? "
            "AND value NOT IN (SELECT value FROM json_each(?)) GROUP BY value ORDER BY value",
            [name, values],
        ).fetchall()
        if gone:
            shown = ", ".join(f"{value} {n:,}" for value, n in gone)
            raise SchemeError(
                f"stored values of {name} are not among {', '.join(attribute_type.values)}: "
                f"{shown} (annotator labels DB attribute rename-value {name} OLD NEW renames "
                "one); nothing was changed"
            )

    def _keep_the_old_default(self, before: AttributeType, after: AttributeType) -> None:
        """Store ``before``'s default on the spans and suggestions of its label that hold no
        value of it (renamed to ``after`` already), so that they say what they said;
        ``SchemeError`` if ``after`` no longer has that value."""
        name, default, label = after.name, before.default, before.label
        without = """FROM {rows} x WHERE x.label = ? AND NOT EXISTS (
                        SELECT 1 FROM {values} v WHERE v.{id} = x.id AND v.name = ?)"""
        spans = without.format(rows="spans", values="span_attributes", id="span_id")
        suggestions = without.format(
            rows="suggestions", values="suggested_attributes", id="suggestion_id"
        )
        (count,) = self._db.execute(f"SELECT COUNT(*) {spans}", [label, name]).fetchone()
        (suggested,) = self._db.execute(f"SELECT COUNT(*) {suggestions}", [label, name]).fetchone()
        if not count + suggested:
            return
        if default not in after.values:
            raise SchemeError(
                f"{count + suggested} {label} spans and suggestions have the default "
                f"{default!r} of {name}, which is not among {', '.join(after.values)}; "
                "nothing was changed"
            )
        self._db.execute(
            "INSERT INTO span_attributes (span_id, name, value, article_id, annotator, origin, "
            f"updated_at) SELECT x.id, ?, ?, x.article_id, x.annotator, "
            f"CASE WHEN x.origin = 'model' THEN 'model' ELSE 'human' END, ? {spans}",
            [name, default, now(), label, name],
        )
        self._db.execute(
            f"INSERT INTO suggested_attributes (suggestion_id, name, value) SELECT x.id, ?, ? "
            f"{suggestions}",
            [name, default, label, name],
        )

    def _rename_type(self, kind: str, old: str, new: str) -> None:
        """``old`` becomes ``new`` in the scheme and in every row that names it."""
        if old == new:
            return
        table, hanging = TABLES[kind]
        self._db.execute(f"UPDATE {table} SET name = ? WHERE name = ?", [new, old])
        remember_rename(self._db, kind, old, new)  # pre-annotation's later ones follow
        for rows_table, column in hanging:
            self._db.execute(f"UPDATE {rows_table} SET {column} = ? WHERE {column} = ?", [new, old])

    def _check_unique(self, kind: str, old: str, new: str) -> None:
        """No other type of ``kind`` than ``old`` is called ``new`` (case aside)."""
        table, _ = TABLES[kind]
        for (other,) in self._db.execute(f"SELECT name FROM {table}").fetchall():
            if other != old and other.casefold() == new.casefold():
                raise SchemeError(f"the scheme has {a_kind(kind)} {other} already")

    def _known_labels(self) -> set[str]:
        """The scheme's labels and those the project's spans and suggestions use."""
        return {
            row[0]
            for row in self._db.execute(
                "SELECT name FROM labels UNION SELECT DISTINCT label FROM spans "
                "UNION SELECT DISTINCT label FROM suggestions"
            )
        }

    def _check_labels(self, labels: Sequence[str], what: str) -> tuple[str, ...]:
        labels = tuple(dict.fromkeys(label.strip() for label in labels if label.strip()))
        if not labels:
            raise SchemeError(f"{what} needs at least one label")
        unknown = [label for label in labels if label not in self._known_labels()]
        if unknown:
            known = ", ".join(label.name for label in self.labels())
            raise SchemeError(
                f"{what}: no label {', '.join(unknown)} in the project (labels: {known})"
            )
        return labels

    def _check_key(self, owner: str, key: str) -> str:
        owners = claim_key_owners(self.relation_types(), self.attribute_types(), other_than=owner)
        return _scheme_error(check_claim_key, self.labels(), owners, owner, key)

    def _checked_relation_type(self, relation_type: RelationType, old: str) -> RelationType:
        name = _scheme_error(
            check_word, relation_type.name, "relation name", "a relation needs a name"
        )
        self._check_unique(RELATION, old, name)
        return RelationType(
            name,
            self._check_labels(relation_type.head_labels, f"the relation {name}'s heads"),
            self._check_labels(relation_type.child_labels, f"the relation {name}'s children"),
            _scheme_error(check_color, relation_type.color),
            self._check_key(f"the relation {old}", relation_type.key),
            relation_type.description.strip(),
        )

    def _checked_attribute_type(self, attribute_type: AttributeType, old: str) -> AttributeType:
        name = _scheme_error(
            check_word, attribute_type.name, "attribute name", "an attribute needs a name"
        )
        self._check_unique(ATTRIBUTE, old, name)
        for value in attribute_type.values:
            _scheme_error(check_word, value, f"value of {name}", f"{name} has an empty value")
        (label,) = self._check_labels([attribute_type.label], f"the attribute {name}")
        return AttributeType(
            name,
            label,
            attribute_type.kind,
            attribute_type.values,
            attribute_type.default,
            self._check_key(f"the attribute {old}", attribute_type.key),
            attribute_type.description.strip(),
        )

    def _claim_event(
        self,
        by: str,
        action: str,
        before: RelationType | AttributeType | None,
        after: RelationType | AttributeType,
    ) -> None:
        if before == after:  # saved as it was (a merge, a form closed unchanged): no event
            return
        payload = {
            "before": claim_type_payload(before) if before else None,
            "after": claim_type_payload(after),
        }
        self._event(by, None, action, payload, now())


def _scheme_error(check: Callable[..., T], *args: Any) -> T:
    """``check(*args)`` with its ``LabelError`` as a ``SchemeError`` (the same words)."""
    try:
        return check(*args)
    except LabelError as error:
        raise SchemeError(str(error)) from None


def claim_type_payload(definition: RelationType | AttributeType) -> dict[str, object]:
    """A relation type or attribute as the events log (and ``--json``) writes it."""
    if isinstance(definition, RelationType):
        return {
            "name": definition.name,
            "from": list(definition.head_labels),
            "to": list(definition.child_labels),
            "color": definition.color,
            "key": definition.key,
            "description": definition.description,
        }
    return {
        "name": definition.name,
        "label": definition.label,
        "kind": definition.kind,
        "values": list(definition.values),
        "default": definition.default,
        "key": definition.key,
        "description": definition.description,
    }


def a_kind(kind: str) -> str:
    """``a relation``, ``an attribute``."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"
