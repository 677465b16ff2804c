"""LOCATION and FACTION from the words around a name: datelines, place contexts, outlets,
civilian services, alternative names, other mentions, and the parse's subjects.

As in test_entities.py, the model's entities are set by hand on a blank pipeline's Doc; where a
rule needs a parse, the Doc is built with heads and dependency labels.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.nlp.entities import ACTORS_RULER, NAMES_RULER
from tests.nlp.helpers import suggest_one, texts_of, with_ents


def entities(rules, text, ents):
    return rules.entities.spans(with_ents(rules, text, ents))


def labelled(rules, text, ents):
    spans = entities(rules, text, ents)
    return texts_of(text, spans, "LOCATION"), texts_of(text, spans, "FACTION")


def parsed(rules, words, heads, deps, ents=()):
    """A Doc with a parse given by hand (``heads`` are absolute indices), the rulers run over
    it and ``ents`` (start, end, label) set: what a trained pipeline would hand the rules."""
    doc = Doc(rules.nlp.vocab, words=words, heads=heads, deps=deps)
    for name in (NAMES_RULER, ACTORS_RULER):
        doc = rules.nlp.get_pipe(name)(doc)
    doc.ents = [SpacySpan(doc, s, e, label=label) for s, e, label in ents]
    return doc


def parsed_labelled(rules, doc, label):
    return [doc.text[s.start : s.end] for s in rules.entities.spans(doc) if s.label == label]


# -- 1. datelines in capitals -----------------------------------------------------------------


def test_dateline_in_capitals_is_a_place_not_a_faction(rules):
    text = "Shelling kills seven\n\nIDLIB, Syria (Wire) — Artillery fire struck Ariha."
    assert labelled(rules, text, [("IDLIB", "ORG")]) == (["IDLIB", "Syria", "Ariha"], [])


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # a place the gazetteer lacks: the dateline's shape is enough
        ("KONGOUSSI, Burkina Faso (Wire) — Fighters attacked.", ["KONGOUSSI", "Burkina Faso"]),
        ("ADDIS ABABA, Ethiopia (Wire) — Clashes spread.", ["ADDIS ABABA", "Ethiopia"]),
        ("DEIR AL-BALAH, Gaza Strip (Wire) — Aid stalled.", ["DEIR AL-BALAH", "Gaza Strip"]),
        ("MOSUL (Reuters) - A drone struck.", ["MOSUL"]),
        ("GOMA (Reuters) - Rebels struck.", ["GOMA"]),  # too short for the gazetteer in capitals
        # not in the gazetteer, alone before its bracket: the agency makes it a dateline
        ("KANSAFRA (AFP) - Shelling hit the village.", ["KANSAFRA"]),
        ("ṢANʿĀʾ (AP) — Strikes hit.", ["ṢANʿĀʾ"]),
        ("RAʼS AL-ʻAYN (AP) - Shelling hit the town.", ["RAʼS AL-ʻAYN"]),
        # not in the gazetteer, alone before its dash: no headline word makes it a place
        ("DAR ES SALAAM - The army said it had shelled rebel positions.", ["DAR ES SALAAM"]),
        ("SAKE - The army said it had shelled rebel positions.", ["SAKE"]),
        ("NORTH KHARTOUM - The army said it retook the bridge.", ["NORTH KHARTOUM"]),
        # a group in capitals after the dash is no part of the place ("GOMA - M23" was none)
        ("GOMA - M23 rebels said they had seized the town of Sake.", ["GOMA", "Sake"]),
        # with the year (aggregated and scraped copy), and a transliterated name
        ("KIEV, May 21, 2023 (AFP) - Fighting continues.", ["KIEV"]),
        ("BAMAKO, Mali, Sept 8, 2023 (AFP) - Jihadists struck.", ["BAMAKO", "Mali"]),
        ("ṢANʿĀʾ, March 4, 2024 (AP) - Strikes hit.", ["ṢANʿĀʾ"]),
        # the day first, as British and French wire copy writes it
        ("OUAGADOUGOU, 14 March 2024 (AFP) - Gunmen struck.", ["OUAGADOUGOU"]),
        ("GAO, Mali, 3 Dec 2023 (AFP) - Gunmen struck.", ["GAO", "Mali"]),
        ("KYIV, 14 March, 2024 (Reuters) - Drones struck.", ["KYIV"]),
        ("GOMA, Congo, March 1st, 2024 (AFP) - Rebels struck.", ["GOMA", "Congo"]),
    ],
)
def test_datelines_without_a_model(rules, text, places):
    assert texts_of(text, suggest_one(rules, text), "LOCATION") == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "SUDAN ARMY SAYS IT RETOOK OMDURMAN - STATE TV\n\nThe army said it retook Omdurman.",
            ["SUDAN", "OMDURMAN", "Omdurman"],
        ),
        ("BREAKING NEWS - Rebels said they had entered Goma.", ["Goma"]),
        ("AFGHANISTAN QUAKE LATEST - Taliban say 2,000 dead in Herat.", ["AFGHANISTAN", "Herat"]),
        ("GAZA LIVE (Updated) - Hamas said talks had stalled.", []),
        ("UKRAINE WAR LIVE (Updated) - Russia said it downed 20 drones.", ["UKRAINE", "Russia"]),
        ("EXCLUSIVE - Rebels said they had entered Goma.", ["Goma"]),
        # a place the gazetteer knows and its news
        ("SUDAN CRISIS - The army said it retook Omdurman.", ["SUDAN", "Omdurman"]),
    ],
)
def test_a_headline_in_capitals_before_a_dash_is_no_dateline(rules, text, places):
    """The whole headline was a LOCATION ("BREAKING NEWS", "GAZA LIVE"); the gazetteer's
    names in it stay places. Its headline words are in entity_words.txt."""
    assert texts_of(text, suggest_one(rules, text), "LOCATION") == places


@pytest.mark.parametrize(
    ("text", "ents", "factions"),
    [
        ("EXCLUSIVE - Rebels took Goma.", [("EXCLUSIVE", "ORG")], ["Rebels"]),
        ("ANALYSIS-Rebels took Goma.", [("ANALYSIS", "ORG")], ["Rebels"]),
        (
            "EXCLUSIVE-Wagner fighters left Mali",
            [("EXCLUSIVE-Wagner fighters", "ORG")],
            ["Wagner fighters"],
        ),
        ("Mali says\n\nFACTBOX: Wagner left", [("FACTBOX: Wagner", "ORG")], ["Wagner"]),
        ("UPDATE 2-Hamas said talks stalled", [("UPDATE 2-Hamas", "ORG")], ["Hamas"]),
        # not opening a paragraph, or no headline word: a name as the model found it
        ("Officials said EXCLUSIVE - Wagner left", [("EXCLUSIVE", "ORG")], ["EXCLUSIVE", "Wagner"]),
        ("NATO - Russia talks", [("NATO", "ORG")], ["NATO"]),
        ("Analysis - Rebels took Goma.", [("Analysis", "ORG")], ["Analysis", "Rebels"]),
    ],
)
def test_a_tag_in_capitals_opening_a_story_is_no_name(rules, text, ents, factions):
    """The model took "EXCLUSIVE" at a story's top for an organisation, and
    "EXCLUSIVE-Wagner fighters" for one name."""
    assert labelled(rules, text, ents)[1] == factions


def test_dateline_country_the_model_reads_as_an_organisation(rules):
    text = "OUAGADOUGOU, Burkina Faso (Wire) — Jihadists attacked Djibo."
    assert labelled(rules, text, [("Burkina Faso", "ORG")])[0] == [
        "OUAGADOUGOU",
        "Burkina Faso",
        "Djibo",
    ]


def test_gazetteer_names_match_in_capitals_from_five_letters(rules):
    text = "SHELLING IN ALEPPO AND KHARTOUM; the GAO report."
    assert texts_of(text, suggest_one(rules, text), "LOCATION") == ["ALEPPO", "KHARTOUM"]


def test_capitals_that_are_no_dateline(rules):
    text = "HTS, the dominant group, said it attacked. NATO (Reuters).\n\nUPDATE, Monday — More."
    assert texts_of(text, suggest_one(rules, text), "LOCATION") == []


def test_model_entity_across_a_paragraph_break_is_split(rules):
    text = "Soldiers killed in western Niger\n\nNIAMEY, Niger (Wire) — Fighters attacked."
    doc = rules.nlp(text)
    start = text.index("Niger")
    doc.ents = [doc.char_span(start, text.index("NIAMEY") + len("NIAMEY"), label="FAC")]
    spans = rules.entities.spans(doc)
    assert texts_of(text, spans, "LOCATION") == ["Niger", "NIAMEY", "Niger"]


# -- 2. places the gazetteer lacks --------------------------------------------------------------


def test_village_and_preposition_make_a_place(rules):
    text = "Shells hit a market in Sarmin and a school in the village of Kansafra."
    ents = [("Sarmin", "ORG"), ("Kansafra", "ORG")]
    assert labelled(rules, text, ents) == (["Sarmin", "Kansafra"], [])


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Families fled the village of Kansafra.", "Kansafra"),
        ("Residents of Atarib loaded trucks.", "Atarib"),
        ("The drone hit near the town of Khanasor on Monday.", "Khanasor"),
        ("They reached Andarab, a valley in the north, on foot.", "Andarab"),
        ("Shelling of Enerhodar, the town next to the plant, went on.", "Enerhodar"),
        ("He walked from the camp of al-Mawasi.", "al-Mawasi"),
    ],
)
def test_place_contexts_without_a_model(rules, text, place):
    assert texts_of(text, suggest_one(rules, text), "LOCATION") == [place]


@pytest.mark.parametrize(
    "text",
    [
        "Djibo was attacked on Sunday, the latest assault on a town of 300,000.",
        "Ahmed Saleh, a village elder, said the road was cut.",
        "the village of Hamas fighters",
    ],
)
def test_no_place_from_context_where_there_is_none(rules, text):
    found = texts_of(text, suggest_one(rules, text), "LOCATION")
    assert "Sunday" not in found and "Ahmed Saleh" not in found and "Hamas" not in found


def test_a_generic_word_after_a_place_joins_it(rules):
    text = "Thousands live in the al-Hol camp and in Idlib province."
    assert labelled(rules, text, [("al-Hol", "ORG")]) == (["al-Hol camp", "Idlib province"], [])


@pytest.mark.parametrize(
    ("text", "ents", "factions"),
    [
        ("A split in Hamas widened.", [("Hamas", "ORG")], ["Hamas"]),  # the lexicon knows it
        ("Recruits in Abu Salim militias.", [("Abu Salim", "ORG")], ["Abu Salim militias"]),
        ("A rift in Southern Front widened.", [("Southern Front", "ORG")], ["Southern Front"]),
        ("A cell in the Liwa al-Quds.", [("Liwa al-Quds", "ORG")], ["Liwa al-Quds"]),
        ("Defections in NDF ranks.", [("NDF", "ORG")], ["NDF"]),
    ],
)
def test_in_does_not_turn_a_faction_into_a_place(rules, text, ents, factions):
    assert labelled(rules, text, ents) == ([], factions)


def test_other_mentions_follow_what_context_said(rules):
    text = "Rebels pushed into Bhamo. Bhamo fell. A Bhamo resident fled."
    doc = rules.nlp(text)
    starts = [i for i in range(len(text)) if text.startswith("Bhamo", i)]
    doc.ents = [
        doc.char_span(s, s + 5, label=label)
        for s, label in zip(starts, ["ORG", "ORG", "NORP"], strict=True)
    ]
    spans = rules.entities.spans(doc)
    assert texts_of(text, spans, "LOCATION") == ["Bhamo", "Bhamo", "Bhamo"]
    assert texts_of(text, spans, "FACTION") == ["Rebels"]


# -- 3. news outlets written generically ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        (
            "In a statement carried by the state news agency SANA, officials spoke.",
            [("the state news", "ORG"), ("SANA", "ORG")],
        ),
        ("State broadcaster RTB showed trucks.", [("RTB", "ORG")]),
        ("It was read on state television ORTM.", [("ORTM", "ORG")]),
        ("The Nigerian newspaper Daily Trust reported it.", [("Daily Trust", "ORG")]),
        ("Radio Okapi, the UN-backed broadcaster, reported it.", [("Radio Okapi", "ORG")]),
        ("A statement in the state-run Global New Light.", [("Global New Light", "ORG")]),
        ("Afghan broadcaster Tolo News said so.", [("Tolo News", "ORG")]),
        ("The agency said so.", [("The agency", "ORG")]),
        ("A statement posted on Telegram.", [("Telegram", "ORG")]),
    ],
)
def test_outlets_are_not_factions(rules, text, ents):
    assert labelled(rules, text, ents)[1] == []


# -- 4. [not factions] veto places too ------------------------------------------------------------


def test_not_factions_veto_a_place_with_the_article(rules):
    text = "Its volunteers are known as the White Helmets."
    assert labelled(rules, text, [("the White Helmets", "FAC")]) == ([], [])


def test_gazetteer_name_wins_over_a_model_entity_with_the_article(rules):
    text = "Trucks entered through the Kerem Shalom crossing."
    assert labelled(rules, text, [("the Kerem Shalom", "ORG")]) == (["Kerem Shalom crossing"], [])


# -- 5. civilian services, aid, the UN ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        (
            "Seven died, according to the Syrian Civil Defence rescue service.",
            [("the Syrian Civil Defence", "ORG")],
        ),
        ("The Libyan Red Crescent evacuated families.", [("The Libyan Red Crescent", "ORG")]),
        ("The health ministry said 31 were hurt.", [("health ministry", "ORG")]),
        (
            "The Borno State Emergency Management Agency said so.",
            [("The Borno State Emergency Management Agency", "ORG")],
        ),
        ("The UN Support Mission called for calm.", [("The UN Support Mission", "ORG")]),
        (
            "The state-appointed Ethiopian Human Rights Commission said so.",
            [("Ethiopian Human Rights Commission", "ORG")],
        ),
        ("Ethio Telecom cut the lines.", [("Ethio Telecom", "ORG")]),
        ("The firm said production &amp exports went on.", [("production &amp", "ORG")]),
        ("Next stop Nyala.", [("Next", "ORG")]),
    ],
)
def test_civilian_services_and_non_names_are_not_factions(rules, text, ents):
    assert labelled(rules, text, ents)[1] == []


def test_a_ministry_that_speaks_for_a_side_stays_a_faction(rules):
    text = "The defence ministry said the attack was repelled."
    assert labelled(rules, text, [("The defence ministry", "ORG")])[1] == ["defence ministry"]


# -- other classes -----------------------------------------------------------------------------


def test_alternative_names_in_brackets_take_the_label(rules):
    text = (
        "El Fasher (الفاشر) is besieged. The Sinjar Resistance Units (YBŞ) denied it; "
        "Ankara calls the YBŞ a PKK affiliate. The District Council (Second) voted."
    )
    starts = [i for i in range(len(text)) if text.startswith("YBŞ", i)]
    doc = rules.nlp(text)
    ents = [("El Fasher", "GPE"), ("الفاشر", "ORG"), ("The Sinjar Resistance Units", "ORG")]
    found = [doc.char_span(text.index(w), text.index(w) + len(w), label=lab) for w, lab in ents]
    found += [doc.char_span(s, s + 3, label="GPE") for s in starts]
    found.append(doc.char_span(text.index("District"), text.index(" (Second"), label="ORG"))
    doc.ents = sorted(found, key=lambda s: s.start)
    spans = rules.entities.spans(doc)
    assert texts_of(text, spans, "LOCATION") == ["El Fasher", "الفاشر", "Ankara"]
    assert texts_of(text, spans, "FACTION") == [
        "Sinjar Resistance Units",
        "YBŞ",
        "YBŞ",
        "PKK",
        "District Council",
    ]


def test_nationality_the_model_calls_a_place(rules):
    text = "Ukrainian officials said Ukrainian forces and Yazidi fighters held."
    ents = [("Ukrainian", "GPE"), ("Yazidi", "GPE")]
    assert labelled(rules, text, ents) == ([], ["Ukrainian forces", "Yazidi fighters"])


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        ("A father of four told the Wire by telephone.", [("Wire", "LOC")]),
        ("Troops of Operation Hadin Kai repelled it.", [("Operation Hadin Kai", "FAC")]),
        ("Charles Bolden spoke; Bolden said so.", [("Charles Bolden", "PERSON")]),
    ],
)
def test_neither_place_nor_faction(rules, text, ents):
    doc = with_ents(rules, text, ents)
    if "Bolden said" in text:  # the second mention, tagged GPE
        start = text.rindex("Bolden")
        doc.ents = [*doc.ents, doc.char_span(start, start + 6, label="GPE")]
    spans = rules.entities.spans(doc)
    assert texts_of(text, spans, "LOCATION") == []
    assert texts_of(text, spans, "FACTION") in ([], ["Troops"])  # "troops" is generic


def test_named_facility_is_a_place(rules):
    text = "Doctors at the Saudi Hospital said so."
    assert labelled(rules, text, [("the Saudi Hospital", "ORG")]) == (["Saudi Hospital"], [])


def test_entity_edges_lose_punctuation(rules):
    text = "The army and the Volunteers for the Defence of the Homeland (VDP) fought."
    ents = [("the Volunteers for the Defence of the Homeland (", "ORG")]
    assert labelled(rules, text, ents)[1] == [
        "army",
        "Volunteers for the Defence of the Homeland",
        "VDP",
    ]


def test_place_and_government_noun_form_a_faction(rules):
    text = "It fought the coalition of the Kinshasa regime and the Damascus government."
    spans = suggest_one(rules, text)
    assert texts_of(text, spans, "FACTION") == ["Kinshasa regime", "Damascus government"]
    assert texts_of(text, spans, "LOCATION") == []


def test_place_speaking_is_a_government(rules):
    doc = parsed(
        rules,
        ["Moscow", "has", "not", "commented", ".", "Clashes", "near", "Moscow", "."],
        [3, 3, 3, 3, 3, 5, 5, 6, 5],
        ["nsubj", "aux", "neg", "ROOT", "punct", "ROOT", "prep", "pobj", "punct"],
    )
    spans = rules.entities.spans(doc)
    assert [(doc.text[s.start : s.end], s.label) for s in spans] == [
        ("Moscow", "FACTION"),
        ("Moscow", "LOCATION"),
    ]


def test_country_listed_with_places_is_a_place(rules):
    words = ["troops", "from", "Nigeria", ",", "Chad", "and", "Cameroon"]
    doc = parsed(
        rules,
        words,
        [0, 0, 1, 2, 2, 4, 4],
        ["ROOT", "prep", "pobj", "punct", "conj", "cc", "conj"],
        ents=[(2, 3, "GPE"), (4, 5, "GPE"), (6, 7, "ORG")],
    )
    assert parsed_labelled(rules, doc, "LOCATION") == ["Nigeria", "Chad", "Cameroon"]
    assert parsed_labelled(rules, doc, "FACTION") == ["troops"]


def test_an_entity_leaves_out_an_emoji_at_its_edges():
    import spacy

    from annotator.nlp.entity_context import pieces

    doc = spacy.blank("en")("Airstrikes hit 💥 Atarib 💥 on Monday.")
    start = next(t.i for t in doc if t.text == "💥")
    end = max(t.i for t in doc if t.text == "💥") + 1
    assert [doc[s:e].text for s, e in pieces(doc, start, end)] == ["Atarib"]
