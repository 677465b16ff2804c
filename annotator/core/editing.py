"""The rules of editing spans, shared by the annotation window and the review's gold lane.

Each rule takes the spans as they stand and an annotator's gesture (a selection and a
label key, a click, an edge moved) and returns a ``SpanEdit``: the spans to remove and the
spans to add, with a description for the undo history. A gesture the rules refuse raises
``EditRefused`` with a message for the status bar. Nothing here writes or draws: the
windows turn an edit into an undo command.

Snapping asks a ``Tokens`` object where the words of the text begin and end:
``core.lazy_tokens.LazyTokens`` computes them a stretch at a time, only where a gesture
needs them (``core.spans.TokenIndex`` answers too).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from annotator.core.errors import AnnotatorError
from annotator.core.model import ENTITY_KIND, Span
from annotator.core.spans import entity_conflicts

#: A blank line: where one paragraph ends and the next begins.
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class Tokens(Protocol):
    """Token boundaries of one text (``LazyTokens``, ``core.spans.TokenIndex``)."""

    def snap(self, start: int, end: int) -> tuple[int, int] | None: ...

    def move_edge(self, start: int, end: int, edge: str, step: int) -> tuple[int, int]: ...


class EditRefused(AnnotatorError):
    """The gesture would break a rule of the scheme; the message says which."""


@dataclass(frozen=True)
class SpanEdit:
    """Remove ``removed`` and add ``added``: one undoable change of one span set.

    A span in both (same id) is the same span changed in place.
    """

    removed: list[Span]
    added: list[Span]
    description: str


def edited(span: Span, **changes: object) -> Span:
    """``span`` with ``changes``; an accepted suggestion that is changed becomes ``edited``."""
    origin = "edited" if span.origin == "model" else span.origin
    return replace(span, origin=origin, **changes)  # type: ignore[arg-type]


def same_span(a: Span, b: Span | None) -> bool:
    """The same stored span (same id), or the very object for spans not stored yet."""
    return b is not None and (a is b or (a.id is not None and a.id == b.id))


class SpanList(list):
    """Spans sorted by start that find the ones overlapping a range by bisection: the rules
    look only near a gesture, so an article with 20,000 spans edits as fast as one with
    twenty. (Any sequence of spans will do for the rules; this one is quick.)"""

    def __init__(self, spans: Iterable[Span] = ()):
        super().__init__(spans)
        self.reach = max((s.end - s.start for s in self), default=0)  # the longest span

    def overlapping(self, start: int, end: int) -> list[Span]:
        low = bisect_left(self, start - self.reach, key=_start)
        high = bisect_left(self, end, key=_start)
        return [s for s in self[low:high] if s.end > start]


def _start(span: Span) -> int:
    return span.start


def overlapping(spans: Sequence[Span], start: int, end: int) -> list[Span]:
    """The spans of ``spans`` that overlap ``[start, end)``."""
    if isinstance(spans, SpanList):
        return spans.overlapping(start, end)
    return [s for s in spans if s.start < end and s.end > start]


def applied(spans: Iterable[Span], edit: SpanEdit) -> list[Span]:
    """The span set after ``edit``, in text order (for span sets kept whole, like gold)."""
    kept = [s for s in spans if not any(same_span(s, r) for r in edit.removed)]
    return sorted(kept + list(edit.added), key=lambda s: (s.start, s.end, s.label))


# -- gestures --------------------------------------------------------------------------------


def label_selection(
    spans: Sequence[Span],
    selected: Span | None,
    start: int,
    end: int,
    label: str,
    kinds: Mapping[str, str],
    tokens: Tokens | None,
    text: str = "",
) -> SpanEdit | Span | None:
    """A label's key: relabel the selected span, or make a span of the selected text.

    The selected span is relabelled when the selection is empty or is exactly that span.
    Returns the edit; an existing identical span (select it instead); or ``None`` when
    nothing changes (the span has that label already). ``tokens`` is ``None`` for
    exact character boundaries.
    """
    if selected is not None and (start == end or (start, end) == (selected.start, selected.end)):
        return relabel(spans, selected, label, kinds, text)
    if start >= end:
        raise EditRefused("Select some text first, or click a span")
    edit = create(spans, start, end, label, kinds, tokens)
    if isinstance(edit, SpanEdit):
        _within_a_paragraph(edit.added[0], kinds, text)
    return edit


#: Longer "tokens" are runs of a script written without spaces (or web addresses): a
#: selection's edge inside one stays where it is (five characters of Chinese selected
#: became a span of forty-seven, the whole run).
LONGEST_WORD = 24


def _snapped(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` expanded to whole tokens, but for an edge inside a long token."""
    start, end = min(start, end), max(start, end)
    snapped = tokens.snap(start, end)
    if snapped is None:
        raise EditRefused("The selection holds no word")
    if start == end:
        return snapped  # a caret takes the token under it
    first, last = tokens.snap(start, start), tokens.snap(end - 1, end - 1)
    if first is not None and first[1] - first[0] > LONGEST_WORD and first[0] < start:
        snapped = (start, snapped[1])
    if last is not None and last[1] - last[0] > LONGEST_WORD and end < last[1]:
        snapped = (snapped[0], end)
    return snapped


def create(
    spans: Sequence[Span],
    start: int,
    end: int,
    label: str,
    kinds: Mapping[str, str],
    tokens: Tokens | None,
) -> SpanEdit | Span:
    """A new span of ``label`` over ``[start, end)``, snapped to whole tokens.

    An entity replaces the LOCATION/FACTION spans it overlaps, so redrawing a wrong
    suggestion is one gesture; a CLAIM may contain anything. If the very span exists,
    it is returned instead of an edit.
    """
    if tokens is not None:
        start, end = _snapped(tokens, start, end)
    new = Span(start, end, label, origin="human")
    near = overlapping(spans, start, end)
    existing = next((s for s in near if s == new), None)
    if existing is not None:
        return existing
    replaced = entity_conflicts(new, near, kinds)
    verb = f"replace {len(replaced)} span(s) by" if replaced else "add"
    return SpanEdit(replaced, [new], f"{verb} {label}")


def relabel(
    spans: Sequence[Span], span: Span, label: str, kinds: Mapping[str, str], text: str = ""
) -> SpanEdit | None:
    if span.label == label:
        return None
    new = edited(span, label=label, kb_id="")  # a place's entry is no faction's
    return change(spans, span, new, kinds, f"relabel {span.label} → {label}", text)


def _within_a_paragraph(span: Span, kinds: Mapping[str, str], text: str) -> None:
    """A place, a group or a source is a name within one paragraph: refuse one that would
    run over a blank line (a claim may: a quotation can go on over paragraphs)."""
    entity = kinds.get(span.label, ENTITY_KIND) == ENTITY_KIND
    if entity and text and PARAGRAPH_BREAK.search(text, span.start, span.end):
        raise EditRefused(
            f"A {span.label} span cannot run over a paragraph break: select within one paragraph"
        )


def move_edge(
    spans: Sequence[Span],
    span: Span,
    tokens: Tokens,
    edge: str,
    step: int,
    kinds: Mapping[str, str],
    text: str = "",
) -> SpanEdit:
    """Widen (+1) or narrow (-1) ``span`` by one token at ``edge`` (``start`` or ``end``)."""
    start, end = tokens.move_edge(span.start, span.end, edge, step)
    if (start, end) == (span.start, span.end):
        raise EditRefused("The span cannot move further that way")
    new = edited(span, start=start, end=end)
    return change(spans, span, new, kinds, f"resize {span.label}", text)


def change(
    spans: Sequence[Span],
    span: Span,
    new: Span,
    kinds: Mapping[str, str],
    description: str,
    text: str = "",
) -> SpanEdit:
    """``span`` becomes ``new``, unless that makes a duplicate or overlaps another entity.

    ``text`` is the article's, to quote the spans in the way in a refusal.
    """
    others = [s for s in overlapping(spans, new.start, new.end) if not same_span(s, span)]
    if new in others:
        raise EditRefused("That span exists already")
    _within_a_paragraph(new, kinds, text)
    conflicts = entity_conflicts(new, others, kinds)
    if conflicts:
        names = ", ".join(
            f"{c.label} '{c.text(text)}'" if text else f"{c.label} at {c.start}-{c.end}"
            for c in conflicts
        )
        raise EditRefused(
            f"Would overlap {names}: entity spans (LOCATION, FACTION, SOURCE…) never overlap"
        )
    return SpanEdit([span], [new], description)


def delete(span: Span) -> SpanEdit:
    return SpanEdit([span], [], f"delete {span.label}")


def other_mentions(
    spans: Sequence[Span],
    span: Span,
    text: str,
    kinds: Mapping[str, str],
    tokens: Tokens | None,
) -> list[Span]:
    """Spans like ``span`` (its label and entry, made by hand) over the other mentions of
    its words in ``text``: the same characters, case and all, as whole tokens (with exact
    boundaries, not inside a word), where no entity span lies already: a mention the
    annotator gave another label, or left inside a longer name, keeps what it has."""
    return _unlabelled(_mentions(spans, span, text, kinds, tokens), span)


def _unlabelled(mentions: Iterable[Mention], span: Span) -> list[Span]:
    """Spans like ``span`` over those of ``mentions`` where no entity span lies, with its
    entry or its verdict ("not in the gazetteer" was given to the suggestions it followed,
    and not to the mentions it labelled)."""
    return [
        Span(start, end, span.label, origin="human", kb_id=span.kb_id, link_status=span.link_status)
        for start, end, there in mentions
        if not there
    ]


def mentions_to_follow(
    mentions: Iterable[Mention], span: Span, related: Container[int | None] = ()
) -> list[tuple[Span, Span]]:
    """Of ``mentions`` (``_mentions``: the other mentions of ``span``'s words, each with the
    entity spans over it), the spans over exactly one that take ``span``'s label and
    entry, each with what it becomes (same id: changed in place): a suggestion the annotator
    has not changed, which is the model's guess where ``span`` is the annotator's word, and a
    span of the same label with no entry nor verdict yet. A span the annotator relabelled,
    linked to an entry of its own or said has none ("not in the gazetteer") keeps what it
    has, and so does a suggestion of another label with a claim or a source (``related``,
    by id: the FACTION "Syria" that denied something), which a relabel would take away."""
    follow: list[tuple[Span, Span]] = []
    for start, end, there in mentions:
        if len(there) != 1 or there[0].key[:2] != (start, end):
            continue  # inside a longer name, or around a shorter one: left as it is
        (other,) = there
        if (other.label, other.kb_id, other.link_status) == (
            span.label,
            span.kb_id,
            span.link_status,
        ):
            continue  # (a suggestion with no entry took no "not in the gazetteer")
        if other.label != span.label and other.id in related:
            continue
        unsettled = not other.kb_id and other.link_status in ("", "linked")
        if other.origin == "model" or (other.label == span.label and unsettled):
            # (a suggestion given another entry is a corrected one, as one relabelled is)
            now = edited(other, label=span.label, kb_id=span.kb_id, link_status=span.link_status)
            follow.append((other, now))
    return follow


#: A mention of a name's words: its start, end and the entity spans over it.
Mention = tuple[int, int, list[Span]]


def _mentions(
    spans: Sequence[Span],
    span: Span,
    text: str,
    kinds: Mapping[str, str],
    tokens: Tokens | None,
) -> Iterator[Mention]:
    """The other mentions of ``span``'s words as whole tokens, each with the entity spans
    overlapping it; mentions that overlap each other ("Sudan Sudan") take the first."""
    words = span.text(text)
    if not isinstance(spans, SpanList):  # looked up once per mention: by bisection
        spans = SpanList(sorted(spans, key=_start))
    last_end = -1
    at = text.find(words)
    while at >= 0 and words:
        start, end = at, at + len(words)
        at = text.find(words, at + 1)
        if start == span.start or start < last_end or not _whole_words(text, start, end, tokens):
            continue
        there = [
            s
            for s in overlapping(spans, start, end)
            if kinds.get(s.label, ENTITY_KIND) == ENTITY_KIND
        ]
        if not there:
            last_end = end
        yield start, end, there


def _whole_words(text: str, start: int, end: int, tokens: Tokens | None) -> bool:
    if tokens is not None:
        return tokens.snap(start, end) == (start, end)
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (
        after.isalnum() and text[end - 1].isalnum()
    )


def label_every_mention(
    spans: Sequence[Span],
    span: Span,
    text: str,
    kinds: Mapping[str, str],
    tokens: Tokens | None,
    related: Container[int | None] = (),
) -> SpanEdit:
    """The selected place, group or source's label (and entry) for the other mentions of
    its words in the article (``other_mentions``), and for the spans over exactly those
    words that follow it (``mentions_to_follow``), as one edit."""
    if kinds.get(span.label, ENTITY_KIND) != ENTITY_KIND:
        raise EditRefused(f"Every mention is for names: a {span.label} is said once")
    mentions = list(_mentions(spans, span, text, kinds, tokens))
    added = _unlabelled(mentions, span)
    follow = mentions_to_follow(mentions, span, related)
    if not added and not follow:
        raise EditRefused(f"No other mention of '{span.text(text)}' without a span")
    count = len(added) + len(follow)
    more = "1 more mention" if count == 1 else f"{count} more mentions"
    return SpanEdit(
        [was for was, _ in follow], added + [now for _, now in follow], f"{span.label} for {more}"
    )


# -- choosing spans --------------------------------------------------------------------------


def span_under(spans: Sequence[Span], offset: int, selected: Span | None) -> Span | None:
    """The span a click at ``offset`` selects: the innermost; a click on the selected span
    takes the next enclosing one, and round again."""
    near = overlapping(spans, offset - 1, offset + 1)
    under = [s for s in near if s.start <= offset < s.end] or [
        s for s in near if s.start < offset <= s.end
    ]
    if not under:
        return None
    under.sort(key=lambda s: (s.end - s.start, s.start))
    for i, span in enumerate(under):
        if same_span(span, selected):
            return under[(i + 1) % len(under)]
    return under[0]


def next_span(
    spans: Sequence[Span], selected: Span | None, caret: int, step: int = 1
) -> Span | None:
    """Tab / Shift+Tab: the span after (before) the selected one, or after the caret."""
    if not spans:
        return None
    for i, span in enumerate(spans):
        if same_span(span, selected):
            return spans[(i + step) % len(spans)]
    index = next((i for i, s in enumerate(spans) if s.start >= caret), 0)
    if step < 0:
        index = (index - 1) % len(spans)
    return spans[index]
