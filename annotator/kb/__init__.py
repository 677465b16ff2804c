"""What names refer to: the gazetteer of places and the knowledge base of conflict actors.

No Qt, no spaCy. Sits between ``nlp`` (which calls the linkers after suggesting spans) and
``storage`` (which keeps the links); it imports ``core`` only.
"""

from annotator.kb.actors import ActorKB, named_faction_groups, shipped_actors
from annotator.kb.geonames import default_gazetteer, ensure_index
from annotator.kb.linking import (
    Entry,
    describe,
    link_article,
    link_suggestions,
    project_kb,
    search,
)
from annotator.kb.links import AMBIGUOUS, GENERIC, LINK_STATUSES, LINKED, UNKNOWN, Link

__all__ = [
    "AMBIGUOUS",
    "GENERIC",
    "LINKED",
    "LINK_STATUSES",
    "UNKNOWN",
    "ActorKB",
    "Entry",
    "Link",
    "default_gazetteer",
    "describe",
    "ensure_index",
    "link_article",
    "link_suggestions",
    "named_faction_groups",
    "project_kb",
    "search",
    "shipped_actors",
]
