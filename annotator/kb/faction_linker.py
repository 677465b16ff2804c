"""Which actor a FACTION mention names: by name, by description, or by the article's country.

- A name or alias of the knowledge base ("Jabhat al-Nusra", "HTS", "حزب الله") links to its
  actor, whatever the date; a name used outside its period ("Jabhat al-Nusra" in 2020) still
  links, with a note saying when the name was used.
- A description ("Syrian army") or a nationality or country followed by words for state forces
  ("Nigerian troops", "Turkey's defence ministry") links to that state's forces on the
  article's date.
- A named actor followed by such words ("Taliban interior ministry"), or by a word for its
  men ("Hezbollah fighters"), links to that actor.
- A bare phrase for state forces ("government forces", "the regime", "the army") links to
  the forces of the country its sentence names ("In neighbouring Mali, the army …"), or is
  ``ambiguous`` between those of the countries it names when there are several; in a
  sentence that names none, to the forces of the article's country on its date, noted as
  such; with no country, or no state forces known for it then, it stays ``generic``.
- Phrases for non-state actors ("rebels", "gunmen", "militias") stay ``generic``.

Where several actors share a name ("SNA": Syrian or Somali National Army), the countries the
article is about decide; failing that the mention is ``ambiguous``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from annotator.core.dates import iso_date
from annotator.core.model import Span
from annotator.kb.actors import Actor, ActorKB
from annotator.kb.links import AMBIGUOUS, GENERIC, LINKED, UNKNOWN, Candidate, Link
from annotator.kb.normalize import name_key

FACTION = "FACTION"

# What state forces are called without their name: after a nationality ("Syrian troops"),
# a country ("Turkey's defence ministry") or alone ("government forces", "the regime").
STATE_PHRASES = frozenset(
    name_key(p)
    for p in (
        "army", "military", "troops", "soldiers", "forces", "armed forces", "security forces",
        "government", "government forces", "government troops", "government soldiers",
        "regime", "regime forces", "regime troops", "regime soldiers", "junta", "junta forces",
        "army troops", "army units", "army soldiers", "defence ministry", "defense ministry",
        "ministry of defence", "ministry of defense", "air force", "navy", "state forces",
        "federal forces", "federal troops", "federal soldiers", "national army", "warplanes",
        "ruling junta", "military junta", "military government", "military regime",
    )
)  # fmt: skip
# Actors named by what they are, not who: never one entry.
GENERIC_PHRASES = frozenset(
    name_key(p)
    for p in (
        "rebels", "rebel forces", "rebel fighters", "rebel groups", "insurgents",
        "insurgent groups",
        "militants", "jihadists", "jihadist groups", "jihadist fighters", "gunmen", "armed men",
        "armed groups", "militias", "militia", "militiamen", "militia fighters", "fighters",
        "opposition forces", "opposition fighters", "opposition groups", "separatists",
        "separatist forces", "separatist rebels", "guerrillas", "guerrilla fighters",
        "paramilitaries", "paramilitary forces", "pro-government forces", "pro-government militia",
        "pro-government militias", "coalition forces", "allied forces", "terrorists",
        "mercenaries",
    )
)  # fmt: skip
#: A possessive, but not one inside a name ("Donetsk People's Republic forces").
_POSSESSIVE = re.compile(r"['’]s\b(?!\s+[A-Z])")
#: A backer before a named actor: "Iran-backed Houthi rebels" are the Houthis' men.
_BACKER = re.compile(r"[A-Z][\w.]*-(?:backed|led|allied|aligned)\s+(?=[A-Z])")
#: "the army of Myanmar", "troops of the Democratic Republic of the Congo": the country
#: named right after a bare phrase for state forces.
_OF_COUNTRY = re.compile(
    r"\s+of\s+(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+the\s+)?[A-Z][\w'’-]*){0,4})"
)


#: Where a sentence ends: after a full stop (a closing quote or bracket allowed) unless a
#: small letter follows ("U.S. troops"), and at a line's end (a headline, a dateline).
_SENTENCE_END = re.compile(r"[.!?؟][\"”’'»)\]]*\s+(?![a-z])|\n")
#: A country named as a border says where, not whose forces: "arrived from across the border
#: with Mali and that the army had killed …" (the army of a Niger article is Niger's).
_BORDER_BEFORE = re.compile(r"\b(?:borders?|frontiers?)\s+(?:with|of)\s+(?:the\s+)?$", re.I)


#: A name and its possessive ending right where a mention starts.
_COUNTRY_OWNS = re.compile(r"([A-Z][\w.\-]*(?:\s+(?:of\s+the\s+)?[A-Z][\w.\-]*){0,4})['’]s?\s+$")


def link_factions(
    text: str,
    spans: Sequence[Span],
    kb: ActorKB,
    published: str = "",
    countries: Sequence[str] = (),
    country_names: dict[str, str] | None = None,
    country_mentions: Sequence[tuple[int, int, str]] = (),
) -> list[Link]:
    """A ``Link`` for each FACTION span of ``spans``, in their order.

    ``published`` is the article's date (as written: ``core.dates.iso_date`` reads it; may be
    empty), ``countries`` the countries the
    article is about, most mentioned first (the place linker's result), ``country_names``
    maps country name keys to codes (``geonames.country_codes_by_name``),
    ``country_mentions`` the article's places linked to a country, as (start, end, code).
    """
    date = iso_date(published)  # "5 March 2015" compared as text was outside 2012–2016
    names = country_names or {}
    links = []
    for span in spans:
        if span.label != FACTION:
            continue
        mention = _clean(text[span.start : span.end], kb)
        named = _country_after(text, span.end, names) or _country_before(text, span.start, names)
        in_sentence = _sentence_countries(text, span, country_mentions)
        links.append(_link(span, mention, kb, date, list(countries), names, named, in_sentence))
    return links


def _sentence_countries(
    text: str, span: Span, country_mentions: Sequence[tuple[int, int, str]]
) -> list[str]:
    """The countries named in the sentence of ``span``, in their order, once each; not one
    named as a border ("the border with Mali")."""
    begin = max(0, span.start - 600)  # (a longer sentence is read from there)
    for stop in _SENTENCE_END.finditer(text, begin, span.start):
        begin = stop.end()
    after = _SENTENCE_END.search(text, span.end)
    finish = after.start() if after else len(text)
    named: list[str] = []
    for start, end, country in country_mentions:
        inside = begin <= start and end <= finish
        if inside and country not in named and not _BORDER_BEFORE.search(text, start - 30, start):
            named.append(country)
    return named


def _country_after(text: str, end: int, names: dict[str, str]) -> str:
    """The country named by "of …" right after a mention ("army of Myanmar": MM), or ""."""
    found = _OF_COUNTRY.match(text, end)
    if found is None:
        return ""
    words = found.group(1).split()
    # "Myanmar on Tuesday": the longest name known from the first word
    return _first_known((words[:cut] for cut in range(len(words), 0, -1)), names)


def _country_before(text: str, start: int, names: dict[str, str]) -> str:
    """The country whose possessive comes right before a mention ("Russia's defence
    ministry", "the United States' military": RU, US), or ""."""
    found = _COUNTRY_OWNS.search(text, max(0, start - 60), start)
    if found is None:
        return ""
    words = found.group(1).split()
    # "Moscow said Russia's": the longest name known up to the possessive
    return _first_known((words[cut:] for cut in range(len(words))), names)


def _first_known(phrases: Iterable[list[str]], names: dict[str, str]) -> str:
    """The code of the first of ``phrases`` (word lists) that is a country's name, or ""."""
    for words in phrases:
        code = names.get(name_key(" ".join(words)))
        if code:
            return code
    return ""


def _clean(mention: str, kb: ActorKB) -> str:
    """The mention without "the", nor a backer before a name ("Iran-backed Houthi rebels",
    which were linked to nobody), and without possessives ("Turkey's defence ministry")
    unless it is a name as it stands ("People's Protection Units")."""
    mention = mention.strip()
    if mention.lower().startswith("the "):
        mention = mention[4:]
    mention = _BACKER.sub("", mention, count=1)
    return mention if kb.by_name(mention) else _POSSESSIVE.sub("", mention)


def _link(
    span: Span,
    mention: str,
    kb: ActorKB,
    date: str,
    countries: list[str],
    names: dict[str, str],
    named: str = "",
    in_sentence: Sequence[str] = (),
) -> Link:
    """``named``: the country named right after the mention ("the army of Myanmar"), or
    whose possessive comes right before it ("Russia's defence ministry"); ``in_sentence``:
    the countries its sentence names."""
    found = kb.by_name(mention)
    described = False
    if not found:
        found = kb.by_description(mention)
        described = bool(found)
        if described:
            # "Syrian troops" are the forces of whoever rules Syria on the article's date.
            found = [a for a in found if not a.state_of or a.state_period.covers(date)]
            if not found:
                return Link(span.start, span.end, "", UNKNOWN, note="no state forces known then")
    if found:
        return _choose(span, mention, found, date, countries, by_description=described)

    key = name_key(mention)
    words = key.split()
    # "Syrian troops", "Turkey's defence ministry", "Iraqi army units": a state, then its forces.
    for cut in range(len(words) - 1, 0, -1):
        head, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if not (_is_state_phrase(rest) or rest.endswith("ministry")):
            continue
        states = {a.state_of for a in kb.by_demonym(head)}
        if head in names:
            states.add(names[head])
        for country in sorted(states):
            forces = kb.state_forces(country, date)
            if forces:
                note = f"the state forces of {country}" + (f" on {date}" if date else "")
                return _choose(span, mention, forces, date, countries, note=note)
        if states:
            return Link(span.start, span.end, "", UNKNOWN, note="no state forces known then")
        # "Taliban interior ministry", "Houthi forces": a named actor's own forces or office.
        owners = kb.by_name(head)
        if owners:
            return _choose(span, head, owners, date, countries, note=f"part of {owners[0].name}")
    # "Hezbollah fighters", "HTS militants": a named actor's men.
    if len(words) > 1 and words[-1] in GENERIC_PHRASES:
        head = " ".join(words[:-1])
        owners = kb.by_name(head)
        if owners:
            return _choose(span, head, owners, date, countries, note=f"part of {owners[0].name}")
    if _is_state_phrase(key):
        if not named and len(in_sentence) > 1:
            return _several_states(span, kb, date, in_sentence)
        # "In neighbouring Mali, the army …" of a Burkina Faso article is Mali's (it was
        # Burkina Faso's, "the article's country (BF)").
        sentence_names = not named and bool(in_sentence) and in_sentence[:1] != countries[:1]
        named = named or (in_sentence[0] if sentence_names else "")
        for country in [named] if named else countries[:1]:
            forces = kb.state_forces(country, date)
            if forces:
                if sentence_names:
                    note = f"the country its sentence names ({country})"
                elif named:
                    note = f"the state forces of {country}"
                else:
                    note = f"the article's country ({country})"
                note += f" on {date}" if date else ""
                return _choose(span, mention, forces, date, countries, note=note)
        if named:
            return Link(span.start, span.end, "", UNKNOWN, note="no state forces known then")
        return Link(span.start, span.end, "", GENERIC, note="state forces of no known country")
    if key in GENERIC_PHRASES or (words and words[-1] in GENERIC_PHRASES):
        return Link(span.start, span.end, "", GENERIC)
    return Link(span.start, span.end, "", UNKNOWN)


def _several_states(span: Span, kb: ActorKB, date: str, in_sentence: Sequence[str]) -> Link:
    """A bare "the army" in a sentence naming several countries ("troops from Nigeria, Niger,
    Chad and Cameroon"): each one's forces a candidate, none chosen."""
    forces = [actor for country in in_sentence for actor in kb.state_forces(country, date)]
    if not forces:
        return Link(span.start, span.end, "", UNKNOWN, note="no state forces known then")
    candidates = tuple(Candidate(actor.kb_id, actor.label, 0.0) for actor in forces)
    note = "the state forces of one of " + ", ".join(in_sentence) + (f" on {date}" if date else "")
    return Link(span.start, span.end, "", AMBIGUOUS, candidates, note)


def _is_state_phrase(key: str) -> bool:
    return key in STATE_PHRASES or any(key.startswith(p + " ") for p in STATE_PHRASES)


def _choose(
    span: Span,
    mention: str,
    actors: list[Actor],
    date: str,
    countries: list[str],
    note: str = "",
    by_description: bool = False,
) -> Link:
    def score(actor: Actor) -> float:
        value = 0.0
        if set(actor.countries) & set(countries):
            value += 2.0
        if countries and countries[0] in actor.countries:
            value += 1.0
        period = actor.period_of(mention)
        if period is not None and date and period.covers(date):
            value += 0.5
        if actor.state_of and date and not actor.state_period.covers(date):
            value -= 1.0
        return value

    ranked = sorted(actors, key=lambda a: (-score(a), a.name))
    candidates = tuple(Candidate(a.kb_id, a.label, score(a)) for a in ranked)
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
        return Link(span.start, span.end, "", AMBIGUOUS, candidates)
    best = ranked[0]
    period = None if by_description else best.period_of(mention)
    if period is not None and date and not period.covers(date):
        note = f"{OUT_OF_PERIOD} {period.describe()}; the article is dated {date}"
    return Link(span.start, span.end, best.kb_id, LINKED, candidates, note)


#: How the note of a name used outside its period begins: the one note that warns (the
#: others say how a link was found: "part of ISWAP", "the state forces of NG").
OUT_OF_PERIOD = "name used"


def note_warns(note: str) -> bool:
    """Whether a link's note is a warning (the name was used at another time)."""
    return note.startswith(OUT_OF_PERIOD)
