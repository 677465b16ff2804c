"""Merging one label into another and adopting the labels imported files brought: the
label scheme's changes that relabel the data (``scheme.py`` has the others and the rules).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.label_colours import next_color
from annotator.core.labels import LabelError, check_name
from annotator.core.model import CLAIM_KIND, ENTITY_KIND, Label
from annotator.storage import saved_rows
from annotator.storage.label_deletion import DeletedLabel, LabelDeletion
from annotator.storage.saved_rows import SavedRows
from annotator.storage.scheme import LABEL_COLUMNS, first_free_key, label_payload


@dataclass(frozen=True)
class LabelMerge:
    """What ``merge_label(source, target)`` changed, for ``unmerge_label``.

    ``relabelled``: per table of ``LABEL_COLUMNS``, the rowids whose label became
    ``target``; ``removed``: the rows deleted because the very same row with ``target``
    existed already (one span stays where an annotator had the stretch under both labels),
    with the relations and values that hung on them, parents first; ``claim_scheme``: the
    relation types and attributes that named ``source``, as they were (they name
    ``target`` after the merge).
    """

    source: str
    target: str
    deleted: DeletedLabel | None  # the source's place in the scheme, if it had one
    relabelled: dict[str, list[int]] = field(default_factory=dict)
    removed: list[SavedRows] = field(default_factory=list)
    claim_scheme: list[SavedRows] = field(default_factory=list)
    #: Relations and values moved from a removed twin to the row that stays: (table,
    #: column, rowid, the twin's id, the kept row's id).
    moved: list[tuple[str, str, int, int, int]] = field(default_factory=list)

    @property
    def spans(self) -> int:
        """How many spans now carry the target label instead of the source's."""
        return len(self.relabelled.get("spans", [])) + sum(
            len(rows) for rows in self.removed if rows.table == "spans"
        )


class LabelMerging(LabelDeletion):
    # -- merging -----------------------------------------------------------------------------

    def merge_label(self, source: str, target: str, by: str = "") -> LabelMerge:
        """Relabel everything of ``source`` as ``target`` and take ``source`` out of the
        scheme; returns the record ``unmerge_label`` undoes it with.

        ``source`` may be a label only the data has (from an imported file). Where an
        annotator (or a model) has the same stretch under both labels, one span stays.
        Merging a claim label into an entity label is refused if one of its spans would
        overlap another entity span; entity into entity creates no overlap that was not
        one already (both were entities), and claims may overlap anything. Relation types
        and attributes that name ``source`` name ``target`` instead, so the relations and
        values of its spans stay.
        """
        with self._writing():
            labels = self.labels()
            target_label = self.label(target)
            usage = self.label_usage()
            source_label = next((label for label in labels if label.name == source), None)
            if source_label is None and source not in usage:
                self.label(source)  # raises, naming the labels there are
            if source == target:
                raise LabelError(f"{source} cannot be merged into itself")
            source_kind = source_label.kind if source_label else ENTITY_KIND
            if source_kind == CLAIM_KIND and target_label.kind == ENTITY_KIND:
                clashes = self._entity_overlaps(source, labels, as_label=target)
                if clashes:
                    raise LabelError(
                        f"{source} spans would overlap entity spans {clashes} times once "
                        f"merged into {target} (LOCATION and FACTION never overlap)"
                    )
            # First the claim scheme: the spans' relabel trigger then finds their relations
            # and values allowed on the target.
            claim_scheme = self._merge_in_claim_scheme(source, target)
            moved = [
                *self._move_to_twins("spans", ("article_id", "annotator"), source, target),
                *self._move_to_twins("suggestions", ("article_id", "model"), source, target),
            ]
            removed = [
                *self._take_duplicates("spans", ("article_id", "annotator"), source, target),
                *self._take_duplicates("suggestions", ("article_id", "model"), source, target),
                *self._take_duplicates(
                    "known_negatives", ("article_id", "annotator"), source, target
                ),
            ]
            relabelled = {}
            for table, column in LABEL_COLUMNS:
                rowids = [
                    row[0]
                    for row in self._db.execute(
                        f"SELECT rowid FROM {table} WHERE {column} = ?", [source]
                    )
                ]
                self._db.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [target, source]
                )
                relabelled[table] = rowids
            deleted = self._drop_label(source_label) if source_label else None
            record = LabelMerge(
                source,
                target,
                deleted,
                relabelled,
                [rows for rows in removed if rows.rows],
                claim_scheme,
                moved,
            )
            self._scheme_event(
                by,
                "merge_label",
                {
                    "from": source,
                    "into": target,
                    "relabelled": {t: len(ids) for t, ids in relabelled.items()},
                    "removed": {rows.table: len(rows) for rows in removed},
                },
            )
        return record

    def unmerge_label(self, merge: LabelMerge, by: str = "") -> int:
        """Undo ``merge_label``: the source label back in its place, the rows it relabelled
        back to it, the rows it removed back with their ids. Rows changed or deleted since
        (in another window) are left as they are now, and so are spans given a relation or a
        value since that the source label may not have: returns how many of those."""
        with self._writing():
            if merge.deleted is not None:
                self._check_new_name(self.labels(), merge.source)
                self._insert_label(merge.deleted.label, merge.deleted.position)
            for rows in merge.claim_scheme:  # before the spans, as in the merge
                names = [row[rows.columns.index("name")] for row in rows.rows]
                self._db.execute(
                    f"DELETE FROM {rows.table} WHERE name IN ({','.join('?' * len(names))})",
                    names,
                )
                saved_rows.put_back(self._db, rows)
            for table, column in LABEL_COLUMNS:
                rowids = merge.relabelled.get(table, [])
                # A span given since a link or a value the source label may not have (a
                # claim's polarity, its source, in another window) stays the target's: the
                # relabel took them away, unsaid.
                unless = _KEEPS_WHAT_SINCE if table == "spans" else ""
                for chunk in range(0, len(rowids), 500):
                    ids = rowids[chunk : chunk + 500]
                    self._db.execute(
                        f"UPDATE {table} SET {column} = ? WHERE {column} = ? "
                        f"AND rowid IN ({','.join('?' * len(ids))}){unless}",
                        [merge.source, merge.target, *ids, *[merge.source] * unless.count("?")],
                    )
            for rows in merge.removed:
                saved_rows.put_back(self._db, rows)
            for table, column, rowid, twin, kept in merge.moved:  # back to the twin, now back
                self._db.execute(
                    f"UPDATE OR IGNORE {table} SET {column} = ? WHERE rowid = ? AND {column} = ?",
                    [twin, rowid, kept],
                )
            self._scheme_event(by, "unmerge_label", {"from": merge.source, "into": merge.target})
            # (what still has the target's label of what the merge relabelled: those kept)
            spans = merge.relabelled.get("spans", [])
            return sum(
                self._db.execute(
                    f"SELECT COUNT(*) FROM spans WHERE label = ? "
                    f"AND rowid IN ({','.join('?' * len(chunk))})",
                    [merge.target, *chunk],
                ).fetchone()[0]
                for chunk in (spans[i : i + 500] for i in range(0, len(spans), 500))
            )

    # -- adopting ----------------------------------------------------------------------------

    def adopt_labels(self, names: Iterable[str] | None = None, by: str = "") -> list[Label]:
        """Add to the scheme the labels the data uses but the scheme lacks (``names``, or
        all of them), as entity labels with the next colours and free keys; returns them.

        A name the rules refuse (a space in it) stops them all: rename it first.
        """
        with self._writing():
            outside = self.labels_outside_scheme()
            wanted = list(outside) if names is None else list(dict.fromkeys(names))
            for name in wanted:
                if name not in outside:
                    in_scheme = any(label.name == name for label in self.labels())
                    raise LabelError(
                        f"{name} is in the scheme already: nothing to adopt"
                        if in_scheme
                        else f"{name!r} is not a label of the project's spans outside the scheme"
                    )
                try:
                    check_name(name)
                except LabelError as error:
                    raise LabelError(f"{error}; rename it first") from None
                # A name is unique case aside: "rifle" beside RIFLE is the same label.
                folded = name.casefold()
                twin = next((x for x in self.labels() if x.name.casefold() == folded), None)
                if twin is not None:
                    raise LabelError(
                        f"{name} differs from the scheme's {twin.name} only in case: merge it "
                        f"into {twin.name}"
                    )
                # ... and two adopted at once: WEG and weg both came in.
                other = next((x for x in wanted if x != name and x.casefold() == folded), None)
                if other is not None:
                    raise LabelError(
                        f"{name} and {other} differ only in case, one label: adopt one ({name}), "
                        f"then merge the other ({other}) into it"
                    )
            adopted = []
            for name in wanted:
                labels = self.labels()
                label = Label(name, ENTITY_KIND, next_color(labels), first_free_key(labels))
                self._insert_label(label, self._end_position())
                adopted.append(label)
                self._label_cache = None
            if adopted:
                self._scheme_event(
                    by, "adopt_labels", {"labels": [label_payload(label) for label in adopted]}
                )
        return adopted

    def unadopt_labels(self, names: Sequence[str], by: str = "") -> None:
        """Take adopted labels out of the scheme again (their spans keep them, outside it)."""
        with self._writing():
            for name in names:
                label = next((label for label in self.labels() if label.name == name), None)
                if label is not None:
                    self._drop_label(label)
                    self._label_cache = None
            self._scheme_event(by, "unadopt_labels", {"labels": list(names)})

    def _merge_in_claim_scheme(self, source: str, target: str) -> list[SavedRows]:
        """Relation types and attributes that name ``source`` name ``target`` instead;
        returns their rows as they were."""
        before = []
        for table, where in (
            (
                "relation_types",
                "EXISTS (SELECT 1 FROM json_each(head_labels) WHERE value = :label) "
                "OR EXISTS (SELECT 1 FROM json_each(child_labels) WHERE value = :label)",
            ),
            ("attribute_types", "label = :label"),
        ):
            rows = saved_rows.read(self._db, table, where, {"label": source})
            if rows.rows:
                before.append(rows)
        self._db.execute("UPDATE attribute_types SET label = ? WHERE label = ?", [target, source])
        for name, heads, children in self._db.execute(
            "SELECT name, head_labels, child_labels FROM relation_types"
        ).fetchall():
            merged = [
                json.dumps(
                    list(dict.fromkeys(target if label == source else label
                                       for label in json.loads(labels)))
                )
                for labels in (heads, children)
            ]  # fmt: skip
            if merged != [heads, children]:
                self._db.execute(
                    "UPDATE relation_types SET head_labels = ?, child_labels = ? WHERE name = ?",
                    [*merged, name],
                )
        return before

    def _move_to_twins(
        self, table: str, owner: tuple[str, str], source: str, target: str
    ) -> list[tuple[str, str, int, int, int]]:
        """Where a ``source`` row of ``table`` has its very twin with the ``target`` label
        (the twin stays, it goes), move the relations and values that hang on it to the
        twin: they were deleted with it (a RUMOUR's sources, merged into CLAIM where the
        annotator had a CLAIM on the same words). One the twin has already stays once."""
        pairs = self._db.execute(
            f"SELECT s.id, t.id FROM {table} s JOIN {table} t "
            f"ON {_same_stretch(owner, 't', 's')} WHERE s.label = ? AND t.label = ?",
            [source, target],
        ).fetchall()
        moved = []
        for ref in saved_rows.references_to(self._db, table):
            column = saved_rows.quote(ref.column)
            for twin, kept in pairs:
                rowids = self._db.execute(
                    f"SELECT rowid FROM {ref.table} WHERE {column} = ?", [twin]
                ).fetchall()
                for (rowid,) in rowids:
                    cursor = self._db.execute(
                        f"UPDATE OR IGNORE {ref.table} SET {column} = ? WHERE rowid = ?",
                        [kept, rowid],
                    )
                    if cursor.rowcount:
                        moved.append((ref.table, column, rowid, twin, kept))
        return moved

    def _take_duplicates(
        self, table: str, owner: tuple[str, str], source: str, target: str
    ) -> list[SavedRows]:
        """Delete (and return) the ``source`` rows of ``table`` whose very twin with the
        ``target`` label exists, for the same owner (annotator or model), and before them
        the rows that hang on them (relations, values): parents first."""
        where = (
            f"label = ? AND EXISTS (SELECT 1 FROM {table} t "
            f"WHERE {_same_stretch(owner, 't', table)} AND t.label = ?)"
        )
        params = [source, target]
        hanging = []
        for ref in saved_rows.references_to(self._db, table):
            column, parent_column = (
                saved_rows.quote(ref.column),
                saved_rows.quote(ref.parent_column),
            )
            hanging.append(
                saved_rows.take(
                    self._db,
                    ref.table,
                    f"{column} IN (SELECT {parent_column} FROM {table} WHERE {where})",
                    params,
                )
            )
        return [saved_rows.take(self._db, table, where, params), *hanging]


def _same_stretch(owner: tuple[str, str], one: str, other: str) -> str:
    """SQL: rows ``one`` and ``other`` have one owner (article and annotator, or model)
    and the same stretch of text: twins, but for their labels."""
    first, second = owner
    return (
        f"{one}.{first} = {other}.{first} AND {one}.{second} = {other}.{second} "
        f'AND {one}.start = {other}.start AND {one}."end" = {other}."end"'
    )


#: Of the spans an unmerge would give the source label back (``?``: that label), those that
#: would lose a relation or a value by it: none of them is changed.
_KEEPS_WHAT_SINCE = """
    AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.head = spans.id AND NOT EXISTS (
        SELECT 1 FROM relation_types t, json_each(t.head_labels) a
         WHERE t.name = r.label AND a.value = ?))
    AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.child = spans.id AND NOT EXISTS (
        SELECT 1 FROM relation_types t, json_each(t.child_labels) a
         WHERE t.name = r.label AND a.value = ?))
    AND NOT EXISTS (SELECT 1 FROM span_attributes v WHERE v.span_id = spans.id AND NOT EXISTS (
        SELECT 1 FROM attribute_types t WHERE t.name = v.name AND t.label = ?))"""
