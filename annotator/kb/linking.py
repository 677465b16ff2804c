"""Linking an article's spans, for the pre-annotation pipeline and for the window.

- ``link_article``: a ``Link`` for each LOCATION and FACTION span (places first: the
  countries they resolve to are the context of the factions);
- ``link_suggestions``: the same spans with ``kb_id`` set where a link was found — what the
  pipeline stores with its suggestions;
- ``search``: type-ahead over places and actors, for the window's knowledge-base dialog.

The real gazetteer's index is built on first use (see ``geonames.default_gazetteer``); pass a
gazetteer to use another (tests pass a tiny one).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.model import Span
from annotator.kb.actors import ActorKB, shipped_actors
from annotator.kb.faction_linker import FACTION, link_factions
from annotator.kb.links import LINKED, Link
from annotator.kb.place_linker import LOCATION, PlaceContext, PlaceLookup, link_places
from annotator.kb.place_words import BASED_AFTER
from annotator.kb.places import COUNTRY, Gazetteer

PLACES, ACTORS, ANY = "place", "actor", "any"


@dataclass(frozen=True, slots=True)
class Entry:
    """One result of ``search``: enough to show it in a list and to link a span to it."""

    kb_id: str
    label: str  # "Kassab, Latakia, SY" / "Hayat Tahrir al-Sham (annotator:…)"
    kind: str  # country, region, place, or the actor's kind
    detail: str = ""  # coordinates of a place, the names of an actor


def link_article(
    text: str,
    spans: Sequence[Span],
    published: str = "",
    gazetteer: PlaceLookup | None = None,
    kb: ActorKB | None = None,
    context: PlaceContext | None = None,
) -> list[Link]:
    """Links for the LOCATION and FACTION spans of ``spans``, in the order of ``spans``."""
    places_kb: PlaceLookup = gazetteer or _default_gazetteer()
    kb = kb or shipped_actors()
    places = link_places(text, spans, places_kb, context)
    countries = article_countries(places, places_kb)
    mentions = country_mentions(text, places, places_kb)
    factions = link_factions(text, spans, kb, published, countries, _country_names(), mentions)
    by_span = {(link.start, link.end, LOCATION): link for link in places}
    by_span.update({(link.start, link.end, FACTION): link for link in factions})
    return [by_span[s.key] for s in spans if s.key in by_span]


def link_suggestions(
    text: str,
    spans: Sequence[Span],
    published: str = "",
    gazetteer: PlaceLookup | None = None,
    kb: ActorKB | None = None,
) -> list[Span]:
    """``spans`` with ``kb_id`` set on each LOCATION and FACTION span that links."""
    found = link_article(text, spans, published, gazetteer, kb)
    links = {(link.start, link.end): link for link in found}
    linked = []
    for span in spans:
        link = links.get((span.start, span.end)) if span.label in (LOCATION, FACTION) else None
        kb_id = link.kb_id if link is not None and link.status == LINKED else ""
        linked.append(dataclasses.replace(span, kb_id=kb_id) if kb_id else span)
    return linked


def article_countries(links: Iterable[Link], gazetteer: PlaceLookup) -> list[str]:
    """The countries an article's linked places lie in, most mentioned first."""
    counts: Counter[str] = Counter()
    for link in links:
        if link.status != LINKED:
            continue
        place = gazetteer.get(link.kb_id)
        if place is not None:
            counts[place.country] += 2 if place.kind == COUNTRY else 1
    return [country for country, _ in counts.most_common()]


def country_mentions(
    text: str, links: Iterable[Link], gazetteer: PlaceLookup
) -> list[tuple[int, int, str]]:
    """(start, end, code) of each place linked to a country, in the text's order; not a
    country in "the Britain-based monitor" (it says where the monitor is, no more)."""
    found = []
    for link in links:
        place = gazetteer.get(link.kb_id) if link.status == LINKED else None
        if place is not None and place.kind == COUNTRY and not BASED_AFTER.match(text, link.end):
            found.append((link.start, link.end, place.country))
    return sorted(found)


def search(
    query: str,
    kind: str = ANY,
    limit: int = 10,
    gazetteer: Gazetteer | None = None,
    kb: ActorKB | None = None,
) -> list[Entry]:
    """Entries whose name starts with ``query`` (case, accents, "al-" ignored): actors
    first when ``kind`` is ``any`` (a project has fewer of them), then places."""
    found: list[Entry] = []
    if kind in (ACTORS, ANY):
        for actor in (kb or shipped_actors()).search(query, limit):
            found.append(Entry(actor.kb_id, actor.label, actor.kind, actor.summary))
    if kind in (PLACES, ANY):
        for place in (gazetteer or _default_gazetteer()).search(query, limit):
            detail = f"{place.latitude:.4f}, {place.longitude:.4f}"
            found.append(Entry(place.kb_id, place.label, place.kind, detail))
    return found[:limit] if kind != ANY else found[: 2 * limit]


def describe(
    kb_id: str, gazetteer: PlaceLookup | None = None, kb: ActorKB | None = None
) -> Entry | None:
    """The entry ``kb_id`` names, as ``search`` shows it; ``None`` if it is not in the
    gazetteer or knowledge base given (a place needs a gazetteer: none, none found)."""
    if kb_id.startswith("geonames:"):
        place = gazetteer.get(kb_id) if gazetteer is not None else None
        if place is None:
            return None
        return Entry(
            place.kb_id, place.label, place.kind, f"{place.latitude:.4f}, {place.longitude:.4f}"
        )
    actor = (kb or shipped_actors()).get(kb_id)
    if actor is None:
        return None
    return Entry(actor.kb_id, actor.label, actor.kind, actor.summary)


def project_kb(records: Iterable[Mapping[str, Any]]) -> ActorKB:
    """The shipped actors plus a project's own (``storage.links.project_actors`` records)."""
    return shipped_actors().with_additions(records)


def _default_gazetteer() -> Gazetteer:
    from annotator.kb.geonames import default_gazetteer

    return default_gazetteer()


def _country_names() -> dict[str, str]:
    from annotator.kb.geonames import country_codes_by_name

    return country_codes_by_name()
