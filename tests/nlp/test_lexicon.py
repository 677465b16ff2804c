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
