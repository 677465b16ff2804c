"""The relation types and claim attributes of the scheme as tables, for the Labels dialog's
"Relations and attributes" tab: what each joins or marks, its key, how much the project
holds of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.relations import AttributeType, RelationType
from annotator.storage.claim_type_removal import ClaimTypeUsage
from annotator.ui.models import RowsModel
from annotator.ui.theme import label_text
from annotator.ui.widgets import plain_tip

Index = QModelIndex | QPersistentModelIndex
_CENTRED = Qt.AlignmentFlag.AlignCenter


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ClaimTypeModel(RowsModel):
    """Rows of relation types or attributes, with how much each holds (``usage``)."""

    KEY = "name"
    #: The columns drawn centred, and the one that says how much is stored.
    CENTRED: tuple[int, ...] = ()
    STORED = -1

    def __init__(self) -> None:
        super().__init__()
        self.usage: dict[str, ClaimTypeUsage] = {}

    def set_types(self, types: Sequence, usage: Mapping[str, ClaimTypeUsage]) -> None:
        self.usage = dict(usage)
        self.set_rows(types)

    def cells(self, row: RelationType | AttributeType) -> tuple[object, ...]:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.STORED:
                return plain_tip(self.usage.get(row.name, ClaimTypeUsage()).describe())
            if column == len(self.columns()) - 1:
                return plain_tip(row.description)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.CENTRED:
            return _CENTRED
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def stored(self, name: str) -> int:
        return self.usage.get(name, ClaimTypeUsage()).stored


class RelationTypeModel(ClaimTypeModel):
    """Relation types: key, name (in its colour), from which labels, to which, stored
    relations, description."""

    COLUMNS = ("Key", "Relation", "From", "To", "Stored", "Description")
    CENTRED = (0, 4)
    STORED = 4

    def cells(self, row: RelationType) -> tuple[object, ...]:  # type: ignore[override]
        return (
            row.key,
            row.name,
            ", ".join(row.head_labels),
            ", ".join(row.child_labels),
            self.stored(row.name),
            _one_line(row.description),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == 1:
            color = QColor(self.rows[index.row()].color)
            if role == Qt.ItemDataRole.DecorationRole:
                return color
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(label_text(color))
        return super().data(index, role)


class AttributeTypeModel(ClaimTypeModel):
    """Attributes: key, name, the label whose spans carry it, kind, values (the default
    first in bold is the ``Default`` column), stored values, description."""

    COLUMNS = ("Key", "Attribute", "Label", "Kind", "Values", "Default", "Stored", "Description")
    CENTRED = (0, 6)
    STORED = 6

    def cells(self, row: AttributeType) -> tuple[object, ...]:  # type: ignore[override]
        return (
            row.key,
            row.name,
            row.label,
            row.kind,
            " / ".join(row.values),
            row.default,
            self.stored(row.name),
            _one_line(row.description),
        )
