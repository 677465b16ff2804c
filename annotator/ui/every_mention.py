"""``=``: a name's label and entry for its other mentions in the article, and the status
bar's offer of it after a name made by hand (the rules: ``core.editing``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core import editing
from annotator.core.lazy_tokens import LazyTokens
from annotator.core.model import ENTITY_KIND
from annotator.core.text import counted, isolated

if TYPE_CHECKING:
    from annotator.ui.span_editor import SpanEditor


def label_every_mention(editor: SpanEditor) -> None:
    """``=``: the selected name's label and entry for its other mentions in the article
    (``core.editing.label_every_mention``), one undo step; the name stays selected."""
    current, span = editor.window.current, editor.selected
    if current is None:
        return
    text, kinds, tokens = current.article.text, editor.window.kinds, editor.tokens()
    relations = editor.window.claims.links.relations
    related = {r.head for r in relations} | {r.child for r in relations}
    editor.edit_selected(
        lambda spans, name: editing.label_every_mention(spans, name, text, kinds, tokens, related)
    )
    if span is not None and editor.written is not None and editor.window.current is current:
        # By the id it has now: a suggestion, at the article's first edit, became a copy.
        named = current.span(editor.window.history.ids.current(span.id))
        if named is not None:
            editor.select_span(named)
        count = len(editor.written.added)
        editor.say(
            f"{span.label} '{isolated(span.text(text))}': {counted(count, 'more mention')} "
            "labelled (Ctrl+Z undoes them)",
            6000,
        )


def offer_every_mention(editor: SpanEditor) -> None:
    """After a name is made by hand: say how often else it stands in the article
    without a span, and that ``=`` labels those mentions."""
    current, span = editor.window.current, editor.selected
    if current is None or span is None or span.origin == "model":
        return
    kinds = editor.window.kinds
    if kinds.get(span.label, ENTITY_KIND) != ENTITY_KIND:
        return
    text, tokens = current.article.text, editor.tokens()
    if isinstance(tokens, LazyTokens) and not tokens.complete:
        # Counting would tokenize the rest of the text now (1.6 s on 1,000,000
        # characters); the characters around each mention tell the same but for rare
        # words like "U.S." in "U.S.A.", and ``=`` itself snaps to tokens.
        tokens = None
    count = len(editing.other_mentions(current.spans, span, text, kinds, tokens))
    if count:
        more = "once more without a span: = labels it"
        if count > 1:
            more = f"{count} more times without a span: = labels them"
        editor.say(f"'{isolated(span.text(text))}' stands {more}", 6000)
