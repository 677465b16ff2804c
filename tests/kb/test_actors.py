"""The actor knowledge base and the faction linker: names over time, states, generic phrases."""

import json

import pytest

from annotator.core.model import Span
from annotator.core.resources import resource_text
from annotator.kb.actors import (
    LEFT_TO_RIGHT_MARK,
    ActorError,
    actor_from_record,
    actor_record,
    named_faction_groups,
    parse_actors,
    shipped_actors,
)
from annotator.kb.faction_linker import link_factions
from annotator.kb.links import AMBIGUOUS, GENERIC, LINKED, UNKNOWN

COUNTRY_NAMES = {"turkey": "TR", "afghanistan": "AF", "syria": "SY"}
HTS = "annotator:hayat-tahrir-al-sham"


def _link(text, mention, published="", countries=(), kb=None):
    start = text.index(mention)
    span = Span(start, start + len(mention), "FACTION")
    [link] = link_factions(
        text, [span], kb or shipped_actors(), published, countries, COUNTRY_NAMES
    )
    return link


def test_one_actor_under_the_names_of_its_periods():
    in_2015 = _link("Jabhat al-Nusra fighters took the town.", "Jabhat al-Nusra", "2015-03-28")
    in_2018 = _link("Hayat Tahrir al-Sham said it repelled the attack.", "Hayat Tahrir al-Sham",
                    "2018-05-02")  # fmt: skip
    assert in_2015.kb_id == in_2018.kb_id == HTS
    assert in_2015.status == in_2018.status == LINKED
    assert in_2015.note == in_2018.note == ""


def test_a_period_after_an_arabic_name_reads_left_to_right():
    """ "…, جبهة فتح الشام (2016–2017)" was laid out "(2017–2016)": the names end with a
    left-to-right mark, so the years keep the paragraph's direction."""
    hts = shipped_actors().get(HTS)
    assert any("\u0600" <= c <= "\u06ff" for c in hts.summary)  # an Arabic name is shown
    for part in hts.summary.split("; "):
        if "(" in part:
            names, _, period = part.partition(" (")
            assert names.endswith(LEFT_TO_RIGHT_MARK) and period[:1].isdigit()


def test_a_name_used_outside_its_period_still_links_and_is_marked():
    link = _link("Jabhat al-Nusra fighters attacked.", "Jabhat al-Nusra", "2020-01-10")
    assert (link.kb_id, link.status) == (HTS, LINKED)
    assert "2012–2016" in link.note and "2020-01-10" in link.note


def test_without_a_date_a_name_links_without_a_note():
    link = _link("the Nusra Front said", "Nusra Front")
    assert (link.kb_id, link.note) == (HTS, "")


def test_aliases_in_other_scripts_and_spellings():
    assert _link("قال حزب الله", "حزب الله").kb_id == "wikidata:Q41053"
    assert _link("Hizballah fighters", "Hizballah").kb_id == "wikidata:Q41053"
    assert _link("Al-Shabaab claimed", "Al-Shabaab").kb_id == "annotator:al-shabaab"


def test_a_shared_acronym_is_settled_by_the_article_country_or_left_ambiguous():
    text = "The SNA said it had retaken the villages."
    assert _link(text, "SNA", countries=["SO"]).kb_id == "annotator:somali-national-army"
    assert _link(text, "SNA", countries=["SY", "TR"]).kb_id == "annotator:syrian-national-army"
    unsettled = _link(text, "SNA")
    assert unsettled.status == AMBIGUOUS and unsettled.kb_id == ""
    assert len(unsettled.candidates) == 2


def test_government_forces_are_the_state_of_the_article_country_on_its_date():
    text = "Government forces shelled the valley."
    before = _link(text, "Government forces", "2015-06-01", ["AF"])
    after = _link(text, "Government forces", "2023-06-01", ["AF"])
    assert before.kb_id == "annotator:afghan-national-army"
    assert after.kb_id == "annotator:taliban"
    assert "AF" in before.note


def test_state_phrases_after_a_nationality_or_a_country():
    assert _link("Nigerian troops repelled it.", "Nigerian troops", "2024-01-01").kb_id == (
        "annotator:nigerian-armed-forces"
    )
    link = _link("Turkey's defence ministry said", "Turkey's defence ministry", "2024-01-01")
    assert link.kb_id == "annotator:turkish-armed-forces"
    owned = _link("the Taliban interior ministry said", "Taliban interior ministry")
    assert owned.kb_id == "annotator:taliban"


def test_the_forces_after_a_countrys_possessive_are_that_countrys_not_the_articles():
    """ "Russia's defence ministry", in a Kyiv-datelined article, was linked to Ukraine's
    armed forces: the article's country won over the possessive before the span."""
    names = {**COUNTRY_NAMES, "russia": "RU", "ukraine": "UA", "united states": "US", "mali": "ML"}
    for text, mention, expected in [
        ("KYIV - Russia's defence ministry said", "defence ministry", "russian-armed-forces"),
        ("Turkey’s army said", "army", "turkish-armed-forces"),
        ("Ukraine's air force said", "air force", "armed-forces-of-ukraine"),
    ]:
        start = text.index(mention)
        span = Span(start, start + len(mention), "FACTION")
        [link] = link_factions(text, [span], shipped_actors(), "2024-11-05", ["UA"], names)
        assert link.kb_id == f"annotator:{expected}", text
        assert "the article's country" not in link.note
    text = "Mali's ruling junta said"
    start = text.index("ruling junta")
    span = Span(start, start + len("ruling junta"), "FACTION")
    [link] = link_factions(text, [span], shipped_actors(), "2024-11-05", ["UA"], names)
    assert link.kb_id == "annotator:fama"
    text = "Moscow said the army had left."  # no possessive: the article's country
    start = text.index("army")
    span = Span(start, start + 4, "FACTION")
    [link] = link_factions(text, [span], shipped_actors(), "2024-11-05", ["UA"], names)
    assert link.kb_id == "annotator:armed-forces-of-ukraine"


def test_the_army_of_a_named_country_is_that_countrys_not_the_articles():
    """ "The army of Afghanistan", in an article about Syria, is Afghanistan's forces; a
    country without forces known then gets none, not the article's country's (the army of
    Myanmar was linked to Syria's)."""
    text = "In Syria, rebels advanced; the army of Afghanistan on Tuesday closed the border."
    link = _link(text, "army", "2015-06-01", ["SY"])
    assert link.kb_id == "annotator:afghan-national-army"
    assert link.note.startswith("the state forces of AF")
    names = {**COUNTRY_NAMES, "myanmar": "MM"}
    text = "Government forces shelled Idlib; the army of Myanmar was not involved."
    start = text.index("army")
    [link] = link_factions(
        text, [Span(start, start + 4, "FACTION")], shipped_actors(), "2024-01-01", ["SY"], names
    )
    assert link.kb_id == "annotator:tatmadaw" and "MM" in link.note
    # A state with no forces known then (Syria's army ends in December 2024): none.
    text = "In Afghanistan, the army of Syria was said to have left."
    start = text.index("army")
    [link] = link_factions(
        text, [Span(start, start + 4, "FACTION")], shipped_actors(), "2025-03-01", ["AF"], names
    )
    assert link.status == UNKNOWN and link.kb_id == ""
    # Without "of …", the article's country as before
    assert _link("the army shelled Idlib", "army", "2015-06-01", ["SY"]).note.startswith(
        "the article's country (SY)"
    )


def test_a_named_actors_men_link_to_it():
    link = _link("Hezbollah fighters shelled the town.", "Hezbollah fighters")
    assert link.status == LINKED and link.kb_id == "wikidata:Q41053"
    # A generic word alone, or after a name nobody knows, links to nothing.
    assert _link("fighters shelled the town.", "fighters").status == GENERIC
    assert _link("Blorg fighters shelled the town.", "Blorg fighters").kb_id == ""
    link = _link("Wagner mercenaries shelled the town.", "Wagner mercenaries", "2022-05-01")
    assert link.status == LINKED and link.kb_id == _link("Wagner said", "Wagner").kb_id


def test_a_possessive_inside_a_name_is_kept():
    # "People's" is part of the name: cut to "People", it linked to nothing.
    link = _link("The People's Protection Units (YPG) said", "People's Protection Units")
    assert (link.status, link.kb_id) == (LINKED, "wikidata:Q277036")
    link = _link("the People’s Defence Force attacked", "People’s Defence Force")
    assert link.kb_id == "annotator:peoples-defence-force"
    link = _link("Donetsk People's Republic forces shelled", "Donetsk People's Republic forces")
    assert link.status == LINKED and link.kb_id == _link("the DPR said", "DPR").kb_id
    # ... and cut where it is not: "Turkey's defence ministry" is Turkey's forces.
    link = _link("Turkey's defence ministry said", "Turkey's defence ministry", "2020-01-01")
    assert link.status == LINKED and link.kb_id


def test_generic_phrases_stay_generic():
    assert _link("Rebels took the hill.", "Rebels", countries=["SY"]).status == GENERIC
    assert _link("gunmen opened fire", "gunmen").status == GENERIC
    # State forces of no known country stay generic too, never a guess.
    assert _link("the regime said", "regime").status == GENERIC


def test_a_state_without_forces_then_is_not_guessed():
    # The Syrian Arab Army ends with the fall of the Assad government (2024-12-08).
    link = _link("Syrian troops entered the town.", "Syrian troops", "2025-03-01")
    assert link.status == UNKNOWN and link.kb_id == ""


def test_unknown_names_are_marked_unknown():
    assert _link("The Lions of Nowhere said", "Lions of Nowhere").status == UNKNOWN


def test_project_additions_are_found_like_shipped_actors():
    kb = shipped_actors().with_additions(
        [
            {
                "id": "project:valley-brigade",
                "name": "Valley Brigade",
                "names": [{"names": ["Valley Brigade", "Liwa al-Wadi"]}],
                "countries": ["SY"],
            }
        ]  # fmt: skip
    )
    assert _link("Liwa al-Wadi fighters", "Liwa al-Wadi", kb=kb).kb_id == "project:valley-brigade"
    assert [a.kb_id for a in kb.search("valley")] == ["project:valley-brigade"]


def test_a_duplicate_id_is_refused():
    record = actor_record(shipped_actors().get(HTS))
    with pytest.raises(ActorError, match="defined twice"):
        shipped_actors().with_additions([record])


def test_records_round_trip():
    actor = shipped_actors().get(HTS)
    assert actor_from_record(actor_record(actor)) == actor


def test_malformed_records_say_where():
    with pytest.raises(ActorError, match="line 2: not JSON"):
        parse_actors('{"id": "annotator:a", "name": "A"}\n{oops\n')
    with pytest.raises(ActorError, match="needs a prefix"):
        actor_from_record({"id": "a", "name": "A"})
    with pytest.raises(ActorError, match='without "the"'):
        actor_from_record({"id": "annotator:a", "name": "A", "names": [{"names": ["the A"]}]})


def test_shipped_records_are_sound():
    lines = [json.loads(line) for line in resource_text("kb", "actors.jsonl").splitlines()]
    ids = [line["id"] for line in lines]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(("wikidata:Q", "annotator:")) for i in ids)
    # Affiliations point at entries of the knowledge base.
    assert {a for line in lines for a in line.get("affiliations", ())} <= set(ids)


def test_the_lexicon_marks_the_kbs_names_and_factions_txt_names_none():
    """One file format: the suggestion rules' named factions are the knowledge base's."""
    from annotator.nlp.lexicon import load_lexicon

    groups = named_faction_groups()
    assert all(isinstance(g, tuple) and g and isinstance(g[0], str) for g in groups)
    assert load_lexicon().named_factions == groups
    sections = [
        line.strip() for line in resource_text("factions.txt").splitlines() if line.startswith("[")
    ]
    assert "[named]" not in sections and "[generic]" in sections


def test_named_groups_leave_descriptions_out():
    have = {name for group in named_faction_groups() for name in group}
    assert "Syrian army" not in have and "Syrian Arab Army" in have


def test_type_ahead_finds_actors_by_any_name():
    assert shipped_actors().search("jabhat")[0].kb_id == HTS
    assert shipped_actors().search("") == []
    # (the one-word spelling outlets use for the Houthis found nothing)
    assert shipped_actors().search("Ansarallah")[0].name == "Houthis"


def test_no_project_actors_keep_the_shipped_knowledge_base():
    shipped = shipped_actors()
    assert shipped.with_additions([]) is shipped  # nothing read again, nothing copied


def test_a_country_name_two_countries_share_is_settled_by_the_article():
    """ "Congo's army" in an article of Goma was linked to the Republic of the Congo's
    forces, or to none: "Congo" names both, so the article's country decides."""
    from annotator.kb.geonames import country_codes_by_name

    names = country_codes_by_name()
    assert "congo" not in names and names["dr congo"] == "CD"
    text = "Congo's army said it had retaken Sake, near Goma."
    start = text.index("army")
    [link] = link_factions(
        text, [Span(start, start + 4, "FACTION")], shipped_actors(), "2024-11-05", ["CD"], names
    )
    assert link.kb_id == "annotator:fardc"


@pytest.mark.parametrize("published", ["5 March 2015", "March 5, 2015", "25/03/2015"])
def test_a_date_written_otherwise_than_iso_is_read_not_compared_as_text(published):
    """ "5 March 2015" compared as text fell outside 2012–2016: a false note, the date cut to
    "5 March 20"."""
    link = _link("Jabhat al-Nusra fighters took the town.", "Jabhat al-Nusra", published)
    assert (link.kb_id, link.status, link.note) == (HTS, LINKED, "")
    late = _link("Jabhat al-Nusra fighters attacked.", "Jabhat al-Nusra", "10 January 2020")
    assert "2012–2016" in late.note and "2020-01-10" in late.note


@pytest.mark.parametrize("published", ["2016", "2016-07", "05/03/2016"])
def test_a_date_known_to_the_year_or_month_a_name_ends_in_is_not_marked(published):
    """ "name used 2012–2016; the article is dated 2016": the year (or month) the name's
    period ends in was all outside it, though the date may well be inside."""
    link = _link("Jabhat al-Nusra fighters took the town.", "Jabhat al-Nusra", published)
    assert (link.kb_id, link.status, link.note) == (HTS, LINKED, "")
    assert _link("Jabhat al-Nusra attacked.", "Jabhat al-Nusra", "2016-08").note  # after it


def _state_links(text, mentions, countries, named_countries):
    """The links of each of ``mentions`` (FACTION, in the order they stand in ``text``) in
    an article about ``countries``, whose places name ``named_countries`` (name, code)."""
    spans, start = [], 0
    for mention in mentions:
        start = text.index(mention, start)
        spans.append(Span(start, start + len(mention), "FACTION"))
        start += len(mention)
    located = [(text.index(n), text.index(n) + len(n), code) for n, code in named_countries]
    return link_factions(
        text, spans, shipped_actors(), "2024-06-01", countries, COUNTRY_NAMES, located
    )


def test_a_bare_state_phrase_is_the_forces_of_the_country_its_sentence_names():
    """ "In neighbouring Mali, the army …" of a Burkina Faso article was Burkina Faso's
    army ("the article's country (BF)"), and so were the soldiers attacked "In Niger"."""
    text = (
        "JNIM attacked soldiers near Dori. In neighbouring Mali, the army clashed with rebels."
        "\nIn Niger, Islamic State attacked soldiers near Tillaberi. The army said it won."
    )
    links = _state_links(
        text, ["soldiers", "army", "soldiers", "army"], ["BF"], [("Mali", "ML"), ("Niger", "NE")]
    )
    assert [link.kb_id for link in links] == [
        "annotator:burkina-faso-armed-forces",  # no country in its sentence: the article's
        "annotator:fama",
        "annotator:niger-armed-forces",
        "annotator:burkina-faso-armed-forces",
    ]
    assert links[1].note.startswith("the country its sentence names (ML)")
    assert links[0].note.startswith("the article's country (BF)")


def test_a_sentence_naming_several_countries_leaves_its_state_forces_ambiguous():
    text = "A joint force of troops from Mali and Niger will deploy near Djibo."
    [link] = _state_links(text, ["troops"], ["BF"], [("Mali", "ML"), ("Niger", "NE")])
    assert (link.status, link.kb_id) == (AMBIGUOUS, "")
    assert [c.kb_id for c in link.candidates] == ["annotator:fama", "annotator:niger-armed-forces"]


def test_a_country_named_as_a_border_does_not_own_the_sentences_forces():
    text = "They came from across the border with Mali, and the army killed dozens of them."
    [link] = _state_links(text, ["army"], ["NE"], [("Mali", "ML")])
    assert link.kb_id == "annotator:niger-armed-forces"


def test_the_lake_chad_force_has_each_countrys_forces_as_candidates():
    """ "troops from Nigeria, Niger, Chad and Cameroon" had two candidates: Chad's and
    Cameroon's forces were missing from the knowledge base (and Kenya's, the CAR's and
    Mozambique's)."""
    text = "The force is made up of troops from Nigeria, Niger, Chad and Cameroon."
    start = text.index("troops")
    span = Span(start, start + len("troops"), "FACTION")
    mentions = [
        (text.index(f"{name}{after}"), text.index(f"{name}{after}") + len(name), code)
        for name, after, code in (
            ("Nigeria", ",", "NG"), ("Niger", ",", "NE"), ("Chad", " ", "TD"),
            ("Cameroon", ".", "CM"),
        )
    ]  # fmt: skip
    [link] = link_factions(
        text, [span], shipped_actors(), "2024-05-01", ["NG"], {}, country_mentions=mentions
    )
    assert link.status == AMBIGUOUS
    assert [c.kb_id for c in link.candidates] == [
        "annotator:nigerian-armed-forces",
        "annotator:niger-armed-forces",
        "annotator:chadian-armed-forces",
        "annotator:cameroon-defence-forces",
    ]
    for demonym, kb_id in (("Kenyan", "kenya-defence-forces"), ("Mozambican", "fadm")):
        said = f"{demonym} troops killed five militants."
        assert _link(said, f"{demonym} troops").kb_id == f"annotator:{kb_id}"
