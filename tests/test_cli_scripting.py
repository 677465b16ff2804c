"""The command line in scripts: inputs and outputs that are not plain files (pipes, FIFOs,
links), names the reports reserve, and a refusal said before the slow work."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from annotator.storage import Store
from tests.cli_runner import run

RECORD = '{"text": "Rebels took Gao.", "spans": [{"start": 0, "end": 6, "label": "FACTION"}]}\n'


def import_in_a_process(project, source, **streams) -> subprocess.CompletedProcess:
    """``annotator import PROJECT SOURCE --no-preannotate`` as a script runs it."""
    command = [sys.executable, "-m", "annotator", "import", str(project), str(source)]
    return subprocess.run(
        [*command, "--no-preannotate"], capture_output=True, text=True, timeout=120, **streams
    )


def test_a_fifo_is_refused_at_once_rather_than_waited_on_for_ever(tmp_path, existing):
    """Opened a second time, a FIFO whose writer had finished waited for another: a cron job
    hung. (A process with a time limit: a regression fails, not hangs, the suite.)"""
    fifo = tmp_path / "news.jsonl"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(RECORD), daemon=True)
    writer.start()
    before = existing.read_bytes()
    done = import_in_a_process(existing, fifo)
    assert done.returncode == 1, done.stderr
    assert "a pipe or a device, not a file" in done.stderr and "save it to a file" in done.stderr
    assert existing.read_bytes() == before
    with open(fifo) as reader:  # let the writer go
        reader.read()


def test_a_pipe_on_stdin_is_refused_in_one_line_not_called_empty(existing):
    done = import_in_a_process(existing, "/dev/stdin", input=RECORD)
    assert done.returncode == 1, done.stderr
    assert "a pipe or a device, not a file" in done.stderr
    assert "empty" not in done.stderr and "Traceback" not in done.stderr


def test_stdin_redirected_from_a_file_is_a_file(tmp_path, existing):
    news = tmp_path / "news.jsonl"
    news.write_text(RECORD)
    with news.open() as stdin:
        done = import_in_a_process(existing, "/dev/stdin", stdin=stdin)
    assert done.returncode == 0, done.stderr
    with Store(existing) as store:
        assert store.article_count() == 2


@pytest.mark.parametrize("label", ["O", "gold"])
def test_a_label_the_scheme_reserves_is_refused_at_import(tmp_path, capsys, existing, label):
    """ "O" was imported (and exported to CoNLL as B-O), though `labels add O` refuses it."""
    bad = tmp_path / "o.jsonl"
    bad.write_text(RECORD.replace('"FACTION"', f'"{label}"'))
    status, _, err = run(capsys, "import", str(existing), str(bad), "--no-preannotate")
    assert status == 1 and f"label '{label}' is reserved" in err


def test_nobody_is_no_annotators_name(tmp_path, capsys, existing):
    """An export reported annotator nobody's articles as "not annotated"."""
    news = tmp_path / "news.jsonl"
    news.write_text(RECORD)
    status, _, err = run(
        capsys, "import", str(existing), str(news), "--annotator", "Nobody", "--no-preannotate"
    )
    assert status == 1 and "nobody stands for the articles no one annotated" in err


def test_preannotate_says_a_project_is_read_only_before_it_loads_a_model(capsys, existing):
    """It loaded spaCy and the place index (27 s on a cold cache), then refused."""
    existing.chmod(0o444)
    status, _, err = run(capsys, "preannotate", str(existing), "--model", "/no/such/pipeline")
    assert status == 1 and "is open read-only" in err
    assert "/no/such/pipeline" not in err  # the model was never looked for


def test_format_names_are_read_in_any_case(tmp_path, capsys, existing):
    """--format JSONL and --format Spacy were unknown formats."""
    news = tmp_path / "news.jsonl"
    news.write_text(RECORD)
    status, _, err = run(
        capsys, "import", str(existing), str(news), "--format", "JSONL", "--no-preannotate"
    )
    assert status == 0, err
    out = tmp_path / "out.spacy"
    status, _, err = run(capsys, "export", str(existing), str(out), "--format", "Spacy")
    assert status == 0 and out.is_file(), err


def test_sigterm_stops_a_command_as_ctrl_c_does_and_says_so(tmp_path):
    """``timeout`` or a cancelled CI job sends SIGTERM: the command ended with no word and
    the ``-wal`` beside the project; it now says what it kept and exits 143."""
    import signal
    import time

    news = tmp_path / "many.jsonl"
    news.write_text(
        "".join(
            f'{{"text": "Rebels took Kidal number {i} on Monday, officials said."}}\n'
            for i in range(200_000)
        )
    )
    db = tmp_path / "new.db"
    command = [sys.executable, "-m", "annotator", "import", str(db), str(news), "--no-preannotate"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not db.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the project exists once the command runs, its handler set
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert not (tmp_path / "new.db-wal").exists()


def test_a_file_read_as_brat_that_is_not_brat_is_named_as_given(tmp_path, capsys, existing):
    """It said "news.txt: no news.ann beside it", of a file that did not exist."""
    news = tmp_path / "news.jsonl"
    news.write_text(RECORD)
    status, _, err = run(
        capsys, "import", str(existing), str(news), "--format", "brat", "--no-preannotate"
    )
    assert status == 1 and f"{news}: not brat" in err and "news.txt" not in err


def test_an_interrupted_preannotate_says_how_many_articles_it_kept(capsys, monkeypatch, existing):
    """Ctrl+C or SIGTERM ended it with no word, though whole batches were kept."""
    from types import SimpleNamespace

    from annotator import nlp
    from annotator.cli import main, project
    from annotator.core import Span

    stub = SimpleNamespace(name="stub-model", linker=None)

    def a_batch_then_stopped(store, preannotator, **options):
        (article_id,) = store.article_ids()
        store.add_suggestions([(article_id, [Span(0, 6, "FACTION")])], preannotator.name)
        raise KeyboardInterrupt

    monkeypatch.setattr(project, "_load_preannotator", lambda *args, **kwargs: stub)
    monkeypatch.setattr(nlp, "preannotate_store", a_batch_then_stopped)
    assert main(["preannotate", str(existing)]) == 130  # as the shell says of Ctrl+C
    err = capsys.readouterr().err
    assert "interrupted: kept 1 article pre-annotated before the stop" in err


def test_a_command_says_it_upgraded_an_older_project_and_where_the_old_file_is(
    capsys, older_project
):
    """Even `stats` upgraded an older project without a word, and made a .bak beside it."""
    older = older_project
    status, _, err = run(capsys, "stats", str(older))
    assert status == 0
    assert err.strip().endswith(
        "older.db: upgraded to this version's format (older versions of the program no "
        "longer open it); "
        "the file as it was: older.db.before-0002_preannotated.bak"
    )
    status, _, err = run(capsys, "stats", str(older))  # once
    assert status == 0 and "upgraded" not in err


def test_a_file_in_the_way_of_the_upgrade_backup_is_left_alone(capsys, older_project):
    """The backup went to a name a file of the user's had: "the project file is damaged
    (file is not a database)", the advice pointing at that very file."""
    taken = older_project.with_name("older.db.before-0002_preannotated.bak")
    taken.write_text("USER FILE\n")
    status, _, err = run(capsys, "stats", str(older_project))
    assert status == 0, err
    assert taken.read_text() == "USER FILE\n"
    assert err.strip().endswith("the file as it was: older.db.before-0002_preannotated.2.bak")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{db}", "{tmp}/o.jsonl", "--gold", "--annotator", "ana"],
        ["train", "{db}", "--gold", "--annotator", "ana"],
        ["guidelines", "{db}", "--set", "{tmp}/g.md", "--clear"],
        ["assign", "{db}", "--unfinished"],
        ["assign", "{db}", "--clear", "--overlap", "0.1"],
        ["import", "{db}", "{tmp}/g.md", "--no-preannotate", "--model", "v3"],
    ],
    ids=["export", "train", "guidelines", "assign", "assign-clear", "import"],
)
def test_options_that_do_not_go_together_are_a_usage_error(tmp_path, capsys, existing, args):
    """Exit 1, as for bad data: a script could not tell it had called the command wrong."""
    (tmp_path / "g.md").write_text("# Guidelines\n")
    given = [arg.format(db=existing, tmp=tmp_path) for arg in args]
    status, _, err = run(capsys, *given)
    assert status == 2 and "Traceback" not in err and ("not both" in err or "goes with" in err)
    assert "Invalid value" in err


def test_an_export_to_a_dash_is_refused_not_written_to_a_file_named_so(
    tmp_path, capsys, existing, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "export", str(existing), "-")
    assert status == 1 and "- (standard output) cannot take an export" in err
    assert not (tmp_path / "-").exists()


def test_import_and_merge_print_their_figures_as_json(tmp_path, capsys):
    """A CI job had to read English sentences for what an import or a merge did."""
    import json

    source = tmp_path / "news.jsonl"
    source.write_text(RECORD, encoding="utf-8")
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    status, out, _ = run(capsys, "import", str(first), str(source), "--annotator", "ana",
                         "--no-preannotate", "--json")  # fmt: skip
    figures = json.loads(out)
    assert status == 0 and figures["added"] == 1 and figures["annotators"] == ["ana"]
    assert figures["per_file"] == [{"file": str(source), "added": 1, "duplicates": 0}]
    status, out, _ = run(capsys, "merge", str(second), str(first), "--json")
    figures = json.loads(out)
    assert status == 0 and figures["articles_added"] == 1 and figures["created"] is True
    assert figures["spans_by_annotator"] == {"ana": 1} and figures["inputs"] == [str(first)]
