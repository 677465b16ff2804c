"""Linking a pre-annotator's suggestions: the LOCATION and FACTION spans of each article to
GeoNames places and conflict actors (``annotator.kb``), after the pipeline, in the process
that writes them (3–4 ms an article: pure Python over the gazetteer index).

The gazetteer's index is built once per machine (35–50 s, ``kb.geonames.ensure_index``).
``SuggestionLinker.prepare()`` opens it, building it first if need be, so a caller can say so
beforehand (``needs_building()``) and do it where it can wait (the command line before it
starts; the window in its background task). If the index cannot be built (no write access
to the cache folder, a full disk), ``prepare()`` returns one line saying so and the places
stay unlinked; the factions are linked all the same (the actor knowledge base needs no
index).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.kb.actors import ActorKB, shipped_actors
from annotator.kb.faction_linker import FACTION, link_factions
from annotator.kb.geonames import CACHE_ADVICE
from annotator.kb.linking import link_article
from annotator.kb.place_linker import LOCATION, PlaceLookup
from annotator.storage.links import SuggestedLink

GazetteerSource = Callable[[], PlaceLookup]


def _real_gazetteer() -> PlaceLookup:
    from annotator.kb.geonames import default_gazetteer

    return default_gazetteer()


def _real_index_is_built() -> bool:
    from annotator.kb.geonames import index_is_built

    return index_is_built()


_default_source: GazetteerSource = _real_gazetteer
_default_is_built: Callable[[], bool] = _real_index_is_built


def use_default_gazetteer(gazetteer: PlaceLookup | None) -> None:
    """Make ``gazetteer`` what linkers made without one use (``None``: the real one again).
    For tests and tools that have a gazetteer of their own; the window's place index
    (``ui/place_index.py``) is another matter."""
    global _default_source, _default_is_built
    if gazetteer is None:
        _default_source, _default_is_built = _real_gazetteer, _real_index_is_built
    else:
        _default_source, _default_is_built = (lambda: gazetteer), (lambda: True)


class SuggestionLinker:
    """Links suggested spans; ``gazetteer`` given, or the default one opened on first use."""

    def __init__(self, gazetteer: PlaceLookup | None = None, kb: ActorKB | None = None):
        self._gazetteer = gazetteer
        self._given = gazetteer is not None
        self.kb = kb
        self.warning = ""  # why places are left unlinked, once preparing failed
        self._failed = False
        self._lock = threading.Lock()

    def needs_building(self) -> bool:
        """Whether ``prepare()`` builds the place index first (35–50 s, once per machine)."""
        return not self._given and self._gazetteer is None and not _default_is_built()

    def prepare(self) -> str:
        """Open the gazetteer (building its index if need be); returns ``""``, or one line
        saying why places will be left unlinked."""
        with self._lock:
            if self._gazetteer is None and not self._failed:
                try:
                    self._gazetteer = _default_source()
                except (OSError, sqlite3.Error, AnnotatorError) as error:
                    self._failed = True
                    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
                    if getattr(error, "filename", None):
                        reason = f"{reason}: {error.filename}"  # type: ignore[union-attr]
                    self.warning = (
                        f"places are left unlinked: the place index could not be built ({reason}; "
                        f"{CACHE_ADVICE})"
                    )
        return self.warning

    @property
    def places(self) -> PlaceLookup | None:
        """The gazetteer, opened (or built) now if need be; ``None`` if it cannot be."""
        self.prepare()
        return self._gazetteer

    def link(
        self, text: str, spans: Sequence[Span], published: str = "", kb: ActorKB | None = None
    ) -> list[SuggestedLink]:
        """The linker's answer for each LOCATION and FACTION span of ``spans`` (linked,
        ambiguous, unknown or generic), in their order."""
        actors = kb or self.kb or shipped_actors()
        places = self.places
        if places is not None:
            found = link_article(text, spans, published, places, actors)
        else:
            from annotator.kb.geonames import country_codes_by_name

            found = link_factions(text, spans, actors, published, (), country_codes_by_name())
        labels = {(s.start, s.end): s.label for s in spans if s.label in (LOCATION, FACTION)}
        return [
            SuggestedLink(
                link.start, link.end, labels[(link.start, link.end)], link.kb_id, link.status,
                link.note,
            )
            for link in found
            if (link.start, link.end) in labels
        ]  # fmt: skip
