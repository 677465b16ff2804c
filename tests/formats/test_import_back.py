"""An export imported back into its own project: what the format cannot hold stays as the
project has it (the rejected spans, a status on spans given unchanged), and a version given
as it is writes nothing, so a reviewed article is not "changed since review"."""

from __future__ import annotations

import json

import pytest

from annotator.core import Article, Span
from annotator.formats import get_format
from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.storage import Store
from annotator.storage.import_records import known_negatives
from annotator.storage.links import set_span_link

TEXT = "Rebels attacked Goma and Bukavu on Monday."
GOMA, BUKAVU = Span(16, 20, "LOCATION"), Span(25, 31, "FACTION")


def export_and_import_back(store: Store, tmp_path, format_name: str, **choice):
    out = tmp_path / f"out{get_format(format_name).suffix}"
    export_project(store, out, format_name, status="all", **choice)
    return import_paths(store, [out], format_name=format_name, annotator=choice.get("annotator"))


@pytest.mark.parametrize("format_name", ["labelstudio", "doccano", "brat"])
def test_the_spans_an_annotator_rejected_stay_when_their_format_has_no_place(tmp_path, format_name):
    """A Label Studio, doccano or brat export imported back deleted dan's rejection, saying
    "1 differed from the project's (edits made there are gone)"."""
    decisions = tmp_path / "teach.jsonl"
    task = {"text": TEXT, "answer": "accept", "spans": [
        {"start": 16, "end": 20, "label": "LOCATION"},
        {"start": 25, "end": 31, "label": "FACTION", "answer": "reject"},
    ]}  # fmt: skip
    decisions.write_text(json.dumps(task) + "\n", encoding="utf-8")
    with Store(tmp_path / "p.db") as store:
        import_paths(store, [decisions], annotator="dan")
        (article_id,) = [a.id for a in store.iter_articles()]
        assert known_negatives(store, article_id, "dan") == [BUKAVU]
        report = export_and_import_back(store, tmp_path, format_name, annotator="dan")
        assert known_negatives(store, article_id, "dan") == [BUKAVU]
        assert [s.key for s in store.spans(article_id, "dan")] == [GOMA.key]
        assert report.changed == 0 and report.replaced == 1


def test_a_flag_stays_on_spans_a_format_without_status_gives_back_unchanged(tmp_path):
    """doccano's export of a flagged article came back "done", its comment kept."""
    with Store(tmp_path / "p.db") as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        store.replace_spans(article_id, "ana", [GOMA])
        store.set_status(article_id, "ana", "flagged", comment="duplicate of #7")
        report = export_and_import_back(store, tmp_path, "doccano", annotator="ana")
        row = store.status(article_id, "ana")
        assert (row.status, row.comment) == ("flagged", "duplicate of #7")
        assert report.changed == 0
        # spans changed elsewhere: the file's version is taken, done
        out = tmp_path / "edited.jsonl"
        out.write_text(json.dumps({"text": TEXT, "label": [[16, 20, "LOCATION"],
                                   [25, 31, "LOCATION"]]}) + "\n", "utf-8")  # fmt: skip
        import_paths(store, [out], format_name="doccano", annotator="ana")
        assert store.status(article_id, "ana").status == "done"
        assert len(store.spans(article_id, "ana")) == 2


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio", "doccano", "brat"])
def test_a_version_given_as_it_is_writes_nothing_and_the_review_stands(tmp_path, format_name):
    """Re-importing an identical export marked every reviewed article changed since its
    review (◉), and `export --gold` warned of them."""
    with Store(tmp_path / "p.db") as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        store.replace_spans(article_id, "ana", [GOMA, BUKAVU])
        store.set_status(article_id, "ana", "done")
        goma = next(s.id for s in store.spans(article_id, "ana") if s.key == GOMA.key)
        set_span_link(store, goma, "geonames:216281")  # linked: a status the files lack
        store.replace_spans(article_id, "gold", [GOMA])
        store.set_status(article_id, "gold", "done")
        assert store.changed_since_review() == set()
        events = len(store.events())
        report = export_and_import_back(store, tmp_path, format_name, annotator="ana")
        assert store.changed_since_review() == set()
        assert len(store.events()) == events
        assert report.replaced == 1 and report.changed == 0 and report.spans == 2


@pytest.mark.parametrize("format_name", ["labelstudio", "jsonl"])
@pytest.mark.parametrize("status", ["in_progress", "flagged"])
def test_an_unfinished_review_comes_back_unfinished(tmp_path, format_name, status):
    """Label Studio's export of gold in progress came back as finished gold, exported by
    default and counted as reviewed; flagged, it lost its comment."""
    comment = "check the date" if status == "flagged" else ""
    with Store(tmp_path / "p.db") as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        store.replace_spans(article_id, "gold", [GOMA])
        store.set_status(article_id, "gold", status, comment=comment)
        out = tmp_path / f"out{get_format(format_name).suffix}"
        export_project(store, out, format_name, gold=True, status="all")
    with Store(tmp_path / "copy.db") as copy:
        import_paths(copy, [out], format_name=format_name)
        (copied,) = [a.id for a in copy.iter_articles()]
        row = copy.status(copied, "gold")
        assert (row.status, row.comment) == (status, comment)
        assert [s.key for s in copy.spans(copied, "gold")] == [GOMA.key]


@pytest.mark.parametrize("format_name", ["brat", "conll", "spacy", "jsonl"])
def test_an_export_says_it_leaves_out_the_articles_fields_where_it_has_no_place(
    tmp_path, format_name
):
    """brat and CoNLL dropped the title, url, date and metadata without a word (the README
    said they were reported)."""
    with Store(tmp_path / "p.db") as store:
        ids = store.add_articles([
            Article(TEXT, title="Goma attack", url="https://x.org/1", meta={"desk": "Africa"}),
            Article("Rebels took Gao.\nOn Sunday."),  # its title is its first line: nothing lost
        ]).ids  # fmt: skip
        for article_id in ids:  # (CoNLL leaves out articles nobody annotated)
            store.set_status(article_id, "ana", "done")
        out = tmp_path / f"out{get_format(format_name).suffix}"
        notes = export_project(store, out, format_name, status="all").notes
    said = [note for note in notes if "titles, urls, dates, sources and metadata" in note]
    if format_name == "jsonl":
        assert said == []
    else:
        assert said and said[0].startswith(
            "the titles, urls, dates, sources and metadata of 1 article not written: "
            f"{format_name} holds the text alone"
        )


def test_rejections_alone_add_to_an_annotators_finished_work(tmp_path):
    """One ner.teach rejection replaced ana's finished annotation: her spans were gone, and
    the article stayed "done" with none."""
    with Store(tmp_path / "p.db") as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        store.replace_spans(article_id, "ana", [GOMA, BUKAVU])
        store.set_status(article_id, "ana", "done")
        decisions = tmp_path / "teach.jsonl"
        decisions.write_text(
            "".join(
                json.dumps({"text": TEXT, "answer": "reject", "_view_id": "ner",
                            "spans": [{"start": s.start, "end": s.end, "label": s.label}]})
                + "\n"
                for s in (BUKAVU, Span(35, 41, "LOCATION"))
            ),
            encoding="utf-8",
        )  # fmt: skip
        report = import_paths(store, [decisions], annotator="ana")
        assert [s.key for s in store.spans(article_id, "ana")] == [GOMA.key]  # Bukavu: rejected
        assert {s.key for s in known_negatives(store, article_id, "ana")} == {
            BUKAVU.key, (35, 41, "LOCATION")
        }  # fmt: skip
        assert store.status(article_id, "ana").status == "done"
        assert report.replaced == 0
