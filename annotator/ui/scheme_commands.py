"""Changes to the label scheme as undo commands of the annotation window: Ctrl+Z in the
window undoes a rename made in the Labels dialog as it undoes a span.

``SchemeChange`` pairs a change with its undo, both written through the ``Store``
(``storage/scheme.py`` returns what each undo needs). A change the rules refuse
(``LabelError``: a key taken, a name in use) is not an edit: nothing moves on the stack,
and the reason is kept in ``failure`` for the dialog to show. After a change the window
reloads its labels (legend, keys, colours) and the spans it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.core.labels import LabelError
from annotator.core.model import Label
from annotator.storage import Store
from annotator.ui.commands import StoreCommand, failure_message

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

Do = Callable[[Store], Any]
Undo = Callable[[Store, Any], object]


class SchemeChange(StoreCommand):
    """One change of the scheme: ``do(store)`` returns what ``undo(store, result)`` needs."""

    def __init__(self, window: MainWindow, text: str, do: Do, undo: Undo):
        super().__init__(text, window)
        self.window = window
        self.do = do
        self.undo_with = undo
        self.result: Any = None
        self.failure = ""
        self._shown = False  # the first show is the change itself, later ones redo or undo

    def try_write(self, forward: bool) -> bool:
        self.failure = ""
        try:
            return super().try_write(forward)
        except LabelError as error:
            self.failure = failure_message(error)
            self.window.statusBar().showMessage(self.failure, 10_000)
            return False

    def write(self, forward: bool) -> None:
        store = self.window.store
        if forward:
            self.result = self.do(store)
        else:
            self.undo_with(store, self.result)

    def show(self, forward: bool) -> None:
        scheme_changed(self.window)
        said = self.text()[:1].upper() + self.text()[1:]
        if self._shown:
            said = f"{'Redone' if forward else 'Undone'}: {self.text()}"
        self._shown = True
        self.window.statusBar().showMessage(said, 3000)


def scheme_changed(window: MainWindow) -> None:
    """The scheme changed (here, in another window or program): the window's labels, keys,
    colours, and the spans it shows under them, follow."""
    window.reload_labels()
    window.reload_from_store()
    if window.current is not None and not window.current.loading:
        window.view.redraw_spans(window.current.spans, window.current.confirmed)
        window.editor.refresh_span_list_soon()
    dialog = getattr(window, "labels_dialog", None)
    if dialog is not None:
        dialog.refresh()


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
        window, text, lambda store: store.change_label(name, by=who, **fields), undo
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
    return SchemeChange(
        window,
        f"merge {source} into {target}",
        lambda store: store.merge_label(source, target, by=who),
        lambda store, record: store.unmerge_label(record, by=who),
    )


def adopt(window: MainWindow, names: list[str]) -> SchemeChange:
    who = window.annotator
    return SchemeChange(
        window,
        f"adopt {', '.join(names)}",
        lambda store: store.adopt_labels(names, by=who),
        lambda store, adopted: store.unadopt_labels([label.name for label in adopted], by=who),
    )
