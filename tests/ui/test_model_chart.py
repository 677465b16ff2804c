"""The Model panel's chart of how the suggestions were used: what a bar says on hover."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent

from annotator.ui.model_chart import EVERYONE, UsageChart, usage_sections

USAGE = {
    "rules-9": {
        name: {
            "LOCATION": {
                "suggested": 10, "accepted": 7, "edited": 1, "deleted": 2, "added": 1,
                "articles": articles,
            }
        }
        for name, articles in (("amal", 45), ("ben", 14))
    }
}  # fmt: skip


def hover_text(qtbot, chart: UsageChart) -> str:
    chart.resize(600, chart.sizeHint().height())
    _, _, name_rect, _ = chart.layout_bars()[0]
    where = QPointF(name_rect.center())
    move = QMouseEvent(
        QEvent.Type.MouseMove, where, where, Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    chart.mouseMoveEvent(move)
    return chart.toolTip()


def test_everyone_together_says_its_articles_are_counted_per_annotator(qtbot):
    """59 "finished articles" were 51: eight that two annotators finished counted twice."""
    chart = UsageChart()
    qtbot.addWidget(chart)
    chart.set_sections(usage_sections(USAGE, EVERYONE))
    said = hover_text(qtbot, chart)
    assert "59 finished articles counted once for each annotator who finished them" in said
    chart.set_sections(usage_sections(USAGE, "ben"))
    assert "ben, 14 finished articles:" in hover_text(qtbot, chart)
