"""Deleting a label from the scheme, and putting it back (the undo): a label in use goes
only with ``force``, and then everything that carries it goes with it, for good."""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator.core.label_colours import next_color
from annotator.core.labels import LabelError
from annotator.core.model import Label
from annotator.storage.scheme import LABEL_COLUMNS, LabelUsage, Scheme, label_payload


@dataclass(frozen=True, slots=True)
class DeletedLabel:
    """A label taken out of the scheme, and where it stood (and what of it was deleted with
    it, by ``delete_label(force=True)``: not given back by ``restore_label``)."""

    label: Label
    position: int
    usage: LabelUsage = LabelUsage()


class LabelDeletion(Scheme):
    def delete_label(self, name: str, by: str = "", *, force: bool = False) -> DeletedLabel:
        """Take an unused label out of the scheme; returns it with its place, for
        ``restore_label``. A label in use: ``LabelError`` saying how much uses it, unless
        ``force``: then its spans (everyone's, gold's), suggestions and rejections go too,
        with the relations and values on them, for good (``DeletedLabel.usage`` counts
        them). A label a relation type joins or an attribute applies to: ``LabelError``
        naming them."""
        with self._writing():
            usage = self.label_usage().get(name, LabelUsage())
            outside = usage.used and name not in self.label_kinds()
            if outside and not force:
                raise LabelError(
                    f"{name} is not in the project's scheme but {usage.describe()} use it: "
                    "--force deletes them with it (or merge it into a label, or adopt it)"
                )
            # (a label the spans use and the scheme lacks, imported: its spans go alone)
            label = Label(name, "entity") if outside else self.label(name)
            if usage.used and not force:
                raise LabelError(
                    f"{name} is used by {usage.describe()}: merge it into another label "
                    "instead of deleting it, or delete them with it (--force)"
                )
            named_by = self.claim_types_naming(name)
            if named_by:
                raise LabelError(
                    f"{name} is named by {', '.join(named_by)}: change or delete "
                    f"{'them' if len(named_by) > 1 else 'it'} first (Relations and attributes)"
                )
            for table, column in LABEL_COLUMNS:  # (their relations and values: triggers)
                self._db.execute(f"DELETE FROM {table} WHERE {column} = ?", [name])
            if outside:
                deleted = DeletedLabel(label, -1, usage)
            else:
                deleted = replace(self._drop_label(label), usage=usage)
            payload: dict[str, object] = {"label": label_payload(label)}
            if usage.used:
                payload["removed"] = usage.describe()
            self._scheme_event(by, "delete_label", payload)
        return deleted

    def restore_label(self, deleted: DeletedLabel, by: str = "") -> None:
        """Put a deleted label back where it was (the undo of ``delete_label``)."""
        with self._writing():
            labels = self.labels()
            self._check_new_name(labels, deleted.label.name)
            label = deleted.label
            # Its key given to another label since, it comes back without one; a digit a
            # label without a key of its own only answers to by its place goes back to it
            # (the undo of a delete took WEAPON's own 5 away for RUMOUR's borrowed one).
            if label.key and (
                any(
                    other.key.upper() == label.key.upper()
                    for other in labels
                    if other.key and other.name != label.name
                )
                or label.key.upper() in self.claim_key_owners()
            ):
                label = replace(label, key="")
            # Its colour given to a label added since: another, or their spans looked the same.
            if any(other.color.lower() == label.color.lower() for other in labels):
                label = replace(label, color=next_color(labels))
            self._insert_label(label, deleted.position)
            self._scheme_event(by, "restore_label", {"label": label_payload(label)})

    def _drop_label(self, label: Label) -> DeletedLabel:
        position = [item.name for item in self.labels()].index(label.name)
        self._db.execute("DELETE FROM labels WHERE name = ?", [label.name])
        # Positions stay 0..n-1, so a restored label goes back exactly where it was.
        remaining = [item.name for item in self.labels() if item.name != label.name]
        self._db.executemany(
            "UPDATE labels SET position = ? WHERE name = ?",
            [(index, name) for index, name in enumerate(remaining)],
        )
        self._label_cache = None
        return DeletedLabel(label, position)
