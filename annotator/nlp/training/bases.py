"""Which pipeline a training starts from (its base) and which one its model is compared with
(what pre-annotates the project now): ``run.py``'s steps 2 and 3.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from annotator.core.errors import AnnotatorError
from annotator.nlp.components import RULE_COMPONENTS
from annotator.nlp.learned import CLAIM_EDGES_COMPONENT, LEARNED_NER, MERGE, SET_ASIDE
from annotator.nlp.loading import FALLBACK_PIPELINES, PipelineNotFound, load_preannotator
from annotator.nlp.spacy_preannotator import SpacyPreAnnotator
from annotator.nlp.training.registry import current_model
from annotator.storage import Store

#: What ``train_pipeline`` adds to its base: a project model used as a base is trained
#: from again without them (``base_components``).
TRAINED_COMPONENTS = (SET_ASIDE, LEARNED_NER, MERGE, CLAIM_EDGES_COMPONENT)


def base_pipeline_name(store: Store, base: str | None) -> str:
    """``--base``, else what the current model was trained from, else the default pipeline.
    A folder given is named whole: recorded as given (``q2.models/v1``), the next training
    from another folder, or the window started elsewhere, could not find it."""
    if base:
        given = Path(base).expanduser()
        return str(given.resolve()) if given.is_dir() else base
    if recorded := recorded_base(store):
        return recorded
    import spacy

    for name in FALLBACK_PIPELINES:
        if spacy.util.is_package(name):
            return name
    raise AnnotatorError(
        f"no trained spaCy pipeline to start from (tried {', '.join(FALLBACK_PIPELINES)}); "
        "give --base with a pipeline that has a ner"
    )


def recorded_base(store: Store) -> str | None:
    """What the current model was trained from, while it is there; None without one."""
    model = current_model(store)
    if model is None or not model.training.get("base"):
        return None
    base = str(model.training["base"])
    return None if gone_base(base) else base


def gone_base(base: str) -> bool:
    """Whether a recorded base is a folder no longer there (``models --remove v1`` of the
    current model's base: every training without --base failed, naming it), not a package."""
    import spacy

    return not Path(base).expanduser().is_dir() and not spacy.util.is_package(base)


def current_preannotator(store: Store) -> tuple[SpacyPreAnnotator, str]:
    """What pre-annotates this project now: its current model, else the default pipeline;
    and a note when the current model's folder is gone or does not load (then the default
    pipeline stands in: the suggestions it makes are what the project falls back to)."""
    model = current_model(store)
    if model is None:
        return load_preannotator(None), ""  # type: ignore[return-value]
    why = model.absence if not model.present else ""
    if not why:
        try:
            return load_preannotator(str(model.path)), ""  # type: ignore[return-value]
        except PipelineNotFound:
            why = "does not load"
    fallback: SpacyPreAnnotator = load_preannotator(None)  # type: ignore[assignment]
    return fallback, (
        f"the project's current model {model.path} {why}: the new model is compared with "
        f"the default pipeline's suggestions ({fallback.name})"
    )


def base_components(nlp: Language) -> Language:
    """``nlp`` without what training added, when it is a project model: its base
    pipeline's components, to which training adds the rules and a new recognizer again.

    The rule components go too, so the new model has the rules of this version, as its
    name says (a project model keeps the rules it was saved with)."""
    if any(nlp.has_pipe(name) for name in TRAINED_COMPONENTS):
        for name in (*TRAINED_COMPONENTS, *RULE_COMPONENTS):
            if nlp.has_pipe(name):
                nlp.remove_pipe(name)
    return nlp
