"""Articles nobody annotated in an export: left out of a format that cannot say so (CoNLL's
O means "annotated: not an entity"), and each other format's report says what its tool
takes them for."""

from __future__ import annotations

from pathlib import Path

from annotator.core import Article, Span
from annotator.formats.exporter import export_project
from annotator.storage import Store

DONE = "Rebels shelled Idlib on Monday."
NOBODYS = "Nobody has read this article about Aleppo yet."


def project(path: Path) -> Store:
    """One article ana finished (Idlib a LOCATION), one nobody annotated."""
    store = Store(path)
    done, _ = store.add_articles([Article(DONE), Article(NOBODYS)]).ids
    store.replace_spans(done, "ana", [Span(15, 20, "LOCATION")])
    store.set_status(done, "ana", "done")
    return store


def conll_documents(path: Path) -> list[list[str]]:
    """The tokens of each document (``-DOCSTART-``) of a CoNLL file."""
    documents: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            documents.append([])
        elif line.strip():
            documents[-1].append(line.split()[0])
    return documents


def test_conll_leaves_out_articles_nobody_annotated_and_says_why(tmp_path):
    """With --status all, the 18 sample articles nobody annotated were written all O:
    gold negatives, said only "19 articles nobody annotated were written without spans"."""
    with project(tmp_path / "p.db") as store:
        report = export_project(store, tmp_path / "all.conll", "conll", status="all")
    (document,) = conll_documents(tmp_path / "all.conll")
    assert " ".join(document) == "Rebels shelled Idlib on Monday ."
    assert report.article_count == 1
    assert report.left_out == {"not annotated, which conll cannot say": 1}
    assert report.versions == {"ana": 1}
    (note,) = [note for note in report.notes if "nobody annotated" in note]
    assert note.startswith("1 article nobody annotated left out: CoNLL has no tag for a token")
    assert "its O says 'annotated, not an entity'" in note


def test_conll_of_articles_nobody_annotated_alone_writes_nothing_and_says_why(tmp_path):
    with project(tmp_path / "p.db") as store:
        report = export_project(store, tmp_path / "todo.conll", "conll", status="todo")
    assert not report.written and not (tmp_path / "todo.conll").exists()
    assert any(note.startswith("1 article nobody annotated left out") for note in report.notes)


def test_conll_of_one_annotator_leaves_out_the_articles_without_their_version(tmp_path):
    with project(tmp_path / "p.db") as store:
        store.set_status(store.article_ids()[1], "ben", "in_progress")
        report = export_project(
            store, tmp_path / "ana.conll", "conll", annotator="ana", status="all"
        )
    assert len(conll_documents(tmp_path / "ana.conll")) == 1
    assert report.left_out == {"no ana version, which conll cannot say": 1}
    assert any(note.startswith("1 article with no ana version left out") for note in report.notes)


def test_each_other_format_says_what_its_tool_takes_an_article_nobody_annotated_for(tmp_path):
    """They are written, as tasks to annotate; the report says what each tool makes of
    them, brat's and doccano's readers taking them for texts without any entity."""
    said = {}
    with project(tmp_path / "p.db") as store:
        for name, out in (
            ("brat", "brat"),
            ("doccano", "all.doccano.jsonl"),
            ("labelstudio", "all.json"),
            ("spacy", "all.spacy"),
        ):
            report = export_project(store, tmp_path / out, name, status="all")
            assert report.versions == {"ana": 1, "nobody": 1}
            (said[name],) = [note for note in report.notes if "nobody annotated" in note]
    assert said["brat"].startswith(
        "1 article nobody annotated was written without spans, each with an empty .ann"
    )
    assert "a converter to training data takes it so" in said["brat"]
    assert "texts labelled with no entity" in said["doccano"]
    assert "Label Studio takes them for tasks to label" in said["labelstudio"]
    assert "missing, not O" in said["spacy"]
    assert (tmp_path / "brat" / "article-0000002.ann").read_text() == ""
