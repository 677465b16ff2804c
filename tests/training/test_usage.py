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
    assert figures_of(faction) == (1, 1, 0, 0, 1)  # the relabelled one is not FACTION's
    # suggested, accepted, edited (relabelled to FACTION), deleted, added
    assert figures_of(location) == (3, 1, 1, 1, 0)
    assert location["accepted_share"] == round(1 / 3, 4)
    assert location["articles"] == 1
    assert main(["stats", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["suggestion_usage"]["m-1"]["ann"]["LOCATION"]["deleted"] == 1
    assert main(["stats", str(path)]) == 0
    assert "suggestions of m-1 used by ann (done articles): FACTION 1 accepted" in (
        capsys.readouterr().out
    )


def figures_of(usage: dict) -> tuple[int, ...]:
    return tuple(usage[kind] for kind in ("suggested", "accepted", "edited", "deleted", "added"))


def test_a_relabel_does_not_hide_a_deletion_and_an_edit_put_back_is_accepted():
    """Deleting a FACTION and relabelling a LOCATION as FACTION deleted a FACTION (it
    counted as a LOCATION deleted); a span nudged and nudged back counted as edited."""
    with Store() as store:
        (article,) = store.add_articles([Article(TEXT)]).ids
        store.add_suggestions(
            [
                (
                    article,
                    [Span(0, 6, "FACTION"), Span(15, 21, "LOCATION"), Span(37, 41, "LOCATION")],
                )
            ],
            "m-1",
        )
        spans = {s.start: s for s in store.start_article(article, "ann")}
        store.delete_span(spans[0].id)
        store.update_span(spans[15].id, 15, 21, "FACTION", "edited")
        store.update_span(spans[37].id, 37, 42, "LOCATION", "edited")
        store.update_span(spans[37].id, 37, 41, "LOCATION", "edited")  # and back
        store.set_status(article, "ann", "done")
        usage = suggestion_usage(store)["m-1"]["ann"]
    assert figures_of(usage["FACTION"]) == (1, 0, 0, 1, 0)
    assert figures_of(usage["LOCATION"]) == (2, 1, 1, 0, 0)


def test_a_suggestion_deleted_and_made_again_by_hand_is_accepted_not_added():
    with Store() as store:
        (article,) = store.add_articles([Article(TEXT)]).ids
        store.add_suggestions([(article, [Span(15, 21, "LOCATION")])], "m-1")
        (gao,) = store.start_article(article, "ann")
        store.delete_span(gao.id)
        store.add_span(article, "ann", Span(15, 21, "LOCATION", origin="human"))
        store.set_status(article, "ann", "done")
        usage = suggestion_usage(store)["m-1"]["ann"]
    assert figures_of(usage["LOCATION"]) == (1, 1, 0, 0, 0)


def test_an_article_counts_under_the_model_whose_suggestions_it_took():
    """Started with m-1's suggestions, undone to untouched, re-suggested by m-2 and done:
    m-2's (the first opening was counted)."""
    with Store() as store:
        (article,) = store.add_articles([Article(TEXT)]).ids
        store.add_suggestions([(article, [Span(0, 6, "FACTION")])], "m-1")
        copied = store.copy_suggestions(article, "ann")
        store.uncopy_suggestions(copied)
        store.add_suggestions([(article, [Span(15, 21, "LOCATION")])], "m-2")
        store.start_article(article, "ann")
        store.set_status(article, "ann", "done")
        usage = suggestion_usage(store)
    assert set(usage) == {"m-2"}
    assert figures_of(usage["m-2"]["ann"]["LOCATION"]) == (1, 1, 0, 0, 0)


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


def test_a_claim_moved_past_its_old_end_is_edited_once_not_edited_and_deleted():
    """Each suggestion is one of accepted, edited, deleted: a claim moved off its suggestion
    counted as an edit and its suggestion as deleted too (75 of 73 suggested)."""
    with Store() as store:
        (article,) = store.add_articles([Article(TEXT)]).ids
        store.add_suggestions([(article, [Span(0, 14, "CLAIM"), Span(15, 21, "LOCATION")])], "m-1")
        spans = {s.start: s for s in store.start_article(article, "ann")}
        store.update_span(spans[0].id, 26, 41, "CLAIM", "edited")  # past its old end
        store.set_status(article, "ann", "done")
        usage = suggestion_usage(store)["m-1"]["ann"]
    assert figures_of(usage["CLAIM"]) == (1, 0, 1, 0, 0)
    assert figures_of(usage["LOCATION"]) == (1, 1, 0, 0, 0)


def test_a_suggestion_linked_elsewhere_is_edited_and_one_linked_after_it_was_taken_accepted():
    """Relinked suggestions (Aleppo to another place, "Rebels" from generic to an actor)
    counted as accepted: only extent and label were compared."""
    from annotator.storage.links import SuggestedLink, set_span_link, store_suggested_links

    suggested = [
        Span(0, 6, "FACTION"),
        Span(15, 21, "LOCATION"),
        Span(26, 31, "LOCATION"),
        Span(37, 41, "LOCATION"),
    ]
    with Store() as store:
        (article,) = store.add_articles([Article(TEXT)]).ids
        store.add_suggestions([(article, suggested)], "m-1")
        links = [
            SuggestedLink(0, 6, "FACTION", "", "generic"),
            SuggestedLink(15, 21, "LOCATION", "geonames:170063", "linked"),
            SuggestedLink(26, 31, "LOCATION", "geonames:169388", "linked"),
        ]
        store_suggested_links(store, article, "m-1", links)
        spans = {s.start: s for s in store.start_article(article, "ann")}
        # Homs was linked by a later pre-annotation: the annotator's copy has no link.
        homs = [SuggestedLink(37, 41, "LOCATION", "geonames:169577", "linked")]
        store_suggested_links(store, article, "m-1", homs)
        set_span_link(store, spans[0].id, "annotator:tuareg-rebels")  # as before the fix
        set_span_link(store, spans[15].id, "geonames:170064", origin="edited")
        store.set_status(article, "ann", "done")
        usage = suggestion_usage(store)["m-1"]["ann"]
    assert figures_of(usage["FACTION"]) == (1, 0, 1, 0, 0)
    assert figures_of(usage["LOCATION"]) == (3, 2, 1, 0, 0)  # Idlib and Homs accepted


CLAIMS = (
    "Rebels took the town, the army said. Shelling went on, rebels said. "
    "Aid came, the UN said. Talks stopped, envoys said."
)


def test_a_claim_whose_source_or_attribute_was_changed_is_edited_and_one_put_back_accepted():
    """A claim made hedged (H) and one given another source (Shift+R, R) counted as
    "CLAIM 20 accepted / 0 edited": only extent, label and link were compared."""
    from annotator.core.relations import Relation, SpanAttribute, SpanRelation

    def at(words: str, label: str) -> Span:
        start = CLAIMS.index(words)
        return Span(start, start + len(words), label)

    claims = [at(c, "CLAIM") for c in ("Rebels took the town", "Shelling went on", "Aid came")]
    talks = at("Talks stopped", "CLAIM")
    army, rebels, un, envoys = (
        at("the army", "SOURCE"),
        at("rebels said", "FACTION"),
        at("the UN", "SOURCE"),
        at("envoys", "SOURCE"),
    )
    sources = [army, rebels, un, envoys]
    with Store() as store:
        (article,) = store.add_articles([Article(CLAIMS)]).ids
        store.add_suggestions([(article, [*claims, talks, *sources])], "m-1")
        relations = [
            SpanRelation(claim, source)
            for claim, source in zip([*claims, talks], sources, strict=True)
        ]
        quoted = [SpanAttribute(claims[2], "quote", "yes")]
        store.add_suggested_links([(article, relations, quoted)], "m-1")
        spans = {s.key: s for s in store.start_article(article, "ann")}
        took, shelling, aid = (spans[c.key] for c in claims)
        store.set_attribute(took.id, "hedged", "yes", article_id=article, annotator="ann")
        (old,) = [r for r in store.relations(article, "ann") if r.head == shelling.id]
        store.delete_relation(old.id)  # Shift+R, R: the army as its source, not rebels
        store.add_relation(article, "ann", Relation(shelling.id, spans[army.key].id))
        # quote set to its default and back, and a source moved: as suggested
        store.set_attribute(aid.id, "quote", "no", article_id=article, annotator="ann")
        store.set_attribute(aid.id, "quote", "yes", article_id=article, annotator="ann")
        store.update_span(spans[envoys.key].id, envoys.start, envoys.end + 5, "SOURCE", "edited")
        store.set_status(article, "ann", "done")
        usage = suggestion_usage(store)["m-1"]["ann"]
    # the hedged claim and the one given the army; the quoted one put back, and the one
    # whose source was moved (the edit is the source's), are as suggested
    assert figures_of(usage["CLAIM"]) == (4, 2, 2, 0, 0)
    # the army is the source of another claim now, the rebels of none
    assert figures_of(usage["SOURCE"]) == (3, 1, 2, 0, 0)
    assert figures_of(usage["FACTION"]) == (1, 0, 1, 0, 0)


def test_a_claim_whose_source_was_deleted_counts_the_deletion_once():
    """Deleting a suggested source took its relation along: the deletion is the
    source's, and the claim it was the source of is as suggested."""
    from annotator.core.relations import SpanRelation

    claim, source = Span(0, 20, "CLAIM"), Span(22, 30, "SOURCE")
    with Store() as store:
        (article,) = store.add_articles([Article(CLAIMS)]).ids
        store.add_suggestions([(article, [claim, source])], "m-1")
        store.add_suggested_links([(article, [SpanRelation(claim, source)], [])], "m-1")
        spans = {s.key: s for s in store.start_article(article, "ann")}
        store.delete_span(spans[source.key].id)
        store.set_status(article, "ann", "done")
        usage = suggestion_usage(store)["m-1"]["ann"]
    assert figures_of(usage["CLAIM"]) == (1, 1, 0, 0, 0)
    assert figures_of(usage["SOURCE"]) == (1, 0, 0, 1, 0)
