"""Renaming one value of an attribute (``low`` to ``weak``), or folding it into another:
every stored and suggested value follows, and so does the default. Changing the values with
``save_attribute_type`` refuses while any is stored under the old name."""

from __future__ import annotations

import json
from dataclasses import replace

from annotator.core.relations import AttributeType, SchemeError
from annotator.storage.base import now
from annotator.storage.claim_scheme import ClaimScheme, claim_type_payload
from annotator.storage.suggested_names import check_suggested_values_kept


class AttributeValueRenaming(ClaimScheme):
    def rename_attribute_value(
        self, name: str, old: str, new: str, by: str = ""
    ) -> tuple[AttributeType, int, int]:
        """``old`` becomes ``new`` in attribute ``name``: in its values (a ``new`` it has
        already takes ``old``'s values in), its default, and every value stored or suggested.
        Returns the attribute after, and how many stored and suggested values changed."""
        with self._writing():
            before = self.attribute_type(name)
            if old not in before.values:
                raise SchemeError(
                    f"{name} has no value {old!r} (its values: {', '.join(before.values)}); "
                    "nothing was changed"
                )
            if new == old:
                raise SchemeError(
                    f"{name}'s value {old!r} is called so already; nothing was changed"
                )
            twin = next(
                (v for v in before.values if v != new and v.casefold() == new.casefold()), None
            )
            if twin is not None and twin != old:
                raise SchemeError(
                    f"{name} has a value {twin!r} already: {new!r} differs from it only in "
                    f"case (rename {old} to {twin} to fold them); nothing was changed"
                )
            check_suggested_values_kept(self._db, name, set(before.values) - {old})
            values = tuple(dict.fromkeys(new if v == old else v for v in before.values))
            default = new if before.default == old else before.default
            after = self._checked_attribute_type(
                replace(before, values=values, default=default), name
            )
            counts = [
                self._db.execute(
                    f"UPDATE {table} SET value = ? WHERE name = ? AND value = ?", [new, name, old]
                ).rowcount
                for table in ("span_attributes", "suggested_attributes")
            ]
            self._db.execute(
                'UPDATE attribute_types SET "values" = ?, "default" = ? WHERE name = ?',
                [json.dumps(after.values), after.default, name],
            )
            payload = {
                "before": claim_type_payload(before),
                "after": claim_type_payload(after),
                "from": old,
                "to": new,
                "stored": counts[0],
                "suggested": counts[1],
            }
            self._event(by, None, "rename_attribute_value", payload, now())
        return after, counts[0], counts[1]
