"""review/merge.py and ``annotator merge``: projects annotators worked on separately, combined."""

import shutil
import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, Article, Label, Span
from annotator.review.merge import merge_projects
from annotator.review.merge_scheme import MergeConflict
from annotator.storage import StorageError, Store
from annotator.storage.suggested_names import suggested_names

TEXTS = [
    "Government forces shelled Idlib, activists said.",
    "Rebels claimed they took Saraqib on Monday.",
    "The Nusra Front denied any role in Aleppo.",
]


def _project(path: Path, name: str, spans: dict[int, list[Span]], texts=TEXTS) -> Path:
    """A project as an annotator's machine has it: all articles, their own work on some."""
    with Store(path) as store:
        ids = store.add_articles(Article(text, title=f"T{i}") for i, text in enumerate(texts)).ids
        store.add_suggestions(
            [(ids[0], [Span(26, 31, "LOCATION", score=0.9)]), (ids[1], [])], "m-1"
        )
        for index, article_spans in spans.items():
            for span in article_spans:
                store.add_span(ids[index], name, span)
            store.set_status(ids[index], name, "done")
    return path


def _by_text(store: Store, annotator: str) -> dict[str, list[Span]]:
    return {
        store.article(article_id).text: store.spans(article_id, annotator)
        for article_id in store.article_ids()
        if store.spans(article_id, annotator)
    }


def _lead(tmp_path: Path, *labels: Label, ana: Sequence[Span] = ()) -> tuple[Path, list[int]]:
    """The lead's project: the texts, ``labels`` added to its scheme, and ana's finished
    ``ana`` spans on the first article, if any."""
    lead = tmp_path / "lead.db"
    with Store(lead) as store:
        ids = store.add_articles(Article(text) for text in TEXTS).ids
        for label in labels:
            store.add_label(label)
        for span in ana:
            store.add_span(ids[0], "ana", span)
        if ana:
            store.set_status(ids[0], "ana", "done")
    return lead, ids


def _copy(lead: Path, name: str) -> Path:
    """An annotator's copy of the lead's project, as it is now."""
    copy = lead.with_name(f"{name}.db")
    shutil.copy(lead, copy)
    return copy


WEAPON = Label("WEAPON", "entity", "#000000", "5")
RUMOUR = Label("RUMOUR", "claim", "#111111", "6")


@pytest.fixture
def ana(tmp_path):
    return _project(tmp_path / "ana.db", "ana", {0: [Span(26, 31, "LOCATION")], 1: []})


@pytest.fixture
def ben(tmp_path):
    # Ben's project has the articles in another order: ids differ, hashes match.
    spans = {0: [Span(0, 6, "FACTION")], 2: [Span(26, 31, "LOCATION"), Span(0, 17, "FACTION")]}
    return _project(tmp_path / "ben.db", "ben", spans, texts=list(reversed(TEXTS)))


def test_articles_match_by_text_and_each_annotator_keeps_their_work(tmp_path, ana, ben):
    out = tmp_path / "out.db"
    report = merge_projects(out, [ana, ben])
    with Store(out) as store:
        assert store.article_count() == 3
        assert store.annotators() == ["ana", "ben"]
        assert _by_text(store, "ana") == {TEXTS[0]: [Span(26, 31, "LOCATION")]}
        assert _by_text(store, "ben") == {
            TEXTS[2]: [Span(0, 6, "FACTION")],
            TEXTS[0]: [Span(0, 17, "FACTION"), Span(26, 31, "LOCATION")],
        }
        by_text = {store.article(i).text: i for i in store.article_ids()}
        assert store.status(by_text[TEXTS[1]], "ana").status == "done"  # done with no spans
        assert store.status(by_text[TEXTS[1]], "ben").status == "todo"
        assert store.article(by_text[TEXTS[1]]).title in {"T1"}
    assert report.created and report.articles_added == 3
    assert report.articles_by_annotator == {"ana": 2, "ben": 2}


def test_spans_get_new_ids_and_keep_their_origin(tmp_path, ana, ben):
    out = tmp_path / "out.db"
    merge_projects(out, [ana, ben])
    with closing(sqlite3.connect(out)) as db:  # the file as any SQLite client reads it
        rows = db.execute("SELECT id, origin FROM spans ORDER BY id").fetchall()
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert {row[1] for row in rows} == {"human"}


def test_suggestions_come_once_with_the_articles(tmp_path, ana, ben):
    out = tmp_path / "out.db"
    merge_projects(out, [ana, ben])
    with Store(out) as store:
        by_text = {store.article(i).text: i for i in store.article_ids()}
        assert store.suggestions(by_text[TEXTS[0]]) == [Span(26, 31, "LOCATION")]
        assert store.suggestions(by_text[TEXTS[2]]) == [Span(26, 31, "LOCATION")]  # ben's first
        assert sum(store.stats()["suggestions"]["m-1"].values()) == 2
        # The model ran on three articles, one of them without a suggestion: none runs again.
        assert store.articles_suggested_by("m-1") == set(by_text.values())


def test_events_come_along_under_the_new_article_ids(tmp_path, ana, ben):
    out = tmp_path / "out.db"
    merge_projects(out, [ana, ben])
    with Store(ana) as source:
        expected = [(e["ts"], e["action"], e["payload"]) for e in source.events(annotator="ana")]
        first_text = source.article(source.events(annotator="ana")[0]["article_id"]).text
    with Store(out) as store:
        events = store.events(annotator="ana")
        assert [(e["ts"], e["action"], e["payload"]) for e in events] == expected
        assert store.article(events[0]["article_id"]).text == first_text
        assert {e["annotator"] for e in store.events()} == {"ana", "ben"}


def test_merging_the_same_input_twice_changes_nothing(tmp_path, ana, ben):
    out = tmp_path / "out.db"
    merge_projects(out, [ana, ben])
    before = _dump(out)
    report = merge_projects(out, [ana, ben, ana])
    assert _dump(out) == before
    assert not report.created and report.articles_added == 0 and report.events_added == 0
    assert report.unchanged_by_annotator == {"ana": 2, "ben": 2}  # ana's file read once
    assert (
        "ana: work on 0 articles added (0 spans, 0 relations); 2 identical to work merged "
        "already, skipped"
    ) in report.summary_lines()


def _dump(path: Path) -> dict:
    with closing(sqlite3.connect(path)) as db:
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("articles", "labels", "suggestions", "spans", "article_status", "events")
        }


def test_different_work_under_one_name_names_both_files_and_leaves_out_untouched(
    tmp_path, ana, ben
):
    out = tmp_path / "out.db"
    merge_projects(out, [ben])
    with closing(sqlite3.connect(out)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = out.read_bytes()
    other = _project(tmp_path / "ana-laptop.db", "ana", {0: [Span(26, 31, "FACTION")]})
    with pytest.raises(MergeConflict) as error:
        merge_projects(out, [ana, other])
    message = str(error.value)
    assert str(ana) in message and str(other) in message and "ana" in message
    assert "'T0'" in message
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["ana.db", "ana-laptop.db", "ben.db", "out.db"]
    )


def test_a_status_differing_from_what_out_holds_is_a_conflict(tmp_path, ana):
    out = tmp_path / "out.db"
    merge_projects(out, [ana])
    with Store(out) as store:
        store.set_status(store.article_ids()[0], "ana", "flagged")
    with pytest.raises(MergeConflict, match=f"in {out} and in {ana}"):
        merge_projects(out, [ana])


def test_newer_takes_an_annotators_later_work_over_what_out_holds(tmp_path, ana):
    """An annotator who went on working in their copy could not be merged again: "different
    work ... nothing was merged", the reviewer's project stuck with the old version."""
    out = tmp_path / "out.db"
    merge_projects(out, [ana])
    with Store(out) as store:  # the reviewer reviews the first article
        first = store.article_id_for_hash(Article(TEXTS[0]).text_hash)
        store.replace_spans(first, GOLD, store.spans(first, "ana"), action="adjudicate")
        store.set_status(first, GOLD, "done")
    time.sleep(0.005)
    with Store(ana) as store:  # ana corrects it afterwards, in her copy
        mine = store.article_id_for_hash(Article(TEXTS[0]).text_hash)
        (span,) = store.spans(mine, "ana")
        store.delete_span(span.id)
        store.add_span(mine, "ana", Span(0, 17, "FACTION", origin="human"))
    with pytest.raises(MergeConflict, match="--newer takes the version edited or marked last"):
        merge_projects(out, [ana])
    report = merge_projects(out, [ana], newer=True)
    assert report.replaced_by_annotator == {"ana": 1}
    assert any("1 replaced older work" in line for line in report.summary_lines())
    with Store(out) as store:
        assert [(s.start, s.end, s.label) for s in store.spans(first, "ana")] == [
            (0, 17, "FACTION")
        ]
        assert store.status(first, "ana").status == "done"
        assert store.changed_since_review() == {first}  # gold is to be looked at again
    # The older copy merged again with --newer changes nothing: OUT holds the newer work.
    assert merge_projects(out, [ana], newer=True).replaced_by_annotator == {}


def test_newer_between_two_inputs_takes_the_later_and_a_tie_is_an_error(tmp_path, ana):
    time.sleep(0.005)
    later = _project(tmp_path / "later.db", "ana", {0: [Span(0, 17, "FACTION")]})
    out = tmp_path / "out.db"
    merge_projects(out, [later, ana], newer=True)  # the later first, the older after it
    with Store(out) as store:
        first = store.article_id_for_hash(Article(TEXTS[0]).text_hash)
        assert [s.label for s in store.spans(first, "ana")] == ["FACTION"]
    tie = tmp_path / "tie.db"
    shutil.copy(ana, tie)
    with closing(sqlite3.connect(tie)) as db, db:
        db.execute("DELETE FROM spans")  # other work, stamped as the original
    with pytest.raises(MergeConflict, match="same time"):
        merge_projects(tmp_path / "out2.db", [ana, tie], newer=True)


def test_a_failed_merge_into_a_new_file_leaves_no_file(tmp_path, ana):
    other = _project(tmp_path / "other.db", "ana", {0: []})
    out = tmp_path / "new.db"
    with pytest.raises(MergeConflict):
        merge_projects(out, [ana, other])
    assert not out.exists() and not Path(f"{out}-wal").exists()


def test_inputs_are_only_read(tmp_path, ana, ben):
    before = {path: path.read_bytes() for path in (ana, ben)}
    merge_projects(tmp_path / "out.db", [ana, ben])
    assert {path: path.read_bytes() for path in (ana, ben)} == before


def test_gold_and_new_labels_come_along(tmp_path, ana):
    reviewed = tmp_path / "reviewed.db"
    with Store(reviewed) as store:
        (article_id,) = store.add_articles([Article(TEXTS[2])]).ids
        store.save_label(Label("WEAPON", "entity", "#000000", "4"))
        store.replace_spans(article_id, GOLD, [Span(4, 15, "FACTION"), Span(38, 44, "WEAPON")])
        store.set_status(article_id, GOLD, "done")
    out = tmp_path / "out.db"
    merge_projects(out, [ana, reviewed])
    with Store(out) as store:
        assert "WEAPON" in store.label_kinds()
        assert _by_text(store, GOLD) == {TEXTS[2]: [Span(4, 15, "FACTION"), Span(38, 44, "WEAPON")]}


def test_a_copy_taken_before_a_label_was_renamed_merges_under_the_new_name(tmp_path):
    """Every article of the copy was "different work" (WEAPON is not ARMS): a dead end."""
    mortar = Label("MORTAR", "entity", "#111111", "6")
    lead, ids = _lead(tmp_path, WEAPON, mortar, ana=[Span(0, 10, "WEAPON")])
    copy = _copy(lead, "ana")
    with Store(lead) as store:
        store.rename_label("WEAPON", "ARMS")
        store.merge_label("MORTAR", "ARMS")
    with Store(copy) as store:  # ana goes on in her copy
        store.add_span(ids[1], "ana", Span(0, 6, "WEAPON"))
        store.add_span(ids[1], "ana", Span(25, 33, "MORTAR"))
        store.set_status(ids[1], "ana", "done")
    report = merge_projects(lead, [copy])
    assert "WEAPON of " in " ".join(report.label_notes)
    with Store(lead) as store:
        assert {label.name for label in store.labels()} >= {"ARMS"}
        assert not {"WEAPON", "MORTAR"} & set(store.label_kinds())
        assert store.spans(ids[0], "ana") == [Span(0, 10, "ARMS")]  # identical: skipped
        assert store.spans(ids[1], "ana") == [Span(0, 6, "ARMS"), Span(25, 33, "ARMS")]


def test_a_name_made_again_after_a_rename_is_the_old_label_in_a_copy_taken_before(tmp_path):
    """OUT renamed WEAPON to ARMS, then added a new WEAPON: the copy's WEAPON spans, the
    old label's, went in as the new one's with --newer, unsaid."""
    lead, ids = _lead(tmp_path, WEAPON, ana=[Span(0, 10, "WEAPON")])
    copy = _copy(lead, "ana")
    with Store(lead) as store:
        store.rename_label("WEAPON", "ARMS")
        store.add_label(Label("WEAPON", "entity", "#222222", "7"))  # as the dialog adds one
    with Store(copy) as store:
        store.add_span(ids[1], "ana", Span(0, 6, "WEAPON"))
    merge_projects(lead, [copy])
    with Store(lead) as store:
        assert store.spans(ids[0], "ana") == [Span(0, 10, "ARMS")]
        assert store.spans(ids[1], "ana") == [Span(0, 6, "ARMS")]


def test_a_label_deleted_with_its_spans_is_left_out_of_a_copy_taken_before(tmp_path):
    lead, ids = _lead(tmp_path, RUMOUR, ana=[Span(0, 10, "RUMOUR"), Span(26, 31, "LOCATION")])
    copy = _copy(lead, "ana")
    with Store(lead) as store:
        store.delete_label("RUMOUR", force=True)
    with Store(copy) as store:  # new work in the copy, on another article
        store.add_span(ids[1], "ana", Span(0, 6, "FACTION"))
        store.set_status(ids[1], "ana", "done")
    report = merge_projects(lead, [copy])
    assert any("RUMOUR of " in note and "deleted since" in note for note in report.label_notes)
    with Store(lead) as store:
        assert "RUMOUR" not in store.label_kinds()
        assert store.spans(ids[0], "ana") == [Span(26, 31, "LOCATION")]
        assert store.spans(ids[1], "ana") == [Span(0, 6, "FACTION")]


def test_label_changes_another_copy_brought_in_are_not_followed(tmp_path):
    """bob renamed WEAPON and deleted RUMOUR in his own copy; merged into LEAD, those
    changes sat in LEAD's log, and ana's copy merged next lost her RUMOUR spans and had her
    WEAPON ones relabelled, though LEAD's scheme had both still."""
    lead, ids = _lead(tmp_path, WEAPON, RUMOUR)
    for name in ("ana", "bob"):
        _copy(lead, name)
    with Store(tmp_path / "bob.db") as store:
        store.rename_label("WEAPON", "GUN")
        store.delete_label("RUMOUR", force=True)
    with Store(tmp_path / "ana.db") as store:
        store.add_span(ids[0], "ana", Span(0, 10, "WEAPON"))
        store.add_span(ids[1], "ana", Span(0, 6, "RUMOUR"))
        store.set_status(ids[1], "ana", "done")
    merge_projects(lead, [tmp_path / "bob.db"])
    report = merge_projects(lead, [tmp_path / "ana.db"])
    assert report.label_notes == []
    with Store(lead) as store:
        assert store.spans(ids[0], "ana") == [Span(0, 10, "WEAPON")]
        assert store.spans(ids[1], "ana") == [Span(0, 6, "RUMOUR")]


def test_a_copy_taken_after_the_rename_keeps_a_label_it_made_again(tmp_path):
    lead, ids = _lead(tmp_path, WEAPON)
    with Store(lead) as store:
        store.rename_label("WEAPON", "ARMS")
    copy = _copy(lead, "ana")
    with Store(copy) as store:  # WEAPON again, on purpose, after the rename
        store.save_label(Label("WEAPON", "entity", "#222222", "7"))
        store.add_span(ids[0], "ana", Span(0, 10, "WEAPON"))
    merge_projects(lead, [copy])
    with Store(lead) as store:
        assert store.spans(ids[0], "ana") == [Span(0, 10, "WEAPON")]


def test_a_name_in_another_case_is_the_projects_annotator(tmp_path, ana):
    """A copy's "Ana" was added beside the project's "ana" unsaid: two annotators, with an
    agreement figure between them, and her work split in two in the figures."""
    out = tmp_path / "out.db"
    merge_projects(out, [ana])
    other = _project(tmp_path / "Ana.db", "Ana", {2: [Span(16, 21, "FACTION")]})
    with Store(other) as store:
        store.add_span(store.article_ids()[2], "Ana", Span(34, 40, "LOCATION"))
    report = merge_projects(out, [other])
    assert f"Ana of {other} taken as ana, the project's spelling" in report.summary_lines()
    with Store(out) as store:
        assert store.annotators() == ["ana"]
        done = {store.article(i).text: store.status(i, "ana").status for i in store.article_ids()}
        assert done[TEXTS[2]] == "done"
        assert {e["annotator"] for e in store.events()} == {"ana"}
    assert merge_projects(out, [other]).unchanged_by_annotator == {"ana": 1}  # once is enough


def test_a_copy_that_holds_both_spellings_keeps_them(tmp_path, ana):
    out = tmp_path / "out.db"
    merge_projects(out, [ana])
    both = _project(tmp_path / "both.db", "Ana", {2: [Span(16, 21, "FACTION")]})
    with Store(both) as store:
        store.add_span(store.article_ids()[2], "ana", Span(0, 3, "FACTION"))
    merge_projects(out, [both])
    with Store(out) as store:
        assert sorted(store.annotators()) == ["Ana", "ana"]


def test_an_article_removed_since_the_copy_was_taken_stays_removed(tmp_path):
    """Each merge of an older copy brought a removed article back under a new id, with
    "given to nobody: 1 article" and nothing said."""
    lead, ids = _lead(tmp_path)
    copy = _copy(lead, "ana")
    with Store(copy) as store:
        for article_id in ids[:2]:
            store.add_span(article_id, "ana", Span(0, 6, "FACTION"))
            store.set_status(article_id, "ana", "done")
    with Store(lead) as store:
        store.remove_article(ids[1], by="lead")
    report = merge_projects(lead, [copy])
    assert report.articles_added == 0
    assert any(
        note.startswith(f"1 article of {copy} left out with the work on it: removed from lead.db")
        for note in report.summary_lines()
    )
    with Store(lead) as store:
        assert {store.article(i).text for i in store.article_ids()} == {TEXTS[0], TEXTS[2]}
        assert store.spans(ids[0], "ana") == [Span(0, 6, "FACTION")]  # the rest comes along
        store.add_articles([Article(TEXTS[1])])  # imported again: the copy's work is welcome
    report = merge_projects(lead, [copy])
    with Store(lead) as store:
        again = next(i for i in store.article_ids() if store.article(i).text == TEXTS[1])
        assert store.spans(again, "ana") == [Span(0, 6, "FACTION")]


def test_a_copy_taken_after_the_removal_may_bring_the_article_back(tmp_path):
    lead, ids = _lead(tmp_path)
    with Store(lead) as store:
        store.remove_article(ids[1], by="lead")
    copy = _copy(lead, "ana")
    with Store(copy) as store:  # imported again in the copy, after the removal
        store.add_articles([Article(TEXTS[1])])
    assert merge_projects(lead, [copy]).articles_added == 1


def test_the_longer_reading_time_of_the_same_work_is_kept(tmp_path):
    """Ten more minutes on a done article in a copy were "identical work" and dropped: stats
    showed 6 minutes in the project against 16 in the copy."""
    lead, ids = _lead(tmp_path, ana=[Span(26, 31, "LOCATION")])
    with Store(lead) as store:
        store.add_active_time(ids[0], "ana", 60)
    copy = _copy(lead, "ana")
    with Store(copy) as store:
        store.add_active_time(ids[0], "ana", 600)
    report = merge_projects(lead, [copy])
    assert report.unchanged_by_annotator == {"ana": 1}
    assert "reading time: 1 article read longer in the inputs than here" in " ".join(
        report.summary_lines()
    )
    with Store(lead) as store:
        assert store.status(ids[0], "ana").seconds_active == 660
    with Store(copy) as store:  # less time than the project's (kept): nothing changes
        store.add_active_time(ids[0], "ana", -600)
    assert not merge_projects(lead, [copy]).longer
    with Store(lead) as store:
        assert store.status(ids[0], "ana").seconds_active == 660


def test_a_label_of_another_kind_is_a_conflict(tmp_path, ana):
    other = tmp_path / "other.db"
    with Store(other) as store:
        store.save_label(Label("CLAIM", "entity"))
    with pytest.raises(MergeConflict, match="label CLAIM"):
        merge_projects(tmp_path / "out.db", [ana, other])


def test_labels_two_copies_added_keep_the_schemes_rules(tmp_path, ana):
    """Two copies each added a label: both got the next key (W) and colour, and merged, both
    answered to W and neither worked; "Weapon" came in beside "WEAPON"."""
    lead, annot = tmp_path / "lead.db", tmp_path / "annot.db"
    shutil.copy(ana, lead)
    shutil.copy(ana, annot)
    with Store(lead) as store:
        store.save_label(Label("WEAPON", "entity", "#17becf", "W"))
    with Store(annot) as store:
        store.save_label(Label("ARMS", "entity", "#17becf", "W"))
    report = merge_projects(lead, [annot])
    with Store(lead) as store:
        labels = {label.name: label for label in store.labels()}
    assert (labels["WEAPON"].key, labels["ARMS"].key) == ("W", "")
    assert labels["ARMS"].color != labels["WEAPON"].color
    lines = report.summary_lines()
    assert "labels: ARMS added without its key W (the label WEAPON has it): it answers to 6" in (
        lines
    )
    assert f"labels: ARMS added as {labels['ARMS'].color}: its colour #17becf is taken" in lines
    with Store(annot) as store:
        store.save_label(Label("Weapon", "entity", "#000000"))
    with pytest.raises(MergeConflict, match="Weapon of .* and WEAPON of .* differ only in case"):
        merge_projects(lead, [annot])


def test_an_attributes_key_another_copy_gave_a_label_stays_behind(tmp_path, ana):
    """The merge stopped with "the key K belongs to the label KILLED already; choose
    another", naming no file: a merge cannot choose."""
    from annotator.core.relations import AttributeType

    first, second = tmp_path / "d.db", tmp_path / "e.db"
    shutil.copy(ana, first)
    shutil.copy(ana, second)
    with Store(first) as store:
        store.save_attribute_type(
            AttributeType("certain", "CLAIM", "flag", ("no", "yes"), "no", "K")
        )
    with Store(second) as store:
        store.save_label(Label("KILLED", "entity", "#000000", "K"))
    report = merge_projects(tmp_path / "out.db", [second, first])
    with Store(tmp_path / "out.db") as store:
        assert {t.name: t.key for t in store.attribute_types()}["certain"] == ""
        assert {label.name: label.key for label in store.labels()}["KILLED"] == "K"
    assert "labels: attribute certain added without its key K (the label KILLED has it)" in (
        report.summary_lines()
    )


def test_a_new_project_merged_from_one_keeps_its_renamed_types_and_their_keys(tmp_path, ana):
    """One project whose source was renamed attributed_to: "the key R belongs to the
    relation source already", exit 1 (the new file's own source took it)."""
    from dataclasses import replace

    with Store(ana) as store:
        source = store.relation_type("source")
        store.save_relation_type(replace(source, name="attributed_to"), replacing="source")
        polarity = store.attribute_type("polarity")
        store.save_attribute_type(replace(polarity, name="stance"), replacing="polarity")
        expected = {t.name: t for t in [*store.relation_types(), *store.attribute_types()]}
    merge_projects(tmp_path / "out.db", [ana])
    with Store(tmp_path / "out.db") as store:
        merged = {t.name: t for t in [*store.relation_types(), *store.attribute_types()]}
        names = suggested_names(store._db)  # what it will suggest: the input's names
    assert merged == expected
    assert names["relation"]["source"] == "attributed_to"
    assert names["attribute"]["polarity"] == "stance"
    # with a copy that kept source, after it: refused ("the key R belongs to the relation
    # source already"), the new file's own source holding it
    other = tmp_path / "other.db"
    with Store(other) as store:
        store.add_articles([Article("Calm in Gao.")])
    merge_projects(tmp_path / "both.db", [ana, other])
    with Store(tmp_path / "both.db") as store:
        keys = {t.name: t.key for t in store.relation_types()}
    assert keys == {"attributed_to": "R", "source": ""}
    # the other way round: the copy that kept source first gives it the key, and its
    # suggestions go on as source (they went to attributed_to, beside source's key R)
    merge_projects(tmp_path / "kept_first.db", [other, ana])
    with Store(tmp_path / "kept_first.db") as store:
        keys = {t.name: t.key for t in store.relation_types()}
        names = suggested_names(store._db)
    assert keys == {"source": "R", "attributed_to": ""}
    assert names["relation"]["source"] == "source"


def test_missing_or_foreign_inputs_are_errors_naming_them(tmp_path, ana):
    out = tmp_path / "out.db"
    with pytest.raises(StorageError, match="nope.db: no such project file"):
        merge_projects(out, [ana, tmp_path / "nope.db"])
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    with pytest.raises(StorageError, match="notes.db: not an annotator project"):
        merge_projects(out, [text])
    assert not out.exists()


def test_the_command_merges_and_reports(tmp_path, ana, ben, capsys):
    out = tmp_path / "out.db"
    assert main(["merge", str(out), str(ana), str(ben)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"merged 2 projects into {out} (new)"
    assert "articles: 3 added" in lines[1]
    assert any(
        line.startswith("ana: work on 2 articles added (1 span, 0 relations)") for line in lines
    )


def test_the_command_prints_a_conflict_on_one_line(tmp_path, ana, capsys):
    other = _project(tmp_path / "other.db", "ana", {0: []})
    out = tmp_path / "out.db"
    assert main(["merge", str(out), str(ana), str(other)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: annotator ana has different work")
    assert not out.exists()


def test_a_project_of_an_older_schema_is_read_from_an_upgraded_copy(tmp_path, ana):
    with closing(sqlite3.connect(ana)) as db:  # as the program wrote it before migration 0002
        db.execute("DROP TABLE preannotated")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = '0002_preannotated'")
        db.commit()
    before = ana.read_bytes()
    out = tmp_path / "out.db"
    merge_projects(out, [ana])
    assert ana.read_bytes() == before
    with Store(out) as store:
        assert _by_text(store, "ana") == {TEXTS[0]: [Span(26, 31, "LOCATION")]}
        assert len(store.articles_suggested_by("m-1")) == 1  # derived from its suggestions


def test_links_rejections_provenance_and_project_actors_come_along(tmp_path, ana):
    from annotator.storage.links import (
        SuggestedLink,
        add_project_actor,
        project_actors,
        set_span_link,
        store_suggested_links,
        suggested_links,
    )

    idlib = "geonames:169389"
    with Store(ana) as store:
        first = store.article_ids()[0]
        (span,) = store.spans(first, "ana")
        set_span_link(store, span.id, idlib)
        store_suggested_links(
            store, first, "m-1", [SuggestedLink(26, 31, "LOCATION", idlib, "linked")]
        )
        with store.transaction():
            store._db.execute(
                'INSERT INTO known_negatives (article_id, annotator, start, "end", label) '
                "VALUES (?, 'ana', 0, 10, 'FACTION')",
                [first],
            )
            store._db.execute(
                "INSERT INTO provenance (article_id, format, record) VALUES (?, 'prodigy', ?)",
                [first, '{"_input_hash": 7}'],
            )
        add_project_actor(store, {"id": "project:valley", "name": "Valley Brigade"}, "ana")
    out = tmp_path / "out.db"
    merge_projects(out, [ana])
    with Store(out) as store:
        article = store.article_id_for_hash(Article(TEXTS[0]).text_hash)
        assert [s.kb_id for s in store.spans(article, "ana")] == [idlib]
        assert [link.kb_id for link in suggested_links(store, article)] == [idlib]
        negatives = store._db.execute('SELECT annotator, start, "end", label FROM known_negatives')
        assert negatives.fetchall() == [("ana", 0, 10, "FACTION")]
        assert store._db.execute("SELECT record FROM provenance").fetchall() == [
            ('{"_input_hash": 7}',)
        ]
        assert [actor["id"] for actor in project_actors(store)] == ["project:valley"]
    # The same span linked elsewhere is other work: a conflict, as other spans are.
    other = tmp_path / "other.db"
    _project(other, "ana", {0: [Span(26, 31, "LOCATION")], 1: []})
    with Store(other) as store:
        first = store.article_ids()[0]
        set_span_link(store, store.spans(first, "ana")[0].id, "geonames:1")
    with pytest.raises(MergeConflict, match="different work"):
        merge_projects(tmp_path / "again.db", [ana, other])


def test_out_named_as_an_input_and_an_input_named_twice_are_merged_once(tmp_path, ana, ben):
    """`merge p_ana.db p_ana.db p_ben.db` said "merged 2 projects" of three named."""
    copy = tmp_path / "p_ana_copy.db"
    shutil.copy(ana, copy)
    report = merge_projects(copy, [copy, ben, ben])
    assert report.inputs == [ben]
    assert report.summary_lines()[0] == (
        f"merged 1 project into {copy}; it was named as an input too: its own work is in it already"
    )
    with Store(copy) as merged:
        assert set(merged.annotators()) == {"ana", "ben"}


def test_out_named_alone_is_nothing_to_merge_and_makes_no_file(tmp_path):
    out = tmp_path / "new.db"
    with pytest.raises(AnnotatorError, match="nothing to merge: .*new.db is the only project"):
        merge_projects(out, [out])
    assert not out.exists()


def test_newer_work_behind_a_review_marks_it_changed_and_is_reported(tmp_path, ana):
    """The review settled after ana's edit in her copy, then --newer brought that edit:
    its older stamp hid the change (no ◉), and a replacement alone printed no line."""
    out = tmp_path / "out.db"
    merge_projects(out, [ana])
    with Store(ana) as store:  # ana edits in her copy first...
        mine = store.article_id_for_hash(Article(TEXTS[0]).text_hash)
        store.add_span(mine, "ana", Span(0, 17, "FACTION", origin="human"))
    time.sleep(0.005)
    with Store(out) as store:  # ...and the reviewer settles the old version after
        first = store.article_id_for_hash(Article(TEXTS[0]).text_hash)
        store.set_status(first, GOLD, "done")
    report = merge_projects(out, [ana], newer=True)
    (line,) = [line for line in report.summary_lines() if line.startswith("ana:")]
    assert line.endswith("; 1 replaced older work")
    with Store(out) as store:
        assert store.changed_since_review() == {first}
    older = tmp_path / "older.db"
    _project(older, "ana", {0: []})  # an older copy that differs: left out, and said
    with Store(older) as store:
        store._db.execute("UPDATE article_status SET updated_at = '2000-01-01T00:00:00'")
    report = merge_projects(out, [older], newer=True)
    assert any("1 older version left out" in line for line in report.summary_lines())


def test_the_projects_guidelines_come_along_into_a_project_without_any(tmp_path, ana, ben):
    from annotator.storage.base import GUIDELINES_SETTING

    with Store(ben) as store:
        store.set_setting(GUIDELINES_SETTING, "# Our rules\n")
    out = tmp_path / "out.db"
    report = merge_projects(out, [ana, ben])
    assert f"guidelines: taken from {ben}" in report.summary_lines()
    with Store(out) as store:
        assert store.setting(GUIDELINES_SETTING) == "# Our rules\n"
        store.set_setting(GUIDELINES_SETTING, "# The lead's own\n")
    with Store(ana) as store:
        store.set_setting(GUIDELINES_SETTING, "# Another copy's\n")
    report = merge_projects(out, [ana])
    with Store(out) as store:  # OUT's own stay
        assert store.setting(GUIDELINES_SETTING) == "# The lead's own\n"
    assert f"guidelines: {ana}'s differ from those kept, left out" in " ".join(
        report.summary_lines()
    )


def test_an_old_copy_brings_back_no_pre_annotation_an_adoption_replaced(tmp_path):
    """After a model was adopted (the untouched articles suggested anew), merging an older
    copy added back every suggestion the adoption had replaced ("1270 suggestions added")."""
    old_copy, out = tmp_path / "old.db", tmp_path / "out.db"
    with Store(old_copy) as store:
        (article,) = store.add_articles([Article(TEXTS[0])]).ids
        store.add_suggestions([(article, [Span(0, 3, "FACTION")])], "old-model")
    shutil.copy(old_copy, out)
    time.sleep(0.01)
    with Store(out) as store:  # the adoption: the old model's suggestions replaced
        store.clear_suggestions([article], "old-model")
        store.add_suggestions([(article, [Span(4, 9, "LOCATION")])], "new-model")
    report = merge_projects(out, [old_copy])
    with Store(out) as store:
        assert store.suggestion_models() == ["new-model"]
    assert report.suggestions_added == 0 and report.suggestions_older == 1
    assert (
        "(1 left out: older than the project's own pre-annotation of their articles)"
        in (report.summary_lines()[1])
    )


def test_merge_says_which_project_it_reads_and_when_it_writes(tmp_path, ana, ben):
    """Two 50,000-article projects merged for 20-50 s without a word on a terminal."""
    stages = []
    merge_projects(tmp_path / "out.db", [ana, ben], stage=lambda *s: stages.append(s))
    assert stages == [
        ("reading ana.db", 0, 4),
        ("reading ben.db", 1, 4),
        ("reading out.db", 2, 4),
        ("writing out.db", 3, 4),
        ("writing out.db", 4, 4),
    ]
