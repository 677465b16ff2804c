"""The domain's plain values: articles, labels and spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.text import text_hash

ENTITY_KIND = "entity"  # LOCATION, FACTION, SOURCE: never overlap each other
CLAIM_KIND = "claim"  # CLAIM: may contain entities and nest in other claims

#: The reserved annotator whose spans are the adjudicated (gold) version.
GOLD = "gold"
#: Whose version an article nobody annotated is, in an export's report (so no one's name).
NOBODY = "nobody"


def annotator_name(name: str) -> str:
    """``name`` as an annotator's name (outer spaces dropped), or ``AnnotatorError``: empty,
    with a tab, line break or other control character, or the reserved ``gold`` and
    ``nobody``."""
    from annotator.core.errors import AnnotatorError

    name = name.strip()
    if not name:
        raise AnnotatorError("give an annotator's name, not an empty one")
    if any(not c.isprintable() for c in name):
        raise AnnotatorError(
            f"an annotator's name has no tab, line break or control character: {name!r}"
        )
    if name.casefold() == GOLD:  # "Gold" beside "gold" would read as the same version
        raise AnnotatorError(
            "gold is the review's version, made in the review window; give the annotator "
            "whose work this is"
        )
    if name.casefold() == NOBODY:  # an export counted their articles as no one's
        raise AnnotatorError(
            "nobody stands for the articles no one annotated, in export reports; give the "
            "annotator's name"
        )
    return name


#: Where an annotator's span came from: an accepted suggestion left unchanged,
#: a suggestion the annotator changed, or one the annotator made.
ORIGINS = ("model", "edited", "human")

STATUSES = ("todo", "in_progress", "done", "skipped", "flagged")


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    kind: str = ENTITY_KIND
    color: str = "#888888"
    key: str = ""
    description: str = ""


DEFAULT_LABELS: tuple[Label, ...] = (
    Label(
        "LOCATION",
        ENTITY_KIND,
        "#1f77b4",
        "1",
        "A named place: country, province, city, town, village, district, border crossing, "
        "river, mountain. Not a generic place ('the border', 'the city').",
    ),
    Label(
        "FACTION",
        ENTITY_KIND,
        "#d62728",
        "2",
        "An armed or political party to the conflict: state forces, militias, rebel and "
        "jihadist groups, named coalitions ('government forces', 'the Nusra Front', 'Hezbollah').",
    ),
    Label(
        "CLAIM",
        CLAIM_KIND,
        "#9467bd",
        "3",
        "A statement attributed to a source and not established by the article itself "
        "('insurgents claimed they killed 40 regime troops'): mark the claimed content.",
    ),
    Label(
        "SOURCE",
        ENTITY_KIND,
        "#e69f00",  # amber, not green: red-green blind eyes saw FACTION's red
        "4",
        "Who makes a claim when it is not a party to the conflict: monitors, media, "
        "officials, activists, witnesses ('the Observatory', 'state media', 'Rami "
        "Abdel-Rahman'). Joined to its CLAIM by a source relation.",
    ),
)


#: A span's place and label, ``Span.key``: what tells spans apart.
SpanKey = tuple[int, int, str]
#: What a span refers to: its entry (``kb_id``) and the linker's word (``link_status``).
SpanLink = tuple[str, str]


# Not frozen: a frozen dataclass takes four times as long to build, and the window builds
# thousands per article it opens. Spans are values all the same: make a new one
# (``dataclasses.replace``), never change one in place.
@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A labelled character range of an article's text.

    Offsets are Python ``str`` indices (code points), end-exclusive, as spaCy's
    ``Doc.char_span`` takes them. Two spans are equal when start, end and label are;
    ``origin``, ``id``, ``score``, ``kb_id`` and ``link_status`` are bookkeeping and do not
    take part. ``kb_id`` is the knowledge-base entry the span refers to
    (``geonames:168519``, ``wikidata:Q…``, ``annotator:…``), empty when it refers to none;
    ``link_status`` what the linker said of it (``linked``, ``ambiguous``…), kept so that a
    span deleted and brought back by undo says it again.
    """

    start: int
    end: int
    label: str
    origin: str = field(default="human", compare=False)
    id: int | None = field(default=None, compare=False)
    score: float | None = field(default=None, compare=False)
    kb_id: str = field(default="", compare=False)
    link_status: str = field(default="", compare=False)

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)

    def __len__(self) -> int:
        return self.end - self.start

    def text(self, article_text: str) -> str:
        return article_text[self.start : self.end]


def article_name(title: str, article_id: int | None) -> str:
    """What an article is called where it is listed: its title, or "Article 12", as the
    window's article list names one without a title."""
    return title or f"Article {article_id}"


@dataclass(frozen=True, slots=True)
class Article:
    """An imported news article. ``text`` is stored exactly as imported, newlines normalised."""

    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    published: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)
