"""spaCy's training data as JSON (v2's pairs and records) is read with code-point offsets, and
told from doccano's intent projects, whose ``entities`` lists count UTF-16 units."""

from __future__ import annotations

import json

import pytest

from annotator.formats import FormatError, detect_format
from annotator.formats.importer import import_paths

TEXT = "🔥 Houthi rebels fired a missile at Marib."
ENTITIES = [[2, 15, "FACTION"], [35, 40, "LOCATION"]]  # code points, as Python counts


def spans_read(store, path, annotator="ana"):
    report = import_paths(store, [path], annotator=annotator)
    (article_id,) = store.article_ids()
    text = store.article(article_id).text
    return report, [(s.label, text[s.start : s.end]) for s in store.spans(article_id, annotator)]


EXPECTED = [("FACTION", "Houthi rebels"), ("LOCATION", "Marib")]


def test_records_of_text_and_entity_lists_count_code_points(store, tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps({"text": TEXT, "entities": ENTITIES}) + "\n", encoding="utf-8")
    assert detect_format(path).name == "spacy-json"
    # (read as doccano's UTF-16 units: ' Houthi rebel' and ' Mari', unsaid)
    assert spans_read(store, path)[1] == EXPECTED


PAIR = [TEXT, {"entities": ENTITIES}]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pairs.jsonl", json.dumps(PAIR) + "\n" + json.dumps(PAIR) + "\n"),  # (a line each)
        ("train.json", json.dumps([PAIR])),
    ],
)
def test_spacy_v2_pairs_are_read_a_line_or_an_array(store, tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert spans_read(store, path)[1] == EXPECTED  # (refused: "expected a JSON object")


#: ner-annotator's export: JavaScript's offsets, UTF-16 units (the emoji counts two).
NER_ANNOTATOR = {
    "classes": ["FACTION", "LOCATION"],
    "annotations": [[TEXT, {"entities": [[3, 16, "FACTION"], [36, 41, "LOCATION"]]}]],
}


def test_ner_annotators_export_counts_utf16_units(store, tmp_path):
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps(NER_ANNOTATOR, ensure_ascii=False), encoding="utf-8")
    assert detect_format(path).name == "spacy-json"
    # (read as code points: 'outhi rebels ' and 'arib.', unsaid)
    assert spans_read(store, path)[1] == EXPECTED


def test_ner_annotators_offsets_inside_an_emoji_are_refused(store, tmp_path):
    split = {"classes": ["X"], "annotations": [[TEXT, {"entities": [[1, 16, "FACTION"]]}]]}
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps(split), encoding="utf-8")
    with pytest.raises(FormatError, match="splits an emoji"):
        import_paths(store, [path])


def test_what_spacy_v2_annotates_beside_entities_is_counted_not_held(store, tmp_path):
    pair = [TEXT, {"entities": ENTITIES, "cats": {"ATTACK": 1.0}, "words": TEXT.split()}]
    path = tmp_path / "train.json"
    path.write_text(json.dumps([pair]), encoding="utf-8")
    report, spans = spans_read(store, path)
    assert spans == EXPECTED and report.not_held == {"spaCy v2 annotations 'cats'": 1}


def test_doccano_intent_records_beside_a_cats_list_stay_doccano(tmp_path):
    path = tmp_path / "intent.jsonl"
    rows = [{"text": TEXT, "entities": [[3, 16, "FACTION"]], "cats": ["attack"]}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert detect_format(path).name == "doccano"


def test_biluo_tags_for_entities_are_refused_with_what_to_give(store, tmp_path):
    path = tmp_path / "train.json"
    path.write_text(json.dumps([[TEXT, {"entities": ["O", "B-FACTION"]}]]), encoding="utf-8")
    with pytest.raises(FormatError, match="is a BILUO tag .* give character offsets"):
        import_paths(store, [path])


def test_spacy_doc_to_json_ents_are_the_spans_and_its_span_groups_are_counted(store, tmp_path):
    spacy = pytest.importorskip("spacy")
    doc = spacy.blank("en")(TEXT)
    doc.ents = [doc.char_span(2, 15, "FACTION"), doc.char_span(35, 40, "LOCATION")]
    doc.spans["sc"] = [doc.char_span(16, 40, "CLAIM")]
    doc.cats = {"ATTACK": 1.0}
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(doc.to_json()) + "\n", encoding="utf-8")
    assert detect_format(path).name == "spacy-json"
    report, spans = spans_read(store, path)
    assert spans == EXPECTED  # (0 spans, the ents stored as metadata, unsaid)
    assert report.not_held == {
        "spaCy span group 'sc' spans (doc.spans)": 1,
        "spaCy categories (cats)": 1,
    }
    (article_id,) = store.article_ids()
    assert store.article(article_id).meta == {}  # tokens are the text's, not its metadata


@pytest.mark.parametrize("where", ["after", "before"])
def test_sentences_skipped_in_ner_annotator_are_passed_over_and_counted(store, tmp_path, where):
    # ner-annotator writes null for a sentence skipped (its issues #84, #103): the file was
    # refused, 'expected {"text", "entities"} or a [text, {"entities"}] pair'.
    pairs = NER_ANNOTATOR["annotations"]
    skipped = {
        **NER_ANNOTATOR,
        "annotations": [*pairs, None] if where == "after" else [None, *pairs],
    }
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps(skipped), encoding="utf-8")
    assert detect_format(path).name == "spacy-json"
    report, spans = spans_read(store, path)
    assert spans == EXPECTED
    assert "1 sentence skipped in ner-annotator, not imported" in "\n".join(report.summary_lines())


def test_an_export_of_sentences_all_skipped_is_refused_saying_so(store, tmp_path):
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps({"classes": ["FACTION"], "annotations": [None]}), encoding="utf-8")
    with pytest.raises(FormatError, match="every sentence of ner-annotator's export is null"):
        import_paths(store, [path])
