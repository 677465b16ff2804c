"""Pre-annotation: spaCy pipelines plus rules suggest LOCATION, FACTION and CLAIM spans. No Qt."""

from annotator.nlp.base import PreAnnotator

__all__ = ["PreAnnotator"]
