"""LOCATION and FACTION: the label mapping, the ORG/NORP filters, the gazetteer and lexicon.

The model's entities are set by hand on a blank pipeline's Doc, so no model is needed.
"""

from __future__ import annotations

import pytest

from annotator.core.spans import overlaps
from annotator.nlp.entities import MODEL_LABELS, plain_entity_spans
from tests.nlp.helpers import edge_errors, sample_texts, suggest_one, texts_of, with_ents


def entities(rules, text, ents):
    doc = with_ents(rules, text, ents)
    return rules.entities.spans(doc)


def test_plain_mapping_of_spacy_labels():
    assert MODEL_LABELS == {
        "GPE": "LOCATION",
        "LOC": "LOCATION",
        "FAC": "LOCATION",
        "ORG": "FACTION",
        "NORP": "FACTION",
    }


def test_model_places_become_location(rules):
    text = "Shelling hit Qardaha near the Qasr al-Hayr checkpoint and the Zawiya Mountains."
    spans = entities(
        rules,
        text,
        [("Qardaha", "GPE"), ("Qasr al-Hayr checkpoint", "FAC"), ("Zawiya Mountains", "LOC")],
    )
    assert texts_of(text, spans, "LOCATION") == [
        "Qardaha",
        "Qasr al-Hayr checkpoint",
        "Zawiya Mountains",
    ]


def test_model_organisations_become_faction_without_the_article(rules):
    text = "Fighters of the Liwa al-Quds clashed with the Southern Front."
    spans = entities(rules, text, [("the Liwa al-Quds", "ORG"), ("Southern Front", "ORG")])
    # The guidelines leave out a leading "the", whether the model's entity has it or not.
    assert texts_of(text, spans, "FACTION") == ["Liwa al-Quds", "Southern Front"]


def test_article_stays_out_when_the_name_modifies_a_noun(rules):
    text = "The Tiger Forces commander spoke."
    spans = entities(rules, text, [])
    # Without a parse, a noun such names often modify shows that "the" is not theirs.
    assert texts_of(text, spans, "FACTION") == ["Tiger Forces"]


def test_news_outlets_and_companies_are_not_factions(rules):
    text = (
        "Reuters, the Kyiv Post, Sky News and the Associated Press cited Acme Holdings "
        "and Sahel Airways, not the Popular Front."
    )
    ents = [
        ("Reuters", "ORG"),
        ("Kyiv Post", "ORG"),
        ("Sky News", "ORG"),
        ("Associated Press", "ORG"),
        ("Acme Holdings", "ORG"),
        ("Sahel Airways", "ORG"),
        ("Popular Front", "ORG"),
    ]
    spans = entities(rules, text, ents)
    assert texts_of(text, spans, "FACTION") == ["Popular Front"]


def test_un_bodies_aid_agencies_and_news_agencies_are_not_factions(rules):
    text = (
        "The United Nations, the International Organization for Migration, the ICRC, "
        "Human Rights Watch and the Houthi-run Saba news agency blamed the Giants Brigades."
    )
    ents = [
        ("United Nations", "ORG"),
        ("International Organization for Migration", "ORG"),
        ("ICRC", "ORG"),
        ("Human Rights Watch", "ORG"),
        ("Saba news agency", "ORG"),
        ("Giants Brigades", "ORG"),
    ]
    spans = entities(rules, text, ents)
    assert texts_of(text, spans, "FACTION") == ["Houthi", "Giants Brigades"]


def test_nationalities_alone_are_not_factions(rules):
    text = "Syrian officials met Afghan students and Alawite villagers."
    spans = entities(rules, text, [("Syrian", "NORP"), ("Afghan", "NORP"), ("Alawite", "NORP")])
    assert texts_of(text, spans, "FACTION") == []


def test_nationality_with_an_actor_noun_is_a_faction(rules):
    text = "Alawite militias and Syrian government forces pushed Kurdish fighters back."
    spans = entities(rules, text, [("Alawite", "NORP"), ("Syrian", "NORP"), ("Kurdish", "NORP")])
    assert texts_of(text, spans, "FACTION") == [
        "Alawite militias",
        "Syrian government forces",
        "Kurdish fighters",
    ]


def test_gazetteer_fixes_a_mislabelled_place(rules):
    # en_core_web_sm calls Aleppo a LANGUAGE or NORP in some sentences.
    text = "Aleppo was shelled again."
    spans = entities(rules, text, [("Aleppo", "LANGUAGE")])
    assert texts_of(text, spans, "LOCATION") == ["Aleppo"]


def test_a_longer_model_entity_keeps_its_span(rules):
    text = "Students of Aleppo University protested; Michael Jordan did not."
    spans = entities(rules, text, [("Aleppo University", "ORG"), ("Michael Jordan", "PERSON")])
    assert texts_of(text, spans, "FACTION") == ["Aleppo University"]
    assert texts_of(text, spans, "LOCATION") == []


def test_country_the_model_reads_as_an_actor_stays_a_faction(rules):
    text = "Russia said the talks had failed."
    spans = entities(rules, text, [("Russia", "ORG")])
    assert texts_of(text, spans, "FACTION") == ["Russia"]


def test_stance_prefix_is_not_a_place(rules):
    text = "Pro-Beijing and anti-Kyiv parties won seats in Beijing."
    spans = entities(rules, text, [])
    assert texts_of(text, spans, "LOCATION") == ["Beijing"]
    assert spans[0].start == text.rindex("Beijing")


def test_places_written_with_the_article_are_marked_without_it(rules):
    text = "Aid reached the Gaza Strip and the U.S. embassy left the UK."
    spans = suggest_one(rules, text)
    assert texts_of(text, spans, "LOCATION") == ["Gaza Strip", "U.S.", "UK"]


@pytest.mark.parametrize(
    ("text", "factions"),
    [
        (
            "Hizbollah and the Nusra Front fought rebels.",
            ["Hizbollah", "Nusra Front", "rebels"],
        ),
        ("Al-Shabaab fighters attacked.", ["Al-Shabaab fighters"]),
        ("The regime and government forces shelled it.", ["regime", "government forces"]),
        ("Iranian-backed militias and the SDF advanced.", ["Iranian-backed militias", "SDF"]),
        # a force in the singular too ("NATO" and the SOURCE "force" before)
        ("A NATO-led force repelled the attack.", ["NATO-led force"]),
        ("The Israeli Air Force struck Gaza.", ["Israeli Air Force"]),
        ("The military said the army's statement stood.", ["military", "army"]),
        ("Convoys of military vehicles moved.", []),  # without "the", no noun "military"
        (
            "Jabhat al-Nusra and Hayat Tahrir al-Sham merged.",
            ["Jabhat al-Nusra", "Hayat Tahrir al-Sham"],
        ),
    ],
)
def test_faction_lexicon(rules, text, factions):
    assert texts_of(text, suggest_one(rules, text), "FACTION") == factions


@pytest.mark.parametrize(
    ("text", "faction"),
    [
        ("Iran-backed Houthi rebels fired missiles.", "Iran-backed Houthi rebels"),
        ("The Russia-backed separatists took the village.", "Russia-backed separatists"),
        ("Russian-backed separatists took the village.", "Russian-backed separatists"),
        ("Iran-aligned Houthi rebels fired missiles.", "Iran-aligned Houthi rebels"),
    ],
)
def test_a_country_backing_a_faction_is_no_place_but_part_of_it(rules, text, faction):
    """ "Iran-backed Houthi rebels" gave the LOCATION "Iran", linked and on the map, beside
    the FACTION "Houthi rebels"; "Russian-backed separatists" only "separatists"."""
    spans = suggest_one(rules, text)
    assert (texts_of(text, spans, "LOCATION"), texts_of(text, spans, "FACTION")) == ([], [faction])


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Strikes hit Idlib, Hama and Deir ez-Zor.", ["Idlib", "Hama", "Deir ez-Zor"]),
        ("Fighting in Khan Younis and Rafah.", ["Khan Younis", "Rafah"]),
        ("Clashes near El Fasher in North Darfur.", ["El Fasher", "North Darfur"]),
        ("Troops left Bakhmut for Kramatorsk.", ["Bakhmut", "Kramatorsk"]),
        ("the hama of the village", []),  # case matters
    ],
)
def test_gazetteer(rules, text, places):
    assert texts_of(text, suggest_one(rules, text), "LOCATION") == places


def test_locations_and_factions_never_overlap(rules):
    text = (
        "Syrian government forces and the Syrian Democratic Forces fought in Deir ez-Zor; "
        "the Houthis in Sanaa; Azov Regiment troops in Mariupol."
    )
    doc = with_ents(
        rules,
        text,
        [("Syrian Democratic Forces", "ORG"), ("Deir ez-Zor", "GPE"), ("Mariupol", "GPE")],
    )
    spans = rules.entities.spans(doc)
    entity_layer = [s for s in spans if s.label in ("LOCATION", "FACTION")]
    assert entity_layer
    for i, a in enumerate(entity_layer):
        for b in entity_layer[i + 1 :]:
            assert not overlaps(a, b), (text[a.start : a.end], text[b.start : b.end])


def test_baseline_mapping_keeps_everything(rules):
    text = "Syrian officials spoke to Reuters in Aleppo."
    doc = with_ents(rules, text, [("Syrian", "NORP"), ("Reuters", "ORG"), ("Aleppo", "GPE")])
    assert [(text[s.start : s.end], s.label) for s in plain_entity_spans(doc)] == [
        ("Syrian", "FACTION"),
        ("Reuters", "FACTION"),
        ("Aleppo", "LOCATION"),
    ]


# -- the guidelines' edges: no leading "the" unless the name has it, no possessive "'s" ---------


@pytest.mark.parametrize(
    ("text", "ents", "places"),
    [
        # The gazetteer spells "The Hague": "The" is part of the name, with or without a model.
        ("Judges in The Hague ruled.", [], ["The Hague"]),
        ("Judges in The Hague ruled.", [("The Hague", "GPE")], ["The Hague"]),
        ("Judges in The Hague ruled.", [("Hague", "GPE")], ["The Hague"]),
        # A lower-case "the" is no part of it: the line "Gambia" matches instead.
        ("Troops from The Gambia and from the Gambia.", [], ["The Gambia", "Gambia"]),
        # A "The" the gazetteer does not spell is left out, like any leading "the".
        ("Shots in The Bronx.", [("The Bronx", "GPE")], ["Bronx"]),
    ],
)
def test_the_stays_only_where_the_gazetteer_spells_it(rules, text, ents, places):
    assert texts_of(text, entities(rules, text, ents), "LOCATION") == places


def test_the_of_a_name_in_a_dateline_in_capitals(rules):
    text = "THE HAGUE, Netherlands (Reuters) — The court met."
    assert texts_of(text, suggest_one(rules, text), "LOCATION") == ["THE HAGUE", "Netherlands"]


@pytest.mark.parametrize(
    ("text", "ents", "label", "expected"),
    [
        ("Yemen's oil fields burned.", [], "LOCATION", ["Yemen"]),
        ("Yemen's oil fields burned.", [("Yemen's", "GPE")], "LOCATION", ["Yemen"]),
        ("Sarmin's market was hit.", [("Sarmin's", "GPE")], "LOCATION", ["Sarmin"]),
        ("Hezbollah’s fighters fired.", [("Hezbollah’s", "ORG")], "FACTION", ["Hezbollah"]),
        ("The Liwa al-Quds's commander.", [("Liwa al-Quds's", "ORG")], "FACTION", ["Liwa al-Quds"]),
        ("The army's statement.", [], "FACTION", ["army"]),
        ("Kurdish fighters' positions.", [("Kurdish", "NORP")], "FACTION", ["Kurdish fighters"]),
    ],
)
def test_possessive_s_stays_out(rules, text, ents, label, expected):
    assert texts_of(text, entities(rules, text, ents), label) == expected


def test_sample_suggestions_follow_the_guidelines_edges(rules):
    """On every bundled sample: no LOCATION or FACTION starts with "the" or ends with "'s"."""
    assert edge_errors(rules, sample_texts()) == []
