"""Changes to a project's own actor: its name, its other names, its countries.

Plain functions over actor records (``actors.actor_record``'s shape), each returning a new
record or raising ``ActorError`` with a line a user can act on; the command line
(``annotator actors``) and the window (Project → Actors…) write what they return through
``storage.project_actors``. An actor the New-faction form made holds one group of names with
no dates; a group with dates keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.kb.actors import ActorError, ActorKB, actor_from_record, shipped_actors
from annotator.kb.normalize import name_key

Record = dict[str, Any]

_THE = re.compile(r"^the\s+", re.IGNORECASE)


def project_record(records: Sequence[Mapping[str, Any]], kb_id: str) -> Record:
    """The project's actor ``kb_id``; ``ActorError`` saying whether it is one of the
    program's own (those are not the project's to change) or no actor at all."""
    for record in records:
        if record.get("id") == kb_id:
            return dict(record)
    shipped = shipped_actors().get(kb_id)
    if shipped is not None:
        raise ActorError(
            f"{kb_id} is {shipped.name}, one of the program's own actors: only the project's "
            "own (project: ids) can be changed"
        )
    held = ", ".join(str(record.get("id")) for record in records) or "none"
    raise ActorError(f"{kb_id}: no such actor in the project (its own actors: {held})")


def renamed(kb: ActorKB, record: Mapping[str, Any], name: str) -> Record:
    """``record`` called ``name``: the name it had is replaced among its names too (a
    misspelling goes for good; ``with_alias`` keeps an old name)."""
    name = _one_line(name, "a name")
    if name == record["name"]:
        raise ActorError(f"{record['id']} is called {name} already")
    _refuse_if_taken(kb, str(record["id"]), name, record)
    old = name_key(str(record["name"]))
    groups = _groups(record)
    for group in groups:
        group["names"] = [without_the(name) if name_key(n) == old else n for n in group["names"]]
    if not any(name_key(n) == name_key(name) for group in groups for n in group["names"]):
        groups[0]["names"].insert(0, without_the(name))
    return _checked({**record, "name": name, "names": _once_each(groups)})


def with_alias(kb: ActorKB, record: Mapping[str, Any], alias: str) -> Record:
    """``record`` with another name (in its last group of names: the one in use now)."""
    alias = without_the(_one_line(alias, "a name"))
    if any(name_key(n) == name_key(alias) for n in _names(record)):
        raise ActorError(f"{alias} is a name of {record['name']} already")
    _refuse_if_taken(kb, str(record["id"]), alias, record)
    groups = _groups(record)
    groups[-1]["names"].append(alias)
    return _checked({**record, "names": groups})


def without_alias(record: Mapping[str, Any], alias: str) -> Record:
    """``record`` without one of its other names; its name itself is refused (rename it)."""
    key = name_key(alias)
    if key == name_key(str(record["name"])):
        raise ActorError(f"{alias} is the name of {record['id']}: give it another name instead")
    groups = _groups(record)
    if not any(name_key(n) == key for group in groups for n in group["names"]):
        others = [n for n in _names(record) if name_key(n) != name_key(str(record["name"]))]
        raise ActorError(
            f"{alias} is not a name of {record['name']} (its other names: "
            f"{', '.join(others) or 'none'})"
        )
    for group in groups:
        group["names"] = [n for n in group["names"] if name_key(n) != key]
    kept = [group for group in groups if group["names"]] or [{"names": [record["name"]]}]
    return _checked({**record, "names": kept})


def with_countries(record: Mapping[str, Any], countries: str) -> Record:
    """``record`` in the countries given by name or code, separated by commas ("Syria,
    IQ"); none (``""``) takes them away. One not known is refused, as the New-faction
    form refuses it."""
    codes = typed_countries(countries)
    unknown = [text for text, code in codes.items() if not code]
    if unknown:
        raise ActorError(not_countries(unknown))
    changed = {key: value for key, value in record.items() if key != "countries"}
    if codes:
        changed["countries"] = list(dict.fromkeys(codes.values()))
    return _checked(changed)


def typed_countries(text: str) -> dict[str, str]:
    """Each country typed, by name or code, separated by commas ("Syria, IQ"), with its
    two-letter code ("" where none is known)."""
    from annotator.kb.geonames import country_code

    typed = [part.strip() for part in re.split(r"[,;]+", text) if part.strip()]
    return {part: country_code(part) for part in typed}


def not_countries(unknown: Sequence[str]) -> str:
    """The refusal of countries typed that are none."""
    return (
        f"not a country: {', '.join(unknown)} (give a name or a two-letter code, e.g. Libya or LY)"
    )


def other_names(record: Mapping[str, Any]) -> list[str]:
    """Its names but the one it is called by."""
    own = name_key(str(record["name"]))
    return [name for name in _names(record) if name_key(name) != own]


def _refuse_if_taken(kb: ActorKB, kb_id: str, name: str, record: Mapping[str, Any]) -> None:
    # A second entry of one name splits the links and the suggestions between two.
    for other in kb.by_name(without_the(name)):
        if other.kb_id != kb_id:
            raise ActorError(f"{name} is a name of {other.label} already")


def _names(record: Mapping[str, Any]) -> list[str]:
    return [n for group in _groups(record) for n in group["names"]]


def _groups(record: Mapping[str, Any]) -> list[Record]:
    """Copies of its groups of names (one of its name alone when it has none)."""
    groups = record.get("names") or [{"names": [record["name"]]}]
    return [{**group, "names": list(group.get("names", ()))} for group in groups]


def _once_each(groups: list[Record]) -> list[Record]:
    for group in groups:
        group["names"] = list(dict.fromkeys(group["names"]))
    return groups


def _one_line(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ActorError(f"give {what}: it was empty")
    return text


def without_the(name: str) -> str:
    """``name`` without a leading "The": "The Tripoli Protection Force" is found as "Tripoli
    Pro…", as names are matched."""
    return _THE.sub("", name)


def _checked(record: Record) -> Record:
    actor_from_record(record, f"project actor {record['id']}")  # raises if it is unreadable
    return record
