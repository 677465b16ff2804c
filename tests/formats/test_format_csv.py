"""``csv``: a scraper's or a spreadsheet's table of articles, one per row. It was refused
with "cannot tell the format from the name; give --format", and no --format read it."""

from __future__ import annotations

import csv

import pytest

from annotator.formats import FormatError, Invalid, detect_format
from annotator.formats.csv_table import read_csv
from annotator.formats.importer import import_paths, read_files
from annotator.storage import Store
from tests.cli_runner import run

HEADER = ["title", "text", "url", "date", "authors", "empty"]
ROWS = [
    ["Clashes in Goma", 'Fighting near Goma, "fierce", the army said.\nMore.', "https://x/1",
     "2024-05-02", "A. Writer", ""],
    ["Kabul", "Calm in Kabul.", "", "", "", ""],
]  # fmt: skip


def read_split(path) -> tuple[list[str], list[Invalid]]:
    """What ``read_csv`` makes of ``path``: the texts of the rows read, and the refusals."""
    documents = list(read_csv(path))
    kept = [d.article.text for d in documents if not isinstance(d, Invalid)]
    return kept, [d for d in documents if isinstance(d, Invalid)]


def heads(refusals: list[Invalid]) -> list[str]:
    """Each refusal's place and kind ("news.csv:3: not a CSV row (lines 3–5)"), before
    the advice on quotation marks."""
    return [str(r.error).split(": a quotation")[0] for r in refusals]


def table(path, rows, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path


@pytest.mark.parametrize(("name", "delimiter"), [("a.csv", ","), ("b.csv", ";"), ("c.tsv", "\t")])
def test_each_row_is_an_article_with_its_fields_and_the_rest_as_metadata(tmp_path, name, delimiter):
    path = table(tmp_path / name, [HEADER, *ROWS], delimiter)
    assert detect_format(path).name == "csv"
    (first, second) = read_files([path])[0]
    assert first.article.text == 'Fighting near Goma, "fierce", the army said.\nMore.'
    assert (first.article.title, first.article.url, first.article.published) == (
        "Clashes in Goma", "https://x/1", "2024-05-02"
    )  # fmt: skip
    assert first.article.meta == {"authors": "A. Writer"}  # (an empty cell is no metadata)
    assert first.line == 2 and second.line == 4  # where each row starts (line 3: "More.")
    assert (second.article.title, second.article.meta) == ("Kabul", {})


def test_the_command_line_imports_a_table_and_names_a_bad_row(tmp_path, capsys):
    path = table(tmp_path / "news.csv", [HEADER, *ROWS, [""] * 6, ["Bad", "", "", "", "", ""]])
    db = tmp_path / "p.db"
    status, _, err = run(capsys, "import", str(db), str(path), "--no-preannotate")
    assert status == 1 and err.strip() == f"error: {path}:6: the 'text' column is empty"
    status, out, _ = run(capsys, "import", str(db), str(path), "--no-preannotate", "--skip-invalid")
    assert status == 0 and out.startswith("2 articles imported")
    with Store(db) as store:
        assert [a.title for a in store.iter_articles()] == ["Clashes in Goma", "Kabul"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"title,body_html\nA,<p>x</p>\n", ":1: no column of texts: its first row names 'title'"),
        (b"text,title\nFighting near Goma,A,extra\n", ":2: 3 fields where its first row names 2"),
        (b"text\n\xff\xfe broken\n", "not UTF-8 text"),
        (b"text\nGoma\x00\n", "binary file, not text"),
    ],
)
def test_a_table_that_cannot_be_read_is_one_line_naming_the_line(tmp_path, content, message):
    path = tmp_path / "news.csv"
    path.write_bytes(content)
    with pytest.raises(FormatError) as error:
        for documents in read_files([path]):
            for document in documents:
                if hasattr(document, "error"):
                    raise document.error
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_byte_order_mark_a_long_text_and_a_text_column_by_another_name(tmp_path):
    """Excel's UTF-8 CSV begins with a BOM (it named the first column "\\ufefftext"); csv's
    own field limit, 128 KiB, refused a long report."""
    long = "Shelling near Idlib. " * 10_000  # 210,000 characters
    path = table(tmp_path / "x.csv", [["Content", "Source"], [long, "AFP"]], encoding="utf-8-sig")
    ((document,),) = read_files([path])
    assert document.article.text == long and document.article.source == "AFP"


def test_a_folder_import_takes_its_tables(tmp_path):
    folder = tmp_path / "scraped"
    folder.mkdir()
    table(folder / "news.csv", [HEADER, *ROWS])
    with Store(tmp_path / "p.db") as store:
        report = import_paths(store, [folder])
        assert report.added == 2


@pytest.mark.parametrize(
    ("content", "line"),
    [
        # an opening quote never closed swallowed the 91 rows after it, exit 0
        (b'text\nCalm in Kabul.\n"Fighting in Goma, said\nCalm in Homs.\nCalm in Aden.\n', 3),
        # a quote at the start of a field not quoted lost its quotation marks, unsaid
        (b'text,source\n"We will fight," the commander said.,AFP\n', 2),
    ],
)
def test_a_stray_quotation_mark_is_refused_naming_the_rows_line(tmp_path, content, line):
    path = tmp_path / "news.csv"
    path.write_bytes(content)
    documents = list(read_csv(path))
    refused = [d.error for d in documents if isinstance(d, Invalid)]
    assert [str(e).split(": a quotation mark")[0] for e in refused] == [
        f"{path}:{line}: not a CSV row"
    ]
    # the rows around it are read (--skip-invalid imported nothing: the file was refused);
    # a quotation mark that is never closed leaves its line out alone, not the rows after
    assert [d.article.text for d in documents if not isinstance(d, Invalid)] == (
        ["Calm in Kabul.", "Calm in Homs.", "Calm in Aden."] if line == 3 else []
    )


def test_a_row_of_another_encoding_is_named_by_its_line_and_skipped_alone(tmp_path, capsys):
    """A byte of Latin-1 on line 302 was said to be on line 1 (the decoder read blocks
    ahead), "byte 1025 of a block"; and --skip-invalid imported nothing."""
    rows = [f'"Shelling number {k} near Homs.",a\n'.encode() for k in range(300)]
    rows.insert(200, '"Café bombed in Beirut.",b\n'.encode("latin-1"))
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"text,tag\n" + b"".join(rows))
    db = tmp_path / "p.db"
    status, _, err = run(capsys, "import", str(db), str(path), "--no-preannotate")
    assert status == 1 and err.strip() == (
        f"error: {path}:202: not UTF-8 text (byte 4 of the line: 0xe9; save the table as UTF-8)"
    )
    status, out, _ = run(capsys, "import", str(db), str(path), "--no-preannotate", "--skip-invalid")
    assert status == 0 and out.startswith("300 articles imported") and f"{path}:202" in out


def test_columns_without_a_name_or_of_one_name_keep_their_values(tmp_path):
    """text,author,author and an unnamed column (a spreadsheet's, pandas' index): their
    values were dropped, unsaid."""
    path = tmp_path / "x.csv"
    path.write_bytes(b'text,author,author,\n"Fighting in Idlib.",Ann,Bob,7\n')
    ((document,),) = read_files([path])
    assert document.article.meta == {"author": "Ann", "author_2": "Bob", "column_4": "7"}


def test_news_please_columns_excel_separator_line_and_a_unix_time(tmp_path):
    path = tmp_path / "np.csv"
    path.write_bytes(
        'sep=;\nmaintext;date_publish;title\n"Calm in Aden; for now.";1714636800;A\n'
        "Calm in Homs.;2024²;B\nCalm in Aleppo.;٢٠٢٤;C\n".encode()
    )
    (first, second, third) = read_files([path])[0]
    assert first.article.text == "Calm in Aden; for now."
    assert first.article.published == "2024-05-02T08:00:00Z"
    # digits of other scripts are text, kept as written ("2024²" was a traceback)
    assert (second.article.published, third.article.published) == ("2024²", "٢٠٢٤")


def test_a_csv_that_holds_json_says_which_format_to_give(tmp_path):
    path = tmp_path / "really.csv"
    path.write_bytes(b'\xef\xbb\xbf{"text": "Clashes in Tripoli."}\n')  # (a BOM, too)
    with pytest.raises(FormatError, match="holds JSON, not a table: give --format jsonl"):
        list(read_files([path])[0])


def test_a_stray_quotation_mark_in_a_field_of_several_lines_leaves_out_all_its_lines(tmp_path):
    """The reader went on at the line after the error, still inside the quoted field: "The
    army said, at dawn, that" and 'the town fell.",B,u2' came in as two articles."""
    path = tmp_path / "news.csv"
    path.write_bytes(
        b'text,title,url\nCalm in Kabul.,A,u1\n"Fighting "in" Homs.\nThe army said, at dawn, '
        b'that\nthe town fell.",B,u2\nShelling in Aleppo.,C,u3\n'
    )
    documents = list(read_csv(path))
    refused = [str(d.error) for d in documents if isinstance(d, Invalid)]
    assert [e.split(": a quotation mark")[0] for e in refused] == [
        f"{path}:3: not a CSV row (lines 3–5)"
    ]
    read = [(d.article.text, d.line) for d in documents if not isinstance(d, Invalid)]
    assert read == [("Calm in Kabul.", 2), ("Shelling in Aleppo.", 6)]


def test_digits_that_are_no_unix_time_are_kept_as_written(tmp_path):
    """A day, month and year in digits lost its leading zero ("01052024" became 1052024)."""
    path = tmp_path / "dates.csv"
    path.write_bytes(
        b"text,date\nClashes in Gao.,01052024\nClashes in Mopti.,050224\n"
        b"Clashes in Kidal.,2024\nClashes in Timbuktu.,1714636800000\n"
        b"Clashes in Gao.,2024050108\nClashes in Mopti.,202405010800\n"
    )
    published = [d.article.published for d in read_files([path])[0]]
    # (2024050108 was read as a Unix time: 2034-02-20)
    assert published == [
        "01052024", "050224", "2024", "2024-05-02T08:00:00Z", "2024050108", "202405010800"
    ]  # fmt: skip


def test_a_table_with_only_its_header_says_so_with_skip_invalid_too(tmp_path, capsys):
    """With --skip-invalid it said "nothing valid to import; the first problem: " and no
    problem."""
    path = tmp_path / "header.csv"
    path.write_bytes(b"text,title\n")
    for flags in ([], ["--skip-invalid"]):
        status, _, err = run(capsys, "import", str(tmp_path / "p.db"), str(path), *flags)
        assert status == 1 and f"{path}: contains no articles" in err


def test_the_full_text_is_taken_over_a_cut_short_one_and_the_import_says_which_column(
    tmp_path, capsys
):
    """NewsAPI's content ("… [+4843 chars]") was taken over the table's full_text, unsaid;
    ACLED's notes and a column "Article Text" were "no column of texts"."""
    news = tmp_path / "news.csv"
    news.write_bytes(
        b"title,content,full_text\nA,Clashes in Idlib [+400 chars],Clashes in Idlib went on.\n"
    )
    ((document,),) = read_files([news])
    assert document.article.text == "Clashes in Idlib went on."
    assert document.article.meta == {"content": "Clashes in Idlib [+400 chars]"}
    acled = tmp_path / "acled.csv"
    acled.write_bytes(
        b"event_id_cnty,event_date,notes,source\nSYR1,01 March 2024,Shelling hit Idlib.,SOHR\n"
    )
    db = tmp_path / "p.db"
    status, out, _ = run(capsys, "import", str(db), str(acled), "--no-preannotate")
    assert status == 0 and "texts read from a field (column) not named text: 'notes' 1" in out
    with Store(db) as store:
        (article,) = store.iter_articles()
        assert (article.text, article.source) == ("Shelling hit Idlib.", "SOHR")
    spelled = tmp_path / "gdelt.tsv"
    spelled.write_bytes(b"DocumentIdentifier\tArticle Text\nu1\tRaid in Homs.\n")
    ((document,),) = read_files([spelled])
    assert document.article.text == "Raid in Homs." and document.text_from == "Article Text"


def test_a_table_without_a_text_column_names_every_column_and_what_to_do(tmp_path):
    """The message listed 12 of ACLED's 31 columns, and not the one that held the texts."""
    path = tmp_path / "wide.csv"
    names = [f"col{k}" for k in range(31)]
    path.write_text(",".join(names) + "\n" + ",".join("x" * 31) + "\n")
    with pytest.raises(FormatError) as refused:
        list(read_csv(path))
    assert "'col30'" in str(refused.value)
    assert "the texts are taken from a column named text (or full_text," in str(refused.value)


def test_a_tab_separated_text_that_opens_with_a_quotation_is_read_as_written(tmp_path):
    """A table that quotes nothing (PostgreSQL's COPY, GDELT's files) whose text opens with
    a quotation was refused: "a quotation mark opens a field it does not close"."""
    path = tmp_path / "news.tsv"
    path.write_bytes(
        b'title\ttext\nA\t"We will not retreat," the commander said.\n'
        b'B\t"He said ""no""."\nC\t"Two\tmany"\tfields"\n'
    )
    kept, refusals = read_split(path)
    # the quoted field of a tab-separated table that does quote is read as quoted
    assert kept == ['"We will not retreat," the commander said.', 'He said "no".']
    assert [str(r.error) for r in refusals] == [
        f"{path}:4: 3 fields where its first row names 2 columns"
    ]


def test_a_spreadsheet_says_to_save_it_as_csv(tmp_path):
    """An .xlsx was "cannot tell the format", then with --format csv "a word-processor
    document (.docx, .odt): save it as plain text"."""
    import zipfile

    path = tmp_path / "acled.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(FormatError, match="a spreadsheet .* save it as a table, CSV UTF-8"):
        detect_format(path)
    with pytest.raises(FormatError, match="a spreadsheet .* save it as a table, CSV UTF-8"):
        list(read_csv(path))


def test_json_saved_as_utf_16_says_utf_16_first(tmp_path):
    """It said "holds JSON: give --format jsonl", which then said "looks like UTF-16"."""
    path = tmp_path / "u16.csv"
    path.write_bytes('{"text": "Clashes in Tripoli."}\n'.encode("utf-16-le"))
    with pytest.raises(FormatError, match="looks like UTF-16 text"):
        list(read_csv(path))


@pytest.mark.parametrize(
    ("content", "read"),
    [
        # three marks on one line (an inch): every row after it was lost
        (
            b'title,text\nA,"The 5" shell hit the market, the army said."\nB,Calm.\n'
            b'C,"Quiet, for now."\n',
            ["Calm.", "Quiet, for now."],
        ),
        # a text opening with a quotation it never closes, in a table that quotes nothing
        (
            b'title\ttext\nA\t"We will fight on, he said.\nB\tCalm.\n',
            ['"We will fight on, he said.', "Calm."],
        ),
    ],
)
def test_a_quotation_mark_never_closed_leaves_out_its_line_alone(tmp_path, content, read):
    path = tmp_path / ("news.tsv" if b"\t" in content else "news.csv")
    path.write_bytes(content)
    kept, refusals = read_split(path)
    assert kept == read


def test_the_end_of_a_refused_row_is_not_read_as_a_row_of_its_own(tmp_path):
    """A stray mark on a middle line: the row's last line came in as an article titled "and
    the Observatory said"."""
    path = tmp_path / "news.csv"
    path.write_bytes(
        b'title,text\nA,Calm.\nB,"Fighting in Idlib\nThe 5" shell hit the market\n'
        b'and the Observatory said, 12 people died."\nC,Quiet.\n'
    )
    kept, refusals = read_split(path)
    assert kept == [
        "Calm.",
        "Quiet.",
    ]
    assert heads(refusals) == [f"{path}:3: not a CSV row (lines 3–5)"]  # its field's closing mark


def test_a_stray_mark_takes_no_rows_beyond_the_first_line_that_closes_it(tmp_path):
    """Two fields opened and never closed, far apart: every row between them was lost, as
    one invalid record (25,050 of 50,000 rows, as '50 invalid records')."""
    rows = [b'A,"open and never closed\n'] + [
        f'R{k},"quoted, fine {k}"\n'.encode() for k in range(300)
    ]
    rows.insert(150, b'D,"open again\n')
    path = tmp_path / "news.csv"
    path.write_bytes(b"title,text\n" + b"".join(rows))
    kept, refusals = read_split(path)
    assert len(kept) == 300  # (the row after each broken one went with it, where it closed
    # a quoted field: 'R0,"quoted, fine 0"', a row of its own)
    assert heads(refusals) == [f"{path}:2: not a CSV row", f"{path}:152: not a CSV row"]


def test_a_folder_of_spreadsheets_says_to_save_them_as_csv(tmp_path):
    """A folder with an .xlsx among its files said only "types the program does not read:
    .xlsx 1"."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "acled.xlsx").write_bytes(b"PK\x03\x04")
    with Store() as store, pytest.raises(FormatError, match="spreadsheets: save them as CSV"):
        import_paths(store, [folder])
    (folder / "a.txt").write_text("Clashes in Gao.", encoding="utf-8")
    with Store() as store:
        report = import_paths(store, [folder])
    assert any("spreadsheets: save them as CSV UTF-8" in line for line in report.summary_lines())


@pytest.mark.parametrize(
    ("name", "content", "read"),
    [
        # a byte of another encoding in a refused row cost the next row, unsaid
        (
            "news.csv",
            b'title,text\nA,"caf\xe9 5\nB,Calm in Aleppo.\nC,Calm in Homs.\n',
            ["Calm in Aleppo.", "Calm in Homs."],
        ),
        # two quotations opening rows of a table that quotes nothing: refused, with the
        # rows between them
        (
            "news.tsv",
            b'title\ttext\nT1\t"Enough," he said, "we leave.\nT2\tShelling.\n'
            b'T3\t"Stop," she said, "or we shoot.\n',
            ['"Enough," he said, "we leave.', "Shelling.", '"Stop," she said, "or we shoot.'],
        ),
    ],
)
def test_rows_after_a_broken_one_are_read(tmp_path, name, content, read):
    path = tmp_path / name
    path.write_bytes(content)
    kept, refusals = read_split(path)
    assert kept == read


@pytest.mark.parametrize(
    ("content", "read", "refused"),
    [
        # an inch mark, then rows of one line up to one with a quoted text: they were all
        # taken into the broken row, as its lines 2–6
        (
            b'title,text\nA,"The 5" shell hit Homs\nB,Calm in Aleppo.\nC,Calm in Idlib.\n'
            b'D,"Shelling in Daraa, officials said."\nF,Quiet.\n',
            ["Calm in Aleppo.", "Calm in Idlib.", "Shelling in Daraa, officials said.", "Quiet."],
            [2],
        ),
        # the doubled marks of the next row's text of two lines were taken for the mark
        # that closes the broken row: row B was lost, and its second line came in as an
        # article titled "and the army retreated"
        (
            b'title,text,url\nA,"The 5" shell hit Homs,u1\nB,"He said ""go"", then left\n'
            b'and the army retreated, he said",u2\nC,Calm in Idlib.,u3\n',
            ['He said "go", then left\nand the army retreated, he said', "Calm in Idlib."],
            [2],
        ),
    ],
)
def test_a_broken_row_takes_no_row_of_its_own_with_it(tmp_path, content, read, refused):
    path = tmp_path / "news.csv"
    path.write_bytes(content)
    kept, refusals = read_split(path)
    assert kept == read
    assert [r.error.line for r in refusals] == refused


def test_a_broken_row_takes_no_row_of_several_lines_with_it(tmp_path):
    """Row B, of two lines, was refused with the broken row before it (lines 2–4)."""
    path = tmp_path / "news.csv"
    path.write_bytes(
        b'title,text,url\nA,"The 5" shell, fired at dawn, hit Homs,u1\n'
        b'B,"Shelling in Hama.\nTwo were killed.",u2\nC,Quiet.,u3\n'
    )
    kept, refusals = read_split(path)
    assert kept == [
        "Shelling in Hama.\nTwo were killed.",
        "Quiet.",
    ]
    assert [r.error.line for r in refusals] == [2]


@pytest.mark.parametrize("stray_at", [5, 9_995])
def test_a_long_field_with_one_stray_mark_is_one_refusal(tmp_path, stray_at):
    """Early in a text of 10,000 lines, past the 200 lines looked at, the rest of the
    text came in as 9,998 articles ("Paragraph 7: the shelling", " continued.")."""
    lines = [
        f'Paragraph {i}: the shelling, it went on, ""again"" continued.' for i in range(10_000)
    ]
    lines[stray_at] = 'Paragraph: a 155" shell, it went on, continued.'
    path = tmp_path / "news.csv"
    path.write_text(
        'title,text,url\nA,"' + "\n".join(lines) + '",u1\nB,Calm.,u2\n', encoding="utf-8"
    )
    kept, refusals = read_split(path)
    assert kept == ["Calm."]
    assert heads(refusals) == [f"{path}:2: not a CSV row (lines 2–10001)"]


def test_an_excel_cell_with_a_tab_and_a_line_break_is_one_field(tmp_path):
    """A quoted field, closed as it should be, holding a tab and a line break was taken for
    rows a table that quotes nothing had joined: two articles made up of its pieces."""
    path = tmp_path / "news.tsv"
    path.write_bytes(b'title\ttext\turl\nA\t"Casualties:\tHoms 3\nHama\t5"\tu1\nB\tQuiet.\tu2\n')
    documents = list(read_csv(path))
    assert [(d.article.text, d.article.url) for d in documents] == [
        ("Casualties:\tHoms 3\nHama\t5", "u1"),
        ("Quiet.", "u2"),
    ]


def test_a_long_field_with_one_stray_mark_at_its_end_is_one_refusal(tmp_path):
    """Its doubled marks were taken for its end: 10,001 refusals, one per line."""
    lines = "\n".join(f'Line {i}: he said ""no"", again.' for i in range(2000))
    path = tmp_path / "news.csv"
    path.write_text(
        f'title,text,url\nA,"{lines}\nThe "stray" mark.",u1\nB,Calm.,u2\n', encoding="utf-8"
    )
    kept, refusals = read_split(path)
    assert kept == ["Calm."]
    assert heads(refusals) == [f"{path}:2: not a CSV row (lines 2–2002)"]


def test_a_tsv_cell_holding_a_table_is_one_field(tmp_path):
    """A quoted cell, closed as it should be, with tabs and line breaks (a casualty table
    pasted into Excel) was taken for rows a table that quotes nothing had joined, and came
    in as made-up articles ("Homs | 3 | 12 | 0")."""
    cell = "Casualties:\tlist\tbelow\nTown\tKilled\tWounded\tMissing\nHoms\t3\t12\t0"
    path = tmp_path / "news.tsv"
    path.write_text(f'title\ttext\tsource\tdate\nT1\t"{cell}"\tSANA\t2024\nT2\tQuiet.\tAFP\t2024\n')
    documents = list(read_csv(path))
    assert [(d.article.text, d.article.source) for d in documents] == [
        (cell, "SANA"),
        ("Quiet.", "AFP"),
    ]


def test_a_mark_never_closed_does_not_take_the_plain_rows_up_to_a_later_mark(tmp_path):
    """In a table that quotes nothing, a text opening with a mark it never closes ran on
    to a later text ending in one: the 10,000 rows between were one refusal."""
    rows = [f"T{k},Calm in town {k},http://x/{k}" for k in range(100)]
    rows[0] = 'T0,"Officials said the strike hit, http://x/0'
    rows[60] = 'T60,The minister said: "we stay",http://x/60'
    path = tmp_path / "news.csv"
    path.write_text("title,text,url\n" + "\n".join(rows) + "\n", encoding="utf-8")
    kept, refusals = read_split(path)
    assert len(kept) == 99
    assert [r.error.line for r in refusals] == [2]


def test_a_tsv_row_with_tabs_on_several_lines_of_a_field_is_listed_by_the_import(tmp_path):
    """In a table that quotes nothing, a text opening with a quotation mark took the rows
    after it up to a text ending in one (as Python's csv and pandas read it): read as
    written, and said nowhere. The import lists such rows now, by their lines; a quoted cell
    holding a pasted table looks the same and is listed too, and rows with no such field
    are not."""
    path = tmp_path / "news.tsv"
    path.write_text(
        "id\ttitle\ttext\tdate\n"
        '1\tA\t"Rebels took the town, officials said\t2024-01-01\n'
        "2\tB\tShelling hit Homs\t2024-01-02\n"
        '3\tC\tThe army regrouped"\t2024-01-03\n'
        "4\tD\tQuiet day\t2024-01-04\n",
        encoding="utf-8",
    )
    with Store() as store:
        report = import_paths(store, [path])
        assert store.article_count() == 2  # (read as Python's csv reads it)
    assert report.summary_lines()[1:] == [
        "1 row with tabs on several lines of one field: if the table quotes nothing, those "
        "are rows read as one, from a field that opens with a quotation mark to one that "
        "ends with it (quote the table's fields):",
        f"  {path}:2 (lines 2–4)",
    ]
    plain = tmp_path / "plain.tsv"
    plain.write_text('title\ttext\nA\t"Two\nlines, he said."\nB\tCalm.\n', encoding="utf-8")
    with Store() as store:
        assert import_paths(store, [plain]).doubts == {}
