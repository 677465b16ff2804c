"""The ``spacy`` export, checked by loading it with spaCy itself."""

from __future__ import annotations

import zlib

import srsly
from spacy.tokens import DocBin

from annotator.core import Article, Span
from annotator.formats.docbin import ATTRS, article_doc, read_docbin
from annotator.formats.exporter import export_project
from annotator.formats.kb_links import items_with_links
from annotator.storage import Store
from annotator.storage.exports import iter_versions, load_articles

from .conftest import locate


def test_every_entity_and_span_in_the_docbin_matches_the_database(tricky, tmp_path):
    out = tmp_path / "train.spacy"
    report = export_project(tricky, out, "spacy")
    assert not report.omitted and not report.changed
    docs = list(read_docbin(out))
    articles = list(tricky.iter_articles())
    assert [doc.text for doc in docs] == [article.text for article in articles]
    for doc, article in zip(docs, articles, strict=True):
        stored = {span.key for span in tricky.spans(article.id, "alice")}
        entities = {key for key in stored if key[2] != "CLAIM"}
        assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} == entities
        assert {(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]} == stored


def test_streamed_file_is_byte_for_byte_what_docbin_writes(tricky, tmp_path):
    out = tmp_path / "data.spacy"
    export_project(tricky, out, "spacy")
    kinds = tricky.label_kinds()
    items = [
        item
        for batch in iter_versions(tricky)
        for item in items_with_links(load_articles(tricky, batch), tricky)
    ]
    docs = [article_doc(item, kinds)[0] for item in items]
    # The claims' attribute values are in user_data, which DocBin keeps when told to.
    assert any(doc.user_data for doc in docs)
    reference = DocBin(attrs=ATTRS, docs=docs, store_user_data=True)
    assert zlib.decompress(out.read_bytes()) == zlib.decompress(reference.to_bytes())
    assert srsly.msgpack_loads(zlib.decompress(out.read_bytes()))["version"] == "0.1"


def test_an_export_of_nothing_writes_no_docbin(tmp_path):
    """Nothing to export writes nothing (an empty file would replace a dataset there)."""
    with Store() as store:
        store.add_articles([Article("Nothing annotated here.")])
        report = export_project(store, tmp_path / "empty.spacy", "spacy")
    assert report.article_count == 0 and not report.written
    assert not (tmp_path / "empty.spacy").exists()


def test_entity_off_token_boundaries_is_reported_and_its_tokens_marked_missing(tmp_path):
    text = "Shelling hit Aleppo and Idlib overnight."
    with Store() as store:
        (article_id,) = store.add_articles([Article(text, title="Shelling")]).ids
        aleppo = Span(*locate(text, "Aleppo"), "LOCATION")
        idl = Span(text.index("Idlib"), text.index("Idlib") + 3, "LOCATION")
        store.replace_spans(article_id, "alice", [aleppo, idl])
        store.set_status(article_id, "alice", "done")
        report = export_project(store, tmp_path / "out.spacy", "spacy")
    (doc,) = read_docbin(tmp_path / "out.spacy")
    assert [(e.text, e.label_) for e in doc.ents] == [("Aleppo", "LOCATION")]
    iob = {token.text: token.ent_iob_ for token in doc}
    assert iob["Idlib"] == ""  # missing: unknown to training, not "outside"
    assert iob["overnight"] == "O"
    assert report.omitted == {("LOCATION", "not on token boundaries"): 1}
    (omission,) = report.omissions
    assert (omission.article_id, omission.text, omission.written) == (article_id, "Idl", False)
    assert report.spans["LOCATION"] == 1
    listed = (tmp_path / "out.spacy.omitted.tsv").read_text(encoding="utf-8").splitlines()
    assert len(listed) == 2 and listed[1].startswith(
        f"{article_id}\tShelling\t24\t27\tLOCATION\tIdl"
    )
    assert "marked missing in doc.ents" in omission.detail


def test_an_entity_off_token_boundaries_inside_another_is_not_said_to_be_missing(tmp_path):
    """'Hay' inside 'Hayat Tahrir al-Sham' was listed as "marked missing in doc.ents" while
    its token was in the longer entity."""
    text = "Fighters of Hayat Tahrir al-Sham advanced."
    with Store() as store:
        (article_id,) = store.add_articles([Article(text)]).ids
        whole = Span(*locate(text, "Hayat Tahrir al-Sham"), "FACTION")
        piece = Span(text.index("Hayat"), text.index("Hayat") + 3, "FACTION")
        store.replace_spans(article_id, "alice", [whole, piece])
        store.set_status(article_id, "alice", "done")
        report = export_project(store, tmp_path / "out.spacy", "spacy")
    (doc,) = read_docbin(tmp_path / "out.spacy")
    assert [e.text for e in doc.ents] == ["Hayat Tahrir al-Sham"]
    (omission,) = report.omissions
    assert omission.text == "Hay" and "missing" not in omission.detail
    assert "in another entity of doc.ents" in omission.detail


def test_overlapping_entities_keep_the_longest_in_ents_and_all_in_spans(tmp_path):
    text = "The United States Navy patrols the Gulf."
    with Store() as store:
        (article_id,) = store.add_articles([Article(text)]).ids
        navy = Span(*locate(text, "United States Navy"), "FACTION")
        states = Span(*locate(text, "United States"), "LOCATION")
        store.replace_spans(article_id, "alice", [navy, states])
        store.set_status(article_id, "alice", "done")
        report = export_project(store, tmp_path / "out.spacy", "spacy")
    (doc,) = read_docbin(tmp_path / "out.spacy")
    assert [e.text for e in doc.ents] == ["United States Navy"]
    assert sorted(s.text for s in doc.spans["sc"]) == ["United States", "United States Navy"]
    (omission,) = report.omissions
    assert omission.written and omission.span == states
    assert report.spans == {"FACTION": 1, "LOCATION": 1}


def test_articles_nobody_annotated_have_missing_entities_not_outside(tmp_path):
    with Store() as store:
        store.add_articles([Article("Nobody has read this article yet.")])
        report = export_project(store, tmp_path / "todo.spacy", "spacy", status="todo")
    (doc,) = read_docbin(tmp_path / "todo.spacy")
    assert {token.ent_iob_ for token in doc} == {""}
    assert (
        "1 article nobody annotated was written without spans, every token's entity missing, "
        "not O: spaCy learns nothing from them"
    ) in report.notes


def test_an_article_longer_than_spacys_max_length_exports(tmp_path, monkeypatch):
    """An article over spaCy's max_length (1,000,000 characters; here made 100) exported as
    a traceback from make_doc; the DocBin holds it whole."""
    from annotator.nlp.tokens import blank_english

    monkeypatch.setattr(blank_english(), "max_length", 100)
    text = "Rebels shelled Idlib. " * 20  # 440 characters
    with Store() as store:
        (article,) = store.add_articles([Article(text)]).ids
        store.replace_spans(article, "ana", [Span(15, 20, "LOCATION"), Span(433, 438, "LOCATION")])
        store.set_status(article, "ana", "done")
        report = export_project(store, tmp_path / "long.spacy", "spacy")
    assert report.article_count == 1
    (doc,) = read_docbin(tmp_path / "long.spacy")
    assert doc.text == text and [e.text for e in doc.ents] == ["Idlib", "Idlib"]
