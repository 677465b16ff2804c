"""Suggestions index the text as stored: line breaks, emoji, Arabic, normalised CRLF."""

from __future__ import annotations

from annotator.core.text import normalize_newlines
from tests.nlp.helpers import suggest_one


def labelled(text, spans):
    return [(text[s.start : s.end], s.label) for s in spans]


def test_hard_line_breaks_are_joined_for_the_model_and_offsets_stay_valid(rules):
    text = "Rebels seized Deir\nez-Zor on Monday,\nactivists said.\n\nAleppo was quiet."
    spans = suggest_one(rules, text)
    assert ("Deir\nez-Zor", "LOCATION") in labelled(text, spans)
    assert ("Rebels seized Deir\nez-Zor on Monday", "CLAIM") in labelled(text, spans)
    assert ("Aleppo", "LOCATION") in labelled(text, spans)


def test_offsets_are_code_points_with_emoji_and_arabic(rules):
    text = "🇸🇾🔥 حلب — Rebels shelled Aleppo 👀 and Homs, activists said. 👍🏽 Hama."
    spans = suggest_one(rules, text)
    found = labelled(text, spans)
    assert ("Aleppo", "LOCATION") in found
    assert ("Homs", "LOCATION") in found
    assert ("Hama", "LOCATION") in found
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)


def test_offsets_valid_on_crlf_text_after_normalisation(rules):
    raw = "Clashes in Idlib.\r\nThe army said\r\nthat rebels fled Hama.\r\n"
    text = normalize_newlines(raw)
    found = labelled(text, suggest_one(rules, text))
    assert ("Idlib", "LOCATION") in found
    assert ("Hama", "LOCATION") in found
    assert ("rebels fled Hama", "CLAIM") in found


def test_one_result_per_text_in_order(rules):
    texts = ["Aleppo.", "", "Nothing here.", "Fighting in Mosul."]
    results = list(rules.suggest(texts, batch_size=2))
    assert [labelled(t, s) for t, s in zip(texts, results, strict=True)] == [
        [("Aleppo", "LOCATION")],
        [],
        [],
        [("Mosul", "LOCATION")],
    ]


def test_a_character_as_the_reader_sees_it_is_never_cut_into_tokens():
    from annotator.nlp.tokens import token_bounds

    text = "Aleppo 🇸🇾🇺🇦 x 👨‍👩‍👧 👍🏽 🏴󠁧󠁢󠁳󠁣󠁴󠁿 cafe\u0301 1️⃣ end"
    assert [text[s:e] for s, e in token_bounds(text)] == [
        "Aleppo", "🇸🇾", "🇺🇦", "x", "👨‍👩‍👧", "👍🏽", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "cafe\u0301", "1️⃣", "end",
    ]  # fmt: skip


def test_each_chinese_or_japanese_character_is_a_token_and_other_words_are_not_cut():
    from annotator.nlp.tokens import token_bounds

    text = "Xinhua说：北京2024年 東京タワー shelling in Aleppo, U.S.-backed."
    assert [text[s:e] for s, e in token_bounds(text)] == [
        "Xinhua", "说", "：", "北", "京", "2024", "年", "東", "京", "タ", "ワ", "ー",
        "shelling", "in", "Aleppo", ",", "U.S.-backed", ".",
    ]  # fmt: skip


def test_invisible_marks_at_a_words_edges_are_split_off_and_inside_it_kept():
    """ "near \u200eإدلب\u200e." was one token: a place snapped to it took the full stop."""
    from annotator.nlp.tokens import token_bounds

    text = "Near \u200eإدلب\u200e. (\u200fحماس\u200f), Kyiv\u00ad. Nya\u200bla de\u00adnied."
    assert [text[s:e] for s, e in token_bounds(text)] == [
        "Near", "\u200e", "إدلب", "\u200e", ".", "(", "\u200f", "حماس", "\u200f", ")", ",",
        "Kyiv", "\u00ad", ".", "Nya\u200bla", "de\u00adnied", ".",
    ]  # fmt: skip


def test_a_stop_after_a_transliterated_names_modifier_letter_is_split_off():
    """ "Ṣanʿāʾ." was one token (spaCy splits a stop only after a letter or digit): a place
    snapped to it took the full stop, and its exact span could not be exported."""
    from annotator.nlp.tokens import token_bounds

    text = "Strikes hit Ṣanʿāʾ. Al-Sharaʿ, Sanaʼ; Hawaiʻi. ʿAdan Ṣanʿāʾ-based Ṣanʿāʾ/Aden"
    assert [text[s:e] for s, e in token_bounds(text)] == [
        "Strikes", "hit", "Ṣanʿāʾ", ".", "Al", "-", "Sharaʿ", ",", "Sanaʼ", ";", "Hawaiʻi", ".",
        "ʿAdan", "Ṣanʿāʾ", "-", "based", "Ṣanʿāʾ", "/", "Aden",
    ]  # fmt: skip


def test_the_pipeline_that_suggests_cuts_tokens_as_the_project_does():
    """The pipeline's own tokenizer kept "Ṣanʿāʾ." whole: "Residents of Ṣanʿāʾ." was
    suggested with the stop, which the project's tokens, and the exports, leave out. Given
    twice (a saved project model), the rules are there once."""
    import spacy

    from annotator.nlp.components import add_rule_components
    from annotator.nlp.tokens import token_bounds

    nlp = spacy.blank("en")
    add_rule_components(nlp)
    add_rule_components(nlp)
    text = "Residents of Ṣanʿāʾ. Ṣanʿāʾ-based 李明说 bbc.com报道 \u200eإدلب\u200e."
    assert [(t.idx, t.idx + len(t)) for t in nlp.make_doc(text)] == token_bounds(text)
    assert nlp.tokenizer.url_match.__self__.pattern.count("(?!.*") == 1


def test_a_host_name_or_number_before_chinese_does_not_take_the_clause_with_it():
    """spaCy's URL rule comes first: "2.伊德利卜发生爆炸" and "bbc.com报道…" were one token."""
    from annotator.nlp.tokens import token_bounds

    for text, first in (
        ("2.伊德利卜发生爆炸。", "2."),
        ("据bbc.com报道阿勒颇", "据"),
        ("St.阿勒颇", "St."),
    ):
        words = [text[s:e] for s, e in token_bounds(text)]
        assert words[0] == first, words
        assert all(len(w) == 1 for w in words if not w.isascii()), words
    text = "see bbc.com now"
    assert [text[s:e] for s, e in token_bounds(text)] == ["see", "bbc.com", "now"]
