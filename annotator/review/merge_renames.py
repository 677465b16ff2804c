"""Labels OUT_DB renamed or merged after a copy was taken, followed by the copy's work.

A lead renames WEAPON to ARMS in the project; an annotator's copy, taken before, still says
WEAPON. Merged as it was, every article of the copy was "different work" (WEAPON is not
ARMS), and ``--newer`` could not choose: the rename left the spans' times as they were. So
before the merge plans anything, each input's labels are read through OUT_DB's renames and
label merges (its events ``rename_label``, ``merge_label``, ``unmerge_label``), unless the
input holds the same event: its copy was taken after, and its names are already the new ones.
"""

from __future__ import annotations

import json
from dataclasses import replace

from annotator.storage.merging import EventRecord, ProjectContent

SCHEME_CHANGES = ("rename_label", "merge_label", "unmerge_label")


def follow_renames(existing: ProjectContent, content: ProjectContent) -> dict[str, str]:
    """Rename, in ``content``, the labels OUT_DB (``existing``) renamed or merged into one
    of its labels since; returns what became what."""
    own = {label.name for label in existing.labels}
    seen = set(content.events)
    changes = [e for e in existing.events if e.action in SCHEME_CHANGES and e not in seen]
    if not changes:
        return {}
    used = {label.name for label in content.labels} | {
        record[2] for spans in content.spans.values() for record in spans
    }
    names = {}
    for name in sorted(used - own):
        now = _followed(name, changes)
        if now != name and now in own:
            names[name] = now
    if names:
        _rename(content, names)
    return names


def _followed(name: str, changes: list[EventRecord]) -> str:
    """What ``name`` is called after ``changes``, in order (an unmerge undoes its merge)."""
    merges: list[tuple[str, str]] = []
    for change in changes:
        payload = json.loads(change.payload)
        source, target = payload.get("from"), payload.get("to") or payload.get("into")
        if change.action == "unmerge_label":
            if name == target and merges and merges[-1] == (source, target):
                name = source
                merges.pop()
        elif name == source:
            name = target
            if change.action == "merge_label":
                merges.append((source, target))
    return name


def _rename(content: ProjectContent, names: dict[str, str]) -> None:
    def key(span):  # a span named by value (start, end, label), in relations and values
        return (*span[:2], names.get(span[2], span[2]))

    content.labels = [label for label in content.labels if label.name not in names]
    for spans in content.spans.values():
        spans[:] = [(*r[:2], names.get(r[2], r[2]), *r[3:]) for r in spans]
    for negatives in content.negatives.values():
        negatives[:] = [(*r[:2], names.get(r[2], r[2])) for r in negatives]
    for suggestions in content.suggestions.values():
        suggestions[:] = [replace(s, label=names.get(s.label, s.label)) for s in suggestions]
    claims = content.claims
    for relations in claims.relations.values():
        relations[:] = [(key(r[0]), key(r[1]), *r[2:]) for r in relations]
    for values in claims.attributes.values():
        values[:] = [(key(r[0]), *r[1:]) for r in values]
    for suggested in claims.suggested_relations.values():
        suggested[:] = [(key(r[0]), key(r[1]), r[2]) for r in suggested]
    for suggested_values in claims.suggested_attributes.values():
        suggested_values[:] = [(key(r[0]), *r[1:]) for r in suggested_values]
    claims.relation_types = [
        replace(
            t,
            head_labels=tuple(dict.fromkeys(names.get(n, n) for n in t.head_labels)),
            child_labels=tuple(dict.fromkeys(names.get(n, n) for n in t.child_labels)),
        )
        for t in claims.relation_types
    ]
    claims.attribute_types = [
        replace(t, label=names.get(t.label, t.label)) for t in claims.attribute_types
    ]
