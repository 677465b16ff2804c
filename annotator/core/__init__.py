"""Plain data and pure functions: no Qt, no spaCy, no database."""

from annotator.core.alignment import TokenAlignment
from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.model import (
    CLAIM_KIND,
    DEFAULT_LABELS,
    ENTITY_KIND,
    GOLD,
    ORIGINS,
    STATUSES,
    Article,
    Label,
    Span,
)
from annotator.core.spans import (
    TokenIndex,
    entity_conflicts,
    filter_overlapping,
    overlaps,
    snap_to_tokens,
    validate_span,
)
from annotator.core.text import join_hard_line_breaks, normalize_newlines, text_hash

__all__ = [
    "AnnotatorError",
    "Cancelled",
    "CLAIM_KIND",
    "DEFAULT_LABELS",
    "ENTITY_KIND",
    "GOLD",
    "ORIGINS",
    "STATUSES",
    "Article",
    "Label",
    "Span",
    "TokenAlignment",
    "TokenIndex",
    "entity_conflicts",
    "filter_overlapping",
    "join_hard_line_breaks",
    "normalize_newlines",
    "overlaps",
    "snap_to_tokens",
    "text_hash",
    "validate_span",
]
