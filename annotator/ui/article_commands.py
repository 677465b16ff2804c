"""Undo commands on a whole article of the annotation window: starting on it (the first
edit copies its suggestions), giving it a new title, removing it from the project.

Opening an article to read it writes nothing: the window shows its suggestions (spans
whose id is minus the suggestion's, ``storage.spans.is_suggestion``) and the article stays
``todo``. The first edit or status of the annotator goes on the undo stack together with a
``StartArticle`` (``with_start``): one step that copies the suggestions to their spans and
then makes the edit, in one transaction; its undo deletes the copies again and the
article is back to ``todo``, as if never touched.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.core.model import Article, Span
from annotator.storage import RemovedArticle, Store
from annotator.storage.starting import CopiedSuggestions
from annotator.ui.commands import ChangedElsewhere, CommandGroup, SpanIds, StoreCommand

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def unstarted(window: MainWindow) -> bool:
    """Whether the open article still shows suggestions the annotator has not started on."""
    current = window.current
    return current is not None and not current.loading and not current.started


def with_start(window: MainWindow, command: StoreCommand) -> StoreCommand:
    """``command``, made the first edit of the open article when the annotator has not
    started on it: one undo step that starts it (``StartArticle``) and then edits."""
    if not unstarted(window):
        return command
    assert window.current is not None
    start = StartArticle(window.store, window, window.history.ids, window.current.id)
    return CommandGroup(window.store, window, command.text(), [start, command])


class StartArticle(StoreCommand):
    """The annotator starts on an article: its suggestions become their spans.

    Each copy takes the place of the suggestion it came from in ``SpanIds`` (minus the
    suggestion's id → the span's id), so the edit made with it finds its spans; a redo
    after an undo makes new copies, and the spans the undo deleted lead to them.
    """

    def __init__(self, store: Store, window: MainWindow, ids: SpanIds, article_id: int):
        super().__init__("start the article", window)
        self.store = store
        self.window = window
        self.ids = ids
        self.article_id = article_id
        self.annotator = window.annotator
        self.copied: CopiedSuggestions | None = None
        self.last_ids: dict[int, int] = {}  # suggestion -> its span when the start was undone

    def write(self, forward: bool) -> None:
        if forward:
            copied = self.store.copy_suggestions(self.article_id, self.annotator)
            moves = {-suggestion: span_id for suggestion, span_id in copied.span_ids.items()}
            # The span each suggestion was before an undo: commands made since know it.
            last = self.last_ids
            moves.update((last[s], span_id) for s, span_id in copied.span_ids.items() if s in last)
            self.ids.moved_many(moves)
            self.copied = copied
        else:
            assert self.copied is not None
            self.last_ids = self.store.uncopy_suggestions(self.copied)

    def show(self, forward: bool) -> None:
        window = self.window
        current = window.current
        if current is None or current.id != self.article_id or current.loading:
            return  # another article is open: the edit in this step goes there
        if forward and self.copied is not None:
            # Each suggestion shown (id: minus the suggestion's) becomes its copy. Spans made
            # directly, not by dataclasses.replace: 20,000 of them, at the first key.
            copy_of = self.copied.span_ids
            current.spans = [
                Span(
                    s.start,
                    s.end,
                    s.label,
                    s.origin,
                    copy_of[-s.id],
                    s.score,
                    s.kb_id,
                    s.link_status,
                )
                if s.id is not None and s.id < 0 and -s.id in copy_of
                else s
                for s in current.spans
            ]
            window.editor.selected_span_id = self.ids.current(window.editor.selected_span_id)
            current.status = "in_progress"
        else:
            current.spans = self.store.open_article(self.article_id, self.annotator)
            current.status = "todo"
            window.editor.clear_selection()
            window.view.redraw_spans(current.spans, current.confirmed)
        # The claims' sources and values now belong to the other ids (the copies, or the
        # suggestions again): read them by those, or the tags and arcs would be lost.
        window.claims.refresh()
        # The list follows as it does after an edit (its rows hold the spans' ids).
        from annotator.ui.span_editor import SPAN_LIST_AFTER_EDIT_MS  # (it imports this module)

        window.editor.span_list_soon.start(SPAN_LIST_AFTER_EDIT_MS)
        window.article_model.update_row(
            self.article_id, status=current.status, spans=current.own_spans
        )
        window._update_progress()
        # Untouched again, it shows the latest model's suggestions: maybe another's now.
        window.show_suggestion_model(self.store.shown_model(self.article_id, self.annotator))


class TitleChange(StoreCommand):
    """Give an article a new title."""

    def __init__(self, store: Store, window: MainWindow, article_id: int, title: str):
        super().__init__("edit the title", window)
        self.store = store
        self.window = window
        self.article_id = article_id
        self.before = store.article(article_id).title
        self.after = " ".join(title.split())

    def write(self, forward: bool) -> None:
        title, expected = (self.after, self.before) if forward else (self.before, self.after)
        with self.store.transaction():
            # Another window's title would be written over without a word (its F2 showed
            # the title this one had).
            if self.store.article(self.article_id).title != expected:
                raise ChangedElsewhere(
                    f"the title of article {self.article_id} was changed elsewhere"
                )
            self.store.set_article_title(self.article_id, title, by=self.window.annotator)

    def show(self, forward: bool) -> None:
        title = self.after if forward else self.before
        window = self.window
        window.source.forget(self.article_id)  # read ahead with the title it had
        window.article_model.update_row(self.article_id, title=title)
        current = window.current
        if current is not None and current.id == self.article_id:
            current.article = retitled(current.article, title)
            window.centre.set_heading(current.article)
        else:  # an undo or redo goes back to its article, as for spans
            window.open_article(self.article_id)
        window.statusBar().showMessage(f"Article {self.article_id}: {title or 'no title'}", 3000)


class ArticleRemoval(StoreCommand):
    """Remove an article from the project; its undo puts it back exactly (the removed rows
    are kept in this command, so until the window closes)."""

    def __init__(self, store: Store, window: MainWindow, article_id: int):
        title = store.article(article_id).title
        super().__init__(f"remove “{title or f'article {article_id}'}”", window)
        self.store = store
        self.window = window
        self.article_id = article_id
        self.removed: RemovedArticle | None = None
        # Its spans come back as they were, under labels renamed since if need be (the
        # Labels dialog lists them): a rename elsewhere need not clear the history for it.
        self.lost_with_history = "a removed article can no longer be put back"

    def write(self, forward: bool) -> None:
        if forward:
            self.removed = self.store.remove_article(self.article_id, by=self.window.annotator)
        else:
            assert self.removed is not None
            self.store.restore_article(self.removed, by=self.window.annotator)

    def show(self, forward: bool) -> None:
        window = self.window
        if forward:
            following = window.articles.step_from(self.article_id, 1)
            if following is None:
                following = window.articles.step_from(self.article_id, -1)
            window.source.forget()
            if window.current is not None and window.current.id == self.article_id:
                window.current = None
                window.clock.stop_article()
            window.refresh_article_list()
            if following is not None and following != self.article_id:
                window.open_article(following)
            elif window.current is None:  # the project's last article
                window.view.show_article("", [], False)
                window.centre.set_heading(None)
                window.editor.refresh_span_list_soon()
            window.statusBar().showMessage(f"Removed {self.text()[7:]} (Ctrl+Z puts it back)", 5000)
        else:
            window.refresh_article_list()
            window.open_article(self.article_id)


def retitled(article: Article, title: str) -> Article:
    return replace(article, title=title)
