"""The fast export: the token cache, numpy-made JSON Lines, batches encoded in worker
processes. Each is checked against the plain way of doing the same thing, byte for byte."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from annotator.cli import main
from annotator.core import Article, Cancelled, Span
from annotator.core.relations import (
    DEFAULT_ATTRIBUTE_TYPES,
    AttributeType,
    ClaimWork,
    SpanAttribute,
    SpanRelation,
    effective_values,
)
from annotator.formats import export_jobs, parallel
from annotator.formats.article_fields import metadata_of
from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.formats.jsonrows import Choice, Literal, Number, Optional, Slice, pack_rows
from annotator.formats.packed_tokens import (
    TOKENIZER,
    alignment,
    pack_tokens,
    unpack_alignment,
    unpack_tokens,
)
from annotator.storage import Store
from annotator.storage.errors import DiskFull, ProjectIOError
from annotator.storage.token_cache import cache_tokens, cached_tokens, forget_tokens

from .conftest import TRICKY, write_jsonl

# Texts hard on JSON and on the token layout: quotes, backslashes, control characters
# (escaped as \u00XX), tabs, runs of spaces, a token longer than a JSON row's text block,
# leading whitespace, emoji, Arabic, combining marks.
AWKWARD = [
    *(raw.replace("\r\n", "\n") for raw, _ in TRICKY),
    ' "Rebels" said\\claimed \x01 they\ttook  Kidal \x0b\n\n'
    " and https://example.org/a/long/path?q=1 ",
    "  Leading spaces, then Gao.",
    "x" * 20_000 + " y",  # a token too long for two bytes: packed four bytes a number
]


def reference_task(
    article: Article,
    spans: list[Span],
    annotator: str,
    work: ClaimWork | None = None,
    types: Sequence[AttributeType] = DEFAULT_ATTRIBUTE_TYPES,
) -> str:
    """A Prodigy task as ``json.dumps`` writes it: what every line must be, byte for byte;
    with ``rel.manual``'s relations and each span's (effective) attribute values."""
    work = work or ClaimWork()
    tokens = alignment(article.text)
    task = {
        "text": article.text,
        "tokens": [
            {"text": article.text[s:e], "start": s, "end": e, "id": i, "ws": ws}
            for i, (s, e, ws) in enumerate(
                zip(
                    tokens.starts.tolist(),
                    tokens.ends.tolist(),
                    tokens.space_after.tolist(),
                    strict=True,
                )
            )
        ],
        "meta": {**article.meta, **metadata_of(article), "article_id": article.id},
    }
    if annotator:
        written = []
        for span in spans:
            record: dict = {"start": span.start, "end": span.end, "label": span.label}
            covered = tokens.covering(span.start, span.end)
            if covered is not None:
                record["token_start"], record["token_end"] = covered
            values = effective_values(types, span.label, work.values(span))
            if values:
                record["attributes"] = dict(sorted(values.items()))
            written.append(record)
        task["spans"] = written
        relations = []
        for relation in work.relations:
            head, child = (tokens.covering(s.start, s.end) for s in (relation.head, relation.child))
            record = {"head": head[1], "child": child[1]} if head and child else {}
            for key, span, covered in (("head_span", relation.head, head),
                                       ("child_span", relation.child, child)):  # fmt: skip
                record[key] = {"start": span.start, "end": span.end}
                if covered:
                    record[key].update(token_start=covered[0], token_end=covered[1])
                record[key]["label"] = span.label
            record["label"] = relation.label
            relations.append(record)
        if relations:
            task["relations"] = relations
        task.update(_annotator_id=annotator, answer="accept")
    return json.dumps(task, ensure_ascii=False, separators=(",", ":")) + "\n"


def awkward_project(store: Store, count: int = len(AWKWARD)) -> list[int]:
    """Articles of ``AWKWARD`` text, alice's spans (some off token boundaries, one on
    whitespace only) done on all but the last, which nobody annotated."""
    texts = [f"{AWKWARD[i % len(AWKWARD)]} ({i})" for i in range(count)]
    articles = [
        Article(
            text, title=f"t\t\x01{i}", url="http://x" * (i % 2), meta={"k": "é"} if i % 3 else {}
        )
        for i, text in enumerate(texts)
    ]
    ids = store.add_articles(articles).ids
    for article_id, text in zip(ids[:-1], texts, strict=False):
        gap = next(  # a space between words: it belongs to no token
            i
            for i in range(1, len(text) - 1)
            if text[i] == " " and not text[i - 1].isspace() and not text[i + 1].isspace()
        )
        spans = [
            Span(0, 3, "LOCATION"),
            Span(1, len(text) - 1, "CLAIM"),
            Span(2, 9, "FACTION"),
            Span(gap, gap + 1, "CLAIM"),  # no token indices
        ]
        # The claim's source is the FACTION span (off token boundaries, mostly); the span on
        # whitespace claims too: a relation without token indices.
        relations = [SpanRelation(spans[1], spans[2]), SpanRelation(spans[3], spans[2])]
        values = [SpanAttribute(spans[1], "polarity", "denied")]
        store.replace_annotations(article_id, "alice", spans, relations, values)
        store.set_status(article_id, "alice", "done")
    return ids


def reference_file(store: Store) -> bytes:
    lines = []
    for article in store.iter_articles():
        status = store.status(article.id, "alice").status
        annotator = "alice" if status == "done" else ""
        spans, work = store.spans(article.id, "alice"), store.claim_work(article.id, "alice")
        lines.append(reference_task(article, spans, annotator, work))
    return "".join(lines).encode()


def test_each_line_is_the_task_json_dumps_writes(store, tmp_path):
    awkward_project(store)
    report = export_project(store, tmp_path / "out.jsonl", "jsonl", status="all")
    assert (tmp_path / "out.jsonl").read_bytes() == reference_file(store)
    reasons = {reason for _, reason in report.changed}
    assert reasons == {
        "not on token boundaries: token indices cover the tokens it touches",
        "covers no token (whitespace only): written without token indices",
    }


def test_packed_tokens_are_the_tokenizers(tmp_path):
    for text in AWKWARD:
        packed = pack_tokens(text)
        assert unpack_alignment(packed) == alignment(text)
        tokens = alignment(text)
        _, json_lengths, _, _ = unpack_tokens(packed)
        assert json_lengths.tolist() == [
            len(json.dumps(text[s:e], ensure_ascii=False).encode()) - 2 for s, e in tokens.bounds()
        ]
    assert pack_tokens(AWKWARD[-1])[0] == 4 and pack_tokens(AWKWARD[0])[0] == 2


def test_the_cache_holds_entries_per_tokenizer(store):
    (article_id,) = store.add_articles([Article("Shelling hit Gao.")]).ids
    assert cache_tokens(store, [(article_id, b"old")], "spacy 1.0 blank en")
    assert cached_tokens(store, [article_id], TOKENIZER) == {}  # another spaCy: stale
    assert cache_tokens(store, [(article_id, b"new")], TOKENIZER)
    assert cached_tokens(store, [article_id], TOKENIZER) == {article_id: b"new"}


def test_the_first_export_fills_the_token_cache_the_import_left_empty(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": text} for text in AWKWARD[:4]])
    with Store() as store:
        import_paths(store, [source])  # an import writes at the speed of the database
        ids = store.article_ids()
        assert cached_tokens(store, ids, TOKENIZER) == {}
        export_project(store, tmp_path / "out.jsonl", "jsonl", status="all")
        assert cached_tokens(store, ids, TOKENIZER) == {
            article.id: pack_tokens(article.text) for article in store.iter_articles()
        }
        first = (tmp_path / "out.jsonl").read_bytes()
        export_project(store, tmp_path / "again.jsonl", "jsonl", status="all")
        assert (tmp_path / "again.jsonl").read_bytes() == first
        forget_tokens(store, [ids[0]])
        export_project(store, tmp_path / "third.jsonl", "jsonl", status="all")
        assert ids[0] in cached_tokens(store, ids, TOKENIZER)


@pytest.mark.parametrize("error", [DiskFull, ProjectIOError])
def test_an_export_goes_on_when_the_project_cannot_keep_its_tokens(tmp_path, error):
    """A full disk under the project refused a JSONL export written to another disk: the
    token cache's write failed the export with "the last change was not saved"."""
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": text} for text in AWKWARD[:2]])
    with Store() as store:
        import_paths(store, [source])

        def failing():
            raise error("project.db: the disk is full")

        store.transaction = failing  # every write from now on, as on a full disk
        export_project(store, tmp_path / "out.jsonl", "jsonl", status="all")
        assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2
        assert cached_tokens(store, store.article_ids(), TOKENIZER) == {}


def test_a_wrong_or_stale_cache_entry_changes_nothing(store, tmp_path):
    ids = awkward_project(store)
    export_project(store, tmp_path / "first.jsonl", "jsonl")
    cache_tokens(store, [(ids[0], pack_tokens("Another text altogether."))], TOKENIZER)
    cache_tokens(store, [(ids[1], b"\x02junk")], "spacy 0.1 blank en")
    export_project(store, tmp_path / "second.jsonl", "jsonl")
    assert (tmp_path / "second.jsonl").read_bytes() == (tmp_path / "first.jsonl").read_bytes()
    assert cached_tokens(store, ids[:1], TOKENIZER)[ids[0]] == pack_tokens(
        store.article(ids[0]).text
    )


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    """A project file (workers open it themselves) of 40 awkward articles."""
    path = tmp_path / "project.db"
    with Store(path) as store:
        awkward_project(store, 40)
    return path


@pytest.mark.parametrize("threads", [1, 2], ids=["forked", "from a fork server"])
def test_workers_write_the_same_files_and_report(project_file, tmp_path, monkeypatch, threads):
    monkeypatch.setattr(export_jobs, "BATCH", 7)  # several jobs, some of them under way at once
    monkeypatch.setattr(parallel, "_one_thread", lambda: threads == 1)  # the window: threads
    reports = {}
    for workers in (0, 2):
        with Store(project_file) as store:
            reports[workers] = export_project(
                store, tmp_path / f"w{workers}", "jsonl", split=(0.5, 0.5), workers=workers
            )
        reports[workers].outputs, reports[workers].omissions_path = {}, None
    assert reports[0].to_dict() == reports[2].to_dict()
    assert [o.span for o in reports[0].omissions] == [o.span for o in reports[2].omissions]
    for name in ("train.jsonl", "dev.jsonl", "omitted.tsv"):
        assert (tmp_path / "w0" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.db", "w0", "w2"]


def test_parts_a_worker_cannot_place_are_copied_into_place(project_file, tmp_path, monkeypatch):
    monkeypatch.setattr(export_jobs, "BATCH", 7)
    monkeypatch.setattr(parallel, "_one_thread", lambda: True)  # forked: patches carried over
    tell = parallel._Places.tell

    def tell_some(places: parallel._Places, job: int, sizes: dict[str, int]):
        known = tell(places, job, sizes)
        return known if job % 2 else None  # as if every other job had finished too early

    monkeypatch.setattr(parallel._Places, "tell", tell_some)
    for workers in (0, 2):
        with Store(project_file) as store:
            export_project(
                store, tmp_path / f"w{workers}", "jsonl", split=(0.5, 0.5), workers=workers
            )
    for name in ("train.jsonl", "dev.jsonl"):
        assert (tmp_path / "w0" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()


@pytest.mark.parametrize("format_name", ["spacy", "doccano"])
def test_workers_write_the_same_file_in_other_formats(
    project_file, tmp_path, monkeypatch, format_name
):
    monkeypatch.setattr(export_jobs, "BATCH", 9)
    for workers in (0, 2):
        with Store(project_file) as store:
            export_project(store, tmp_path / f"w{workers}.out", format_name, workers=workers)
    assert (tmp_path / "w0.out").read_bytes() == (tmp_path / "w2.out").read_bytes()
    if format_name == "spacy":
        assert (tmp_path / "w0.out.omitted.tsv").read_bytes() == (
            tmp_path / "w2.out.omitted.tsv"
        ).read_bytes()


def test_a_cancel_stops_the_workers_and_leaves_no_files(project_file, tmp_path, monkeypatch):
    monkeypatch.setattr(export_jobs, "BATCH", 5)

    def cancel(done: int, total: int) -> None:
        if done:
            raise Cancelled

    with Store(project_file) as store, pytest.raises(Cancelled):
        export_project(store, tmp_path / "out.jsonl", "jsonl", workers=2, progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.db"]


def test_rows_are_what_python_formats():
    rng = np.random.default_rng(7)
    buffer = "".join(rng.choice(list('abé"\\\n😀 '), 3000)).encode()
    count = 500
    starts, lengths = rng.integers(0, 2500, count), rng.integers(0, 40, count)
    numbers = rng.integers(0, 10**12, count) // 10 ** rng.integers(0, 12, count)
    index, present = rng.integers(0, 3, count), rng.random(count) < 0.6
    options = (b"", b"true", b"longer than eight")
    data, row_lengths = pack_rows(
        count,
        [
            Literal(b'{"n":'),
            Number(numbers),
            Literal(b',"s":"'),
            Slice(buffer, starts, lengths),
            Literal(b'"'),
            Optional(present, [Literal(b',"x":'), Number(numbers // 7)]),
            Choice(index, options, right=True),
            Literal(b"}"),
        ],
    )
    rows = [
        b'{"n":%d,"s":"%s"%s%s}'
        % (
            numbers[i],
            buffer[starts[i] : starts[i] + lengths[i]],
            b',"x":%d' % (numbers[i] // 7) if present[i] else b"",
            options[index[i]],
        )
        for i in range(count)
    ]
    assert bytes(data) == b"".join(rows)
    assert row_lengths.tolist() == [len(row) for row in rows]


def test_without_tokens_records_have_neither_tokens_nor_token_indices(store, tmp_path):
    awkward_project(store)
    report = export_project(store, tmp_path / "out.jsonl", "jsonl", tokens=False)
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    tasks = [json.loads(line) for line in lines]
    assert [set(task) for task in tasks] == [
        {"text", "meta", "spans", "relations", "_annotator_id", "answer"}
    ] * (len(AWKWARD) - 1)
    assert all(
        set(span) - {"attributes"} == {"start", "end", "label"}
        for t in tasks
        for span in t["spans"]
    )
    # Relations name their spans by offsets alone: no head and child token indices.
    assert all(
        set(relation) == {"head_span", "child_span", "label"}
        and set(relation["head_span"]) == {"start", "end", "label"}
        for t in tasks
        for relation in t["relations"]
    )
    assert not report.changed and not report.omitted  # no tokens, nothing off them


def test_the_command_line_leaves_tokens_out_of_jsonl_only(tricky, tmp_path, capsys):
    db = tmp_path / "project.db"
    tricky.copy_to(db)
    assert main(["export", str(db), str(tmp_path / "out.jsonl"), "--no-tokens"]) == 0
    first = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "tokens" not in first
    capsys.readouterr()
    assert (
        main(["export", str(db), str(tmp_path / "out.spacy"), "--format", "spacy", "--no-tokens"])
        == 1
    )
    assert capsys.readouterr().err.startswith("error: --no-tokens is for the jsonl format")


#: Each of the program's own tokenizer rules at work, and the tokens they give.
PROBE = (
    "Near \u200eإدلب\u200e. Ṣanʿāʾ. Ṣanʿāʾ-based 伊德利卜 🇸🇾 👨\u200d👩\u200d👧 bbc.com报道 "
    'و"اللواء بـ«الدعم و‘اللواء ب„الدعم'
)
PROBE_TOKENS = [
    "Near", "\u200e", "إدلب", "\u200e", ".", "Ṣanʿāʾ", ".", "Ṣanʿāʾ", "-", "based", "伊", "德",
    "利", "卜", "🇸🇾", "👨\u200d👩\u200d👧", "bbc.com", "报", "道", "و", '"', "اللواء",
    "بـ", "«", "الدعم", "و", "‘", "اللواء", "ب", "„", "الدعم",
]  # fmt: skip


def test_the_token_caches_stamp_changes_with_the_tokenizers_rules():
    """The rules split the stop off "Ṣanʿāʾ." and the stamp stayed: projects exported before
    kept the old tokens in their cache, and the exact span went on being refused as "not on
    token boundaries". If this fails, change TOKENIZER, then PROBE_TOKENS and the stamp."""
    from annotator.nlp.tokens import token_bounds

    tokens = [PROBE[start:end] for start, end in token_bounds(PROBE)]
    assert TOKENIZER.endswith("blank en cjk2 marks6 whole2")
    assert tokens == PROBE_TOKENS, "the tokenizer changed: change TOKENIZER's stamp"
