"""How suggestions are used, per model, annotator and label; and which articles are untouched."""

from __future__ import annotations

import json

from annotator.cli import main
from annotator.core.model import Article, Span
from annotator.storage import Store
from annotator.storage.usage import suggestion_usage, untouched_articles

TEXT = "Rebels shelled Aleppo and Idlib near Homs, activists said."


def test_accepted_edited_deleted_and_added(tmp_path, capsys):
    path = tmp_path / "p.db"
    with Store(path) as store:
        first, second, third = store.add_articles(
            [Article(TEXT), Article(TEXT + " Again."), Article(TEXT + " Later.")]
        ).ids
        suggested = [
            Span(0, 6, "FACTION"),
            Span(15, 21, "LOCATION"),
            Span(26, 31, "LOCATION"),
            Span(37, 41, "LOCATION"),
        ]
        store.add_suggestions([(first, suggested), (second, suggested)], "m-1")
        spans = {s.start: s for s in store.start_article(first, "ann")}
        store.update_span(spans[15].id, 15, 21, "FACTION", "edited")  # relabelled
        store.delete_span(spans[26].id)
        store.add_span(first, "ann", Span(43, 53, "FACTION", origin="human"))
        store.set_status(first, "ann", "done")
        store.start_article(second, "ben")  # started, not done: not counted
        assert untouched_articles(store) == [third]
        usage = suggestion_usage(store)
    assert set(usage) == {"m-1"} and set(usage["m-1"]) == {"ann"}
    faction, location = usage["m-1"]["ann"]["FACTION"], usage["m-1"]["ann"]["LOCATION"]
    assert (faction["suggested"], faction["accepted"], faction["edited"], faction["added"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert faction["deleted"] == 0
    assert (location["suggested"], location["accepted"], location["deleted"]) == (3, 1, 2)
    assert location["accepted_share"] == round(1 / 3, 4)
    assert location["articles"] == 1
    assert main(["stats", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["suggestion_usage"]["m-1"]["ann"]["LOCATION"]["deleted"] == 2
    assert main(["stats", str(path)]) == 0
    assert "suggestions of m-1 used by ann (done articles): FACTION 1 accepted" in (
        capsys.readouterr().out
    )


def test_stats_says_when_spans_were_made_with_no_suggestions(tmp_path, capsys):
    """It said "suggestions of none used by bob"."""
    path = tmp_path / "hand.db"
    with Store(path) as store:
        (article,) = store.add_articles([Article("Rebels took Kidal.")]).ids
        store.add_span(article, "bob", Span(12, 17, "LOCATION"))
        store.set_status(article, "bob", "done")
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert "bob's done articles begun with no suggestions: LOCATION" in out
    assert "suggestions of none" not in out
