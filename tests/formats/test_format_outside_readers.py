"""Exports read back by other tools' own readers: seqeval reads the CoNLL tags, ``spacy
convert`` turns the CoNLL file into a DocBin, spaCy loads the DocBin; each finds the entities
the project holds (label-studio-sdk's converter and bratly: ``bench/interchange.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import spacy
from seqeval.metrics.sequence_labeling import get_entities
from spacy.tokens import DocBin

from annotator.core.spans import entity_layer, is_entity
from annotator.formats.exporter import export_project
from annotator.formats.packed_tokens import alignment


def expected_entities(store) -> list[list[tuple[str, str]]]:
    """Per article, in order: (label, text) of the entities CoNLL and doc.ents can hold."""
    kinds = store.label_kinds()
    found = []
    for article in store.iter_articles():
        tokens = alignment(article.text)
        entities = [
            s
            for s in store.spans(article.id, "alice")
            if is_entity(s, kinds) and tokens.aligned(s.start, s.end) is not None
        ]
        kept, _ = entity_layer(entities)
        found.append([(s.label, s.text(article.text)) for s in kept])
    return found


def conll_documents(path: Path) -> list[list[tuple[str, str]]]:
    """Each -DOCSTART- document as (token, tag) pairs, sentence breaks dropped."""
    documents: list[list[tuple[str, str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        columns = line.split()
        if not columns:
            continue
        if columns[0] == "-DOCSTART-":
            documents.append([])
        else:
            documents[-1].append((columns[0], columns[-1]))
    return documents


def test_seqeval_reads_the_conll_export_entity_for_entity(tricky, tmp_path):
    out = tmp_path / "tricky.conll"
    export_project(tricky, out, "conll")
    read = []
    for pairs in conll_documents(out):
        tokens = [token for token, _ in pairs]
        entities = get_entities([tag for _, tag in pairs])
        read.append([(label, tokens[first : last + 1]) for label, first, last in entities])
    expected = expected_entities(tricky)
    assert [[label for label, _ in doc] for doc in read] == [
        [label for label, _ in doc] for doc in expected
    ]
    for doc_read, doc_expected in zip(read, expected, strict=True):
        for (_, tokens), (_, text) in zip(doc_read, doc_expected, strict=True):
            assert "".join(tokens) == "".join(text.split())  # the same tokens, spaces aside
    assert sum(map(len, read)) >= 8


def test_spacy_convert_reads_the_conll_export(tricky, tmp_path):
    out = tmp_path / "tricky.conll"
    export_project(tricky, out, "conll")
    converted = tmp_path / "converted"
    converted.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(out), str(converted), "-c", "ner"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # one document per article, as the export's -DOCSTART- lines say ("-DOCSTART- -X- -X- O"
    # was no delimiter to it: "you may want to group sentences into documents with -n 10",
    # and a one-token "-DOCSTART-" document of each)
    assert "Document delimiters found" in done.stdout
    assert "sentences into a document" not in done.stdout
    docs = list(DocBin().from_disk(converted / "tricky.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == len(tricky.article_ids())
    assert not any(token.text == "-DOCSTART-" for doc in docs for token in doc)
    read = [[(ent.label_, ent.text.replace(" ", "")) for ent in doc.ents] for doc in docs]
    expected = [
        [(label, text.replace(" ", "").replace("\n", "")) for label, text in doc]
        for doc in expected_entities(tricky)
    ]
    assert read == expected


def test_spacy_loads_the_docbin_export_with_every_entity(tricky, tmp_path):
    out = tmp_path / "tricky.spacy"
    export_project(tricky, out, "spacy")
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    read = [[(ent.label_, ent.text) for ent in doc.ents] for doc in docs]
    assert read == expected_entities(tricky)


def test_a_span_with_spaces_at_its_edges_is_written_without_them(tmp_path):
    """Imported spans "Aleppo  " and " Homs" (browser tools make them): CoNLL put the B-
    tag on the space token, which is not written, so strict IOB2 readers dropped the entity,
    and ``spacy debug data`` refused the DocBin's "invalid whitespace entity spans"."""
    from seqeval.scheme import IOB2, Entities

    from annotator.core import Article, Span
    from annotator.storage import Store

    text = "Shelling hit Aleppo  and  Homs on Monday."
    with Store(tmp_path / "p.db") as store:
        (article_id,) = store.add_articles([Article(text)]).ids
        store.add_span(article_id, "alice", Span(13, 21, "LOCATION"))  # "Aleppo  "
        store.add_span(article_id, "alice", Span(25, 30, "LOCATION"))  # " Homs"
        store.set_status(article_id, "alice", "done")
        report = export_project(store, tmp_path / "p.conll", "conll")
        assert any("without the spaces at its edges" in line for line in report.summary_lines())
        export_project(store, tmp_path / "p.spacy", "spacy")
    (pairs,) = conll_documents(tmp_path / "p.conll")
    tags = [tag for _, tag in pairs]
    strict = Entities([tags], scheme=IOB2).entities[0]
    assert [(e.tag, [pairs[i][0] for i in range(e.start, e.end)]) for e in strict] == [
        ("LOCATION", ["Aleppo"]),
        ("LOCATION", ["Homs"]),
    ]
    (doc,) = DocBin().from_disk(tmp_path / "p.spacy").get_docs(spacy.blank("en").vocab)
    assert [(ent.label_, ent.text) for ent in doc.ents] == [
        ("LOCATION", "Aleppo"),
        ("LOCATION", "Homs"),
    ]
