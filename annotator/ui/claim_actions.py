"""The annotation window's claim actions, made from the project's scheme like the label
actions (``main_actions.label_rows``): per relation type ``actionRelation_<name>`` (choose,
its key) and ``actionRemoveRelation_<name>`` (``Shift`` + its key), per attribute
``actionAttribute_<name>`` (step the value). A key the window already uses is left out."""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtGui import QAction, QKeySequence

from annotator.ui.claim_links import ClaimLinks, heads_in_words
from annotator.ui.widgets import Act, action_text


def claim_rows(links: ClaimLinks, taken: set[str]) -> tuple[list[Act], list[str]]:
    """The actions of the scheme in ``links``, and the keys left out because ``taken``
    (key sequences as ``QKeySequence.toString`` writes them) has them already."""
    rows, clashes = [], []
    taken = set(taken)

    def keys(key: str, what: str) -> tuple[str, ...]:
        if not key:
            return ()
        if QKeySequence(key).toString() in taken:
            clashes.append(f"{key} ({what})")
            return ()
        taken.add(QKeySequence(key).toString())
        return (key,)

    for relation_type in links.relation_types:
        name, head = relation_type.name, heads_in_words(relation_type)
        rows.append(
            Act(
                f"actionRelation_{name}",
                f"Choose {action_text(name)}…",  # "Q&A" as written, no underline
                keys(relation_type.key, f"choose {name}"),
                lambda w, t=relation_type: w.claims.start_choosing(t),
                f"With a {head} selected: click its {name}, or select the words and press "
                "Enter (Esc cancels)",
            )
        )
        rows.append(
            Act(
                f"actionRemoveRelation_{name}",
                f"Remove {action_text(name)}s",
                keys(f"Shift+{relation_type.key}" if relation_type.key else "", f"remove {name}"),
                lambda w, t=relation_type: w.claims.remove_relations(t),
                f"Remove the selected {head}'s {name} links",
            )
        )
    for attribute_type in links.attribute_types:
        name = attribute_type.name
        rows.append(
            Act(
                f"actionAttribute_{name}",
                action_text(f"{name[:1].upper()}{name[1:]}: {' → '.join(attribute_type.values)}"),
                keys(attribute_type.key, name),
                lambda w, t=attribute_type: w.claims.step_attribute(t),
                attribute_type.description,
            )
        )
    return rows, clashes


def first_key(actions: Mapping[str, QAction], name: str) -> str:
    """The first key of the action ``name`` as ``QKeySequence.toString`` writes it, or ""."""
    action = actions.get(name)
    keys = action.shortcuts() if action is not None else []
    return keys[0].toString() if keys else ""


def keys_help(actions: Mapping[str, QAction], links: ClaimLinks) -> str:
    """The claim keys as the side panel lists them (rich text, names escaped)."""

    def key(name: str) -> str:
        return html.escape(first_key(actions, name))

    parts = []
    for t in links.relation_types:
        choose, remove = key(f"actionRelation_{t.name}"), key(f"actionRemoveRelation_{t.name}")
        if choose:
            parts.append(
                f"{choose} on a {html.escape(heads_in_words(t))}: click its {html.escape(t.name)} "
                "(or select words, Enter)" + (f" · {remove} unlink" if remove else "")
            )
    marks = [
        f"{key(f'actionAttribute_{t.name}')} {html.escape(t.name)}"
        for t in links.attribute_types
        if key(f"actionAttribute_{t.name}")
    ]
    if marks:
        parts.append(" · ".join(marks))
    return f"<small>{'<br>'.join(parts)}</small>" if parts else ""
