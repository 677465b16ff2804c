"""Suggest claim sources and attributes for a project's articles, beside its suggestions.

Until pre-annotation stores them itself, this runs ``annotator.nlp.attribution`` over each
article's current suggestions and stores the SOURCE spans, ``source`` relations and
attribute values it finds as the same model's suggestions (articles nobody opened yet pick
them up when first opened). ``make_screenshot.py`` uses it on the sample project.

    .venv/bin/python docs/suggest_sources.py PROJECT.db
"""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.core.text import join_hard_line_breaks
from annotator.nlp import load_preannotator
from annotator.nlp.attribution import attribute_suggestions
from annotator.storage import Store


def suggest_sources(store: Store, model_name: str | None = None) -> int:
    """Add suggested sources and attributes to every article's suggestions; returns how
    many relations were stored. The spans are re-stored under the article's model name
    (with the new SOURCE spans), in one transaction."""
    preannotator = load_preannotator(model_name)
    relations = 0
    with store.transaction():
        for article_id in store.article_ids():
            model = store.suggestion_model(article_id)
            if model is None:
                continue
            spans = store.suggestions(article_id, model)
            text = store.article(article_id).text
            doc = preannotator.nlp(join_hard_line_breaks(text))  # type: ignore[attr-defined]
            found = attribute_suggestions(doc, spans)
            store.clear_suggestions([article_id], model)
            store.add_suggestions([(article_id, [*spans, *found.sources])], model)
            relations += store.add_suggested_links(
                [(article_id, found.relations, found.attributes)], model
            )
    return relations


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with Store(Path(argv[0])) as store:
        count = suggest_sources(store)
    print(f"{count} suggested sources stored")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
