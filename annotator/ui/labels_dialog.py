"""Project → Labels…: the project's label scheme, changed where the annotator works.

A table of the labels (key, name, kind, colour, spans, description) with a button and a key
for each change: add, rename, colour, key, describe, kind, move up and down, delete (only
an unused label; for one in use it says how much uses it and offers to merge), merge into
another. Below it, the labels imported files brought that the scheme lacks, to adopt or
merge. Each change is an undo command of the window (``scheme_commands.py``), applied at
once: the window's legend, keys and colours follow, and Ctrl+Z (here or in the window)
undoes it. A change the rules refuse is said in the dialog, nothing changed.

Tabs after the first hold the other parts of the scheme (``SCHEME_TABS``): the relation
types and claim attributes (``relation_scheme_tab.py``). Each tab's keys act in that tab
only. The dialog follows the window's project: a change made elsewhere, or another project
opened, shows at once (``MainWindow.reload_labels`` refreshes it).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.label_colours import colour_clash
from annotator.core.labels import (
    LabelError,
    check_keeps_its_name,
    check_key,
    check_name,
)
from annotator.core.model import CLAIM_KIND, ENTITY_KIND, Label
from annotator.storage.scheme import LabelUsage
from annotator.ui import scheme_commands
from annotator.ui.article_list import fixed_columns
from annotator.ui.dialog_parts import button_column, window_keys
from annotator.ui.label_scheme_model import LabelSchemeModel
from annotator.ui.labels_outside import OutsideLabels
from annotator.ui.relation_scheme_tab import RelationSchemeTab, relations_tab
from annotator.ui.scheme_commands import SchemeChange, push_change
from annotator.ui.widgets import make_table, plain_label, resize_within_screen

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: How long the window's edits must pause before the span counts are read again.
COUNTS_AFTER_MS = 300

#: More tabs of the dialog: each makes ``(title, widget)`` for the window; a widget with a
#: ``refresh()`` method is refreshed with the dialog.
SCHEME_TABS: list[Callable[[MainWindow], tuple[str, QWidget]]] = []
#: The tab relation types and claim attributes are edited in (``relation_scheme_tab.py``).
RELATIONS_TAB = "Relations and attributes"


class LabelsDialog(QDialog):
    """The label scheme of the window's project; see the module docstring."""

    def __init__(self, window: MainWindow):
        super().__init__(window, objectName="labelsDialog")
        self.main_window = window
        self.setWindowTitle("Labels")
        self.model = LabelSchemeModel()
        self.table = make_table(self.model, "labelsTable")
        self.table.setAccessibleName("Labels")
        fixed_columns(self.table, [40, 130, 60, 90, 54, None])
        self.table.doubleClicked.connect(lambda _: self.rename_selected())
        self.problem = plain_label(objectName="labelsProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #c62828;")

        page = QWidget(objectName="labelsPage")
        buttons, self.buttons = button_column(
            "labels",
            (
                ("add", "Add…", "Ins", self.add_label),
                ("rename", "Rename…", "F2", self.rename_selected),  # and Enter, below
                ("color", "Colour…", "Ctrl+K", self.recolour_selected),
                ("key", "Key…", "Ctrl+Shift+K", self.rekey_selected),
                ("describe", "Describe…", "Ctrl+D", self.describe_selected),
                ("kind", "Entity / claim", "Ctrl+T", self.toggle_kind),
                ("up", "Move up", "Ctrl+Up", lambda: self.move_selected(-1)),
                ("down", "Move down", "Ctrl+Down", lambda: self.move_selected(1)),
                ("merge", "Merge into…", "Ctrl+M", self.merge_selected),
                ("delete", "Delete", "Del", self.delete_selected),
            ),
            page,
            tab_only=True,  # the other tabs have their own Ins, F2, Del
        )
        window_keys(self, window)

        self.outside_box = OutsideLabels(lambda: self.adopt(), lambda: self.merge_outside())
        self.outside, self.outside_text = self.outside_box.list, self.outside_box.text

        table_row = QHBoxLayout()
        table_row.addWidget(self.table, 1)
        table_row.addLayout(buttons)
        layout = QVBoxLayout(page)
        layout.addLayout(table_row, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.outside_box)
        self.tabs = QTabWidget(objectName="labelsTabs", accessibleName="Scheme")
        self.tabs.addTab(page, "Labels")
        self.pages: dict[str, QWidget] = {}
        for make in SCHEME_TABS:
            title, widget = make(window)
            self.tabs.addTab(widget, title)
            self.pages[title] = widget
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)
        # Enter is no button's: in a dialog the first button (Add…) took it, and Enter on a
        # selected label asked for a new one. On the Labels tab it renames, as F2 does (the
        # other tabs' Enter changes the selected type).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        for key in ("Return", "Enter"):
            rename = QAction(page, shortcut=QKeySequence(key))
            rename.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            rename.triggered.connect(lambda _=False: self.rename_selected())
            page.addAction(rename)
        resize_within_screen(self, 820, 520)
        # The window's own edits change the span counts: read once they pause.
        self._counts_soon = QTimer(self, singleShot=True, interval=COUNTS_AFTER_MS)
        self._counts_soon.timeout.connect(self.refresh)
        self.refresh()

    # -- reading -----------------------------------------------------------------------------

    def window_edited(self) -> None:
        """The annotation window wrote spans or a status: the counts follow."""
        self._counts_soon.start()

    def refresh(self) -> None:
        """Show the scheme as the project holds it now, keeping the selected label."""
        selected = self.selected()
        store = self.main_window.store
        labels, keys = store.labels(), store.label_keys()
        if (labels, keys) != (self.model.rows, self.model.keys):
            # (a refusal naming a label renamed or deleted since stayed beside its new name)
            self.say("")
        self.model.set_scheme(labels, keys, store.label_usage())
        if selected is not None:
            self.select(selected.name)
        self.outside_box.show_labels(store.labels_outside_scheme())
        for page in self.pages.values():
            refresh = getattr(page, "refresh", None)
            if refresh is not None:
                refresh()

    def selected(self) -> Label | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.table.selectRow(row)

    def say(self, problem: str) -> None:
        self.problem.setText(problem[:1].upper() + problem[1:])

    # -- changes -----------------------------------------------------------------------------

    def apply(self, change: SchemeChange) -> bool:
        """Make ``change`` (an undo command of the window); say why if it was refused."""
        return push_change(self.main_window, change, self.say)

    def _selected_or_say(self) -> Label | None:
        label = self.selected()
        if label is None:
            self.say("Select a label first.")
        return label

    def add_label(self, name: str | None = None, kind: str = ENTITY_KIND) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, "Add a label", "Name of the new label:")
            if not ok:
                return False
        try:
            check_name(name)
        except AnnotatorError as error:
            self.say(str(error))
            return False
        if self.apply(scheme_commands.add(self.main_window, Label(name, kind))):
            self.select(name)
            return True
        return False

    def _program_label(self, name: str, change: str) -> bool:
        """Say so, before asking anything, if ``name`` is one of the program's own labels
        (``check_keeps_its_name``): they are not renamed, merged, deleted or re-kinded."""
        try:
            check_keeps_its_name(name, change)
        except LabelError as refusal:
            self.say(str(refusal))
            return True
        return False

    def rename_selected(self, new: str | None = None) -> bool:
        label = self._selected_or_say()
        if label is None or self._program_label(label.name, "renamed"):
            return False
        if new is None:
            new, ok = QInputDialog.getText(
                self, "Rename", f"New name of {label.name}:", text=label.name
            )
            if not ok or new == label.name:
                return False
        if self.apply(scheme_commands.rename(self.main_window, label.name, new)):
            self.select(new)
            return True
        return False

    def recolour_selected(self, color: QColor | None = None) -> bool:
        label = self._selected_or_say()
        if label is None:
            return False
        if color is None:
            color = QColorDialog.getColor(QColor(label.color), self, f"Colour of {label.name}")
            if not color.isValid():
                return False
        text = f"recolour {label.name}"
        done = self.apply(
            scheme_commands.change(self.main_window, label.name, text, color=color.name())
        )
        clash = colour_clash(self.main_window.store.labels(), label.name) if done else ""
        if clash:
            self.say(clash)
        return done

    def rekey_selected(self, key: str | None = None) -> bool:
        label = self._selected_or_say()
        if label is None:
            return False
        if key is None:
            asked = f"Key of {label.name} (a letter A–Z or a digit; empty: a free digit):"
            key, ok = QInputDialog.getText(
                self, "Key", asked, text=self.model.keys.get(label.name, "")
            )
            if not ok:
                return False
        try:  # said at once, before the change is tried
            store = self.main_window.store
            check_key(store.labels(), label.name, key, store.claim_key_owners())
        except AnnotatorError as error:
            self.say(str(error))
            return False
        text = (
            f"give {label.name} the key {key.upper()}"
            if key
            else f"take {label.name}'s own key away (a free digit then)"
        )
        return self.apply(scheme_commands.change(self.main_window, label.name, text, key=key))

    def describe_selected(self, description: str | None = None) -> bool:
        label = self._selected_or_say()
        if label is None:
            return False
        if description is None:
            description, ok = QInputDialog.getMultiLineText(
                self, "Describe", f"What {label.name} marks (shown on its button):",
                label.description,
            )  # fmt: skip
            if not ok:
                return False
        text = f"describe {label.name}"
        return self.apply(
            scheme_commands.change(self.main_window, label.name, text, description=description)
        )

    def toggle_kind(self) -> bool:
        label = self._selected_or_say()
        if label is None or self._program_label(label.name, "made another kind"):
            return False
        kind = CLAIM_KIND if label.kind == ENTITY_KIND else ENTITY_KIND
        text = f"make {label.name} a {kind} label"
        return self.apply(scheme_commands.change(self.main_window, label.name, text, kind=kind))

    def move_selected(self, step: int) -> bool:
        label = self._selected_or_say()
        if label is None:
            return False
        row = self.model.row_of(label.name)
        target = row + step
        if not 0 <= target < len(self.model.rows):
            return False
        if self.apply(scheme_commands.move(self.main_window, label.name, target)):
            self.select(label.name)
            return True
        return False

    def delete_selected(self) -> bool:
        label = self._selected_or_say()
        if label is None or self._program_label(label.name, "deleted"):
            return False
        usage = self.main_window.store.label_usage().get(label.name, LabelUsage())
        if usage.used:
            self.say(
                f"{label.name} is used by {usage.describe()}: it cannot be deleted here. "
                "Merge it into another label instead (Merge into…), or delete them with it "
                f"for good: {_delete_command(self.main_window.store.path, label.name)}."
            )
            self.buttons["merge"].setFocus()
            return False
        return self.apply(scheme_commands.delete(self.main_window, label.name))

    def merge_selected(self, target: str | None = None) -> bool:
        label = self._selected_or_say()
        return label is not None and self._merge(label.name, target)

    def merge_outside(self, source: str | None = None, target: str | None = None) -> bool:
        if source is None:
            chosen = self.outside_box.chosen(every=False)
            if not chosen:
                return False
            source = chosen[0]
        return self._merge(source, target)

    def _merge(self, source: str, target: str | None) -> bool:
        if self._program_label(source, "merged into another label"):
            return False
        others = [label.name for label in self.model.rows if label.name != source]
        if target is None:
            usage = self.main_window.store.label_usage().get(source, LabelUsage())
            target, ok = QInputDialog.getItem(
                self, "Merge",
                f"Relabel everything of {source} ({usage.describe()}) as:", others, 0, False,
            )  # fmt: skip
            if not ok:
                return False
        return self.apply(scheme_commands.merge(self.main_window, source, target))

    def adopt(self, names: list[str] | None = None) -> bool:
        if names is None:
            names = self.outside_box.chosen(every=True)
        if not names:
            return False
        return self.apply(scheme_commands.adopt(self.main_window, names))

    @property
    def relations(self) -> RelationSchemeTab:
        """The "Relations and attributes" tab."""
        page = self.pages[RELATIONS_TAB]
        assert isinstance(page, RelationSchemeTab)
        return page

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if getattr(self.main_window, "labels_dialog", None) is self:
            self.main_window.labels_dialog = None
        super().closeEvent(event)
        # A child of the window: kept, each opening left a whole dialog behind (98 widgets,
        # about 2 MB), all day long.
        self.deleteLater()


def show_labels(window: MainWindow) -> LabelsDialog:
    """Project → Labels…: the dialog beside the window (not modal), one at a time."""
    dialog = getattr(window, "labels_dialog", None)
    if dialog is None:
        dialog = LabelsDialog(window)
        window.labels_dialog = dialog
    elif not dialog.isVisible():  # put away by Esc: its last refusal was kept for the next
        dialog.say("")
    dialog.refresh()
    dialog.show()
    dialog.raise_()
    dialog.table.setFocus()  # Ins, F2, Del act on it at once (the tab bar had the focus)
    return dialog


SCHEME_TABS.append(relations_tab)


def _delete_command(project: Path | None, name: str) -> str:
    """The command that deletes a used label with its spans, for this project, to paste."""
    where = shlex.quote(str(project)) if project is not None else "DB"
    return f"annotator labels {where} delete {shlex.quote(name)} --force"
