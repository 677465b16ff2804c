"""What the link dialog offers for a name as it is typed: places and actors found by
``annotator.kb.linking.search``, those of the article's own countries first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from annotator.core.model import Span
from annotator.kb import Entry
from annotator.kb.actors import ActorKB
from annotator.kb.linking import ACTORS, ANY, PLACES, search
from annotator.kb.place_words import BASED_AFTER

if TYPE_CHECKING:
    from annotator.kb.places import Gazetteer


def search_entries(
    query: str,
    kind: str,
    gazetteer: Gazetteer | None,
    kb: ActorKB,
    countries: Callable[[Gazetteer], set[str]],
) -> list[Entry]:
    """The entries for ``query`` of ``kind`` (``PLACES``, ``ACTORS``, ``ANY``): actors alone
    while the place index is not there; the best 12 (24 of any kind) otherwise."""
    if gazetteer is None:
        kind = ACTORS if kind != PLACES else kind
        if kind == PLACES:
            return []
        return search(query, kind, 12, gazetteer, kb)
    # The entries of the article's countries first ("Gaza" in an article of Gaza's places
    # was Gaza Province, Mozambique, on top; "Arm" in a Ukrainian one, Burkina Faso's
    # army): from more, the best 12. Actors come before places, as search gives.
    found = search(query, kind, 36, gazetteer, kb)
    known = countries(gazetteer)

    def order(entry: Entry) -> int:
        if not entry.kb_id.startswith("geonames:"):
            actor = kb.get(entry.kb_id)
            return 0 if actor is not None and known.intersection(actor.countries) else 1
        place = gazetteer.get(entry.kb_id)
        return 2 if place is not None and place.country in known else 3

    found.sort(key=order)
    return found[: 24 if kind == ANY else 12]


def article_countries(
    gazetteer: Gazetteer, text: str, spans: Sequence[Span], linking: Span
) -> set[str]:
    """The countries the article's other linked places are in (not "the Paris-based")."""
    places = (
        gazetteer.get(s.kb_id)
        for s in spans
        if s.kb_id.startswith("geonames:")
        and s.key != linking.key
        and not BASED_AFTER.match(text, s.end)
    )
    return {place.country for place in places if place is not None}
