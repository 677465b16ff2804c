"""A long article opens without freezing the window: read on a worker thread, shown in
one step, tokenized a stretch at a time. (``bench/ui_latency.py --long`` measures the
longest stall on a million characters.)"""

from __future__ import annotations

from annotator.core import Article, Span
from annotator.core.editing import STRETCH
from annotator.nlp.tokens import token_bounds
from annotator.storage import Store
from annotator.ui import article_loader
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import select_text, show_active

PARAGRAPH = "Government forces shelled Idlib on Monday, activists said. " * 30 + "\n\n"


def test_a_long_article_is_read_on_a_worker_and_shown_with_its_spans(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(article_loader, "LARGE_ARTICLE", 20_000)
    text = PARAGRAPH * 40  # 72,080 characters
    store = Store(tmp_path / "long.db")
    short, long_id = store.add_articles([Article("A short one."), Article(text)]).ids
    idlib = [i for i in range(len(text)) if text.startswith("Idlib", i)]
    store.add_suggestions([(long_id, [Span(i, i + 5, "LOCATION") for i in idlib])], "m")
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert window.current.id == short
    with qtbot.waitSignal(window.articleShown, timeout=10_000):
        window.action_next.trigger()
        assert window.current.loading  # the title at once, the rest from the worker
        window.label_actions["FACTION"].trigger()  # refused meanwhile, with a word why
        assert "Still opening" in window.statusBar().currentMessage()
    assert not window.current.loading and window.current.id == long_id
    assert window.view.toPlainText() == text
    assert len(window.current.spans) == len(idlib)
    assert store.status(long_id, "ana").status == "todo"  # read, not edited: nothing copied
    far = text.index("activists", 60_000)
    select_text(window.view, far + 2, far + 4)
    window.label_actions["FACTION"].trigger()  # snapped by the stretch's tokens
    assert (far, far + 9, "FACTION") in {
        (s.start, s.end, s.label) for s in store.spans(long_id, "ana")
    }
    window.close()
    store.close()


def test_tokens_are_made_a_stretch_at_a_time_while_the_annotator_reads(qtbot, tmp_path):
    text = PARAGRAPH * 20  # 36,040 characters: several stretches
    store = Store(tmp_path / "t.db")
    store.add_articles([Article(text)])
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    tokens = window.current.tokens
    assert len(tokens) >= len(text) // STRETCH  # stretches, tokenized one by one
    qtbot.waitUntil(lambda: tokens.complete, timeout=10_000)
    assert tokens.bounds() == token_bounds(text)  # the same as the whole text at once
    window.close()
    store.close()
