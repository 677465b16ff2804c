"""A training's held-out scores beside the current suggestions', and whether it is better.

How "better" is decided (``verdict``): the mean exact F1 over the labels the model learns
(LOCATION and FACTION, and CLAIM when it learned the project's claim edges) that the
held-out articles have spans of; the new model is better when its mean is higher than the
current suggestions' on the same articles. Exact, because a span whose edges are wrong is a
span the annotator has to fix. Otherwise CLAIM is shown but left out: the model keeps the
rules' claims as they are. With a handful of held-out articles the figures are rough, and
the verdict says on how many articles it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.nlp.training.data import CLAIM_LABEL, LEARNED_LABELS, unlearned_labels_note
from annotator.ui.widgets import plain_label

BETTER = QColor("#1b7f3b")
WORSE = QColor("#b3261e")
SAME = QColor("#8a5a00")


@dataclass(frozen=True)
class Verdict:
    """Whether a new model is better than the current suggestions, and in words."""

    better: bool
    new: float | None  # mean exact F1 over the judged labels
    current: float | None
    labels: tuple[str, ...]  # the labels judged (those the held-out part has spans of)
    text: str


def mean_exact_f1(scores: dict[str, Any], labels: tuple[str, ...]) -> float | None:
    values = [float(scores[label]["exact"]["f1"]) for label in labels if label in scores]
    return sum(values) / len(values) if values else None


def verdict(result: dict[str, Any], name: str = "The new model") -> Verdict:
    """Judge a training result (the worker's ``result``); see the module docstring."""
    scores, current = result["scores"], result["current_scores"]
    held = int(result.get("held_out_articles", 0))
    edges = result.get("edge_convention", {})
    learned = (*LEARNED_LABELS, CLAIM_LABEL) if edges.get(CLAIM_LABEL) else LEARNED_LABELS
    labels = tuple(label for label in learned if int(scores.get(label, {}).get("gold", 0)) > 0)
    on = f"on {held} held-out article{'s' if held != 1 else ''}"
    if not labels:
        text = (
            f"Cannot tell whether {name} is better: the held-out articles have no "
            f"{' or '.join(LEARNED_LABELS)} span ({on})."
        )
        return Verdict(False, None, None, labels, text)
    new_mean, current_mean = mean_exact_f1(scores, labels), mean_exact_f1(current, labels)
    assert new_mean is not None and current_mean is not None
    over = " and ".join(filter(None, (", ".join(labels[:-1]), labels[-1])))
    figures = f"mean exact F1 over {over} {new_mean:.2f} against {current_mean:.2f} ({on})"
    if round(new_mean, 4) > round(current_mean, 4):
        return Verdict(True, new_mean, current_mean, labels, f"{name} is better: {figures}.")
    same = round(new_mean, 4) == round(current_mean, 4)
    how = "is no better than" if same else "is worse than"
    text = f"{name} {how} the current suggestions: {figures}. You can adopt it anyway."
    return Verdict(False, new_mean, current_mean, labels, text)


def notes_on_the_scheme_now(result: dict[str, Any], scheme: list[str] | None) -> list[str]:
    """A training's notes, the one on the labels it does not learn said of ``scheme`` (the
    label names now; ``None``: as the training said it). A label renamed while it trained,
    or since, is not learned under its new name either: the note named the old one."""
    notes = list(result.get("notes") or ())
    if scheme is None or "scheme_labels" not in result:
        return notes
    then = unlearned_labels_note(result["scheme_labels"])
    now = unlearned_labels_note(scheme)
    return [note for note in notes if note != then] + ([now] if now else [])


def version_name(result: dict[str, Any]) -> str:
    """``v3`` for a model saved beside the project, else its folder's name."""
    return Path(str(result["model"])).name


class ScoresTable(QTableWidget):
    """Per label and match (exact, overlap): precision, recall and F1 of the current
    suggestions and of the new model on the held-out articles, and the change in F1."""

    COLUMNS = ("Label", "Match", "Spans", "Current P", "R", "F1", "New P", "R", "F1", "ΔF1")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(self.COLUMNS), parent, objectName="trainingScores")
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setToolTip(
            "Precision, recall and F1 on the held-out articles. Exact: the same start, end "
            "and label; overlap: sharing a character with a span of the label."
        )

    def show_result(self, result: dict[str, Any]) -> None:
        scores, current = result["scores"], result["current_scores"]
        labels = [label for label in LEARNED_LABELS if label in scores and label in current]
        labels += [label for label in scores if label in current and label not in labels]
        self.setRowCount(0)
        bold = QFont(self.font())
        bold.setBold(True)
        for label in labels:
            for match in ("exact", "overlap"):
                row = self.rowCount()
                self.insertRow(row)
                old, new = current[label][match], scores[label][match]
                delta = float(new["f1"]) - float(old["f1"])
                cells = [
                    label if match == "exact" else "",
                    match,
                    str(scores[label]["gold"]) if match == "exact" else "",
                    *(f"{float(old[k]):.2f}" for k in ("precision", "recall", "f1")),
                    *(f"{float(new[k]):.2f}" for k in ("precision", "recall", "f1")),
                    f"{delta:+.2f}",
                ]
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if column >= 2:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if column in (5, 8):
                        item.setFont(bold)
                    if column == 9 and abs(delta) >= 0.005:
                        item.setForeground(QBrush(BETTER if delta > 0 else WORSE))
                    self.setItem(row, column, item)
        height = self.horizontalHeader().height() + 22 * self.rowCount() + 2 * self.frameWidth()
        self.setFixedHeight(height + 2)

    def cell_text(self, label: str, match: str, column: str) -> str:
        """The text shown for ``label``'s ``match`` row in ``column`` (``Current F1``,
        ``New F1``, …): what a test reads."""
        row = None
        current_label = ""
        for r in range(self.rowCount()):
            current_label = self.item(r, 0).text() or current_label
            if current_label == label and self.item(r, 1).text() == match:
                row = r
        if row is None:
            raise KeyError((label, match))
        side, _, figure = column.rpartition(" ")
        start = {"Current": 3, "New": 6}[side]
        return self.item(row, start + ("P", "R", "F1").index(figure)).text()


class TrainingResultView(QWidget):
    """A finished training: the verdict, the scores table, what it learned from and how
    long it took, and Adopt (enabled whether or not it is better: the verdict says)."""

    adoptRequested = Signal(object)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: dict[str, Any] | None = None
        self.scheme: list[str] | None = None  # the label names now (``follow_scheme``)
        self.verdict_label = plain_label(objectName="trainingVerdict", wordWrap=True)
        self.table = ScoresTable()
        self.details = plain_label(objectName="trainingDetails", wordWrap=True)
        self.adopt_button = QPushButton("Adopt", objectName="adoptModelButton")
        self.adopt_button.clicked.connect(self._adopt)
        self.adopted_label = plain_label(objectName="adoptedLabel", wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.adopted_label, 1)
        buttons.addWidget(self.adopt_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.table)
        layout.addWidget(self.details)
        layout.addLayout(buttons)

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        name = version_name(result)
        judged = verdict(result, name)
        self.verdict_label.setText(judged.text)
        if judged.better:
            colour: QColor | None = BETTER
        elif judged.new is None:
            colour = None
        else:
            colour = WORSE if judged.new < (judged.current or 0) else SAME
        self.verdict_label.setStyleSheet(f"color: {colour.name()};" if colour else "")
        self.table.show_result(result)
        self._show_details(result)
        self.set_adopting(False)
        self.adopt_button.setToolTip(
            f"Make {name} the project's model: the articles nobody has started on are "
            "suggested again with it (no span an annotator made or confirmed is touched)."
        )
        self.adopt_button.setText("Adopt" if judged.better else "Adopt anyway")
        self.adopt_button.setDefault(judged.better)

    def follow_scheme(self, scheme: list[str]) -> None:
        """The project's label names now: the notes say them, not those of the training."""
        self.scheme = scheme
        if self.result is not None:
            self._show_details(self.result)

    def _show_details(self, result: dict[str, Any]) -> None:
        notes = notes_on_the_scheme_now(result, self.scheme)
        self.details.setText(
            f"Learned from {result['train_articles']} finished articles, scored on "
            f"{result['held_out_articles']} held out (never learned from). Started from "
            f"{result['base']}; the current suggestions are {result['current']}. Training took "
            f"{_duration(result['training_seconds'])} ({_duration(result['total_seconds'])} "
            "with scoring and saving)."
            + _left_out(int(result.get("rivals_left_out") or 0))
            # What the command line says as "note:" lines (held-out near-copies of the
            # articles learned from, a current model gone): the window said none of it.
            + "".join(f"\nNote: {note}." for note in notes)
        )

    def set_adopting(self, adopting: bool) -> None:
        self.adopt_button.setEnabled(not adopting)
        self.adopted_label.setText("Adopting: suggesting the untouched articles again…" * adopting)

    def set_adopted(self, resuggested: int) -> None:
        self.adopt_button.setEnabled(False)
        name = version_name(self.result) if self.result else "The model"
        self.adopted_label.setText(
            f"{name} is the project's model now: {resuggested} untouched article"
            f"{'s' if resuggested != 1 else ''} suggested again."
        )

    def _adopt(self) -> None:
        if self.result is not None:
            self.adoptRequested.emit(self.result)


def _duration(seconds: float) -> str:
    seconds = float(seconds)
    if seconds < 90:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min"


def _left_out(rivals: int) -> str:
    """What the command line says and the window did not: finished articles it could not
    learn from (54 done, 53 learned from and scored, and no word of the other)."""
    if not rivals:
        return ""
    these, were = ("article", "was") if rivals == 1 else ("articles", "were")
    return (
        f" {rivals} {these} finished by several annotators, with no gold version, "
        f"{were} left out: settle them in Review, or learn from one annotator's work."
    )
