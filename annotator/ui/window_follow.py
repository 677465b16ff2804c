"""What the annotation window shows again when the project changed under it: another window
or program wrote (an import, a second window of the same name, a model adopted), or one of its
own writes failed. The watcher (``watcher.py``) notices; ``follow_the_file`` catches up, where
the reader is, without a click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.labels import effective_keys, key_moves
from annotator.core.model import Span
from annotator.ui.actor_commands import show_actors_again
from annotator.ui.article_commands import retitled
from annotator.ui.guidelines import follow_guidelines

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


KEYS_MOVED = "The label keys changed elsewhere: "


def _keys_moved(window: MainWindow, now: dict[str, str]) -> list[str]:
    """How the keys moved since the annotator last knew them: since the window's legend,
    or, while the bar still says an earlier move, since before that one (two commands a
    second apart: the second's note replaced the first's, and LOOT's 5 → B went unsaid)."""
    before = effective_keys(window.labels)
    saying = window.message_bar.isVisible() and window.message_bar.text().startswith(KEYS_MOVED)
    if saying:
        before = window.keys_before_moves or before
    moved = key_moves(before, now)
    window.keys_before_moves = before if moved else None
    if saying and not moved:  # moved back: the note would name keys that no longer hold
        window.message_bar.hide()
    return moved


def follow_the_file(window: MainWindow) -> bool:
    """Show what the project holds now (another window wrote, or a write failed): the
    article list, the label scheme, and the open article's spans and status, where the
    reader is. Whether the open article's spans changed."""
    links, stored = window.claims.links, window.store.labels()
    if stored != window.labels or (  # renamed, recoloured, a key or label added
        window.store.relation_types() != links.relation_types
        or window.store.attribute_types() != links.attribute_types
    ):
        said = [window.history.forget_if_labels_gone(window.labels, stored)]
        # Keys changed elsewhere (``annotator labels set``) are said here too: the one at
        # this window is the annotator used to pressing 5 (the legend changed unsaid).
        if moved := _keys_moved(window, effective_keys(stored)):
            said.append(f"{KEYS_MOVED}{'; '.join(moved)}")
        if said := [line for line in said if line]:
            window.show_problem(". ".join(said))
        window.reload_labels()
        window.editor.refresh_span_list_soon()
    if window.entity_links.actors_changed_elsewhere():
        show_actors_again(window)  # renamed by `annotator actors` or another window
    listed = window.store.article_list_key(window.annotator) != window._list_key
    if listed:
        window.refresh_article_list()  # not on another annotator's edit
    follow_guidelines(window)
    if window.labels_dialog is not None:  # its span counts: another window's spans too
        window.labels_dialog.window_edited()
    if window.current is None or window.current.loading:
        return False
    article_id = window.current.id
    if listed and (title := window.store.article(article_id).title) != window.current.article.title:
        # retitled in another window (a title's edit moves the list's key)
        window.current.article = retitled(window.current.article, title)
        window.centre.set_heading(window.current.article)
    spans = window.store.open_article(article_id, window.annotator)
    status = window.store.status(article_id, window.annotator)
    # (a verdict or an origin changed alone too: "generic" given in another window, or a
    # suggestion relinked there, showed only once something else changed)
    changed = [_shown(s) for s in spans] != [_shown(s) for s in window.current.spans]
    if changed or status.status != window.current.status:
        window.current.status = status.status
        window.editor.show_stored(spans)
    else:
        window.claims.refresh()  # relations and values may have changed alone
    # Another program may have suggested it again (a model adopted, preannotate run).
    window.show_suggestion_model(window.store.shown_model(article_id, window.annotator))
    window.comments.show_stored(status.comment)
    return changed


def _shown(span: Span) -> tuple:
    """What the window shows of a span: its place and label, entry, verdict and origin."""
    return (span.id, span.key, span.kb_id, span.link_status, span.origin)
