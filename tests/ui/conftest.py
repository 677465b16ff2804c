"""Window fixtures: a project on disk, a window on it, settings kept out of the user's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication

from annotator.core import Article, Span
from annotator.storage import Store
from tests.training.conftest import tiny_base  # noqa: F401 - a fixture: a pipeline in seconds

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow
    from annotator.ui.review_window import ReviewWindow

ARTICLES = [
    (
        "Shelling near Aleppo",
        "ALEPPO, Syria — Government forces shelled rebel positions near Aleppo on Monday, "
        "activists and state media said.\n\nHayat Tahrir al-Sham claimed it killed 40 troops.",
    ),
    ("Marib front", "Houthi rebels advanced on Marib, a military official said."),
    ("Quiet day", "No fighting was reported in Idlib province on Tuesday."),
]


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """QSettings of tests go to a temporary folder, never to the user's configuration."""
    QCoreApplication.setOrganizationName("annotator-tests")
    QCoreApplication.setApplicationName("annotator-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield


def word(text: str, needle: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), label)


@pytest.fixture
def project(tmp_path) -> Store:
    """A project file with three articles; the first has model suggestions."""
    store = Store(tmp_path / "project.db")
    ids = store.add_articles([Article(text, title=title) for title, text in ARTICLES]).ids
    text = ARTICLES[0][1]
    store.add_suggestions(
        [
            (
                ids[0],
                [
                    word(text, "Government forces", "FACTION"),
                    word(text, "Aleppo", "LOCATION"),
                    word(text, "Hayat Tahrir al-Sham", "FACTION"),
                ],
            )
        ],
        "test-model-1",
    )
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_window(qtbot, project)


def open_window(qtbot, store: Store, rows: int | None = None) -> Iterator[MainWindow]:
    """(For a fixture) ana's annotation window on ``store``, shown and active, once its
    span list has ``rows`` rows if given; closed after."""
    from annotator.ui.main_window import MainWindow

    main_window = MainWindow(store, "ana")
    qtbot.addWidget(main_window)
    show_active(qtbot, main_window)
    if rows is not None:
        qtbot.waitUntil(lambda: main_window.span_model.rowCount() == rows)
    yield main_window
    main_window.close()


def show_active(qtbot, window) -> None:
    """Show the window as the active one with the article view focused, as a user has it;
    window shortcuts only fire in the active window."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    focus = getattr(window, "view", None) or getattr(window, "gold_view", None)
    if focus is not None:
        focus.setFocus()


def select_text(view, start: int, end: int) -> None:
    """Select code points [start, end) the way a test outside the program would: through
    the view's own text cursor, in Qt's UTF-16 positions."""
    text = view.toPlainText()
    qt_start = len(text[:start].encode("utf-16-le")) // 2
    qt_end = len(text[:end].encode("utf-16-le")) // 2
    cursor = view.textCursor()
    cursor.setPosition(qt_start)
    cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def open_review(qtbot, store: Store) -> Iterator[ReviewWindow]:
    """(For a fixture) the review window on ``store``, shown and active; closed after."""
    from annotator.ui.review_window import ReviewWindow

    review = ReviewWindow(store)
    qtbot.addWidget(review)
    show_active(qtbot, review)
    yield review
    review.close()


def review_cell(review: ReviewWindow, row: int, column: int) -> str:
    """What the review window's disagreement list shows in one cell."""
    model = review.disagreement_model
    return model.data(model.index(row, column))


def answer_leaving(monkeypatch, answer: bool) -> list[tuple[str, str]]:
    """Answer the question asked before leaving a project with background work (Close or
    Open anyway?) with ``answer``; the (question, button) pairs asked, as they come."""
    from annotator.ui import leaving

    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(leaving, "_ask", lambda w, q, verb: asked.append((q, verb)) or answer)
    return asked


def closing_asks_then_stops(window, monkeypatch, running: str, is_running) -> None:
    """Close ``window`` while work runs (``running``: "An export", "A training"): Cancel
    keeps the window and the work; Close stops the work and waits for it."""
    asked = answer_leaving(monkeypatch, False)
    window.close()  # Cancel: the window stays, the work goes on
    assert window.isVisible() and is_running()
    assert asked == [
        (
            f"{running} is running: closing the window stops it, and the project stays as it "
            "was. Close anyway?",
            "Close",
        )
    ]
    answer_leaving(monkeypatch, True)
    window.close()
    assert not window.isVisible()
    assert not is_running()  # stopped and waited for before the window went


def wheel_turned(widget, notches: int = -1) -> bool:
    """A turn of the wheel over ``widget`` (down: ``notches`` < 0): whether it took it (an
    ignored one Qt gives to the parent, a scroll area, say)."""
    at = QPointF(widget.rect().center())
    event = QWheelEvent(
        at,
        QPointF(widget.mapToGlobal(at)),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()
