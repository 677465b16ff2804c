"""The ``spacy`` export as spaCy's own command line sees it: ``debug data`` and ``train``.

The corpus is the GUM news sample beside the project (``../shared/eval``), imported as
annotations (named place → LOCATION, named organization → FACTION, attribution content →
CLAIM) and exported with ``--split``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.storage import Store
from tests.conftest import EVAL

GUM = EVAL / "gum_news.jsonl"
GUM_LABELS = {"place": "LOCATION", "organization": "FACTION"}  # named ones only
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not GUM.exists(), reason="the evaluation data lives in ../shared/eval"),
]


def gum_as_annotations(target: Path) -> Path:
    records = []
    for line in GUM.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        spans = [
            {"start": e["start"], "end": e["end"], "label": label, "text": e["text"]}
            for e in doc["entities"]
            if e["named"] and (label := GUM_LABELS.get(e["etype"]))
        ]
        spans += [
            {**{k: a["content"][k] for k in ("start", "end", "text")}, "label": "CLAIM"}
            for a in doc["attributions"]
        ]
        records.append({"text": doc["text"], "title": doc["title"], "spans": spans})
    target.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return target


def spacy_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spacy", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def gum_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gum")
    with Store() as store:
        import_paths(store, [gum_as_annotations(folder / "gum.jsonl")], annotator="gum")
        report = export_project(store, folder / "corpus", "spacy", split=(0.75, 0.25))
    assert report.articles["train"] > 0 and report.articles["dev"] > 0
    assert report.spans["LOCATION"] > 300 and report.spans["CLAIM"] > 200
    config = folder / "ner.cfg"
    init = spacy_cli(
        "init", "config", config, "--lang", "en", "--pipeline", "ner", "--force", cwd=folder
    )
    assert init.returncode == 0, init.stderr
    return folder


def test_spacy_debug_data_finds_no_error_but_the_size_of_the_data(gum_corpus):
    result = spacy_cli(
        "debug", "data", "ner.cfg",
        "--paths.train", "corpus/train.spacy",
        "--paths.dev", "corpus/dev.spacy",
        cwd=gum_corpus,
    )  # fmt: skip
    output = _ANSI.sub("", result.stdout + result.stderr)
    assert "Corpus is loadable" in output
    errors = [
        line
        for line in output.splitlines()
        if line.startswith("✘") and not re.fullmatch(r"✘ \d+ errors?", line)
    ]
    assert len(errors) == 1 and errors[0].startswith("✘ Low number of examples"), output
    assert "0 missing value(s)" in output


def test_spacy_trains_one_epoch_on_the_export(gum_corpus):
    result = spacy_cli(
        "train", "ner.cfg",
        "--paths.train", "corpus/train.spacy",
        "--paths.dev", "corpus/dev.spacy",
        "--training.max_epochs", "1",
        "--output", "model",
        cwd=gum_corpus,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    trained = spacy.load(gum_corpus / "model" / "model-last")
    assert sorted(trained.get_pipe("ner").labels) == ["FACTION", "LOCATION"]
