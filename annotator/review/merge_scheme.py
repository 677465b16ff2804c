"""The label scheme a merge brings into OUT_DB, by the scheme's rules (``core/labels.py``).

Copies of a project change their schemes apart: two annotators each add a label, which both
get the next free key and colour; one adds an attribute with the key another's new label
took. Merged as they were, two labels answered to W and neither worked ("Ambiguous shortcut
overload" on standard error only), or the merge stopped with "choose another key", which a
merge cannot. So what OUT_DB lacks comes along with what the scheme allows: a key or colour
taken already stays behind, said in the report; what cannot be settled so (one name of two
kinds or definitions, two names that differ only in case) is a ``MergeConflict`` naming the
files, and nothing is merged.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.errors import AnnotatorError
from annotator.core.label_colours import next_color
from annotator.core.labels import claim_key_owners, effective_keys, key_owner
from annotator.core.model import Label
from annotator.core.relations import AttributeType, RelationType
from annotator.storage.merge_reading import ProjectContent


class MergeConflict(AnnotatorError):
    """Two projects hold different work under one name; the message names both files."""


def plan_scheme(
    existing: ProjectContent,
    contents: list[ProjectContent],
    plan: ProjectContent,
    notes: list[str],
) -> None:
    """Put into ``plan`` the labels, relation types and attributes OUT_DB (``existing``)
    lacks, and into ``notes`` what of them stayed behind."""
    _plan_labels(existing, contents, plan, notes)
    _plan_claim_scheme(existing, contents, plan, notes)


def _plan_labels(
    existing: ProjectContent,
    contents: list[ProjectContent],
    plan: ProjectContent,
    notes: list[str],
) -> None:
    kinds = {label.name: (label.kind, existing.path) for label in existing.labels}
    cased = {label.name.casefold(): (label.name, existing.path) for label in existing.labels}
    scheme = list(existing.labels)
    claim_keys = claim_key_owners(existing.claims.relation_types, existing.claims.attribute_types)
    for content in contents:
        for label in content.labels:
            if label.name in kinds:
                if kinds[label.name][0] != label.kind:
                    kind, path = kinds[label.name]
                    raise MergeConflict(
                        f"label {label.name} is of kind {kind} in {path} "
                        f"but {label.kind} in {content.path}; nothing was merged"
                    )
                continue
            if twin := cased.get(label.name.casefold()):
                raise MergeConflict(
                    f"label {label.name} of {content.path} and {twin[0]} of {twin[1]} differ "
                    "only in case: rename one (annotator labels DB rename) and merge again; "
                    "nothing was merged"
                )
            key = label.key.upper()
            owner = _label_owner(scheme, key) or claim_keys.get(key)
            if key and owner is not None:
                label = replace(label, key="")
                free = effective_keys([*scheme, label])[label.name]
                instead = f"it answers to {free}" if free else "it has no key"
                notes.append(
                    f"{label.name} added without its key {key} ({owner} has it): {instead}"
                )
            if label.color in {other.color for other in scheme}:
                colour = next_color(scheme)
                notes.append(f"{label.name} added as {colour}: its colour {label.color} is taken")
                label = replace(label, color=colour)
            kinds[label.name] = (label.kind, content.path)
            cased[label.name.casefold()] = (label.name, content.path)
            scheme.append(label)
            plan.labels.append(label)


def _label_owner(scheme: list[Label], key: str) -> str | None:
    owner = key_owner(scheme, key)
    return f"the label {owner}" if owner is not None else None


def _plan_claim_scheme(
    existing: ProjectContent,
    contents: list[ProjectContent],
    plan: ProjectContent,
    notes: list[str],
) -> None:
    """Relation types and attributes OUT_DB lacks; ``MergeConflict`` if one name has two
    definitions (other labels, other values). A key a label or another type has already
    stays behind."""
    labels = [*existing.labels, *plan.labels]
    claims = existing.claims
    for part, what in (("relation_types", "relation"), ("attribute_types", "attribute")):
        known = {t.name: (_definition(t), existing.path) for t in getattr(existing.claims, part)}
        for content in contents:
            for defined in getattr(content.claims, part):
                if defined.name in known:
                    if known[defined.name][0] != _definition(defined):
                        raise MergeConflict(
                            f"{what} {defined.name} is defined differently in "
                            f"{known[defined.name][1]} and in {content.path}; nothing was "
                            "merged"
                        )
                    continue
                taken = claim_key_owners(
                    [*claims.relation_types, *plan.claims.relation_types],
                    [*claims.attribute_types, *plan.claims.attribute_types],
                )
                key = defined.key.upper()
                owner = _label_owner(labels, key) or taken.get(key)
                if key and owner is not None:
                    notes.append(
                        f"{what} {defined.name} added without its key {key} ({owner} has it)"
                    )
                    defined = replace(defined, key="")
                known[defined.name] = (_definition(defined), content.path)
                getattr(plan.claims, part).append(defined)


def _definition(scheme_type: RelationType | AttributeType) -> tuple[object, ...]:
    """What must agree between projects: the labels and values, not colours or keys."""
    if isinstance(scheme_type, RelationType):
        return (set(scheme_type.head_labels), set(scheme_type.child_labels))
    return (scheme_type.label, scheme_type.kind, set(scheme_type.values), scheme_type.default)
