"""Which place a LOCATION mention names: disambiguation by what the article says.

Each mention's candidates are the gazetteer entries with its name. A candidate is scored by

- prominence: countries, then regions, then places by population; capitals a little more;
- the article: a country the article names (+3), a region it names (+2.5), closeness to the
  places already resolved (+3 within 25 km, +2 within 100 km, +1 within 250 km);
- a qualifier after a comma or "in": in "Atlanta, Georgia", "Georgia" is the US state,
  settled before the rest, and Atlanta one of the places it holds (``_qualified``); "Tripoli
  in Lebanon" and "Tripoli in Libya" in one article are two places; a place before
  "-based" ("the Britain-based monitor") is linked but is no context;
- the words around the mention: "Idlib province", "the Zaporizhzhia and Kharkiv regions"
  ask for a region; "the town of Ariha" for a place; a bare name that is both a region and
  a town in it ("Marib") is the town, unless the town's own name is another ("Akkar" is the
  governorate, not Halba, its seat); a name after "the" that ends its phrase ("across the
  Dnipro", "the Dnipro near Oleshky") is a river, a region or a country, never a town.

Mentions are resolved in rounds, surest first, each resolved place becoming context for the
next round. A mention is linked only when its best candidate leads the second by a clear
margin and does not lie far outside everything the article is about (a small place in a
country the article never names, 500 km from its other places: more likely a homonym the
gazetteer lacks; capitals and cities of a million are exempt); otherwise it stays
unlinked and is marked ``ambiguous`` (with its candidates) or ``unknown`` (no candidate).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from annotator.core.model import Span
from annotator.kb.links import AMBIGUOUS, LINKED, UNKNOWN, Candidate, Link
from annotator.kb.normalize import name_key
from annotator.kb.place_words import (
    BASED_AFTER,
    PLACE_BEFORE,
    PLACE_SUFFIX,
    QUALIFYING,
    REGION_AFTER,
    REGION_SUFFIX,
    has_the,
    no_town,
    seats_by_another_name,
    strip_article,
)
from annotator.kb.places import COUNTRY, PLACE, REGION, Place

LOCATION = "LOCATION"
MARGIN = 1.0  # how far the best candidate must lead the second
SURE = 3.0  # a lead this large needs no more context
FAR_KM = 500.0  # a candidate this far from every resolved place, in no named country, is doubtful
PROMINENT = 1_000_000  # a city this large is never doubtful for being far away


class PlaceLookup(Protocol):
    """What the linkers need of a gazetteer (``annotator.kb.places.Gazetteer`` has it)."""

    def lookup(self, name: str) -> list[Place]: ...

    def get(self, kb_id: str) -> Place | None: ...


@dataclass
class PlaceContext:
    """What is known of the article before its mentions are read (all optional)."""

    countries: Sequence[str] = ()  # ISO codes the article is known to be about
    anchors: Sequence[Place] = ()  # places already resolved (by an annotator, say)


@dataclass
class _Mention:
    spans: list[Span]
    text: str
    want: str  # REGION, PLACE or "" (no hint)
    candidates: list[Place]
    aside: bool = False  # "Britain-based": says where a source is, not what the article is about
    # towns that answer to the name only as their region's seat ("Akkar": Halba)
    seats_by_another_name: frozenset[str] = frozenset()
    link: Link | None = None
    place: Place | None = None
    scores: list[float] = field(default_factory=list)


def link_places(
    text: str,
    spans: Sequence[Span],
    gazetteer: PlaceLookup,
    context: PlaceContext | None = None,
) -> list[Link]:
    """A ``Link`` for each LOCATION span of ``spans``, in their order."""
    context = context or PlaceContext()
    located = [s for s in spans if s.label == LOCATION]
    commas = _comma_pairs(text, located)  # "Atlanta, Georgia": read once, used twice
    mentions = _mentions(text, located, commas, gazetteer)

    countries: Counter[str] = Counter({cc: 2 for cc in context.countries})
    regions: set[tuple[str, str]] = set()
    anchors = _Anchors(context.anchors)
    pending = [m for m in mentions if m.candidates]
    for m in mentions:
        if not m.candidates:
            m.link = None

    # "Atlanta, Georgia", "Tripoli, Lebanon": what holds a place is settled first, and the
    # place is one it holds (the rounds below still tell a town from its region).
    qualified = _qualified(mentions, commas)
    for _, holder, outer in qualified:
        holder.place = outer
        holder.candidates = [outer, *(p for p in holder.candidates if p is not outer)]
        holder.scores = [0.0] * len(holder.candidates)
        countries[outer.country] += len(holder.spans)
        if outer.kind == REGION:
            regions.add((outer.country, outer.admin1))
            anchors.append(outer)
    for named, _, outer in qualified:  # "Atlanta, Georgia, USA": Georgia is settled already
        if named.place is None:
            named.candidates = [p for p in named.candidates if _holds(outer, p)]
    pending = [m for m in pending if m.place is None]
    # Countries and regions named outright come first: they are the context of the rest.
    for m in pending:
        # ("Congo" names two countries: the article's other places settle which, below)
        one = sum(p.kind == COUNTRY for p in m.candidates) == 1
        if m.candidates[0].kind == COUNTRY and one and m.want != REGION and not m.aside:
            countries[m.candidates[0].country] += len(m.spans)
    while pending:
        leads: list[tuple[float, _Mention]] = []
        for m in pending:
            scored = sorted(
                ((_score(p, m, countries, regions, anchors), p) for p in m.candidates),
                key=lambda sp: -sp[0],
            )
            m.scores = [s for s, _ in scored]
            m.candidates = [p for _, p in scored]
            lead = m.scores[0] - (m.scores[1] if len(m.scores) > 1 else -math.inf)
            if lead >= MARGIN and not _doubtful(m.candidates[0], countries, anchors):
                leads.append((lead, m))
        if not leads:
            break
        # The sure ones all at once; otherwise only the surest, so that what it settles
        # (its country, its neighbourhood) is context for the others' next round.
        sure = [m for lead, m in leads if lead >= SURE]
        resolved = sure or [max(leads, key=lambda lm: lm[0])[1]]
        for m in resolved:
            m.place = m.candidates[0]
        for m in resolved:
            place = m.place
            assert place is not None
            if m.aside:
                continue
            if place.kind == COUNTRY:
                countries[place.country] += len(m.spans)
            elif place.country in countries or not countries or place.kind == REGION:
                # A capital abroad ("talks in Doha") does not make its country the article's;
                # a region does ("Israel said …; DEIR AL-BALAH, Gaza Strip —").
                countries[place.country] += 1
                if place.kind == REGION:
                    regions.add((place.country, place.admin1))
                anchors.append(place)
        pending = [m for m in pending if m.place is None]

    # One sense per name: a mention left open takes the place its name was given where a
    # qualifier settled it ("IDLIB, Syria — … strikes on Idlib"), if it was given one only.
    given: dict[tuple[str, str], set[str]] = {}
    for m in mentions:
        if m.place is not None:
            given.setdefault((name_key(m.text), m.want), set()).add(m.place.kb_id)
            if town := PLACE_SUFFIX.search(m.text):  # "Maʾrib city" settles "Maʾrib"
                given.setdefault((name_key(m.text[: town.start()]), m.want), set()).add(
                    m.place.kb_id
                )
    for m in mentions:
        settled = given.get((name_key(m.text), m.want), set())
        if m.place is None and len(settled) == 1:
            m.place = next((p for p in m.candidates if p.kb_id in settled), None)

    links: dict[tuple[int, int], Link] = {}
    for m in mentions:
        candidates = tuple(
            Candidate(p.kb_id, p.label, round(s, 2))
            for s, p in zip(m.scores or [0.0] * len(m.candidates), m.candidates, strict=True)
        )[:8]
        for span in m.spans:
            if m.place is not None:
                link = Link(span.start, span.end, m.place.kb_id, LINKED, candidates)
            elif m.candidates:
                link = Link(span.start, span.end, "", AMBIGUOUS, candidates)
            else:
                link = Link(span.start, span.end, "", UNKNOWN)
            links[(span.start, span.end)] = link
    return [links[(s.start, s.end)] for s in spans if s.label == LOCATION]


def most_populous(name: str, gazetteer: PlaceLookup) -> Place | None:
    """The baseline: the most populous entry with the mention's name, context ignored."""
    candidates = gazetteer.lookup(strip_article(name))
    return max(candidates, key=lambda p: p.population) if candidates else None


def _mentions(
    text: str, spans: list[Span], commas: list[tuple[Where, Where]], gazetteer: PlaceLookup
) -> list[_Mention]:
    """Spans grouped by name, hint and the names they qualify or are qualified by: one sense
    per name and hint in an article, but "Alexandria, Egypt" and "Alexandria, Virginia" (and
    the Georgia of "Atlanta, Georgia" and of "Tbilisi, Georgia") are two."""
    groups: dict[tuple[str, ...], _Mention] = {}
    before: dict[Where, str] = {}  # the name a span qualifies ("Atlanta" for "Georgia")
    after: dict[Where, str] = {}  # the name that qualifies it
    for first, second in commas:
        after[first] = name_key(strip_article(text[second[0] : second[1]]))
        before[second] = name_key(strip_article(text[first[0] : first[1]]))
    for span in spans:
        name = strip_article(text[span.start : span.end])
        want = ""
        suffix = REGION_SUFFIX.search(name)
        if suffix or REGION_AFTER.match(text[span.end : span.end + 80]):
            want = REGION
        elif PLACE_BEFORE.search(text[max(0, span.start - 20) : span.start]):
            want = PLACE
        aside = BASED_AFTER.match(text, span.end) is not None
        named_with_the = no_town(text, span)
        where = (span.start, span.end)
        key = (
            name_key(name), want, before.get(where, ""), after.get(where, ""), str(aside),
            str(named_with_the),
        )  # fmt: skip
        if key in groups:
            groups[key].spans.append(span)
            continue
        candidates = gazetteer.lookup(name)
        if not candidates and suffix:
            # "Soum province": only a region of that name will do, never a town called Soum.
            candidates = [p for p in gazetteer.lookup(name[: suffix.start()]) if p.kind == REGION]
        elif not candidates and (town := PLACE_SUFFIX.search(name)):
            # "Maʾrib city" (the region's capital, not the region): the town alone will do.
            candidates = [p for p in gazetteer.lookup(name[: town.start()]) if p.kind == PLACE]
        if named_with_the:
            candidates = [p for p in candidates if p.kind != PLACE or has_the(p.name)]
        mention = _Mention([span], name, want, candidates, aside=aside)
        mention.seats_by_another_name = seats_by_another_name(name, candidates)
        groups[key] = mention
    return list(groups.values())


def _qualified(
    mentions: list[_Mention], commas: list[tuple[Where, Where]]
) -> list[tuple[_Mention, _Mention, Place]]:
    """(named, holder, the holder's place) for each mention followed by a comma and a
    region or country that holds one of its candidates ("Atlanta, Georgia": the US state,
    not the country, holds an Atlanta). Of several, the holder of the most populous."""
    by_span = {(span.start, span.end): m for m in mentions for span in m.spans}
    settled: dict[int, tuple[_Mention, _Mention, Place]] = {}  # by the holder
    for first, second in commas:
        named, holder = by_span[first], by_span[second]
        if named is holder or id(holder) in settled:
            continue
        if any(place.kind == COUNTRY for place in named.candidates):
            continue  # "Iraq, Iran, Syria": a list of countries, not Arak in Iran
        pairs = [
            (place.population, outer)
            for place in named.candidates
            for outer in holder.candidates
            if _holds(outer, place)
        ]
        if pairs:
            settled[id(holder)] = (named, holder, max(pairs, key=lambda pair: pair[0])[1])
    return list(settled.values())


Where = tuple[int, int]  # a span's start and end


def _comma_pairs(text: str, spans: Sequence[Span]) -> list[tuple[Where, Where]]:
    """Each two spans next to each other with only a comma or "in" between ("Atlanta,
    Georgia", "Tripoli in Lebanon"); ``_qualified`` keeps those where the second holds the
    first."""
    ordered = sorted({(span.start, span.end) for span in spans})
    return [
        (first, second)
        for first, second in zip(ordered, ordered[1:], strict=False)
        if QUALIFYING.fullmatch(text[first[1] : second[0]])
    ]


def _holds(outer: Place, place: Place) -> bool:
    """Whether ``outer`` (a country, or a region) holds ``place`` (a region or a place)."""
    if outer.kind == COUNTRY:
        return place.kind != COUNTRY and place.country == outer.country
    return (
        outer.kind == REGION
        and place.kind == PLACE
        and (place.country, place.admin1) == (outer.country, outer.admin1)
    )


class _Anchors:
    """The places resolved so far (they only grow), and each candidate's distance to the
    nearest other one, brought up to date with the places added since it was last asked
    for. Each round scores every candidate again: measured against every anchor each time,
    a 50,000-character article took 245,000 distances (0.35 s, on the window's thread)."""

    def __init__(self, places: Sequence[Place]):
        self.places: list[Place] = list(places)
        # id(place) -> (place, anchors looked at, nearest other anchor, the place is one)
        self._seen: dict[int, tuple[Place, int, float, bool]] = {}

    def append(self, place: Place) -> None:
        self.places.append(place)

    def nearest(self, place: Place) -> float:
        """Kilometres to the nearest anchor that is not ``place`` itself (inf: none)."""
        return self._update(place)[0]

    def holds(self, place: Place) -> bool:
        return self._update(place)[1]

    def _update(self, place: Place) -> tuple[float, bool]:
        _, looked, nearest, held = self._seen.get(id(place), (place, 0, math.inf, False))
        for other in self.places[looked:]:
            if other is place:
                held = True
            else:
                nearest = min(nearest, place.distance_km(other))
        self._seen[id(place)] = (place, len(self.places), nearest, held)
        return nearest, held


def _score(
    place: Place,
    mention: _Mention,
    countries: Counter[str],
    regions: set[tuple[str, str]],
    anchors: _Anchors,
) -> float:
    if place.kind == COUNTRY:
        # Of two countries of one name, the one the article's places are in.
        score = 8.0 + (1.0 if place.country in countries else 0.0)
    elif place.kind == REGION:
        score = 3.0
    else:
        score = 0.5 * math.log10(place.population + 10) + (
            1.5 if place.feature_code == "PPLC" else 0
        )
    if mention.want == REGION:
        score += 4.0 if place.kind == REGION else -4.0
    elif mention.want == PLACE:
        score += 2.0 if place.kind == PLACE else -3.0
    elif place.kind == REGION:
        # A bare name is the town before the region named after it ("Idlib", "Marib").
        seat = any(
            p.kind == PLACE
            and (p.country, p.admin1) == (place.country, place.admin1)
            and p.kb_id not in mention.seats_by_another_name
            for p in mention.candidates
        )
        score -= 3.0 if seat else 1.5
    elif place.kb_id in mention.seats_by_another_name:
        # but a town named otherwise is not: "near Akkar and the border" was Halba, a town of
        # 4,500, before the governorate
        score -= 3.0
    if place.kind != COUNTRY and place.country in countries:
        top = countries.most_common(1)[0][1]
        score += 3.0 + (1.0 if countries[place.country] == top else 0.0)
    if place.kind == PLACE and (place.country, place.admin1) in regions:
        score += 2.5
    nearest = anchors.nearest(place)
    if nearest < 25:
        score += 3.0
    elif nearest < 100:
        score += 2.0
    elif nearest < 250:
        score += 1.0
    return score


def _doubtful(place: Place, countries: Counter[str], anchors: _Anchors) -> bool:
    """A small place abroad that nothing in the article points to: likely another place of
    the same name that the gazetteer lacks ("Mahas", Somalia, is not Māḩiş, Jordan)."""
    if place.kind == COUNTRY or not countries:
        return False
    if place.feature_code == "PPLC" or place.population >= PROMINENT:
        return False  # capitals and big cities abroad are named for themselves ("talks in Doha")
    if place.country in countries:
        return False
    if place.kind == REGION:
        # A region of a country the article is not about: "al-Qaeda's affiliate in the Sahel"
        # of a Mali article was Burkina Faso's Sahel region, drawn on the map with Gao.
        return True
    return not anchors.holds(place) and anchors.nearest(place) > FAR_KM
