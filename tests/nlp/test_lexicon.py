"""The resource files: names are written as the guidelines mark them."""

from __future__ import annotations

import pytest

from annotator.nlp.lexicon import load_lexicon, parse_gazetteer


def test_gazetteer_names_are_written_without_the():
    places, countries = parse_gazetteer("## Countries\nThe Gambia\nGambia\n## Syria\nIdlib\n")
    assert places == ["The Gambia", "Gambia", "Idlib"]
    assert countries == {"The Gambia", "Gambia"}
    with pytest.raises(ValueError, match="Gaza Strip"):
        parse_gazetteer("## Gaza\nthe Gaza Strip\n")


def test_shipped_resources_spell_the_only_as_part_of_a_name():
    lexicon = load_lexicon()
    named = [name for group in lexicon.named_factions for name in group]
    assert "The Hague" in lexicon.places and "Gaza Strip" in lexicon.places
    with_the = {n for n in [*lexicon.places, *named] if n.split()[0].lower() == "the"}
    assert with_the == {"The Gambia", "The Hague"}


def test_word_lists_saved_before_a_section_was_added_take_the_shipped_one():
    """A project model saved with an older entity_words.txt or claim_words.txt (no [person
    titles], no [after the source]) suggests with the shipped section, not an error."""
    import re

    from annotator.core.resources import resource_text
    from annotator.nlp.wordlists import ClaimWords, EntityWords

    def without(text: str, section: str) -> str:
        cut = re.sub(rf"\[{section}\]\n(?:[^\[]*)", "", text)
        assert f"[{section}]" in text and f"[{section}]" not in cut
        return cut

    shipped = EntityWords.parse(resource_text("entity_words.txt"))
    older = EntityWords.parse(without(resource_text("entity_words.txt"), "person titles"))
    assert "spokeswoman" in older.person_titles and older.person_titles == shipped.person_titles
    older = EntityWords.parse(without(resource_text("entity_words.txt"), "headline words"))
    assert "breaking" in older.headline_words
    claims = ClaimWords.parse(without(resource_text("claim_words.txt"), "after the source"))
    assert "as" in claims.after_source
    claims = ClaimWords.parse(without(resource_text("claim_words.txt"), "aside nouns"))
    assert "claim" in claims.aside_nouns
    with pytest.raises(ValueError, match="unknown section"):
        EntityWords.parse(resource_text("entity_words.txt") + "\n[person titels]\nMr.\n")
