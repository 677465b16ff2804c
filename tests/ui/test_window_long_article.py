"""A long article opens without freezing the window: read on a worker thread, shown in
one step, tokenized a stretch at a time. (``bench/ui_latency.py --long`` measures the
longest stall on a million characters.)"""

from __future__ import annotations

from annotator.core import Article, Span
from annotator.core.lazy_tokens import STRETCH
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.kb import AMBIGUOUS
from annotator.nlp.tokens import token_bounds
from annotator.storage import Store
from annotator.storage.links import SuggestedLink, store_suggested_links
from annotator.ui import article_loader, claim_sources, entity_links
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


def counted(calls: list[str], function):
    def call(*args):
        calls.append(function.__name__)
        return function(*args)

    return call


def test_a_long_articles_claims_and_links_are_read_by_the_worker_too(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(article_loader, "LARGE_ARTICLE", 20_000)
    text = PARAGRAPH * 40
    claim = Span(0, text.index(" on Monday"), "CLAIM")  # "Government forces shelled Idlib"
    source = Span(text.index("activists"), text.index("activists") + 9, "SOURCE")
    idlib = Span(text.index("Idlib"), text.index("Idlib") + 5, "LOCATION")
    store = Store(tmp_path / "long.db")
    short, long_id = store.add_articles([Article("A short one."), Article(text)]).ids
    with store.transaction():
        store.add_suggestions([(long_id, [claim, source, idlib])], "m")
        store.add_suggested_links(
            [(long_id, [SpanRelation(claim, source)], [SpanAttribute(claim, "hedged", "yes")])], "m"
        )
    store_suggested_links(store, long_id, "m", [SuggestedLink(*idlib.key, "", AMBIGUOUS)])
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    read_here: list[str] = []  # what the GUI thread reads itself
    for module, name in ((claim_sources, "read_claim_work"), (entity_links, "read_link_statuses")):
        monkeypatch.setattr(module, name, counted(read_here, getattr(module, name)))
    with qtbot.waitSignal(window.articleShown, timeout=10_000):
        window.action_next.trigger()
    assert window.current.id == long_id and read_here == []  # all read by the worker
    ids = {s.key: s.id for s in window.current.spans}
    [relation] = window.claims.links.relations
    assert (relation.head, relation.child) == (ids[claim.key], ids[source.key])
    assert window.entity_links.statuses == {idlib.key: AMBIGUOUS}
    # A later look reads the project: here, after the first edit made the spans ana's.
    window.editor.select_span(window.current.span(ids[idlib.key]))
    window.label_actions["FACTION"].trigger()
    assert "read_claim_work" in read_here
    [relation] = window.claims.links.relations
    spans = {s.id: s.key for s in store.spans(long_id, "ana")}
    assert (spans[relation.head], spans[relation.child]) == (claim.key, source.key)
    window.close()
    store.close()


def test_a_paint_draws_only_the_tags_of_the_lines_on_screen(qtbot, tmp_path, monkeypatch):
    """A 200,000-character article on one line (one paragraph) drew all its 7,000 claim
    tags at every paint: 2 s for each click, scroll or key."""
    from annotator.ui.relation_painter import TagPainter

    sentence = "Rebels shelled Homs, the Observatory said. "
    text = sentence * 1_500  # one paragraph, 64,500 characters
    starts = range(0, len(text), len(sentence))
    claims = [Span(i, i + len("Rebels shelled Homs"), "CLAIM") for i in starts]
    sources = [Span(i + 21, i + 21 + len("the Observatory"), "SOURCE") for i in starts]
    store = Store(tmp_path / "one-line.db")
    [article_id] = store.add_articles([Article(text)]).ids
    with store.transaction():
        store.add_suggestions([(article_id, [*claims, *sources])], "m")
        relations = [SpanRelation(c, s) for c, s in zip(claims, sources, strict=True)]
        store.add_suggested_links([(article_id, relations, [])], "m")
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.waitUntil(lambda: window.current is not None and not window.current.loading)
    drawn: list[str] = []
    image = TagPainter._image  # noqa: SLF001

    def counted(self, tag, *args):
        drawn.append(tag.text)
        return image(self, tag, *args)

    monkeypatch.setattr(TagPainter, "_image", counted)
    window.view.viewport().repaint()
    assert 0 < len(drawn) < 300  # the tags of a screen, not of 1,500 claims and sources
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum())  # the last claims' tags are drawn there
    drawn.clear()
    window.view.viewport().repaint()
    assert str(len(claims)) in drawn and len(drawn) < 300  # the last claim, and its source
    window.close()
    store.close()


def test_what_was_said_of_the_article_before_goes_as_a_long_one_opens(qtbot, tmp_path, monkeypatch):
    """The keys moved elsewhere, said on a short article, and "This article was changed by
    another window or program" stayed on the long article opened next (a short one took
    them back): the long article was the window's "current" already when it was shown."""
    from annotator.ui.article_statuses import CHANGED_ELSEWHERE

    monkeypatch.setattr(article_loader, "LARGE_ARTICLE", 20_000)
    store = Store(tmp_path / "long.db")
    short, long_id = store.add_articles(
        [Article("Shelling hit Idlib."), Article(PARAGRAPH * 40)]
    ).ids
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    other = Store(store.path)  # `annotator labels set FACTION --key 8`, and another window
    other.change_label("FACTION", key="8")
    other.start_article(short, "ana")
    other.add_span(short, "ana", Span(13, 18, "LOCATION"))
    window.watcher.poll()
    qtbot.waitUntil(lambda: "FACTION answers to 8 now" in window.message_bar.text())
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == CHANGED_ELSEWHERE)
    with qtbot.waitSignal(window.articleShown, timeout=10_000):
        window.action_next.trigger()
    assert window.current.id == long_id
    assert not window.message_bar.isVisible()
    assert window.statusBar().currentMessage() != CHANGED_ELSEWHERE
    window.close()
    other.close()
    store.close()
