"""The one UTF-16 <-> code point table, used by the window and by the doccano format."""

import pytest

from annotator.core.offsets import Utf16Offsets


@pytest.mark.parametrize(
    "text",
    ["plain ascii", "a👍🏽b🇸🇩c", "👨‍👩‍👧 x 😀", "Ḥalab الحسكة 😀z", "e\u0301\u0301 😀\n😀", ""],
)
def test_offsets_agree_with_python_utf16_encoding(text):
    offsets = Utf16Offsets(text)
    assert offsets.utf16_length == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        utf16 = len(text[:cp].encode("utf-16-le")) // 2
        assert offsets.to_utf16(cp) == utf16
        assert offsets.from_utf16(utf16) == cp
        assert not offsets.splits_pair(utf16)


def test_a_position_inside_a_surrogate_pair_is_flagged_and_rounds_down():
    units = Utf16Offsets("a👨‍👩‍👧b")  # three astral code points joined by two ZWJ
    assert [units.to_utf16(i) for i in range(7)] == [0, 1, 3, 4, 6, 7, 9]
    inside = [u for u in range(10) if units.splits_pair(u)]
    assert inside == [2, 5, 8]
    assert [units.from_utf16(u) for u in inside] == [1, 3, 5]
    assert Utf16Offsets("plain").same and not units.same
