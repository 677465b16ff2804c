"""Make ``resources/map/countries.geojson``, the country outlines the window's map draws.

The outlines are Natural Earth's 1:110m admin-0 countries (public domain), as the
``geopandas`` 0.14 wheel ships them (``geopandas/datasets/naturalearth_lowres``; later
versions dropped the data). Run once, with the shapefile's folder::

    pip download geopandas==0.14.4 --no-deps -d /tmp/gpd
    unzip /tmp/gpd/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d /tmp/gpd
    python -m annotator.kb.make_world_map /tmp/gpd/geopandas/datasets/naturalearth_lowres

Coordinates are rounded to 0.01° (about a kilometre, finer than the data's 1:110m) and
repeated points dropped; each country keeps its name and ISO 3166 alpha-3 code. The program
reads the result and nothing else: no shapefile reader is needed at run time.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import Any

Ring = list[tuple[float, float]]
OUT = Path(__file__).resolve().parents[2] / "resources" / "map" / "countries.geojson"


def read_polygons(shp: Path) -> list[list[Ring]]:
    """Each record's rings (shapefile polygons and multipatches of type 5 only)."""
    data = shp.read_bytes()
    records: list[list[Ring]] = []
    at = 100
    while at < len(data):
        _, words = struct.unpack_from(">ii", data, at)
        content = at + 8
        (kind,) = struct.unpack_from("<i", data, content)
        rings: list[Ring] = []
        if kind == 5:
            parts, points = struct.unpack_from("<ii", data, content + 36)
            starts = list(struct.unpack_from(f"<{parts}i", data, content + 44))
            coords = struct.unpack_from(f"<{2 * points}d", data, content + 44 + 4 * parts)
            for first, last in zip(starts, [*starts[1:], points], strict=True):
                rings.append([(coords[2 * i], coords[2 * i + 1]) for i in range(first, last)])
        records.append(rings)
        at = content + 2 * words
    return records


def read_table(dbf: Path) -> list[dict[str, str]]:
    """The attribute rows of a dBase file, as text."""
    data = dbf.read_bytes()
    count, header, size = struct.unpack_from("<IHH", data, 4)
    fields = []
    at = 32
    while data[at] != 0x0D:
        name = data[at : at + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, data[at + 16]))
        at += 32
    rows = []
    for number in range(count):
        record = data[header + number * size : header + (number + 1) * size]
        offset = 1  # the deletion flag
        row = {}
        for name, width in fields:
            row[name] = record[offset : offset + width].decode("utf-8", "replace").strip()
            offset += width
        rows.append(row)
    return rows


def _area(ring: Ring) -> float:
    following = ring[1:] + ring[:1]
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, following, strict=True))


def _simplified(ring: Ring) -> Ring:
    kept: Ring = []
    for x, y in ring:
        point = (round(x, 2), round(y, 2))
        if not kept or point != kept[-1]:
            kept.append(point)
    return kept


def geometry(rings: list[Ring]) -> dict[str, Any]:
    """A GeoJSON MultiPolygon: shapefile outer rings run clockwise, holes counter-clockwise;
    GeoJSON (RFC 7946) wants them the other way round."""
    polygons: list[list[Ring]] = []
    for ring in map(_simplified, rings):
        if len(ring) < 4:
            continue
        if _area(ring) < 0 or not polygons:  # clockwise: an outer ring
            polygons.append([ring[::-1]])
        else:
            polygons[-1].append(ring[::-1])
    return {
        "type": "MultiPolygon",
        "coordinates": [[[list(p) for p in ring] for ring in polygon] for polygon in polygons],
    }


def main(folder: str) -> None:
    base = Path(folder) / Path(folder).name
    shapes = read_polygons(base.with_suffix(".shp"))
    rows = read_table(base.with_suffix(".dbf"))
    features = [
        {
            "type": "Feature",
            "properties": {"name": row["name"], "iso_a3": row["iso_a3"]},
            "geometry": geometry(rings),
        }
        for row, rings in zip(rows, shapes, strict=True)
        if rings
    ]
    OUT.parent.mkdir(exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(features)} countries, {OUT.stat().st_size:,} bytes: {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
