"""The review window's actions and toolbar, as tables (see ``main_actions.py``)."""

from __future__ import annotations

from annotator.ui.review_lanes import MAX_LANES
from annotator.ui.widgets import Act

KEYS_HELP = (
    "<small><b>Keys</b>: 1–9 take that annotator's version · A all · 0 none "
    "(each moves to the next)<br>N / P (Tab / Shift+Tab) next / previous disagreement · "
    "Enter: article "
    "reviewed, next article · Ctrl+Z / Ctrl+Shift+Z undo / redo<br>F6 / Shift+F6 next / "
    "previous pane · Ctrl+F the articles · Esc back to the gold lane; there, it closes "
    "the review</small>"
)


def _take(lane: int):
    return lambda window: window.take_annotator(lane)


ACTIONS = (
    *(
        Act(f"reviewTake{i}", f"Take annotator {i}'s version", (str(i),), _take(i - 1))
        for i in range(1, MAX_LANES + 1)
    ),
    Act("reviewTakeAll", "Take all versions", ("A",), lambda w: w.take("all")),
    Act("reviewTakeNone", "Take none", ("0", "X"), lambda w: w.take("none")),
    Act("reviewNext", "Next disagreement", ("N", "Tab"), lambda w: w.step(1)),
    Act(
        "reviewPrevious",
        "Previous disagreement",
        ("P", "Shift+Tab"),  # not "Backtab" too: both would match, and neither fire
        lambda w: w.step(-1),
    ),
    Act("reviewDone", "Article reviewed, next", ("Return", "Enter"), lambda w: w.done_and_next()),
    Act("reviewNextArticle", "Next article", ("PgDown",), lambda w: w.next_article(1)),
    Act("reviewPreviousArticle", "Previous article", ("PgUp",), lambda w: w.next_article(-1)),
    Act(
        "reviewDeleteGold",
        "Delete gold span",
        ("Del", "Backspace"),
        lambda w: w.gold_editor.delete_selected(),
    ),
)

TOOLBAR = (
    "reviewPrevious",
    "reviewNext",
    "reviewTakeAll",
    "reviewTakeNone",
    "reviewDone",
    "reviewUndo",
    "reviewRedo",
)
