"""``annotator train DB``: train on the project's finished work, score, save, adopt.

1. the finished articles, split by text hash (``data.py``);
2. the suggestions the new model would replace (the project's current model, else the default
   pipeline) on the held-out part;
3. training (``train.py``) from the base pipeline: ``--base``, else the base the current
   model was trained from, else the default pipeline;
4. the new model's suggestions on the held-out part; both scored per label (``evaluate.py``);
5. saved atomically (``registry.py``): to ``--out``, or as the next ``PROJECT.models/vN``,
   which then becomes the project's current model (its untouched articles re-suggested).

Nothing is written to the project before step 5 has written the model whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.nlp.components import add_rule_components
from annotator.nlp.loading import (
    FALLBACK_PIPELINES,
    PipelineNotFound,
    load_pipeline,
    load_preannotator,
)
from annotator.nlp.spacy_preannotator import RULES_VERSION, SpacyPreAnnotator
from annotator.nlp.training.data import LEARNED_LABELS, training_data
from annotator.nlp.training.evaluate import score
from annotator.nlp.training.registry import (
    MODEL_NAME,
    ModelError,
    adopt_model,
    current_model,
    models_folder,
    next_version,
    save_model,
)
from annotator.nlp.training.train import StageProgress, TrainingFailed, train_pipeline
from annotator.storage import Store

SCORED_LABELS = (*LEARNED_LABELS, "CLAIM")


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
        }


def base_pipeline_name(store: Store, base: str | None) -> str:
    """``--base``, else what the current model was trained from, else the default pipeline."""
    if base:
        return base
    model = current_model(store)
    if model is not None and model.training.get("base"):
        return str(model.training["base"])
    import spacy

    for name in FALLBACK_PIPELINES:
        if spacy.util.is_package(name):
            return name
    raise AnnotatorError(
        f"no trained spaCy pipeline to start from (tried {', '.join(FALLBACK_PIPELINES)}); "
        "give --base with a pipeline that has a ner"
    )


def current_preannotator(store: Store) -> SpacyPreAnnotator:
    """What pre-annotates this project now: its current model, else the default pipeline."""
    model = current_model(store)
    if model is not None:
        if not (model.path / "meta.json").is_file():
            raise ModelError(f"{model.path}: the project's current model is missing")
        return load_preannotator(str(model.path))  # type: ignore[return-value]
    return load_preannotator(None)  # type: ignore[return-value]


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
    (``adopt`` overrides). ``AnnotatorError`` for anything the user can fix.
    """
    report_progress: StageProgress = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    if out is not None and Path(out).expanduser().exists():
        raise ModelError(f"{out}: already exists; give a new folder for --out")
    report_progress("reading", 0, 1)
    data = training_data(store, annotator=annotator, gold=gold)
    base_name = base_pipeline_name(store, base)
    try:
        nlp = load_pipeline(base_name)
    except PipelineNotFound as error:
        raise AnnotatorError(f"--base: {error}") from None
    if not nlp.has_pipe("ner"):
        raise AnnotatorError(f"--base {base_name}: the pipeline has no ner to start from")
    current = current_preannotator(store)
    held_texts = [item.text for item in data.held_out]
    gold_spans = [list(item.spans) for item in data.held_out]
    report_progress("scoring the current model", 0, len(held_texts))
    current_scores = score(gold_spans, list(current.suggest(held_texts)), SCORED_LABELS)
    add_rule_components(nlp)
    try:
        trained = train_pipeline(
            nlp, data.train, progress=report_progress, **({"epochs": epochs} if epochs else {})
        )
    except TrainingFailed as error:
        raise AnnotatorError(f"--base {base_name}: {error}") from None
    version = next_version(store) if out is None else None
    # vN beside the project is N.0.0; a model saved elsewhere is dated, so names never clash.
    meta_version = f"{version}.0.0" if version else datetime.now(UTC).strftime("0.%Y%m%d.%H%M%S")
    nlp.meta["name"] = MODEL_NAME
    nlp.meta["version"] = meta_version
    nlp.meta["description"] = f"Trained by annotator on {len(data.train)} finished articles"
    new = SpacyPreAnnotator(
        nlp, name=f"{MODEL_NAME}-{meta_version}+rules-{RULES_VERSION}", description=""
    )
    report_progress("scoring the new model", 0, len(held_texts))
    scores = score(gold_spans, list(new.suggest(held_texts)), SCORED_LABELS)
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
    target = Path(out).expanduser() if out is not None else models_folder(store) / f"v{version}"
    save_model(nlp, target)
    adopting = out is None if adopt is None else adopt
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
        model_name=new.name,
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
    )
