"""Project → Labels… → Relations and attributes: the relation types (which labels a relation
goes from and to: a claim and its source) and the claim attributes (polarity, hedged,
quote…) of the project's scheme, added, changed and deleted where the labels are.

Two tables with their buttons and keys (``Ins`` add, ``F2`` / ``Enter`` / a double click
change, ``Del`` delete: they act on the table that has the focus). Each change is an undo
step of the annotation window (``scheme_commands.save_claim_type`` /
``delete_claim_type``), applied at once: the window's claim keys, the side panel's key
list, its tags and the review window follow. Deleting a type that holds relations or values
says how many and asks first; its undo brings them all back. A form checks names and keys
as it closes (a key is one letter no label, other type or window action has:
``core/labels.py``); what the project refuses (stored relations a narrower type would no
longer allow) is said in the tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.labels import LabelError, check_claim_key, check_word, claim_key_owners
from annotator.core.relations import AttributeType, RelationType
from annotator.storage.claim_scheme import a_kind
from annotator.ui.article_list import fixed_columns
from annotator.ui.relation_scheme_editor import AttributeTypeEditor, RelationTypeEditor
from annotator.ui.relation_scheme_models import (
    AttributeTypeModel,
    ClaimTypeModel,
    RelationTypeModel,
)
from annotator.ui.scheme_commands import (
    ClaimType,
    SchemeChange,
    delete_claim_type,
    kind_of,
    push_change,
    save_claim_type,
)
from annotator.ui.widgets import make_table, message_box, plain_label

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

RELATION, ATTRIBUTE = "relation", "attribute"
EXPLANATION = (
    "Relation types join two spans (a claim and its source); attributes mark a label's spans "
    "(a claim's polarity). In the annotation window a relation's key chooses it on the "
    "selected span and Shift + its key removes it; an attribute's key steps its value."
)


class RelationSchemeTab(QWidget):
    """The scheme's relation types and attributes; see the module docstring."""

    def __init__(self, window: MainWindow):
        super().__init__(objectName="relationsTab")
        self.main_window = window
        self.models: dict[str, ClaimTypeModel] = {
            RELATION: RelationTypeModel(),
            ATTRIBUTE: AttributeTypeModel(),
        }
        self.tables: dict[str, QTableView] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.problem = plain_label(objectName="relationsProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #e53935;")  # readable on light and dark
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(EXPLANATION, wordWrap=True))
        for kind, title, widths in (
            (RELATION, "Relation types", [40, 100, 110, 150, 60, None]),
            (ATTRIBUTE, "Claim attributes", [40, 90, 70, 60, 120, 70, 60, None]),
        ):
            layout.addWidget(plain_label(title, styleSheet="font-weight: 600;"))
            layout.addWidget(self._section(kind, widths), 1)
        layout.addWidget(self.problem)

    def _section(self, kind: str, widths: list[int | None]) -> QWidget:
        section = QWidget(objectName=f"{kind}Section")
        table = make_table(self.models[kind], f"{kind}TypesTable")
        table.setAccessibleName(f"{kind.capitalize()} types")
        fixed_columns(table, widths)
        table.doubleClicked.connect(lambda _: self.edit(kind))
        self.tables[kind] = table
        buttons = QVBoxLayout()
        for action, text, keys in (
            ("add", "Add…", ("Ins",)),
            ("edit", "Change…", ("F2", "Return")),
            ("delete", "Delete", ("Del",)),
        ):
            button = QPushButton(text, objectName=f"{kind}s_{action}")
            button.setToolTip(f"{text.rstrip('…')} {a_kind(kind)} ({', '.join(keys)})")

            # Looked up when pressed, not bound now: what the key does is the tab's method.
            def slot(kind: str = kind, action: str = action) -> None:
                getattr(self, action)(kind)

            button.clicked.connect(lambda _=False, slot=slot: slot())
            # The keys act on this table only: the labels' tab has the same ones.
            shortcut = QAction(section)
            shortcut.setShortcuts([QKeySequence(key) for key in keys])
            shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.triggered.connect(lambda _=False, slot=slot: slot())
            section.addAction(shortcut)
            buttons.addWidget(button)
            self.buttons[f"{kind}_{action}"] = button
        buttons.addStretch(1)
        row = QHBoxLayout(section)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(table, 1)
        row.addLayout(buttons)
        return section

    # -- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the types as the project holds them now, keeping the selection."""
        store = self.main_window.store
        for kind, types, usage in (
            (RELATION, store.relation_types(), store.relation_type_usage()),
            (ATTRIBUTE, store.attribute_types(), store.attribute_type_usage()),
        ):
            selected = self.selected(kind)
            self.models[kind].set_types(types, usage)
            if selected is not None:
                self.select(kind, selected.name)

    def selected(self, kind: str) -> ClaimType | None:
        rows = self.tables[kind].selectionModel().selectedRows()
        return self.models[kind].rows[rows[0].row()] if rows else None

    def select(self, kind: str, name: str) -> None:
        row = self.models[kind].row_of(name)
        if row >= 0:
            self.tables[kind].selectRow(row)

    def say(self, problem: str) -> None:
        self.problem.setText(problem[:1].upper() + problem[1:])

    # -- changes -----------------------------------------------------------------------------

    def apply(self, change: SchemeChange) -> bool:
        """Make ``change`` (an undo command of the window); say why if it was refused."""
        return push_change(self.main_window, change, self.say)

    def add(self, kind: str, definition: ClaimType | None = None) -> bool:
        """Add a relation type or attribute: ``definition``, or what the form is given."""
        if definition is None:
            definition = self._ask(kind, None)
            if definition is None:
                return False
        else:
            problem = self.check(definition, None)
            if problem:
                self.say(problem)
                return False
        if self.apply(save_claim_type(self.main_window, definition)):
            self.select(kind, definition.name)
            return True
        return False

    def edit(self, kind: str, definition: ClaimType | None = None) -> bool:
        """Change the selected type into ``definition`` (or what the form is given)."""
        before = self._selected_or_say(kind)
        if before is None:
            return False
        if definition is None:
            definition = self._ask(kind, before)
            if definition is None or definition == before:
                return False
        else:
            problem = self.check(definition, before.name)
            if problem:
                self.say(problem)
                return False
        change = save_claim_type(self.main_window, definition, replacing=before.name)
        if self.apply(change):
            self.select(kind, definition.name)
            return True
        return False

    def delete(self, kind: str, confirm: bool | None = None) -> bool:
        """Delete the selected type with what it holds: asked first when it holds something
        (``confirm`` answers for the question)."""
        chosen = self._selected_or_say(kind)
        if chosen is None:
            return False
        store = self.main_window.store
        usage = (
            store.relation_type_usage() if kind == RELATION else store.attribute_type_usage()
        ).get(chosen.name)
        if usage is not None and usage.used:
            if confirm is None:
                box = message_box(
                    self,
                    QMessageBox.Icon.Question,
                    "Delete",
                    f"Delete the {kind} {chosen.name} and everything of it: {usage.describe()}?",
                    "Ctrl+Z (here or in the window) brings them back.",
                    name="deleteClaimTypeQuestion",
                )
                box.setStandardButtons(
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
                )
                box.setDefaultButton(QMessageBox.StandardButton.Cancel)
                confirm = box.exec() == QMessageBox.StandardButton.Yes
            if not confirm:
                return False
        return self.apply(delete_claim_type(self.main_window, kind, chosen.name))

    def check(self, definition: ClaimType, old: str | None) -> str:
        """Why ``definition`` cannot replace ``old`` (``None``: be added), or ``""``: the
        rules of names, labels and keys, asked before the change is tried."""
        store = self.main_window.store
        kind = kind_of(definition)
        relations, attributes = store.relation_types(), store.attribute_types()
        existing = relations if kind == RELATION else attributes
        owner = f"the {kind} {old or definition.name}"
        try:
            check_word(definition.name, f"{kind} name", f"{a_kind(kind)} needs a name")
            for other in existing:
                if other.name != old and other.name.casefold() == definition.name.casefold():
                    return f"the scheme has {a_kind(kind)} {other.name} already"
            if isinstance(definition, RelationType):
                if not definition.head_labels:
                    return "choose the labels the relation goes from (its head: the claim)"
                if not definition.child_labels:
                    return "choose the labels the relation goes to (its child: the source)"
            else:
                for value in definition.values:
                    check_word(value, f"value of {definition.name}", "a value is empty")
            owners = claim_key_owners(relations, attributes, other_than=owner)
            check_claim_key(store.labels(), owners, owner, definition.key)
        except LabelError as error:
            return str(error)
        return ""

    def _ask(self, kind: str, before: ClaimType | None) -> ClaimType | None:
        """The form for ``kind``, filled with ``before``; what it holds when accepted."""
        labels = self.main_window.store.labels()
        old = before.name if before is not None else None

        def check(definition: RelationType | AttributeType) -> str:
            return self.check(definition, old)

        form: RelationTypeEditor | AttributeTypeEditor
        if kind == RELATION:
            assert before is None or isinstance(before, RelationType)
            form = RelationTypeEditor(self, labels, check, before)
        else:
            assert before is None or isinstance(before, AttributeType)
            form = AttributeTypeEditor(self, labels, check, before)
        accepted = form.exec() == form.DialogCode.Accepted
        definition = form.definition() if accepted else None
        form.deleteLater()
        return definition

    def _selected_or_say(self, kind: str) -> ClaimType | None:
        chosen = self.selected(kind)
        if chosen is None:
            self.say(f"Select {a_kind(kind)} first.")
        return chosen


def relations_tab(window: MainWindow) -> tuple[str, QWidget]:
    """The Labels dialog's "Relations and attributes" tab (``labels_dialog.SCHEME_TABS``)."""
    from annotator.ui.labels_dialog import RELATIONS_TAB

    tab = RelationSchemeTab(window)
    tab.refresh()
    return RELATIONS_TAB, tab
