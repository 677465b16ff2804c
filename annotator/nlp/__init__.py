"""Pre-annotation: spaCy pipelines plus rules suggest LOCATION, FACTION and CLAIM spans. No Qt.

spaCy is imported only when a pre-annotator is loaded, so importing this package (the
importer does, for the ``PreAnnotator`` type) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.nlp.base import PreAnnotator
from annotator.nlp.preannotate import PreannotateReport, preannotate_store

if TYPE_CHECKING:
    from annotator.nlp.loading import (
        DEFAULT_PIPELINE,
        PREANNOTATORS,
        PipelineNotFound,
        load_preannotator,
    )

_LAZY = {"DEFAULT_PIPELINE", "PREANNOTATORS", "PipelineNotFound", "load_preannotator"}

__all__ = [
    "DEFAULT_PIPELINE",
    "PREANNOTATORS",
    "PipelineNotFound",
    "PreAnnotator",
    "PreannotateReport",
    "load_preannotator",
    "preannotate_store",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from annotator.nlp import loading

        return getattr(loading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
