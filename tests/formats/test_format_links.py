"""What spans refer to goes out in every format that can hold it, and comes back in."""

from __future__ import annotations

import json

import pytest

from annotator.core import Article, Span
from annotator.formats import FormatError
from annotator.formats.docbin import read_docbin
from annotator.formats.exporter import export_project
from annotator.formats.geojson import GeoJsonWriter
from annotator.formats.importer import import_paths
from annotator.kb.places import Gazetteer, build_index
from annotator.storage import Store
from annotator.storage.links import span_links
from tests.kb.conftest import PLACES

TEXT = (
    "Hayat Tahrir al-Sham fighters entered Kassab on Monday.\n"
    "Rebels said they held Idlib, 40 km to the east."
)
HTS = "annotator:hayat-tahrir-al-sham"
KASSAB = "geonames:168519"


def at(needle: str, label: str, kb_id: str = "") -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), label, kb_id=kb_id)


SPANS = [
    at("Hayat Tahrir al-Sham", "FACTION", HTS),
    at("Kassab", "LOCATION", KASSAB),
    at("Idlib", "LOCATION"),  # not linked
    at("they held Idlib", "CLAIM"),
]


@pytest.fixture
def linked(tmp_path) -> Store:
    """A project with one article done by ana: two of its spans refer to entries."""
    store = Store(tmp_path / "linked.db")
    [article] = store.add_articles([Article(TEXT, title="Kassab taken")]).ids
    for span in SPANS:
        store.add_span(article, "ana", span)
    store.set_status(article, "ana", "done")
    yield store
    store.close()


@pytest.fixture
def tiny_gazetteer(tmp_path, monkeypatch) -> Gazetteer:
    path = tmp_path / "tiny.sqlite"
    build_index(path, PLACES, {"version": "tiny"})
    gazetteer = Gazetteer(path)
    monkeypatch.setattr(GeoJsonWriter, "gazetteer_source", staticmethod(lambda: gazetteer))
    yield gazetteer
    gazetteer.close()


def links_after_import(tmp_path, path) -> dict[tuple, str]:
    """The links ana's spans have once ``path`` is imported into a new project (brat files
    name no annotator: they are imported as ana's)."""
    with Store(tmp_path / "back.db") as back:
        report = import_paths(back, [path], annotator="ana")
        [article_id] = back.article_ids()
        stored = {s.id: s for s in back.spans(article_id, "ana")}
        found = {
            (stored[span_id].start, stored[span_id].end, stored[span_id].label): kb_id
            for span_id, (kb_id, _) in span_links(back, article_id, "ana").items()
        }
        assert report.links == 2
        return found


EXPECTED = {SPANS[0].key: HTS, SPANS[1].key: KASSAB}


def test_jsonl_spans_carry_kb_id_and_come_back(linked, tmp_path):
    out = tmp_path / "out.jsonl"
    report = export_project(linked, out, "jsonl")
    [task] = [json.loads(line) for line in out.read_text().splitlines()]
    assert [span.get("kb_id") for span in task["spans"]] == [HTS, KASSAB, None, None]
    assert report.links == 2
    assert any("2 spans refer to knowledge-base entries" in note for note in report.notes)
    assert links_after_import(tmp_path, out) == EXPECTED


def test_jsonl_without_tokens_carries_kb_id_too(linked, tmp_path):
    out = tmp_path / "out.jsonl"
    export_project(linked, out, "jsonl", tokens=False)
    [task] = [json.loads(line) for line in out.read_text().splitlines()]
    assert task["spans"][1] == {"start": 38, "end": 44, "label": "LOCATION", "kb_id": KASSAB}


def test_the_report_stamps_the_gazetteer_and_knowledge_base_versions(linked, tmp_path):
    report = export_project(linked, tmp_path / "out.jsonl", "jsonl")
    assert report.kb_versions["gazetteer"].startswith("GeoNames index ")
    assert "actors.jsonl" in report.kb_versions["actors"]
    assert any(line.startswith("entries from: gazetteer: GeoNames index") for line in
               report.summary_lines())  # fmt: skip
    assert report.to_dict()["kb_versions"] == report.kb_versions


def test_spacy_has_kb_id_in_ents_and_span_groups(linked, tmp_path):
    out = tmp_path / "out.spacy"
    export_project(linked, out, "spacy")
    [doc] = list(read_docbin(out))
    assert [(e.text, e.kb_id_) for e in doc.ents] == [
        ("Hayat Tahrir al-Sham", HTS),
        ("Kassab", KASSAB),
        ("Idlib", ""),
    ]
    assert {(s.text, s.kb_id_) for s in doc.spans["sc"]} == {
        ("Hayat Tahrir al-Sham", HTS),
        ("Kassab", KASSAB),
        ("Idlib", ""),
        ("they held Idlib", ""),
    }


def test_brat_writes_normalizations_and_declares_their_databases(linked, tmp_path):
    out = tmp_path / "brat"
    export_project(linked, out, "brat")
    [ann] = list(out.glob("*.ann"))
    lines = ann.read_text().splitlines()
    assert "N1\tReference T1 ConflictActors:hayat-tahrir-al-sham\tHayat Tahrir al-Sham" in lines
    assert "N2\tReference T2 GeoNames:168519\tKassab" in lines
    tools = (out / "tools.conf").read_text()
    assert "[normalization]" in tools
    assert (
        "GeoNames\t<URL>:https://www.geonames.org/, <URLBASE>:https://www.geonames.org/%s" in tools
    )
    assert "ConflictActors\t" in tools and "Wikidata\t" not in tools
    assert links_after_import(tmp_path, out) == EXPECTED


def test_brat_reads_other_databases_as_they_are(store, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "doc.txt").write_text("Obama visited Kassab.")
    (folder / "doc.ann").write_text(
        "T1\tPerson 0 5\tObama\nT2\tLOCATION 14 20\tKassab\n"
        "N1\tReference T1 Wikipedia:534366\tBarack Obama\n"
        "N2\tReference T2 GeoNamesAdmin1:SY.02\tLatakia\n"
    )
    import_paths(store, [folder], annotator="ana")
    [article_id] = store.article_ids()
    assert {kb for kb, _ in span_links(store, article_id, "ana").values()} == {
        "Wikipedia:534366",
        "geonames:admin1:SY.02",
    }


def test_label_studio_holds_kb_id_in_a_per_region_text_area(linked, tmp_path):
    out = tmp_path / "tasks.json"
    export_project(linked, out, "labelstudio")
    [task] = json.loads(out.read_text())
    results = task["annotations"][0]["result"]
    areas = [r for r in results if r["type"] == "textarea"]
    assert [(a["from_name"], a["value"]["text"]) for a in areas] == [
        ("kb_id", [HTS]),
        ("kb_id", [KASSAB]),
    ]
    regions = {r["id"]: r for r in results if r["type"] == "labels"}
    assert regions[areas[1]["id"]]["value"]["text"] == "Kassab"
    config = (tmp_path / "tasks.json.labeling-config.xml").read_text()
    assert '<TextArea name="kb_id" toName="text" perRegion="true"' in config
    assert links_after_import(tmp_path, out) == EXPECTED


@pytest.mark.parametrize("format_name", ["doccano", "conll"])
def test_formats_without_a_place_for_links_say_so(linked, tmp_path, format_name):
    report = export_project(linked, tmp_path / f"out.{format_name}", format_name)
    assert any(
        note.startswith(f"2 links to knowledge-base entries (kb_id) are not written: {format_name}")
        for note in report.notes
    )


def test_a_geojson_export_without_a_located_place_says_the_collection_is_empty(
    tmp_path, tiny_gazetteer
):
    """ "wrote 1 article" alone, and the file an empty FeatureCollection."""
    with Store(tmp_path / "p.db") as store:
        (article,) = store.add_articles([Article("Shelling hit Idlib.")]).ids
        store.add_span(article, "ana", Span(13, 18, "LOCATION"))  # linked to nothing
        store.set_status(article, "ana", "done")
        report = export_project(store, tmp_path / "places.geojson", "geojson")
    assert json.loads((tmp_path / "places.geojson").read_text())["features"] == []
    assert any(
        note.startswith("no located place: the FeatureCollection is empty") for note in report.notes
    )


def test_geojson_has_a_point_per_located_place(linked, tmp_path, tiny_gazetteer):
    out = tmp_path / "places.geojson"
    report = export_project(linked, out, "geojson")
    collection = json.loads(out.read_text())
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [35.99, 35.926]}
    assert feature["properties"] == {
        "article_id": 1,
        "title": "Kassab taken",
        "published": "",
        "annotator": "ana",
        "text": "Kassab",
        "start": 38,
        "end": 44,
        "kb_id": KASSAB,
        "name": "Kassab",
        "country": "SY",
        "region": "Latakia",
        "kind": "place",
    }
    assert dict(report.spans) == {"LOCATION": 1}
    assert [(o.text, o.reason) for o in report.omissions] == [
        ("Idlib", "not linked to a place: no coordinates")
    ]
    note = (
        "GeoJSON holds located places (linked LOCATION spans) only; not places: CLAIM 1, FACTION 1"
    )
    assert note in report.notes
    # The faction's link is not in the file: the report does not say it was (it said 2).
    links = [n for n in report.notes if "refer to entries" in n]
    assert links == [
        '1 of 2 spans that refer to entries written as each feature\'s "kb_id"; 1 not: '
        "GeoJSON holds located places only"
    ]


def test_a_kb_id_that_is_not_an_id_is_refused_naming_the_record(store, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps(
            {
                "text": TEXT,
                "spans": [{"start": 38, "end": 44, "label": "LOCATION", "kb_id": 168519}],
            }
        )
        + "\n"  # fmt: skip
    )
    with pytest.raises(FormatError, match=r"bad.jsonl:1: span 1's kb_id must be an id"):
        import_paths(store, [path])
    assert store.article_ids() == []


def test_with_a_split_each_parts_note_names_the_part(store, tmp_path):
    texts = [f"Rebels of group {n} said they held the town." for n in range(12)]
    for article_id in store.add_articles(Article(t) for t in texts).ids:
        store.replace_spans(article_id, "ana", [Span(0, 6, "FACTION")])
        store.set_status(article_id, "ana", "done")
    report = export_project(store, tmp_path / "places", "geojson", split=(0.5, 0.5))
    notes = [note for note in report.notes if "not places" in note]
    counts = {name: report.articles[name] for name in ("train", "dev")}
    assert all(counts.values())
    assert notes == [
        f"{name}: GeoJSON holds located places (linked LOCATION spans) only; "
        f"not places: FACTION {n}"
        for name, n in counts.items()
    ]
