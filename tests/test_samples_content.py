"""The bundled sample articles really carry the awkward text the program must handle.

The files are read as bytes from the installed package, exactly as the first-run project
imports them, so a tool or a git setting that rewrote them (dropped the CRLF, composed the
combining marks, stripped the emoji) would fail here.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from annotator.core.relations import DEFAULT_ATTRIBUTE_TYPES, DEFAULT_RELATION_TYPES
from annotator.core.resources import resource

RESOURCES = resource()
SAMPLES = RESOURCES / "samples"

ARABIC = re.compile("[\u0600-\u06ff]")
REGIONAL_INDICATOR = re.compile("[\U0001f1e6-\U0001f1ff]")
ZERO_WIDTH_JOINER = "\u200d"


def _sample_bytes() -> dict[str, bytes]:
    return {
        entry.name: entry.read_bytes() for entry in SAMPLES.iterdir() if entry.name.endswith(".txt")
    }


SAMPLE_BYTES = _sample_bytes()
SAMPLE_TEXT = {name: data.decode("utf-8") for name, data in SAMPLE_BYTES.items()}


def _is_emoji(char: str) -> bool:
    return ord(char) >= 0x1F000 or bool(REGIONAL_INDICATOR.match(char))


def _with(predicate) -> list[str]:
    return sorted(name for name, text in SAMPLE_TEXT.items() if predicate(text))


def test_at_least_twelve_sample_articles_are_bundled():
    assert len(SAMPLE_BYTES) >= 12, sorted(SAMPLE_BYTES)


@pytest.mark.parametrize("name", sorted(SAMPLE_BYTES))
def test_sample_is_utf8_with_headline_blank_line_and_body(name):
    text = SAMPLE_BYTES[name].decode("utf-8")  # raises on anything that is not UTF-8
    assert not text.startswith("\ufeff"), "no byte-order mark"
    lines = text.replace("\r\n", "\n").split("\n")
    headline = lines[0]
    assert headline.strip() == headline and 20 <= len(headline) <= 120, headline
    assert not headline.endswith("."), "a headline, not a sentence of the body"
    assert lines[1] == "", "a blank line separates headline and body"
    words = len(text.split())
    assert 120 <= words <= 500, f"{name} has {words} words"


def test_at_least_two_samples_carry_emoji_before_more_text():
    def emoji_before_names(text: str) -> bool:
        first = next((i for i, char in enumerate(text) if _is_emoji(char)), None)
        # The offsets of everything after the first emoji must survive conversion,
        # so there has to be real text (with capitalised names) after it.
        return first is not None and re.search(r"[A-Z][a-z]+", text[first:]) is not None

    assert len(_with(emoji_before_names)) >= 2


def test_samples_carry_a_flag_a_skin_tone_and_a_zwj_sequence():
    assert _with(lambda text: len(REGIONAL_INDICATOR.findall(text)) >= 2)
    assert _with(lambda text: re.search("[\U0001f3fb-\U0001f3ff]", text) is not None)
    assert _with(lambda text: re.search(f".{ZERO_WIDTH_JOINER}.", text) is not None)


def test_at_least_two_samples_carry_arabic_script():
    assert len(_with(lambda text: ARABIC.search(text) is not None)) >= 2


def test_a_sample_carries_decomposed_combining_marks():
    def decomposed(text: str) -> bool:
        has_mark = any(unicodedata.combining(char) for char in text)
        return has_mark and unicodedata.normalize("NFC", text) != text

    assert _with(decomposed)


def test_at_least_three_samples_use_crlf_throughout():
    crlf = [
        name
        for name, data in SAMPLE_BYTES.items()
        if b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    ]
    assert len(crlf) >= 3, crlf


def test_at_least_two_samples_are_hard_wrapped_mid_sentence():
    def hard_wrapped(text: str) -> bool:
        lines = text.replace("\r\n", "\n").split("\n")
        body = lines[2:]
        breaks_mid_sentence = any(
            line and following and line[-1] not in ".!?:\"'”)"
            for line, following in zip(body, body[1:], strict=False)
        )
        return breaks_mid_sentence and max(len(line) for line in body) <= 80

    assert len(_with(hard_wrapped)) >= 2


def test_a_sample_carries_literal_markup():
    assert _with(lambda text: "&amp;" in text and "<b>" in text and "<img " in text)


def test_guidelines_define_every_label_and_list_the_keys():
    guidelines = (RESOURCES / "guidelines.md").read_text(encoding="utf-8")
    for label in ("LOCATION", "FACTION", "CLAIM", "SOURCE"):
        assert f"## {label}" in guidelines, f"no section for {label}"
    for section in ("## The source of a claim", "## Claim attributes"):
        assert section in guidelines, section
    for attribute in DEFAULT_ATTRIBUTE_TYPES:
        assert f"| {attribute.name} | {', '.join(attribute.values)} |" in guidelines
    for key, label in (("1", "LOCATION"), ("2", "FACTION"), ("3", "CLAIM"), ("4", "SOURCE")):
        assert re.search(rf"`{key}`.*{label}", guidelines), f"key {key} for {label}"
    for key in ("Delete", "Enter", "`N`", "`P`", "Ctrl+Z", "Ctrl+Shift+Z"):
        assert key in guidelines, key
    keys = guidelines.split("## Keys", 1)[1]
    assert "token" in keys, "the keys section explains snapping"
    for relation in DEFAULT_RELATION_TYPES:
        assert f"| `{relation.key}` on a selected claim |" in keys, relation.name
        assert f"`Shift+{relation.key}`" in keys, relation.name
    for attribute in DEFAULT_ATTRIBUTE_TYPES:
        assert f"| `{attribute.key}` | {attribute.name}:" in keys, attribute.name
