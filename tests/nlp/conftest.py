"""A rules-only pre-annotator (blank English pipeline) for the fast tests: no model needed."""

from __future__ import annotations

import pytest

from annotator.nlp.loading import load_rules_only
from annotator.nlp.spacy_preannotator import SpacyPreAnnotator


@pytest.fixture(scope="session")
def rules() -> SpacyPreAnnotator:
    return load_rules_only()
