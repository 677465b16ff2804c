"""``annotator train DB``: train on the project's finished work, score, save, adopt.

0. what can be checked first is, so a refusal never comes after the training: where the
   model will be saved (``--out``, else ``PROJECT.models``) can be written, and a project
   that will adopt the model is not read-only;
1. the finished articles, split by text hash (``data.py``);
2. the suggestions the new model would replace (the project's current model, else the default
   pipeline; the default pipeline too, with a note, when the current model's folder is gone
   or does not load: its own suggestions can no longer be made) on the held-out part
   (``bases.py``);
3. training (``train.py``) from the base pipeline: ``--base``, else the base the current
   model was trained from, else the default pipeline; a base that is itself a project model
   is trained from again without what training added to it (``bases.py``);
4. the new model's suggestions on the held-out part; both scored per label (``evaluate.py``);
5. saved atomically (``registry.py``): to ``--out``, or as the next ``PROJECT.models/vN``,
   which then becomes the project's current model (its untouched articles re-suggested).

Nothing is written to the project before step 5 has written the model whole.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import Article, Span
from annotator.core.text import join_hard_line_breaks
from annotator.nlp.chunks import pieces
from annotator.nlp.components import add_rule_components
from annotator.nlp.loading import (
    PipelineNotFound,
    load_pipeline,
)
from annotator.nlp.spacy_preannotator import RULES_VERSION, SpacyPreAnnotator
from annotator.nlp.training.bases import (
    base_components,
    base_pipeline_name,
    current_preannotator,
    gone_base,
)
from annotator.nlp.training.data import (
    CLAIM_LABEL,
    LEARNED_LABELS,
    NEAR_COPY_WORDS,
    near_copies,
    training_data,
    unlearned_labels_note,
)
from annotator.nlp.training.evaluate import score
from annotator.nlp.training.model_folders import (
    ModelError,
    check_can_save,
    one_training,
    save_model,
)
from annotator.nlp.training.registry import (
    MODEL_NAME,
    adopt_model,
    check_models_folder,
    current_model,
    save_version,
)
from annotator.nlp.training.train import StageProgress, TrainingFailed, train_pipeline
from annotator.storage import Store

SCORED_LABELS = (*LEARNED_LABELS, CLAIM_LABEL)


@dataclass
class TrainingReport:
    """What a training run did and measured; ``as_dict()`` is ``annotator train --json``."""

    model_dir: Path
    model_name: str
    adopted: bool
    base: str
    current: str  # the suggestions the new model would replace
    train_articles: int
    held_out_articles: int
    scores: dict[str, dict]  # label -> new model's figures on the held-out part
    current_scores: dict[str, dict]  # label -> the current suggestions' figures
    seconds: float  # training alone
    cpu_seconds: float
    total_seconds: float
    merge_plan: dict[str, list[str]] = field(default_factory=dict)
    edge_convention: dict[str, list[str]] = field(default_factory=dict)
    resuggested: int = 0
    rivals_left_out: int = 0  # finished by several annotators, no gold: not learned from
    notes: list[str] = field(default_factory=list)  # what the user should know of this run
    scheme_labels: list[str] = field(default_factory=list)  # the labels the notes speak of

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": str(self.model_dir),
            "name": self.model_name,
            "adopted": self.adopted,
            "base": self.base,
            "current": self.current,
            "train_articles": self.train_articles,
            "held_out_articles": self.held_out_articles,
            "scores": self.scores,
            "current_scores": self.current_scores,
            "training_seconds": round(self.seconds, 2),
            "training_cpu_seconds": round(self.cpu_seconds, 2),
            "total_seconds": round(self.total_seconds, 2),
            "merge_plan": self.merge_plan,
            "edge_convention": self.edge_convention,
            "resuggested": self.resuggested,
            "rivals_left_out": self.rivals_left_out,
            "notes": self.notes,
            "scheme_labels": self.scheme_labels,
        }


def check_before_training(store: Store, out: str | Path | None, adopting: bool) -> None:
    """Refuse now what would fail only when the model is saved or adopted."""
    if adopting and store.read_only:
        raise ModelError(
            f"{store.path} is open read-only ({store.read_only_reason}); nothing was saved: "
            "a model trained here could not become the project's (--out DIR saves one elsewhere)"
        )
    if out is not None:
        check_can_save(Path(out))
    else:
        check_models_folder(store)


def train_project(
    store: Store,
    *,
    annotator: str | None = None,
    gold: bool = False,
    base: str | None = None,
    out: str | Path | None = None,
    progress: StageProgress | None = None,
    epochs: int | None = None,
    adopt: bool | None = None,
) -> TrainingReport:
    """Train, score and save a model from the project's finished work (see the module doc).

    Without ``out`` the model is saved as the next version beside the project and adopted
    (``adopt`` overrides). ``AnnotatorError`` for anything the user can fix. One training
    of a project runs at a time (``one_training``).
    """
    if store.path is None:
        return _train(store, annotator, gold, base, out, progress, epochs, adopt)
    with one_training(store.path):
        return _train(store, annotator, gold, base, out, progress, epochs, adopt)


def _train(
    store: Store,
    annotator: str | None,
    gold: bool,
    base: str | None,
    out: str | Path | None,
    progress: StageProgress | None,
    epochs: int | None,
    adopt: bool | None,
) -> TrainingReport:
    report_progress: StageProgress = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    adopting = out is None if adopt is None else adopt
    check_before_training(store, out, adopting)
    report_progress("reading", 0, 1)
    data = training_data(store, annotator=annotator, gold=gold)
    base_name = base_pipeline_name(store, base)
    try:
        nlp = base_components(load_pipeline(base_name, named=False))
    except PipelineNotFound as error:
        if base is None and current_model(store) is not None:  # (there, and not loading)
            raise AnnotatorError(
                f"{error} (the base of the project's current model); give --base MODEL"
            ) from None
        raise AnnotatorError(f"--base: {error}") from None
    if not nlp.has_pipe("ner"):
        raise AnnotatorError(f"--base {base_name}: the pipeline has no ner to start from")
    current, note = current_preannotator(store)
    if note and base is None:  # the missing model's base is not known either
        note += f"; trained from {base_name}"
    notes = [note] if note else []
    model = current_model(store)
    recorded = model.training.get("base") if model is not None else None
    if base is None and recorded and gone_base(str(recorded)):
        notes.append(
            f"the current model's base, {recorded}, is gone (removed?): trained from {base_name}"
        )
    if copies := near_copies(data.train, data.held_out):
        notes.append(
            f"{copies} of the {len(data.held_out)} held-out articles begin as an article "
            f"learned from does (the same first {NEAR_COPY_WORDS} words: updated copies of one "
            "story?): the held-out scores flatter the new model"
        )
    scheme = [label.name for label in store.labels()]
    if others := unlearned_labels_note(scheme):
        notes.append(others)
    held_texts = [item.text for item in data.held_out]
    gold_spans = [list(item.spans) for item in data.held_out]
    try:
        made = counted(current, held_texts, "scoring the current model", report_progress)
        current_scores = score(gold_spans, made, SCORED_LABELS)
        add_rule_components(nlp)
        trained = train_pipeline(
            nlp, data.train, progress=report_progress, **({"epochs": epochs} if epochs else {})
        )
        # Saved elsewhere, a model is dated, so names never clash; as vN it is N.0.0 (set
        # when saved: the number is taken then).
        nlp.meta["name"] = MODEL_NAME
        nlp.meta["version"] = datetime.now(UTC).strftime("0.%Y%m%d.%H%M%S")
        new = SpacyPreAnnotator(nlp, name=MODEL_NAME, description="")
        made = counted(new, held_texts, "scoring the new model", report_progress)
        scores = score(gold_spans, made, SCORED_LABELS)
        describe_model(nlp.meta, base_name, len(data.train), scores)
    except TrainingFailed as error:
        raise AnnotatorError(f"--base {base_name}: {error}") from None
    except AnnotatorError:
        raise
    except Exception as error:  # spaCy's, from a base it cannot train: one line, no trace
        raise AnnotatorError(
            f"--base {base_name}: training failed ({type(error).__name__}: {_one_line(error)})"
        ) from None
    nlp.meta["annotator"] = {
        "labels": list(SCORED_LABELS),
        "learned_labels": list(LEARNED_LABELS),
        "source": data.source,
        "train_articles": len(data.train),
        "train_article_hashes": [item.text_hash for item in data.train],
        "held_out_articles": len(data.held_out),
        "held_out_scores": scores,
        "replaced": current.name,
        "replaced_scores": current_scores,
        "base": base_name,
        "rules_version": RULES_VERSION,
        "merge_plan": trained.plan,
        "edge_convention": trained.edges,
        "cross_validation": trained.cross_validation,
        "training_seconds": round(trained.seconds, 2),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    report_progress("saving", 0, 1)
    if out is not None:
        target = save_model(nlp, Path(out).expanduser())
    else:
        target = save_version(nlp, store)
    resuggested = 0
    if adopting:
        report_progress("re-suggesting", 0, 1)
        resuggested = adopt_model(
            store,
            target,
            progress=lambda done, total: report_progress("re-suggesting", done, total),
        )
    return TrainingReport(
        model_dir=target,
        model_name=f"{MODEL_NAME}-{nlp.meta['version']}+rules-{RULES_VERSION}",
        adopted=adopting,
        base=base_name,
        current=current.name,
        train_articles=len(data.train),
        held_out_articles=len(data.held_out),
        scores=scores,
        current_scores=current_scores,
        seconds=trained.seconds,
        cpu_seconds=trained.cpu_seconds,
        total_seconds=time.perf_counter() - started,
        merge_plan=trained.plan,
        edge_convention=trained.edges,
        resuggested=resuggested,
        rivals_left_out=data.skipped_rivals,
        notes=notes,
        scheme_labels=scheme,
    )


def counted(
    preannotator: SpacyPreAnnotator, texts: Sequence[str], stage: str, report: StageProgress
) -> list[list[Span]]:
    """Each text's suggestions, the stage's progress reported in characters, after each
    piece of a long text too: counted by article, "Scoring the current model… 1 of 2"
    stood at 50 % for 25 s while the other, long, held-out article was read."""
    total = sum(len(text) for text in texts)
    found: list[list[Span]] = []
    read = 0  # the characters of the texts suggested already
    piece_starts: dict[int, list[int]] = {}  # where each long text's pieces start
    pieces_read = 0  # of the text being read

    def piece_read() -> None:  # between two pieces of a long text
        nonlocal pieces_read
        index = len(found)
        if index not in piece_starts:  # cut as the pre-annotator cuts it
            joined = join_hard_line_breaks(texts[index])
            piece_starts[index] = [start for start, _ in pieces(joined, preannotator.chunk_chars)]
        pieces_read += 1
        starts = piece_starts[index]
        report(stage, read + starts[min(pieces_read, len(starts) - 1)], total)

    report(stage, 0, total)
    # (the spans alone are scored: the linker, if any, would only take time)
    linker, preannotator.linker = preannotator.linker, None
    try:
        articles = (Article(text) for text in texts)
        for suggestions in preannotator.suggest_articles(articles, between=piece_read):
            read += len(texts[len(found)])
            found.append(suggestions.spans)
            piece_starts.pop(len(found) - 1, None)
            pieces_read = 0
            report(stage, read, total)
    finally:
        preannotator.linker = linker
    return found


def _one_line(error: Exception, limit: int = 300) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_model(meta: dict, base: str, articles: int, scores: dict[str, dict]) -> None:
    """The meta a spaCy user reads (``spacy info``, ``spacy package``): what this model is
    and how it scored on the held-out articles. The base's author, links and OntoNotes
    scores went out as this model's own."""
    base_by = meta.get("author")
    meta["description"] = (
        f"Trained by annotator on {articles} finished articles, from the pipeline {base}"
        + (f" (by {base_by})" if base_by else "")
        + ". Scores: exact spans on the project's held-out articles. Its tokenizer joins a"
        " wire story's hard line breaks, one character for one, as the program does: the"
        " Doc's text is the joined text, with the same offsets."
    )
    for credit in ("author", "email", "url"):
        meta.pop(credit, None)
    right = predicted = gold = 0
    for label in LEARNED_LABELS:
        figures = scores[label]
        right += round(figures["exact"]["precision"] * figures["predicted"])
        predicted += figures["predicted"]
        gold += figures["gold"]
    p, r = (right / predicted if predicted else 0.0), (right / gold if gold else 0.0)
    meta["performance"] = {
        "ents_p": round(p, 4),
        "ents_r": round(r, 4),
        "ents_f": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "ents_per_type": {
            label: {
                "p": figures["exact"]["precision"],
                "r": figures["exact"]["recall"],
                "f": figures["exact"]["f1"],
            }
            for label, figures in scores.items()
        },
    }
