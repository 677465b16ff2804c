"""One pre-annotation run stores everything: spans, each claim's source and the relation to
it, the claim attributes, and what places and factions refer to; the same in worker
processes, from a saved pipeline, through the importer, and across the pieces of a long
article."""

from __future__ import annotations

import json

import pytest
import spacy

from annotator.core.model import Article
from annotator.core.text import join_hard_line_breaks
from annotator.formats.importer import import_paths
from annotator.nlp import preannotate, preannotate_store
from annotator.nlp.components import (
    ATTRIBUTION,
    add_rule_components,
    claim_links,
    suggestions,
)
from annotator.nlp.learned import MERGE
from annotator.nlp.linking import SuggestionLinker
from annotator.nlp.loading import load_preannotator, load_rules_only
from annotator.nlp.spacy_preannotator import RULES_VERSION
from annotator.storage.links import span_links, suggested_links

IDLIB = "geonames:169389"
HEZBOLLAH = "wikidata:Q41053"

TEXTS = [
    "Rebels shelled Idlib on Monday, activists and state media said.",
    "Hezbollah denied that it had sent fighters to Kassab.\n\n"
    '"We fought them all night," a commander told reporters.',
    "According to the Syrian Observatory, 200 families fled Idlib. "
    "The claim could not be independently verified.",
    "Nothing to suggest here.",
]


@pytest.fixture
def linked_rules(session_gazetteer):
    """The blank pipeline with the rules, linking with the tiny gazetteer."""
    preannotator = load_rules_only()
    preannotator.linker = SuggestionLinker(session_gazetteer)
    return preannotator


@pytest.fixture
def project(store):
    store.add_articles(Article(text, published="2019-05-01") for text in TEXTS)
    return store


def everything(store, model: str) -> list[tuple]:
    """Per article: its suggested spans, relations, attribute values and links."""
    found = []
    for article_id in store.article_ids():
        work = store.suggested_work(article_id, model)
        found.append(
            (
                sorted(s.key for s in store.suggestions(article_id, model)),
                sorted((r.head.key, r.child.key, r.label) for r in work.relations),
                sorted((a.span.key, a.name, a.value) for a in work.attributes),
                sorted(
                    (link.start, link.end, link.label, link.kb_id, link.status)
                    for link in suggested_links(store, article_id, model)
                ),
            )
        )
    return found


def words(text: str, key: tuple) -> str:
    return text[key[0] : key[1]]


def test_a_blank_pipeline_stores_sources_relations_attributes_and_links(project, linked_rules):
    report = preannotate_store(project, linked_rules)
    assert report.articles == len(TEXTS)
    assert report.relations > 0 and report.links > 0
    found = everything(project, linked_rules.name)

    spans, relations, attributes, links = found[0]
    pairs = {(words(TEXTS[0], h), words(TEXTS[0], c), c[2]) for h, c, _ in relations}
    assert pairs == {("Rebels shelled Idlib on Monday", "activists and state media", "SOURCE")}
    assert (TEXTS[0].index("activists"), TEXTS[0].index(" said"), "SOURCE") in spans
    assert ("Idlib", "LOCATION", IDLIB, "linked") in {
        (TEXTS[0][s:e], label, kb_id, status) for s, e, label, kb_id, status in links
    }

    spans, relations, attributes, links = found[1]
    text = TEXTS[1]
    by_claim = {words(text, h): (words(text, c), c[2]) for h, c, _ in relations}
    denial = "it had sent fighters to Kassab"
    assert by_claim[denial] == ("Hezbollah", "FACTION")  # a party speaks: its FACTION span
    assert (denial, "polarity", "denied") in {(words(text, k), n, v) for k, n, v in attributes}
    assert ("We fought them all night", "quote", "yes") in {
        (words(text, k), n, v) for k, n, v in attributes
    }
    assert ("Hezbollah", HEZBOLLAH) in {(text[s:e], kb_id) for s, e, _, kb_id, _ in links}

    _, relations, attributes, _ = found[2]
    text = TEXTS[2]
    assert {(words(text, h), words(text, c)) for h, c, _ in relations} == {
        ("200 families fled Idlib", "Syrian Observatory")
    }
    assert ("200 families fled Idlib", "hedged", "yes") in {
        (words(text, k), n, v) for k, n, v in attributes
    }
    assert found[3] == ([], [], [], [])


def test_what_is_stored_is_what_an_annotator_starts_with(project, linked_rules):
    preannotate_store(project, linked_rules)
    article_id = project.article_ids()[0]
    project.copy_suggestions(article_id, "ana")
    spans = {s.id: s for s in project.spans(article_id, "ana")}
    [relation] = project.relations(article_id, "ana")
    assert TEXTS[0][spans[relation.child].start : spans[relation.child].end] == (
        "activists and state media"
    )
    assert IDLIB in {kb_id for kb_id, _ in span_links(project, article_id, "ana").values()}


def test_two_worker_processes_store_what_one_does(tmp_path, linked_rules):
    from annotator.storage import Store

    results = []
    for n_process in (1, 2):
        with Store(tmp_path / f"p{n_process}.db") as store:
            store.add_articles(Article(text, published="2019-05-01") for text in TEXTS * 3)
            preannotate_store(store, linked_rules, n_process=n_process, batch_size=2)
            results.append(everything(store, linked_rules.name))
    assert results[1] == results[0]
    assert any(relations for _, relations, _, _ in results[0])


def test_a_saved_pipeline_suggests_the_same_spans_relations_and_attributes(tmp_path):
    rules = load_rules_only()
    rules.nlp.to_disk(tmp_path / "saved")
    loaded = spacy.load(tmp_path / "saved")
    assert loaded.pipe_names == rules.nlp.pipe_names and loaded.pipe_names[-1] == ATTRIBUTION
    for text in TEXTS:
        ours, theirs = rules.nlp(join_hard_line_breaks(text)), loaded(join_hard_line_breaks(text))
        assert suggestions(theirs) == suggestions(ours)
        assert claim_links(theirs) == claim_links(ours)
    # ... and through the program, which keeps the saved pipeline's components and name.
    again = load_preannotator(str(tmp_path / "saved"), link=False)
    assert list(again.suggest_articles(Article(t) for t in TEXTS)) == list(
        rules.suggest_articles(Article(t) for t in TEXTS)
    )


def test_a_pipeline_saved_before_sources_were_suggested_gets_them_and_a_new_name(tmp_path):
    """A project model saved with rules 5: no attribution component, its named factions in
    factions.txt's [named] section (and its ruler's patterns), no actors.jsonl."""
    nlp = load_rules_only().nlp
    nlp.remove_pipe(ATTRIBUTION)
    nlp.meta["annotator"] = {"rules_version": 5}
    folder = tmp_path / "old"
    nlp.to_disk(folder)
    (folder / "annotator_entities" / "actors.jsonl").unlink()
    factions = folder / "annotator_entities" / "factions.txt"
    factions.write_text("[named]\nBlue Hand Brigade | BHB\n" + factions.read_text("utf-8"))
    old = load_preannotator(str(folder), link=False)
    assert old.nlp.pipe_names[-1] == ATTRIBUTION
    assert old.name.endswith(f"+rules-{RULES_VERSION}")
    assert ("Blue Hand Brigade", "BHB") in old.lexicon.named_factions
    text = "Hezbollah said it had shelled the town."
    [found] = old.suggest_articles([Article(text)])
    assert [(r.head.text(text), r.child.text(text), r.child.label) for r in found.relations] == [
        ("it had shelled the town", "Hezbollah", "FACTION")
    ]
    # Saved with the attribution component too, a pipeline is named by the rules that run
    # it now: this program's (it was named by the version saved, and older rules' articles
    # were not suggested again).
    new = load_rules_only().nlp
    new.meta["annotator"] = {"rules_version": 5}
    new.to_disk(tmp_path / "new")
    name = load_preannotator(str(tmp_path / "new"), link=False).name
    assert name.endswith(f"+rules-{RULES_VERSION}")


def test_attribution_runs_after_a_trained_models_merge():
    nlp = load_rules_only().nlp
    nlp.add_pipe(MERGE, last=True)  # as training adds it (after the claims)
    assert nlp.pipe_names[-2:] == [ATTRIBUTION, MERGE]
    add_rule_components(nlp)
    assert nlp.pipe_names[-2:] == [MERGE, ATTRIBUTION]


def test_a_long_article_in_pieces_keeps_each_relation_exact(linked_rules):
    paragraph = TEXTS[0] + "\n\n" + TEXTS[2] + "\n\n"
    text = paragraph * 12
    whole = next(linked_rules.suggest_articles([Article(text)]))
    pieces = load_rules_only()
    pieces.nlp.max_length = 400  # pieces of at most 400 characters
    assert pieces.chunk_chars == 400
    cut = next(pieces.suggest_articles([Article(text)]))
    assert len(cut.relations) == 24
    assert {r.head.key for r in cut.relations} <= {s.key for s in cut.spans}
    assert {r.child.key for r in cut.relations} <= {s.key for s in cut.spans}
    assert sorted((r.head.key, r.child.key) for r in cut.relations) == sorted(
        (r.head.key, r.child.key) for r in whole.relations
    )
    assert {r.child.text(text) for r in cut.relations} == {
        "activists and state media",
        "Syrian Observatory",
    }


def test_the_importer_stores_what_preannotate_stores(tmp_path, store, linked_rules):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n, text in enumerate(TEXTS):
        (folder / f"{n}.txt").write_text(f"Title {n}\n{text}\n", encoding="utf-8")
    import_paths(store, [folder], format_name="txt", preannotator=linked_rules)
    # The Model panel names the pipeline that made the suggestions, however they came.
    assert store.setting(preannotate.SETTING_NAME) == linked_rules.name
    assert store.setting(preannotate.SETTING_DESCRIPTION) == linked_rules.description
    imported = everything(store, linked_rules.name)
    preannotate_store(store, linked_rules, force=True)
    assert everything(store, linked_rules.name) == imported
    assert any(links for _, _, _, links in imported)
    assert any(relations for _, relations, _, _ in imported)


def test_an_import_counts_only_the_suggestions_it_wrote(tmp_path, linked_rules):
    """Two imports of one folder at once each reported the suggestions (and sources and
    links) of every article, though the other had added them first."""
    from annotator.storage import Store

    folder = tmp_path / "articles"
    folder.mkdir()
    for n, text in enumerate(TEXTS):
        (folder / f"{n}.txt").write_text(f"Title {n}\n{text}\n", encoding="utf-8")
    path = tmp_path / "project.db"
    first_report = []

    class Overtaken:  # another import adds the texts while this one suggests for them
        name, description, linker = linked_rules.name, linked_rules.description, None

        def suggest_articles(self, articles, **options):
            articles = list(articles)
            if not first_report:  # (the importer asks once per file)
                with Store(path) as other:
                    first_report.append(import_paths(other, [folder], preannotator=linked_rules))
            return linked_rules.suggest_articles(articles, **options)

    with Store(path) as store:
        report = import_paths(store, [folder], preannotator=Overtaken())
        [first] = first_report
        assert first.added == len(TEXTS)
        assert first.suggestions and first.suggested_sources and first.suggested_links
        assert (report.added, report.duplicates) == (0, len(TEXTS))
        assert (report.suggestions, report.suggested_sources, report.suggested_links) == (0, 0, 0)
        stored = everything(store, linked_rules.name)
    with Store() as alone:
        import_paths(alone, [folder], preannotator=linked_rules)
        assert stored == everything(alone, linked_rules.name)


def test_without_the_place_index_places_stay_unlinked_and_factions_link(monkeypatch, project):
    from annotator.nlp import linking

    def cannot_build():
        raise PermissionError(13, "Permission denied", "/read-only/cache")

    monkeypatch.setattr(linking, "_default_source", cannot_build)
    monkeypatch.setattr(linking, "_default_is_built", lambda: False)
    rules = load_rules_only()
    rules.linker = SuggestionLinker()
    assert rules.linker.needs_building()
    assert rules.linker.prepare() == (
        "places are left unlinked: the place index could not be built "
        "(Permission denied: /read-only/cache; set ANNOTATOR_CACHE_DIR to a folder with room "
        "that you may write in)"
    )
    preannotate_store(project, rules)
    links = [
        link
        for article_id in project.article_ids()
        for link in suggested_links(project, article_id, rules.name)
    ]
    assert {link.label for link in links} == {"FACTION"}
    assert HEZBOLLAH in {link.kb_id for link in links}


def test_a_projects_own_actors_are_linked_to(project, linked_rules):
    from annotator.storage.links import add_project_actor

    add_project_actor(
        project, {"id": "project:local-rebels", "name": "Rebels", "kind": "armed group"}, "ana"
    )
    preannotate_store(project, linked_rules)
    first = project.article_ids()[0]
    assert ("Rebels", "project:local-rebels") in {
        (TEXTS[0][link.start : link.end], link.kb_id)
        for link in suggested_links(project, first, linked_rules.name)
    }


def test_a_name_is_read_on_the_articles_date(store, linked_rules):
    text = "The Nusra Front said it had taken the town."
    store.add_articles([Article(text, published="2020-03-01")])
    preannotate_store(store, linked_rules)
    [link] = suggested_links(store, store.article_ids()[0], linked_rules.name)
    assert (link.kb_id, link.status) == ("annotator:hayat-tahrir-al-sham", "linked")
    assert "2020-03-01" in link.note  # the name was used 2012-2016


def test_an_import_reports_progress_as_it_suggests(tmp_path, rules):
    """A 2,000-article import sat at 0/2000 while the suggestions were made, then jumped
    to the end: the window's progress bar looked frozen."""
    records = [{"text": f"Rebels shelled Idlib on day {n}, activists said."} for n in range(6)]
    path = tmp_path / "six.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    seen: list[tuple[int, int]] = []
    from annotator.storage import Store

    with Store() as store:
        import_paths(store, [path], preannotator=rules, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)
    assert [done for done, _ in seen[1:-1]] == [1, 2, 3, 4, 5, 6]  # one by one, then written


def test_cancel_is_heard_between_the_pieces_of_a_long_article(tmp_path):
    """Progress (where the window's Cancel raises) was reported after whole articles only:
    Cancel on a 300,000-character article took 50 s to stop it."""
    from spacy.language import Language

    from annotator.core.errors import Cancelled
    from annotator.storage import Store

    processed: list[int] = []

    class Batched:  # as tok2vec and ner: a batch goes through whole before any doc leaves
        def __call__(self, doc):
            return doc

        def pipe(self, docs, batch_size=128):
            batch = list(docs)
            processed.extend(len(doc) for doc in batch)
            yield from batch

    @Language.factory("batched_for_cancel_test")
    def batched(nlp, name):
        return Batched()

    pieces = load_rules_only()
    pieces.nlp.max_length = 400  # pieces of at most 400 characters
    pieces.nlp.add_pipe("batched_for_cancel_test", first=True)
    text = ((TEXTS[0] + "\n\n") * 20).strip()
    calls: list[int] = []
    [_] = pieces.suggest_articles([Article(text)], between=lambda: calls.append(len(processed)))
    # Called after each piece, as it is done: not after a batch of them (every 100,000
    # characters, when pieces were 20,000).
    assert len(calls) >= 2 and calls == list(range(1, len(calls) + 1))
    pieces.nlp.remove_pipe("batched_for_cancel_test")

    path = tmp_path / "long.txt"
    path.write_text("A long report\n\n" + text + "\n")

    def progress(done: int, total: int) -> None:
        reported.append(done)
        if len(reported) == 3:  # the user pressed Cancel while the article was suggested
            raise Cancelled()

    reported: list[int] = []
    with Store(tmp_path / "p.db") as store:
        with pytest.raises(Cancelled):
            import_paths(store, [path], preannotator=pieces, progress=progress)
        assert store.article_count() == 0  # stopped inside the article, nothing written
    assert reported == [0, 0, 0]
