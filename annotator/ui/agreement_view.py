"""Review → Agreement: the figures of ``annotator agreement``, as a bar chart and a matrix,
and who claims what: claim–source pair F1 and attribute kappa per pair of annotators."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.text import counted
from annotator.ui.conveniences import add_close_keys
from annotator.ui.theme import is_dark
from annotator.ui.widgets import resize_within_screen, wheel_only_when_focused

EXACT = QColor("#3b6ea5")
OVERLAP = QColor("#9cc3e6")


class LabelBarChart(QWidget):
    """Exact and overlap span F1 per label, as pairs of horizontal bars."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="agreementChart")
        self.labels: dict[str, dict[str, float | None]] = {}
        self.setMinimumHeight(140)

    def set_labels(self, labels: dict[str, dict[str, float | None]]) -> None:
        self.labels = labels
        self.setMinimumHeight(40 + 44 * max(1, len(labels)))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        name_width, right_margin = 100, 56
        width = max(10, self.width() - name_width - right_margin)
        y = 8.0
        # Text and empty bars from the palette: readable in the light and the dark theme.
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        track = palette.color(QPalette.ColorRole.AlternateBase)
        painter.setPen(QPen(text))
        painter.drawText(QRectF(name_width, y, width, 16), "span F1 per label")
        self._legend(painter, name_width + width - 190, y, text)
        y += 24
        for name, figures in self.labels.items():
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y, name_width - 8, 36),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            for row, (key, color) in enumerate((("f1_exact", EXACT), ("f1_partial", OVERLAP))):
                value = figures.get(key)
                top = y + row * 17
                painter.fillRect(QRectF(name_width, top, width, 15), track)
                if value is not None:
                    painter.fillRect(QRectF(name_width, top, width * value, 15), color)
                painter.setPen(text)
                painter.drawText(
                    QRectF(name_width + width + 6, top, right_margin, 15),
                    Qt.AlignmentFlag.AlignVCenter,
                    _number(value),
                )
            y += 44
        painter.end()

    @staticmethod
    def _legend(painter: QPainter, x: float, y: float, pen: QColor) -> None:
        for text, color in (("exact", EXACT), ("overlap", OVERLAP)):
            painter.fillRect(QRectF(x, y + 3, 12, 10), color)
            painter.setPen(pen)
            painter.drawText(QRectF(x + 16, y, 70, 16), text)
            x += 90


class ClaimAgreementTable(QTableWidget):
    """One row per pair of annotators: articles in common, relations on each side,
    claim–source pair F1 (exact, overlap) and Cohen's kappa of each attribute."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="claimAgreement", accessibleName="Claim agreement")
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def set_claims(self, claims: dict[str, Any]) -> None:
        names = list(claims.get("attributes", []))
        pairs = claims.get("pairs", [])
        self.clear()
        headers = ["pair", "articles", "sources", "pair F1 exact", "pair F1 overlap"]
        self.setColumnCount(len(headers) + len(names))
        self.setHorizontalHeaderLabels(headers + [f"{name} κ" for name in names])
        self.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            kappas = [pair.get("attributes", {}).get(name, {}).get("kappa") for name in names]
            cells: list[tuple[str, float | None]] = [
                (f"{pair['a']} / {pair['b']}", None),
                (str(pair.get("articles", 0)), None),
                (f"{pair.get('relations_a', 0)} / {pair.get('relations_b', 0)}", None),
                (_number(pair.get("f1_exact")), pair.get("f1_exact")),
                (_number(pair.get("f1_partial")), pair.get("f1_partial")),
                *((_number(k), k) for k in kappas),
            ]
            for column, (text, value) in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if value is not None:
                    item.setBackground(_heat(value))
                tip = _claim_tip(pair, names, column - len(headers))
                if tip:
                    item.setToolTip(tip)
                self.setItem(row, column, item)
        height = self.horizontalHeader().sizeHint().height() + 8
        height += sum(self.rowHeight(row) for row in range(len(pairs))) or 30
        self.setFixedHeight(min(height, 260))


def _claim_tip(pair: dict[str, Any], names: list[str], attribute: int) -> str:
    """For an attribute's cell: on how many claims, and the observed agreement."""
    if attribute < 0:
        return ""
    figures = pair.get("attributes", {}).get(names[attribute], {})
    observed = figures.get("observed")
    return f"{figures.get('claims', 0)} claims both marked; observed agreement {_number(observed)}"


class AgreementDialog(QDialog):
    """The agreement report: per-label chart, pairwise matrix per layer, alpha per layer,
    and who claims what per pair."""

    def __init__(self, parent: QWidget, report: dict[str, Any]):
        super().__init__(parent, objectName="agreementDialog")
        self.setWindowTitle("Agreement")
        self.report = report
        self.summary = QLabel(objectName="agreementSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # annotator names, as typed
        self.summary.setWordWrap(True)
        self.chart = LabelBarChart()
        self.layer_box = QComboBox(objectName="agreementLayer", accessibleName="Layer")
        for layer in report.get("layers", {}):
            self.layer_box.addItem(layer, layer)
        self.measure_box = QComboBox(objectName="agreementMeasure", accessibleName="Measure")
        for text, key in (
            ("Cohen's kappa", "kappa"),
            ("span F1, exact", "f1_exact"),
            ("span F1, overlap", "f1_partial"),
            ("articles in common", "articles"),
        ):
            self.measure_box.addItem(text, key)
        self.matrix = QTableWidget(objectName="agreementMatrix", accessibleName="Agreement matrix")
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.alpha_label = QLabel(objectName="agreementAlpha")
        self.alpha_label.setTextFormat(Qt.TextFormat.PlainText)
        self.claims_label = QLabel(objectName="claimAgreementSummary")
        self.claims_label.setTextFormat(Qt.TextFormat.PlainText)
        self.claims_label.setWordWrap(True)
        self.claims_table = ClaimAgreementTable()
        wheel_only_when_focused(self.layer_box, self.measure_box)  # (in a scroll area)
        choose = QHBoxLayout()
        choose.addWidget(QLabel("Pairs of annotators:"))
        choose.addWidget(self.layer_box)
        choose.addWidget(self.measure_box)
        choose.addStretch(1)
        content = QWidget(objectName="agreementContent")
        layout = QVBoxLayout(content)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart)
        layout.addLayout(choose)
        layout.addWidget(self.matrix, 1)
        layout.addWidget(self.alpha_label)
        layout.addWidget(self.claims_label)
        layout.addWidget(self.claims_table)
        # Scrolled on a small screen: with six annotators the dialog was taller than a
        # 600-pixel screen, and the matrix squeezed to two of its rows.
        scroll = QScrollArea(objectName="agreementScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.layer_box.currentIndexChanged.connect(self._fill_matrix)
        self.measure_box.currentIndexChanged.connect(self._fill_matrix)
        self._fill()
        add_close_keys(self)  # Esc, Ctrl+W
        resize_within_screen(self, 720, 780)

    def _fill(self) -> None:
        report = self.report
        annotators = report.get("annotators", [])
        if len(annotators) < 2 or not report.get("articles"):
            self.summary.setText(
                "Agreement needs articles that two or more annotators marked done; "
                f"there are {report.get('articles', 0)} with {len(annotators)} annotator(s)."
            )
        else:
            self.summary.setText(
                f"{counted(report['articles'], 'article')} marked done by two or more of "
                f"{len(annotators)} annotators: {', '.join(annotators)}. "
                "Tokens of spaCy's English tokenizer; gold is left out."
            )
        self.chart.set_labels(report.get("labels", {}))
        self._fill_matrix()
        claims = report.get("claims", {})
        self.claims_label.setText(
            "Who claims what: claim–source pairs (both ends overlapping for overlap F1) "
            "and Cohen's kappa of each attribute over the claims both annotators marked. "
            f"All pairs: pair F1 exact {_number(claims.get('f1_exact'))}, "
            f"overlap {_number(claims.get('f1_partial'))}."
        )
        self.claims_table.set_claims(claims)

    def _fill_matrix(self) -> None:
        annotators = self.report.get("annotators", [])
        layer = self.report.get("layers", {}).get(self.layer_box.currentData(), {})
        key = self.measure_box.currentData()
        self.matrix.clear()
        self.matrix.setRowCount(len(annotators))
        self.matrix.setColumnCount(len(annotators))
        self.matrix.setHorizontalHeaderLabels(annotators)
        self.matrix.setVerticalHeaderLabels(annotators)
        position = {name: i for i, name in enumerate(annotators)}
        for pair in layer.get("pairs", []):
            value = pair.get(key)
            for a, b in ((pair["a"], pair["b"]), (pair["b"], pair["a"])):
                item = QTableWidgetItem(_number(value) if key != "articles" else str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if key != "articles" and value is not None:
                    item.setBackground(_heat(value))
                self.matrix.setItem(position[a], position[b], item)
        for i in range(len(annotators)):
            item = QTableWidgetItem("—")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.matrix.setItem(i, i, item)
        # Every pair in view (the dialog scrolls instead): its header and rows, at most 12.
        rows = self.matrix.verticalHeader().defaultSectionSize() * min(len(annotators), 12)
        self.matrix.setMinimumHeight(self.matrix.horizontalHeader().sizeHint().height() + rows + 4)
        alpha = layer.get("alpha")
        font = QFont()
        font.setBold(True)
        self.alpha_label.setFont(font)
        self.alpha_label.setText(
            f"Krippendorff's alpha ({self.layer_box.currentData()} layer, all annotators): "
            f"{_number(alpha)}"
        )


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _heat(value: float) -> QColor:
    """Red for poor agreement, through yellow, to green for near-perfect: pale under the
    light theme's dark text, deep under the dark theme's light text."""
    value = max(0.0, min(1.0, value))
    hue = int(120 * value)  # 0 red .. 120 green
    return QColor.fromHsv(hue, 150, 95) if is_dark() else QColor.fromHsv(hue, 90, 250)


def show_agreement(window) -> None:
    """Review → Agreement: compute the report in the background, then show it."""
    from annotator.ui.tasks import run_in_background

    def work(store, progress):
        from annotator.review.agreement import agreement_report

        return agreement_report(store, progress=progress).to_dict()

    def done(report: dict[str, Any]) -> None:
        dialog = AgreementDialog(window, report)
        # A child of the window: each report kept a closed dialog, about 2.6 MB, all day.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(False)
        dialog.show()
        window.agreement_dialog = dialog  # kept for tests and so it stays alive

    run_in_background(window, "Computing agreement", window.store, work, done)
