"""core/: text normalisation, hashing, line joining and span rules, without Qt or a model."""

from annotator.core import (
    Span,
    TokenIndex,
    entity_conflicts,
    filter_overlapping,
    join_hard_line_breaks,
    normalize_newlines,
    text_hash,
)
from annotator.core.text import excerpt_ends, newline_offset_map

KINDS = {"LOCATION": "entity", "FACTION": "entity", "CLAIM": "claim"}


def test_crlf_and_lone_cr_become_newlines():
    assert normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_newline_offset_map_points_at_the_same_characters():
    raw = "Idlib\r\nshelled\r\n\r\nby forces"
    text = normalize_newlines(raw)
    to_stored = newline_offset_map(raw)
    for word in ("Idlib", "shelled", "forces"):
        start = raw.index(word)
        assert text[to_stored(start) : to_stored(start + len(word))] == word


def test_hard_line_breaks_join_one_for_one_and_keep_paragraphs():
    text = "Rebels said they\nheld the town.\n\nOfficials denied it."
    joined = join_hard_line_breaks(text)
    assert joined == "Rebels said they held the town.\n\nOfficials denied it."
    assert len(joined) == len(text)
    # A form feed or vertical tab between words is a space to the model, one for one.
    assert join_hard_line_breaks("Government\fforces took\vIdlib.") == (
        "Government forces took Idlib."
    )
    # and the no-break and narrow spaces of typeset text; a zero-width space is no space
    assert join_hard_line_breaks("El\u00a0Fasher\u202fto\u2009Nya\u200bla\u3000x") == (
        "El Fasher to Nya\u200bla x"
    )


def test_an_apostrophe_inside_a_word_is_the_ascii_one_to_the_model():
    """ "Hay’at Tahrir al-Sham" was two factions and "Maʼrib" a FACTION, where "Hay'at"
    and "Ma'rib" were right; a quotation mark or a name's final letter stays."""
    text = "Hay’at and Maʼrib, Taʿizz and Ṣanʿāʾ: ‘rebels’ didn’t, Hawaiʻi’s"
    joined = join_hard_line_breaks(text)
    assert joined == "Hay'at and Ma'rib, Taʿizz and Ṣanʿāʾ: ‘rebels’ didn't, Hawaiʻi's"
    assert len(joined) == len(text)


def test_a_hamza_before_a_transliterated_word_stays_no_possessive():
    """ "RAʼS AL-ʻAYN (AP) -" read as "RA'S": "RA" a LOCATION and "'S" a possessive."""
    text = "RAʼS AL-ʻAYN and Ra’s al-‘Ayn; Hamasʼs men, Syria’s al-Qaeda"
    joined = join_hard_line_breaks(text)
    assert joined == "RAʼS AL-ʻAYN and Ra’s al-‘Ayn; Hamas's men, Syria's al-Qaeda"


def test_text_hash_is_sha256_of_utf8():
    assert text_hash("é") == "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"


def test_span_equality_ignores_bookkeeping():
    assert Span(1, 4, "LOCATION", origin="model", id=7) == Span(1, 4, "LOCATION")
    assert Span(1, 4, "LOCATION") != Span(1, 4, "FACTION")
    assert len({Span(1, 4, "LOCATION", id=1), Span(1, 4, "LOCATION", id=2)}) == 1


def test_entities_conflict_with_overlapping_entities_but_not_with_claims():
    claim = Span(0, 30, "CLAIM")
    town = Span(5, 10, "LOCATION")
    group = Span(8, 14, "FACTION")
    assert entity_conflicts(group, [claim, town], KINDS) == [town]
    assert entity_conflicts(claim, [town, group], KINDS) == []
    assert entity_conflicts(Span(20, 25, "FACTION"), [town], KINDS) == []


def test_filter_overlapping_keeps_longest_then_earliest():
    spans = [Span(0, 5, "LOCATION"), Span(3, 12, "FACTION"), Span(12, 15, "LOCATION")]
    assert filter_overlapping(spans) == [Span(3, 12, "FACTION"), Span(12, 15, "LOCATION")]


BOUNDS = [(0, 6), (7, 12), (13, 17), (18, 25), (25, 26)]  # "Rebels shell Homs outskirt."


def test_snap_expands_a_partial_selection_to_whole_tokens():
    index = TokenIndex(BOUNDS)
    assert index.snap(9, 15) == (7, 17)
    assert index.snap(15, 9) == (7, 17)
    assert index.snap(6, 7) is None  # only the space between tokens
    assert index.snap(14, 14) == (13, 17)  # a caret takes its token


def test_move_edge_widens_and_narrows_by_one_token():
    index = TokenIndex(BOUNDS)
    assert index.move_edge(7, 17, "end", +1) == (7, 25)
    assert index.move_edge(7, 17, "end", -1) == (7, 12)
    assert index.move_edge(7, 12, "end", -1) == (7, 12)  # never empty
    assert index.move_edge(7, 17, "start", +1) == (0, 17)
    assert index.move_edge(7, 17, "start", -1) == (13, 17)
    assert index.move_edge(0, 6, "start", +1) == (0, 6)  # text start
    assert index.move_edge(18, 26, "end", +1) == (18, 26)  # text end


def test_a_line_break_before_a_dateline_stays():
    """A headline joined to its dateline read as one sentence: one claim across both, and
    the place in capitals taken for a group."""
    for kept in (
        "Missiles hit Kharkiv, governor says\nKYIV, Ukraine (Reuters) - Missiles struck.",
        "Rebels seize a town, officials say\nGOMA (Reuters) - M23 rebels captured it.",
        "Army retakes suburbs\nKYIV, Ukraine, March 3 (AP) — Forces said they had.",
        # the place as running text writes it: the date makes it a dateline
        "Shelling stops\nHoms, 3 May 2024 - residents said it had.",
        "Water cut\nAleppo, March 14, 2024: residents said it was.",
    ):
        assert join_hard_line_breaks(kept) == kept
    # Wrapped mid-sentence before an acronym and a comma: joined, as any wrap.
    for wrapped in (
        "blamed on the\nRSF, hit a market",
        "backed by the\nUS, had",
        "the\nUN-backed",
        "shelled\nHoms, the city - a day",
    ):
        assert "\n" not in join_hard_line_breaks(wrapped)


def test_hard_line_breaks_join_in_crlf_text_too():
    text = "Rebels said they\r\nheld the town.\r\n\r\nOfficials denied it."
    joined = join_hard_line_breaks(text)
    assert joined == "Rebels said they  held the town.\r\n\r\nOfficials denied it."
    assert len(joined) == len(text)


def test_an_excerpt_cut_in_the_middle_keeps_whole_words_from_both_ends():
    assert excerpt_ends("وكالة الأنباء السورية الرسمية (سانا)") == "وكالة الأنباء … (سانا)"
    assert excerpt_ends("وكالة الأنباء السورية الرسمية") == "وكالة الأنباء … الرسمية"
    assert excerpt_ends("Syrian Observatory for Human Rights in London") == "Syrian … in London"
    assert excerpt_ends("Syrian\nObservatory") == "Syrian Observatory"  # fits: on one line
    # one long word at an end: characters from both
    assert excerpt_ends("Supercalifragilisticexpialidocious-brigade") == "Supercalifr…ious-brigade"
    assert all(len(excerpt_ends("x " * n + "y" * n)) <= 24 for n in range(40))


def test_a_conflict_in_gold_is_said_by_its_words_in_the_window():
    """ "the LOCATION span at 5-29 would overlap the SOURCE span at 5-29" meant nothing to
    a reviewer of right-to-left text."""
    from annotator.core.errors import AnnotatorError
    from annotator.core.spans import EntityConflict

    text = "قالت منظمة Human Rights Watch إن"
    source = Span(5, 29, "SOURCE")
    place = Span(11, 29, "LOCATION")
    error = EntityConflict.in_gold(place, source)
    assert str(error).startswith("the LOCATION span at 11-29 would overlap the SOURCE span")
    assert error.in_words(text).startswith(
        "LOCATION 'Human Rights Watch' would overlap "
        "SOURCE '\u2068منظمة Human Rights Watch\u2069', which gold holds: delete or change"
    )
    assert AnnotatorError("no such label").in_words(text) == "no such label"
