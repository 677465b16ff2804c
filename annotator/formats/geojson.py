"""``geojson``: the located places of the exported articles, for a map (QGIS opens it).

One ``FeatureCollection``; a ``Point`` feature per LOCATION span linked to a gazetteer
entry (GeoJSON's ``[longitude, latitude]``, WGS 84), with the article and the mention in its
properties: ``article_id``, ``title``, ``published``, ``annotator``, ``text`` (the span's
text), ``start``, ``end``, ``kb_id`` (``geonames:168519``), ``name``, ``country`` (ISO
3166 alpha-2), ``region`` and ``kind`` (place, region, country) of the entry. A place named
three times in an article is three features: a map can count mentions or dissolve them.

A LOCATION span without a link, or linked to an entry the gazetteer lacks, has no
coordinates: it is not written, and the export report lists it. The other labels are not
places: the report says how many spans were left out for that.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from annotator.core.model import Label
from annotator.formats.base import Format, Omission
from annotator.kb.place_linker import LOCATION, PlaceLookup
from annotator.storage.export_items import AnnotatedArticle


def _default_gazetteer() -> PlaceLookup:
    from annotator.kb.geonames import default_gazetteer

    return default_gazetteer()


class GeoJsonWriter:
    """A FeatureCollection written a feature at a time."""

    #: Where coordinates come from (tests give a small gazetteer); opened on the first place.
    gazetteer_source: Callable[[], PlaceLookup] = staticmethod(_default_gazetteer)

    def __init__(self, path: Path, labels: Sequence[Label]):
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.file.write('{"type":"FeatureCollection","features":[')
        self.first = True
        self.gazetteer: PlaceLookup | None = None
        self.spans_written: Counter[str] = Counter()  # the report counts these as written
        self.not_places: Counter[str] = Counter()  # spans of other labels, by label
        self.notes: list[str] = []

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        omissions: list[Omission] = []
        article = item.article
        for span in item.spans:
            if span.label != LOCATION:
                self.not_places[span.label] += 1
                continue
            if not span.kb_id:
                omissions.append(Omission.of(item, span, "not linked to a place: no coordinates"))
                continue
            if self.gazetteer is None:
                self.gazetteer = type(self).gazetteer_source()
            place = self.gazetteer.get(span.kb_id)
            if place is None:
                omissions.append(
                    Omission.of(
                        item, span, "refers to no place of the gazetteer: no coordinates",
                        detail=span.kb_id,
                    )
                )  # fmt: skip
                continue
            feature: dict[str, Any] = {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place.longitude, 5), round(place.latitude, 5)],
                },
                "properties": {
                    "article_id": article.id,
                    "title": article.title,
                    "published": article.published,
                    "annotator": item.annotator,
                    "text": span.text(article.text),
                    "start": span.start,
                    "end": span.end,
                    "kb_id": span.kb_id,
                    "name": place.name,
                    "country": place.country,
                    "region": place.region,
                    "kind": place.kind,
                },
            }
            self.file.write(
                ("\n" if self.first else ",\n") + json.dumps(feature, ensure_ascii=False)
            )
            self.first = False
            self.spans_written[span.label] += 1
        return omissions

    def close(self) -> None:
        self.file.write("\n]}\n")
        self.file.close()
        if self.first:  # ("wrote 50,000 articles" alone read as a map of them)
            self.notes.append(
                "no located place: the FeatureCollection is empty (a LOCATION has coordinates "
                "once it is linked to a place: L in the window, or pre-annotation's links)"
            )
        if self.not_places:
            shown = ", ".join(f"{label} {n:,}" for label, n in sorted(self.not_places.items()))
            self.notes.append(
                f"GeoJSON holds located places (linked LOCATION spans) only; not places: {shown}"
            )

    def discard(self) -> None:
        self.file.close()


GEOJSON = Format(
    "geojson",
    "GeoJSON FeatureCollection of the linked places (a point per LOCATION mention)",
    (".geojson",),
    None,
    GeoJsonWriter,
)
