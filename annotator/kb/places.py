"""The gazetteer: places, regions and countries by name, from an SQLite index.

A ``Gazetteer`` reads an index file built once (``annotator.kb.geonames`` builds the real one
from GeoNames data shipped in packages; tests build tiny ones with ``build_index``). A lookup is
one indexed query on the name key, well under a millisecond.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from annotator.kb.normalize import name_key
from annotator.storage.open_files import file_uri

COUNTRY, REGION, PLACE = "country", "region", "place"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``kb_id`` is ``geonames:<id>`` for places and countries and
    ``geonames:admin1:<CC>.<code>`` for first-level regions (GeoNames' admin1 key)."""

    kb_id: str
    name: str
    kind: str  # country, region or place
    country: str = ""  # ISO 3166 alpha-2
    admin1: str = ""  # GeoNames admin1 code within the country
    region: str = ""  # the admin1 region's name
    feature_class: str = ""  # GeoNames feature class: A (country, region), P (populated place)
    feature_code: str = ""  # PCLI, ADM1, PPLC, PPL
    latitude: float = 0.0
    longitude: float = 0.0
    population: int = 0
    aliases: tuple[str, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        """How a person reads it in a list: "Kassab, Latakia, SY"."""
        parts = [self.name]
        if self.kind == PLACE and self.region:
            parts.append(self.region)
        if self.kind != COUNTRY and self.country:
            parts.append(self.country)
        return ", ".join(parts)

    def distance_km(self, other: Place) -> float:
        return distance_km(self.latitude, self.longitude, other.latitude, other.longitude)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    kb_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    region TEXT NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    population INTEGER NOT NULL
);
CREATE TABLE names (key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place))
    WITHOUT ROWID;
"""
_COLUMNS = (
    "kb_id, name, kind, country, admin1, region, feature_class, feature_code, "
    "latitude, longitude, population"
)


def build_index(path: Path, places: Iterable[Place], meta: dict[str, str] | None = None) -> int:
    """Write a gazetteer index of ``places`` (each findable by its name and aliases) to
    ``path``, replacing it; returns the number of names indexed."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(str(path))
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        rows: list[tuple] = []
        names: list[tuple[str, int]] = []
        # Many places share names ("San José"): each distinct spelling is keyed once.
        key = lru_cache(maxsize=None)(name_key)
        for row_id, place in enumerate(places, start=1):
            rows.append(
                (row_id, place.kb_id, place.name, place.kind, place.country, place.admin1,
                 place.region, place.feature_class, place.feature_code, place.latitude,
                 place.longitude, place.population)
            )  # fmt: skip
            keys = {key(n) for n in (place.name, *place.aliases)} - {""}
            names.extend((k, row_id) for k in keys)
        with db:
            db.executemany(
                f"INSERT INTO places (id, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            # In key order: the table is its own index, filled from one end to the other.
            names.sort()
            db.executemany("INSERT INTO names (key, place) VALUES (?, ?)", names)
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)", sorted((meta or {}).items())
            )
        db.execute("ANALYZE")
    finally:
        db.close()
    return len(names)


class Gazetteer:
    """Read-only lookups in an index file made by ``build_index``."""

    def __init__(self, path: Path):
        self.path = path
        # Read-only and shareable between threads: lookups never write.
        self._db = sqlite3.connect(
            file_uri(path, "mode=ro&immutable=1"), uri=True, check_same_thread=False
        )
        self.meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        self._by_id: dict[int, Place] = {}

    def close(self) -> None:
        self._db.close()

    def lookup(self, name: str) -> list[Place]:
        """Every entry one of whose names has the same key as ``name``, most populous first."""
        key = name_key(name)
        if not key:
            return []
        rows = self._db.execute(
            f"SELECT p.id, {_COLUMNS} FROM names n JOIN places p ON p.id = n.place "
            "WHERE n.key = ? ORDER BY p.population DESC, p.id",
            (key,),
        ).fetchall()
        return [self._place(row) for row in rows]

    def search(self, text: str, limit: int = 10) -> list[Place]:
        """Type-ahead: entries with a name starting with ``text`` (as a key), exact names
        first, then countries and regions, then by population."""
        key = name_key(text)
        if not key:
            return []
        rows = self._db.execute(
            f"""SELECT p.id, {_COLUMNS} FROM (
                    SELECT place, MIN(key != :key) AS inexact FROM (
                        SELECT key, place FROM names WHERE key >= :key AND key < :end LIMIT 5000
                    ) GROUP BY place
                ) hit JOIN places p ON p.id = hit.place
                ORDER BY hit.inexact, p.kind = 'place', p.population DESC, p.id LIMIT :limit""",
            {"key": key, "end": key + "\U0010ffff", "limit": limit},
        ).fetchall()
        return [self._place(row) for row in rows]

    def search_near(self, text: str, limit: int = 10) -> list[Place]:
        """Entries whose name is ``text`` with a letter doubled or not, or its words run
        together, most populous first: transliterations differ so ("Maarat al-Numan" is
        "Ma‘arrat an Nu‘mān", "Tal Kalakh" "Tallkalakh"), where ``search`` found nothing
        and the link dialog said "not in the gazetteer" of a place it holds."""
        key = name_key(text)
        if len(key) < 4:
            return []
        wanted = _squeezed(key)
        ids = {
            place
            for name, place in self._db.execute(
                "SELECT key, place FROM names WHERE key >= ? AND key < ?",
                (key[:2], key[:2] + "\U0010ffff"),
            )
            if abs(len(name) - len(key)) <= 4 and _squeezed(name) == wanted
        }
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT p.id, {_COLUMNS} FROM places p WHERE p.id IN ({marks}) "
            "ORDER BY p.kind = 'place', p.population DESC, p.id LIMIT ?",
            (*sorted(ids), limit),
        ).fetchall()
        return [self._place(row) for row in rows]

    def get(self, kb_id: str) -> Place | None:
        row = self._db.execute(
            f"SELECT id, {_COLUMNS} FROM places WHERE kb_id = ?", (kb_id,)
        ).fetchone()
        return self._place(row) if row else None

    def size(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM places").fetchone()[0])

    def _place(self, row: tuple) -> Place:
        row_id = row[0]
        place = self._by_id.get(row_id)
        if place is None:
            if len(self._by_id) > 100_000:  # type-ahead over the whole index: start afresh
                self._by_id.clear()
            place = Place(*row[1:])
            self._by_id[row_id] = place
        return place


_DOUBLED = re.compile(r"(.)\1+")


def _squeezed(key: str) -> str:
    """A name key with no letter doubled and no spaces: "tall kalakh" and "tal kalakh" are
    "talkalakh"."""
    return _DOUBLED.sub(r"\1", key.replace(" ", ""))
