"""What a model learns from: a project's finished articles, split by text hash.

Whose work (``annotator train DB``):

- ``--annotator NAME``: the articles NAME marked done, with NAME's spans;
- ``--gold``: the adjudicated versions (spans of the reserved annotator ``gold``);
- neither: per article, its gold version where there is one, else the version of the one
  annotator who marked it done (as ``annotator export`` chooses; articles two annotators
  finished and nobody adjudicated are left out, and counted: in the report, and in the
  refusal when too few articles are left).

The finished articles are split by a hash of their text (``annotator.core.splits``, the
split ``annotator export --split`` uses): the articles ``--split 0.8,0.1,0.1`` would put in
``train`` are learned from, the rest are held out to score on. A text is never in both
parts, whatever the project holds: identical texts (case and spacing aside) land together.
In a small project the split is nudged, still by text, so that ten finished articles are
always enough (``split_items``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.model import DEFAULT_LABELS, GOLD, Span
from annotator.core.splits import split_of, split_point
from annotator.core.text import counted, text_hash
from annotator.storage import Store
from annotator.storage.exports import iter_versions, load_articles

#: The share of the finished articles learned from; the rest is held out.
TRAIN_SHARE = 0.8
#: The fewest finished articles to learn from, and to score on.
MIN_TRAIN = 8
MIN_HELD_OUT = 2
#: What the model learns; CLAIM keeps the rules' spans, with learned edges (``train.py``).
LEARNED_LABELS = ("LOCATION", "FACTION")
#: The claims' label: scored too, and a model may learn their edges.
CLAIM_LABEL = "CLAIM"


_LEARNED = (*LEARNED_LABELS, CLAIM_LABEL)


def labels_kept_on_rules(labels: Sequence[str]) -> list[str]:
    """Of the scheme's labels, the built-in ones a trained model does not learn: they keep
    the rules' suggestions (SOURCE)."""
    built_in = {label.name for label in DEFAULT_LABELS}
    return [name for name in labels if name in built_in and name not in _LEARNED]


def labels_suggested_by_none(labels: Sequence[str]) -> list[str]:
    """Of the scheme's labels, a lead's own (WEAPON): neither the rules nor a trained model
    suggest them (the training's note said they "keep the rules' suggestions")."""
    built_in = {label.name for label in DEFAULT_LABELS}
    return [name for name in labels if name not in built_in and name not in _LEARNED]


def kept_labels_note(labels: Sequence[str]) -> str:
    """What becomes of the labels a training does not learn, in words, or ``""``."""
    said = []
    if kept := labels_kept_on_rules(labels):
        said.append(f"{', '.join(kept)} keep{'s' if len(kept) == 1 else ''} the rules' suggestions")
    if own := labels_suggested_by_none(labels):
        said.append(f"{', '.join(own)} {'is' if len(own) == 1 else 'are'} suggested by nothing")
    return "; ".join(said)


def unlearned_labels_note(labels: Sequence[str]) -> str:
    """A training's note on the scheme's ``labels`` it does not learn, or ``""``: the same
    words from the worker and from the window, which says it of the scheme as it is now."""
    if not (others := kept_labels_note(labels)):
        return ""
    learned = " and ".join(LEARNED_LABELS)
    return f"{others}: the model learns {learned}, and where {CLAIM_LABEL} spans begin and end"


#: How many annotators a refusal names at most.
NAMES_SHOWN = 5


class TrainingDataError(AnnotatorError):
    """The project's finished work is not enough, or not fit, to train on."""


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One finished article: its text and the spans of the chosen version."""

    article_id: int
    text: str
    spans: tuple[Span, ...]
    annotator: str

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


@dataclass(frozen=True)
class TrainingData:
    train: list[LabelledText]
    held_out: list[LabelledText]
    source: str  # whose work: "gold", an annotator's name, or "done"
    skipped_rivals: int = 0  # finished by several annotators, not adjudicated
    label_counts: dict[str, int] = field(default_factory=dict)  # spans per label, train part


def split_part(text: str) -> str:
    """``"train"`` or ``"held_out"``: where an article's text goes, the same in every run."""
    return "train" if split_of(text, (TRAIN_SHARE, 1 - TRAIN_SHARE)) == "train" else "held_out"


def split_items(items: list[LabelledText]) -> tuple[list[LabelledText], list[LabelledText]]:
    """(train, held out) by ``split_part``; in a small project, nudged so that ten finished
    articles are always enough.

    Fourteen texts may all hash into train (each has a 1 in 5 chance of being held out).
    Then the train texts nearest the held-out share are held out instead, until
    ``MIN_HELD_OUT`` are, as long as ``MIN_TRAIN`` are left; and the other way round. It is
    still by text: identical texts (case and spacing aside) have one point and move
    together, so no text is ever in both parts."""
    train = [item for item in items if split_part(item.text) == "train"]
    held_out = [item for item in items if split_part(item.text) == "held_out"]
    by_point = sorted(items, key=lambda item: split_point(item.text))
    for item in reversed(by_point):  # the train texts nearest the held-out share first
        if len(held_out) >= MIN_HELD_OUT or len(train) <= MIN_TRAIN:
            break
        if item in train:
            train, held_out = _move(item, train, held_out)
    for item in by_point:  # the held-out texts nearest the train share first
        if len(train) >= MIN_TRAIN or len(held_out) <= MIN_HELD_OUT:
            break
        if item in held_out:
            held_out, train = _move(item, held_out, train)
    return train, held_out


def _move(
    item: LabelledText, source: list[LabelledText], target: list[LabelledText]
) -> tuple[list[LabelledText], list[LabelledText]]:
    """``item`` and every text identical to it, from ``source`` to ``target``."""
    point = split_point(item.text)
    moving = [other for other in source if split_point(other.text) == point]
    return [other for other in source if other not in moving], target + moving


#: Words at the start of a text that make a held-out article a near-copy of one learned
#: from (an updated wire story: the same text, a line added).
NEAR_COPY_WORDS = 60


def near_copies(train: list[LabelledText], held_out: list[LabelledText]) -> int:
    """How many held-out articles begin as an article learned from does (their first
    ``NEAR_COPY_WORDS`` words the same, case and spacing aside): the split, by the exact
    text, put 81 of 85 such copies beside their originals, and the held-out scores were
    the model's memory of them."""

    def opening(text: str) -> str | None:
        words = text.split()
        return " ".join(words[:NEAR_COPY_WORDS]).casefold() if len(words) >= 30 else None

    learned = {opening(item.text) for item in train} - {None}
    return sum(1 for item in held_out if opening(item.text) in learned)


def training_data(
    store: Store,
    *,
    annotator: str | None = None,
    gold: bool = False,
    labels: tuple[str, ...] = LEARNED_LABELS,
) -> TrainingData:
    """The finished articles of the chosen work, split; ``TrainingDataError`` if too few."""
    if annotator is not None and not annotator.strip():
        raise TrainingDataError("--annotator: give an annotator's name, not an empty one")
    if annotator and gold:
        raise TrainingDataError("give --annotator or --gold, not both")
    who = GOLD if gold else annotator
    items: list[LabelledText] = []
    rivals = 0
    for versions in iter_versions(store, who):
        rivals += sum(1 for v in versions if v.rivals and any(s == "done" for _, s in v.rivals))
        done = [v for v in versions if v.annotator is not None and v.status == "done"]
        for item in load_articles(store, done):
            assert item.article.id is not None
            items.append(
                LabelledText(item.article.id, item.article.text, tuple(item.spans), item.annotator)
            )
    source = who or "done"
    if annotator is not None and not items:
        raise TrainingDataError(_nobody(store, annotator))
    train, held_out = split_items(items)
    unfinished = len(store.article_ids()) - store.done_count(who)
    alone = _enough_alone(store) if rivals and who is None else []
    _check(source, train, held_out, labels, rivals, unfinished, alone)
    counts = Counter(span.label for item in train for span in item.spans)
    return TrainingData(
        train, held_out, source, rivals, {label: counts.get(label, 0) for label in labels}
    )


def _nobody(store: Store, annotator: str) -> str:
    """No finished work by ``annotator``: say so, and who has some."""
    done = {name: store.done_count(name) for name in store.annotators() if name != annotator}
    names = sorted((name for name, n in done.items() if n), key=lambda name: -done[name])
    shown = ", ".join(f"{name} ({done[name]})" for name in names[:NAMES_SHOWN])
    more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
    who = f"finished articles by: {shown}{more}" if names else "nobody has finished an article"
    return f"--annotator {annotator}: no annotator of that name has finished an article ({who})"


def _enough_alone(store: Store) -> list[str]:
    """The annotators who finished enough articles to train on their own, with how many."""
    done = {name: store.done_count(name) for name in store.annotators()}
    enough = sorted(
        (n for n, count in done.items() if count >= MIN_TRAIN + MIN_HELD_OUT),
        key=lambda n: -done[n],
    )
    return [f"{name} ({done[name]})" for name in enough]


def _check(
    source: str,
    train: list[LabelledText],
    held_out: list[LabelledText],
    labels: tuple[str, ...],
    rivals: int = 0,
    unfinished: int = 0,
    alone: list[str] | None = None,
) -> None:
    articles = {"gold": "adjudicated (gold) articles", "done": "finished articles"}.get(
        source, f"articles finished by {source}"
    )
    total = len(train) + len(held_out)
    needed = MIN_TRAIN + MIN_HELD_OUT
    if source == GOLD and total == 0:
        raise TrainingDataError(
            "no adjudicated (gold) articles to train on: gold versions are made in Review, "
            f"by adjudicating finished articles; adjudicate at least {needed}, "
            "or train on the finished articles instead"
        )
    if len(train) < MIN_TRAIN or len(held_out) < MIN_HELD_OUT:
        more = needed - total
        if total >= needed:
            todo = "identical texts count as one, so finish articles with other texts"
        elif source == GOLD:
            todo = f"adjudicate {more} more in Review"
        elif unfinished >= more:
            todo = f"mark {more} more done"
        else:  # too few articles are left to finish
            todo = f"import and finish {counted(more - unfinished, 'more article')}" + (
                f", and finish the {unfinished} not finished" if unfinished else ""
            )
        if rivals:
            # (one annotator's own: offered only where someone finished enough; it was
            # offered to a team where nobody had, and refused in turn)
            one = (
                f", or train on one annotator's finished articles ({', '.join(alone)})"
                if alone
                else ""
            )
            todo = (
                f"{rivals} articles finished by several annotators, with no gold version, were "
                f"left out: adjudicate them (Review){one}"
                + ("" if unfinished < more and source != GOLD else f"; or {todo}")
            )
        raise TrainingDataError(
            f"too few {articles} to train on: {total} ({len(train)} to learn from, "
            f"{len(held_out)} held out to score on); at least {needed} are "
            f"needed ({MIN_TRAIN} to learn from and {MIN_HELD_OUT} to score on): {todo}"
        )
    for label in labels:
        if not any(span.label == label for item in train for span in item.spans):
            raise TrainingDataError(
                f"no {label} span in the {len(train)} articles to learn from of the {total} "
                f"{articles} (the others are held out to score on): the model cannot learn "
                f"{label}; annotate {label} spans"
            )
