"""Export, then import into a new project: the same spans, for every format that holds them,
on articles with emoji, Arabic, combining marks and CRLF."""

from __future__ import annotations

import pytest

from annotator.core import Span
from annotator.core.text import normalize_newlines
from annotator.formats import get_format
from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.nlp.tokens import token_bounds
from annotator.storage import Store

from .conftest import TRICKY, locate, spans_by_text

CHARACTER_FORMATS = ["jsonl", "doccano", "brat", "labelstudio"]


def test_import_normalises_crlf_and_keeps_every_span_on_its_text(tricky):
    texts = {normalize_newlines(raw): marks for raw, marks in TRICKY}
    for article in tricky.iter_articles():
        assert "\r" not in article.text
        marks = texts[article.text]
        found = sorted((s.label, s.text(article.text)) for s in tricky.spans(article.id, "alice"))
        assert found == sorted((label, piece) for label, piece, _ in marks)
        assert tricky.status(article.id, "alice").status == "done"


@pytest.mark.parametrize("format_name", CHARACTER_FORMATS)
def test_export_then_import_gives_the_same_spans(tricky, tmp_path, format_name):
    out = tmp_path / f"export-{format_name}"
    report = export_project(tricky, out, format_name)
    assert report.article_count == len(TRICKY)
    assert not report.omitted
    with Store() as copy:
        import_paths(copy, [out], format_name=format_name, annotator="alice")
        assert spans_by_text(copy, "alice") == spans_by_text(tricky, "alice")


@pytest.mark.parametrize("format_name", CHARACTER_FORMATS)
def test_detection_reads_back_what_each_format_wrote(tricky, tmp_path, format_name):
    out = tmp_path / ("export" + get_format(format_name).suffix * (format_name != "brat"))
    export_project(tricky, out, format_name)
    with Store() as copy:
        import_paths(copy, [out])  # auto: by suffix, companion file or content
        names = copy.annotators()
        assert len(names) == 1
        assert spans_by_text(copy, names[0]) == spans_by_text(tricky, "alice")


@pytest.mark.parametrize(
    ("format_name", "suffix"),
    [("jsonl", ".prodigy"), ("doccano", ".doccano"), ("labelstudio", ".labelstudio")],
)
def test_a_json_export_under_a_name_of_ones_own_is_read_back_by_its_content(
    tricky, tmp_path, format_name, suffix
):
    """`export … ana.doccano --format doccano` could not be imported without --format."""
    out = tmp_path / f"ana{suffix}"
    export_project(tricky, out, format_name)
    with Store() as copy:
        import_paths(copy, [out])
        (name,) = copy.annotators()
        assert spans_by_text(copy, name) == spans_by_text(tricky, "alice")


@pytest.mark.parametrize("format_name", ["jsonl", "doccano", "labelstudio"])
def test_formats_that_name_the_annotator_bring_the_name_back(tricky, tmp_path, format_name):
    out = tmp_path / "export"
    export_project(tricky, out, format_name)
    with Store() as copy:
        import_paths(copy, [out], format_name=format_name)
        assert copy.annotators() == ["alice"]


def test_spans_off_token_boundaries_survive_the_character_formats(tricky, tmp_path):
    article = next(tricky.iter_articles())
    start, end = locate(article.text, "Idlib")
    tricky.add_span(article.id, "alice", Span(start, end - 2, "LOCATION"))  # "Idl"
    tricky.set_status(article.id, "alice", "done")
    for format_name in CHARACTER_FORMATS:
        out = tmp_path / format_name
        export_project(tricky, out, format_name)
        with Store() as copy:
            import_paths(copy, [out], format_name=format_name, annotator="alice")
            assert spans_by_text(copy, "alice") == spans_by_text(tricky, "alice"), format_name


def test_brat_keeps_a_claim_that_runs_across_a_line_break(tmp_path):
    text = "Rebels said the army fled.\nIt denied it, officials said."
    with Store() as store:
        (article_id,) = store.add_articles([_article(text)]).ids
        store.replace_spans(article_id, "alice", [Span(16, 39, "CLAIM")])
        store.set_status(article_id, "alice", "done")
        export_project(store, tmp_path / "brat", "brat")
        ann = (tmp_path / "brat" / f"article-{article_id:07d}.ann").read_text(encoding="utf-8")
        # and its polarity (a choice, written even at its default; flags at theirs are not)
        assert ann == ("T1\tCLAIM 16 26;27 39\tarmy fled. It denied it\nA1\tpolarity T1 asserted\n")
        with Store() as copy:
            import_paths(copy, [tmp_path / "brat"], annotator="alice")
            assert spans_by_text(copy, "alice") == spans_by_text(store, "alice")


def test_conll_round_trip_keeps_entities_on_the_same_tokens(tricky, tmp_path):
    out = tmp_path / "data.conll"
    report = export_project(tricky, out, "conll")
    assert report.omitted  # the claims, reported rather than dropped
    with Store() as copy:
        import_paths(copy, [out], annotator="alice")
        before = sorted(_entities_as_tokens(tricky))
        after = sorted(_entities_as_tokens(copy))
        assert after == before
        assert len(before) == sum(1 for _, marks in TRICKY for m in marks if m[0] != "CLAIM")


def _entities_as_tokens(store: Store) -> list[tuple[str, tuple[str, ...]]]:
    """(label, tokens) of alice's entities: what survives a CoNLL round trip."""
    found = []
    for article in store.iter_articles():
        bounds = token_bounds(article.text)
        for span in store.spans(article.id, "alice"):
            if span.label == "CLAIM":
                continue
            tokens = tuple(
                article.text[s:e] for s, e in bounds if s >= span.start and e <= span.end
            )
            found.append((span.label, tokens))
    return found


def _article(text: str):
    from annotator.core import Article

    return Article(text, title=text[:20])


def test_conll_file_has_docstart_iob2_tags_and_line_breaks_as_sentence_ends(tmp_path):
    text = "Rebels attacked Deir ez-Zor.\nThe Syrian Democratic Forces said so."
    with Store() as store:
        (article_id,) = store.add_articles([_article(text)]).ids
        spans = [
            Span(*locate(text, "Deir ez-Zor"), "LOCATION"),
            Span(*locate(text, "Syrian Democratic Forces"), "FACTION"),
            Span(*locate(text, "Rebels attacked Deir ez-Zor"), "CLAIM"),
        ]
        store.replace_spans(article_id, "alice", spans)
        store.set_status(article_id, "alice", "done")
        export_project(store, tmp_path / "out.conll", "conll")
    lines = (tmp_path / "out.conll").read_text(encoding="utf-8").split("\n")
    assert lines[:2] == ["-DOCSTART- -X- O O", ""]
    assert "Deir _ _ B-LOCATION" in lines
    assert "Zor _ _ I-LOCATION" in lines
    assert ". _ _ O" in lines
    blank = lines.index("", 2)
    assert lines[blank - 1] == ". _ _ O" and lines[blank + 1] == "The _ _ O"
    assert "Forces _ _ I-FACTION" in lines


def test_conll_never_writes_a_token_line_that_readers_take_for_a_new_document(tmp_path):
    text = "Rebels wrote -DOCSTART- in Kyiv.\n-DOCSTART- Gaza and \\-DOCSTART- were hit."
    with Store() as store:
        (article_id,) = store.add_articles([_article(text)]).ids
        spans = [
            Span(*locate(text, "Kyiv"), "LOCATION"),
            Span(*locate(text, "-DOCSTART- Gaza"), "LOCATION"),
        ]
        store.replace_spans(article_id, "alice", spans)
        store.set_status(article_id, "alice", "done")
        report = export_project(store, tmp_path / "out.conll", "conll")
    lines = (tmp_path / "out.conll").read_text(encoding="utf-8").split("\n")
    # Hugging Face's conll2003 loader and Flair start a document at such a line
    assert [line for line in lines if line.startswith("-DOCSTART-")] == ["-DOCSTART- -X- O O"]
    assert "\\-DOCSTART- _ _ B-LOCATION" in lines and "\\\\-DOCSTART- _ _ O" in lines
    assert any("3 tokens that begin with -DOCSTART-" in note for note in report.notes)
    assert [(o.span.label, o.text, o.written) for o in report.omissions] == [
        ("LOCATION", "-DOCSTART- Gaza", True)
    ]
    with Store() as copy:
        import_paths(copy, [tmp_path / "out.conll"], annotator="alice")
        (article,) = copy.iter_articles()
        assert article.text.split() == text.replace(".", " .").split()
        found = [span.text(article.text) for span in copy.spans(article.id, "alice")]
        assert found == ["Kyiv", "-DOCSTART- Gaza"]


@pytest.mark.parametrize("format_name", ["jsonl", "doccano", "labelstudio"])
def test_the_exported_article_id_is_not_kept_as_metadata(tmp_path, format_name):
    """Read into another project, the old project's article id would be a stale number
    beside the article's new one (and written out again as its metadata)."""
    from annotator.core import Article

    with Store() as store:
        article = Article("Rebels shelled Idlib.", title="Idlib", meta={"desk": "Beirut"})
        (article_id,) = store.add_articles([article]).ids
        store.replace_spans(article_id, "alice", [Span(15, 20, "LOCATION")])
        store.set_status(article_id, "alice", "done")
        export_project(store, tmp_path / "out", format_name)
    with Store() as copy:
        copy.add_articles([_article("Another article first, so the ids differ.")])
        import_paths(copy, [tmp_path / "out"], format_name=format_name)
        imported = [a for a in copy.iter_articles() if a.text == "Rebels shelled Idlib."]
        assert len(imported) == 1 and imported[0].id != article_id
        assert imported[0].meta == {"desk": "Beirut"}  # the article's own metadata stays


@pytest.mark.parametrize("format_name", ["doccano", "brat", "jsonl"])
def test_an_export_imported_back_keeps_what_its_format_cannot_hold(tmp_path, format_name):
    """doccano back into its project: the spans were the same, and every link and attribute
    value on them was gone ("1 differed from the project's")."""
    from annotator.core.model import Article
    from annotator.core.relations import SpanAttribute, SpanRelation

    text = "Rebels said they shelled Idlib on Monday."
    rebels, claim = Span(0, 6, "FACTION"), Span(12, 30, "CLAIM")
    idlib = Span(25, 30, "LOCATION", kb_id="geonames:169389")
    store = Store(tmp_path / "p.db")
    (article_id,) = store.add_articles([Article(text)]).ids
    store.replace_annotations(
        article_id, "ana", [rebels, claim, idlib], [SpanRelation(claim, rebels)],
        [SpanAttribute(claim, "hedged", "yes")],
    )  # fmt: skip
    store.set_status(article_id, "ana", "done")
    from annotator.storage.links import set_span_link

    rebels_id = next(s.id for s in store.spans(article_id, "ana") if s == rebels)
    set_span_link(store, rebels_id, "", status="generic")  # the linker's verdict, no entry
    before = (store.spans(article_id, "ana"), store.claim_work(article_id, "ana"))
    out = tmp_path / f"out{get_format(format_name).suffix}"
    export_project(store, out, format_name, annotator="ana", status="all")
    store.add_span(article_id, "ana", Span(34, 40, "LOCATION"))  # an edit the file lacks
    report = import_paths(store, [out], annotator="ana")
    after = (store.spans(article_id, "ana"), store.claim_work(article_id, "ana"))
    assert [(s.kb_id, s.link_status) for s in after[0]] == [
        (s.kb_id, s.link_status) for s in before[0]
    ]
    assert after[1] == before[1]
    assert report.changed == 1 and report.replaced == 1
    # and the summary says what was kept (it counted only the file's: "0 values kept")
    # doccano: hedged; Idlib's entry and the rebels' verdict. brat: the verdict only. JSON
    # Lines holds them all: its own verdict is the file's.
    kept = {"doccano": "attributes 1, links 1, verdicts 1", "brat": "verdicts 1"}
    # and the file's own links are counted as the file's: doccano has none
    assert report.links == (0 if format_name == "doccano" else 1)
    assert report.verdicts == (1 if format_name == "jsonl" else 0)
    line = "kept from the project on the spans the files gave again (the files have no place "
    said = [text for text in report.summary_lines() if text.startswith(line)]
    kept_line = f"{line}for them, or say nothing of them): {kept.get(format_name)}"
    assert said == ([kept_line] if format_name in kept else [])


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio"])
def test_an_export_imported_back_keeps_where_each_span_came_from(tmp_path, format_name):
    """Every span came back made by hand: the suggestions accepted and edited counted as
    deleted, and the spans as added (the usage figures moved on an unchanged file)."""
    from annotator.core.model import Article
    from annotator.storage.usage import suggestion_usage

    text = "Rebels said they shelled Idlib and Saraqib on Monday."
    store = Store(tmp_path / "p.db")
    (article_id,) = store.add_articles([Article(text)]).ids
    store.add_suggestions([(article_id, [Span(0, 6, "FACTION"), Span(25, 30, "LOCATION")])], "m-1")
    spans = store.start_article(article_id, "ana")  # the suggestions, as ana's
    idlib = next(span for span in spans if span.label == "LOCATION")
    store.update_span(idlib.id, 25, 30, "FACTION", "edited")
    store.add_span(article_id, "ana", Span(35, 42, "LOCATION"))  # by hand
    store.set_status(article_id, "ana", "done")
    before = ([(s.key, s.origin) for s in store.spans(article_id, "ana")], suggestion_usage(store))
    out = tmp_path / f"out{get_format(format_name).suffix}"
    export_project(store, out, format_name, annotator="ana")
    report = import_paths(store, [out], annotator="ana")
    assert report.changed == 0 and report.replaced == 1
    after = ([(s.key, s.origin) for s in store.spans(article_id, "ana")], suggestion_usage(store))
    assert after == before


@pytest.mark.parametrize("format_name", ["jsonl", "doccano"])
def test_a_gold_export_imports_back_as_the_gold_version(tmp_path, format_name):
    """The default export writes gold where there is one, named "gold": importing it back
    was refused ("gold is the review's version"); Label Studio's ground_truth came back."""
    from annotator.core.model import GOLD, Article

    store = Store(tmp_path / "p.db")
    (article_id,) = store.add_articles([Article("Rebels shelled Idlib on Monday.")]).ids
    store.replace_annotations(article_id, GOLD, [Span(0, 6, "FACTION"), Span(15, 20, "LOCATION")])
    store.set_status(article_id, GOLD, "done")
    out = tmp_path / f"out{get_format(format_name).suffix}"
    export_project(store, out, format_name)
    other = Store(tmp_path / "new.db")
    report = import_paths(other, [out])
    (new_id,) = other.article_ids()
    assert other.spans(new_id, GOLD) == store.spans(article_id, GOLD) and report.gold == 1
    assert other.status(new_id, GOLD).status == "done"


@pytest.mark.parametrize("format_name", ["jsonl", "labelstudio"])
def test_work_not_done_goes_out_as_not_done_and_comes_back_so(tmp_path, format_name):
    """``--status all`` wrote half-done, skipped and flagged work as Prodigy "accept", which
    ``data-to-spacy`` trains on as whole; read back, all of it came in done."""
    import json

    from annotator.core.model import Article

    store = Store(tmp_path / "p.db")
    texts = [f"Rebels shelled Idlib on day {n}." for n in range(4)]
    ids = store.add_articles([Article(text) for text in texts]).ids
    statuses = ["done", "in_progress", "skipped", "flagged"]
    for article_id, status in zip(ids, statuses, strict=True):
        store.replace_annotations(article_id, "ana", [Span(0, 6, "FACTION")])
        store.set_status(
            article_id, "ana", status, "not “conflict” news" if status == "flagged" else None
        )
    out = tmp_path / f"out{get_format(format_name).suffix}"
    export_project(store, out, format_name, status="all")
    if format_name == "jsonl":
        tasks = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        answers = {task["text"]: (task["answer"], task.get("_status")) for task in tasks}
        assert answers == {
            texts[0]: ("accept", None),
            texts[1]: ("ignore", "in_progress"),
            texts[2]: ("ignore", "skipped"),
            texts[3]: ("ignore", "flagged"),
        }
        assert [task.get("flagged") for task in tasks] == [None, None, None, True]
    other = Store(tmp_path / "new.db")
    report = import_paths(other, [out])
    back = {other.article(i).text: other.status(i, "ana").status for i in other.article_ids()}
    assert back == dict(zip(texts, statuses, strict=True))
    assert all(other.spans(i, "ana") for i in other.article_ids())
    # and the flag's comment: it came back "(no comment)"
    flagged = next(i for i in other.article_ids() if other.status(i, "ana").status == "flagged")
    assert other.status(flagged, "ana").comment == "not “conflict” news"
    assert report.unfinished == {"in_progress": 1, "skipped": 1, "flagged": 1}
    assert "annotations not done, kept as the file says: 1 flagged, 1 in progress, 1 skipped" in (
        report.summary_lines()
    )


def test_a_prodigy_flag_on_an_accepted_task_flags_the_annotation(tmp_path):
    path = tmp_path / "flag.jsonl"
    path.write_text(
        '{"text": "Rebels shelled Idlib.", "spans": [], "answer": "accept", "flagged": true,'
        ' "_annotator_id": "ner-ana"}\n'
        '{"text": "Nobody annotated this.", "answer": "ignore", "_status": "skipped"}\n',
        encoding="utf-8",
    )
    store = Store(tmp_path / "p.db")
    report = import_paths(store, [path])
    first, second = store.article_ids()
    assert store.status(first, "ner-ana").status == "flagged"
    assert "flagged" not in store.article(first).meta  # Prodigy's own key, not metadata
    # an ignored task without an annotator is Prodigy's skip of a text: the text only
    assert store.annotators_of(second) == []
    assert report.not_held["Prodigy ignored tasks"] == 1


def test_brat_pairs_keep_the_names_of_the_text_files_and_come_back_without_a_word_on_conf(
    tmp_path,
):
    """Articles imported from 01_sudan.txt went to brat as article-0000001; the collection
    imported back said "2 files left out, of types the program does not read: .conf 2"."""
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "01_sudan.txt").write_text("RSF fighters entered El Fasher.", encoding="utf-8")
    (texts / ".hidden.txt").write_text("Shelling hit Gao on Monday.", encoding="utf-8")
    store = Store(tmp_path / "p.db")
    import_paths(store, [texts / "01_sudan.txt"])
    import_paths(store, [texts / ".hidden.txt"])  # named directly: a hidden name is no pair's
    for article_id in store.article_ids():
        store.replace_annotations(article_id, "ana", [Span(0, 3, "FACTION")])
        store.set_status(article_id, "ana", "done")
    export_project(store, tmp_path / "brat", "brat")
    names = sorted(p.name for p in (tmp_path / "brat").iterdir())
    assert names == [
        "01_sudan.ann", "01_sudan.txt", "annotation.conf", "article-0000002.ann",
        "article-0000002.txt",
    ]  # fmt: skip
    other = Store(tmp_path / "other.db")
    report = import_paths(other, [tmp_path / "brat"])
    assert report.added == 2 and not report.other_files


@pytest.mark.parametrize("format_name", ["doccano", "brat", "conll"])
def test_an_export_says_when_its_format_cannot_say_work_is_not_done(tmp_path, format_name):
    """In progress, skipped and flagged work went to doccano and brat without a word, and
    came back done."""
    from annotator.core.model import Article

    store = Store(tmp_path / "p.db")
    ids = store.add_articles([Article(f"Rebels shelled Idlib on day {n}.") for n in range(3)]).ids
    for article_id, status in zip(ids, ["done", "in_progress", "flagged"], strict=True):
        store.replace_annotations(article_id, "ana", [Span(0, 6, "FACTION")])
        store.set_status(article_id, "ana", status)
    out = tmp_path / ("out" + get_format(format_name).suffix)
    report = export_project(store, out, format_name, status="all")
    assert (
        f"2 versions not done written (flagged 1, in progress 1): {format_name} has no place "
        "for a status, so imported into another project they come in done (back into this "
        "one, a version given unchanged keeps its status; jsonl and labelstudio keep it)"
    ) in report.notes
    done = export_project(store, tmp_path / ("done" + get_format(format_name).suffix), format_name)
    assert not any("not done written" in note for note in done.notes)
    store.set_status(ids[2], "ana", "flagged", comment="two places called Marib?")
    report = export_project(
        store, tmp_path / ("c" + get_format(format_name).suffix), format_name, status="all"
    )
    # (the flag's comment went without a word: the note said only that the status did)
    docbin = export_project(store, tmp_path / "c.spacy", "spacy", status="all")
    assert "1 flag comment not written: a DocBin holds no status nor comment" in " ".join(
        docbin.notes
    )
    assert any(
        note.endswith("nor for a flag's comment: 1 comment not written") for note in report.notes
    )


def test_a_rejection_kept_from_the_project_is_not_counted_as_the_files(tmp_path):
    """Back from doccano (which holds no rejections), the summary said "1 rejected spans
    kept as known negatives", as if the file had brought one, beside "kept from the
    project: rejected spans 1"."""
    from annotator.core.model import Article
    from annotator.storage.import_records import known_negatives

    text = "Rebels said they shelled Idlib on Monday."
    store = Store(tmp_path / "p.db")
    (article_id,) = store.add_articles([Article(text)]).ids
    store.replace_spans(article_id, "ana", [Span(0, 6, "FACTION")])
    store.set_status(article_id, "ana", "done")
    with store.transaction():
        store._db.execute(  # noqa: SLF001 - a Prodigy rejection, as an import stores it
            'INSERT INTO known_negatives (article_id, annotator, start, "end", label) '
            "VALUES (?, 'ana', 34, 40, 'LOCATION')",
            [article_id],
        )
    out = tmp_path / "out.jsonl"
    export_project(store, out, "doccano", annotator="ana", status="all")
    store.add_span(article_id, "ana", Span(25, 30, "LOCATION"))  # an edit the file lacks
    report = import_paths(store, [out], annotator="ana", format_name="doccano")
    assert report.kept_from_project["rejected spans"] == 1 and report.negatives == 0
    assert not any("known negatives, not annotations" in line for line in report.summary_lines())
    assert [s.key for s in known_negatives(store, article_id, "ana")] == [(34, 40, "LOCATION")]
