"""Annotators made from GUM news: realistic, reproducible data for review tests.

The human annotations of ``../shared/eval/gum_news.jsonl`` (24 Wikinews articles), mapped to
this project's labels as the eval README says (named place → LOCATION, named organization →
FACTION, attribution content → CLAIM; overlapping entities reduced to the longest), are the
hidden gold version. Where the evaluation data is absent (a fresh clone), 24 made-up wire
reports of the same size take its place (``made_up_news``): the tests here check behaviour
(merging, agreement, adjudication), not figures on GUM. Each annotator is a copy of the gold
with the changes annotators really make, drawn per span from a seeded random generator:

- ``shift``: one edge of the span moves by one token, outwards or inwards;
- ``swap``: LOCATION becomes FACTION or the reverse (entities only);
- ``miss``: the span is left out.

A change that would make a span overlap others it did not overlap, or turn it into another
gold span, is not made: the entity layer stays valid, and span F1 against a perfect copy
can be computed by construction (``expected_f1``).

Usage, e.g. in a pytest-qt adjudication test::

    from tests.review.annotators_from_gum import make_scenario

    scenario = make_scenario()                 # ana: a perfect copy; ben, cem: perturbed
    paths = scenario.write_projects(tmp_path)  # one project file per annotator, all done
    # annotator merge OUT *paths ... then settle every disagreement:
    choice = gold_choice(disagreement, scenario.gold_spans(text), kinds)  # name/all/none

The same seed always gives the same annotators.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.model import Article, Span
from annotator.core.spans import filter_overlapping, overlaps
from annotator.nlp.tokens import token_bounds
from annotator.review.adjudication import choice_in_gold
from annotator.review.disagreements import Disagreement
from annotator.storage import Store
from tests.conftest import EVAL

GUM_NEWS = EVAL / "gum_news.jsonl"
ENTITY_LABELS = {"place": "LOCATION", "organization": "FACTION"}
SWAPPED = {"LOCATION": "FACTION", "FACTION": "LOCATION"}


@dataclass(frozen=True)
class Changes:
    """Per span, the chance of each change (tried in the order miss, swap, shift)."""

    shift: float = 0.0
    swap: float = 0.0
    miss: float = 0.0


#: A perfect annotator and two realistic ones.
DEFAULT_ANNOTATORS: dict[str, Changes] = {
    "ana": Changes(),
    "ben": Changes(shift=0.10, swap=0.05, miss=0.05),
    "cem": Changes(shift=0.05, swap=0.10, miss=0.10),
}


@dataclass
class AnnotatorVersion:
    name: str
    spans: dict[str, list[Span]]  # by text hash
    made: Counter[tuple[str, str]] = field(default_factory=Counter)  # (change, gold label)

    def count(self, change: str, *labels: str) -> int:
        """How many changes of a kind (``shift``, ``swap``, ``miss``, ``none``) were made,
        to spans of ``labels`` (of any label if none are given)."""
        return sum(
            n for (c, label), n in self.made.items() if c == change and _among(label, labels)
        )


@dataclass
class GumScenario:
    articles: list[Article]
    gold: dict[str, list[Span]]  # by text hash
    annotators: dict[str, AnnotatorVersion]

    def gold_spans(self, text: str) -> list[Span]:
        return self.gold[Article(text).text_hash]

    def gold_count(self, *labels: str) -> int:
        return sum(1 for spans in self.gold.values() for s in spans if _among(s.label, labels))

    def expected_f1(self, name: str, *labels: str) -> tuple[float, float]:
        """(exact, overlap) span F1 of a perfect annotator against ``name`` on ``labels``
        (all if none are given), by construction.

        Exact matches are the spans left unchanged; overlap matches add the shifted ones
        (a swapped label matches nothing). Overlap is exact only for entities: claims nest,
        so a shifted claim may pair with a neighbour instead.
        """
        version = self.annotators[name]
        n = self.gold_count(*labels)
        kept = n - version.count("miss", *labels)
        exact = kept - version.count("swap", *labels) - version.count("shift", *labels)
        overlap = kept - version.count("swap", *labels)
        return 2 * exact / (n + kept), 2 * overlap / (n + kept)

    def write_project(self, path: Path, name: str) -> Path:
        """A project with every article, ``name``'s spans, each article marked done."""
        with Store(path) as store:
            ids = store.add_articles(self.articles).ids
            version = self.annotators[name]
            with store.transaction():
                for article, article_id in zip(self.articles, ids, strict=True):
                    store.replace_spans(article_id, name, version.spans[article.text_hash])
                    store.set_status(article_id, name, "done")
        return path

    def write_projects(self, folder: Path) -> dict[str, Path]:
        """One project file per annotator, as if each had worked on their own machine."""
        return {name: self.write_project(folder / f"{name}.db", name) for name in self.annotators}


def _among(label: str, labels: Sequence[str]) -> bool:
    return not labels or label in labels


def gold_articles(
    path: Path = GUM_NEWS, limit: int | None = None
) -> list[tuple[Article, list[Span]]]:
    """The GUM news articles with their gold spans in this project's labels (made-up news
    of the same size when the evaluation data is absent)."""
    if not path.exists():
        return made_up_news()[:limit]
    found = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            article = Article(
                record["text"],
                title=record["title"],
                source="GUM news",
                url=record["url"],
                published=record["date"],
            )
            entities = filter_overlapping(
                Span(e["start"], e["end"], ENTITY_LABELS[e["etype"]])
                for e in record["entities"]
                if e["named"] and e["etype"] in ENTITY_LABELS
            )
            claims = {
                Span(a["content"]["start"], a["content"]["end"], "CLAIM")
                for a in record["attributions"]
                if a["content"]["end"] > a["content"]["start"]
            }
            spans = sorted(set(entities) | claims, key=lambda s: (s.start, s.end, s.label))
            found.append((article, spans))
            if limit is not None and len(found) == limit:
                break
    return found


_PLACES = (
    "Aleppo",
    "Idlib",
    "Marib",
    "Kidal",
    "Goma",
    "Sinjar",
    "El Fasher",
    "Bhamo",
    "Saraqib",
    "Mosul",
    "Gao",
    "Taiz",
    "Khartoum",
    "Sirte",
    "Raqqa",
    "Bunia",
)
_GROUPS = (
    "government forces",
    "Houthi rebels",
    "the RSF",
    "M23",
    "al-Shabaab",
    "JNIM",
    "the Nusra Front",
    "Hezbollah",
    "the army",
    "Tuareg rebels",
    "the Wagner Group",
)
_SOURCES = (
    "a local official",
    "witnesses",
    "state media",
    "an aid worker",
    "activists",
    "a military spokesman",
    "residents",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Sentences of a wire report: L a place, F a faction, S a source, D a day, N a number;
#: [ and ] enclose the content of a claim (it may hold places and factions).
_SENTENCES = (
    "S said [F shelled L on D].",
    "F took control of L after heavy fighting.",
    "According to S, [F lost N fighters near L].",
    "Residents of L fled toward L as F advanced.",
    "F denied that [its forces had attacked L].",
    "Aid convoys waited at the road to L for a second day.",
    "S reported that [N civilians were killed in L].",
    "F and F clashed on the outskirts of L on D.",
)  # fmt: skip


def made_up_news(count: int = 24, seed: int = 24) -> list[tuple[Article, list[Span]]]:
    """Wire reports of our own with their gold spans, in place of GUM news (about 40 spans
    an article: places and factions, claims holding some of them)."""
    rng = random.Random(seed)
    found = []
    for number in range(count):
        text, spans = "", []
        for _ in range(16):
            sentence = rng.choice(_SENTENCES)
            claim_start = None
            for word in sentence.split(" "):
                if text and not text.endswith("\n\n"):
                    text += " "
                if word.startswith("["):
                    claim_start, word = len(text), word[1:]
                closes = word.endswith(("].", "],")) or word.endswith("]")
                tail = word[word.index("]") + 1 :] if "]" in word else ""
                word = word.split("]")[0] if "]" in word else word
                core, punct = (word[:-1], word[-1]) if word[-1:] in ".," else (word, "")
                label = {"L": "LOCATION", "F": "FACTION"}.get(core)
                filler = {"S": _SOURCES, "D": _DAYS}.get(core)
                if label:
                    name = rng.choice(_PLACES if label == "LOCATION" else _GROUPS)
                    if not text or text.endswith(". ") or text.endswith("\n\n"):
                        name = name[0].upper() + name[1:]
                    spans.append(Span(len(text), len(text) + len(name), label))
                    core = name
                elif filler:
                    core = rng.choice(filler)
                elif core == "N":
                    core = str(rng.randint(2, 90))
                if not text or text.endswith("\n\n") or text.endswith(". "):
                    core = core[0].upper() + core[1:]
                text += core
                if closes:
                    spans.append(Span(claim_start, len(text), "CLAIM"))
                text += punct + tail
            if rng.random() < 0.25:
                text += "\n\n"
        title = f"Fighting near {rng.choice(_PLACES)}, report {number + 1}"
        article = Article(text.strip(), title=title, source="made-up wire")
        found.append((article, sorted(spans, key=lambda s: (s.start, s.end, s.label))))
    return found


def perturb(
    text: str, gold: Sequence[Span], changes: Changes, rng: random.Random
) -> tuple[list[Span], Counter[tuple[str, str]]]:
    """One annotator's version of an article's gold spans, and the changes made."""
    bounds = token_bounds(text)
    starts = [s for s, _ in bounds]
    ends = [e for _, e in bounds]
    taken = set(gold)
    result: list[Span] = []
    made: Counter[tuple[str, str]] = Counter()
    for span in gold:
        roll = rng.random()
        changed: Span | None = span
        change = "none"
        if roll < changes.miss:
            changed, change = None, "miss"
        elif roll < changes.miss + changes.swap:
            if span.label in SWAPPED:  # claims have no other label to take
                changed, change = Span(span.start, span.end, SWAPPED[span.label]), "swap"
        elif roll < changes.miss + changes.swap + changes.shift:
            others = result + [g for g in gold if g != span]
            moves = [
                moved
                for moved in _shifts(span, starts, ends)
                if moved not in taken and not _clashes(moved, span, others)
            ]
            if moves:
                changed, change = rng.choice(moves), "shift"
        made[change, span.label] += 1
        if changed is not None:
            result.append(changed)
            taken.add(changed)
    return sorted(result, key=lambda s: (s.start, s.end, s.label)), made


def _shifts(span: Span, starts: list[int], ends: list[int]) -> list[Span]:
    """The span with one edge moved one token out or in (never emptied)."""
    first = starts.index(span.start)
    last = ends.index(span.end)
    moved = []
    if first > 0:
        moved.append((starts[first - 1], span.end))
    if first < last:
        moved += [(starts[first + 1], span.end), (span.start, ends[last - 1])]
    if last + 1 < len(ends):
        moved.append((span.start, ends[last + 1]))
    return [Span(start, end, span.label) for start, end in moved]


def _clashes(moved: Span, original: Span, others: Sequence[Span]) -> bool:
    """Whether the moved span overlaps a span of its layer that the original did not."""
    return any(
        (other.label in SWAPPED) == (original.label in SWAPPED)
        and overlaps(moved, other)
        and not overlaps(original, other)
        for other in others
    )


def make_scenario(
    annotators: Mapping[str, Changes] = DEFAULT_ANNOTATORS,
    seed: int = 0,
    limit: int | None = None,
) -> GumScenario:
    """Gold from GUM news and one perturbed copy per annotator (see the module docstring)."""
    rng = random.Random(seed)
    pairs = gold_articles(limit=limit)
    articles = [article for article, _ in pairs]
    gold = {article.text_hash: spans for article, spans in pairs}
    versions = {name: AnnotatorVersion(name, {}) for name in annotators}
    for article, spans in pairs:
        for name, changes in annotators.items():
            changed, made = perturb(article.text, spans, changes, rng)
            versions[name].spans[article.text_hash] = changed
            versions[name].made += made
    return GumScenario(articles, gold, versions)


def gold_choice(
    disagreement: Disagreement, gold: Sequence[Span], kinds: Mapping[str, str]
) -> str | None:
    """Which choice settles a disagreement as gold has it: an annotator's name, ``all``,
    ``none``, or ``None`` when only editing can (no version matches)."""
    return choice_in_gold(gold, disagreement, kinds)
