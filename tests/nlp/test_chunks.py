"""Texts longer than the pipeline takes at once: cut where the text allows, offsets exact."""

from __future__ import annotations

import pytest
import spacy

from annotator.nlp.chunks import batches, chunk_starts, pieces
from annotator.nlp.loading import load_rules_only
from annotator.nlp.spacy_preannotator import SpacyPreAnnotator


def test_a_short_text_is_one_piece():
    assert chunk_starts("Aleppo.", 100) == [0]
    assert chunk_starts("", 100) == [0]


@pytest.mark.parametrize(
    ("text", "cut_after"),
    [
        ("First paragraph here.\n\nSecond one. More words here", "\n\n"),
        ("A line of words here\nand more words after it all", "\n"),
        ("A sentence with words. Another sentence follows here", ". "),
        ("words without any stop at all in this long stretch", " "),
    ],
)
def test_cuts_at_the_strongest_break_in_reach(text, cut_after):
    starts = chunk_starts(text, 32)
    assert len(starts) == 2
    assert text[: starts[1]].endswith(cut_after)


def test_a_text_without_breaks_is_cut_at_the_limit():
    assert chunk_starts("x" * 25, 10) == [0, 10, 20]


def test_pieces_cover_the_text_exactly_and_keep_within_the_size():
    text = ("Rebels shelled Aleppo.\n\nClashes near Homs, residents said. " * 50).strip()
    for size in (40, 97, 500):
        parts = pieces(text, size)
        assert "".join(piece for _, piece in parts) == text
        assert all(len(piece) <= size for _, piece in parts)
        assert all(text[start : start + len(piece)] == piece for start, piece in parts)


def test_a_text_over_max_length_is_pre_annotated_in_pieces():
    """spaCy refuses a text over ``nlp.max_length``; the pre-annotator cuts it and moves
    every span back to where it is in the whole text."""
    nlp = spacy.blank("en")
    nlp.max_length = 300
    small = SpacyPreAnnotator(nlp, name="test", description="test")
    paragraph = "Rebels shelled Aleppo on Monday, activists said. Hezbollah fighters entered Homs."
    text = "\n\n".join(f"{paragraph} Report {k}." for k in range(40))
    assert len(text) > 10 * nlp.max_length
    with pytest.raises(ValueError):
        nlp(text)
    spans = next(small.suggest([text, "Fighting in Mosul."]))
    whole = load_rules_only()
    whole.nlp.max_length = len(text) + 1
    assert sorted((s.start, s.end, s.label) for s in spans) == sorted(
        (s.start, s.end, s.label) for s in next(whole.suggest([text]))
    )
    found = [(text[s.start : s.end], s.label) for s in spans]
    assert found.count(("Aleppo", "LOCATION")) == 40
    assert found.count(("Rebels shelled Aleppo on Monday", "CLAIM")) == 40
    assert [
        [(s.label, "Fighting in Mosul."[s.start : s.end]) for s in spans]
        for spans in small.suggest(["Fighting in Mosul."])
    ] == [[("LOCATION", "Mosul")]]


def test_batches_hold_few_characters_and_keep_the_order():
    items = [("a" * n, k) for k, n in enumerate([10, 10, 10, 50, 10, 10])]
    grouped = list(batches(items, size=4, chars=30))
    assert [[k for _, k in batch] for batch in grouped] == [[0, 1, 2], [3], [4, 5]]
    assert [[k for _, k in b] for b in batches(items, size=2, chars=1000)] == [
        [0, 1],
        [2, 3],
        [4, 5],
    ]
