"""The forms that add or change one relation type or one attribute, opened from the Labels
dialog's "Relations and attributes" tab.

Each form checks what it can before it closes (``check``: the tab's rules, the same as the
store's), so a refused key or name is said where it was typed and nothing typed is lost;
what only the project can judge (stored relations a narrower type would leave out) is said
by the tab after the change is tried.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Label
from annotator.core.relations import ATTRIBUTE_KINDS, FLAG, AttributeType, RelationType
from annotator.ui.widgets import plain_label

#: What a form asks of its definition before it closes: ``""`` when fine, else why not.
Check = Callable[[RelationType | AttributeType], str]


class _Form(QDialog):
    """A form with a problem line and OK / Cancel; ``accept`` runs ``check`` first."""

    def __init__(self, parent: QWidget | None, title: str, check: Check, name: str):
        super().__init__(parent, objectName=name)
        self.setWindowTitle(title)
        self.check = check
        self.form = QFormLayout()
        self.problem = plain_label(objectName="editorProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #e53935;")  # readable on light and dark
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def definition(self) -> RelationType | AttributeType:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            problem = self.check(self.definition())
        except AnnotatorError as error:  # a definition that cannot even be made
            problem = str(error)
        if problem:
            self.problem.setText(problem[:1].upper() + problem[1:])
            return
        super().accept()


def _line(text: str, name: str, length: int = 0) -> QLineEdit:
    line = QLineEdit(text, objectName=name)
    if length:
        line.setMaxLength(length)
    return line


def _description(text: str, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text, objectName=name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(70)
    return box


class LabelChoice(QListWidget):
    """The scheme's labels, each with a box to tick."""

    def __init__(self, labels: Sequence[Label], chosen: Sequence[str], name: str):
        super().__init__(objectName=name)
        for label in labels:
            item = QListWidgetItem(label.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if label.name in chosen else Qt.CheckState.Unchecked
            )
            self.addItem(item)
        self.setFixedHeight(min(24 * max(len(labels), 2) + 6, 150))

    def chosen(self) -> tuple[str, ...]:
        return tuple(
            self.item(i).text()
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_chosen(self, names: Sequence[str]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            checked = item.text() in names
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class RelationTypeEditor(_Form):
    """Name, the labels its head (from) and child (to) may carry, colour, key, description."""

    def __init__(
        self,
        parent: QWidget | None,
        labels: Sequence[Label],
        check: Check,
        relation_type: RelationType | None = None,
    ):
        title = f"Relation {relation_type.name}" if relation_type else "Add a relation type"
        super().__init__(parent, title, check, "relationTypeEditor")
        start = relation_type or RelationType("", (), ())
        self.name = _line(start.name, "relationName", 40)
        self.head_choice = LabelChoice(labels, start.head_labels, "relationFrom")
        self.child_choice = LabelChoice(labels, start.child_labels, "relationTo")
        self.color = QColor(start.color)
        self.color_button = QPushButton(objectName="relationColor")
        self.color_button.clicked.connect(self._choose_color)
        self._show_color()
        self.key = _line(start.key, "relationKey", 1)
        self.description = _description(start.description, "relationDescription")
        for text, widget in (
            ("Name", self.name),
            ("From (the head, e.g. the claim)", self.head_choice),
            ("To (the child, e.g. its source)", self.child_choice),
            ("Colour of its arcs", self.color_button),
            ("Key (Shift + it removes)", self.key),
            ("Description", self.description),
        ):
            self.form.addRow(text, widget)

    def _choose_color(self) -> None:
        color = QColorDialog.getColor(self.color, self, "Colour of the relation")
        if color.isValid():
            self.color = color
            self._show_color()

    def _show_color(self) -> None:
        self.color_button.setText(self.color.name())
        self.color_button.setStyleSheet(f"border-left: 14px solid {self.color.name()};")

    def definition(self) -> RelationType:
        return RelationType(
            self.name.text().strip(),
            self.head_choice.chosen(),
            self.child_choice.chosen(),
            self.color.name(),
            self.key.text().strip().upper(),
            self.description.toPlainText().strip(),
        )


class AttributeTypeEditor(_Form):
    """Name, the label whose spans carry it, kind, values (the default among them), key,
    description."""

    def __init__(
        self,
        parent: QWidget | None,
        labels: Sequence[Label],
        check: Check,
        attribute_type: AttributeType | None = None,
    ):
        title = f"Attribute {attribute_type.name}" if attribute_type else "Add an attribute"
        super().__init__(parent, title, check, "attributeTypeEditor")
        self.name = _line(attribute_type.name if attribute_type else "", "attributeName", 40)
        self.label = QComboBox(objectName="attributeLabel")
        self.label.addItems([label.name for label in labels])
        claims = [label.name for label in labels if label.kind == "claim"]
        self.label.setCurrentText(
            attribute_type.label if attribute_type else (claims[0] if claims else "")
        )
        self.kind = QComboBox(objectName="attributeKind")
        self.kind.addItems(list(ATTRIBUTE_KINDS))
        self.kind.setCurrentText(attribute_type.kind if attribute_type else FLAG)
        values = attribute_type.values if attribute_type else ("no", "yes")
        self.values = _line(", ".join(values), "attributeValues")
        self.values.setToolTip("Its values, separated by commas (a flag has two)")
        self.default = QComboBox(objectName="attributeDefault")
        self.values.textChanged.connect(lambda _: self._fill_defaults())
        self._fill_defaults(attribute_type.default if attribute_type else values[0])
        self.key = _line(attribute_type.key if attribute_type else "", "attributeKey", 1)
        self.description = _description(
            attribute_type.description if attribute_type else "", "attributeDescription"
        )
        for text, widget in (
            ("Name", self.name),
            ("On spans of", self.label),
            ("Kind (a flag has two values)", self.kind),
            ("Values", self.values),
            ("Default (a span without a value has it)", self.default),
            ("Key (steps the value)", self.key),
            ("Description", self.description),
        ):
            self.form.addRow(text, widget)

    def value_list(self) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.values.text().split(",") if v.strip())

    def _fill_defaults(self, chosen: str | None = None) -> None:
        chosen = chosen if chosen is not None else self.default.currentText()
        self.default.clear()
        self.default.addItems(list(self.value_list()))
        if chosen in self.value_list():
            self.default.setCurrentText(chosen)

    def definition(self) -> AttributeType:
        return AttributeType(
            self.name.text().strip(),
            self.label.currentText(),
            self.kind.currentText(),
            self.value_list(),
            self.default.currentText(),
            self.key.text().strip().upper(),
            self.description.toPlainText().strip(),
        )
