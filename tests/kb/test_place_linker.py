"""Which place a LOCATION mention names, from what the article says."""

import math

from annotator.core.model import Span
from annotator.kb.links import AMBIGUOUS, LINKED, UNKNOWN
from annotator.kb.place_linker import PlaceContext, link_places, most_populous


def _spans(text, *names):
    spans = []
    for name in names:
        start = text.index(name)
        spans.append(Span(start, start + len(name), "LOCATION"))
    return spans


def _link(gazetteer, text, *names, context=None):
    links = link_places(text, _spans(text, *names), gazetteer, context)
    return {text[link.start : link.end]: link for link in links}


def test_a_country_the_article_names_decides_between_places(gazetteer):
    text = "Clashes in Tripoli, in northern Lebanon, killed two."
    links = _link(gazetteer, text, "Tripoli", "Lebanon")
    assert links["Tripoli"].kb_id == "geonames:266826"
    assert links["Lebanon"].kb_id == "geonames:272103"


def test_without_context_the_prominent_place_wins_clearly(gazetteer):
    links = _link(gazetteer, "Fighting closed the airport of Tripoli.", "Tripoli")
    assert links["Tripoli"].kb_id == "geonames:2210247"  # the capital of Libya


def test_x_province_asks_for_the_region(gazetteer):
    text = "Shells hit Idlib province; in Idlib itself the market burned."
    links = _link(gazetteer, text, "Idlib province", "Idlib itself")
    assert links["Idlib province"].kb_id == "geonames:admin1:SY.12"


def test_x_city_is_the_town(gazetteer):
    """A span that took in "city" ("east of Maʾrib city") was linked to nothing."""
    text = "Shells hit Idlib city; the Idlib region stayed calm."
    links = _link(gazetteer, text, "Idlib city")
    assert links["Idlib city"].kb_id == "geonames:169389"


def test_x_city_settles_the_bare_name_too(gazetteer):
    """Once "Maʾrib city" was the town, the bare "Maʾrib" (town or region, and the town
    near) was left ambiguous."""
    text = "Strikes near Idlib; east of Idlib city, and in Idlib."
    spans = [Span(13, 18, "LOCATION"), Span(28, 38, "LOCATION"), Span(47, 52, "LOCATION")]
    links = link_places(text, spans, gazetteer, None)
    assert [link.kb_id for link in links] == ["geonames:169389"] * 3


def test_a_bare_name_is_the_town_before_the_region_named_after_it(gazetteer):
    links = _link(gazetteer, "Shelling hit Idlib on Monday.", "Idlib")
    assert links["Idlib"].kb_id == "geonames:169389"


def test_a_list_of_names_before_regions_asks_for_regions(gazetteer):
    text = "Power cuts in the Latakia and Idlib regions."
    links = _link(gazetteer, text, "Latakia", "Idlib")
    assert links["Idlib"].kb_id == "geonames:admin1:SY.12"
    assert links["Latakia"].kb_id == "geonames:admin1:SY.02"


def test_nearby_resolved_places_pick_the_homonym(gazetteer):
    # "Ariha" is a town near Idlib and also Jericho's Arabic name: Idlib and Jisr al-Shughur
    # are resolved first, and Ariha is 20 km away from them.
    text = "Strikes hit Jisr al-Shughur, Ariha and Idlib."
    links = _link(gazetteer, text, "Jisr al-Shughur", "Ariha", "Idlib")
    assert links["Ariha"].kb_id == "geonames:172994"
    assert links["Ariha"].status == LINKED


def test_an_anchor_from_the_annotator_counts_like_a_resolved_place(gazetteer):
    idlib = gazetteer.get("geonames:169389")
    links = _link(gazetteer, "They fled Ariha.", "Ariha", context=PlaceContext(anchors=[idlib]))
    assert links["Ariha"].kb_id == "geonames:172994"


def test_no_clear_winner_stays_unlinked_and_says_so(gazetteer):
    links = _link(gazetteer, "Residents of Marj fled.", "Marj")
    assert links["Marj"].status == AMBIGUOUS
    assert links["Marj"].kb_id == ""
    assert {c.kb_id for c in links["Marj"].candidates} == {"geonames:9000001", "geonames:9000002"}


def test_an_unknown_name_is_marked_unknown(gazetteer):
    links = _link(gazetteer, "A school in Kansafra was hit.", "Kansafra")
    assert links["Kansafra"].status == UNKNOWN
    assert links["Kansafra"].candidates == ()


def test_a_small_homonym_far_from_everything_the_article_is_about_is_not_guessed(gazetteer):
    # "Kassara" is a front line near Marib; the gazetteer only knows Kassala in Sudan by it.
    text = "MARIB, Yemen — rebels were killed near the Kassara front line."
    links = _link(gazetteer, text, "MARIB", "Yemen", "Kassara")
    assert links["MARIB"].kb_id == "geonames:72968"
    assert links["Kassara"].status == AMBIGUOUS
    assert links["Kassara"].kb_id == ""


def test_every_mention_of_a_name_gets_the_same_answer(gazetteer):
    text = "Tripoli, Lebanon. Later in Tripoli the army deployed."
    spans = [Span(0, 7, "LOCATION"), Span(9, 16, "LOCATION"), Span(27, 34, "LOCATION")]
    links = link_places(text, spans, gazetteer)
    assert links[0].kb_id == links[2].kb_id == "geonames:266826"


def test_the_baseline_takes_the_most_populous_place(gazetteer):
    assert most_populous("Tripoli", gazetteer).country == "LY"
    assert most_populous("the Kansafra", gazetteer) is None


def test_other_labels_are_not_linked(gazetteer):
    text = "Tripoli said."
    assert link_places(text, [Span(0, 7, "FACTION")], gazetteer) == []


def test_a_region_the_article_resolves_makes_its_country_the_articles(tmp_path):
    """Gaza coverage names Israel, a country: the Gaza Strip, a region it resolves, makes
    Palestine one of the article's countries too, so its towns are not doubtful abroad."""
    from annotator.kb.places import COUNTRY, PLACE, REGION, Gazetteer, Place, build_index

    places = [
        Place("geonames:294640", "Israel", COUNTRY, "IL", "", "", "A", "PCLI", 31.5, 34.75,
              8_883_800),
        Place("geonames:admin1:PS.GZ", "Gaza Strip", REGION, "PS", "GZ", "Gaza Strip", "A",
              "ADM1", 31.44, 34.40, 1_700_000),
        Place("geonames:281124", "Khān Yūnis", PLACE, "PS", "GZ", "Gaza Strip", "P", "PPLA2",
              31.34, 34.31, 173_183, ("Khan Younis",)),
        Place("geonames:7000001", "Khan Younis", PLACE, "SY", "12", "Idlib", "P", "PPL",
              35.9, 36.6, 600),
    ]  # fmt: skip
    build_index(tmp_path / "gaza.sqlite", places, {"version": "gaza"})
    gazetteer = Gazetteer(tmp_path / "gaza.sqlite")
    text = (
        "Israel said it was investigating. DEIR AL-BALAH, Gaza Strip — crowds surged "
        "in Khan Younis on Saturday."
    )
    links = _link(gazetteer, text, "Israel", "Gaza Strip", "Khan Younis")
    assert links["Gaza Strip"].kb_id == "geonames:admin1:PS.GZ"
    assert links["Khan Younis"].kb_id == "geonames:281124"


def test_the_nearest_anchor_follows_places_added_and_is_never_the_place_itself():
    from annotator.kb.place_linker import _Anchors
    from annotator.kb.places import PLACE, Place

    def place(name: str, lat: float, lon: float) -> Place:
        return Place(f"geonames:{name}", name, PLACE, "SY", latitude=lat, longitude=lon)

    aleppo, idlib = place("Aleppo", 36.2, 37.16), place("Idlib", 35.93, 36.63)
    homs = place("Homs", 34.73, 36.71)
    anchors = _Anchors([aleppo])
    assert anchors.nearest(aleppo) == math.inf and anchors.holds(aleppo)
    assert 50 < anchors.nearest(idlib) < 60 and not anchors.holds(idlib)
    anchors.append(homs)  # farther from Idlib than Aleppo is: the nearest stays Aleppo
    assert 50 < anchors.nearest(idlib) < 60
    assert 160 < anchors.nearest(aleppo) < 175  # Homs, now there
    anchors.append(idlib)
    assert anchors.holds(idlib) and 50 < anchors.nearest(idlib) < 60


def test_a_name_after_the_that_ends_its_phrase_is_no_town(tmp_path):
    """ "Ukraine strikes across the Dnipro" and "the left bank of the Dnipro near Oleshky"
    were linked to the city of Dnipro, 300 km upstream of the river meant."""
    import re

    from annotator.kb.places import COUNTRY, PLACE, Gazetteer, Place, build_index

    places = [
        Place("geonames:690791", "Ukraine", COUNTRY, "UA", "", "", "A", "PCLI", 48.4, 31.8,
              40_000_000),
        Place("geonames:709930", "Dnipro", PLACE, "UA", "04", "Dnipropetrovsk", "P", "PPLA",
              48.47, 35.04, 968_502),
        Place("geonames:2747373", "The Hague", PLACE, "NL", "11", "South Holland", "P", "PPLG",
              52.08, 4.30, 474_292, ("Hague",)),
    ]  # fmt: skip
    build_index(tmp_path / "dnipro.sqlite", places, {"version": "dnipro"})
    gazetteer = Gazetteer(tmp_path / "dnipro.sqlite")
    text = (
        "Ukraine strikes across the Dnipro\nKYIV — Troops crossed to the left bank of the Dnipro"
        " near Oleshky. Drones hit Dnipro and the Dnipro airport."
    )
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer("Ukraine|Dnipro", text)]
    links = link_places(text, spans, gazetteer)
    assert [(link.status, link.kb_id) for link in links] == [
        (LINKED, "geonames:690791"),
        (UNKNOWN, ""),  # across the Dnipro: the river
        (UNKNOWN, ""),  # the left bank of the Dnipro near Oleshky
        (LINKED, "geonames:709930"),  # Drones hit Dnipro: the city
        (LINKED, "geonames:709930"),  # the Dnipro airport: the city's
    ]
    # "The Hague" has "the" in its own name
    links = _link(gazetteer, "Talks in the Hague failed.", "Hague")
    assert links["Hague"].kb_id == "geonames:2747373"


def test_a_region_is_not_the_town_that_answers_to_its_name_only_as_its_seat(tmp_path):
    """ "near Akkar and the border with Syria" was Halba, Akkar's seat (a town of 4,500
    that GeoNames also calls Akkar), before the governorate; "Idlib" stays the town."""
    from annotator.kb.places import COUNTRY, PLACE, REGION, Gazetteer, Place, build_index

    places = [
        Place("geonames:272103", "Lebanon", COUNTRY, "LB", "", "", "A", "PCLI", 33.8, 35.8,
              6_848_925),
        Place("geonames:admin1:LB.10", "Aakkâr", REGION, "LB", "10", "Aakkâr", "A", "ADM1",
              34.53, 36.17, 4_500, ("Akkar",)),
        Place("geonames:274723", "Halba", PLACE, "LB", "10", "Aakkâr", "P", "PPLA", 34.54,
              36.08, 4_500, ("Akkar",)),
        Place("geonames:266826", "Tripoli", PLACE, "LB", "09", "Liban-Nord", "P", "PPLA",
              34.43, 35.84, 229_398),
    ]  # fmt: skip
    build_index(tmp_path / "akkar.sqlite", places, {"version": "akkar"})
    gazetteer = Gazetteer(tmp_path / "akkar.sqlite")
    text = "Clashes in Tripoli, Lebanon, as troops reinforced positions near Akkar."
    links = _link(gazetteer, text, "Tripoli", "Lebanon", "Akkar")
    assert links["Akkar"].kb_id == "geonames:admin1:LB.10"
    # its own name is the town's: Halba
    assert _link(gazetteer, text.replace("Akkar", "Halba"), "Halba")["Halba"].kb_id == (
        "geonames:274723"
    )


def test_a_bare_name_of_a_region_and_its_seat_named_alike_is_still_the_town(gazetteer):
    links = _link(gazetteer, "Strikes on Idlib and Ariha in Syria.", "Idlib", "Ariha", "Syria")
    assert links["Idlib"].kb_id == "geonames:169389"
