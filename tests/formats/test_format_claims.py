"""Who claims what goes out in every format that can hold it and comes back in: claim
sources (relations) and claim attributes, round-tripped, read from the other tools' own
shapes relation by relation, and counted where a format has no place for them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from annotator.core import Article, Span
from annotator.core.model import Label
from annotator.core.relations import (
    FLAG,
    AttributeType,
    RelationType,
    SpanAttribute,
    SpanRelation,
)
from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.formats.spacy_claims import register_claim_extensions
from annotator.storage import Store

from .conftest import locate

HERE = Path(__file__).parent / "thirdparty"

# (article index in TRICKY, claim text, source label, source text, source occurrence)
SOURCES = [
    (0, "it downed a drone 👨‍👩‍👧 near Saraqib", "FACTION", "Nusra Front", 0),
    (1, "إنها سيطرت على سراقب في ريف إدلب", "FACTION", "هيئة تحرير الشام", 0),
    (2, "les forces maliennes contro\u0302lent Kidal", "SOURCE", "Le maire", 0),
    (2, "l'arme\u0301e ment, et que l'arme\u0301e a dit que Kidal e\u0301tait tombe\u0301e",
     "FACTION", "CSP", 0),
]  # fmt: skip
# (article index, claim text, attribute, value): values other than the default
VALUES = [
    (0, "it downed a drone 👨‍👩‍👧 near Saraqib", "hedged", "yes"),
    (1, "إنها سيطرت على سراقب في ريف إدلب", "quote", "yes"),
    (2, "l'arme\u0301e ment, et que l'arme\u0301e a dit que Kidal e\u0301tait tombe\u0301e",
     "polarity", "denied"),
]  # fmt: skip


def span_of(text: str, piece: str, label: str, occurrence: int = 0) -> Span:
    return Span(*locate(text, piece, occurrence), label)


@pytest.fixture
def claims(tricky: Store) -> Store:
    """The tricky articles with alice's claim sources (a FACTION or a SOURCE span) and
    claim attributes."""
    articles = list(tricky.iter_articles())
    for index, article in enumerate(articles):
        spans = tricky.spans(article.id, "alice")
        relations, values = [], []
        for where, claim, label, source, occurrence in SOURCES:
            if where == index:
                child = span_of(article.text, source, label, occurrence)
                if child not in spans:
                    spans.append(child)
                relations.append(SpanRelation(span_of(article.text, claim, "CLAIM"), child))
        for where, claim, name, value in VALUES:
            if where == index:
                values.append(SpanAttribute(span_of(article.text, claim, "CLAIM"), name, value))
        tricky.replace_annotations(article.id, "alice", spans, relations, values)
    return tricky


def claim_work_by_text(store: Store, annotator: str) -> dict[str, tuple[set, set]]:
    """Per article text, the relations and stored values by span key."""
    found = {}
    for article in store.iter_articles():
        work = store.claim_work(article.id, annotator)
        found[article.text] = (
            {r.key for r in work.relations},
            {a.key for a in work.attributes},
        )
    return found


def test_the_fixture_has_sources_of_both_labels_and_every_attribute(claims):
    work = claim_work_by_text(claims, "alice")
    relations = {r for rs, _ in work.values() for r in rs}
    assert len(relations) == len(SOURCES) == 4
    assert {child[2] for _, child, _ in relations} == {"FACTION", "SOURCE"}
    assert {name for _, vs in work.values() for _, name, _ in vs} == {"hedged", "quote", "polarity"}


@pytest.mark.parametrize(
    ("format_name", "out_name"),
    [("jsonl", "out.jsonl"), ("brat", "out"), ("labelstudio", "out.json")],
)
def test_relations_and_attributes_round_trip(claims, tmp_path, format_name, out_name):
    out = tmp_path / out_name
    report = export_project(claims, out, format_name)
    assert report.relations == 4 and report.counts["relations"] == 4
    with Store() as copy:
        imported = import_paths(copy, [out], format_name=format_name, annotator="alice")
        assert claim_work_by_text(copy, "alice") == claim_work_by_text(claims, "alice")
        assert sum(imported.relations.values()) == 4 and not imported.not_held


def test_doccano_round_trips_relations_and_reports_attributes(claims, tmp_path):
    out = tmp_path / "out.jsonl"
    report = export_project(claims, out, "doccano")
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) >= {"entities", "relations"} and "label" not in first
    text, units = first["text"], first["text"].encode("utf-16-le")

    def shown(entity: dict) -> str:
        return units[2 * entity["start_offset"] : 2 * entity["end_offset"]].decode("utf-16-le")

    entities = {entity["id"]: entity for entity in first["entities"]}
    assert [
        (shown(entities[r["from_id"]]), shown(entities[r["to_id"]]), r["type"])
        for r in first["relations"]
    ] == [("it downed a drone 👨‍👩‍👧 near Saraqib", "Nusra Front", "source")]
    assert text.startswith("Government forces")
    notes = " ".join(report.notes)
    assert "doccano's relation format" in notes
    assert "attribute values of spans (effective: defaults included) are not written" in notes
    with Store() as copy:
        import_paths(copy, [out], annotator="alice")
        relations = {t: rs for t, (rs, _) in claim_work_by_text(copy, "alice").items()}
        assert relations == {t: rs for t, (rs, _) in claim_work_by_text(claims, "alice").items()}


def test_doccano_keeps_its_plain_format_when_nobody_made_a_relation(tricky, tmp_path):
    export_project(tricky, tmp_path / "out.jsonl", "doccano")
    first = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "label" in first and "relations" not in first


def test_a_plain_docbin_and_the_loader_give_the_claims_back(claims, tmp_path):
    out = tmp_path / "out.spacy"
    report = export_project(claims, out, "spacy")
    assert report.counts["relations"] == 4
    register_claim_extensions()
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    expected = claim_work_by_text(claims, "alice")
    for doc in docs:
        relations, values = expected[doc.text.replace("\r\n", "\n")]
        found = {
            ((h.start_char, h.end_char, h.label_), (c.start_char, c.end_char, c.label_), label)
            for h, c, label in doc._.relations
        }
        assert found == relations
        # the ends are the spans of doc.spans["sc"] themselves
        assert all(h in doc.spans["sc"] and c in doc.spans["sc"] for h, c, _ in doc._.relations)
        claims_of_doc = [s for s in doc.spans["sc"] if s.label_ == "CLAIM"]
        assert all(set(s._.attributes) == {"polarity", "hedged", "quote"} for s in claims_of_doc)
        stored = {
            ((s.start_char, s.end_char, s.label_), name, value)
            for s in claims_of_doc
            for name, value in s._.attributes.items()
            if value not in ("asserted", "no")  # the defaults, not stored
        }
        assert stored == values


def test_the_readme_loader_reads_the_claims_without_this_package(claims, tmp_path):
    """The loader the README shows, run as a spaCy user would paste it."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(# Claim sources and attributes.*?)```", readme, re.S)
    assert code is not None, "the README shows the loader"
    out = tmp_path / "out.spacy"
    export_project(claims, out, "spacy")
    namespace: dict = {}
    exec(code.group(1), namespace)  # noqa: S102 - the README's own example
    docs = namespace["load_claims"](out)
    sources = {
        (claim.text, source.text, label) for doc in docs for claim, source, label in doc._.relations
    }
    assert ("les forces maliennes contro\u0302lent Kidal", "Le maire", "source") in sources
    assert len(sources) == 4
    denied = [
        s.text
        for doc in docs
        for s in doc.spans["sc"]
        if s._.attributes.get("polarity") == "denied"
    ]
    assert denied == [
        "l'arme\u0301e ment, et que l'arme\u0301e a dit que Kidal e\u0301tait tombe\u0301e"
    ]


def test_conll_counts_what_it_cannot_hold(claims, tmp_path):
    report = export_project(claims, tmp_path / "out.conll", "conll")
    notes = " ".join(report.notes)
    assert "4 relations between spans (claim sources) are not written: conll has no place" in notes
    claims_count = report.attributes
    assert claims_count == 3 * sum(
        1 for a in claims.iter_articles() for s in claims.spans(a.id, "alice") if s.label == "CLAIM"
    )
    assert f"{claims_count} attribute values of spans" in notes
    assert report.to_dict()["relations"] == 4 and report.to_dict()["relations_written"] == 0


def test_a_relation_whose_span_a_format_cannot_hold_is_counted(tmp_path):
    text = "Rebels said they took Kidal."
    with Store() as store:
        (article_id,) = store.add_articles([Article(text)]).ids
        rebels = Span(0, 6, "FACTION")
        claim = Span(text.index("they"), text.index("Kidal") + 2, "CLAIM")  # "they took Kid"
        store.replace_annotations(
            article_id, "alice", [rebels, claim], [SpanRelation(claim, rebels)]
        )
        store.set_status(article_id, "alice", "done")
        report = export_project(store, tmp_path / "out.spacy", "spacy")
    assert "0 of 1 relations between spans (claim sources) written" in " ".join(report.notes)
    assert "1 not written: a span they join was not written" in " ".join(report.notes)


def claim_with_two_relations(store: Store, attribute: AttributeType) -> None:
    """One claim whose FACTION is both its source and a custom relation's end, and a value
    of ``attribute`` (a custom one) on the claim, done."""
    text = "Rebels said they took Kidal."
    store.save_relation_type(RelationType("target", ("CLAIM",), ("FACTION",)))
    store.save_attribute_type(attribute)
    (article_id,) = store.add_articles([Article(text)]).ids
    rebels, claim = Span(0, 6, "FACTION"), Span(12, 27, "CLAIM")
    store.replace_annotations(
        article_id,
        "alice",
        [rebels, claim],
        [SpanRelation(claim, rebels), SpanRelation(claim, rebels, "target")],
        [SpanAttribute(claim, attribute.name, attribute.values[0])],
    )
    store.set_status(article_id, "alice", "done")


def test_brat_writes_no_attribute_line_its_configuration_leaves_out(tmp_path):
    """A value that is not a brat type name leaves its whole attribute out of
    annotation.conf: its other values must not be written either (brat would flag every
    line), and the report gives that reason, not a span."""
    with Store() as store:
        tone = AttributeType("tone", "CLAIM", "choice", ("x|y", "z"), "z")
        claim_with_two_relations(store, tone)
        report = export_project(store, tmp_path / "out", "brat")
    ann = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.ann"))
    assert "tone" not in ann and "tone" not in (tmp_path / "out/annotation.conf").read_text()
    assert "\ttarget Arg1:" in ann and "\tsource Arg1:" in ann  # both relations, as R lines
    notes = " ".join(report.notes)
    assert "the relations and attribute values of the attributes tone are left out" in notes
    assert "not written: their types are left out (above)" in notes
    assert "a span they join" not in notes  # every span was written


def test_label_studio_puts_two_relations_of_one_pair_in_one_result(tmp_path):
    """Label Studio keeps one relation per pair of regions: both labels go in it, and the
    config lets a relation hold several."""
    with Store() as store:
        claim_with_two_relations(
            store, AttributeType("certainty", "CLAIM", "choice", ("low", "high"), "low")
        )
        export_project(store, tmp_path / "t.json", "labelstudio")
        with Store() as back:
            back.save_relation_type(RelationType("target", ("CLAIM",), ("FACTION",)))
            import_paths(back, [tmp_path / "t.json"])
            (article_id,) = back.article_ids()
            labels = {r.label for r in back.claim_work(article_id, "alice").relations}
    (task,) = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    relations = [r for r in task["annotations"][0]["result"] if r["type"] == "relation"]
    assert [sorted(r["labels"]) for r in relations] == [["source", "target"]]
    config = (tmp_path / "t.json.labeling-config.xml").read_text(encoding="utf-8")
    assert '<Relations choice="multiple">' in config
    assert labels == {"source", "target"}


def test_label_studio_leaves_out_an_attribute_named_as_its_controls_and_says_so(tmp_path):
    with Store() as store:
        claim_with_two_relations(
            store, AttributeType("label", "CLAIM", "choice", ("no", "yes"), "no")
        )
        report = export_project(store, tmp_path / "t.json", "labelstudio")
    (task,) = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    choices = [r for r in task["annotations"][0]["result"] if r["type"] == "choices"]
    assert [c["from_name"] for c in choices if c["from_name"] == "label"] == []
    notes = " ".join(report.notes)
    assert "the values of the attributes label are left out" in notes
    assert "not written: their types are left out (above)" in notes


# -- the other tools' shapes, relation by relation ----------------------------------------------


def extended_scheme(store: Store, person: str) -> None:
    """The types of the tools' example files, beside the project's own, with their labels
    (a relation type names labels of the scheme; brat's example says ``Person``, doccano's
    ``PERSON``, one label to the scheme, which ignores case)."""
    for name in (person, "ORG", "DATE"):
        store.add_label(Label(name))
    store.save_relation_type(RelationType("Family", (person,), (person,)))
    store.save_relation_type(RelationType("foundedAt", ("ORG",), ("DATE",)))
    store.save_relation_type(RelationType("foundedBy", ("ORG",), (person,)))
    store.save_attribute_type(AttributeType("Individual", person, FLAG, ("no", "yes"), "no"))


def relations_by_text(store: Store, annotator: str) -> set[tuple[str, str, str, str, str]]:
    """(head label, head text, relation, child label, child text) of every relation."""
    found = set()
    for article in store.iter_articles():
        for r in store.claim_work(article.id, annotator).relations:
            found.add(
                (r.head.label, r.head.text(article.text), r.label,
                 r.child.label, r.child.text(article.text))
            )  # fmt: skip
    return found


def test_brat_tutorial_relations_and_attributes_with_a_scheme_that_has_them(store, tmp_path):
    folder = tmp_path / "news"
    shutil.copytree(HERE / "brat", folder, ignore=shutil.ignore_patterns("NOTICE.md"))
    extended_scheme(store, "Person")
    report = import_paths(store, [folder])
    expected, values = set(), set()
    for ann in sorted(folder.glob("*.ann")):
        lines = ann.read_text(encoding="utf-8").splitlines()
        entities = {
            m.group(1): (m.group(2), m.group(3))
            for m in (re.fullmatch(r"(T\d+)\t(\S+) \d+ \d+\t(.*)", line) for line in lines)
            if m
        }
        for line in lines:
            relation = re.fullmatch(r"R\d+\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\t?", line)
            if relation:
                kind, arg1, arg2 = relation.groups()
                expected.add((*entities[arg1], kind, *entities[arg2]))
            value = re.fullmatch(r"A\d+\t(\S+) (T\d+)", line)  # binary, of a span
            if value:
                values.add((*entities[value.group(2)], value.group(1)))
    assert expected == {
        ("Person", "Orville Wright", "Family", "Person", "Wilbur Wright"),
    }  # R1 and R2 join the same names in the text's two paragraphs
    assert relations_by_text(store, "imported") == expected
    assert report.relations == {"Family": 2}
    assert values == {("Person", "Somebody", "Individual")}
    stored = {
        (a.span.label, a.span.text(article.text), a.name, a.value)
        for article in store.iter_articles()
        for a in store.claim_work(article.id, "imported").attributes
    }
    assert stored == {("Person", "Somebody", "Individual", "yes")}  # binary: the flag set
    assert report.not_held["brat attributes (A) of events or spans not imported"] == 5


def test_doccano_relation_example_with_a_scheme_that_has_its_types(store):
    path = HERE / "doccano" / "relation_extraction_example.jsonl"
    extended_scheme(store, "PERSON")
    report = import_paths(store, [path])
    record = json.loads(path.read_text(encoding="utf-8"))
    text = record["text"]
    entity = {
        e["id"]: (e["label"], text[e["start_offset"] : e["end_offset"]]) for e in record["entities"]
    }
    expected = {
        (*entity[r["from_id"]], r["type"], *entity[r["to_id"]]) for r in record["relations"]
    }
    assert expected == {
        ("ORG", "Google", "foundedAt", "DATE", "September 4, 1998"),
        ("ORG", "Google", "foundedBy", "PERSON", "Larry Page"),
        ("ORG", "Google", "foundedBy", "PERSON", "Sergey Brin"),
    }
    assert relations_by_text(store, "imported") == expected
    assert not report.not_held


RELTEXT = "Rebels claimed they took Kafr Nabl, the Observatory said they lost it."


def rel_manual_task() -> dict:
    """A task as Prodigy's rel.manual saves it (db-out): tokens with ``disabled``, spans with
    token indices, relations with ``head``/``child`` the last token of each span, a
    ``color``, ``_view_id: relations`` (the shape of explosion/projects' rel_component
    annotations and of rel.manual datasets published with their projects)."""
    tokens = []
    for i, match in enumerate(re.finditer(r"\w+|[^\w\s]", RELTEXT)):
        after = RELTEXT[match.end() : match.end() + 1]
        tokens.append(
            {"text": match.group(), "start": match.start(), "end": match.end(), "id": i,
             "ws": after == " ", "disabled": False}
        )  # fmt: skip

    def span(piece: str, label: str) -> dict:
        start = RELTEXT.index(piece)
        end = start + len(piece)
        first = next(t["id"] for t in tokens if t["start"] == start)
        last = next(t["id"] for t in tokens if t["end"] == end)
        return {"start": start, "end": end, "token_start": first, "token_end": last,
                "label": label}  # fmt: skip

    rebels, claim = span("Rebels", "FACTION"), span("they took Kafr Nabl", "CLAIM")
    observatory, lost = span("Observatory", "SOURCE"), span("they lost it", "CLAIM")
    unlabelled = {key: value for key, value in observatory.items() if key != "label"}
    return {
        "text": RELTEXT,
        "_input_hash": 1164594033,
        "_task_hash": -651416841,
        "_is_binary": False,
        "spans": [rebels, claim, observatory, lost, span("Kafr Nabl", "LOCATION")],
        "tokens": tokens,
        "_view_id": "relations",
        "relations": [
            {"head": claim["token_end"], "child": rebels["token_end"], "head_span": claim,
             "child_span": rebels, "color": "#d9fbad", "label": "source"},
            {"head": lost["token_end"], "child": observatory["token_end"], "head_span": lost,
             "child_span": {**unlabelled, "label": None}, "color": "#d9fbad",
             "label": "source"},
            # a relation from a LOCATION: the scheme's source goes from a CLAIM
            {"head": 9, "child": 0, "head_span": span("Kafr Nabl", "LOCATION"),
             "child_span": rebels, "color": "#ffd882", "label": "source"},
            # and one the scheme does not have at all
            {"head": 0, "child": 9, "head_span": rebels,
             "child_span": span("Kafr Nabl", "LOCATION"), "label": "LOCATED_IN"},
        ],
        "answer": "accept",
        "_timestamp": 1652192471,
    }  # fmt: skip


def test_prodigy_rel_manual_relations_become_claim_sources(store, tmp_path):
    task = rel_manual_task()
    task["spans"][1]["attributes"] = {"hedged": "yes", "polarity": "asserted"}
    path = tmp_path / "rel.jsonl"
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    report = import_paths(store, [path], annotator="ana")
    assert relations_by_text(store, "ana") == {
        ("CLAIM", "they took Kafr Nabl", "source", "FACTION", "Rebels"),
        ("CLAIM", "they lost it", "source", "SOURCE", "Observatory"),  # the extent decides
    }
    assert report.relations == {"source": 2} and report.attributes == 2
    assert report.not_held == {
        "Prodigy relations source from LOCATION to FACTION: the scheme's source goes from "
        "CLAIM to FACTION/SOURCE": 1,
        "Prodigy relations of type LOCATED_IN: not in the project's scheme": 1,
    }
    (article_id,) = store.article_ids()
    # "asserted" is the default: kept by not being stored
    assert [(a.name, a.value) for a in store.claim_work(article_id, "ana").attributes] == [
        ("hedged", "yes")
    ]
    lines = report.summary_lines()
    # The default counted as such: a format that writes every default said hundreds more.
    assert (
        "2 relations (source 2) and 2 attribute values read from the files "
        "(1 of them the attribute's default)"
    ) in lines


def test_a_relation_given_twice_is_stored_and_counted_once(store, tmp_path):
    """ "2 relations (source 2) kept", and 1 stored."""
    task = rel_manual_task()
    task["relations"] = [task["relations"][0]] * 2
    path = tmp_path / "twice.jsonl"
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    report = import_paths(store, [path], annotator="ana")
    assert report.relations == {"source": 1}
    assert len(relations_by_text(store, "ana")) == 1
    assert (
        "1 relation (source 1) and 0 attribute values read from the files" in report.summary_lines()
    )


def labelstudio_task() -> dict:
    """A task as Label Studio exports it with a ``<Relations>`` control and per-region
    ``<Choices>``: relation results as its frontend's ``RelationStore`` serializes them
    (``from_id``, ``to_id``, ``type``, ``direction``, ``labels``), choices results carrying
    their region's ``id``."""

    def region(region_id: str, piece: str, label: str) -> dict:
        start = RELTEXT.index(piece)
        return {"id": region_id, "from_name": "label", "to_name": "text", "type": "labels",
                "origin": "manual",
                "value": {"start": start, "end": start + len(piece), "text": piece,
                          "labels": [label]}}  # fmt: skip

    return {
        "id": 12,
        "data": {"text": RELTEXT},
        "annotations": [
            {
                "id": 30,
                "completed_by": {"id": 1, "email": "ana@example.org"},
                "result": [
                    region("Xa1", "Rebels", "FACTION"),
                    region("Xa2", "they took Kafr Nabl", "CLAIM"),
                    region("Xa3", "Observatory", "SOURCE"),
                    region("Xa4", "they lost it", "CLAIM"),
                    {"from_id": "Xa2", "to_id": "Xa1", "type": "relation",
                     "direction": "right", "labels": ["source"]},
                    # drawn from the source to the claim, arrow turned left
                    {"from_id": "Xa3", "to_id": "Xa4", "type": "relation",
                     "direction": "left", "labels": ["source"]},
                    {"from_id": "Xa1", "to_id": "Xa3", "type": "relation",
                     "direction": "right"},  # no <Relations> label chosen
                    {"id": "Xa2", "from_name": "polarity", "to_name": "text", "type": "choices",
                     "origin": "manual",
                     "value": {"start": 15, "end": 34, "choices": ["denied"]}},
                    {"id": "Xa4", "from_name": "hedged", "to_name": "text", "type": "choices",
                     "origin": "manual", "value": {"start": 57, "end": 69, "choices": ["yes"]}},
                    {"from_name": "topic", "to_name": "text", "type": "choices",
                     "value": {"choices": ["fighting"]}},  # the task's, not a region's
                ],
            }
        ],
    }  # fmt: skip


def test_label_studio_relations_and_per_region_choices(store, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([labelstudio_task()]), encoding="utf-8")
    report = import_paths(store, [path])
    assert relations_by_text(store, "ana@example.org") == {
        ("CLAIM", "they took Kafr Nabl", "source", "FACTION", "Rebels"),
        ("CLAIM", "they lost it", "source", "SOURCE", "Observatory"),
    }
    (article_id,) = store.article_ids()
    values = store.claim_work(article_id, "ana@example.org").attributes
    assert {(a.span.text(RELTEXT), a.name, a.value) for a in values} == {
        ("they took Kafr Nabl", "polarity", "denied"),
        ("they lost it", "hedged", "yes"),
    }
    assert report.not_held == {
        "Label Studio relations results without a label": 1,
        "Label Studio choices results": 1,
    }


def test_two_values_of_one_attribute_on_one_span_keep_the_first_and_count_the_other(
    store, tmp_path
):
    """A control with choice="multiple" can give a claim "asserted" and "denied": the
    scheme holds one, so the first is kept and the other counted, not dropped unsaid."""
    task = labelstudio_task()
    results = task["annotations"][0]["result"]
    polarity = next(r for r in results if r.get("from_name") == "polarity")
    polarity["value"]["choices"] = ["denied", "asserted"]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    report = import_paths(store, [path])
    (article_id,) = store.article_ids()
    values = store.claim_work(article_id, "ana@example.org").attributes
    assert ("they took Kafr Nabl", "polarity", "denied") in {
        (a.span.text(RELTEXT), a.name, a.value) for a in values
    }
    second = "Label Studio per-region choices polarity: a second value on one span"
    assert report.not_held[second] == 1


def test_label_studio_export_reads_as_label_studio_writes_it(claims, tmp_path):
    """Our tasks carry what the frontend serializes, and the config declares it."""
    export_project(claims, tmp_path / "t.json", "labelstudio")
    tasks = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    results = [r for task in tasks for r in task["annotations"][0]["result"]]
    relations = [r for r in results if r["type"] == "relation"]
    assert len(relations) == 4
    assert all(set(r) == {"from_id", "to_id", "type", "direction", "labels"} for r in relations)
    regions = {r["id"]: r for r in results if r["type"] == "labels"}
    assert {regions[r["from_id"]]["value"]["labels"][0] for r in relations} == {"CLAIM"}
    config = (tmp_path / "t.json.labeling-config.xml").read_text(encoding="utf-8")
    assert '<Relation value="source"/>' in config
    assert '<Choices name="polarity" toName="text" perRegion="true"' in config
    assert '<Choice value="denied"/>' in config


def test_stats_prints_relations_and_attribute_values(tmp_path, capsys):
    from annotator.cli import main

    task = rel_manual_task()
    task["spans"][1]["attributes"] = {"hedged": "yes", "polarity": "denied"}
    path = tmp_path / "rel.jsonl"
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    db = tmp_path / "p.db"
    assert main(["import", str(db), str(path), "--annotator", "ana", "--no-preannotate"]) == 0
    capsys.readouterr()
    assert main(["stats", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "relations of ana: source 2" in lines
    assert "attribute values of ana: hedged yes 1; polarity denied 1 (defaults are not stored)" in (
        lines
    )
