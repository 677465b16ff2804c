"""The linker's verdict on a span without an entry ("generic: no one actor", "not in the
gazetteer", "ambiguous") goes out where a format has a place for it and comes back in; where
a format has none, the export report counts it (it was dropped from every export, unsaid:
"links of ana: ambiguous 4, generic 32, unknown 59" came back as none)."""

from __future__ import annotations

import json

import pytest

from annotator.core import Article, Span
from annotator.formats import FormatError
from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.storage import Store
from annotator.storage.links import set_span_link

TEXT = "Rebels and gunmen shelled Kansafra and Tripoli; Hayat Tahrir al-Sham denied it."
HTS = "annotator:hayat-tahrir-al-sham"


def at(needle: str, label: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), label)


#: Each span with the entry and the link status the project holds for it.
LINKS = {
    at("Rebels", "FACTION"): ("", "generic"),
    at("gunmen", "FACTION"): ("", "generic"),
    at("Kansafra", "LOCATION"): ("", "unknown"),
    at("Tripoli", "LOCATION"): ("", "ambiguous"),
    at("Hayat Tahrir al-Sham", "FACTION"): (HTS, "linked"),
    at("denied it", "CLAIM"): ("", ""),
}


@pytest.fixture
def judged(tmp_path) -> Store:
    """A project with one article done by ana: one span linked, four with a verdict."""
    store = Store(tmp_path / "judged.db")
    [article] = store.add_articles([Article(TEXT, title="Kansafra shelled")]).ids
    judge(store, article)
    yield store
    store.close()


def judge(store: Store, article: int) -> None:
    """ana's spans of ``LINKS`` on ``article``, linked or judged, and the article done."""
    for span, (kb_id, status) in LINKS.items():
        span_id = store.add_span(article, "ana", span).id
        if status:
            set_span_link(store, span_id, kb_id, status)
    store.set_status(article, "ana", "done")


def links_of(store: Store) -> dict[Span, tuple[str, str]]:
    [article_id] = store.article_ids()
    return {span: (span.kb_id, span.link_status) for span in store.spans(article_id, "ana")}


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio"])
def test_verdicts_go_out_and_come_back_exactly(judged, tmp_path, format_name):
    out = tmp_path / ("out.jsonl" if format_name == "jsonl" else "tasks.json")
    report = export_project(judged, out, format_name)
    assert report.verdicts == {"generic": 2, "unknown": 1, "ambiguous": 1}
    where = 'each span\'s "link_status"' if format_name == "jsonl" else 'TextArea "link_status"'
    [note] = [note for note in report.notes if "the linker's verdict" in note]
    assert note.startswith(
        "4 spans without an entry carry the linker's verdict (ambiguous 1, generic 2, "
        "unknown 1), written as "
    )
    assert where in note
    with Store(tmp_path / "back.db") as back:
        imported = import_paths(back, [out], annotator="ana")
        assert links_of(back) == LINKS
    assert imported.links == 1 and imported.verdicts == 4
    assert "4 spans without an entry carry the linker's verdict" in "\n".join(
        imported.summary_lines()
    )


def test_jsonl_writes_a_verdict_beside_the_span_and_none_on_a_linked_one(judged, tmp_path):
    out = tmp_path / "out.jsonl"
    export_project(judged, out, "jsonl", tokens=False)
    [task] = [json.loads(line) for line in out.read_text().splitlines()]
    by_text = {TEXT[s["start"] : s["end"]]: s for s in task["spans"]}
    assert by_text["Rebels"] == {"start": 0, "end": 6, "label": "FACTION", "link_status": "generic"}
    assert by_text["Tripoli"]["link_status"] == "ambiguous"
    assert by_text["Hayat Tahrir al-Sham"]["kb_id"] == HTS
    assert "link_status" not in by_text["Hayat Tahrir al-Sham"]
    assert "link_status" not in by_text["denied it"]


def test_label_studio_declares_the_verdicts_text_area(judged, tmp_path):
    out = tmp_path / "tasks.json"
    export_project(judged, out, "labelstudio")
    [task] = json.loads(out.read_text())
    areas = [r for r in task["annotations"][0]["result"] if r["from_name"] == "link_status"]
    assert sorted(area["value"]["text"][0] for area in areas) == [
        "ambiguous", "generic", "generic", "unknown",
    ]  # fmt: skip
    config = (tmp_path / "tasks.json.labeling-config.xml").read_text()
    assert '<TextArea name="link_status" toName="text" perRegion="true"' in config


@pytest.mark.parametrize("format_name", ["brat", "conll", "doccano", "spacy"])
def test_formats_without_a_place_for_verdicts_count_them(judged, tmp_path, format_name):
    report = export_project(judged, tmp_path / f"out.{format_name}", format_name)
    assert (
        "4 spans without an entry carry the linker's verdict (ambiguous 1, generic 2, "
        f"unknown 1): not written, {format_name} has no place for them (jsonl and "
        "labelstudio hold them)"
    ) in report.notes


def test_a_link_status_that_is_no_verdict_is_refused_naming_the_span(store, tmp_path):
    path = tmp_path / "odd.jsonl"
    span = {"start": 0, "end": 6, "label": "FACTION", "link_status": "rebel"}
    path.write_text(json.dumps({"text": TEXT, "spans": [span], "answer": "accept"}) + "\n")
    with pytest.raises(FormatError, match="span 1's link_status must be generic, unknown or "
                       "ambiguous .*, not the text 'rebel'"):  # fmt: skip
        import_paths(store, [path])


def test_a_verdict_beside_an_entry_gives_way_to_the_entry(store, tmp_path):
    path = tmp_path / "both.jsonl"
    span = {"start": 0, "end": 6, "label": "FACTION", "kb_id": HTS, "link_status": "generic"}
    path.write_text(json.dumps({"text": TEXT, "spans": [span], "answer": "accept"}) + "\n")
    import_paths(store, [path], annotator="ana")
    [article_id] = store.article_ids()
    [back] = store.spans(article_id, "ana")
    assert (back.kb_id, back.link_status) == (HTS, "linked")


def _without_verdicts(out, format_name: str, keep: str = "", text: str | None = None) -> None:
    """``out`` as an export written before verdicts were (no span carries one), but for the
    span whose text is ``keep``; only the record of ``text``, if given."""
    if format_name == "jsonl":
        tasks = [json.loads(line) for line in out.read_text().splitlines()]
        for task in tasks:
            if text in (None, task["text"]):
                for span in task["spans"]:
                    if task["text"][span["start"] : span["end"]] != keep:
                        span.pop("link_status", None)
        out.write_text("".join(json.dumps(task) + "\n" for task in tasks))
        return
    tasks = json.loads(out.read_text())
    for task in tasks:
        if text not in (None, task["data"]["text"]):
            continue
        results = task["annotations"][0]["result"]
        kept = {r["id"] for r in results if r["type"] == "labels" and r["value"]["text"] == keep}
        task["annotations"][0]["result"] = [
            r for r in results if r["from_name"] != "link_status" or r["id"] in kept
        ]
    out.write_text(json.dumps(tasks))


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio"])
def test_a_file_that_says_nothing_of_verdicts_keeps_the_projects(judged, tmp_path, format_name):
    """An export made before verdicts were written, imported back into its project: every
    verdict was wiped, "1 differed from the project's (edits made there are gone)"."""
    out = tmp_path / ("old.jsonl" if format_name == "jsonl" else "old.json")
    export_project(judged, out, format_name)
    _without_verdicts(out, format_name)
    report = import_paths(judged, [out], annotator="ana")
    assert links_of(judged) == LINKS
    assert (report.replaced, report.changed, report.verdicts) == (1, 0, 0)


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio"])
def test_verdicts_kept_from_the_project_are_said_so(judged, tmp_path, format_name):
    out = tmp_path / ("old.jsonl" if format_name == "jsonl" else "old.json")
    export_project(judged, out, format_name)
    _without_verdicts(out, format_name)
    [article_id] = judged.article_ids()
    judged.add_span(article_id, "ana", at("shelled", "CLAIM"))  # an edit the file lacks
    report = import_paths(judged, [out], annotator="ana")
    assert links_of(judged) == LINKS
    assert (report.replaced, report.changed, report.verdicts) == (1, 1, 0)
    assert (
        "kept from the project on the spans the files gave again (the files have no place "
        "for them, or say nothing of them): verdicts 4"
    ) in report.summary_lines()


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio"])
def test_a_file_that_carries_a_verdict_says_the_others_are_gone(judged, tmp_path, format_name):
    """A file that writes verdicts says, by a span without one, that it has none."""
    out = tmp_path / ("new.jsonl" if format_name == "jsonl" else "new.json")
    export_project(judged, out, format_name)
    _without_verdicts(out, format_name, keep="Tripoli")
    import_paths(judged, [out], annotator="ana")
    cleared = {span: ("", "") if status in ("generic", "unknown") else (kb_id, status)
               for span, (kb_id, status) in LINKS.items()}  # fmt: skip
    assert links_of(judged) == cleared


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio"])
def test_a_record_that_says_nothing_of_verdicts_keeps_the_projects_in_a_mixed_file(
    judged, tmp_path, format_name
):
    """A file joining an old export's record (no verdict on any span) to a newer one's: the
    old record's article lost its verdicts as well (the choice was the file's: 48 of 119
    verdicts gone, unsaid)."""
    later = TEXT + " Both sides said so."
    [first] = judged.article_ids()
    [second] = judged.add_articles([Article(later, title="Said so")]).ids
    judge(judged, second)
    out = tmp_path / ("mixed.jsonl" if format_name == "jsonl" else "mixed.json")
    export_project(judged, out, format_name)
    _without_verdicts(out, format_name, keep="Tripoli", text=TEXT)  # a newer export's record
    _without_verdicts(out, format_name, text=later)  # an old export's
    judged.add_span(second, "ana", at("shelled", "CLAIM"))  # an edit the file lacks
    report = import_paths(judged, [out], annotator="ana")
    by_article = {
        article_id: {
            span: (span.kb_id, span.link_status) for span in judged.spans(article_id, "ana")
        }
        for article_id in (first, second)
    }
    cleared = {span: ("", "") if status in ("generic", "unknown") else (kb_id, status)
               for span, (kb_id, status) in LINKS.items()}  # fmt: skip
    assert by_article == {first: cleared, second: LINKS}
    lines = report.summary_lines()
    assert (
        "3 verdicts of the linker the project held removed from spans the files gave again: "
        "their records carry verdicts and none on those spans"
    ) in lines
    assert (
        "kept from the project on the spans the files gave again (the files have no place "
        "for them, or say nothing of them): verdicts 4"
    ) in lines
