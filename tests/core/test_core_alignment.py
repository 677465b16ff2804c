"""One token table for snapping, export and agreement: the same answers each way asked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.alignment import TokenAlignment

# "Rebels  took Kidal.\n" as spaCy splits it: the second space and the line break are tokens.
TEXT = "Rebels  took Kidal.\n"
TOKENS = TokenAlignment(
    [0, 7, 8, 13, 18, 19],
    [6, 8, 12, 18, 19, 20],
    is_space=[False, True, False, False, False, True],
    space_after=[True, False, True, False, False, False],
)


def test_words_leave_whitespace_tokens_out():
    assert TOKENS.words().bounds() == [(0, 6), (8, 12), (13, 18), (18, 19)]


def test_tiling_rebuilds_offsets_from_lengths():
    rebuilt = TokenAlignment.tiling([6, 1, 4, 5, 1, 1], TOKENS.space_after, TOKENS.is_space)
    assert rebuilt == TOKENS


def test_snapping_covering_and_alignment_agree():
    words = TOKENS.words()
    assert words.snap(2, 10) == (0, 12)  # from inside "Rebels" to inside "took"
    assert words.snap(10, 10) == (8, 12)  # a caret takes the token under it
    assert words.snap(6, 8) is None  # only spaces
    assert TOKENS.covering(2, 10) == (0, 2) and TOKENS.aligned(2, 10) is None
    assert TOKENS.aligned(13, 19) == (3, 4)
    assert words.move_edge(0, 6, "end", 1) == (0, 12)
    assert words.move_edge(8, 18, "start", -1) == (13, 18)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 21), st.integers(0, 21)), max_size=8))
def test_ranges_of_many_spans_are_each_spans_covering(spans):
    starts = [min(a, b) for a, b in spans]
    ends = [max(a, b) for a, b in spans]
    first, last = TOKENS.ranges(starts, ends)
    for s, e, f, after in zip(starts, ends, first.tolist(), last.tolist(), strict=True):
        covered = TOKENS.covering(s, e)
        assert (covered is None) == (f == after)
        if covered is not None:
            assert covered == (f, after - 1)
