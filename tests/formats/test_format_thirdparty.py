"""Files written by the other tools' own projects, imported and checked span by span against
what each file says (``thirdparty/``; origins and licences in each folder's NOTICE.md)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from annotator.formats import FormatError, detect_format
from annotator.formats.exporter import export_project
from annotator.formats.importer import DEFAULT_ANNOTATOR, import_paths
from annotator.storage import Store
from annotator.storage.import_records import provenance

HERE = Path(__file__).parent / "thirdparty"


def stored(store: Store, annotator: str = DEFAULT_ANNOTATOR) -> dict[str, set[tuple[str, str]]]:
    """Each article's text -> {(label, text of the span)}."""
    return {
        article.text: {(s.label, s.text(article.text)) for s in store.spans(article.id, annotator)}
        for article in store.iter_articles()
    }


def statuses(store: Store, annotator: str = DEFAULT_ANNOTATOR) -> dict[str, str]:
    return {a.text: store.status(a.id, annotator).status for a in store.iter_articles()}


# -- doccano --------------------------------------------------------------------------------


def test_doccano_export_example_span_by_span(store):
    path = HERE / "doccano" / "export_sequence_labeling_example.jsonl"
    assert detect_format(path).name == "doccano"
    report = import_paths(store, [path])
    expected = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["text"]
        expected[text] = {(label, text[start:end]) for start, end, label in record["label"]}
    assert stored(store) == expected
    assert expected["EU rejects German call to boycott British lamb."] == {
        ("ORG", "EU"),
        ("MISC", "German"),
    }
    assert report.added == 3 and report.spans == 4


def test_doccano_relation_example_keeps_entities_and_reports_relations_outside_the_scheme(
    store,
):
    path = HERE / "doccano" / "relation_extraction_example.jsonl"
    report = import_paths(store, [path])
    (article,) = store.iter_articles()
    assert {(s.label, s.text(article.text)) for s in store.spans(article.id, "imported")} == {
        ("ORG", "Google"),
        ("DATE", "September 4, 1998"),
        ("PERSON", "Larry Page"),
        ("PERSON", "Sergey Brin"),
    }
    # The project's scheme has only claim sources (test_format_claims imports these three
    # into a project whose scheme has foundedAt and foundedBy).
    assert report.not_held == {
        "doccano relations of type foundedAt: not in the project's scheme": 1,
        "doccano relations of type foundedBy: not in the project's scheme": 2,
    }
    assert any(
        "doccano relations of type foundedBy: not in the project's scheme 2" in line
        for line in report.summary_lines()
    )


def test_doccano_identical_spans_are_stored_once(store):
    report = import_paths(store, [HERE / "doccano" / "sequence_labeling_example_overlapping.jsonl"])
    assert stored(store) == {"exampleA": {("LOC", "e")}}
    assert report.duplicate_spans == 1
    assert "1 spans given twice were stored once" in report.summary_lines()


def test_doccano_categories_are_reported_and_do_not_mark_articles_done(store):
    report = import_paths(store, [HERE / "doccano" / "text_classification_example.jsonl"])
    assert (report.added, report.duplicates, report.annotated) == (1, 3, 0)
    assert report.not_held == {"doccano categories": 5}
    assert statuses(store) == {"example": "todo"}


def test_doccano_intent_example_refuses_the_record_without_text_or_skips_it(store):
    path = HERE / "doccano" / "intent_example.jsonl"
    with pytest.raises(FormatError, match=r"intent_example\.jsonl:5: record has no \"text\""):
        import_paths(store, [path])
    assert store.article_count() == 0
    report = import_paths(store, [path], skip_invalid=True)
    assert report.skipped == 1 and "intent_example.jsonl:5" in report.skipped_listed[0]
    assert stored(store) == {
        "exampleA": {("LOC", "e")},
        "exampleB": set(),
        "exampleC": {("LOC", "e")},
        "exampleD": set(),
    }
    assert statuses(store) == {
        "exampleA": "done",
        "exampleB": "todo",  # categories only: not annotated here
        "exampleC": "done",
        "exampleD": "todo",
    }
    assert report.not_held == {"doccano categories": 2}


def test_doccano_examples_that_share_a_text_but_not_spans_are_refused_by_line(store):
    path = HERE / "doccano" / "sequence_labeling_example.jsonl"
    with pytest.raises(FormatError, match=r"example\.jsonl:2: gives imported other spans .*:1"):
        import_paths(store, [path])
    report = import_paths(store, [path], skip_invalid=True)
    assert report.skipped == 2
    assert stored(store) == {"example": {("LOC", "e"), ("ORG", "ex")}}


def test_doccano_conll_example(store):
    path = HERE / "doccano" / "sequence_labeling_example.conll"
    import_paths(store, [path])
    assert stored(store) == {"JAPAN GET\nNadim Ladki": {("LOC", "JAPAN"), ("PER", "Nadim Ladki")}}


# -- Label Studio ------------------------------------------------------------------------------


def label_studio_results(path: Path) -> set[tuple[str, str]]:
    task = json.loads(path.read_text(encoding="utf-8"))
    text = task["data"]["text"]
    spans = set()
    for result in task["completions"][0]["result"]:
        value = result["value"]
        assert text[value["start"] : value["end"]] == value["text"]
        spans.update((label, value["text"]) for label in value["labels"])
    return spans


def test_label_studio_converter_fixture_span_by_span(store, tmp_path):
    path = HERE / "labelstudio" / "completions_348.json"
    assert detect_format(path).name == "labelstudio"
    report = import_paths(store, [path])
    expected = label_studio_results(path)
    assert len(expected) == 38
    ((text, spans),) = stored(store).items()
    assert spans == expected
    (article_id,) = store.article_ids()
    assert provenance(store, article_id, "labelstudio") == {
        "from_name": "ner",
        "to_name": "text",
        "data_key": "text",
        "id": 348,
    }
    assert report.spans == 38
    # Back out: the same control name, the task id, and a labeling config that names them.
    out = tmp_path / "tasks.json"
    report = export_project(store, out, "labelstudio")
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert task["id"] == 348
    assert {r["from_name"] for r in task["annotations"][0]["result"]} == {"ner"}
    config = (tmp_path / "tasks.json.labeling-config.xml").read_text(encoding="utf-8")
    assert '<Labels name="ner" toName="text">' in config and 'value="INGREDIENT"' in config
    assert '<Text name="text" value="$text"/>' in config


def test_label_studio_json_min_from_the_sdk_converter(store):
    path = HERE / "labelstudio" / "completions_348.json-min.json"
    assert detect_format(path).name == "labelstudio"  # not "not valid JSON"
    report = import_paths(store, [path])
    ((_, spans),) = stored(store).items()
    assert spans == label_studio_results(HERE / "labelstudio" / "completions_348.json")
    assert report.added == 1 and report.spans == 38


def test_label_studio_conll2003_from_the_sdk_converter(store):
    path = HERE / "conll" / "labelstudio_completions_348.conll"
    import_paths(store, [path])
    ((text, spans),) = stored(store).items()
    # The converter tokenizes on whitespace and punctuation; its tags say the same things.
    assert ("INGREDIENT", "Aqua ( Water )") in spans
    assert ("INGREDIENT", "Limonene") in spans
    assert all(label == "INGREDIENT" for label, _ in spans)


# -- Prodigy ----------------------------------------------------------------------------------


def test_prodigy_manual_data_accepted_tasks_without_spans_are_annotated_with_nothing(store):
    path = HERE / "prodigy" / "ner_drugs_training_excerpt.jsonl"
    report = import_paths(store, [path])
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    expected = {
        r["text"]: {(s["label"], r["text"][s["start"] : s["end"]]) for s in r.get("spans", [])}
        for r in records
    }
    assert stored(store) == expected
    assert set(statuses(store).values()) == {"done"}
    assert report.annotated == 5 and report.spans == 2


def test_prodigy_hashes_round_trip(store, tmp_path):
    path = HERE / "prodigy" / "ner_drugs_training_excerpt.jsonl"
    import_paths(store, [path])
    export_project(store, tmp_path / "out.jsonl", "jsonl")
    original = {
        r["text"]: (r["_input_hash"], r["_task_hash"])
        for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    }
    written = {
        r["text"]: (r["_input_hash"], r["_task_hash"])
        for r in map(json.loads, (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())
    }
    assert written == original


def test_prodigy_text_classification_is_reported_not_annotated(store):
    path = HERE / "prodigy" / "textcat_github_issues_excerpt.jsonl"
    report = import_paths(store, [path])
    assert report.added == 4 and report.annotated == 0
    assert report.not_held == {"Prodigy text classification": 4}
    assert set(statuses(store).values()) == {"todo"}


def test_prodigy_binary_decisions_combine_and_rejections_are_known_negatives(store, tmp_path):
    text = "Rebels of the Nusra Front took Idlib on Sunday."
    decisions = [  # ner.teach: one suggested span per task, accepted or rejected
        (14, 25, "FACTION", "accept"),
        (31, 36, "LOCATION", "accept"),
        (40, 46, "LOCATION", "reject"),
    ]
    path = tmp_path / "teach.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "text": text,
                    "spans": [{"start": start, "end": end, "label": label}],
                    "answer": answer,
                    "_view_id": "ner",
                    "_input_hash": 7,
                }
            )
            + "\n"
            for start, end, label, answer in decisions
        )
    )
    report = import_paths(store, [path], annotator="ana")
    assert stored(store, "ana") == {text: {("FACTION", "Nusra Front"), ("LOCATION", "Idlib")}}
    assert statuses(store, "ana") == {text: "in_progress"}  # the rest of the text unseen
    assert report.negatives == 1 and report.partial == 2
    from annotator.storage.import_records import known_negatives

    (article_id,) = store.article_ids()
    assert [(s.label, s.text(text)) for s in known_negatives(store, article_id, "ana")] == [
        ("LOCATION", "Sunday")
    ]
    # A DocBin keeps them where spaCy's ner learns from them (incorrect_spans_key).
    import spacy
    from spacy.tokens import DocBin

    report = export_project(store, tmp_path / "teach.spacy", "spacy", status="in_progress")
    (doc,) = DocBin().from_disk(tmp_path / "teach.spacy").get_docs(spacy.blank("en").vocab)
    assert [(s.label_, s.text) for s in doc.spans["incorrect_spans"]] == [("LOCATION", "Sunday")]
    assert any("doc.spans['incorrect_spans']" in note for note in report.notes)
    # Judged a span at a time, the rest of the text is unknown, not "no entity" (it was O).
    tags = {token.text: token.ent_iob_ for token in doc}
    assert tags["Nusra"] == "B" and tags["Idlib"] == "B"
    assert tags["Rebels"] == tags["took"] == tags["Sunday"] == ""  # missing
    # Prodigy's own JSON Lines hold them too, among the task's spans with "answer":"reject"
    # (they were left out, and that export imported back deleted them from the project).
    report = export_project(store, tmp_path / "back.jsonl", "jsonl", status="in_progress")
    assert any("1 rejected span (" in note and '"answer":"reject"' in note for note in report.notes)
    (task,) = [json.loads(line) for line in (tmp_path / "back.jsonl").read_text().splitlines()]
    assert {(s["label"], text[s["start"] : s["end"]], s.get("answer")) for s in task["spans"]} == {
        ("FACTION", "Nusra Front", None), ("LOCATION", "Idlib", None),
        ("LOCATION", "Sunday", "reject"),
    }  # fmt: skip
    import_paths(store, [tmp_path / "back.jsonl"])
    assert [(s.label, s.text(text)) for s in known_negatives(store, article_id, "ana")] == [
        ("LOCATION", "Sunday")
    ]
    assert stored(store, "ana") == {text: {("FACTION", "Nusra Front"), ("LOCATION", "Idlib")}}


def test_a_task_rejected_whole_keeps_its_negatives_in_a_docbin(store, tmp_path):
    """Its article has no version (nobody accepted anything), so its known negatives were
    not written, while the report counted the others as all there were."""
    import spacy
    from spacy.tokens import DocBin

    texts = ["Government troops shelled Kidal.", "Rebels took Gao on Sunday."]
    path = tmp_path / "tasks.jsonl"
    path.write_text(
        json.dumps({"text": texts[0], "answer": "reject",
                    "spans": [{"start": 0, "end": 17, "label": "FACTION"}]}) + "\n"
        + json.dumps({"text": texts[1], "answer": "accept", "spans": [
            {"start": 0, "end": 6, "label": "FACTION"},
            {"start": 12, "end": 15, "label": "LOCATION", "answer": "reject"}]}) + "\n"
    )  # fmt: skip
    import_paths(store, [path], annotator="pd")
    out = tmp_path / "all.spacy"
    report = export_project(store, out, "spacy", status="all", annotator="pd")
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    rejected = {doc.text: [s.text for s in doc.spans.get("incorrect_spans", [])] for doc in docs}
    assert rejected == {texts[0]: ["Government troops"], texts[1]: ["Gao"]}
    assert not any("not written" in note for note in report.notes)
    # Left out with its article, the report says so.
    report = export_project(store, tmp_path / "done.spacy", "spacy", annotator="pd")
    assert any(note.startswith("1 rejected spans are not written") for note in report.notes)


def test_a_rejected_span_off_token_boundaries_is_listed_not_given_another_reason(store, tmp_path):
    """'Kurdish-led f' rejected: left out of incorrect_spans unlisted, and the report said it
    was on an article left out, or another annotator's."""
    import spacy
    from spacy.tokens import DocBin

    text = "Kurdish-led forces took Hasakah."
    path = tmp_path / "task.jsonl"
    path.write_text(
        json.dumps({"text": text, "answer": "accept", "spans": [
            {"start": 0, "end": 18, "label": "FACTION"},
            {"start": 24, "end": 31, "label": "LOCATION"},
            {"start": 0, "end": 13, "label": "FACTION", "answer": "reject"}]}) + "\n"
    )  # fmt: skip
    import_paths(store, [path], annotator="ana")
    out = tmp_path / "out.spacy"
    report = export_project(store, out, "spacy", annotator="ana")
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    assert [s.text for s in doc.spans["incorrect_spans"]] == []
    # (the rejection was taken off the spans written: "FACTION" was gone)
    assert report.spans == {"FACTION": 1, "LOCATION": 1}
    assert not any("not written: they are on articles" in note for note in report.notes)
    listed = out.with_name("out.spacy.omitted.tsv").read_text(encoding="utf-8")
    assert "Kurdish-led f\tno\ta rejected span not on token boundaries" in listed


def test_an_annotators_docbin_holds_no_other_annotators_rejections(store, tmp_path):
    """ana's export wrote dan's rejection on an article ana had no version of, as if
    nobody had annotated it (JSON Lines said they were not written)."""
    import spacy
    from spacy.tokens import DocBin

    texts = ["Rebels attacked Goma and Bukavu.", "Rebels took Gao on Sunday.", "Quiet."]
    path = tmp_path / "dan.jsonl"
    path.write_text(json.dumps({"text": texts[0], "answer": "accept", "spans": [
        {"start": 16, "end": 20, "label": "LOCATION"},
        {"start": 25, "end": 31, "label": "FACTION", "answer": "reject"}]}) + "\n")  # fmt: skip
    with path.open("a") as more:  # and a task rejected whole, on another article
        more.write(json.dumps({"text": texts[1], "answer": "reject", "spans": [
            {"start": 0, "end": 6, "label": "FACTION"}]}) + "\n")  # fmt: skip
    import_paths(store, [path], annotator="dan")
    path.write_text(json.dumps({"text": texts[2], "spans": []}) + "\n")
    import_paths(store, [path], annotator="ana")
    out = tmp_path / "ana.spacy"
    export_project(store, out, "spacy", status="all", annotator="ana")
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert {doc.text: len(doc.spans.get("incorrect_spans", [])) for doc in docs} == {
        texts[0]: 0,
        texts[1]: 0,
        texts[2]: 0,
    }


def test_a_rejected_span_inside_an_accepted_task_is_not_an_entity(store, tmp_path):
    text = "Rebels took Kidal and Gao."
    path = tmp_path / "review.jsonl"
    spans = [
        {"start": 12, "end": 17, "label": "LOCATION"},
        {"start": 22, "end": 25, "label": "LOCATION", "answer": "reject"},
    ]
    path.write_text(json.dumps({"text": text, "spans": spans, "answer": "accept"}) + "\n")
    report = import_paths(store, [path])
    assert stored(store) == {text: {("LOCATION", "Kidal")}}
    assert report.negatives == 1 and statuses(store) == {text: "done"}


# -- brat -------------------------------------------------------------------------------------


def brat_collection(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    shutil.copytree(HERE / "brat", folder, ignore=shutil.ignore_patterns("NOTICE.md"))
    return folder


def test_brat_tutorial_span_by_span_with_events_relations_attributes_notes_reported(
    store, tmp_path
):
    folder = brat_collection(tmp_path)
    report = import_paths(store, [folder])
    entity_types = {"Person", "Organization", "GPE", "Money"}
    expected = {}
    for ann in sorted(folder.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        spans = set()
        for line in ann.read_text(encoding="utf-8").splitlines():
            match = re.fullmatch(r"T\d+\t(\S+) (\d+) (\d+)\t(.*)", line)
            if match and match.group(1) in entity_types:
                label, start, end, stated = match.groups()
                assert text[int(start) : int(end)] == stated
                spans.add((label, stated))
        expected[text] = spans
    assert stored(store) == expected
    # The project's scheme has neither Family relations nor an Individual attribute; the
    # other five attributes are on events (test_format_claims imports them with a scheme
    # that has them).
    assert report.not_held == {
        "brat event triggers": 18,
        "brat events (E)": 18,
        "brat attributes (A) of events or spans not imported": 5,
        "brat attributes (A) Individual: not in the project's scheme": 1,
        "brat relations (R) of type Family: not in the project's scheme": 2,
        "brat notes (#)": 3,
    }
    assert report.spans == 44


def test_brat_export_keeps_the_file_names(store, tmp_path):
    import_paths(store, [brat_collection(tmp_path)])
    export_project(store, tmp_path / "out", "brat")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.ann")) == [
        "090-event_structures.ann",
        "100-attribute_annotation.ann",
        "110-note_annotation.ann",
    ]


def test_two_brat_pairs_of_one_name_from_two_folders_are_exported_under_two_and_said(
    store, tmp_path
):
    """train/doc1 and test/doc1 went out as doc1 and article-0000002 without a word."""
    for folder, text in (("train", "Rebels took Gao."), ("test", "Rebels left Kidal.")):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "doc1.txt").write_text(text, encoding="utf-8")
        (tmp_path / "in" / folder / "doc1.ann").write_text("T1\tFACTION 0 6\tRebels\n")
    import_paths(store, [tmp_path / "in"])
    report = export_project(store, tmp_path / "out", "brat")
    names = sorted(p.stem for p in (tmp_path / "out").glob("*.ann"))
    assert len(names) == 2 and "doc1" in names
    assert any(
        note.startswith(
            "1 article written under a name made of its id (as article-0000017 for article 17)"
        )
        for note in report.notes
    )


# -- CoNLL ------------------------------------------------------------------------------------


def test_a_conll_file_named_txt_is_read_as_conll(store):
    path = HERE / "conll" / "spacy_conll_ner_train.txt"
    assert detect_format(path).name == "conll"
    import_paths(store, [path])
    ((text, spans),) = stored(store).items()
    assert text.split("\n") == ["I like London and New York City ."] * 5
    assert spans == {("GPE", "London"), ("GPE", "New York City")}
    (article_id,) = store.article_ids()
    assert len(store.spans(article_id, DEFAULT_ANNOTATOR)) == 10


def test_a_news_scrapers_fields_are_kept_in_the_articles_metadata(store, tmp_path):
    """newspaper3k's "authors", "keywords", "publish_date" (and any field not Prodigy's)
    were dropped without a word; the date is the article's published date too."""
    record = {
        "title": "Clashes in Goma",
        "text": "Fighting went on near Goma on Friday.",
        "url": "https://example.org/a",
        "publish_date": "2024-05-02",
        "authors": ["A. Writer"],
        "keywords": ["Goma", "M23"],
        "_input_hash": 7,
    }
    path = tmp_path / "scraped.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    import_paths(store, [path])
    (article,) = store.iter_articles()
    assert (article.title, article.url, article.published) == (
        "Clashes in Goma", "https://example.org/a", "2024-05-02"
    )  # fmt: skip
    assert article.meta == {
        "publish_date": "2024-05-02", "authors": ["A. Writer"], "keywords": ["Goma", "M23"]
    }  # fmt: skip


def test_news_pleases_and_newsapis_records_are_articles_with_their_fields(store, tmp_path):
    """news-please's JSON ("text": null, "maintext", "date_publish") was refused: 'record has
    no "text" string'; NewsAPI's "source" object refused the record whole."""
    news_please = {
        "title": "Clashes in Goma",
        "text": None,
        "maintext": "Fighting went on near Goma on Friday.",
        "date_publish": "2024-05-02 00:00:00",
        "source_domain": "example.org",
        "url": "https://example.org/a",
    }
    newsapi = {
        "source": {"id": "reuters", "name": "Reuters"},
        "title": "Shelling in Idlib",
        "content": "Shelling hit Idlib on Monday.",
        "publishedAt": "2024-03-12T08:00:00Z",
    }
    path = tmp_path / "scraped.jsonl"
    path.write_text(f"{json.dumps(news_please)}\n{json.dumps(newsapi)}\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.texts_from == {"maintext": 1, "content": 1}
    first, second = store.iter_articles()
    assert (first.text, first.published) == (news_please["maintext"], "2024-05-02 00:00:00")
    assert "maintext" not in first.meta and first.meta["source_domain"] == "example.org"
    assert first.source == "example.org"  # (it had none)
    assert (second.text, second.source) == (newsapi["content"], "Reuters")


def test_a_news_api_response_saved_whole_gives_its_articles(store, tmp_path):
    """NewsAPI's response as the API returns it was 'record has no "text" string'."""
    response = {
        "status": "ok",
        "totalResults": 2,
        "articles": [
            {"source": {"id": None, "name": "AFP"}, "title": "A", "content": "Calm in Gao."},
            {"source": {"id": None, "name": "BBC"}, "title": "B", "content": ""},
        ],
    }
    path = tmp_path / "everything.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    documents = list(detect_format(path).read(path))
    assert documents[0].article.text == "Calm in Gao." and documents[0].article.source == "AFP"
    assert str(documents[1].error).endswith('(articles 2): record has an empty "content"')


@pytest.mark.parametrize("format_name", ["jsonl", "doccano"])
def test_a_scrapers_own_article_id_is_kept(store, tmp_path, format_name):
    """ "article_id": "AFP-123" was dropped without a word, taken for the id this program's
    exports write (a number: that one is still left out)."""
    path = tmp_path / "scraped.jsonl"
    path.write_text(
        json.dumps({"text": "Fighting near Goma.", "article_id": "AFP-123", "label": []})
        + "\n"
        + json.dumps({"text": "Fighting near Bukavu.", "meta": {"article_id": 17}})
        + "\n",
        encoding="utf-8",
    )
    import_paths(store, [path], format_name=format_name)
    assert [a.meta for a in store.iter_articles()] == [{"article_id": "AFP-123"}, {}]
    # and it comes back from each export (the project's id written over it lost it; beside
    # it, it came back with "fields given twice")
    for out_format, name in (
        ("jsonl", "out.jsonl"),
        ("doccano", "d.jsonl"),
        ("labelstudio", "l.json"),
    ):
        export_project(store, tmp_path / name, out_format, status="all")
        with Store(tmp_path / f"back-{out_format}.db") as back:
            report = import_paths(back, [tmp_path / name], format_name=out_format)
            assert [a.meta for a in back.iter_articles()] == [{"article_id": "AFP-123"}, {}]
            assert not report.not_held, out_format


@pytest.mark.parametrize(
    ("given", "published"),
    [
        (1714636800, "2024-05-02T08:00:00Z"),  # a Unix time in seconds (NewsAPI-like scrapers)
        (1714636800000, "2024-05-02T08:00:00Z"),  # in milliseconds (JavaScript's Date)
        (2024, "2024"),  # a year is not a Unix time
        ("2024-05-02", "2024-05-02"),
    ],
)
def test_a_numeric_published_date_is_read_as_a_unix_time(store, tmp_path, given, published):
    """A scraper's numeric date was stored as the number ("1714636800"), and the faction
    linker, which reads the article's date from its first ten characters, got none."""
    record = {"text": "Fighting went on near Goma on Friday.", "publish_date": given}
    path = tmp_path / "scraped.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    import_paths(store, [path])
    (article,) = store.iter_articles()
    assert article.published == published
    assert article.meta == {"publish_date": given}  # the scraper's own value, as it was


@pytest.mark.parametrize("format_name", ["jsonl", "doccano"])
def test_a_field_given_at_the_top_and_in_meta_otherwise_keeps_meta_and_counts_the_other(
    store, tmp_path, format_name
):
    """ "source": "Reuters" beside "meta": {"source": "wire-feed-7"} lost the feed, and a
    top-level "id": "news-0001" beside "meta": {"id": 5} lost the record's id, unsaid."""
    record = {
        "text": "Fighting went on near Goma on Friday.",
        "source": "Reuters",
        "id": "news-0001",
        "meta": {"source": "wire-feed-7", "id": 5},
    }
    if format_name == "doccano":
        record["label"] = []
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = import_paths(store, [path], format_name=format_name)
    (article,) = store.iter_articles()
    assert article.source == "Reuters" and article.meta["source"] == "wire-feed-7"
    assert article.meta["id"] == 5
    # (doccano's own "id" is the record's number in doccano, not the article's)
    assert report.not_held[
        "fields given twice, at the top and in meta, otherwise (meta's kept)"
    ] == (1 if format_name == "jsonl" else 0)


def test_meta_holding_a_field_otherwise_goes_out_and_comes_back_with_both(store, tmp_path):
    """The JSON Lines export wrote the column over meta's own source: "wire-feed-7" was
    gone from the file, and imported back only "Reuters" remained."""
    from annotator.formats.exporter import export_project
    from annotator.storage import Store

    record = {
        "text": "Shelling in Aleppo today.",
        "source": "Reuters",
        "meta": {"source": "wire-feed-7"},
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    import_paths(store, [path])
    export_project(store, tmp_path / "out.jsonl", "jsonl", status="all")
    (task,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert task["source"] == "Reuters" and task["meta"]["source"] == "wire-feed-7"
    with Store(tmp_path / "back.db") as back:
        import_paths(back, [tmp_path / "out.jsonl"])
        (article,) = back.iter_articles()
        assert article.source == "Reuters" and article.meta["source"] == "wire-feed-7"


def test_a_record_of_a_text_held_fills_in_the_fields_its_article_lacks(store, tmp_path):
    """A table of texts, then the same texts with titles and sources: "6 duplicates
    skipped", the titles empty, and no way to add them but one F2 at a time."""
    bare, full = tmp_path / "bare.jsonl", tmp_path / "full.jsonl"
    bare.write_text(json.dumps({"text": "Clashes in Gao.", "source": "AFP"}) + "\n")
    full.write_text(
        json.dumps({"text": "Clashes in Gao.", "title": "Gao", "source": "Reuters",
                    "url": "https://x.org/gao"}) + "\n"
    )  # fmt: skip
    import_paths(store, [bare])
    report = import_paths(store, [full])
    assert report.duplicates == 1 and report.filled == 1
    assert any(line.startswith("1 article the project held given") for line in
               report.summary_lines())  # fmt: skip
    (article,) = store.iter_articles()
    # what it lacked is filled in, what it had stays
    assert (article.title, article.source, article.url) == ("Gao", "AFP", "https://x.org/gao")
    assert [e["action"] for e in store.events() if e["article_id"] == article.id] == ["set_title"]
    assert import_paths(store, [full]).filled == 0  # again: nothing written
