"""The span-editing rules both windows follow, without Qt and without a model."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.editing import (
    EditRefused,
    SpanEdit,
    SpanList,
    applied,
    create,
    delete,
    label_every_mention,
    label_selection,
    move_edge,
    next_span,
    other_mentions,
    overlapping,
    span_under,
)
from annotator.core.lazy_tokens import LazyTokens, stretches
from annotator.core.model import Span
from annotator.core.spans import TokenIndex

TEXT = "Government forces shelled Aleppo, activists said."
KINDS = {"LOCATION": "entity", "FACTION": "entity", "CLAIM": "claim"}


def words(text: str) -> TokenIndex:
    bounds, start = [], None
    for i, char in enumerate(text + " "):
        if char.isalnum() or char == "-":
            start = i if start is None else start
        else:
            if start is not None:
                bounds.append((start, i))
                start = None
            if not char.isspace() and i < len(text):
                bounds.append((i, i + 1))
    return TokenIndex(bounds)


TOKENS = words(TEXT)
FORCES = Span(0, 17, "FACTION", origin="model", id=1)
ALEPPO = Span(26, 32, "LOCATION", origin="model", id=2)
SPANS = [FORCES, ALEPPO]


def test_a_selection_inside_a_word_becomes_the_whole_word():
    edit = create(SPANS, 36, 40, "FACTION", KINDS, TOKENS)  # "tivi" of "activists"
    assert edit == SpanEdit([], [Span(34, 43, "FACTION")], "add FACTION")


def test_an_entity_replaces_the_entities_it_overlaps_but_a_claim_contains_them():
    edit = create(SPANS, 0, 10, "LOCATION", KINDS, TOKENS)
    assert edit.removed == [FORCES] and edit.added == [Span(0, 10, "LOCATION")]
    claim = create(SPANS, 0, 32, "CLAIM", KINDS, TOKENS)
    assert claim.removed == [] and claim.added == [Span(0, 32, "CLAIM")]


def test_an_existing_span_is_returned_to_be_selected_not_made_twice():
    assert create(SPANS, 27, 30, "LOCATION", KINDS, TOKENS) is ALEPPO


def test_a_selection_of_spaces_only_is_refused():
    with pytest.raises(EditRefused, match="no word"):
        create(SPANS, 17, 18, "FACTION", KINDS, TOKENS)


def test_the_label_key_relabels_the_selected_span_and_marks_a_suggestion_edited():
    edit = label_selection(SPANS, ALEPPO, 26, 26, "FACTION", KINDS, TOKENS)
    (new,) = edit.added
    assert (new.label, new.origin, new.id) == ("FACTION", "edited", 2)
    assert label_selection(SPANS, ALEPPO, 26, 32, "LOCATION", KINDS, TOKENS) is None
    with pytest.raises(EditRefused, match="Select some text"):
        label_selection(SPANS, None, 5, 5, "CLAIM", KINDS, TOKENS)


def test_moving_an_edge_into_another_entity_is_refused_with_its_text():
    near = [Span(0, 10, "FACTION", id=1), Span(11, 17, "LOCATION", id=2)]
    with pytest.raises(EditRefused, match="LOCATION 'forces'"):
        move_edge(near, near[0], TOKENS, "end", 1, KINDS, TEXT)
    edit = move_edge(SPANS, ALEPPO, TOKENS, "end", 1, KINDS, TEXT)
    assert edit.added == [Span(26, 33, "LOCATION")]  # the comma is the next token
    with pytest.raises(EditRefused, match="cannot move"):
        move_edge(SPANS, ALEPPO, TOKENS, "end", -1, KINDS, TEXT)


def test_a_click_takes_the_innermost_span_then_the_enclosing_one():
    claim = Span(0, 32, "CLAIM", id=3)
    spans = [FORCES, claim, ALEPPO]
    assert span_under(spans, 28, None) is ALEPPO
    assert span_under(spans, 28, ALEPPO) is claim
    assert span_under(spans, 28, claim) is ALEPPO
    assert span_under(spans, 45, None) is None


def test_tab_walks_the_spans_from_the_selection_or_the_caret():
    assert next_span(SPANS, FORCES, 0) is ALEPPO
    assert next_span(SPANS, ALEPPO, 0) is FORCES
    assert next_span(SPANS, None, 20) is ALEPPO
    assert next_span(SPANS, None, 20, -1) is FORCES


def test_an_edit_applied_to_spans_not_stored_yet_removes_that_very_span():
    gold = [Span(0, 17, "FACTION"), Span(26, 32, "LOCATION")]  # no ids: pre-filled gold
    after = applied(gold, delete(gold[1]))
    assert after == [Span(0, 17, "FACTION")]


# -- tokens, a stretch at a time -------------------------------------------------------------


def regex_tokens(text: str) -> list[tuple[int, int]]:
    """Runs of word characters and single other characters, never across whitespace."""
    return [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]


texts = st.lists(
    st.tuples(
        st.text("abc,.é😀", min_size=1, max_size=6), st.sampled_from([" ", "\n", "  ", "\n\n"])
    ),
    max_size=40,
).map(lambda pairs: "".join(word + space for word, space in pairs))


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(0, 400), st.integers(0, 400))
def test_lazy_tokens_answer_as_the_whole_text_tokenized_at_once(text, a, b):
    lazy = LazyTokens(text, regex_tokens, size=16)
    whole = TokenIndex(regex_tokens(text))
    a, b = min(a, len(text)), min(b, len(text))
    assert lazy.snap(a, b) == whole.snap(a, b)
    span = whole.snap(min(a, b), max(a, b))
    if span is not None:
        for edge in ("start", "end"):
            for step in (1, -1):
                fresh = LazyTokens(text, regex_tokens, size=16)  # nothing tokenized yet
                assert fresh.move_edge(*span, edge, step) == whole.move_edge(*span, edge, step)
    assert lazy.bounds() == regex_tokens(text)


def test_stretches_end_after_whitespace_and_only_what_is_asked_is_tokenized():
    text = ("Rebels took the town. " * 40 + "\n") * 30  # 26,430 characters
    starts = stretches(text, 10_000)
    assert len(starts) == 3 and all(text[s - 1] == "\n" for s in starts[1:])
    asked = []
    lazy = LazyTokens(text, lambda part: asked.append(len(part)) or regex_tokens(part), 10_000)
    far = text.index("town", 20_000)
    assert lazy.snap(far + 1, far + 2) == (far, far + 4)
    assert len(asked) == 1 and asked[0] <= 10_000  # the one stretch holding the selection
    while lazy.prepare(0):
        pass
    assert len(asked) == 3


def test_a_span_list_finds_the_spans_near_a_gesture_as_a_full_scan_does():
    spans = sorted(
        [
            Span(i * 7 % 997, i * 7 % 997 + 1 + i % 40, "CLAIM" if i % 5 else "LOCATION", id=i)
            for i in range(400)
        ],
        key=lambda s: (s.start, s.end),
    )
    fast = SpanList(spans)
    for start, end in [(0, 1), (100, 100), (250, 300), (990, 1100), (-5, 3)]:
        assert fast.overlapping(start, end) == overlapping(spans, start, end)
    assert create(fast, 500, 520, "LOCATION", KINDS, None) == create(
        spans, 500, 520, "LOCATION", KINDS, None
    )
    assert span_under(fast, 321, None) is span_under(spans, 321, None)


def test_an_entity_never_runs_over_a_paragraph_break_but_a_claim_may():
    text = "Rebels took Idlib.\n\nThe town fell, officials said."
    tokens = words(text)
    with pytest.raises(EditRefused, match="cannot run over a paragraph break"):
        label_selection([], None, 12, 23, "LOCATION", KINDS, tokens, text)
    claim = label_selection([], None, 0, 33, "CLAIM", KINDS, tokens, text)
    assert isinstance(claim, SpanEdit) and claim.added == [Span(0, 33, "CLAIM")]
    idlib = Span(12, 17, "LOCATION", id=1)
    move_edge([idlib], idlib, tokens, "end", 1, KINDS, text)  # the full stop: same paragraph
    wider = Span(12, 18, "LOCATION", id=1)
    with pytest.raises(EditRefused, match="paragraph break"):
        move_edge([wider], wider, tokens, "end", 1, KINDS, text)  # on to "The"


def test_an_edge_inside_a_long_run_without_spaces_stays_where_it_is():
    """Five characters of Chinese selected became a span of forty-seven: the tokenizer's
    whole run. Ordinary words still snap whole; a caret still takes its token."""
    text = (
        "叙利亚政府军周一炮击伊德利卜省的反对派阵地"
        "活动人士说这一说法无法核实另有消息称有人受伤 and rebels said"
    )
    tokens = words(text)
    start = text.index("伊德利卜省")
    edit = create([], start, start + 5, "LOCATION", KINDS, tokens)
    assert [text[s.start : s.end] for s in edit.added] == ["伊德利卜省"]
    rebels = text.index("rebels")
    edit = create([], rebels + 1, rebels + 3, "FACTION", KINDS, tokens)
    assert [text[s.start : s.end] for s in edit.added] == ["rebels"]
    edit = create([], start + 1, start + 1, "LOCATION", KINDS, tokens)
    assert edit.added[0].start == 0  # the caret's token, whole


# -- every mention -----------------------------------------------------------------------

REPEATS = (
    "Fighters entered Kafr Lusin at dawn. Kafr Lusinah lies north; Kafr Lusin's mayor fled.\n\n"
    "Residents of Kafr Lusin said the Kafr Lusin road was shelled. kafr lusin, Kafr Lusin."
)


def test_every_mention_labels_the_same_words_as_whole_tokens_with_the_names_entry():
    named = Span(17, 27, "LOCATION", origin="human", id=1, kb_id="geonames:1")
    road = REPEATS.index("Kafr Lusin road")
    taken = Span(road, road + 15, "LOCATION", origin="model", id=2)  # a longer name stays
    claim = Span(0, 35, "CLAIM", id=3)  # inside a claim is no reason to leave a name out
    spans = [claim, named, taken]
    edit = label_every_mention(spans, named, REPEATS, KINDS, words(REPEATS))
    found = [REPEATS[s.start : s.end] for s in edit.added]
    # "Kafr Lusinah" is another word and "kafr lusin" another case; "Kafr Lusin's" is one.
    assert found == ["Kafr Lusin"] * 3
    starts = [s.start for s in edit.added]
    last = REPEATS.rindex("Kafr Lusin")
    assert starts == [REPEATS.index("Kafr Lusin's"), REPEATS.index("Kafr Lusin said"), last]
    assert {(s.label, s.kb_id, s.origin, s.id) for s in edit.added} == {
        ("LOCATION", "geonames:1", "human", None)
    }
    assert edit.removed == []
    # Exact boundaries: the same, by the characters around a mention.
    assert label_every_mention(spans, named, REPEATS, KINDS, None).added == edit.added


def test_every_mention_gives_the_name_to_suggestions_and_entryless_spans_of_its_words():
    """A suggestion of the same words (the model's guess) takes the annotator's label and
    entry, and a span of the name's label with no entry takes the entry; what the annotator
    relabelled or linked to another entry keeps it. They were all left alone."""
    text = "Georgia said. Georgia denied. Georgia wept. Georgia won. Georgia lost. Georgia."
    at = [i for i in range(len(text)) if text.startswith("Georgia", i)]
    named = Span(at[0], at[0] + 7, "LOCATION", origin="human", id=1, kb_id="geonames:614540")
    spans = [
        named,
        Span(at[1], at[1] + 7, "FACTION", origin="model", id=2),  # a guess: follows
        Span(at[2], at[2] + 7, "LOCATION", origin="model", id=3, kb_id="geonames:4197000"),
        Span(at[3], at[3] + 7, "LOCATION", origin="human", id=4),  # no entry yet: takes it
        Span(at[4], at[4] + 7, "FACTION", origin="edited", id=5),  # relabelled: stays
        Span(at[5], at[5] + 7, "LOCATION", origin="human", id=6, kb_id="geonames:4197000"),
    ]
    edit = label_every_mention(spans, named, text, KINDS, words(text))
    assert [s.id for s in edit.removed] == [2, 3, 4]
    assert [(s.id, s.start, s.label, s.kb_id, s.origin) for s in edit.added] == [
        (2, at[1], "LOCATION", "geonames:614540", "edited"),
        (3, at[2], "LOCATION", "geonames:614540", "edited"),  # another entry: corrected
        (4, at[3], "LOCATION", "geonames:614540", "human"),
    ]
    assert edit.description == "LOCATION for 3 more mentions"
    done = [*edit.added, named, spans[4], spans[5]]
    with pytest.raises(EditRefused, match="No other mention"):
        label_every_mention(done, named, text, KINDS, words(text))


def test_every_mention_leaves_a_verdict_and_a_suggested_source_of_another_label():
    """ "Not in the gazetteer" said of one Hama was linked over; and the suggested FACTION
    "Syria", the source of "denied the reports", became a LOCATION, the claim losing its
    source without a word."""
    text = "Hama fell. Hama again. Syria wept. Syria denied it. Syria said."
    hama = [i for i in range(len(text)) if text.startswith("Hama", i)]
    named = Span(hama[0], hama[0] + 4, "LOCATION", origin="human", id=1, kb_id="geonames:1")
    judged = Span(hama[1], hama[1] + 4, "LOCATION", origin="human", id=2, link_status="unknown")
    with pytest.raises(EditRefused, match="No other mention"):
        label_every_mention([named, judged], named, text, KINDS, words(text))
    syria = [i for i in range(len(text)) if text.startswith("Syria", i)]
    place = Span(syria[0], syria[0] + 5, "LOCATION", origin="human", id=3)
    speaker = Span(syria[1], syria[1] + 5, "FACTION", origin="model", id=4)
    guess = Span(syria[2], syria[2] + 5, "FACTION", origin="model", id=5)
    edit = label_every_mention(
        [place, speaker, guess], place, text, KINDS, words(text), related={4, 9}
    )
    assert [(s.id, s.label) for s in edit.added] == [(5, "LOCATION")]


def test_every_mention_gives_a_names_verdict_to_the_mentions_it_labels_and_follows():
    """ "Not in the gazetteer" went to no mention made by ``=`` (they read "–"), nor to a
    suggestion of the same label without an entry (it seemed to have the name's already)."""
    text = "Hama fell. Hama again. Hama."
    hama = [i for i in range(len(text)) if text.startswith("Hama", i)]
    named = Span(hama[0], hama[0] + 4, "LOCATION", origin="human", id=1, link_status="unknown")
    guess = Span(hama[1], hama[1] + 4, "LOCATION", origin="model", id=2)
    edit = label_every_mention([named, guess], named, text, KINDS, words(text))
    assert [(s.start, s.kb_id, s.link_status) for s in edit.added] == [
        (hama[2], "", "unknown"),  # made
        (hama[1], "", "unknown"),  # followed
    ]


def test_every_mention_refuses_a_claim_and_says_when_there_is_nothing_left():
    claim = Span(0, 35, "CLAIM", id=3)
    with pytest.raises(EditRefused, match="for names"):
        label_every_mention([claim], claim, REPEATS, KINDS, words(REPEATS))
    aleppo = Span(26, 32, "LOCATION", id=2)
    with pytest.raises(EditRefused, match="No other mention of 'Aleppo'"):
        label_every_mention([aleppo], aleppo, TEXT, KINDS, TOKENS)


def test_mentions_that_overlap_each_other_take_the_first():
    text = "Walla Walla, then Walla Walla Walla."
    first = Span(0, 11, "LOCATION", id=1)
    found = other_mentions([first], first, text, KINDS, words(text))
    assert [(s.start, s.end) for s in found] == [(18, 29)]  # not (24, 35) as well
