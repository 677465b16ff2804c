"""Which annotations an export takes, where it writes them, and what it reports."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import GOLD, Article, Cancelled, Span
from annotator.formats import FormatError, get_format
from annotator.formats.docbin import read_docbin
from annotator.formats.exporter import ExportError, export_project, parse_split, split_of
from annotator.storage import Store
from annotator.storage.exports import iter_versions

TEXTS = [f"Clashes were reported in town number {n} on Monday." for n in range(12)]


def annotate(store: Store, article_id: int, annotator: str, label: str, status: str = "done"):
    store.replace_spans(article_id, annotator, [Span(0, 7, label)])
    store.set_status(article_id, annotator, status)


def exported(path: Path) -> dict[str, list[str]]:
    """Text -> labels of a JSONL export."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {r["text"]: [s["label"] for s in r.get("spans", [])] for r in records}


@pytest.fixture
def team(store: Store) -> Store:
    """Articles 1-2 alice's alone, 3 alice and bob both done with gold, 4 alice done and bob
    in progress, 5 bob's but skipped, 6 nobody's."""
    ids = store.add_articles(Article(t) for t in TEXTS[:6]).ids
    annotate(store, ids[0], "alice", "A1")
    annotate(store, ids[1], "alice", "A2")
    annotate(store, ids[2], "alice", "A3")
    annotate(store, ids[2], "bob", "B3")
    store.replace_spans(ids[2], GOLD, [Span(0, 7, "G3")])  # adjudication: spans, no status
    annotate(store, ids[3], "alice", "A4")
    annotate(store, ids[3], "bob", "B4", status="in_progress")
    annotate(store, ids[4], "bob", "B5", status="skipped")
    return store


def test_default_takes_gold_else_the_one_who_finished(team, tmp_path):
    report = export_project(team, tmp_path / "out.jsonl", "jsonl")
    assert exported(tmp_path / "out.jsonl") == {
        TEXTS[0]: ["A1"],
        TEXTS[1]: ["A2"],
        TEXTS[2]: ["G3"],
        TEXTS[3]: ["A4"],
    }
    assert report.versions == {"alice": 3, "gold": 1}
    assert report.left_out == {"status skipped": 1, "not annotated": 1}
    assert any("--status all" in line for line in report.summary_lines())


def test_annotator_and_gold_choose_whose_spans(team, tmp_path):
    export_project(team, tmp_path / "bob.jsonl", "jsonl", annotator="bob", status="all")
    assert exported(tmp_path / "bob.jsonl") == {
        TEXTS[0]: [],  # not bob's: "all" sends them as tasks without spans
        TEXTS[1]: [],
        TEXTS[2]: ["B3"],
        TEXTS[3]: ["B4"],
        TEXTS[4]: ["B5"],
        TEXTS[5]: [],
    }
    report = export_project(team, tmp_path / "gold.jsonl", "jsonl", gold=True)
    assert exported(tmp_path / "gold.jsonl") == {TEXTS[2]: ["G3"]}
    # the others lack a gold version; several were annotated ("not annotated" said so)
    assert report.left_out == {"no gold version": 5}
    records = (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(records[0])["_annotator_id"] == GOLD


def test_a_gold_export_says_what_its_bare_articles_lack_and_which_gold_is_stale(team, tmp_path):
    """ "5 articles nobody annotated" of a --gold export, and nothing said of a reviewed
    article an annotator changed since."""
    report = export_project(team, tmp_path / "all.jsonl", "jsonl", gold=True, status="all")
    assert any(
        note.startswith("5 articles with no gold version were written without spans")
        for note in report.notes
    )
    assert "versions: gold 1, no gold version 5" in report.summary_lines()
    article = team.article_ids()[2]
    team.set_status(article, GOLD, "done")  # reviewed
    time.sleep(0.005)
    team.add_span(article, "bob", Span(8, 12, "B3b", origin="human"))  # then bob's edit
    stale = (
        "1 reviewed article was changed by an annotator since (◉ in the review window): "
        "their gold, written as it stands, may be out of date"
    )
    report = export_project(team, tmp_path / "gold.jsonl", "jsonl", gold=True)
    assert stale in report.notes
    # The default export takes gold where there is one: it says so too (it was silent).
    report = export_project(team, tmp_path / "default.jsonl", "jsonl", status="all")
    assert report.versions[GOLD] == 1 and stale in report.notes
    report = export_project(team, tmp_path / "bob.jsonl", "jsonl", annotator="bob")
    assert stale not in report.notes  # bob's own versions: no gold written


def test_status_filters_by_the_chosen_annotators_status(team, tmp_path):
    export_project(team, tmp_path / "wip.jsonl", "jsonl", annotator="bob", status="in_progress")
    assert exported(tmp_path / "wip.jsonl") == {TEXTS[3]: ["B4"]}


def test_status_all_sends_unannotated_articles_as_tasks_without_spans(team, tmp_path):
    export_project(team, tmp_path / "all.jsonl", "jsonl", status="all")
    records = {
        json.loads(line)["text"]: json.loads(line)
        for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert len(records) == 6
    assert "spans" not in records[TEXTS[5]] and "answer" not in records[TEXTS[5]]
    assert records[TEXTS[4]]["spans"][0]["label"] == "B5"


def test_spans_under_labels_the_scheme_lacks_are_counted_in_a_note(store, tmp_path):
    """Imported under PERSON, or WEAPON renamed away since: they went out unsaid."""
    ids = store.add_articles(Article(t) for t in TEXTS[:2]).ids
    store.add_span(ids[0], "bob", Span(0, 3, "PERSON"))
    store.add_span(ids[1], "bob", Span(0, 3, "LOCATION"))
    for article_id in ids:
        store.set_status(article_id, "bob", "done")
    report = export_project(store, tmp_path / "out.jsonl", "jsonl")
    assert report.spans == {"PERSON": 1, "LOCATION": 1}
    assert [note for note in report.notes if "scheme lacks" in note] == [
        "spans under labels the project's scheme lacks were written: PERSON 1 (annotator "
        "labels DB adopt adds them to the scheme; rename or merge them there)"
    ]


def test_an_article_only_opened_is_not_annotated_but_done_with_no_spans_is(store, tmp_path):
    ids = store.add_articles(Article(t) for t in TEXTS[:3]).ids
    store.add_active_time(ids[0], "bob", 12.0)  # bob opened it to look: a todo row, no spans
    store.set_status(ids[1], "bob", "done")  # bob finished it: it holds nothing
    annotate(store, ids[2], "bob", "B3", status="in_progress")
    store.add_active_time(ids[2], "carol", 3.0)  # carol looked: no rival of bob's
    for who in (None, "bob"):
        report = export_project(store, tmp_path / "all.jsonl", "jsonl", annotator=who, status="all")
        records = {
            json.loads(line)["text"]: json.loads(line)
            for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
        }
        assert "spans" not in records[TEXTS[0]] and "answer" not in records[TEXTS[0]]
        assert records[TEXTS[1]]["spans"] == [] and records[TEXTS[1]]["answer"] == "accept"
        assert report.versions == {"bob": 2, "nobody": 1}
        bare = "nobody annotated" if who is None else "with no bob version"
        (note,) = [n for n in report.notes if n.startswith(f"1 article {bare} was written")]
        # Prodigy's db-in takes a task without an answer as accepted: said.
        assert note.endswith(
            "`prodigy db-in` would store them as accepted (texts without any entity)"
        )
    report = export_project(store, tmp_path / "todo.jsonl", "jsonl", status="todo")
    assert report.versions == {"nobody": 1}
    report = export_project(store, tmp_path / "done.spacy", "spacy")
    assert report.article_count == 1
    assert report.left_out == {"not annotated": 1, "status in_progress": 1}
    report = export_project(store, tmp_path / "all.spacy", "spacy", status="all")
    docs = {doc.text: doc for doc in read_docbin(tmp_path / "all.spacy")}
    assert all(token.ent_iob_ == "" for token in docs[TEXTS[0]])  # missing: not "O"
    assert all(token.ent_iob_ == "O" for token in docs[TEXTS[1]])  # no entities: an answer


def test_rival_versions_stop_the_export_and_name_the_articles(team, tmp_path):
    team.set_status(team.article_ids()[3], "bob", "done")  # now alice and bob both finished 4
    out = tmp_path / "out.jsonl"
    with pytest.raises(ExportError) as error:
        export_project(team, out, "jsonl")
    message = str(error.value)
    assert "1 article has versions by several annotators" in message
    assert f"article {team.article_ids()[3]}: alice, bob" in message
    assert "--annotator NAME" in message and "--gold" in message
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a partial file
    with pytest.raises(ExportError):
        export_project(team, tmp_path / "corpus", "spacy", split=(0.8, 0.2))
    assert list(tmp_path.iterdir()) == []  # not even the folder it would have made


def test_skip_unsettled_exports_the_settled_articles_and_counts_the_others(team, tmp_path):
    """Half way through a project the default export was refused outright while any article
    had two annotators' versions and no gold: no dataset of what was settled."""
    team.set_status(team.article_ids()[3], "bob", "done")  # alice and bob both finished 4
    out = tmp_path / "out.jsonl"
    report = export_project(team, out, "jsonl", skip_unsettled=True)
    assert exported(out) == {TEXTS[0]: ["A1"], TEXTS[1]: ["A2"], TEXTS[2]: ["G3"]}
    assert report.left_out["several annotators' versions, no gold"] == 1
    assert any("several annotators' versions, no gold" in line for line in report.summary_lines())


def test_the_refusal_names_skip_unsettled(tmp_path, capsys):
    store = Store(tmp_path / "p.db")
    ids = store.add_articles(Article(t) for t in TEXTS[:2]).ids
    annotate(store, ids[0], "alice", "A1")
    for who in ("alice", "bob"):
        annotate(store, ids[1], who, who)
    store.close()
    command = ["export", str(tmp_path / "p.db"), str(tmp_path / "o.jsonl")]
    assert main(command) == 1
    assert "--skip-unsettled" in capsys.readouterr().err
    status = main([*command, "--skip-unsettled", "--json"])
    output = capsys.readouterr()
    assert status == 0, output.err
    figures = json.loads(output.out)
    assert figures["left_out"] == {"several annotators' versions, no gold": 1}
    assert figures["versions"] == {"alice": 1}


def test_rivals_that_the_status_filter_leaves_out_do_not_matter(store, tmp_path):
    (article_id,) = store.add_articles([Article(TEXTS[0])]).ids
    annotate(store, article_id, "alice", "A", status="in_progress")
    annotate(store, article_id, "bob", "B", status="in_progress")
    report = export_project(store, tmp_path / "out.jsonl", "jsonl")
    assert report.article_count == 0 and report.left_out == {"status in_progress": 1}
    (versions,) = list(iter_versions(store))
    assert versions[0].rivals == (("alice", "in_progress"), ("bob", "in_progress"))


def test_helpful_errors_for_unknown_annotator_status_and_format(team, tmp_path):
    with pytest.raises(ExportError, match=r"no annotator 'carol' .*annotators: alice, bob, gold"):
        export_project(team, tmp_path / "x.jsonl", "jsonl", annotator="carol")
    with pytest.raises(ExportError, match=r"unknown status 'finished'; choose one of .*done.*all"):
        export_project(team, tmp_path / "x.jsonl", "jsonl", status="finished")
    with pytest.raises(FormatError, match=r"unknown format; known formats that export: .*spacy"):
        export_project(team, tmp_path / "x.jsonl", "parquet")
    with pytest.raises(ExportError, match=r"txt format can be imported, not exported"):
        export_project(team, tmp_path / "x.txt", "txt")
    with Store() as empty, pytest.raises(ExportError, match="no gold version yet"):
        export_project(empty, tmp_path / "x.jsonl", "jsonl", gold=True)
    assert list(tmp_path.iterdir()) == []


def test_split_is_deterministic_by_text_and_writes_one_file_per_part(store, tmp_path):
    ids = store.add_articles(Article(t) for t in TEXTS).ids
    for article_id in ids:
        annotate(store, article_id, "alice", "LOCATION")
    first = export_project(store, tmp_path / "a", "jsonl", split=(0.5, 0.25, 0.25))
    second = export_project(store, tmp_path / "b", "jsonl", split=(0.5, 0.25, 0.25))
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "dev.jsonl",
        "test.jsonl",
        "train.jsonl",
    ]
    for part in ("train", "dev", "test"):
        texts = set(exported(tmp_path / "a" / f"{part}.jsonl"))
        assert texts == set(exported(tmp_path / "b" / f"{part}.jsonl"))
        assert all(split_of(t, (0.5, 0.25, 0.25)) == part for t in texts)
    assert first.articles == second.articles and first.article_count == len(TEXTS)


def test_texts_that_differ_only_in_case_and_spacing_share_a_split():
    shares = (0.34, 0.33, 0.33)
    parts = {split_of(f"Fighting in town {n} today.", shares) for n in range(30)}
    assert parts == {"train", "dev", "test"}
    for n in range(30):
        text = f"Fighting in town {n} today."
        assert split_of(text, shares) == split_of(f"  FIGHTING in\ntown {n}   today. ", shares)


def test_parse_split_accepts_two_or_three_shares_adding_up_to_one():
    assert parse_split("0.8,0.1,0.1") == (0.8, 0.1, 0.1)
    assert parse_split("0.9,0.1") == (0.9, 0.1)
    with pytest.raises(ExportError, match="add up to 1.1"):
        parse_split("0.8,0.2,0.1")
    with pytest.raises(ExportError, match="two or three"):
        parse_split("80/20")


@pytest.mark.parametrize("text", ["nan,0.5,0.5", "0.5,nan,0.5", "inf,0.5", "0.5,0.5,-inf"])
def test_parse_split_refuses_shares_that_are_not_finite(text):
    with pytest.raises(ExportError, match=r"two or three shares >= 0"):
        parse_split(text)


def test_brat_split_writes_three_collections(store, tmp_path):
    ids = store.add_articles(Article(t) for t in TEXTS).ids
    for article_id in ids:
        annotate(store, article_id, "alice", "LOCATION")
    report = export_project(store, tmp_path / "brat", "brat", split=(0.5, 0.5))
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == ["dev", "train"]
    pairs = sum(len(list((tmp_path / "brat" / p).glob("*.ann"))) for p in ("train", "dev"))
    assert pairs == len(TEXTS) == report.article_count
    assert (tmp_path / "brat" / "train" / "annotation.conf").exists()


def test_folder_outputs_must_be_new_or_empty(team, tmp_path):
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "old.txt").write_text("old", encoding="utf-8")
    with pytest.raises(ExportError, match="not an empty folder .*: remove it, or choose a new one"):
        export_project(team, tmp_path / "brat", "brat")
    # Split too: train/, dev/ beside an earlier export's pairs made one folder of two.
    with pytest.raises(ExportError, match="not an empty folder"):
        export_project(team, tmp_path / "brat", "brat", split=(0.5, 0.5))
    assert [p.name for p in (tmp_path / "brat").iterdir()] == ["old.txt"]
    with pytest.raises(ExportError, match="is a folder; give a file name"):
        export_project(team, tmp_path / "brat", "jsonl")


def test_a_cancelled_export_leaves_no_files(store, tmp_path):
    ids = store.add_articles(Article(t) for t in TEXTS).ids
    for article_id in ids:
        annotate(store, article_id, "alice", "CLAIM")

    def cancel(done: int, total: int) -> None:
        if done:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_project(store, tmp_path / "out.conll", "conll", progress=cancel)
    assert list(tmp_path.iterdir()) == []


def test_report_counts_per_label_and_lists_what_the_format_cannot_hold(tricky, tmp_path):
    report = export_project(tricky, tmp_path / "out.conll", "conll")
    assert report.spans == {"FACTION": 5, "LOCATION": 7}
    assert report.omitted == {
        ("CLAIM", "CLAIM is not an entity label: CoNLL holds entities only"): 6
    }
    by_article = report.omissions_by_article()
    assert sorted(by_article) == sorted(a.id for a in tricky.iter_articles())
    assert all(o.span.label == "CLAIM" for o in report.omissions)
    listed = (tmp_path / "out.conll.omitted.tsv").read_text(encoding="utf-8").splitlines()
    assert len(listed) == 1 + 6 and listed[0].startswith("article\ttitle\tstart")
    assert report.to_dict()["omissions_path"] == str(tmp_path / "out.conll.omitted.tsv")
    lines = report.summary_lines()
    assert lines[0] == f"wrote 3 articles to {tmp_path / 'out.conll'}"
    assert "6 spans not written" in "\n".join(lines)


def test_a_clean_export_removes_a_stale_omissions_list(tricky, tmp_path):
    export_project(tricky, tmp_path / "out.conll", "conll")
    assert (tmp_path / "out.conll.omitted.tsv").exists()
    export_project(tricky, tmp_path / "out.jsonl", "jsonl")  # other name: untouched
    assert (tmp_path / "out.conll.omitted.tsv").exists()
    (tmp_path / "out.conll").unlink()
    for article in tricky.iter_articles():
        spans = [s for s in tricky.spans(article.id, "alice") if s.label != "CLAIM"]
        tricky.replace_spans(article.id, "alice", spans)
    export_project(tricky, tmp_path / "out.conll", "conll")
    assert not (tmp_path / "out.conll.omitted.tsv").exists()


def test_the_command_line_exports_and_prints_the_report(tricky, tmp_path, capsys):
    db = tmp_path / "project.db"
    tricky.copy_to(db)
    status = main(
        ["export", str(db), str(tmp_path / "corpus"), "--format", "spacy", "--split", "0.5,0.5"]
    )
    output = capsys.readouterr()
    assert status == 0, output.err
    assert output.out.startswith("wrote 3 articles to")
    assert (tmp_path / "corpus" / "train.spacy").exists()
    assert (tmp_path / "corpus" / "dev.spacy").exists()
    status = main(["export", str(db), str(tmp_path / "x.jsonl"), "--annotator", "nobody"])
    output = capsys.readouterr()
    assert status == 1 and output.err.startswith("error: no annotator 'nobody'")
    assert output.err.count("\n") == 1


def test_the_command_line_prints_the_report_as_json(tricky, tmp_path, capsys):
    db = tmp_path / "project.db"
    tricky.copy_to(db)
    out = tmp_path / "out.conll"
    status = main(["export", str(db), str(out), "--format", "conll", "--json"])
    output = capsys.readouterr()
    assert status == 0, output.err
    figures = json.loads(output.out)  # one JSON object, nothing else
    assert figures["format"] == "conll" and figures["outputs"] == {"": str(out)}
    assert figures["articles"] == {"": 3} and figures["versions"] == {"alice": 3}
    assert figures["spans"] == {"FACTION": 5, "LOCATION": 7}
    assert figures["omissions_path"] == str(tmp_path / "out.conll.omitted.tsv")
    assert {"kb_versions", "relations_written", "attributes_written"} <= figures.keys()


@pytest.mark.parametrize("format_name", ["jsonl", "spacy", "doccano", "conll"])
def test_a_versions_twin_spans_go_out_once(store, tmp_path, format_name):
    """A script's twins (from before the store refused them) went out twice: the same
    entity twice in doccano, "residents" twice in doc.spans["sc"]."""
    (article_id,) = store.add_articles([Article("Rebels took Kidal on Monday.")]).ids
    store.add_spans_in_bulk([(article_id, "ana", 12, 17, "LOCATION", "manual")] * 2)
    store.set_status(article_id, "ana", "done")
    out = tmp_path / f"out{get_format(format_name).suffix}"
    report = export_project(store, out, format_name)
    assert report.spans == {"LOCATION": 1}
