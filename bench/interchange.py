"""Do the other tools read our exports as they are? Each export read back by its tool's reader.

Builds a small project whose articles are hard on offsets (emoji, ZWJ sequences and flags,
Arabic, combining marks, CRLF line endings; entities and nested claims: the ``tricky``
fixture of ``tests/formats/conftest.py``), exports it in every format, and reads each file
with the reader that installs from the package index:

- spaCy: ``DocBin`` (``doc.ents``, ``doc.spans["sc"]``) and ``python -m spacy convert`` on
  the CoNLL file;
- seqeval: the CoNLL tags;
- label-studio-sdk's converter: the Label Studio tasks with the labeling config written
  beside them, converted to JSON-MIN (then imported again here) and to CoNLL-2003;
- bratly: the brat folder.

label-studio-sdk and bratly pull in much (pydantic, ujson, Pillow, requests...), so they are
not test dependencies: give ``--tools-python`` a Python that has them, e.g.::

    python3 -m venv /tmp/tools && /tmp/tools/bin/pip install label-studio-sdk==2.1.2 \\
        bratly==0.1.4 bratly-io-fs==0.1.4
    .venv/bin/python bench/interchange.py --tools-python /tmp/tools/bin/python

Each row says what the reader found against what the project holds, span for span; the
script exits 1 if any reader disagrees.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import table  # noqa: E402

ANNOTATOR = "alice"

# Run by the tools' Python: reads the Label Studio and brat exports, prints JSON.
_TOOLS = r"""
import json, sys
from pathlib import Path
folder = Path(sys.argv[1])
out = {}
from label_studio_sdk.converter import Converter
import importlib.metadata as metadata
converter = Converter(str(folder / "tasks.json.labeling-config.xml"), str(folder),
                      download_resources=False)
converter.convert(str(folder / "tasks.json"), str(folder / "min"), "JSON_MIN", is_dir=False)
converter.convert(str(folder / "entities.json"), str(folder / "conll"), "CONLL2003",
                  is_dir=False)
out["label-studio-sdk"] = metadata.version("label-studio-sdk")
from bratly.io import read_document_collection_from_folder
collection = read_document_collection_from_folder(str(folder / "brat"))
docs = []
for doc in collection.documents:
    entities = []
    collections = doc.annotation_collections or []
    for annotation in collections[0].get_annotations() if collections else []:
        if type(annotation).__name__ == "EntityAnnotation":
            entities.append([annotation.label, [[f.start, f.end] for f in annotation.fragments],
                             annotation.content])
    docs.append({"name": getattr(doc, "filename_without_ext", ""), "entities": entities})
out["bratly"] = metadata.version("bratly")
out["brat"] = docs
print(json.dumps(out))
"""


def build(folder: Path):
    from annotator.formats.importer import import_paths
    from annotator.storage import Store
    from tests.formats.conftest import tricky_records, write_jsonl

    store = Store(folder / "project.db")
    source = write_jsonl(folder / "tricky.jsonl", tricky_records())
    import_paths(store, [source], annotator=ANNOTATOR)
    return store


def held(store) -> dict[str, set[tuple[int, int, str]]]:
    """Each article's text -> its spans as (start, end, label)."""
    return {a.text: {s.key for s in store.spans(a.id, ANNOTATOR)} for a in store.iter_articles()}


def entities(store) -> dict[str, set[tuple[int, int, str]]]:
    """What a one-layer, whole-token format can hold (CoNLL, doc.ents)."""
    from annotator.core.spans import entity_layer, is_entity
    from annotator.formats.packed_tokens import alignment

    kinds = store.label_kinds()
    found = {}
    for article in store.iter_articles():
        tokens = alignment(article.text)
        spans = [
            s
            for s in store.spans(article.id, ANNOTATOR)
            if is_entity(s, kinds) and tokens.aligned(s.start, s.end) is not None
        ]
        found[article.text] = {s.key for s in entity_layer(spans)[0]}
    return found


def check_spacy(store, folder: Path) -> list[list[str]]:
    import spacy
    from spacy.tokens import DocBin

    from annotator.formats.exporter import export_project

    export_project(store, folder / "data.spacy", "spacy")
    docs = list(DocBin().from_disk(folder / "data.spacy").get_docs(spacy.blank("en").vocab))
    ents = {d.text: {(e.start_char, e.end_char, e.label_) for e in d.ents} for d in docs}
    groups = {d.text: {(s.start_char, s.end_char, s.label_) for s in d.spans["sc"]} for d in docs}
    expected_ents = entities(store)
    all_spans = held(store)
    return [
        _row("spaCy DocBin", "doc.ents", expected_ents, ents),
        _row("spaCy DocBin", 'doc.spans["sc"]', all_spans, groups),
    ]


def check_conll(store, folder: Path) -> list[list[str]]:
    from seqeval.metrics.sequence_labeling import get_entities

    from annotator.formats.exporter import export_project

    export_project(store, folder / "data.conll", "conll")
    expected = entities(store)
    counts = Counter(label for spans in expected.values() for _, _, label in spans)
    documents: list[list[str]] = []
    for line in (folder / "data.conll").read_text(encoding="utf-8").splitlines():
        columns = line.split()
        if columns and columns[0] == "-DOCSTART-":
            documents.append([])
        elif columns:
            documents[-1].append(columns[-1])
    found = Counter(label for tags in documents for label, _, _ in get_entities(tags))
    rows = [_counts_row("seqeval", "CoNLL tags", counts, found)]
    converted = folder / "converted"
    converted.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(folder / "data.conll"), str(converted)]
        + ["-c", "ner"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return [*rows, ["spacy convert", "CoNLL", "-", "-", f"failed: {done.stderr[-200:]}"]]
    import spacy
    from spacy.tokens import DocBin

    docs = DocBin().from_disk(converted / "data.spacy").get_docs(spacy.blank("en").vocab)
    found = Counter(e.label_ for d in docs for e in d.ents)
    rows.append(_counts_row("spacy convert", "CoNLL", counts, found))
    return rows


def check_tools(store, folder: Path, python: str) -> list[list[str]]:
    from annotator.formats.exporter import export_project
    from annotator.formats.importer import import_paths
    from annotator.storage import Store

    export_project(store, folder / "tasks.json", "labelstudio")
    export_project(store, folder / "brat", "brat")
    # CoNLL-2003 holds one layer: the converter gets the tasks without their nested claims.
    tasks = json.loads((folder / "tasks.json").read_text(encoding="utf-8"))
    for task in tasks:
        for annotation in task.get("annotations", []):
            annotation["result"] = [
                r for r in annotation["result"] if r["value"]["labels"] != ["CLAIM"]
            ]
    (folder / "entities.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [python, "-c", _TOOLS, str(folder)], capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        return [["label-studio-sdk / bratly", "-", "-", "-", f"failed: {done.stderr[-300:]}"]]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    expected = held(store)
    rows = []
    with Store() as again:  # the converter's JSON-MIN, imported back here
        import_paths(again, [folder / "min" / "result.json"], annotator=ANNOTATOR)
        rows.append(
            _row(f"label-studio-sdk {out['label-studio-sdk']}", "→ JSON-MIN", expected, held(again))
        )
    from seqeval.metrics.sequence_labeling import get_entities

    tags = [
        line.split()[-1]
        for line in (folder / "conll" / "result.conll").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("-DOCSTART-")
    ]
    found = Counter(label for label, _, _ in get_entities(tags))
    held_entities = Counter(
        label for spans in expected.values() for _, _, label in spans if label != "CLAIM"
    )
    rows.append(
        _counts_row(
            f"label-studio-sdk {out['label-studio-sdk']}", "→ CONLL2003", held_entities, found
        )
    )
    texts = {}
    for path in (folder / "brat").glob("*.txt"):
        texts[path.stem] = path.read_text(encoding="utf-8")
    brat_found: dict[str, set[tuple[int, int, str]]] = {}
    for doc in out["brat"]:
        text = texts.get(doc["name"])
        if text is None:
            continue
        spans = set()
        for label, fragments, content in doc["entities"]:
            pieces = " ".join(text[s:e] for s, e in fragments)
            if pieces != content:
                spans.add((-1, -1, f"stated text differs: {content!r}"))
            spans.add((fragments[0][0], fragments[-1][1], label))
        brat_found[text] = spans
    expected_brat = {
        text: {_without_line_breaks(text, span) for span in spans}
        for text, spans in expected.items()
    }
    rows.append(_row(f"bratly {out['bratly']}", "brat folder", expected_brat, brat_found))
    return rows


def _without_line_breaks(text: str, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A span as brat holds it: without line breaks at its ends."""
    start, end, label = span
    while end > start and text[end - 1] == "\n":
        end -= 1
    while start < end and text[start] == "\n":
        start += 1
    return start, end, label


def _row(reader: str, what: str, expected: dict, found: dict) -> list[str]:
    total = sum(len(spans) for spans in expected.values())
    same = sum(len(expected[text] & found.get(text, set())) for text in expected)
    extra = sum(len(found.get(text, set()) - expected[text]) for text in expected)
    verdict = "same" if same == total and not extra and len(found) == len(expected) else "DIFFERS"
    return [reader, what, f"{len(found)}/{len(expected)}", f"{same}/{total}", verdict]


def _counts_row(reader: str, what: str, expected: Counter, found: Counter) -> list[str]:
    total = sum(expected.values())
    same = sum(min(n, found[label]) for label, n in expected.items())
    verdict = "same" if found == expected else "DIFFERS"
    return [reader, what, "-", f"{same}/{total} (by label)", verdict]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools-python", help="a Python with label-studio-sdk and bratly")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="interchange-") as scratch:
        folder = Path(scratch)
        store = build(folder)
        rows = check_spacy(store, folder) + check_conll(store, folder)
        if args.tools_python:
            rows += check_tools(store, folder, args.tools_python)
        else:
            rows.append(["label-studio-sdk, bratly", "-", "-", "-", "not run: --tools-python"])
        store.close()
    print(table(rows, ["reader", "reads", "articles", "spans equal", "result"]))
    sys.exit(1 if any(row[-1] != "same" and "not run" not in row[-1] for row in rows) else 0)


if __name__ == "__main__":
    main()
