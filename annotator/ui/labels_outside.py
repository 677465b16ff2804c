"""The Labels dialog's box of the labels the project's spans use but its scheme lacks (an
imported file brought them): listed with their use, to adopt or to merge into a scheme
label. The dialog (``labels_dialog.py``) makes the changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.storage.scheme import LabelUsage
from annotator.ui.widgets import plain_label


class OutsideLabels(QWidget):
    """The box (shown only when there are such labels): its text, its list, Adopt and
    Merge into…, which call ``adopt()`` and ``merge()`` of the dialog."""

    def __init__(self, adopt: Callable[[], object], merge: Callable[[], object]):
        super().__init__()
        self.text = plain_label(objectName="labelsOutsideText", wordWrap=True)
        self.list = QListWidget(objectName="labelsOutside", accessibleName="Labels outside")
        self.list.setMaximumHeight(90)
        adopt_button = QPushButton("Adopt", objectName="labels_adopt")
        adopt_button.setToolTip("Add the selected labels (or all of them) to the scheme")
        adopt_button.clicked.connect(lambda: adopt())
        merge_button = QPushButton("Merge into…", objectName="labels_mergeOutside")
        merge_button.clicked.connect(lambda: merge())
        buttons = QVBoxLayout()
        buttons.addWidget(adopt_button)
        buttons.addWidget(merge_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(row)

    def show_labels(self, outside: Mapping[str, LabelUsage]) -> None:
        self.list.clear()
        for name, usage in outside.items():
            item = QListWidgetItem(f"{name} — {usage.describe()}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.text.setText(
            f"Labels not in the project's scheme: {', '.join(outside)}. Their spans show grey "
            "and cannot be made until they are adopted (or merged into a label of the scheme)."
        )
        self.setVisible(bool(outside))

    def chosen(self, every: bool) -> list[str]:
        """The names selected; with none selected, every name (``every``) or the first."""
        items = self.list.selectedItems()
        if not items:
            count = self.list.count() if every else min(self.list.count(), 1)
            items = [self.list.item(i) for i in range(count)]
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in items]
