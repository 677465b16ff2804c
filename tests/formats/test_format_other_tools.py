"""Files as other tools write them, in shapes a tester found misread: doccano 1.x exports and
``data`` records, JSON Lines whose first line is broken, Label Studio tasks with two texts
or a ground truth, brat events without an ``annotation.conf``, CoNLL tokens with spaces,
and a file imported again over an annotator's edits. Fixtures are small copies of the
shapes of the real files (doccano's ``download_sequence_labeling.jsonl``, brat's
BioNLP-ST 2011 EPI example)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from annotator.core.model import GOLD
from annotator.formats import FormatError, detect_format
from annotator.formats.importer import import_paths
from annotator.formats.prodigy import ENTITIES_KEPT
from annotator.storage import Store

TEXT = "Shelling hit Aleppo on Tuesday, residents said."


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def lines(*records: dict) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def stored(store: Store, annotator: str) -> dict[str, set[tuple[str, str]]]:
    """Each article's text -> {(label, text of the span)} of the annotator's spans."""
    return {
        a.text: {(s.label, s.text(a.text)) for s in store.spans(a.id, annotator)}
        for a in store.iter_articles()
    }


# -- 1. doccano 1.x exports -----------------------------------------------------------------


def doccano_1x(text: str, start: int, end: int, **label: object) -> dict:
    """A record as doccano 1.x's download writes it (``download_sequence_labeling.jsonl``)."""
    annotation = {"id": 1, **label, "start_offset": start, "end_offset": end, "user": 1}
    return {"id": 1, "text": text, "annotations": [annotation], "meta": {},
            "annotation_approver": "supervisor"}  # fmt: skip


def test_a_doccano_1x_export_is_read_as_doccano_with_its_label_names_and_users(store, tmp_path):
    path = write(
        tmp_path / "download.jsonl",
        lines(
            doccano_1x(TEXT, 13, 19, label=2, label_name="LOCATION", user_name="user1"),
            doccano_1x("Rebels took Kidal.", 12, 17, label=2, label_name="LOCATION"),
        ),
    )
    assert detect_format(path).name == "doccano"
    report = import_paths(store, [path])
    assert stored(store, "user1") == {TEXT: {("LOCATION", "Aleppo")}, "Rebels took Kidal.": set()}
    assert stored(store, "doccano-user-1")["Rebels took Kidal."] == {("LOCATION", "Kidal")}
    assert report.spans == 2


def test_doccano_1x_label_ids_without_their_names_are_refused(store, tmp_path):
    path = write(tmp_path / "ids.jsonl", lines(doccano_1x(TEXT, 13, 19, label=2)))
    assert detect_format(path).name == "doccano"
    with pytest.raises(FormatError, match=r"ids\.jsonl:1: annotations 1's label is an id \(2\)"):
        import_paths(store, [path])
    assert store.article_ids() == []


def test_a_label_studio_annotation_without_result_is_refused_not_an_empty_done_one(store, tmp_path):
    task = {"data": {"text": TEXT}, "annotations": [{"id": 1, "completed_by": 1}]}
    path = write(tmp_path / "tasks.json", json.dumps([task]))
    with pytest.raises(FormatError, match=r'annotation 1 has no "result"'):
        import_paths(store, [path])
    doccano_items = write(tmp_path / "d.json", lines(doccano_1x(TEXT, 13, 19, label=2)))
    with pytest.raises(FormatError, match="give --format doccano"):
        import_paths(store, [doccano_items], format_name="labelstudio")


def test_a_news_record_with_entities_of_its_own_shape_is_imported_the_field_kept(store, tmp_path):
    """A corpus's own "entities" (GUM's: start, end, etype) were taken for doccano's: the
    import said to give --format doccano, which then refused them; nothing could be read."""
    entities = [{"start": 13, "end": 19, "text": "Aleppo", "etype": "place"}]
    path = write(
        tmp_path / "news.jsonl",
        lines({"text": TEXT, "title": "Aleppo", "entities": entities})
        + lines({"text": "Rebels took Kidal.", "entities": []}),
    )
    report = import_paths(store, [path])
    assert report.added == 2
    first = store.article(store.article_ids()[0])
    assert first.text == TEXT and first.meta["entities"] == entities
    assert report.not_held[ENTITIES_KEPT] == 1  # said, not dropped unsaid
    # Labelled in doccano, such a record comes back with doccano's labels beside them.
    labelled = write(
        tmp_path / "doccano.jsonl",
        lines({"id": 1, "text": TEXT, "label": [[13, 19, "LOC"]], "entities": entities}),
    )
    import_paths(store, [labelled], annotator="dee")
    assert stored(store, "dee")[TEXT] == {("LOC", "Aleppo")}


# -- 2. doccano's text under "data" ---------------------------------------------------------


def test_a_doccano_record_with_its_text_under_data_is_detected_as_doccano(store, tmp_path):
    path = write(
        tmp_path / "june.jsonl", lines({"id": 41, "data": TEXT, "label": [[13, 19, "LOC"]]})
    )
    assert detect_format(path).name == "doccano"
    import_paths(store, [path])
    assert stored(store, "imported") == {TEXT: {("LOC", "Aleppo")}}


# -- 3. JSON Lines with a broken first line -------------------------------------------------


def test_a_json_lines_file_whose_first_line_is_broken_imports_the_rest(store, tmp_path):
    good = [{"text": TEXT, "label": [[13, 19, "LOCATION"]]}, {"text": "Rebels took Kidal."}]
    path = write(tmp_path / "first.jsonl", '{"text": "broken, "label": []}\n' + lines(*good))
    assert detect_format(path).name == "doccano"
    with pytest.raises(FormatError, match=r"first\.jsonl:1: not valid JSON"):
        import_paths(store, [path])
    report = import_paths(store, [path], skip_invalid=True)
    assert report.added == 2 and report.skipped == 1
    assert report.skipped_listed[0].startswith(f"{path}:1: not valid JSON")


def test_json_lines_whose_first_two_lines_are_broken_are_still_json_lines(store, tmp_path):
    good = [{"text": f"Rebels took town {n}."} for n in range(3)]
    path = write(tmp_path / "two.jsonl", '{"text": "a\n{"text": "b\n' + lines(*good))
    report = import_paths(store, [path], skip_invalid=True)
    assert report.added == 3 and report.skipped == 2


def test_a_record_cut_short_on_its_one_line_is_reported_at_line_1(store, tmp_path):
    path = write(tmp_path / "cut.jsonl", '{"text": "' + "x" * 100_000 + '", "label"\n')
    with pytest.raises(FormatError, match=r"cut\.jsonl:1: not valid JSON .*cut short"):
        import_paths(store, [path])


def test_bad_elements_of_a_json_array_on_one_line_are_named_by_their_number(store, tmp_path):
    """Every element of an array written on one line is at line 1: the number tells them
    apart, in Prodigy's and doccano's readers alike."""
    records = [
        {"text": TEXT, "spans": [{"start": 13, "end": 19, "label": "LOCATION"}]},
        {"text": "Bad one", "spans": [{"start": 50, "end": 60, "label": "LOCATION"}]},
        {"text": 5},
    ]
    path = write(tmp_path / "array.json", json.dumps(records))
    report = import_paths(store, [path], skip_invalid=True)
    assert report.added == 1 and report.skipped == 2
    assert report.skipped_listed[0].startswith(f"{path}:1 (element 2): span 1 (50-60)")
    assert report.skipped_listed[1].startswith(f"{path}:1 (element 3): ")
    doccano = [{"text": "Rebels took Kidal."}, {"text": ""}]
    path = write(tmp_path / "doccano.json", json.dumps(doccano))
    other = Store(tmp_path / "other.db")
    report = import_paths(other, [path], format_name="doccano", skip_invalid=True)
    assert report.skipped_listed == [f'{path}:1 (element 2): record has no "text"']


def test_one_object_over_several_lines_is_still_one_record(store, tmp_path):
    record = {"text": TEXT, "label": [[13, 19, "LOCATION"]]}
    path = write(tmp_path / "pretty.json", json.dumps(record, indent=2))
    import_paths(store, [path])
    assert stored(store, "imported") == {TEXT: {("LOCATION", "Aleppo")}}
    broken = write(tmp_path / "broken.json", json.dumps(record, indent=2)[:-3])
    with pytest.raises(FormatError, match=r"broken\.json:\d+: not valid JSON"):
        import_paths(store, [broken], skip_invalid=False)


# -- 4. importing again over an annotator's edits ------------------------------------------


def test_importing_again_says_how_many_annotations_it_replaced_and_changed(store, tmp_path):
    records = [
        {"text": TEXT, "label": [[13, 19, "LOCATION"]]},
        {"text": "Rebels took Kidal.", "label": [[12, 17, "LOCATION"]]},
    ]
    path = write(tmp_path / "a.jsonl", lines(*records))
    first = import_paths(store, [path])
    assert first.replaced == 0 and not any("replaced" in line for line in first.summary_lines())
    again = import_paths(store, [path])
    assert (again.replaced, again.changed) == (2, 0)
    article = next(a for a in store.iter_articles() if a.text == TEXT)
    (span,) = store.spans(article.id, "imported")
    store.delete_span(span.id)  # a correction made between the imports
    third = import_paths(store, [path])
    assert (third.replaced, third.changed) == (2, 1)
    assert (
        "2 annotations already in the project (article × annotator) replaced by the files' "
        "versions: 1 differed from the project's (edits made there are gone), 1 was the same"
    ) in third.summary_lines()
    assert stored(store, "imported")[TEXT] == {("LOCATION", "Aleppo")}  # replaced, as before


# -- 5. Label Studio tasks with two texts ---------------------------------------------------


def two_texts(with_text: bool = True) -> dict:
    title, body = "Rebels seize Idlib", "Fighting spread from Idlib to Aleppo on Monday."

    def result(to_name: str, start: int, end: int, piece: str) -> dict:
        value: dict = {"start": start, "end": end, "labels": ["LOCATION"]}
        if with_text:
            value["text"] = piece
        return {"id": piece, "type": "labels", "from_name": f"lbl_{to_name}",
                "to_name": to_name, "value": value}  # fmt: skip

    results = [result("title", 13, 18, "Idlib"), result("body", 30, 36, "Aleppo")]
    return {"id": 1, "data": {"title": title, "body": body},
            "annotations": [{"completed_by": 1, "result": results}]}  # fmt: skip


@pytest.mark.parametrize("with_text", [True, False])
def test_label_studio_results_on_a_tasks_other_text_are_not_held(store, tmp_path, with_text):
    path = write(tmp_path / "tasks.json", json.dumps([two_texts(with_text)]))
    report = import_paths(store, [path])
    (article,) = store.iter_articles()
    assert article.text.startswith("Fighting") and article.title == "Rebels seize Idlib"
    assert stored(store, "labelstudio-user-1") == {article.text: {("LOCATION", "Aleppo")}}
    assert report.not_held == {"Label Studio labels results on 'title', not the text imported": 1}


def test_a_text_object_named_apart_from_its_data_key_still_takes_its_results(store, tmp_path):
    task = two_texts()
    task["annotations"][0]["result"] = task["annotations"][0]["result"][1:]
    task["annotations"][0]["result"][0]["to_name"] = "text"  # <Text name="text" value="$body">
    import_paths(store, [write(tmp_path / "tasks.json", json.dumps([task]))])
    (article,) = store.iter_articles()
    assert stored(store, "labelstudio-user-1") == {article.text: {("LOCATION", "Aleppo")}}


# -- 7. Label Studio ground truth -----------------------------------------------------------


def ls_annotation(who: int, ground_truth: bool, start: int = 13, end: int = 19) -> dict:
    value = {"start": start, "end": end, "text": TEXT[start:end], "labels": ["LOCATION"]}
    return {"completed_by": who, "ground_truth": ground_truth,
            "result": [{"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
                        "value": value}]}  # fmt: skip


def test_a_label_studio_ground_truth_is_imported_as_the_gold_version(store, tmp_path):
    task = {"id": 7, "data": {"text": TEXT},
            "annotations": [ls_annotation(3, True), ls_annotation(4, False, 0, 8)]}  # fmt: skip
    path = write(tmp_path / "gt.json", json.dumps([task]))
    report = import_paths(store, [path])
    assert stored(store, GOLD) == {TEXT: {("LOCATION", "Aleppo")}}
    # still the work of its annotator, too (gold is left out of agreement)
    assert stored(store, "labelstudio-user-3") == {TEXT: {("LOCATION", "Aleppo")}}
    assert stored(store, "labelstudio-user-4") == {TEXT: {("LOCATION", "Shelling")}}
    (article_id,) = store.article_ids()
    assert store.status(article_id, GOLD).status == "done"
    assert report.gold == 1
    assert any("imported as the gold version (annotator gold)" in line
               for line in report.summary_lines())  # fmt: skip


def test_a_ground_truth_stays_gold_whatever_the_annotator_given(store, tmp_path):
    task = {"data": {"text": TEXT}, "meta": {"annotator": "gold"},
            "annotations": [{**ls_annotation(3, True), "completed_by": None}]}  # fmt: skip
    import_paths(store, [write(tmp_path / "ours.json", json.dumps([task]))], annotator="ana")
    assert stored(store, GOLD) == {TEXT: {("LOCATION", "Aleppo")}}
    assert stored(store, "ana") == {TEXT: set()}


def test_two_ground_truths_that_differ_are_refused(store, tmp_path):
    task = {"data": {"text": TEXT},
            "annotations": [ls_annotation(3, True), ls_annotation(4, True, 0, 8)]}  # fmt: skip
    path = write(tmp_path / "gt.json", json.dumps([task]))
    with pytest.raises(FormatError, match="annotation 1 and annotation 2 are both ground_truth"):
        import_paths(store, [path])
    same = {"data": {"text": TEXT}, "annotations": [ls_annotation(3, True), ls_annotation(4, True)]}
    import_paths(store, [write(tmp_path / "same.json", json.dumps([same]))])
    assert stored(store, GOLD) == {TEXT: {("LOCATION", "Aleppo")}}


# -- 6. brat event triggers without an annotation.conf -------------------------------------


def test_brat_event_triggers_are_not_entities_without_an_annotation_conf(store, tmp_path):
    text = "Hydroxylation of COL1A2 was seen."
    write(tmp_path / "PMID-1.txt", text)
    ann = "T1\tProtein 17 23\tCOL1A2\nT12\tHydroxylation 0 13\tHydroxylation\n"
    ann += "E1\tHydroxylation:T12 Theme:T1\n"
    path = write(tmp_path / "PMID-1.ann", ann)
    report = import_paths(store, [path])
    assert stored(store, "imported") == {text: {("Protein", "COL1A2")}}
    assert report.not_held == {"brat event triggers": 1, "brat events (E)": 1}


# -- 8. CoNLL tokens holding a space --------------------------------------------------------


def test_tab_separated_conll_keeps_tokens_that_hold_a_space(store, tmp_path):
    conll = "-DOCSTART-\tO\n\nFighting\tO\nin\tO\nNew York\tB-LOC\ncost\tO\n10\u00a0000\tO\n"
    import_paths(store, [write(tmp_path / "nbsp.conll", conll)])
    (article,) = store.iter_articles()
    assert article.text == "Fighting in New York cost 10\u00a0000"
    assert stored(store, "imported") == {article.text: {("LOC", "New York")}}


def test_space_separated_conll_is_read_as_before(store, tmp_path):
    import_paths(store, [write(tmp_path / "a.conll", "Rebels O\ntook O\nKidal B-LOC\n")])
    assert stored(store, "imported") == {"Rebels took Kidal": {("LOC", "Kidal")}}


# -- minor: files that are not what they seem -----------------------------------------------


def test_utf16_and_archives_are_refused_with_what_to_do(store, tmp_path):
    utf16 = write(tmp_path / "u.jsonl", lines({"text": TEXT}).encode("utf-16"))
    with pytest.raises(FormatError, match="looks like UTF-16 text: save it as UTF-8"):
        import_paths(store, [utf16])
    utf16_conll = write(tmp_path / "u.conll", "Kidal B-LOC\n".encode("utf-16-le"))
    with pytest.raises(FormatError, match="looks like UTF-16 text"):
        import_paths(store, [utf16_conll])
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("a.jsonl", lines({"text": TEXT}))
    with pytest.raises(FormatError, match="archives are not read; unpack it first"):
        import_paths(store, [archive])
    with pytest.raises(FormatError, match="a zip archive: archives are not read"):
        import_paths(store, [archive], format_name="doccano")


def test_decisions_imported_again_change_nothing_and_restore_a_span_deleted_since(store, tmp_path):
    decisions = [
        {"text": TEXT, "_view_id": "ner", "answer": answer,
         "spans": [{"start": start, "end": end, "label": "LOCATION"}]}
        for answer, start, end in (("accept", 13, 19), ("reject", 0, 8), ("accept", 23, 30))
    ]  # fmt: skip
    path = write(tmp_path / "teach.jsonl", lines(*decisions))
    import_paths(store, [path])
    (article_id,) = store.article_ids()
    before = [s.key for s in store.spans(article_id, "imported")]
    again = import_paths(store, [path])
    assert (again.replaced, again.spans) == (0, 0)  # decisions add: nothing new
    assert [s.key for s in store.spans(article_id, "imported")] == before
    store.delete_span(store.spans(article_id, "imported")[0].id)
    import_paths(store, [path])  # the accept stands again
    assert [s.key for s in store.spans(article_id, "imported")] == before


def test_records_with_no_label_are_imported_as_finished_and_the_summary_says_so(tmp_path):
    """doccano exports every example, labelled or not, with ``label: []``: the same as an
    article an annotator found without entities. The import cannot tell them apart; it says
    how many there are, and what to do if they were not annotated."""
    path = write(
        tmp_path / "doccano.jsonl",
        lines(
            {"text": TEXT, "label": [[13, 19, "LOCATION"]]},
            {"text": "Nothing happened in the town.", "label": []},
        ),
    )
    with Store(tmp_path / "p.db") as store:
        report = import_paths(store, [path], format_name="doccano", annotator="ana")
        assert store.annotators_done(store.article_ids()[1]) == ["ana"]
    assert any(
        line.startswith("1 annotation with no span imported as finished: an article without")
        for line in report.summary_lines()
    )


def test_a_label_studio_tasks_other_data_fields_are_kept_with_the_article(tmp_path):
    task = {
        "data": {"text": TEXT, "title": "Aleppo", "int_field": 3, "desk": "Middle East"},
        "annotations": [{"result": [], "completed_by": 1}],
    }
    path = write(tmp_path / "tasks.json", json.dumps([task]))
    with Store(tmp_path / "p.db") as store:
        import_paths(store, [path], format_name="labelstudio")
        (article,) = store.iter_articles()
    assert article.title == "Aleppo"
    assert article.meta == {"int_field": 3, "desk": "Middle East"}
