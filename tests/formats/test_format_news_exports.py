"""A news database's plain-text export (Factiva's, Nexis'): many articles in one .txt, each
ended by a line of its own, imported one article each (it was one article of them all)."""

from __future__ import annotations

from annotator.formats.importer import import_paths
from annotator.storage import Store

FACTIVA = (
    "Shelling hits Idlib market\n\n312 words\n12 March 2024\nReuters News\nLBA\nEnglish\n"
    "(c) 2024 Reuters Limited\n\nShelling hit a market in Idlib on Monday.\n\n"
    "Document LBA0000020240312ek3c00000\n\n\n"
    "Clashes near Gao\n\n40 words\n13 March 2024\nAFP\n\nClashes went on near Gao.\n\n"
    "Document AFPR000020240313ek3d00007\n"
)


def test_a_factiva_export_is_an_article_each_with_its_document_id(tmp_path):
    path = tmp_path / "factiva.txt"
    path.write_text(FACTIVA.replace("\n", "\r\n"), encoding="utf-8")  # (Windows' lines too)
    with Store() as store:
        report = import_paths(store, [path])
        articles = list(store.iter_articles())
    assert report.added == 2
    assert [a.title for a in articles] == ["Shelling hits Idlib market", "Clashes near Gao"]
    assert [a.meta for a in articles] == [
        {"document": "LBA0000020240312ek3c00000"},
        {"document": "AFPR000020240313ek3d00007"},
    ]
    assert articles[0].text.endswith("Shelling hit a market in Idlib on Monday.")
    assert "Document" not in articles[1].text and articles[1].source == "factiva.txt"


def test_a_nexis_export_is_an_article_each(tmp_path):
    path = tmp_path / "nexis.txt"
    path.write_text(
        "Rebels take Kidal\nThe Guardian\n\nRebels took Kidal.\n\nEnd of Document\n"
        "Calm in Mopti\nLe Monde\n\nCalm returned to Mopti.\nEnd of Document\n\n",
        encoding="utf-8",
    )
    with Store() as store:
        import_paths(store, [path])
        assert [a.title for a in store.iter_articles()] == ["Rebels take Kidal", "Calm in Mopti"]


def test_an_article_that_mentions_such_a_line_stays_one_article(tmp_path):
    """Only a file that ends with such a line is an export: an article quoting one is not
    cut."""
    path = tmp_path / "article.txt"
    path.write_text(
        "Leaks\n\nThe memo read:\nEnd of Document\nand the ministry denied it.\n",
        encoding="utf-8",
    )
    with Store() as store:
        import_paths(store, [path])
        (article,) = store.iter_articles()
    assert article.text.endswith("and the ministry denied it.\n")
