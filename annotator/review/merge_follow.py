"""What OUT_DB changed since an input was copied from it, followed by the input before the
merge plans anything; and annotator names an input spells in another case.

- Labels: a lead renames WEAPON to ARMS in the project; an annotator's copy, taken before,
  still says WEAPON. Merged as it was, every article of the copy was "different work"
  (WEAPON is not ARMS), and ``--newer`` could not choose: the rename left the spans' times
  as they were. So each input's labels are read through OUT_DB's changes to them (its
  events ``rename_label``, ``merge_label``, ``unmerge_label``, and ``delete_label`` with
  ``--force``, whose spans the copy then loses too), unless the input holds the same event:
  its copy was taken after, and its names are already the new ones. A name OUT_DB made
  again since (a new WEAPON after the old one became ARMS) is the old one in a copy taken
  before (``follow_renames``).
- Articles OUT_DB removed since are left out of the input with the work on them
  (``leave_out_removed``).
- "Ann3" of a copy is the project's "ann3" (``follow_spellings``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from annotator.core.labels import label_after
from annotator.core.text import counted
from annotator.storage.merge_reading import ProjectContent


def follow_out_db(
    existing: ProjectContent, contents: list[ProjectContent]
) -> tuple[list[str], list[str]]:
    """Each input read through what OUT_DB (``existing``) changed since it was copied, and
    with OUT_DB's spelling of its annotators' names; what to say of it: (notes on labels,
    other notes)."""
    label_notes: list[str] = []
    notes: list[str] = []
    for content in contents:  # a copy taken before OUT_DB renamed a label: its new name
        for old, new in follow_renames(existing, content).items():
            label_notes.append(
                f"{old} of {content.path} taken as {new} (renamed since)"
                if new is not None
                else f"{old} of {content.path} left out with its spans (deleted since)"
            )
    for content in contents:
        removed = leave_out_removed(existing, content)
        if removed:
            shown = ", ".join(removed[:5]) + (
                f" and {len(removed) - 5} more" if len(removed) > 5 else ""
            )
            notes.append(
                f"{counted(len(removed), 'article')} of {content.path} left out with the work "
                f"on {'them' if len(removed) > 1 else 'it'}: removed from "
                f"{existing.path.name} since ({shown}); `annotator import` brings an article "
                "back"
            )
    known = {name for name, _ in existing.work()} | {e.annotator for e in existing.events}
    for content in contents:
        for old, new in sorted(follow_spellings(known, content).items()):
            notes.append(f"{old} of {content.path} taken as {new}, the project's spelling")
    return label_notes, notes


SCHEME_CHANGES = ("rename_label", "merge_label", "unmerge_label", "delete_label", "restore_label")


#: A scheme event as read once: (action, its payload, whether the input holds it too).
Change = tuple[str, Any, bool]


def follow_renames(existing: ProjectContent, content: ProjectContent) -> dict[str, str | None]:
    """Rename, in ``content``, the labels OUT_DB (``existing``) renamed or merged since,
    and drop those it deleted with their spans; returns what became what (``None``: gone)."""
    own = {label.name for label in existing.labels}
    seen = set(content.events)
    log: list[Change] = [  # the scheme's changes and additions, in order, read once
        (e.action, json.loads(e.payload), e in seen)
        for e in existing.events
        if e.action in (*SCHEME_CHANGES, "add_label")
    ]
    changes = [c for c in log if c[0] in SCHEME_CHANGES and not c[2]]
    if not changes:
        return {}
    used = {label.name for label in content.labels} | {
        record[2] for spans in content.spans.values() for record in spans
    }
    names: dict[str, str | None] = {}
    for name in sorted(used):
        now = label_after(name, [(action, payload) for action, payload, _ in changes])
        # Only what OUT_DB's scheme shows: the name is gone from it, or made again since.
        # (Its log also holds the changes earlier merges brought from other copies: one
        # annotator's rename in their own copy relabelled another's spans.)
        if (
            now != name
            and (now is None or now in own)
            and (name not in own or _made_again(name, log))
        ):
            names[name] = now
    if names:
        _rename(content, names)
    return names


def _made_again(name: str, log: list[Change]) -> bool:
    """Whether a label ``name`` was added to the scheme after a change the input lacks took
    the old one away (renamed, merged or deleted)."""
    gone = next(
        (
            i
            for i, (action, payload, held) in enumerate(log)
            if not held and action not in ("add_label", "restore_label") and _about(payload) == name
        ),
        None,
    )
    return gone is not None and any(
        action == "add_label" and _about(payload) == name for action, payload, _ in log[gone + 1 :]
    )


def _about(payload: Any) -> str | None:
    """The label a scheme event is about: the one renamed, merged, deleted or added."""
    label = payload.get("label")
    return label.get("name") if isinstance(label, dict) else payload.get("from")


def _rename(content: ProjectContent, names: dict[str, str | None]) -> None:
    renamed = {old: new for old, new in names.items() if new is not None}
    gone = {old for old, new in names.items() if new is None}

    def label(old: str) -> str:
        return renamed.get(old, old)

    def key(span):  # a span named by value (start, end, label), in relations and values
        return (*span[:2], label(span[2]))

    def kept(*spans) -> bool:
        return not any(span[2] in gone for span in spans)

    content.labels = [item for item in content.labels if item.name not in names]
    for spans in content.spans.values():
        spans[:] = [(*r[:2], label(r[2]), *r[3:]) for r in spans if kept(r)]
    for negatives in content.negatives.values():
        negatives[:] = [(*r[:2], label(r[2])) for r in negatives if kept(r)]
    for suggestions in content.suggestions.values():
        suggestions[:] = [
            replace(s, label=label(s.label)) for s in suggestions if s.label not in gone
        ]
    claims = content.claims
    for relations in claims.relations.values():
        relations[:] = [(key(r[0]), key(r[1]), *r[2:]) for r in relations if kept(r[0], r[1])]
    for values in claims.attributes.values():
        values[:] = [(key(r[0]), *r[1:]) for r in values if kept(r[0])]
    for suggested in claims.suggested_relations.values():
        suggested[:] = [(key(r[0]), key(r[1]), r[2]) for r in suggested if kept(r[0], r[1])]
    for suggested_values in claims.suggested_attributes.values():
        suggested_values[:] = [(key(r[0]), *r[1:]) for r in suggested_values if kept(r[0])]
    claims.relation_types = [
        replace(
            t,
            head_labels=tuple(dict.fromkeys(label(n) for n in t.head_labels if n not in gone)),
            child_labels=tuple(dict.fromkeys(label(n) for n in t.child_labels if n not in gone)),
        )
        for t in claims.relation_types
    ]
    claims.attribute_types = [replace(t, label=label(t.label)) for t in claims.attribute_types]


def follow_spellings(known: set[str], content: ProjectContent) -> dict[str, str]:
    """Take, in ``content``, each annotator name that differs only in case from one of
    ``known`` (OUT_DB's, then the inputs merged before) as that spelling, as the window and
    ``assign`` take it: "Ann3" of a copy and "ann3" of the project were two annotators,
    with an agreement figure between them. Returns what became what; ``known`` grows by
    the input's names."""
    spelled = {name.casefold(): name for name in sorted(known)}
    names = {annotator for annotator, _ in content.work()} | {e.annotator for e in content.events}
    taken = {  # (a copy that holds both spellings itself keeps them: its own two people)
        name: spelled[name.casefold()]
        for name in names
        if name not in known
        and name.casefold() in spelled
        and spelled[name.casefold()] not in names
    }
    if taken:

        def rekey(table: dict) -> None:
            for annotator, text_hash in [key for key in table if key[0] in taken]:
                table[(taken[annotator], text_hash)] = table.pop((annotator, text_hash))

        for table in (content.spans, content.statuses, content.negatives):
            rekey(table)
        rekey(content.claims.relations)
        rekey(content.claims.attributes)
        content.events = [
            replace(e, annotator=taken.get(e.annotator, e.annotator)) for e in content.events
        ]
    known |= {taken.get(name, name) for name in names}
    return taken


def leave_out_removed(existing: ProjectContent, content: ProjectContent) -> list[str]:
    """Leave out of ``content`` the articles OUT_DB removed since the copy was taken (its
    ``remove_article`` events the input lacks; one imported again since is OUT_DB's again),
    with everything on them: each merge of an older copy brought the article back under a
    new id, unsaid. Returns their titles (or text hashes)."""
    seen = set(content.events)
    gone = {
        payload["text_hash"]: payload.get("title") or payload["text_hash"][:12]
        for event in existing.events
        if event.action == "remove_article" and event not in seen
        if (payload := json.loads(event.payload)).get("text_hash") in content.articles
    }
    gone = {
        text_hash: title for text_hash, title in gone.items() if text_hash not in existing.articles
    }
    if not gone:
        return []
    for table in (content.spans, content.statuses, content.negatives):
        for key in [key for key in table if key[1] in gone]:
            del table[key]
    claims = content.claims
    for by_annotator in (claims.relations, claims.attributes):
        for key in [key for key in by_annotator if key[1] in gone]:
            del by_annotator[key]
    for by_model in (
        content.suggestions,
        content.preannotated,
        content.provenance,
        claims.suggested_relations,
        claims.suggested_attributes,
    ):
        for key in [key for key in by_model if key[0] in gone]:
            del by_model[key]
    for text_hash in gone:
        del content.articles[text_hash]
    content.events = [e for e in content.events if e.text_hash not in gone]
    return sorted(gone.values())
