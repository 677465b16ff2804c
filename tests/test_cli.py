"""The command line as outside checks use it: import, stats, and every kind of bad input."""

from __future__ import annotations

import json
import os

import pytest

from annotator.core import Article, Span
from annotator.storage import Store
from annotator.ui.app import sample_articles_folder
from tests.cli_runner import run


def test_import_the_samples_with_suggestions_and_skip_them_the_second_time(tmp_path, capsys):
    db = tmp_path / "p.db"
    samples = str(sample_articles_folder())
    status, out, _ = run(capsys, "import", str(db), samples, "--model", "rules")
    assert status == 0
    assert "18 articles imported, 0 duplicates skipped" in out
    with Store(db) as store:  # the summary counts what was stored
        sources = store._db.execute("SELECT COUNT(*) FROM suggested_relations").fetchone()[0]
    assert sources and " claim sources" in out and f"({sources} claim sources" in out
    status, out, _ = run(capsys, "import", str(db), samples, "--model", "rules")
    assert status == 0 and "0 articles imported, 18 duplicates skipped" in out
    status, out, _ = run(capsys, "stats", str(db), "--json")
    figures = json.loads(out)
    assert figures["articles"] == 18
    (model,) = figures["suggestions"]
    assert model.startswith("blank_en+rules-")
    assert set(figures["suggestions"][model]) == {"LOCATION", "FACTION", "CLAIM", "SOURCE"}
    with Store(db) as store:
        texts = [a.text for a in store.iter_articles()]
    assert all("\r" not in text for text in texts)  # CRLF samples were normalised


def test_import_without_preannotation(tmp_path, capsys):
    db = tmp_path / "p.db"
    status, out, _ = run(
        capsys, "import", str(db), str(sample_articles_folder()), "--no-preannotate"
    )
    assert status == 0 and "suggestions" not in out
    with Store(db) as store:
        assert store.article_count() == 18 and store.suggestion_models() == []


BAD_INPUTS = {
    "empty.txt": (b"", "empty file", None),
    "binary.txt": (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "binary file", None),
    "latin1.txt": ("Kämpfe in Idlib\n".encode("latin-1"), "not UTF-8", 1),
    "broken.jsonl": (b'{"text": "Fine."}\n{"text": "Broken\n', "not valid JSON", 2),
    "no_text.jsonl": (b'{"text": "Fine."}\n{"title": "No text"}\n', 'no "text"', 2),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_exit_1_and_the_project_unchanged(tmp_path, capsys, existing, name):
    content, message, line = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A good article\n\nThat would be imported.\n")
    before = existing.read_bytes()
    status, out, err = run(capsys, "import", str(existing), str(good), str(bad), "--no-preannotate")
    assert status == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert name in err and message in err
    if line is not None:
        assert f"{name}:{line}" in err
    assert existing.read_bytes() == before  # the good file before it was not imported either
    # A project the command would have created is not left behind.
    fresh = tmp_path / "fresh.db"
    assert run(capsys, "import", str(fresh), str(bad), "--no-preannotate")[0] == 1
    assert not fresh.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("  ", "not an empty one"),
        ("", "not an empty one"),
        ("a\tb", "no tab, line break or control character"),
    ],
)
def test_import_refuses_an_annotator_name_the_window_refuses(
    tmp_path, capsys, existing, name, message
):
    """ "gold" went straight into the adjudicated version; "  " and a tab became names."""
    good = tmp_path / "good.txt"
    good.write_text("A good article\n\nThat would be imported.\n")
    before = existing.read_bytes()
    args = ("import", str(existing), str(good), "--no-preannotate", "--annotator", name)
    status, _, err = run(capsys, *args)
    assert status == 1 and message in err and err.count("\n") == 1, err
    assert existing.read_bytes() == before


def test_import_as_gold_brings_back_the_reviews_version_from_a_format_naming_nobody(
    tmp_path, capsys
):
    """Gold exported to brat, corrected there and imported back went to the annotator
    "imported" beside gold, and `--annotator gold` was refused: no way back as gold."""
    project = tmp_path / "p.db"
    with Store(project) as store:
        (article_id,) = store.add_articles([Article("Rebels attacked Goma on Monday.")]).ids
        store.replace_spans(article_id, "gold", [Span(16, 20, "LOCATION")])
        store.set_status(article_id, "gold", "done")
    out = tmp_path / "brat"
    status, printed, _ = run(capsys, "export", str(project), str(out), "--format", "brat")
    assert status == 0 and "whose versions these are (gold 1) is not written" in printed
    ann = next(out.glob("*.ann"))
    ann.write_text(ann.read_text() + "T9\tFACTION 0 6\tRebels\n")  # corrected in brat
    status, printed, _ = run(capsys, "import", str(project), str(out), "--annotator", "gold",
                             "--no-preannotate")  # fmt: skip
    assert status == 0 and "1 annotation imported as the gold version" in printed
    with Store(project) as store:
        assert store.annotators_of(article_id) == []  # no one beside gold
        assert {s.label for s in store.spans(article_id, "gold")} == {"LOCATION", "FACTION"}
    status, printed, _ = run(capsys, "import", str(project), str(out), "--no-preannotate")
    assert "1 annotation the files name no annotator for went to the annotator imported" in printed
    _, printed, _ = run(capsys, "import", str(project), str(out), "--annotator", "imported",
                        "--no-preannotate")  # fmt: skip
    assert "name no annotator" not in printed  # named by the command


@pytest.mark.parametrize("name", ["Gold", "nobody", "a\tb"])
def test_an_annotator_named_in_a_file_obeys_the_same_rule(tmp_path, capsys, existing, name):
    """A Prodigy file's _annotator_id "gold" went into the gold version as done work,
    unsaid. ("gold" itself, as this program's exports write the review's version, is read
    back as the gold version, said in the summary: see test_format_roundtrip.)"""
    record = {"text": "Rebels took Kidal.", "_annotator_id": name, "answer": "accept"}
    record["spans"] = [{"start": 12, "end": 17, "label": "LOCATION"}]
    path = tmp_path / "named.jsonl"
    path.write_text(json.dumps(record) + "\n")
    before = existing.read_bytes()
    status, _, err = run(capsys, "import", str(existing), str(path), "--no-preannotate")
    assert status == 1 and "named.jsonl:1: the annotator named in the file" in err, err
    assert "--annotator NAME" in err and existing.read_bytes() == before
    args = ("import", str(existing), str(path), "--no-preannotate", "--annotator", "ana")
    assert run(capsys, *args)[0] == 0  # named otherwise, it imports


def test_a_project_that_is_not_sqlite_is_refused_untouched(tmp_path, capsys):
    not_db = tmp_path / "notes.db"
    not_db.write_text("shopping list")
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nBody.\n")
    status, _, err = run(capsys, "import", str(not_db), str(good), "--no-preannotate")
    assert status == 1 and "notes.db" in err and "not an SQLite database" in err
    assert err.count("\n") == 1
    assert not_db.read_text() == "shopping list"


def test_a_missing_folder_is_named(tmp_path, capsys, existing):
    status, _, err = run(capsys, "import", str(existing), str(tmp_path / "nowhere"))
    assert status == 1 and "nowhere: no such file or folder" in err


def test_a_project_path_under_a_file_is_one_line(tmp_path, capsys):
    """import afile/p.db, afile a file: SQLite's "unable to open database file", a traceback."""
    (tmp_path / "afile").write_text("notes")
    (tmp_path / "a.txt").write_text("Rebels took Kidal.")
    db = str(tmp_path / "afile" / "p.db")
    status, _, err = run(capsys, "import", db, str(tmp_path / "a.txt"), "--no-preannotate")
    assert status == 1 and "afile is a file, not a folder" in err and "Traceback" not in err


def test_guidelines_from_a_device_a_pipe_or_a_huge_file_are_refused_at_once(
    tmp_path, capsys, existing
):
    """--set /dev/zero grew to 24 GB before its size was checked; a pipe waited for ever."""
    import os

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    huge = tmp_path / "huge.md"
    with huge.open("wb") as file:
        file.truncate(300_000_000)  # sparse: no room taken
    for source, said in (("/dev/zero", "not a file"), (pipe, "not a file"), (huge, "more than")):
        status, _, err = run(capsys, "guidelines", str(existing), "--set", str(source))
        assert status == 1 and said in err, source


def test_gui_takes_a_project_whose_name_starts_with_a_dash(capsys, monkeypatch):
    """``annotator gui -- -p.db`` was refused: "unrecognized arguments: -p.db"."""
    import annotator.ui.app as window_app

    seen = []

    def run_window(argv):
        seen.append(window_app._arguments(argv))
        return 0

    monkeypatch.setattr(window_app, "main", run_window)
    status, _, err = run(capsys, "gui", "--annotator", "ana", "--", "-p.db")
    assert status == 0, err
    assert [(str(a.db), a.annotator) for a in seen] == [("-p.db", "ana")]


def test_an_export_that_writes_nothing_exits_1_and_says_the_file_there_is_left(
    tmp_path, capsys, existing
):
    """It exited 0, so `annotator export ... && spacy train` trained on the dataset an
    earlier export of another project had left; and "only articles marked done" was said
    where the status was not why (no version of that annotator)."""
    out = tmp_path / "train.jsonl"
    out.write_text("yesterday's dataset\n")
    status, stdout, _ = run(capsys, "export", str(existing), str(out))
    assert status == 1 and out.read_text() == "yesterday's dataset\n"
    assert "the file already there is left as it was" in stdout and "--status all" in stdout
    status, stdout, _ = run(capsys, "export", str(existing), str(out), "--annotator", "rev")
    assert status == 1 and "--status all" not in stdout


def test_a_text_too_long_to_be_an_article_is_refused_naming_it(tmp_path, capsys, monkeypatch):
    """50 million characters in one record were imported unsaid; opening the article froze
    the window for 50 s and took 2.5 GB."""
    import annotator.formats.import_check as import_check

    monkeypatch.setattr(import_check, "LONGEST_ARTICLE", 100)
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"text": "Rebels took Kidal. " * 10})
        + "\n"
        + json.dumps({"text": "Calm."})
        + "\n"
    )
    db = tmp_path / "p.db"
    status, _, err = run(capsys, "import", str(db), str(source), "--no-preannotate")
    assert status == 1 and "the text is 190 characters long: more than 100" in err
    assert "split it into articles" in err and not db.exists()
    status, out, _ = run(
        capsys, "import", str(db), str(source), "--no-preannotate", "--skip-invalid"
    )
    assert status == 0 and out.startswith("1 article imported")


def test_export_takes_an_annotator_name_in_another_case_as_the_projects(tmp_path, capsys):
    """--annotator ANN1 was refused ("no ANN1 version") where the window, assign and merge
    take it as ann1."""
    from annotator.core import Article, Span

    project = tmp_path / "p.db"
    with Store(project) as store:
        (article_id,) = store.add_articles([Article("Rebels shelled Aleppo.")]).ids
        store.add_span(article_id, "ann1", Span(15, 21, "LOCATION"))
        store.set_status(article_id, "ann1", "done")
    out = tmp_path / "a.jsonl"
    status, stdout, err = run(capsys, "export", str(project), str(out), "--annotator", "ANN1")
    assert status == 0 and "ANN1: taken as ann1, the project's spelling" in err
    assert stdout.startswith("wrote 1 article")


def test_a_device_as_the_project_or_a_file_as_the_exports_folder_is_one_line(
    tmp_path, capsys, existing
):
    """import /dev/null ... said "disk I/O error, check the disk"; export to afile/out.jsonl,
    afile a file, said "folder afile does not exist"."""
    (tmp_path / "a.txt").write_text("Rebels took Kidal.")
    status, _, err = run(capsys, "import", "/dev/null", str(tmp_path / "a.txt"))
    assert status == 1 and "/dev/null: is a device or a pipe, not a project file" in err
    (tmp_path / "afile").write_text("notes")
    status, _, err = run(capsys, "export", str(existing), str(tmp_path / "afile" / "o.jsonl"))
    assert status == 1 and "afile is a file, not a folder" in err


def test_import_takes_an_annotator_name_in_another_case_as_the_projects(tmp_path, capsys):
    """--annotator Ana beside ana's work made one person two annotators, and later commands
    picked one spelling."""
    db = tmp_path / "p.db"
    first, second = tmp_path / "s1.jsonl", tmp_path / "s2.jsonl"
    for path, text, place in (
        (first, "Rebels took Kidal.", (12, 17)),
        (second, "Shelling hit Gao.", (13, 16)),
    ):
        spans = [{"start": place[0], "end": place[1], "label": "LOCATION"}]
        path.write_text(json.dumps({"text": text, "spans": spans}) + "\n")
    run(capsys, "import", str(db), str(first), "--annotator", "ana", "--no-preannotate")
    status, _, err = run(
        capsys, "import", str(db), str(second), "--annotator", "Ana", "--no-preannotate"
    )
    assert status == 0 and "Ana: taken as ana, the project's spelling" in err
    with Store(db) as store:
        assert store.annotators() == ["ana"]


def test_a_folders_files_of_other_types_are_counted_not_left_out_silently(
    tmp_path, capsys, existing
):
    """A folder's .docx and .html files and its broken links were left out without a word."""
    folder = tmp_path / "news"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text("Clashes in Goma\n\nFighting went on near Goma.\n")
    (folder / "deeper" / "b.docx").write_bytes(b"PK\x03\x04")
    (folder / "c.html").write_text("<p>Goma</p>")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "elsewhere").mkdir()
    (folder / "linked").symlink_to(tmp_path / "elsewhere")
    os.mkfifo(folder / "feed.txt")  # read, it would wait for a writer for ever
    status, out, _ = run(capsys, "import", str(existing), str(folder), "--no-preannotate")
    assert status == 0 and out.startswith("1 article imported")
    assert (
        "5 files in the folders left out, of types the program does not read: "
        ".docx 1, .html 1, broken link 1, linked folder (not entered) 1, "
        "pipe or device (not read) 1" in out
    )
    # A folder of nothing it reads says what it holds.
    (folder / "a.txt").unlink()
    status, _, err = run(capsys, "import", str(existing), str(folder), "--no-preannotate")
    assert status == 1 and "files in this folder (it holds: .docx 1, .html 1, broken" in err


def test_a_word_document_is_told_to_be_saved_as_plain_text(tmp_path, capsys, existing):
    """Given --format txt, a .docx was "a zip archive: unpack it first": unpacked, it is
    XML, not the text."""
    word = tmp_path / "report.docx"
    word.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml")
    status, _, err = run(capsys, "import", str(existing), str(word), "--format", "txt")
    assert status == 1 and "a word-processor document" in err and "plain text (.txt)" in err


def test_skip_invalid_leaves_out_a_file_of_no_known_format_and_imports_the_rest(
    tmp_path, capsys, existing
):
    """A .docx among the files refused the whole import, even with --skip-invalid."""
    good = tmp_path / "good.txt"
    good.write_text("Clashes in Goma\n\nFighting went on near Goma.\n")
    word = tmp_path / "news.docx"
    word.write_bytes(b"PK\x03\x04")
    args = ("import", str(existing), str(word), str(good), "--no-preannotate")
    assert run(capsys, *args)[0] == 1
    status, out, _ = run(capsys, *args, "--skip-invalid")
    assert status == 0 and out.startswith("1 article imported")
    assert "1 invalid record skipped" in out and "news.docx: cannot tell the format" in out


def test_an_import_says_which_suggested_articles_do_not_look_english(tmp_path, capsys, existing):
    """The English pipeline made a Ukrainian headline a FACTION, and nothing said why."""
    ukrainian = tmp_path / "kharkiv.txt"
    ukrainian.write_text(
        "Обстріл Харкова\n\nРосійські війська завдали ракетного удару по центру міста, "
        "повідомив голова обласної військової адміністрації. Загинули щонайменше троє людей, "
        "ще дванадцять поранені. Рятувальники продовжують розбирати завали житлового "
        "будинку, де під уламками можуть бути люди, сказали в поліції області.\n"
    )
    english = tmp_path / "goma.txt"
    english.write_text(
        "Clashes in Goma\n\n" + "Fighting went on near Goma on Friday, and the army said "
        "that it had taken back two villages from the rebels after a night of shelling. " * 2
    )
    args = ("import", str(existing), str(ukrainian), str(english), "--model", "rules")
    status, out, _ = run(capsys, *args)
    assert status == 0 and out.startswith("2 articles imported")
    assert "1 article does not look English (the first: 'Обстріл Харкова')" in out
    # The title as it is stored, on one line: the file's tab and line break were quoted.
    record = {"text": "Загинули щонайменше троє людей у Харкові.", "title": " Удар\tпо\r\nмісту "}
    (tmp_path / "strike.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")
    status, out, _ = run(capsys, "import", str(existing), str(tmp_path / "strike.jsonl"))
    assert status == 0 and "(the first: 'Удар по місту')" in out


def test_stats_counts_each_annotators_links_and_verdicts(tmp_path, capsys):
    """Entries an annotator chose were counted nowhere (only the model's links)."""
    from annotator.storage.links import set_span_link

    db = tmp_path / "p.db"
    with Store(db) as store:
        (article_id,) = store.add_articles([Article("Rebels shelled Idlib and Homs.")]).ids
        rebels, idlib, homs = (
            store.add_span(article_id, "ana", span)
            for span in (Span(0, 6, "FACTION"), Span(15, 20, "LOCATION"), Span(25, 29, "LOCATION"))
        )
        set_span_link(store, idlib.id, "geonames:169389")
        set_span_link(store, homs.id, "geonames:169577")
        set_span_link(store, rebels.id, "", status="generic")
    status, out, _ = run(capsys, "stats", str(db), "--json")
    assert json.loads(out)["links"] == {"ana": {"generic": 1, "linked": 2}}
    status, out, _ = run(capsys, "stats", str(db))
    assert "links of ana: generic 1, linked 2" in out


def test_stats_on_a_missing_project_is_an_error_not_a_new_file(tmp_path, capsys):
    status, _, err = run(capsys, "stats", str(tmp_path / "missing.db"))
    assert status == 1 and "no such project file" in err
    assert not (tmp_path / "missing.db").exists()


def test_an_unknown_format_lists_the_known_ones(tmp_path, capsys, existing):
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nBody.\n")
    status, _, err = run(capsys, "import", str(existing), str(good), "--format", "xml")
    assert status == 1 and "known formats that import" in err and "brat" in err
    known = err.rsplit(":", 1)[1].strip().split(", ")
    assert "spacy" not in known and "geojson" not in known  # written, never read
    assert "spacy-json" in known  # (spaCy's JSON training data is read)
    status, _, err = run(capsys, "export", str(existing), str(tmp_path / "o"), "--format", "xml")
    assert status == 1 and "known formats that export" in err and "txt" not in err


def test_the_export_format_follows_the_suffix_of_out(tmp_path, capsys):
    """``export DB train.spacy`` wrote Prodigy JSON Lines into it, exit 0, and spaCy then
    failed with E1014: the window's dialog and ``import`` go by the suffix, and so does this."""
    from annotator.core import Article, Span

    project = tmp_path / "p.db"
    with Store(project) as store:
        (article_id,) = store.add_articles([Article("Rebels shelled Aleppo.")]).ids
        store.add_span(article_id, "ana", Span(15, 21, "LOCATION"))
        store.set_status(article_id, "ana", "done")
    for name, starts in (
        ("train.spacy", b"\x00"),  # DocBin: msgpack, not text
        ("a.conll", b"-DOCSTART-"),
        ("a.json", b"["),  # Label Studio's tasks, one JSON array
        ("a.jsonl", b'{"text"'),
        ("a.ndjson", b'{"text"'),
    ):
        assert run(capsys, "export", str(project), str(tmp_path / name))[0] == 0
        head = (tmp_path / name).read_bytes()
        assert head.startswith(starts) if starts != b"\x00" else not head.startswith(b"{"), name
    # A .txt is imported as plain text: JSON Lines there came back as one article of JSON.
    status, _, err = run(capsys, "export", str(project), str(tmp_path / "a.txt"))
    assert status == 1 and "give --format" in err and not (tmp_path / "a.txt").exists()
    status, out, _ = run(
        capsys, "export", str(project), str(tmp_path / "b.json"), "--format", "jsonl"
    )
    assert status == 0 and (tmp_path / "b.json").read_bytes().startswith(b'{"text"')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "No such option: --bogus"),
        (["stats"], "Missing argument"),
        (["import", "x.db", "--frob"], "No such option: --frob"),
        (["export", "x.db", "out.jsonl", "--split"], "'--split' requires an argument"),
        (["nonsense"], "No such command"),
        (["preannotate", "x.db", "--n-process", "0"], "greater than or equal to 1"),
        (["preannotate", "x.db", "--n-process", "100000"], "less than or equal to"),
        (["export", "x.db", "o.jsonl", "--split", "0.8,0.3,0.1"], "add up to 1.2, not 1"),
        (["export", "x.db", "o.jsonl", "--split", "abc"], "--split: abc: give two or three"),
        (["export", "x.db", "o.jsonl", "--split", ""], "give two or three numbers"),
    ],
)
def test_a_usage_error_prints_the_usage_and_exits_2_without_a_traceback(
    tmp_path, capsys, args, message
):
    status, out, err = run(capsys, *args)
    assert status == 2
    assert "Traceback" not in err + out
    assert message in err and err.count("Error:") == 1
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        (["gui"], "annotator gui [OPTIONS] [DB]"),
        (["import"], "annotator import [OPTIONS] {DB} {PATH}..."),
        (["export"], "annotator export [OPTIONS] {DB} {OUT}"),
        (["merge"], "annotator merge [OPTIONS] {OUT_DB} {IN_DB}..."),
        (["labels", "x.db", "merge"], "merge [OPTIONS] {SOURCE} {TARGET}"),
        (["labels", "x.db", "adopt"], "adopt [OPTIONS] [NAME]..."),
    ],
)
def test_usage_lines_name_the_arguments_as_the_readme_does(capsys, command, usage):
    """They said ``{out}``, ``{paths}...`` and ``{in_dbs}...`` beside ``{DB}``."""
    status, out, _ = run(capsys, *command, "--help")
    assert status == 0 and usage in " ".join(out.split())


def test_version_prints_the_program_version(capsys):
    from annotator import __version__

    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.strip() == f"annotator {__version__}"


def test_the_installed_command_reports_a_usage_error_the_same_way(tmp_path):
    """A process, not only ``main``: the exit status reaches the shell."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "annotator", "stats"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "Missing argument" in done.stderr
    assert "Traceback" not in done.stderr


# Hostile input (issue 9): each refused with one line naming the file and record, exit 1,
# the project byte for byte as it was.
_OK = '{"text": "Rebels took Kidal.", "spans": [{"start": 0, "end": 6, "label": %s}]}\n'
HOSTILE = {
    "nbsp.txt": ("\u00a0\u00a0\n\u00a0".encode(), "holds no text, only whitespace"),
    "group_separator.txt": (b"\x1d", "holds no text, only whitespace"),
    # Zero-width space, soft hyphen, ideographic space: imported as an invisible article.
    "invisible.txt": ("\u00a0\u200b\u00ad\n\u3000".encode(), "holds no text, only whitespace"),
    "invisible.jsonl": (b'{"text": "\\u200b\\u2060\\u00a0"}\n', "nothing but whitespace"),
    "cp1252.txt": (
        "\u201cShelling\u201d in Id\u00eflib".encode("cp1252"),
        "looks like Windows-1252 or Latin-1: save it as UTF-8",
    ),
    "nul_after_8k.txt": (b"A title\n" + b"x" * 9000 + b"\x00 more", "NUL byte"),
    "surrogate.jsonl": (b'{"text": "Rebels \\ud800 took Kidal."}\n', "lone surrogate"),
    "surrogate_title.jsonl": (
        b'{"text": "Rebels took Kidal.", "title": "\\udc00"}\n',
        "the title holds a lone surrogate",
    ),
    "digits.jsonl": (
        b'{"text": "Rebels took Kidal.", "meta": {"n": ' + b"9" * 5000 + b"}}\n",
        "more than 4,300 digits",
    ),
    "infinity.jsonl": (_OK.replace("0, ", "Infinity, ", 1).encode() % b'"X"', "not Infinity"),
    "deep.jsonl": (
        b'{"text": "Rebels took Kidal.", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
        "nested too deeply",
    ),
    "null_label.jsonl": (_OK.encode() % b"null", "label must be a name, not null"),
    "dict_label.jsonl": (_OK.encode() % b'{"name": "X"}', "label must be a name, not an object"),
    "empty_label.jsonl": (_OK.encode() % b'""', "label is empty"),
    "float.jsonl": (_OK.replace('"end": 6', '"end": 6.5').encode() % b'"X"', "not 6.5"),
    "booleans.jsonl": (
        _OK.replace('"start": 0, "end": 6', '"start": false, "end": true').encode() % b'"X"',
        "start must be a whole number, not false",
    ),
    "string_offset.jsonl": (
        _OK.replace('"end": 6', '"end": "26"').encode() % b'"X"',
        "end must be a whole number, not the text '26'",
    ),
    "ls_string_labels.json": (
        b'[{"data": {"text": "Rebels took Kidal."}, "annotations": [{"result": [{"type": '
        b'"labels", "value": {"start": 12, "end": 17, "labels": "LOCATION"}}]}]}]',
        "value.labels must be a list of label names, not the text 'LOCATION'",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_refused_in_one_line_and_the_project_is_unchanged(
    tmp_path, capsys, existing, name
):
    content, message = HOSTILE[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    before = existing.read_bytes()
    status, _, err = run(capsys, "import", str(existing), str(bad), "--no-preannotate")
    assert status == 1, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert name in err and message in err, err
    assert existing.read_bytes() == before


def test_duplicate_identical_spans_are_stored_once(tmp_path, capsys, existing):
    path = tmp_path / "twice.jsonl"
    span = {"start": 0, "end": 6, "label": "FACTION"}
    path.write_text(json.dumps({"text": "Rebels took Gao.", "spans": [span, span]}) + "\n")
    status, out, _ = run(capsys, "import", str(existing), str(path), "--no-preannotate")
    assert status == 0 and "1 spans given twice were stored once" in out
    with Store(existing) as store:
        (article_id,) = [a.id for a in store.iter_articles() if a.text == "Rebels took Gao."]
        assert [s.key for s in store.spans(article_id, "imported")] == [(0, 6, "FACTION")]


def test_a_million_character_article_imports(tmp_path, capsys, existing):
    path = tmp_path / "long.txt"
    path.write_text("A long dispatch\n\n" + ("Rebels took Kidal on Sunday. " * 34_500)[:999_983])
    status, out, err = run(capsys, "import", str(existing), str(path), "--no-preannotate")
    assert status == 0, err
    assert "1 article imported" in out
    with Store(existing) as store:
        assert max(len(a.text) for a in store.iter_articles()) == 1_000_000


def test_skip_invalid_imports_the_rest_and_lists_what_it_left_out(tmp_path, capsys, existing):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "Rebels took Gao."}\n{"text": 5}\n{"text": "Drones hit Marib."}\n{"oops": 1}\n'
    )
    status, _, err = run(capsys, "import", str(existing), str(path), "--no-preannotate")
    assert status == 1 and "mixed.jsonl:2" in err
    status, out, _ = run(
        capsys, "import", str(existing), str(path), "--no-preannotate", "--skip-invalid"
    )
    assert status == 0
    assert "2 articles imported" in out and "2 invalid records skipped" in out
    assert "mixed.jsonl:2" in out and "mixed.jsonl:4" in out


def test_ctrl_c_during_an_import_keeps_what_was_committed_and_says_so(
    tmp_path, capsys, monkeypatch
):
    """A new project was deleted with its committed batches, and nothing was said."""
    import annotator.formats.importer as importer
    from annotator.core import Article

    def stopped_after_one_batch(store, *args, **kwargs):
        store.add_articles([Article("Rebels took Kidal.", title="Kidal")])  # committed
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "import_paths", stopped_after_one_batch)
    good = tmp_path / "good.txt"
    good.write_text("A good article\n\nThat would be imported.\n")
    fresh = tmp_path / "fresh.db"
    status, _, err = run(capsys, "import", str(fresh), str(good), "--no-preannotate")
    assert status == 130
    assert err.startswith("interrupted: 1 new article imported before the stop"), err
    assert "Traceback" not in err
    with Store(fresh) as store:
        assert store.article_count() == 1


def test_merge_names_a_folder_given_as_a_project(tmp_path, capsys):
    (tmp_path / "folder").mkdir()
    status, _, err = run(capsys, "merge", str(tmp_path / "out.db"), str(tmp_path / "folder"))
    assert status == 1 and "folder: is a folder, not a project file" in err
    assert not (tmp_path / "out.db").exists()


def test_a_terminal_that_cannot_show_arrows_gets_escapes_not_a_failure(tmp_path, monkeypatch):
    """In a Latin-1 locale, `labels DB relation add` saved the relation, then failed on "→"
    with exit 1; running it again said the relation existed."""
    import io
    import sys

    from annotator.cli import main

    project = tmp_path / "p.db"
    Store(project).close()
    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", out)
    status = main(["labels", str(project), "relation", "add", "target", "--from", "CLAIM",
                   "--to", "LOCATION"])  # fmt: skip
    out.flush()
    assert status == 0
    assert b"CLAIM \\u2192 LOCATION" in out.buffer.getvalue()


def test_an_error_names_a_file_of_non_utf8_bytes_as_imports_show_it(tmp_path, capsys):
    from annotator.cli import main

    missing = tmp_path / os.fsdecode(b"x\xe9.db")
    assert main(["stats", str(missing)]) == 1
    err = capsys.readouterr().err
    assert "x\ufffd.db: no such project file" in err and "\\udce9" not in err
