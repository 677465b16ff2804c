"""Changes to the project's own actors as undo commands of the annotation window: Ctrl+Z
undoes a rename or a removal made in Project → Actors… as it undoes a span.

``ActorChange`` pairs a change with its undo, both written through the ``Store``
(``storage/project_actors.py``). A change is made to the actor as the project holds it when
written, and its undo only over the record it left (an old copy written back undid another
window's or ``annotator actors``' change without a word): one changed or removed elsewhere
since is ``ChangedElsewhere``, and the step leaves the history. A change the rules refuse
(``ActorError``: a name another actor has) is not an edit: nothing moves on the stack, and
the reason is kept in ``failure`` for the dialog to show. After a change
the window reads the actors again (the span list's "Refers to", the link dialog's search),
and the spans of the open article when a removal unlinked some.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotator.core.text import counted
from annotator.kb.actors import ActorError
from annotator.storage import Store
from annotator.storage.links import ProjectActorError
from annotator.storage.project_actors import (
    ActorChangedElsewhere,
    ActorEdit,
    RemovedActor,
    change_project_actor,
    edit_project_actor,
    remove_project_actor,
    restore_project_actor,
)
from annotator.ui.commands import ChangedElsewhere, StoreCommand, failure_message

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

Do = Callable[[Store], Any]
Undo = Callable[[Store, Any], object]


class ActorChange(StoreCommand):
    """One change of a project actor: ``do(store)`` returns what ``undo(store, result)``
    needs."""

    def __init__(self, window: MainWindow, text: str, do: Do, undo: Undo):
        super().__init__(text, window)
        self.window = window
        self.do = do
        self.undo_with = undo
        self.result: Any = None
        self.failure = ""
        self._shown = False  # the first show is the change itself, later ones redo or undo

    def try_write(self, forward: bool, on_stack: bool = False) -> bool:
        self.failure = ""
        try:
            return super().try_write(forward, on_stack)
        except (ActorError, ProjectActorError) as error:
            self.failure = failure_message(error)
            self.window.statusBar().showMessage(self.failure, 10_000)
            return False

    def write(self, forward: bool) -> None:
        try:
            if forward:
                self.result = self.do(self.window.store)
            else:
                self.undo_with(self.window.store, self.result)
        except ActorChangedElsewhere as error:  # for good: the step leaves the history
            raise ChangedElsewhere(str(error)) from None

    def show(self, forward: bool) -> None:
        actors_changed(self.window)
        if not self._shown:  # an undo or redo is told by the history (EditHistory._tell)
            said = self.text()[:1].upper() + self.text()[1:]
            self.window.statusBar().showMessage(said, 3000)
        self._shown = True


def actors_changed(window: MainWindow) -> None:
    """The project's actors changed here: the window, its review windows and the Actors
    dialog read them again (the links' names were the old ones until the project was
    reopened)."""
    show_actors_again(window)
    window.reload_from_store()  # a removal unlinked spans: the open article shows it


def show_actors_again(window: MainWindow) -> None:
    """Read the project's actors again where they are shown: the links, the review
    windows' entry names, the Actors dialog (also after another window or program changed
    them: ``window_follow.py``)."""
    from annotator.ui.actors_dialog import ActorsDialog
    from annotator.ui.review_links import EntryNames
    from annotator.ui.review_window import ReviewWindow

    window.entity_links.actors_changed()
    for review in window.findChildren(ReviewWindow):
        review.disagreement_model.entry_name = EntryNames(review.store).name
        review.reload_from_store()
    for dialog in window.findChildren(ActorsDialog):
        dialog.refresh()


# -- the changes -------------------------------------------------------------------------------


def change(window: MainWindow, text: str, kb_id: str, edit: ActorEdit) -> ActorChange:
    """Change the actor ``kb_id`` by ``edit`` (``kb.actor_edits``' rules) as the project
    holds it when written, a redo too; the undo puts back the record it replaced, refused
    if the actor was changed since."""
    who = window.annotator

    def put_back(store: Store, done: tuple[dict[str, Any], dict[str, Any]]) -> None:
        before, after = done
        change_project_actor(store, before, who, expected=after)

    return ActorChange(
        window, text, lambda store: edit_project_actor(store, kb_id, edit, who), put_back
    )


def remove(window: MainWindow, kb_id: str, name: str) -> ActorChange:
    """Remove the actor, its spans' links with it; the undo puts both back."""
    who = window.annotator
    ids = window.history.ids

    def restore(store: Store, removed: RemovedActor) -> None:
        # A span deleted and brought back since (by undo) has a new id: the history's.
        spans = [(ids.current(span_id) or span_id, status) for span_id, status in removed.spans]
        left = restore_project_actor(store, replace(removed, spans=spans), who)
        if left:
            window.show_problem(
                f"{counted(left, 'span')} linked elsewhere or deleted since "
                f"{'stays' if left == 1 else 'stay'} so, not linked to {name}"
            )

    return ActorChange(
        window,
        f"remove actor {name}",
        lambda store: remove_project_actor(store, kb_id, who, unlink=True),
        restore,
    )
