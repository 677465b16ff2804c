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
    found = search(query, kind, 36, gazetteer, kb) or _near(query, kind, gazetteer, kb)
    known = countries(gazetteer)

    def order(entry: Entry) -> int:
        if not entry.kb_id.startswith("geonames:"):
            actor = kb.get(entry.kb_id)
            return 0 if actor is not None and known.intersection(actor.countries) else 1
        place = gazetteer.get(entry.kb_id)
        return 2 if place is not None and place.country in known else 3

    found.sort(key=order)
    return found[: 24 if kind == ANY else 12]


def _near(query: str, kind: str, gazetteer: Gazetteer, kb: ActorKB) -> list[Entry]:
    """Where nothing starts with ``query``: an actor named by its last words ("Kurdish YPG"
    is "YPG"), a place spelled with a letter doubled or not ("Maarat al-Numan",
    "Tal Kalakh"). The dialog said "Not in the gazetteer (looked for, not there)" of both,
    and Enter wrote that into the data."""
    found: list[Entry] = []
    words = query.split()
    if kind in (ACTORS, ANY):
        for start in range(1, len(words)):  # (a name whole, not a prefix: "at all" is no "All…")
            actors = kb.by_name(" ".join(words[start:]))
            if actors:
                found = [Entry(a.kb_id, a.label, a.kind, a.summary) for a in actors]
                break
    if kind in (PLACES, ANY):
        for place in gazetteer.search_near(query, 12):
            detail = f"{place.latitude:.4f}, {place.longitude:.4f}"
            found.append(Entry(place.kb_id, place.label, place.kind, detail))
    return found


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
