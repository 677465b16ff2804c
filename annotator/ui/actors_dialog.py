"""Project → Actors…: the actors the project added (the link dialog's New faction…), listed
and changed where the annotator works: a misspelt name, a missing other name or a wrong
country stayed for good.

A table of the project's actors (name, other names, countries, spans linked, id) with a
button and a key for each change: rename, add or take another name, countries, remove
(one spans are linked to asks first, saying how many lose their link). The rules are the
command line's (``annotator actors``, ``kb/actor_edits.py``); a refusal is said in the
dialog, nothing changed. Each change is made to the actor as the project holds it then,
not to the copy listed (another window's change since was undone by it), and is an undo
command of the window (``actor_commands.py``): Ctrl+Z, here or in the window, undoes it, a
removal with its links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError
from annotator.core.text import counted
from annotator.kb import actor_edits
from annotator.kb.actors import ActorKB
from annotator.kb.linking import project_kb
from annotator.storage.links import project_actors
from annotator.storage.project_actors import actor_link_counts
from annotator.ui import actor_commands
from annotator.ui.commands import WRITE_ERRORS, failure_message
from annotator.ui.conveniences import confirm_removal
from annotator.ui.dialog_parts import button_column, window_keys
from annotator.ui.widgets import plain_label, resize_within_screen

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

COLUMNS = ("Name", "Other names", "Countries", "Spans", "Id")
NONE_YET = "The project has no actors of its own: New faction… (Alt+N) in the link dialog adds one."


class ActorsDialog(QDialog):
    """The project's own actors; see the module docstring."""

    def __init__(self, window: MainWindow):
        super().__init__(window, objectName="actorsDialog")
        self.main_window = window
        self.setWindowTitle("Actors")
        # The id whole beside the names, where the screen has the room: at 920 px on an
        # 853-px screen the buttons read "Renam", "Countri", "Remov".
        resize_within_screen(self, 920, 320)
        self.records: list[dict[str, Any]] = []
        self.table = QTableWidget(0, len(COLUMNS), objectName="actorsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("The project's actors")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)  # (a name in two lines, cut in both)
        for column, width in enumerate((230, 190, 80, 50)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _: self.rename_selected())
        self.problem = plain_label(objectName="actorsProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #c62828;")
        buttons, self.buttons = button_column(
            "actors",
            (
                ("rename", "Rename…", "F2", self.rename_selected),
                ("alias", "Add other name…", "Ins", self.add_alias),
                ("unalias", "Take other name…", "Ctrl+Del", self.remove_alias),
                ("countries", "Countries…", "Ctrl+K", self.set_countries),
                ("remove", "Remove…", "Del", self.remove_selected),
            ),
            self,
        )
        window_keys(self, window)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.problem)

    # -- the list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the project's actors again, keeping the selected one selected."""
        window = self.main_window
        kept = self.selected_id()
        read = window.try_write(
            lambda: (project_actors(window.store), actor_link_counts(window.store))
        )
        self.records, links = read or ([], {})
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            cells = (
                record["name"],
                ", ".join(actor_edits.other_names(record)),
                ", ".join(record.get("countries", ())),
                str(links.get(record["id"], 0)),
                record["id"],
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        ids = [record["id"] for record in self.records]
        self.table.selectRow(ids.index(kept) if kept in ids else 0)
        for button in self.buttons.values():
            button.setEnabled(bool(self.records))
        if not self.records:
            self.say(NONE_YET, note=True)
        elif self.problem.text() == NONE_YET:  # (an undo brought one back: it stayed up)
            self.say("")

    def selected_id(self) -> str:
        row = self.table.currentRow()
        return self.records[row]["id"] if 0 <= row < len(self.records) else ""

    def links_of(self, kb_id: str) -> int:
        row = [record["id"] for record in self.records].index(kb_id)
        return int(self.table.item(row, 3).text())

    def say(self, problem: str, note: bool = False) -> None:
        """A refusal, in red; a ``note`` (there are none yet) in the usual colour, not read
        as an error."""
        self.problem.setStyleSheet("" if note else "color: #c62828;")
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    # -- the changes -------------------------------------------------------------------------

    def rename_selected(self, name: str | None = None) -> bool:
        record = self._selected()
        if record is None:
            return False
        if name is None:
            name = self._ask("Rename", f"New name of {record['name']}:", record["name"])
            if name is None:
                return False
        return self._edit(
            lambda held: f"rename actor {held} to {' '.join(name.split())}",
            lambda kb, now: actor_edits.renamed(kb, now, name),
        )

    def add_alias(self, alias: str | None = None) -> bool:
        record = self._selected()
        if record is None:
            return False
        if alias is None:
            alias = self._ask("Add other name", f"Another name of {record['name']}:", "")
            if alias is None:
                return False
        return self._edit(
            lambda held: f"give {held} the name {' '.join(alias.split())}",
            lambda kb, now: actor_edits.with_alias(kb, now, alias),
        )

    def remove_alias(self, alias: str | None = None) -> bool:
        record = self._selected()
        if record is None:
            return False
        if alias is None:
            others = actor_edits.other_names(record)
            if not others:
                self.say(f"{record['name']} has no other name")
                return False
            alias, ok = QInputDialog.getItem(
                self, "Take other name", f"Name {record['name']} no longer goes by:", others,
                0, False,
            )  # fmt: skip
            if not ok:
                return False
        return self._edit(
            lambda held: f"take the name {alias} from {held}",
            lambda kb, now: actor_edits.without_alias(now, alias),
        )

    def set_countries(self, countries: str | None = None) -> bool:
        record = self._selected()
        if record is None:
            return False
        if countries is None:
            now = ", ".join(record.get("countries", ()))
            countries = self._ask(
                "Countries", f"Countries of {record['name']}, by name or code (e.g. Syria, IQ):",
                now,
            )  # fmt: skip
            if countries is None:
                return False
        return self._edit(
            lambda held: f"set the countries of {held}",
            lambda kb, now: actor_edits.with_countries(now, countries),
        )

    def remove_selected(
        self, confirm: Callable[[QDialog, str, str], bool] = confirm_removal
    ) -> bool:
        """Remove the selected actor; one that spans are linked to only once the annotator
        agreed to their links going with it (as ``annotator actors --remove --force``)."""
        record = self._selected()
        if record is None:
            return False
        linked = self.links_of(record["id"])
        if linked:
            question = (
                f"Remove {record['name']} ({record['id']}) from the project's actors? "
                f"{counted(linked, 'span')} of the project {'is' if linked == 1 else 'are'} "
                "linked to it: they will refer to no entry.\n\n"
                "Edit → Undo (Ctrl+Z) puts it back with its links until this window closes."
            )
            if not confirm(self, question, "actor"):
                return False
        try:  # named as held now (renamed elsewhere while asked, it was said by its old name)
            records = project_actors(self.main_window.store)
            name = actor_edits.project_record(records, record["id"])["name"]
        except (*WRITE_ERRORS, AnnotatorError):
            name = record["name"]  # (the removal itself says what stops it)
        return self._push(actor_commands.remove(self.main_window, record["id"], name))

    # -- helpers -----------------------------------------------------------------------------

    def _selected(self) -> dict[str, Any] | None:
        self.say("")
        kb_id = self.selected_id()
        record = next((r for r in self.records if r["id"] == kb_id), None)
        if record is None:
            self.say(NONE_YET if not self.records else "Select an actor first")
        return record

    def _ask(self, title: str, question: str, text: str) -> str | None:
        answer, ok = QInputDialog.getText(self, title, question, text=text)
        return answer if ok else None

    def _edit(
        self, said: Callable[[str], str], change: Callable[[ActorKB, dict[str, Any]], dict]
    ) -> bool:
        """``change`` the selected actor as the project holds it (the copy listed here
        wrote back what another window or ``annotator actors`` had changed since): tried
        on a read now, so that the rules' refusal is said here, then in the write itself.
        ``said``: the change in words, of the actor's name as held then (the status bar said
        "Set the countries of" the name the actor had before ``annotator actors --rename``)."""
        window = self.main_window
        kb_id = self.selected_id()

        def edit(records: list[dict[str, Any]], record: dict[str, Any]) -> dict:
            return change(project_kb(records), record)

        try:
            records = project_actors(window.store)
            held = actor_edits.project_record(records, kb_id)
            edit(records, held)
        except WRITE_ERRORS as error:
            self.say(failure_message(error, "the actors"))
            return False
        except AnnotatorError as error:  # (a name another actor has, an unknown country)
            self.say(str(error)[:1].upper() + str(error)[1:])
            return False
        return self._push(actor_commands.change(window, said(held["name"]), kb_id, edit))

    def _push(self, change: actor_commands.ActorChange) -> bool:
        done = self.main_window.push(change)
        if not done:
            self.refresh()  # (changed elsewhere: listed as it is now)
            self.say(change.failure or self.main_window.message_bar.text())
        return done

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.setObjectName("")  # (not found by the next opening while it is deleted)
        super().closeEvent(event)
        self.deleteLater()


def show_actors(window: MainWindow) -> ActorsDialog:
    """Project → Actors…: the dialog beside the window (not modal), one at a time."""
    dialog = window.findChild(ActorsDialog, "actorsDialog")
    if dialog is None:
        dialog = ActorsDialog(window)
    dialog.say("")
    dialog.refresh()
    dialog.show()
    dialog.raise_()
    dialog.table.setFocus()  # F2, Ins, Del act on it at once
    return dialog
