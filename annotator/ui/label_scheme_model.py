"""The label scheme as a table: key, name, kind, colour, spans, description."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import Label
from annotator.storage.scheme import LabelUsage
from annotator.ui.models import RowsModel
from annotator.ui.theme import label_text
from annotator.ui.widgets import plain_tip

Index = QModelIndex | QPersistentModelIndex


class LabelSchemeModel(RowsModel):
    """The scheme's labels, in order: key, name, kind, colour, spans, description."""

    COLUMNS = ("Key", "Label", "Kind", "Colour", "Spans", "Description")
    KEY = "name"

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, str] = {}
        self.usage: dict[str, LabelUsage] = {}

    def set_scheme(
        self, labels: list[Label], keys: dict[str, str], usage: dict[str, LabelUsage]
    ) -> None:
        self.keys, self.usage = keys, usage
        self.set_rows(labels)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        label: Label = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            used = self.usage.get(label.name, LabelUsage())
            return (
                self.keys.get(label.name, ""),
                label.name,
                label.kind,
                label.color,
                used.spans,
                " ".join(label.description.split()),
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return QColor(label.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 4:
                return plain_tip(self.usage.get(label.name, LabelUsage()).describe())
            if column == 5:
                return plain_tip(label.description)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            color = QColor(label.color)
            return QBrush(label_text(color))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 4):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return label
        return None
