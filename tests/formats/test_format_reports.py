"""What the program cannot hold is reported by kind and count, and never marks work done;
what it can hold (predictions, known negatives) is imported as what it is."""

from __future__ import annotations

import json

from annotator.formats.importer import import_paths
from annotator.storage import Store

TEXT = "Rebels took Kidal on Sunday, the army said."


def write(path, content: str):
    path.write_text(content, encoding="utf-8")
    return path


def test_label_studio_predictions_become_suggestions_of_their_model(store, tmp_path):
    task = {
        "id": 3,
        "data": {"text": TEXT},
        "predictions": [
            {
                "model_version": "ner-v2",
                "result": [
                    {"type": "labels", "value": {"start": 12, "end": 17, "labels": ["LOCATION"]}},
                    {"type": "choices", "value": {"choices": ["conflict"]}},
                ],
            }
        ],
    }
    report = import_paths(store, [write(tmp_path / "t.json", json.dumps([task]))])
    (article_id,) = store.article_ids()
    assert [s.key for s in store.suggestions(article_id, "ner-v2")] == [(12, 17, "LOCATION")]
    assert report.predictions == {"ner-v2": 1}
    assert report.not_held == {"Label Studio prediction choices results": 1}
    assert store.annotators() == []  # predictions are nobody's annotation
    assert "predictions imported as suggestions: 1 from ner-v2" in report.summary_lines()


def test_a_label_studio_task_with_only_a_choice_is_not_done(store, tmp_path):
    task = {
        "data": {"text": TEXT},
        "annotations": [
            {"completed_by": 1, "result": [{"type": "choices", "value": {"choices": ["x"]}}]},
            {"completed_by": 2, "result": [], "was_cancelled": True},
            {
                "completed_by": 3,
                "result": [
                    {"type": "relation", "from_id": "a", "to_id": "b"},
                    {"type": "labels", "value": {"start": 0, "end": 6, "labels": ["FACTION"]}},
                ],
            },
        ],
    }
    report = import_paths(store, [write(tmp_path / "t.json", json.dumps([task]))])
    assert store.annotators() == ["labelstudio-user-3"]
    assert report.not_held == {
        "Label Studio choices results": 1,
        "Label Studio cancelled annotations": 1,
        "Label Studio relations results of regions not imported": 1,
    }


def test_brat_discontinuous_spans_and_other_lines_are_reported(store, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    write(folder / "doc.txt", TEXT)
    write(
        folder / "doc.ann",
        "T1\tFACTION 0 6\tRebels\nT2\tLOCATION 0 6;12 17\tRebels Kidal\n"
        "R1\tIn Arg1:T1 Arg2:T2\n*\tEquiv T1 T2\nN1\tReference T1 Wikidata:Q1\tx\n"
        "N2\tReference T2 GeoNames:2\tKidal\nN3\tReference T1 Wikidata:Q2\tx\n",
    )
    report = import_paths(store, [folder])
    assert report.spans == 1
    assert report.links == 1
    assert report.not_held == {
        "brat discontinuous spans": 1,
        "brat relations (R) of events or spans not imported": 1,
        "brat equivalences (*)": 1,
        "brat normalizations (N) of spans not imported": 1,
        "brat normalizations (N) beyond the first of a span": 1,
    }


def test_a_brat_file_with_only_relations_is_not_marked_done(store, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    write(folder / "doc.txt", TEXT)
    write(folder / "doc.ann", "R1\tIn Arg1:T1 Arg2:T2\n")
    report = import_paths(store, [folder])
    assert report.annotated == 0 and store.annotators() == []


def test_prodigy_relations_between_tokens_and_ignored_tasks_are_reported(store, tmp_path):
    records = [
        # a dependency (dep.correct): tokens only, no spans to relate
        {"text": TEXT, "spans": [], "relations": [{"head": 0, "child": 2}], "answer": "accept"},
        {"text": "Gao fell.", "answer": "ignore", "spans": [{"start": 0, "end": 3, "label": "X"}]},
    ]
    path = write(tmp_path / "p.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    report = import_paths(store, [path])
    assert report.not_held == {
        "Prodigy relations between tokens (no head_span/child_span)": 1,
        "Prodigy ignored tasks": 1,
    }
    assert report.annotated == 1  # the relations task, annotated with no span


def test_doccano_exports_say_utf8_and_count_overlapping_spans(tricky, tmp_path):
    from annotator.formats.exporter import export_project

    report = export_project(tricky, tmp_path / "out.jsonl", "doccano")
    notes = " ".join(report.notes)
    assert "the file is UTF-8" in notes
    assert "3 articles have overlapping spans, which doccano drops unless the project " in notes


def test_a_zero_share_is_no_small_project_and_the_json_lists_every_part(tmp_path):
    """`--split 1,0,0` said "dev is empty: the project is small for these shares", and the
    JSON's articles left out the parts with none, though its outputs listed them."""
    from annotator.core import Article, Span
    from annotator.formats.exporter import export_project
    from annotator.storage import Store

    with Store() as store:
        ids = store.add_articles([Article(f"Rebels took Kidal {i}.") for i in range(4)]).ids
        for article in ids:
            store.replace_spans(article, "ana", [Span(12, 17, "LOCATION")])
            store.set_status(article, "ana", "done")
        report = export_project(store, tmp_path / "out", "jsonl", split=(1.0, 0.0, 0.0))
    assert not [note for note in report.notes if "is empty" in note]
    figures = report.to_dict()
    assert figures["articles"] == {"train": 4, "dev": 0, "test": 0}
    assert set(figures["articles"]) == set(figures["outputs"])


def test_articles_nobody_annotated_read_as_such_in_the_summary(tmp_path):
    """ "versions: nobody 1" read like an annotator called nobody."""
    from annotator.core import Article, Span
    from annotator.formats.exporter import export_project
    from annotator.storage import Store

    with Store() as store:
        first, _ = store.add_articles([Article("Rebels took Kidal."), Article("Quiet.")]).ids
        store.replace_spans(first, "ana", [Span(12, 17, "LOCATION")])
        store.set_status(first, "ana", "done")
        report = export_project(store, tmp_path / "all.jsonl", "jsonl", status="all")
    (line,) = [line for line in report.summary_lines() if line.startswith("versions:")]
    assert "not annotated 1" in line and "nobody" not in line
    assert report.to_dict()["versions"]["nobody"] == 1  # the JSON's key stays


def test_the_language_check_runs_before_the_import_locks_the_project(tmp_path, monkeypatch):
    """A one-article import held the project's lock 4-10 s (windows froze, an edit was
    refused): the first language check, inside the batch's transaction, loaded spaCy's
    stop words of eleven languages."""
    from contextlib import contextmanager

    from annotator.formats import importer
    from annotator.nlp.loading import load_rules_only

    store = Store(tmp_path / "p.db")
    open_transactions: list[bool] = []
    real = store.transaction

    @contextmanager
    def watched():
        open_transactions.append(True)
        try:
            with real():
                yield
        finally:
            open_transactions.pop()

    monkeypatch.setattr(store, "transaction", watched)
    checked_while_locked: list[bool] = []

    def looks_english(text: str) -> bool:
        checked_while_locked.append(bool(open_transactions))
        return False

    monkeypatch.setattr(importer, "looks_english", looks_english)
    path = tmp_path / "a.txt"
    path.write_text("Rebels shelled Idlib on Monday, the army said.", encoding="utf-8")
    report = importer.import_paths(store, [path], preannotator=load_rules_only())
    assert checked_while_locked == [False]
    assert report.not_english == 1  # still counted


def test_one_annotation_given_twice_is_stored_once(tmp_path):
    """Two identical Prodigy records of one text and annotator stored every span twice."""
    line = (
        '{"text": "Rebels shelled Idlib on Monday.", "spans": [{"start": 15, "end": 20, '
        '"label": "LOCATION"}], "answer": "accept", "_annotator_id": "z"}\n'
    )
    path = tmp_path / "twice.jsonl"
    path.write_text(line * 2, encoding="utf-8")
    store = Store(tmp_path / "p.db")
    report = import_paths(store, [path])
    (article_id,) = store.article_ids()
    assert len(store.spans(article_id, "z")) == 1
    assert report.annotated == 1 and report.spans == 1


def test_an_annotations_overlapping_entities_are_kept_and_said(store, tmp_path):
    """ben's LOCATION 'الخرطوم' inside his LOCATION 'الخرطوم بحري' went in unsaid, and the
    review later put both into gold. A claim over a place is no overlap of entities."""
    text = "قصف في الخرطوم بحري اليوم"
    start = text.index("الخرطوم")
    spans = [
        {"start": start, "end": start + 7, "label": "LOCATION"},
        {"start": start, "end": start + 12, "label": "LOCATION"},
        {"start": 0, "end": len(text), "label": "CLAIM"},
    ]
    records = [
        {"text": text, "spans": spans},
        {"text": TEXT, "spans": [{"start": 12, "end": 17, "label": "LOCATION"},
                                 {"start": 0, "end": 27, "label": "CLAIM"}]},
    ]  # fmt: skip
    path = write(tmp_path / "ben.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    report = import_paths(store, [path], annotator="ben")
    assert report.overlapping == [
        f"{path}:1: ben's LOCATION '\u2068الخرطوم\u2069' and LOCATION '\u2068الخرطوم بحري\u2069'"
    ]
    assert "1 annotation with entity spans that overlap one another" in "\n".join(
        report.summary_lines()
    )
    (article_id,) = [a.id for a in store.iter_articles() if a.text == text]
    assert len(store.spans(article_id, "ben")) == 3  # kept as the file has them


def test_an_untitled_articles_left_out_spans_name_it_as_the_article_list_does(store, tmp_path):
    """It was "article 1 '':" in the report, and an empty title in the list of omissions."""
    from annotator.core import Article, Span
    from annotator.formats.exporter import export_project

    untitled, titled = store.add_articles([Article(TEXT), Article(TEXT + " ", title="Kidal")]).ids
    for article_id in (untitled, titled):
        store.replace_spans(article_id, "ana", [Span(0, 18, "CLAIM")])  # CoNLL holds no claim
        store.set_status(article_id, "ana", "done")
    out = tmp_path / "out.conll"
    report = export_project(store, out, "conll")
    lines = report.summary_lines()
    assert f"  Article {untitled}:" in lines and f"  article {titled} 'Kidal':" in lines
    rows = [
        line.split("\t") for line in (tmp_path / "out.conll.omitted.tsv").read_text().splitlines()
    ]
    assert [row[:2] for row in rows] == [
        ["article", "title"], [str(untitled), f"Article {untitled}"], [str(titled), "Kidal"],
    ]  # fmt: skip


def test_labels_only_predictions_have_are_named_as_the_suggestions_ones(store, tmp_path):
    def region(start: int, end: int, label: str) -> dict:
        return {"type": "labels", "value": {"start": start, "end": end, "labels": [label]}}

    task = {
        "data": {"text": TEXT},
        "annotations": [{"result": [region(0, 6, "WEAPON"), region(12, 17, "LOCATION")]}],
        "predictions": [{"model_version": "ner-v2", "result": [region(0, 6, "PERSON")]}],
    }
    report = import_paths(store, [write(tmp_path / "t.json", json.dumps([task]))])
    assert report.unknown_labels == ["WEAPON"]
    assert report.unknown_suggested_labels == ["PERSON"]  # (it went unsaid)
    assert (
        "labels not in the project's scheme: WEAPON; suggestions' only: PERSON"
        in report.summary_lines()
    )


def test_every_overlapping_pair_of_an_annotation_is_named_then_counted(store, tmp_path):
    """Only the first pair was named: FAC and ORG stacked on 'Ansar Allah' went unsaid
    beside SPEAKER and SRC on 'Reuters'."""
    text = "Reuters said the account of Ansar Allah in Sanaa and Marib was fake."

    def at(words: str, label: str) -> dict:
        return {"start": text.index(words), "end": text.index(words) + len(words), "label": label}

    spans = [
        at("Reuters", "SRC"), at("Reuters", "SPEAKER"),
        at("Ansar Allah", "FAC"), at("Ansar Allah", "ORG"),
        at("Sanaa", "LOC"), at("Sanaa", "GPE"),
        at("Marib", "LOC"), at("Marib", "GPE"),
    ]  # fmt: skip
    path = write(tmp_path / "ben.jsonl", json.dumps({"text": text, "spans": spans}) + "\n")
    report = import_paths(store, [path], annotator="ben")
    assert report.overlapping == [
        f"{path}:1: ben's SPEAKER 'Reuters' and SRC 'Reuters'; FAC 'Ansar Allah' and ORG "
        "'Ansar Allah'; GPE 'Sanaa' and LOC 'Sanaa'; and 1 more"
    ]
