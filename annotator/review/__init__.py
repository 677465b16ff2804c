"""Review: agreement, disagreements, adjudication into gold, merging projects. No Qt.

- ``agreement``: ``agreement_report(store) -> AgreementReport`` (kappa, alpha, span F1).
- ``disagreements``: ``find_disagreements`` on one article, ``rank_articles`` for them all.
- ``adjudication``: ``open_review``, ``agreed_spans``, ``take_version`` / ``take_all`` /
  ``take_none``, ``save_gold`` and the review status.
- ``merge``: ``merge_projects(out, inputs) -> MergeReport``.
- ``metrics``: the measures themselves on plain arrays and span lists.

Import the module you need: this package imports none of them, so that ``merge`` does not
load spaCy, which ``agreement`` needs for tokens.
"""
