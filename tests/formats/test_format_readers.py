"""Each reader on good and bad input: bad input is a ``FormatError`` naming the file and the
record or line, and the project is left exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import Article
from annotator.formats import FormatError, detect_format
from annotator.formats.importer import expand_paths, import_paths, read_files
from annotator.storage import Store

TEXT = "Rebels took Kidal 🇲🇱 on Sunday."  # the flag is two code points, four UTF-16 units


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8", newline="")
    return path


def jsonl(path: Path, *records: dict) -> Path:
    return write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def brat(folder: Path, text: str, ann: str, name: str = "doc") -> Path:
    folder.mkdir(exist_ok=True)
    write(folder / f"{name}.txt", text)
    write(folder / f"{name}.ann", ann)
    return folder / f"{name}.txt"


def labelstudio(path: Path, *tasks: dict) -> Path:
    return write(path, json.dumps(list(tasks), ensure_ascii=False))


def ls_task(text: str, *results: tuple[int, int, str, str | None], **annotation) -> dict:
    return {
        "id": 7,
        "data": {"text": text},
        "annotations": [
            {
                "result": [
                    {
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": s, "end": e, "labels": [label]}
                        | ({"text": stated} if stated is not None else {}),
                    }
                    for s, e, label, stated in results
                ],
                **annotation,
            }
        ],
    }


# -- bad input: (a file maker, what the message must say) --------------------------------

BAD_INPUT = {
    "jsonl offsets outside": (
        lambda d: jsonl(
            d / "a.jsonl",
            {"text": "ok"},
            {"text": TEXT, "spans": [{"start": 5, "end": 99, "label": "X"}]},
        ),
        ["a.jsonl:2", "outside the text"],
    ),
    "jsonl stated text": (
        lambda d: jsonl(
            d / "a.jsonl",
            {"text": TEXT, "spans": [{"start": 12, "end": 17, "label": "LOCATION", "text": "Gao"}]},
        ),
        ["a.jsonl:1", "'Gao'", "'Kidal'"],
    ),
    "jsonl malformed": (
        lambda d: write(d / "a.jsonl", '{"text": "ok"}\n{"text": \n'),
        ["a.jsonl:2", "not valid JSON"],
    ),
    "doccano offsets outside": (
        lambda d: jsonl(d / "a.jsonl", {"text": TEXT, "label": [[12, 90, "LOCATION"]]}),
        ["a.jsonl:1", "label 1", "outside the text"],
    ),
    "doccano splits an emoji": (
        lambda d: jsonl(d / "a.jsonl", {"text": TEXT, "label": [[18, 19, "LOCATION"]]}),
        ["a.jsonl:1", "UTF-16"],
    ),
    "doccano malformed": (
        lambda d: jsonl(d / "a.jsonl", {"text": TEXT, "label": [[12, "LOCATION"]]}),
        ["a.jsonl:1", "not [start, end, label]"],
    ),
    "brat offsets outside": (
        lambda d: brat(d / "c", TEXT, "T1\tLOCATION 12 17\tKidal\nT2\tLOCATION 30 99\tx\n"),
        ["doc.ann:2", "T2", "outside doc.txt"],
    ),
    "brat stated text": (
        lambda d: brat(d / "c", TEXT, "T1\tLOCATION 12 17\tGao\n"),
        ["doc.ann:1", "T1 says 'Gao'", "'Kidal'"],
    ),
    "brat malformed": (
        lambda d: brat(d / "c", TEXT, "T1\tLOCATION twelve 17\tKidal\n"),
        ["doc.ann:1", "not a text-bound line"],
    ),
    "conll malformed": (
        lambda d: write(d / "a.conll", "-DOCSTART- -X- -X- O\n\nRebels O\nKidal\n"),
        ["a.conll:4", "expected a token and a tag"],
    ),
    "conll bad tag": (
        lambda d: write(d / "a.conll", "Rebels O\nKidal LOCATION\n"),
        ["a.conll:2", "'LOCATION' is not an IOB tag"],
    ),
    "labelstudio offsets outside": (
        lambda d: labelstudio(
            d / "a.json", ls_task(TEXT, (12, 17, "LOCATION", "Kidal"), (20, 80, "X", None))
        ),
        ["a.json (task 1 (id 7)): annotation 1, result 2", "outside the text"],
    ),
    "labelstudio stated text": (
        lambda d: labelstudio(d / "a.json", ls_task(TEXT, (12, 17, "LOCATION", "Gao"))),
        ["a.json (task 1 (id 7)): annotation 1, result 1", "says 'Gao'"],
    ),
    "labelstudio malformed": (
        lambda d: labelstudio(
            d / "a.json",
            {
                "data": {"text": TEXT},
                "annotations": [{"result": [{"type": "labels", "value": {"start": 1}}]}],
            },
        ),
        ["a.json (task 1): annotation 1, result 1 needs value.start, value.end and value.labels"],
    ),
    "labelstudio no text": (
        lambda d: labelstudio(
            d / "a.json", {"data": {"body": TEXT, "lead": "Sunday"}, "annotations": []}
        ),
        ["a.json (task 1)", 'no "text"', "body, lead"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_names_the_place_and_leaves_the_project_unchanged(tmp_path, case):
    make, expected = BAD_INPUT[case]
    bad = make(tmp_path)
    good = jsonl(tmp_path / "good.jsonl", {"text": "A good article before the bad one."})
    with Store() as store:
        store.add_articles([Article("Already here.")])
        before = store.stats()
        with pytest.raises(FormatError) as error:
            import_paths(store, [good, bad], annotator="alice")
        assert store.stats() == before
    message = str(error.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, message


def test_brat_needs_the_ann_beside_the_txt(tmp_path):
    lonely = write(tmp_path / "lonely.txt", TEXT)
    with pytest.raises(FormatError, match=r"lonely\.txt: no lonely\.ann beside it"):
        read_files([lonely], "brat")
    assert detect_format(lonely).name == "txt"  # without one, it is plain text


def test_doccano_offsets_are_utf16_code_units(tmp_path):
    # "Sunday" starts at code point 24 but at UTF-16 unit 26: the flag counts four units.
    path = jsonl(
        tmp_path / "a.jsonl", {"text": TEXT, "label": [[26, 32, "DATE"], [12, 17, "LOCATION"]]}
    )
    (batch,) = read_files([path], "doccano")
    assert [span.text(batch[0].article.text) for span in batch[0].spans] == ["Sunday", "Kidal"]


def test_brat_reads_crlf_text_with_offsets_counting_two_characters(tmp_path):
    text = "Clashes in Sirte.\r\nThe LNA said it held Sirte."
    start = text.rindex("Sirte")
    path = brat(
        tmp_path / "c", text, f"T1\tLOCATION {start} {start + 5}\tSirte\nR1\tX Arg1:T1 Arg2:T1\n"
    )
    (batch,) = read_files(expand_paths([tmp_path / "c"]))
    (document,) = batch
    assert "\r" not in document.article.text
    assert [s.text(document.article.text) for s in document.spans] == ["Sirte"]
    assert document.spans[0].start == start - 1
    assert path.exists()


def test_conll_rebuilds_text_and_entities_from_iob1_iob2_and_bioes(tmp_path):
    path = write(
        tmp_path / "a.conll",
        "-DOCSTART- -X- -X- O\n\nThe DT O\nNusra NNP I-FACTION\nFront NNP I-FACTION\n"
        "took O\nIdlib B-LOCATION\n. O\n\nIt O\nleft O\nDar S-LOCATION\n\n"
        "-DOCSTART- -X- -X- O\n\nHama B-LOCATION\nHama B-LOCATION\n",
    )
    first, second = read_files([path])[0]
    assert first.article.text == "The Nusra Front took Idlib .\nIt left Dar"
    assert [(s.label, s.text(first.article.text)) for s in first.spans] == [
        ("FACTION", "Nusra Front"),
        ("LOCATION", "Idlib"),
        ("LOCATION", "Dar"),
    ]
    assert [s.text(second.article.text) for s in second.spans] == ["Hama", "Hama"]
    assert first.record == "document 1" and second.line == 14


def test_labelstudio_reads_each_annotator_and_skips_cancelled_work(tmp_path):
    task = ls_task(TEXT, (12, 17, "LOCATION", "Kidal"), completed_by={"id": 3, "email": "a@x.org"})
    task["annotations"] += [
        {
            "completed_by": 4,
            "result": [{"type": "labels", "value": {"start": 0, "end": 6, "labels": ["FACTION"]}}],
        },
        {"completed_by": 5, "was_cancelled": True, "result": []},
    ]
    path = labelstudio(tmp_path / "a.json", task)
    with Store() as store:
        report = import_paths(store, [path])
        (article_id,) = store.article_ids()
        assert store.annotators() == ["a@x.org", "labelstudio-user-4"]
        assert [s.label for s in store.spans(article_id, "labelstudio-user-4")] == ["FACTION"]
        assert report.added == 1 and report.annotated == 2


def test_two_different_span_sets_for_one_text_and_annotator_are_refused(tmp_path):
    a = jsonl(
        tmp_path / "a.jsonl",
        {"text": TEXT, "spans": [{"start": 12, "end": 17, "label": "LOCATION"}]},
    )
    b = jsonl(tmp_path / "b.jsonl", {"text": TEXT, "spans": []})
    with (
        Store() as store,
        pytest.raises(FormatError, match=r"b\.jsonl:1: gives bob other spans .*a\.jsonl:1"),
    ):
        import_paths(store, [a, b], annotator="bob")
    with Store() as store:
        import_paths(store, [a, a], annotator="bob")  # the same spans twice are fine
        assert store.article_count() == 1


def region(span: dict) -> dict:
    """A Label Studio result for a span of ``TEXT``."""
    value = {"start": span["start"], "end": span["end"], "labels": [span["label"]]}
    return {"value": value, "from_name": "label", "to_name": "text", "type": "labels"}


def test_an_annotators_later_version_of_a_text_stands_and_is_said(tmp_path):
    """Prodigy's db-out lists a text an annotator answered again in the order given, and
    Label Studio keeps each annotation a user made on a task: the whole file was refused
    ("import each file with its own --annotator"), and --skip-invalid kept the older one."""
    first = {"text": TEXT, "_annotator_id": "ana", "answer": "accept",
             "spans": [{"start": 12, "end": 17, "label": "LOCATION"}]}  # fmt: skip
    later = first | {"spans": [*first["spans"], {"start": 0, "end": 6, "label": "FACTION"}]}
    path = jsonl(tmp_path / "db-out.jsonl", first, later)
    task = {"data": {"text": TEXT}, "annotations": [
        {"completed_by": 7, "result": [region(s) for s in spans["spans"]]}
        for spans in (first, later)]}  # fmt: skip
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps([task]), encoding="utf-8")
    for file in (path, studio):
        with Store() as store:
            report = import_paths(store, [file])
            (who,) = store.annotators()
            assert {s.label for s in store.spans(store.article_ids()[0], who)} == {
                "LOCATION", "FACTION"
            }  # fmt: skip
            (said,) = [line for line in report.summary_lines() if "given again" in line]
            assert said.startswith("1 text given again by the same annotator with other spans")


def test_rejected_prodigy_tasks_bring_text_and_known_negatives_but_no_annotations(tmp_path):
    path = jsonl(
        tmp_path / "a.jsonl",
        {
            "text": TEXT,
            "answer": "reject",
            "spans": [{"start": 12, "end": 17, "label": "LOCATION"}],
        },
    )
    with Store() as store:
        report = import_paths(store, [path])
        assert report.added == 1 and report.annotated == 0 and store.annotators() == []
        assert report.negatives == 1


def test_unknown_labels_are_reported(tmp_path):
    path = jsonl(
        tmp_path / "a.jsonl", {"text": TEXT, "spans": [{"start": 0, "end": 6, "label": "PER"}]}
    )
    with Store() as store:
        assert import_paths(store, [path]).unknown_labels == ["PER"]


# -- detection -----------------------------------------------------------------------------


def test_detection_tells_formats_apart_by_companion_file_and_content(tmp_path):
    plain = write(tmp_path / "plain.txt", TEXT)
    paired = brat(tmp_path / "c", TEXT, "")
    ann = paired.with_suffix(".ann")
    ls = labelstudio(tmp_path / "tasks.json", ls_task(TEXT))
    doccano_jsonl = jsonl(tmp_path / "d.jsonl", {"text": TEXT, "label": []})
    doccano_json = jsonl(tmp_path / "d.json", {"text": TEXT, "entities": []})
    prodigy = jsonl(tmp_path / "p.jsonl", {"text": TEXT, "spans": []})
    prodigy_json = jsonl(tmp_path / "p.json", {"text": TEXT})
    # Entities of another shape (the GUM eval data's) are not doccano's: plain JSON Lines.
    other = jsonl(tmp_path / "o.jsonl", {"text": TEXT, "entities": [{"start": 0, "end": 3}]})
    conll = write(tmp_path / "x.conll", "Kidal B-LOCATION\n")
    found = {
        p.name: detect_format(p).name
        for p in (
            plain,
            paired,
            ann,
            ls,
            doccano_jsonl,
            doccano_json,
            prodigy,
            prodigy_json,
            other,
            conll,
        )
    }
    assert found == {
        "plain.txt": "txt",
        "doc.txt": "brat",
        "doc.ann": "brat",
        "tasks.json": "labelstudio",
        "d.jsonl": "doccano",
        "d.json": "doccano",
        "p.jsonl": "jsonl",
        "p.json": "jsonl",
        "o.jsonl": "jsonl",
        "x.conll": "conll",
    }


def test_a_brat_folder_imports_each_pair_once_and_never_as_plain_text(tmp_path):
    folder = tmp_path / "collection"
    brat(folder, TEXT, "T1\tLOCATION 12 17\tKidal\n", name="one")
    brat(folder, "Gao fell.", "T1\tLOCATION 0 3\tGao\n", name="two")
    write(folder / "annotation.conf", "[entities]\nLOCATION\n")
    assert [p.name for p in expand_paths([folder])] == ["one.txt", "two.txt"]
    with Store() as store:
        report = import_paths(store, [folder], annotator="alice")
        assert (report.added, report.spans) == (2, 2)


def test_spacy_files_are_refused_with_a_reason(tmp_path):
    with pytest.raises(FormatError, match="exported, not imported"):
        detect_format(write(tmp_path / "train.spacy", "x"))


def test_an_unknown_format_name_lists_the_known_ones(tmp_path):
    with pytest.raises(FormatError, match=r"known formats that import: .*brat.*conll.*doccano"):
        read_files([write(tmp_path / "a.txt", TEXT)], "xml")


def test_the_command_line_imports_a_brat_folder_and_reports_unknown_labels(tmp_path, capsys):
    from annotator.cli import main

    folder = tmp_path / "collection"
    brat(folder, TEXT, "T1\tLOCATION 12 17\tKidal\nT2\tDATE 24 30\tSunday\n")
    db = tmp_path / "project.db"
    status = main(["import", str(db), str(folder), "--annotator", "ann", "--no-preannotate"])
    output = capsys.readouterr()
    assert status == 0, output.err
    assert "1 article imported" in output.out and "2 spans in 1 annotation" in output.out
    assert "labels not in the project's scheme: DATE" in output.out
    status = main(["import", str(db), str(tmp_path / "missing.ann")])
    assert status == 1 and "missing.ann: no such file" in capsys.readouterr().err


def test_conll_lines_ended_by_a_cr_alone_are_lines(tmp_path):
    """An old Mac's line ends: the whole file was one line, imported as the article "Mosul"
    with one span, five tokens and two entities gone, exit 0."""
    path = tmp_path / "a.conll"
    path.write_bytes(b"Mosul B-LOC\rfell O\rto O\rISIS B-ORG\r\rKabul B-LOC\r")
    (document,) = read_files([path])[0]
    assert document.article.text == "Mosul fell to ISIS\nKabul"
    assert [(s.label, s.text(document.article.text)) for s in document.spans] == [
        ("LOC", "Mosul"), ("ORG", "ISIS"), ("LOC", "Kabul")
    ]  # fmt: skip
    path.write_bytes(b"-DOCSTART- -X- O\r\rMosul B-LOC\r\n")  # mixed: both kinds of end
    ((document,),) = read_files([path])
    assert document.article.text == "Mosul"


@pytest.mark.parametrize("end", [b"\r", b"\r\n", b"\n"])
def test_json_lines_ended_by_a_cr_alone_are_lines(tmp_path, end):
    """ "cr.jsonl:2: not valid JSON (Extra data)": the file was one line, though the README
    says a CR alone ends a line; doccano's records alike."""
    plain, doccano = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    plain.write_bytes(end.join([b'{"text":"Clashes in Goma."}', b'{"text":"Calm in Kabul."}', b""]))
    record = b'{"text":"Police raided Goma.","label":[[14,18,"LOCATION"]]}'
    doccano.write_bytes(end.join([record, b'{"text":"Calm in Kabul.","label":[]}', b""]))
    (first, second) = read_files([plain])[0]
    assert [first.article.text, second.article.text] == ["Clashes in Goma.", "Calm in Kabul."]
    (first, second) = read_files([doccano])[0]
    assert [(s.label, s.text(first.article.text)) for s in first.spans] == [("LOCATION", "Goma")]
    assert second.article.text == "Calm in Kabul."


def test_another_tools_spans_after_the_sampled_records_are_refused_naming_the_format(tmp_path):
    """1,000 plain records, then doccano's "label": the file was taken for Prodigy tasks
    (its format is told by the first records) and the spans dropped, exit 0, no word."""
    import json

    from annotator.formats.base import FormatError
    from annotator.formats.importer import check_import

    path = tmp_path / "feed.jsonl"
    records = [{"text": f"Article {i} about the war."} for i in range(1000)]
    records.append({"text": "Aleppo was shelled.", "label": [[0, 6, "LOCATION"]]})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with pytest.raises(FormatError, match=r":1001: holds doccano's spans.*--format doccano"):
        check_import([path])
    assert sum(len(d.spans or ()) for d in read_files([path], "doccano")[0]) == 1


def test_an_id_given_twice_in_brat_or_doccano_is_refused(tmp_path):
    """Both spans were imported, and a relation to the id went to the last one, unsaid."""
    from annotator.formats.importer import check_import

    text = "Rebels said they shelled Idlib."
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "a.ann").write_text(
        "T1\tCLAIM 12 30\tthey shelled Idlib\nT2\tFACTION 0 6\tRebels\n"
        "T2\tLOCATION 25 30\tIdlib\nR1\tsource Arg1:T1 Arg2:T2\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match=r"a\.ann:3: T2 is given twice"):
        check_import([tmp_path / "b"])
    doccano = tmp_path / "d.jsonl"
    doccano.write_text(
        '{"text": "Rebels shelled Idlib.", "entities": [{"id": 1, "start_offset": 0, '
        '"end_offset": 6, "label": "FACTION"}, {"id": 1, "start_offset": 15, "end_offset": 20, '
        '"label": "LOCATION"}], "relations": []}\n',
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="entities 2: the id 1 is given twice"):
        check_import([doccano])


def test_a_folders_hidden_files_and_folders_are_left_out_and_counted(tmp_path):
    """A notebook's .ipynb_checkpoints copy was imported first and clashed with the real
    file; .git added 25 files to "left out"."""
    from collections import Counter

    folder = tmp_path / "feed"
    (folder / ".ipynb_checkpoints").mkdir(parents=True)
    (folder / ".git" / "objects").mkdir(parents=True)
    (folder / "data.jsonl").write_text('{"text": "Shelling in Idlib."}\n', encoding="utf-8")
    (folder / ".ipynb_checkpoints" / "data-checkpoint.jsonl").write_text(
        '{"text": "An older draft."}\n', encoding="utf-8"
    )
    (folder / ".git" / "objects" / "ab12").write_bytes(b"x")
    (folder / ".notes.txt").write_text("mine", encoding="utf-8")
    left_out: Counter[str] = Counter()
    assert expand_paths([folder], left_out=left_out) == [folder / "data.jsonl"]
    assert left_out == {"hidden (name starting with '.', or an Office lock file '~$')": 3}


def test_a_bad_byte_in_a_json_array_is_named_on_its_line(tmp_path):
    """A JSON array written over many lines said every bad byte was at line 1."""
    from annotator.formats.importer import check_import

    path = tmp_path / "tasks.json"
    lines = [b"["] + [b'  {"text": "Article %d."},' % n for n in range(8)]
    lines[6] = b'  {"text": "Caf\xe9 shelled."},'
    path.write_bytes(b"\n".join([*lines, b'  {"text": "last"}', b"]"]) + b"\n")
    with pytest.raises(FormatError, match=r"tasks\.json:7: not UTF-8 text"):
        check_import([path])


@pytest.mark.parametrize(("offsets", "said"), [("17 0", "ends before it starts"),
                                                ("5 5", "is empty")])  # fmt: skip
def test_a_brat_span_backwards_or_empty_is_said_so(tmp_path, offsets, said):
    """A reversed span was reported as lying outside the text."""
    from annotator.formats.importer import check_import

    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a.txt").write_text("Rebels shelled Idlib.", encoding="utf-8")
    (tmp_path / "b" / "a.ann").write_text(f"T1\tLOCATION {offsets}\tx\n", encoding="utf-8")
    with pytest.raises(FormatError, match=f"T1 \\({offsets.replace(' ', '-')}\\) {said}"):
        check_import([tmp_path / "b"])


def test_an_office_lock_file_beside_an_open_table_is_left_out(tmp_path):
    """Excel keeps `~$events.csv` (its owner's name, in bytes) beside a table it has open;
    read as a table of its own, it stopped the folder's import."""
    from collections import Counter

    from annotator.formats.importer import check_import

    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "events.csv").write_text("text\nShelling in Idlib.\n", encoding="utf-8")
    owner = b"\x05alice" + b" " * 49 + "alice".encode("utf-16-le") + b"\x00" * 100
    (folder / "~$events.csv").write_bytes(owner)
    left_out: Counter[str] = Counter()
    assert expand_paths([folder], left_out=left_out) == [folder / "events.csv"]
    assert left_out == {"hidden (name starting with '.', or an Office lock file '~$')": 1}
    plan = check_import([folder])
    assert [path for path, _ in plan.files] == [folder / "events.csv"]
    assert plan.documents == 1
