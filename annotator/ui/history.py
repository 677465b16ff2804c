"""The undo history of a window, written through: an edit, an undo or a redo moves the
undo stack only once its write to the project succeeded.

``QUndoStack.push`` runs a command's ``redo`` and keeps the command whatever happened; its
``undo()`` moves the index before the command runs. ``EditHistory`` writes first
(``StoreCommand.try_write``) and moves the stack only then, so a write that fails (the
project busy, full or read-only) leaves the stack as it was, and the command tells the
window why. An undo or redo that can never succeed (what it changes was changed or deleted
in another window or program, ``commands.FOR_GOOD``) is dropped from the stack instead,
with a word: kept, it would stop the history there, every earlier step out of reach.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QStatusBar, QWidget

from annotator.core.model import Label
from annotator.ui.commands import SpanIds, StoreCommand
from annotator.ui.status_bar import FittingStatusBar
from annotator.ui.widgets import action_text, plain_tip


class EditHistory(QObject):
    """A window's ``QUndoStack`` (``stack``) and the ids of the spans its commands track."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self.ids = SpanIds()

    def push(self, command: StoreCommand) -> bool:
        """Write ``command`` and keep it for undo; ``False`` (nothing kept) if it failed."""
        if not command.try_write(True):
            return False
        # A new edit ends what was said of the one before ("Undone: add FACTION", "Select a
        # span first" stayed up for seconds beside the FACTION just made); what the edit
        # says itself comes after.
        if isinstance(bar := self._status_bar(), FittingStatusBar):
            bar.end_step_message()
        self.stack.push(command)  # its redo() shows what was written
        return True

    def undo(self) -> bool:
        index = self.stack.index()
        if index == 0:
            return False
        command = self.stack.command(index - 1)
        if isinstance(command, StoreCommand) and not command.try_write(False, on_stack=True):
            self._drop_if_for_good(command, self.stack.undo)
            return False
        self._told(self.stack.undo, f"Undone: {command.text()}")
        return True

    def redo(self) -> bool:
        index = self.stack.index()
        if index >= self.stack.count():
            return False
        command = self.stack.command(index)
        if isinstance(command, StoreCommand) and not command.try_write(True, on_stack=True):
            self._drop_if_for_good(command, self.stack.redo)
            return False
        self._told(self.stack.redo, f"Redone: {command.text()}")
        return True

    def _told(self, move: Callable[[], None], said: str) -> None:
        """``move`` the stack, then say what was undone or redone, unless the step said
        something itself: the message of the edit undone ("2 more mentions labelled") must
        not stay up."""
        bar = self._status_bar()
        before = bar.currentMessage() if bar is not None else None
        move()
        if bar is not None and bar.currentMessage() == before:
            bar.showMessage(said, 3000)

    def _status_bar(self) -> QStatusBar | None:
        window = self.parent()
        return window.statusBar() if isinstance(window, QMainWindow) else None

    def _drop_if_for_good(self, command: StoreCommand, move: Callable[[], None]) -> None:
        """A step whose undo or redo can never succeed (what it changes was changed for
        good elsewhere) would stop the history there: drop it, the steps around it kept.
        ``QUndoStack`` deletes an obsolete command instead of running it."""
        if command.dropped:
            command.setObsolete(True)
            move()
            # Qt does not announce a redo step dropped: the actions' texts follow by hand.
            self.stack.undoTextChanged.emit(self.stack.undoText())
            self.stack.redoTextChanged.emit(self.stack.redoText())
            self.stack.canRedoChanged.emit(self.stack.canRedo())

    def clear(self) -> None:
        self.stack.clear()
        self.ids.clear()

    def forget_if_labels_gone(self, before: Sequence[Label], after: Sequence[Label]) -> str:
        """The scheme changed elsewhere (another program, or the other window): if a step
        writes a label that was renamed, merged or deleted (``labels_named``), clear the
        history, since its steps would be refused or, redone, write spans of a label the
        scheme no longer has. Returns what to tell the annotator ("" if nothing was
        cleared)."""
        names = {label.name for label in after}
        gone = {label.name for label in before if label.name not in names}
        steps = [self.stack.command(i) for i in range(self.stack.count())]
        ours = [step for step in steps if isinstance(step, StoreCommand)]
        named = [step.labels_named() for step in ours]
        if not gone or not any(labels is None or labels & gone for labels in named):
            return ""  # no step writes a label that is gone: the history stays
        lost = sorted({step.lost_with_history for step in ours if step.lost_with_history})
        self.clear()
        which = ", ".join(sorted(gone))
        which = f"the label {which} was" if len(gone) == 1 else f"the labels {which} were"
        # (not "nothing saved is lost": a label deleted with --force took spans along)
        after_it = "; ".join(lost) if lost else "the article shows what the project holds"
        return f"Undo history cleared: {which} renamed or removed elsewhere; {after_it}"

    def make_actions(self, window: QWidget, prefix: str) -> tuple[QAction, QAction]:
        """Undo (Ctrl+Z) and redo (Ctrl+Shift+Z, Ctrl+Y) actions named ``<prefix>Undo`` and
        ``<prefix>Redo``, their text naming the edit, enabled when there is one."""
        made = []
        for verb, keys, slot, can, text_changed in (
            ("Undo", ["Ctrl+Z"], self.undo, self.stack.canUndo, self.stack.undoTextChanged),
            (
                "Redo",
                ["Ctrl+Shift+Z", "Ctrl+Y"],
                self.redo,
                self.stack.canRedo,
                self.stack.redoTextChanged,
            ),
        ):
            action = QAction(verb, window, objectName=f"{prefix}{verb}")
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, slot=slot: slot())
            action.setEnabled(can())
            (self.stack.canUndoChanged if verb == "Undo" else self.stack.canRedoChanged).connect(
                action.setEnabled
            )
            text_changed.connect(
                lambda text, action=action, verb=verb: _name_the_edit(action, verb, text)
            )
            window.addAction(action)
            made.append(action)
        return made[0], made[1]


def _name_the_edit(action: QAction, verb: str, text: str) -> None:
    """The menu and the tooltip name the edit; the toolbar's button says the verb (a long
    title in it pushed both buttons off the toolbar)."""
    # (its letter kept: Alt+E, U undoes; the menu's letters gave it U and Redo R)
    action.setText(f"&{verb} {action_text(text)}" if text else f"&{verb}")
    action.setToolTip(plain_tip(f"{verb} {text}") if text else verb)  # a title's "<b>" too
    action.setIconText(verb)
