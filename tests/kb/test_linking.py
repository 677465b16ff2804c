"""The pipeline's entry point and the window's search, on the tiny gazetteer."""

from annotator.core.model import Span
from annotator.kb.actors import shipped_actors
from annotator.kb.faction_linker import link_factions
from annotator.kb.linking import article_countries, link_article, link_suggestions, search

TEXT = "IDLIB, Syria — Hayat Tahrir al-Sham said government forces shelled Kansafra."


def _spans():
    def span(name, label):
        start = TEXT.index(name)
        return Span(start, start + len(name), label, origin="model")

    return [
        span("IDLIB", "LOCATION"),
        span("Syria", "LOCATION"),
        span("Hayat Tahrir al-Sham", "FACTION"),
        span("government forces", "FACTION"),
        span("Kansafra", "LOCATION"),
    ]


def test_link_suggestions_sets_kb_id_where_a_link_is_found(gazetteer):
    linked = link_suggestions(TEXT, _spans(), "2019-04-01", gazetteer=gazetteer)
    assert [s.kb_id for s in linked] == [
        "geonames:169389",
        "geonames:163843",
        "annotator:hayat-tahrir-al-sham",
        "annotator:syrian-arab-army",  # the article's country, on its date
        "",  # unknown to the gazetteer
    ]
    assert linked == _spans()  # same extents and labels; kb_id is bookkeeping


def test_link_article_says_why_a_span_is_not_linked(gazetteer):
    links = link_article(TEXT, _spans(), "2019-04-01", gazetteer=gazetteer)
    assert [link.status for link in links] == ["linked", "linked", "linked", "linked", "unknown"]


def test_the_article_countries_come_from_its_places(gazetteer):
    links = link_article(TEXT, _spans(), gazetteer=gazetteer)
    assert article_countries(links, gazetteer) == ["SY"]


def test_search_lists_actors_and_places(gazetteer):
    found = search("Idl", gazetteer=gazetteer)
    assert {e.kb_id for e in found} == {"geonames:admin1:SY.12", "geonames:169389"}
    actors = search("hayat", kind="actor", gazetteer=gazetteer)
    assert actors[0].kb_id == "annotator:hayat-tahrir-al-sham"
    assert "HTS" in actors[0].detail
    places = search("Tripoli", kind="place", gazetteer=gazetteer)
    assert all(e.kind == "place" for e in places) and places[0].label.endswith("LY")


def test_state_forces_are_those_of_the_country_their_sentence_names(gazetteer):
    """The countries a sentence names come from its linked places: "In Lebanon, the army"
    of a Syria article was Syria's army."""
    text = "IDLIB, Syria — government forces shelled Ariha. In Lebanon, the army closed roads."
    spans = []
    for name, label in (("IDLIB", "LOCATION"), ("Syria", "LOCATION"), ("government forces",
                        "FACTION"), ("Ariha", "LOCATION"), ("Lebanon", "LOCATION"),
                        ("army", "FACTION")):  # fmt: skip
        start = text.index(name)
        spans.append(Span(start, start + len(name), label))
    links = link_article(text, spans, "2019-04-01", gazetteer=gazetteer)
    assert [link.kb_id for link in links if not link.kb_id.startswith("geonames:")] == [
        "annotator:syrian-arab-army",
        "annotator:lebanese-armed-forces",
    ]


def test_the_link_dialog_finds_a_name_by_its_last_words_or_a_near_spelling(gazetteer):
    """ "Kurdish YPG" and "Tal Kalakh" were "not in the actors / gazetteer (looked for, not
    there)", though typing "YPG" or "Tall" found them."""
    from annotator.kb.actors import shipped_actors
    from annotator.ui.link_search import search_entries

    def found(query: str, kind: str) -> list[str]:
        entries = search_entries(query, kind, gazetteer, shipped_actors(), lambda g: set())
        return [e.kb_id for e in entries]

    assert found("Kurdish YPG", "actor") == ["wikidata:Q277036"]
    assert found("Kasaab", "place") == ["geonames:168519"]
    assert found("Kasaab", "any") == ["geonames:168519"]
    assert found("Nowhere at all", "any") == []


def test_a_named_faction_after_its_backer_is_linked_to_it():
    """ "Iran-backed Houthi rebels", one FACTION, was linked to nobody ("Houthi rebels" were
    the Houthis); "NATO-led forces" stay no state's."""
    text = "Iran-backed Houthi rebels and NATO-led forces"
    spans = [Span(0, 25, "FACTION"), Span(30, 45, "FACTION")]
    links = link_factions(text, spans, shipped_actors())
    assert [link.kb_id for link in links] == ["annotator:houthis", ""]
