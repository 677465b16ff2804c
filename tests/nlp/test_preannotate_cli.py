"""``annotator import`` and ``annotator preannotate``: the project's current model by default,
links unless ``--no-link``, and the place index built once, said beforehand."""

from __future__ import annotations

import shutil

import pytest

from annotator.core.model import Article
from annotator.nlp.loading import load_rules_only
from annotator.nlp.training.registry import MODEL_SETTING
from annotator.storage import Store
from annotator.storage.links import suggested_links
from tests.cli_runner import run

TEXT = "Hezbollah fighters shelled Idlib on Monday, activists said."


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "project.db"
    with Store(path) as store:
        store.add_articles([Article(TEXT, published="2019-05-01")])
    return path


@pytest.fixture
def adopted(project):
    """The project with a model of its own as its current model, beside it (v1)."""
    nlp = load_rules_only().nlp
    nlp.meta["name"], nlp.meta["version"] = "project_model", "1.0.0"
    nlp.meta["annotator"] = {"train_articles": 12}
    folder = project.with_name("project.models") / "v1"
    folder.parent.mkdir()
    nlp.to_disk(folder)
    with Store(project) as store:
        store.set_setting(MODEL_SETTING, "project.models/v1")
    return folder


def models(path) -> list[str]:
    with Store(path) as store:
        return store.suggestion_models()


def links(path) -> list[tuple[str, str, str]]:
    """The suggested links of the project's first article."""
    with Store(path) as store:
        article = store.article_ids()[0]
        (model,) = store.suggestion_models()
        text = store.article(article).text
        return [
            (text[link.start : link.end], link.kb_id, link.status)
            for link in suggested_links(store, article, model)
        ]


def test_preannotate_uses_the_projects_current_model(project, adopted, capsys):
    status, out, err = run(capsys, "preannotate", str(project))
    assert status == 0
    assert "the project's current model v1 (project_model-1.0.0, trained on 12 " in err
    assert models(project) == ["project_model-1.0.0+rules-13"]
    assert "1 article pre-annotated" in out and "1 claim source," in out


def test_an_explicit_model_wins_over_the_current_one(project, adopted, capsys):
    status, _, err = run(capsys, "preannotate", str(project), "--model", "rules")
    assert status == 0 and "current model" not in err
    assert models(project) == ["blank_en+rules-13"]


def test_import_uses_the_projects_current_model(project, adopted, tmp_path, capsys):
    new = tmp_path / "new.txt"
    new.write_text("Title\nRebels entered Idlib, residents said.\n", encoding="utf-8")
    status, out, err = run(capsys, "import", str(project), str(new))
    assert status == 0 and "the project's current model v1" in err
    assert "from project_model-1.0.0+rules-13" in out


def test_a_missing_current_model_is_one_line_and_nothing_changes(project, adopted, capsys):
    (adopted / "meta.json").unlink()
    status, _, err = run(capsys, "preannotate", str(project))
    assert status == 1
    assert err.strip().splitlines()[-1].startswith("error: ")
    assert "current model is missing" in err and "Traceback" not in err
    assert models(project) == []


def test_a_copy_under_another_name_finds_its_renamed_models_folder(project, adopted, capsys):
    """ "team.db" saved as "laptop.db" with "team.models" copied as "laptop.models": the
    recorded "team.models/v1" is looked for there; without it the message says where."""
    copy = project.parent / "laptop" / "laptop.db"  # elsewhere: no project.models beside it
    copy.parent.mkdir()
    shutil.copy(project, copy)
    status, _, err = run(capsys, "preannotate", str(copy))
    assert status == 1 and "a copy of the project needs its models folder beside it" in err
    assert str(copy.parent / "project.models" / "v1") in err and "as laptop.models" in err
    shutil.copytree(adopted.parent, copy.with_name("laptop.models"))
    status, out, err = run(capsys, "preannotate", str(copy))
    assert status == 0 and "the project's current model v1" in err
    assert models(copy) == ["project_model-1.0.0+rules-13"]
    # Beside the original, with its own folder copied: its own, not the original's.
    twin = project.with_name("twin.db")
    shutil.copy(project, twin)
    shutil.copytree(adopted.parent, twin.with_name("twin.models"))
    with Store(twin) as store:
        from annotator.nlp.training.registry import current_model

        assert current_model(store).path == twin.with_name("twin.models") / "v1"


def test_preannotate_links_places_and_factions(project, capsys):
    status, out, _ = run(capsys, "preannotate", str(project), "--model", "rules")
    assert status == 0 and ", 2 linked)" in out
    assert set(links(project)) >= {
        ("Hezbollah fighters", "wikidata:Q41053", "linked"),
        ("Idlib", "geonames:169389", "linked"),
    }


def test_no_link_leaves_them_unlinked_and_a_later_run_links_them(project, capsys):
    """After --no-link (or a place index that could not be built), every run said "already
    done", and only --force, redoing the whole pipeline, linked them."""
    status, out, _ = run(capsys, "preannotate", str(project), "--model", "rules", "--no-link")
    assert status == 0 and "linked" not in out
    assert links(project) == []
    with Store(project) as store:
        before = store.suggestions(store.article_ids()[0])
    with Store(project) as store:  # one more article, whose suggestions ana started from
        (started,) = store.add_articles([Article(f"Again: {TEXT}", published="2019-05-01")]).ids
    run(capsys, "preannotate", str(project), "--model", "rules", "--no-link")
    with Store(project) as store:
        store.start_article(started, "ana")
    status, out, _ = run(capsys, "preannotate", str(project), "--model", "rules")
    assert status == 0 and out.splitlines() == [
        "0 articles pre-annotated (0 suggestions, 0 claim sources, 0 linked), 2 already done "
        "by blank_en+rules-13",
        "linked now: the suggestions of 2 articles made without links (4 linked); 1 of those "
        "an annotator started keeps their spans as they are (L links a span in the window)",
    ]
    assert set(links(project)) >= {
        ("Hezbollah fighters", "wikidata:Q41053", "linked"),
        ("Idlib", "geonames:169389", "linked"),
    }
    with Store(project) as store:  # the same suggestions: only linked
        after = store.suggestions(store.article_ids()[0])
        assert all(not s.kb_id for s in store.spans(started, "ana"))  # (as they were)
        assert [(s.start, s.end, s.label) for s in after] == [
            (s.start, s.end, s.label) for s in before
        ]
    status, out, _ = run(capsys, "preannotate", str(project), "--model", "rules")
    assert "linked now" not in out  # nothing left to link


def test_import_with_no_link(tmp_path, capsys):
    source = tmp_path / "a.txt"
    source.write_text(f"Title\n{TEXT}\n", encoding="utf-8")
    db = tmp_path / "p.db"
    assert run(capsys, "import", str(db), str(source), "--model", "rules", "--no-link")[0] == 0
    assert links(db) == []
    db2 = tmp_path / "p2.db"
    assert run(capsys, "import", str(db2), str(source), "--model", "rules")[0] == 0
    assert ("Idlib", "geonames:169389", "linked") in links(db2)


def test_the_index_build_is_said_before_and_a_failure_is_one_warning(project, monkeypatch, capsys):
    from annotator.nlp import linking

    def cannot_build():
        raise PermissionError(13, "Permission denied", "/read-only/cache")

    monkeypatch.setattr(linking, "_default_source", cannot_build)
    monkeypatch.setattr(linking, "_default_is_built", lambda: False)
    status, out, err = run(capsys, "preannotate", str(project), "--model", "rules")
    assert status == 0
    assert err.splitlines()[1:] == [
        "building the place index once (about a minute)…",
        "warning: places are left unlinked: the place index could not be built "
        "(Permission denied: /read-only/cache; set ANNOTATOR_CACHE_DIR to a folder with room "
        "that you may write in)",
    ]
    assert [kb_id for _, kb_id, _ in links(project) if kb_id] == ["wikidata:Q41053"]
    # with the index still missing, a run again does not take the places for new work
    status, out, _ = run(capsys, "preannotate", str(project), "--model", "rules")
    assert status == 0 and "linked now" not in out


def test_import_then_preannotate_stores_sources_attributes_and_links(tmp_path, capsys):
    source = tmp_path / "a.txt"
    source.write_text(
        'Title\n\nHezbollah fighters shelled Idlib on Monday, activists said. "We took the '
        'hill," a commander said. The army reportedly lost 12 men, activists said.\n',
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    assert run(capsys, "import", str(db), str(source), "--no-preannotate")[0] == 0
    status, out, _ = run(capsys, "preannotate", str(db), "--model", "rules")
    assert status == 0 and "(9 suggestions, 3 claim sources, 3 linked)" in out
    status, out, _ = run(capsys, "stats", str(db))
    assert out.splitlines()[1:] == [
        "suggestions by blank_en+rules-13: CLAIM 3, FACTION 2, LOCATION 1, SOURCE 3",
        "relations suggested by blank_en+rules-13: source 3",
        "attribute values suggested by blank_en+rules-13: hedged yes 1; quote yes 1",
        "links suggested by blank_en+rules-13: linked 3",
        "articles nobody marked done yet: 1",
    ]
    # An annotator who opens the article starts from all of it.
    with Store(db) as store:
        (article,) = store.article_ids()
        store.start_article(article, "ana")
        text = store.article(article).text
        spans = {s.id: s for s in store.spans(article, "ana")}
        pairs = {
            (spans[r.head].text(text), spans[r.child].text(text))
            for r in store.relations(article, "ana")
        }
        values = {
            (spans[v.span].text(text), v.name, v.value)
            for v in store.attribute_values(article, "ana")
        }
        linked = {s.text(text): s.kb_id for s in spans.values() if s.kb_id}
    assert pairs == {
        ("Hezbollah fighters shelled Idlib on Monday", "activists"),
        ("We took the hill", "commander"),
        ("The army reportedly lost 12 men", "activists"),
    }
    assert values == {
        ("We took the hill", "quote", "yes"),
        ("The army reportedly lost 12 men", "hedged", "yes"),
    }
    assert linked == {
        "Hezbollah fighters": "wikidata:Q41053",
        "Idlib": "geonames:169389",
        "army": "annotator:syrian-arab-army",  # the forces of the country of its places
    }


def test_preannotate_says_which_articles_do_not_look_english(project, capsys):
    """Import said so; preannotate (9 of 14 articles Arabic, Russian or Chinese) did not."""
    with Store(project) as store:
        store.add_articles([Article("قالت قوات سوريا الديمقراطية إنها صدت هجوما قرب منبج.")])
    status, out, _ = run(capsys, "preannotate", str(project), "--model", "rules", "--no-link")
    assert status == 0
    assert "1 article does not look English (the first: 'قالت قوات سوريا الديمقراطية" in out
    assert "the suggestions come from an English pipeline" in out
