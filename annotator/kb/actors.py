"""The knowledge base of conflict actors: ``resources/kb/actors.jsonl`` plus a project's own.

One JSON object per line (see ``resources/kb/README.md``)::

    {"id": "annotator:hayat-tahrir-al-sham", "name": "Hayat Tahrir al-Sham",
     "kind": "armed group",
     "names": [{"names": ["Nusra Front"], "from": "2012-01-23", "to": "2016-07-28"},
               {"names": ["Hayat Tahrir al-Sham", "HTS"], "from": "2017-01-28"}],
     "descriptions": [], "countries": ["SY"], "affiliations": ["wikidata:Q34490"]}

- ``id``: ``wikidata:Q…`` where the Wikidata item is certain, else ``annotator:<slug>`` (and
  ``project:<slug>`` for a project's additions);
- ``names``: the names the actor went by, each group with the period it was used in (open
  ends allowed): the suggestion rules mark these names;
- ``descriptions``: phrases that pick the actor out without being its name ("Syrian army");
  the linker reads them, the suggestion rules do not;
- state forces carry ``state_of`` (a country code), the period they were that state's forces
  (``state_from``, ``state_to``) and the ``demonyms`` of the state ("Syrian" troops).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.resources import resource_text
from annotator.kb.normalize import name_key

LEFT_TO_RIGHT_MARK = "\u200e"

ACTORS = ("kb", "actors.jsonl")
KINDS = ("armed group", "state forces", "government", "coalition", "political", "tribe")


class ActorError(AnnotatorError):
    """An actor record that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class NamePeriod:
    names: tuple[str, ...]
    start: str = ""  # ISO date the names came into use; "" when unknown or always
    end: str = ""  # ISO date they stopped being used (exclusive); "" when still used

    def covers(self, date: str) -> bool:
        """Whether ``date`` (ISO, any precision) may fall in the period; unknown dates do,
        and so does a year or month the period ends in ("2016" of a name used until
        2016-07-28: the date may be March)."""
        if not date:
            return True
        if self.start and date[: len(self.start)] < self.start[: len(date)]:
            return False
        if not self.end:
            return True
        mine, its = date[: len(self.end)], self.end[: len(date)]
        return mine < its or (mine == its and len(date) < len(self.end))

    def describe(self) -> str:
        return f"{self.start[:4] or '…'}–{self.end[:4] or ''}"


@dataclass(frozen=True, slots=True)
class Actor:
    kb_id: str
    name: str
    kind: str
    periods: tuple[NamePeriod, ...]
    descriptions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    state_of: str = ""
    state_period: NamePeriod = field(default_factory=lambda: NamePeriod(()))
    demonyms: tuple[str, ...] = ()
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name, then every other name, once each."""
        return tuple(dict.fromkeys((self.name, *(n for p in self.periods for n in p.names))))

    @property
    def label(self) -> str:
        return f"{self.name} ({self.kb_id})"

    @property
    def summary(self) -> str:
        """Its names by period, for a list: "Nusra Front, … (2012–2016); HTS, … (2017–2025)"."""
        parts = []
        for period in self.periods:
            # A left-to-right mark ends the names: after an Arabic one, "(2016–2017)" and
            # the "; " would be laid out with it, right to left ("(2017–2016)").
            names = ", ".join(period.names[:4]) + LEFT_TO_RIGHT_MARK
            dated = period.start or period.end
            parts.append(f"{names} ({period.describe()})" if dated else names)
        return "; ".join(parts)

    def is_state_forces_on(self, country: str, date: str) -> bool:
        return self.state_of == country and self.state_period.covers(date)

    def period_of(self, name: str) -> NamePeriod | None:
        key = name_key(name)
        for period in self.periods:
            if any(name_key(n) == key for n in period.names):
                return period
        return None


def actor_from_record(record: Mapping[str, Any], where: str = "actor") -> Actor:
    """An ``Actor`` from its JSON record; ``ActorError`` naming ``where`` if it is malformed."""
    try:
        kb_id, name = str(record["id"]), str(record["name"])
    except KeyError as missing:
        raise ActorError(f"{where}: no {missing.args[0]!r}") from None
    if ":" not in kb_id:
        raise ActorError(f"{where}: id {kb_id!r} needs a prefix (wikidata:, annotator:, project:)")
    kind = str(record.get("kind", "armed group"))
    if kind not in KINDS:
        raise ActorError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    groups = record.get("names") or [{"names": [name]}]
    periods = []
    for group in groups:
        names = tuple(str(n).strip() for n in group.get("names", ()) if str(n).strip())
        for n in names:
            if n.startswith("the "):
                raise ActorError(f'{where}: write {n!r} without "the", as it is marked')
        periods.append(NamePeriod(names, str(group.get("from", "")), str(group.get("to", ""))))
    return Actor(
        kb_id=kb_id,
        name=name,
        kind=kind,
        periods=tuple(periods),
        descriptions=tuple(record.get("descriptions", ())),
        countries=tuple(record.get("countries", ())),
        affiliations=tuple(record.get("affiliations", ())),
        state_of=str(record.get("state_of", "")),
        state_period=NamePeriod(
            (), str(record.get("state_from", "")), str(record.get("state_to", ""))
        ),
        demonyms=tuple(record.get("demonyms", ())),
        note=str(record.get("note", "")),
    )


def actor_record(actor: Actor) -> dict[str, Any]:
    """The JSON record of an actor (what ``actor_from_record`` reads)."""
    record: dict[str, Any] = {"id": actor.kb_id, "name": actor.name, "kind": actor.kind}
    record["names"] = [
        {
            "names": list(p.names),
            **({"from": p.start} if p.start else {}),
            **({"to": p.end} if p.end else {}),
        }
        for p in actor.periods
    ]
    for key, value in (
        ("descriptions", list(actor.descriptions)),
        ("countries", list(actor.countries)),
        ("affiliations", list(actor.affiliations)),
        ("state_of", actor.state_of),
        ("state_from", actor.state_period.start),
        ("state_to", actor.state_period.end),
        ("demonyms", list(actor.demonyms)),
        ("note", actor.note),
    ):
        if value:
            record[key] = value
    return record


class ActorKB:
    """Actors by name key, description key and id; prefix search for type-ahead."""

    def __init__(self, actors: Iterable[Actor]):
        self.actors: dict[str, Actor] = {}
        for actor in actors:
            if actor.kb_id in self.actors:
                raise ActorError(f"actor {actor.kb_id} is defined twice")
            self.actors[actor.kb_id] = actor
        self._names: dict[str, list[Actor]] = {}
        self._descriptions: dict[str, list[Actor]] = {}
        self._demonyms: dict[str, list[Actor]] = {}
        for actor in self.actors.values():
            for name in actor.names:
                _add(self._names, name_key(name), actor)
            for text in actor.descriptions:
                _add(self._descriptions, name_key(text), actor)
            for demonym in actor.demonyms:
                _add(self._demonyms, name_key(demonym), actor)
        self._sorted_keys = sorted(self._names)

    def with_additions(self, records: Iterable[Mapping[str, Any]]) -> ActorKB:
        """This KB plus a project's own actors (records as ``actor_record`` writes them);
        this very KB when there are none (most projects: no index to build again)."""
        extra = [actor_from_record(r, f"project actor {r.get('id', '?')}") for r in records]
        if not extra:
            return self
        return ActorKB([*self.actors.values(), *extra])

    def get(self, kb_id: str) -> Actor | None:
        return self.actors.get(kb_id)

    def by_name(self, text: str) -> list[Actor]:
        return list(self._names.get(name_key(text), ()))

    def by_description(self, text: str) -> list[Actor]:
        return list(self._descriptions.get(name_key(text), ()))

    def by_demonym(self, word: str) -> list[Actor]:
        return list(self._demonyms.get(name_key(word), ()))

    def state_forces(self, country: str, date: str = "") -> list[Actor]:
        return [a for a in self.actors.values() if a.is_state_forces_on(country, date)]

    def search(self, text: str, limit: int = 10) -> list[Actor]:
        """Actors with a name starting with ``text`` (as a key): exact names first."""
        key = name_key(text)
        if not key:
            return []
        found: dict[str, tuple[int, Actor]] = {}
        start = bisect.bisect_left(self._sorted_keys, key)
        for name in self._sorted_keys[start:]:
            if not name.startswith(key):
                break
            for actor in self._names[name]:
                rank = 0 if name == key else 1
                if actor.kb_id not in found or rank < found[actor.kb_id][0]:
                    found[actor.kb_id] = (rank, actor)
        ranked = sorted(found.values(), key=lambda ra: (ra[0], ra[1].name.casefold()))
        return [actor for _, actor in ranked[:limit]]


def _add(index: dict[str, list[Actor]], key: str, actor: Actor) -> None:
    if key and actor not in index.setdefault(key, []):
        index[key].append(actor)


def parse_actors(text: str, source: str = "actors.jsonl") -> list[Actor]:
    actors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ActorError(f"{source}, line {number}: not JSON ({error.msg})") from None
        actors.append(actor_from_record(record, f"{source}, line {number}"))
    return actors


@lru_cache(maxsize=1)
def shipped_actors() -> ActorKB:
    """The knowledge base shipped with the program (read once per process)."""
    return ActorKB(parse_actors(resource_text(*ACTORS)))


def named_faction_groups(kb: ActorKB | None = None) -> tuple[tuple[str, ...], ...]:
    """Each actor's names, canonical name first, in the shape of ``Lexicon.named_factions``:
    what the suggestion rules mark as FACTION by name. Descriptions are left out."""
    kb = kb or shipped_actors()
    return tuple(actor.names for actor in kb.actors.values())
