"""Changes to the label scheme as undo commands of the annotation window: Ctrl+Z in the
window undoes a rename made in the Labels dialog as it undoes a span.

``SchemeChange`` pairs a change with its undo, both written through the ``Store``
(``storage/scheme.py`` and ``storage/claim_scheme.py`` return what each undo needs). A
change the rules refuse (``LabelError``: a key taken, a name in use; ``SchemeError``: stored
relations a relation type would no longer allow) is not an edit: nothing moves on the stack,
and the reason is kept in ``failure`` for the dialog to show. After a change the window
reloads its labels and claim keys (legend, keys, colours), the spans it shows, and the
review window its own.

Relation types and attributes change the same way (``save_claim_type``,
``delete_claim_type``): a deletion keeps every relation or value it took
(``RemovedClaimType``) and its undo puts them back with their ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotator.core.labels import LabelError, effective_keys, key_moves
from annotator.core.model import Label
from annotator.core.relations import AttributeType, RelationType, SchemeError
from annotator.core.text import counted
from annotator.storage import Store
from annotator.storage.claim_type_removal import RemovedClaimType
from annotator.storage.label_merging import LabelMerge
from annotator.ui.commands import StoreCommand, failure_message

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

Do = Callable[[Store], Any]
Undo = Callable[[Store, Any], object]


class SchemeChange(StoreCommand):
    """One change of the scheme: ``do(store)`` returns what ``undo(store, result)`` needs."""

    def __init__(self, window: MainWindow, text: str, do: Do, undo: Undo, label: str = ""):
        """``label``: the one the change gives a key, if any (its own key is said)."""
        super().__init__(text, window)
        self.window = window
        self.do = do
        self.undo_with = undo
        self.label = label
        self.result: Any = None
        self.failure = ""
        self._shown = False  # the first show is the change itself, later ones redo or undo
        self._before_do: dict[str, str] = {}  # the keys before the change, for its undo

    def try_write(self, forward: bool, on_stack: bool = False) -> bool:
        self.failure = ""
        try:
            return super().try_write(forward, on_stack)
        except (LabelError, SchemeError) as error:
            self.failure = failure_message(error)
            self.window.statusBar().showMessage(self.failure, 10_000)
            return False

    def labels_named(self) -> set[str] | None:
        return None  # renamed or merged elsewhere, its label may be gone: undone, refused

    def write(self, forward: bool) -> None:
        store = self.window.store
        before = effective_keys(store.labels())
        if forward:
            self._before_do = before
            self.result = self.do(store)
        else:
            self.undo_with(store, self.result)
        after = effective_keys(store.labels())
        moved = key_moves(before, after, self.label)
        if not forward:  # and a label the undo could not give back its key (another took it)
            told = {name for name, key in after.items() if before.get(name, key) != key}
            moved += key_moves(self._before_do, after, self.label, *told)
        if moved:
            self.window.show_problem("; ".join(moved))
        elif " answers to " in self.window.message_bar.text():
            # (a redo of the delete after its undo: "LOOT answers to 6" stayed, LOOT gone)
            self.window.message_bar.hide()

    def show(self, forward: bool) -> None:
        scheme_changed(self.window)
        if not self._shown:  # an undo or redo is told by the history (EditHistory._tell)
            said = self.text()[:1].upper() + self.text()[1:]
            self.window.statusBar().showMessage(said, 3000)
        self._shown = True


def push_change(window: MainWindow, change: SchemeChange, say: Callable[[str], None]) -> bool:
    """Make ``change`` (an undo command of ``window``) from a tab of the Labels dialog, which
    ``say``s why if it was refused (and says nothing once it is made)."""
    say("")
    done = window.push(change)
    if not done:
        say(change.failure or window.message_bar.text())
    return done


def scheme_changed(window: MainWindow) -> None:
    """The scheme changed (here, in another window or program): the window's labels, keys,
    colours, claim keys and the spans it shows under them follow, and so do the Labels
    dialog (``reload_labels``) and the review window (which shares the window's connection,
    so it sees no change of ``data_version`` to poll)."""
    from annotator.ui.review_window import ReviewWindow

    window.reload_labels()
    window.reload_from_store()
    if window.current is not None and not window.current.loading:
        window.view.redraw_spans(window.current.spans, window.current.confirmed)
        window.editor.refresh_span_list_soon()
    for review in window.findChildren(ReviewWindow):
        review.follower.follow_scheme()


# -- the changes -------------------------------------------------------------------------------


def add(window: MainWindow, label: Label) -> SchemeChange:
    who = window.annotator
    return SchemeChange(
        window,
        f"add label {label.name}",
        lambda store: store.add_label(label, by=who),
        lambda store, stored: store.delete_label(stored.name, by=who),
    )


def rename(window: MainWindow, old: str, new: str) -> SchemeChange:
    who = window.annotator
    return SchemeChange(
        window,
        f"rename {old} to {new}",
        lambda store: store.rename_label(old, new, by=who),
        lambda store, _: store.rename_label(new, old, by=who),
    )


def change(window: MainWindow, name: str, text: str, **fields: str) -> SchemeChange:
    """Change a label's ``kind``, ``color``, ``key`` or ``description``."""
    who = window.annotator

    def undo(store: Store, before: Label) -> None:
        store.change_label(
            name,
            kind=before.kind,
            color=before.color,
            key=before.key,
            description=before.description,
            by=who,
        )

    return SchemeChange(
        window, text, lambda store: store.change_label(name, by=who, **fields), undo, name
    )


def move(window: MainWindow, name: str, position: int) -> SchemeChange:
    who = window.annotator
    return SchemeChange(
        window,
        f"move {name}",
        lambda store: store.move_label(name, position, by=who),
        lambda store, old: store.move_label(name, old, by=who),
    )


def delete(window: MainWindow, name: str) -> SchemeChange:
    who = window.annotator
    return SchemeChange(
        window,
        f"delete label {name}",
        lambda store: store.delete_label(name, by=who),
        lambda store, deleted: store.restore_label(deleted, by=who),
    )


def merge(window: MainWindow, source: str, target: str) -> SchemeChange:
    who = window.annotator
    ids = window.history.ids

    def unmerge(store: Store, record: LabelMerge) -> None:
        # A span deleted and brought back since (by undo) has a new id: the one the
        # history knows it by now. By its old one it stayed the target's, and the undo
        # of the step before the merge was refused as "changed elsewhere".
        spans = [ids.current(i) or i for i in record.relabelled.get("spans", [])]
        kept = store.unmerge_label(
            replace(record, relabelled={**record.relabelled, "spans": spans}), by=who
        )
        if kept:  # (their links and values went with the old label, unsaid)
            window.show_problem(
                f"{counted(kept, 'span')} given a link or a value since that {source} may "
                f"not have {'stays' if kept == 1 else 'stay'} {target}"
            )

    return SchemeChange(
        window,
        f"merge {source} into {target}",
        lambda store: store.merge_label(source, target, by=who),
        unmerge,
    )


def adopt(window: MainWindow, names: list[str]) -> SchemeChange:
    who = window.annotator
    return SchemeChange(
        window,
        f"adopt {', '.join(names)}",
        lambda store: store.adopt_labels(names, by=who),
        lambda store, adopted: store.unadopt_labels([label.name for label in adopted], by=who),
    )


# -- relation types and attributes -------------------------------------------------------------

ClaimType = RelationType | AttributeType


def kind_of(definition: ClaimType) -> str:
    return "relation" if isinstance(definition, RelationType) else "attribute"


def save_claim_type(
    window: MainWindow, definition: ClaimType, replacing: str | None = None
) -> SchemeChange:
    """Add a relation type or attribute, or change one (``replacing``: its name before).

    Undoing an addition takes the type out with anything made of it since; redoing it puts
    that back too."""
    who = window.annotator
    kind = kind_of(definition)
    taken: list[RemovedClaimType] = []  # an addition as its undo took it out

    def save(store: Store, what: ClaimType, old: str | None) -> ClaimType | None:
        if isinstance(what, RelationType):
            return store.save_relation_type(what, replacing=old, by=who)
        return store.save_attribute_type(what, replacing=old, by=who)

    def do(store: Store) -> ClaimType | None:
        if taken:
            store.restore_claim_type(taken.pop(), by=who)
            return None
        return save(store, definition, replacing)

    def undo(store: Store, before: ClaimType | None) -> None:
        if before is not None:
            save(store, before, definition.name)
        elif kind == "relation":
            taken.append(store.take_relation_type(definition.name, by=who))
        else:
            taken.append(store.take_attribute_type(definition.name, by=who))

    old = replacing or definition.name
    if replacing is None and not _exists(window.store, definition):
        text = f"add {kind} {definition.name}"
    elif old != definition.name:
        text = f"rename {kind} {old} to {definition.name}"
    else:
        text = f"change {kind} {definition.name}"
    return SchemeChange(window, text, do, undo)


def delete_claim_type(window: MainWindow, kind: str, name: str) -> SchemeChange:
    """Delete a relation type (``kind`` ``relation``) or an attribute with every relation or
    value of it; the undo puts them all back."""
    who = window.annotator

    def do(store: Store) -> RemovedClaimType:
        if kind == "relation":
            return store.take_relation_type(name, by=who)
        return store.take_attribute_type(name, by=who)

    return SchemeChange(
        window,
        f"delete {kind} {name}",
        do,
        lambda store, removed: store.restore_claim_type(removed, by=who),
    )


def _exists(store: Store, definition: ClaimType) -> bool:
    types: list[RelationType] | list[AttributeType] = (
        store.relation_types() if isinstance(definition, RelationType) else store.attribute_types()
    )
    return any(t.name == definition.name for t in types)
