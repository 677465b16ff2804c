"""A tiny gazetteer, built in a moment, with the traps of the real one."""

from __future__ import annotations

import pytest

from annotator.kb.places import COUNTRY, PLACE, REGION, Gazetteer, Place, build_index


def _place(kb_id, name, country, admin1, region, lat, lon, population, *aliases, code="PPL"):
    return Place(kb_id, name, PLACE, country, admin1, region, "P", code, lat, lon, population,
                 tuple(aliases))  # fmt: skip


PLACES = [
    Place(
        "geonames:163843",
        "Syria",
        COUNTRY,
        "SY",
        "",
        "",
        "A",
        "PCLI",
        35.0,
        38.0,
        16_906_283,
        ("سوريا",),
    ),
    Place("geonames:272103", "Lebanon", COUNTRY, "LB", "", "", "A", "PCLI", 33.8, 35.8, 6_848_925),
    Place("geonames:2215636", "Libya", COUNTRY, "LY", "", "", "A", "PCLI", 27.0, 17.0, 6_678_567),
    Place("geonames:69543", "Yemen", COUNTRY, "YE", "", "", "A", "PCLI", 15.5, 47.5, 28_498_687),
    Place(
        "geonames:admin1:SY.12",
        "Idlib",
        REGION,
        "SY",
        "12",
        "Idlib",
        "A",
        "ADM1",
        35.8,
        36.6,
        442_917,
    ),
    Place(
        "geonames:admin1:SY.02",
        "Latakia",
        REGION,
        "SY",
        "02",
        "Latakia",
        "A",
        "ADM1",
        35.6,
        36.0,
        600_000,
    ),
    Place(
        "geonames:admin1:LB.09",
        "Liban-Nord",
        REGION,
        "LB",
        "09",
        "Liban-Nord",
        "A",
        "ADM1",
        34.4,
        35.9,
        700_000,
        ("North Lebanon",),
    ),
    _place(
        "geonames:168519",
        "Kassab",
        "SY",
        "02",
        "Latakia",
        35.926,
        35.990,
        0,
        "Kesab",
        "Kessab",
        "Kasab",
        "كسب",
    ),
    _place("geonames:169389", "Idlib", "SY", "12", "Idlib", 35.931, 36.634, 128_840, "إدلب"),
    _place("geonames:172994", "Arīḩā", "SY", "12", "Idlib", 35.814, 36.610, 0, "Ariha"),
    _place(
        "geonames:284899",
        "Jericho",
        "PS",
        "WE",
        "West Bank",
        31.867,
        35.450,
        19_783,
        "Ariha",
        "أريحا",
    ),
    _place(
        "geonames:173811",
        "Al Ḩasakah",
        "SY",
        "01",
        "Al-Hasakah",
        36.502,
        40.748,
        422_445,
        "Al-Hasakah",
        "Hasakah",
        "الحسكة",
    ),
    _place("geonames:169023", "Jisr ash Shughūr", "SY", "12", "Idlib", 35.814, 36.320, 39_311),
    _place(
        "geonames:2210247", "Tripoli", "LY", "77", "Tripoli", 32.887, 13.187, 1_302_947, code="PPLC"
    ),
    _place(
        "geonames:266826", "Tripoli", "LB", "09", "Liban-Nord", 34.434, 35.844, 229_398, "Trablous"
    ),
    _place("geonames:252601", "Trípoli", "GR", "ESYE25", "Peloponnese", 37.51, 22.379, 26_561),
    _place("geonames:9000001", "Marj", "LY", "66", "Al Marj", 32.5, 20.8, 20_000),
    _place("geonames:9000002", "Marj", "LB", "08", "Béqaa", 33.6, 35.9, 18_000),
    _place("geonames:372753", "Kassala", "SD", "52", "Kassala", 15.451, 36.4, 401_477, "Kassara"),
    _place("geonames:72968", "Ma'rib", "YE", "14", "Ma’rib", 15.463, 45.326, 16_794, "Marib"),
]


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gazetteer") / "tiny.sqlite"
    build_index(path, PLACES, {"version": "tiny"})
    return Gazetteer(path)
