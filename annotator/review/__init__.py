"""Review: agreement, disagreements, adjudication into gold, merging projects. No Qt.

- ``agreement``: ``agreement_report(store) -> AgreementReport`` (kappa, alpha, span F1, and
  ``claims``: claim–source pair F1 and attribute kappa from ``claim_agreement``).
- ``disagreements``: ``find_disagreements`` on one article, ``rank_articles`` for them all.
- ``claims``: source and attribute disagreements (``find_claim_disagreements``);
  ``claim_arrays`` counts them, and agreement, for all articles at once.
- ``adjudication``: ``open_review``, ``agreed_spans``, ``take_version`` / ``take_all`` /
  ``take_none``, ``take_source`` / ``take_attribute``, ``save_gold`` and the review status.
- ``merge``: ``merge_projects(out, inputs) -> MergeReport``.
- ``metrics``: the measures themselves on plain arrays and span lists.

Import the module you need: this package imports none of them, so that ``merge`` does not
load spaCy, which ``agreement`` needs for tokens.
"""
