"""WebAnno TSV 3, INCEpTION's export, read span by span: the text rebuilt from the sentences,
UTF-16 offsets (emoji, mathematical letters) in code points, escapes, stacked and sub-token
spans, and what the program does not hold counted (``tests/formats/webanno/``: files shaped
as INCEpTION writes them, its header, columns and trailing tab)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.model import GOLD
from annotator.formats import FormatError, detect_format
from annotator.formats.importer import DEFAULT_ANNOTATOR, import_paths
from tests.cli_runner import run

HERE = Path(__file__).parent / "webanno"
NAMED_ENTITY = "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value"


def spans_of(store, annotator: str = DEFAULT_ANNOTATOR) -> list[tuple[str, str]]:
    (article,) = store.iter_articles()
    found = sorted(store.spans(article.id, annotator), key=lambda s: (s.start, s.end, s.label))
    return [(s.label, s.text(article.text)) for s in found]


def webanno_file(path: Path, *body: str, header: str = NAMED_ENTITY, version: str = "3.3"):
    path.write_text(
        "\n".join([f"#FORMAT=WebAnno TSV {version}", header, "", "", *body]) + "\n",
        encoding="utf-8",
    )
    return path


def test_inception_export_is_imported_not_read_as_a_table(tmp_path, capsys):
    # (it said: "no column of texts: its first row names '#FORMAT=WebAnno TSV 3.3'")
    status, out, err = run(
        capsys, "import", str(tmp_path / "x.db"), str(HERE / "inception.tsv"), "--no-preannotate"
    )
    assert status == 0, err
    assert "1 article imported" in out
    assert "no column of texts" not in out + err


def test_inception_export_span_by_span(store):
    report = import_paths(store, [HERE / "front_line.tsv"])
    (article,) = store.iter_articles()
    # Sentences joined as the offsets say: a line break after each, none where the next
    # runs on from it ('Soledar."“Lies'), a space filling the gap the paragraph left.
    assert article.text == (
        "Wagner fighters 🇺🇦 withdrew from Bakhmut's outskirts, the army said.\n"
        'They said:\n"We hold\tthe line \\ at Soledar."“Lies,” 😊 Kyiv said.\n'
        " 𝐁𝐑𝐄𝐀𝐊𝐈𝐍𝐆: shelling in Donetsk.\n"
    )
    assert spans_of(store) == [
        ("FACTION", "Wagner fighters"),
        ("CLAIM", "Wagner fighters 🇺🇦 withdrew from Bakhmut's outskirts"),
        ("LOC", "Bakhmut"),  # a sub-token (1-6.1) after a flag: two code points, four units
        ("FACTION", "the army"),
        ("SOURCE", "army"),  # stacked on "army": FACTION[2]|SOURCE
        ("Claim", "said"),  # a span with no value ("*"): its layer's name
        ("ARMED_GROUP", "They"),  # ARMED\_GROUP
        ("CLAIM", "We hold\tthe line \\ at Soledar"),
        ("LOCATION", "Soledar"),
        ("Claim", "Lies"),
        ("GPE", "Kyiv"),
        ("NamedEntity", "𝐁𝐑𝐄𝐀𝐊𝐈𝐍𝐆"),
        ("LOCATION", "Donetsk"),  # after eight letters of two UTF-16 units each
    ]
    assert report.not_held == {
        "WebAnno TSV relations (Source)": 1,
        "WebAnno TSV chain links (CoreferenceLink)": 2,
        "WebAnno TSV NamedEntity identifier values": 1,
    }
    assert report.unknown_labels == ["ARMED_GROUP", "Claim", "GPE", "LOC", "NamedEntity"]


@pytest.mark.parametrize("name", ["export.txt", "export.tsv"])
def test_webanno_is_told_by_its_first_line_whatever_the_suffix(tmp_path, name):
    path = tmp_path / name
    shutil.copy(HERE / "inception.tsv", path)
    assert detect_format(path).name == "webanno"


def test_inception_project_export_gives_each_user_and_the_curation(store, tmp_path):
    report = import_paths(store, [HERE / "project" / "annotation", HERE / "project" / "curation"])
    (article,) = store.iter_articles()
    assert article.source == "kyiv.txt"  # the document's folder, not the user's file
    assert spans_of(store, "alice") == [("LOCATION", "Kyiv")]
    assert spans_of(store, "bob") == [("FACTION", "Russian"), ("LOCATION", "Kyiv")]
    assert spans_of(store, GOLD) == [
        ("FACTION", "Russian"),
        ("LOCATION", "Kyiv"),
        ("SOURCE", "officials"),
    ]
    # INITIAL_CAS is the document as imported into INCEpTION: its text, nobody's work
    assert report.annotators == ["alice", "bob", GOLD]


def test_escaped_values_and_text_of_version_3_2(store, tmp_path):
    path = webanno_file(
        tmp_path / "escapes.tsv",
        "#Text=C:\\\\maps\\tAl_Bab [north]",
        "1-1\t0-7\tC:\\maps\tA\\|B\\_C\\[1\\]\t",
        "1-2\t8-14\tAl_Bab\tLOC\\|GPE|LOC\t",
        "1-3\t15-22\t[north]\t_\t",
        version="3.2",
    )
    import_paths(store, [path])
    assert spans_of(store) == [("A|B_C[1]", "C:\\maps"), ("LOC", "Al_Bab"), ("LOC|GPE", "Al_Bab")]


def test_a_span_over_sentences_and_a_multi_line_sentence(store, tmp_path):
    path = webanno_file(
        tmp_path / "lines.tsv",
        "#Text=Shelling hit",
        "#Text=Kharkiv.",
        "1-1\t0-8\tShelling\t_\t",
        "1-2\t9-12\thit\tEVENT[1]\t",
        "1-3\t13-20\tKharkiv\tEVENT[1]|LOCATION[2]\t",
        "1-4\t20-21\t.\tEVENT[1]\t",
        "",
        "#Text=Sirens 🚨 sounded.",
        "2-1\t22-28\tSirens\tEVENT[1]\t",
        "2-2\t29-31\t🚨\tALERT\t",
        "2-3\t32-39\tsounded\t_\t",
    )
    import_paths(store, [path])
    assert spans_of(store) == [
        ("EVENT", "hit\nKharkiv.\nSirens"),
        ("LOCATION", "Kharkiv"),
        ("ALERT", "🚨"),
    ]


@pytest.mark.parametrize(
    ("sentence", "row", "message"),
    [
        ("Kyiv", "1-1\t0-6\tKyiv\tLOC\t", "offsets 0-6 lie outside the sentences' text"),
        ("😊 Kyiv", "1-1\t0-1\t😊\tLOC\t", "offsets 0-1 split an emoji"),
        ("Kyiv", "1-1\t0-4\tKyiv", "a token row of 3 columns: the header declares 4"),
        ("Kyiv", "1-1\t4-0\tKyiv\tLOC\t", "offsets 4-0 end before they start"),
    ],
)
def test_rows_that_do_not_fit_the_text_or_the_header_are_refused_by_line(
    store, tmp_path, sentence, row, message
):
    path = webanno_file(tmp_path / "bad.tsv", f"#Text={sentence}", row)
    with pytest.raises(FormatError) as refused:
        import_paths(store, [path])
    assert str(refused.value).startswith(f"{path}:6: {message}")
    assert store.article_count() == 0


def test_webanno_2_is_refused_saying_what_to_export(store, tmp_path):
    path = webanno_file(tmp_path / "old.tsv", "#Text=Kyiv", "1-1\t0-4\tKyiv\tLOC", version="2.0")
    with pytest.raises(FormatError, match="only WebAnno TSV 3 .*export the documents again"):
        import_paths(store, [path])


@pytest.mark.parametrize(
    ("content", "named"),
    [
        # WebAnno 1's shape, as INCEpTION's tests keep it (tsv/example.tsv)
        ("#id=1\n#text=Ms. Haag plays Elianti .\n1\tMs.\t_\tNNP\tB_PER\t3\tSUBJ\t_\t_\n", "1"),
        ("#FORMAT=WebAnno TSV 2\n#T_SP=x\n\n", "2"),  # WebAnno 2's: no minor version
    ],
)
def test_webanno_1_and_2_are_refused_saying_to_export_again(store, tmp_path, content, named):
    # (the first was read as a table, "no column of texts: its first row names '#id=1'";
    # the second, "not WebAnno TSV: its first line is not #FORMAT=WebAnno TSV 3.3")
    path = tmp_path / "old.tsv"
    path.write_text(content, encoding="utf-8")
    assert detect_format(path).name == "webanno"
    with pytest.raises(FormatError) as refused:
        import_paths(store, [path])
    assert str(refused.value) == (
        f"{path}:1: WebAnno TSV {named}: only WebAnno TSV 3 (3.2, 3.3) is read: export the "
        "documents again from INCEpTION or WebAnno 3 as 'WebAnno TSV v3.3'"
    )


@pytest.mark.parametrize("line_end", ["\r", "\r\n"])
def test_lines_ended_by_a_bare_cr_or_crlf_read_as_java_reads_them(store, tmp_path, line_end):
    path = webanno_file(
        tmp_path / "cr.tsv",
        "#Text=Houthi rebels hit Marib .",
        "1-1\t0-6\tHouthi\tFACTION[1]\t",
        "1-2\t7-13\trebels\tFACTION[1]\t",
        "1-3\t14-17\thit\t_\t",
        "1-4\t18-23\tMarib\tLOCATION\t",
        "1-5\t24-25\t.\t_\t",
    )
    # (bare CR, as one converter writes: "not WebAnno TSV: its first line is not …")
    path.write_bytes(path.read_bytes().replace(b"\n", line_end.encode()))
    import_paths(store, [path])
    (article,) = store.iter_articles()
    assert article.text == "Houthi rebels hit Marib .\n"
    assert spans_of(store) == [("FACTION", "Houthi rebels"), ("LOCATION", "Marib")]
