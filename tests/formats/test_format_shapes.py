"""What each written file looks like to the tool that reads it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from annotator.core import GOLD, Article, Span
from annotator.formats.exporter import export_project
from annotator.formats.labelstudio import labeling_config
from annotator.storage import Store

from .conftest import locate

TEXT = "Rebels 🇸🇾 said  they took Idlib.\n\nThe army denied it."


def one_article(store: Store, annotator: str = "alice") -> int:
    (article_id,) = store.add_articles([Article(TEXT, title="Idlib", url="http://x")]).ids
    spans = [
        Span(*locate(TEXT, "Idlib"), "LOCATION"),
        Span(*locate(TEXT, "they took Idlib"), "CLAIM"),
        Span(*locate(TEXT, "The army"), "FACTION"),
    ]
    store.replace_spans(article_id, annotator, spans)
    store.set_status(article_id, annotator, "done")
    return article_id


def test_jsonl_is_a_prodigy_task_whose_tokens_rebuild_the_text(store, tmp_path):
    article_id = one_article(store)
    export_project(store, tmp_path / "out.jsonl", "jsonl")
    (task,) = [
        json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    ]
    assert set(task) == {"text", "tokens", "spans", "meta", "_annotator_id", "answer"}
    assert (task["answer"], task["_annotator_id"]) == ("accept", "alice")
    assert task["meta"] == {"title": "Idlib", "url": "http://x", "article_id": article_id}
    tokens = task["tokens"]
    assert "".join(t["text"] + " " * t["ws"] for t in tokens) == TEXT
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    assert all(TEXT[t["start"] : t["end"]] == t["text"] for t in tokens)
    for span in task["spans"]:  # token_end is inclusive, as in Prodigy
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    claim = next(s for s in task["spans"] if s["label"] == "CLAIM")
    assert [t["text"] for t in tokens[claim["token_start"] : claim["token_end"] + 1]] == [
        "they",
        "took",
        "Idlib",
    ]


def test_a_flag_or_an_emoji_is_one_token_in_every_export_with_tokens(store, tmp_path):
    """spaCy cuts a flag in two and an emoji joined by ZWJ in three: CoNLL had a line of
    half a flag (read back, "🇺 🇦": two letters, no flag), and so had Prodigy's tokens."""
    from annotator.formats.docbin import read_docbin

    text = "Flags 🇺🇦 and 🏳️\u200d🌈 near Kyiv, 👨\u200d👩\u200d👧 too."
    (article_id,) = store.add_articles([Article(text)]).ids
    store.replace_spans(article_id, "ana", [Span(*locate(text, "Kyiv"), "LOCATION")])
    store.set_status(article_id, "ana", "done")
    whole = [
        "Flags",
        "🇺🇦",
        "and",
        "🏳️\u200d🌈",
        "near",
        "Kyiv",
        ",",
        "👨\u200d👩\u200d👧",
        "too",
        ".",
    ]
    export_project(store, tmp_path / "out.jsonl", "jsonl")
    (task,) = [
        json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    ]
    assert [t["text"] for t in task["tokens"]] == whole
    assert "".join(t["text"] + " " * t["ws"] for t in task["tokens"]) == text
    export_project(store, tmp_path / "out.conll", "conll")
    lines = (tmp_path / "out.conll").read_text("utf-8").split("\n")
    assert [line.split(" ")[0] for line in lines if line.endswith(("O", "LOCATION"))][1:] == whole
    export_project(store, tmp_path / "out.spacy", "spacy")
    (doc,) = read_docbin(tmp_path / "out.spacy")
    assert [token.text for token in doc] == whole and doc.text == text
    assert [(e.text, e.label_) for e in doc.ents] == [("Kyiv", "LOCATION")]


def test_doccano_counts_offsets_in_utf16_units(store, tmp_path):
    one_article(store)
    export_project(store, tmp_path / "out.jsonl", "doccano")
    record = json.loads((tmp_path / "out.jsonl").read_text("utf-8"))
    units = TEXT.encode("utf-16-le")
    found = {units[2 * s : 2 * e].decode("utf-16-le"): label for s, e, label in record["label"]}
    assert found == {"Idlib": "LOCATION", "they took Idlib": "CLAIM", "The army": "FACTION"}
    assert record["annotator"] == "alice" and record["title"] == "Idlib"


def test_labelstudio_tasks_hold_labels_results_and_mark_gold(store, tmp_path):
    one_article(store, annotator=GOLD)
    export_project(store, tmp_path / "tasks.json", "labelstudio", gold=True)
    (task,) = json.loads((tmp_path / "tasks.json").read_text("utf-8"))
    assert task["data"]["text"] == TEXT
    (annotation,) = task["annotations"]
    assert annotation["ground_truth"] is True
    # the claim's attributes are per-region choices on its region (the defaults here)
    claim_values = [r for r in annotation["result"] if r["type"] == "choices"]
    assert {(r["from_name"], r["value"]["choices"][0]) for r in claim_values} == {
        ("polarity", "asserted"),
        ("hedged", "no"),
        ("quote", "no"),
    }
    results = [r for r in annotation["result"] if r["type"] != "choices"]
    assert {r["type"] for r in results} == {"labels"}
    assert {(r["from_name"], r["to_name"]) for r in results} == {("label", "text")}
    for result in results:  # code points, and the text Label Studio shows
        value = result["value"]
        assert TEXT[value["start"] : value["end"]] == value["text"]
    assert len({r["id"] for r in results}) == len(results)
    claim_region = next(r["id"] for r in results if r["value"]["labels"] == ["CLAIM"])
    assert {r["id"] for r in claim_values} == {claim_region}


def test_labeling_config_names_every_label_for_the_exported_tasks(store):
    view = ET.fromstring(labeling_config(store.labels()))
    labels = view.find("Labels")
    assert labels is not None and labels.get("name") == "label" and labels.get("toName") == "text"
    assert [label.get("value") for label in labels] == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]
    assert view.find("Text").get("value") == "$text"


def test_brat_collection_has_an_annotation_conf_allowing_overlaps(store, tmp_path):
    article_id = one_article(store)
    export_project(store, tmp_path / "brat", "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    assert conf.startswith("[entities]\nLOCATION\nFACTION\nCLAIM\n")
    assert "<OVL-TYPE>:<ANY>" in conf
    txt = (tmp_path / "brat" / f"article-{article_id:07d}.txt").read_text("utf-8")
    assert txt == TEXT


def test_brat_lines_survive_every_line_break_python_knows(store, tmp_path):
    """brat reads an .ann with Python's codecs, whose lines end wherever ``str.splitlines``
    ends one, and checks a T line's text against its fragments joined by a space."""
    from annotator.formats.brat_export import LINE_BREAKS
    from annotator.formats.importer import import_paths

    breaks = [chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) == 2]
    assert sorted(LINE_BREAKS) == breaks
    text = "Fighting in " + " and ".join(f"Idlib{c}Homs" for c in breaks) + ", they said."
    (article_id,) = store.add_articles([Article(text)]).ids
    spans = [Span(*locate(text, f"Idlib{c}Homs"), "LOCATION") for c in breaks]
    spans[0] = Span(spans[0].start, spans[0].end, "LOCATION", kb_id="geonames:170063")
    spans.append(Span(0, len(text), "CLAIM"))
    store.replace_spans(article_id, "alice", spans)
    store.set_status(article_id, "alice", "done")
    report = export_project(store, tmp_path / "brat", "brat")
    assert not report.omitted and not report.changed
    ann = (tmp_path / "brat" / f"article-{article_id:07d}.ann").read_text("utf-8")
    lines = ann.splitlines()
    assert lines == ann.split("\n")[:-1]  # brat sees the lines written, no more
    assert len([line for line in lines if line.startswith("T")]) == len(breaks) + 1
    for line in lines:
        if line.startswith("T"):
            _, kind, shown = line.split("\t")
            fragments = [map(int, f.split()) for f in kind.split(" ", 1)[1].split(";")]
            assert shown == " ".join(text[start:end] for start, end in fragments)
    assert sum(line.startswith("N") for line in lines) == 1
    with Store() as copy:
        import_paths(copy, [tmp_path / "brat"], annotator="alice")
        (article,) = copy.iter_articles()
        assert {s.key for s in copy.spans(article.id, "alice")} == {s.key for s in spans}


def test_brat_leaves_out_labels_that_are_not_brat_type_names(store, tmp_path):
    from annotator.core import Label

    text = "Rebels of the Front took Gao and Kidal, and ÉTAT forces left."
    unfit = ["#TAG", "A|B", "X:Y", "ÉTAT", "---"]
    for name in [*unfit, "ARMED_GROUP-2"]:
        store.save_label(Label(name))
    (article_id,) = store.add_articles([Article(text)]).ids
    spans = [Span(*locate(text, word), label) for word, label in [
        ("Rebels", "#TAG"), ("Front", "A|B"), ("Gao", "X:Y"), ("ÉTAT", "ÉTAT"),
        ("forces", "---"), ("Kidal", "ARMED_GROUP-2"), ("the Front", "FACTION"),
    ]]  # fmt: skip
    store.replace_spans(article_id, "alice", spans)
    store.set_status(article_id, "alice", "done")
    report = export_project(store, tmp_path / "brat", "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    entities = conf.split("[entities]\n", 1)[1].split("\n\n", 1)[0].split("\n")
    assert entities == ["LOCATION", "FACTION", "CLAIM", "SOURCE", "ARMED_GROUP-2"]
    ann = (tmp_path / "brat" / f"article-{article_id:07d}.ann").read_text("utf-8")
    assert sorted(line.split("\t")[1].split()[0] for line in ann.splitlines()) == [
        "ARMED_GROUP-2", "FACTION"
    ]  # fmt: skip
    reason = "brat type names are ASCII letters, digits, _ and - only"
    assert report.omitted == {(label, reason): 1 for label in unfit}
    assert any(
        note.startswith("brat: annotation.conf leaves out the labels #TAG, A|B, X:Y, ÉTAT, ---")
        for note in report.notes
    )


def test_brat_leaves_out_relations_and_values_whose_names_are_not_brat_type_names(store, tmp_path):
    from annotator.core.relations import AttributeType, RelationType, SpanAttribute, SpanRelation

    text = "Rebels said they took Gao, officials said."
    store.save_relation_type(RelationType("said|by", ("CLAIM",), ("FACTION",)))
    store.save_attribute_type(
        AttributeType("certainty", "CLAIM", "choice", ("low", "mid,high"), "low")
    )
    (article_id,) = store.add_articles([Article(text)]).ids
    claim, rebels = Span(*locate(text, "they took Gao"), "CLAIM"), Span(0, 6, "FACTION")
    officials = Span(*locate(text, "officials"), "SOURCE")
    store.replace_annotations(
        article_id,
        "alice",
        [claim, rebels, officials],
        [SpanRelation(claim, rebels, "said|by"), SpanRelation(claim, officials, "source")],
        [SpanAttribute(claim, "certainty", "mid,high"), SpanAttribute(claim, "hedged", "yes")],
    )
    store.set_status(article_id, "alice", "done")
    report = export_project(store, tmp_path / "brat", "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    assert "said|by" not in conf and "certainty" not in conf
    assert "source\tArg1:CLAIM" in conf and "hedged\tArg:CLAIM" in conf
    ann = (tmp_path / "brat" / f"article-{article_id:07d}.ann").read_text("utf-8")
    kinds = sorted(line.split("\t")[1].split()[0] for line in ann.splitlines() if line[0] in "RA")
    assert kinds == ["hedged", "polarity", "source"]  # polarity: its default, a choice
    assert any(
        note.startswith(
            "brat: the relations and attribute values of the relation types said|by; the "
            "attributes certainty are"
        )
        for note in report.notes
    )
