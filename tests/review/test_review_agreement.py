"""review/agreement.py: the report against references computed token by token, and its JSON."""

import json
import random
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.cli import main
from annotator.core.model import GOLD, Article, Label, Span
from annotator.nlp.tokens import token_bounds
from annotator.review.agreement import agreement_report
from annotator.review.metrics import SpanMatches, match_spans
from annotator.review.token_labels import label_tokens, token_arrays, token_ranges
from annotator.storage import Store
from tests.review.annotators_from_gum import make_scenario

LAYERS = {"entity": ["LOCATION", "FACTION"], "claim": ["CLAIM"]}


def _project(store: Store) -> dict:
    """Six GUM articles, three annotators, with gaps: who marked what done differs."""
    scenario = make_scenario(limit=6, seed=1)
    ids = store.add_articles(scenario.articles).ids
    not_done = {("cem", 0), ("cem", 3), ("ben", 3), ("ben", 5)}
    for name, version in scenario.annotators.items():
        for i, (article, article_id) in enumerate(zip(scenario.articles, ids, strict=True)):
            store.replace_spans(article_id, name, version.spans[article.text_hash])
            store.set_status(article_id, name, "in_progress" if (name, i) in not_done else "done")
    # The reviewer's gold, and someone who never finished anything: neither is compared.
    store.replace_spans(ids[0], GOLD, [Span(0, 5, "LOCATION")])
    store.set_status(ids[0], GOLD, "done")
    store.replace_spans(ids[1], "dan", [Span(0, 5, "FACTION")])
    return {"scenario": scenario, "ids": ids, "not_done": not_done}


def _token_labels(text: str, spans: list[Span], labels: list[str]) -> list[int]:
    """Token by token, in plain Python: the first layer label over the token, else 0 (O)."""
    result = []
    for start, end in token_bounds(text):
        over = [s.label for s in spans if s.label in labels and s.start < end and start < s.end]
        result.append(min((labels.index(label) + 1 for label in over), default=0))
    return result


def test_kappa_alpha_and_f1_match_reference_computations(store):
    project = _project(store)
    report = agreement_report(store)
    names = ["ana", "ben", "cem"]
    assert report.annotators == tuple(names)
    # Article 3 has only ana done: not compared.
    assert report.articles == 5
    articles = [store.article(i) for i in project["ids"]]
    done = {(name, i): (name, i) not in project["not_done"] for name in names for i in range(6)}
    compared = [i for i in range(6) if sum(done[n, i] for n in names) >= 2]
    for layer, labels in LAYERS.items():
        per_token = {
            (name, i): _token_labels(articles[i].text, store.spans(project["ids"][i], name), labels)
            for name in names
            for i in compared
        }
        for a, b in combinations(names, 2):
            both = [i for i in compared if done[a, i] and done[b, i]]
            pair = report.pair(layer, a, b)
            expected = cohen_kappa_score(
                sum((per_token[a, i] for i in both), []), sum((per_token[b, i] for i in both), [])
            )
            assert pair.kappa == pytest.approx(expected, abs=1e-9)
            assert pair.articles == len(both)
            matches = SpanMatches()
            for i in both:
                by_label = match_spans(
                    store.spans(project["ids"][i], a), store.spans(project["ids"][i], b)
                )
                matches = sum((by_label.get(label, SpanMatches()) for label in labels), matches)
            assert pair.matches == matches
        reliability = np.array(
            [
                [
                    value if done[name, i] else np.nan
                    for i in compared
                    for value in per_token[name, i]
                ]
                for name in names
            ],
            dtype=float,
        )
        expected_alpha = krippendorff.alpha(
            reliability_data=reliability, level_of_measurement="nominal"
        )
        assert report.layers[layer].alpha == pytest.approx(expected_alpha, abs=1e-9)


def test_labels_pool_the_matches_of_every_pair(store):
    _project(store)
    report = agreement_report(store)
    for label, labels in (("LOCATION", "entity"), ("CLAIM", "claim")):
        pooled = report.labels[label].matches
        pairs = report.layers[labels].pairs
        assert pooled.a + pooled.b <= sum(p.matches.a + p.matches.b for p in pairs)
        assert 0 < pooled.exact <= pooled.overlap


def test_json_has_the_documented_shape(project_path, capsys):
    with Store(project_path) as project:
        _project(project)
    assert main(["agreement", str(project_path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"annotators", "articles", "layers", "labels", "claims", "links"}
    assert figures["annotators"] == ["ana", "ben", "cem"] and figures["articles"] == 5
    assert set(figures["layers"]) == {"entity", "claim"}
    for layer in figures["layers"].values():
        assert set(layer) == {"alpha", "pairs"} and isinstance(layer["alpha"], float)
        assert [(p["a"], p["b"]) for p in layer["pairs"]] == [
            ("ana", "ben"),
            ("ana", "cem"),
            ("ben", "cem"),
        ]
        for pair in layer["pairs"]:
            assert set(pair) == {"a", "b", "articles", "kappa", "f1_exact", "f1_partial"}
            assert all(isinstance(pair[k], float) for k in ("kappa", "f1_exact", "f1_partial"))
    assert set(figures["labels"]) == {"LOCATION", "FACTION", "CLAIM", "SOURCE"}
    assert all(set(v) == {"f1_exact", "f1_partial"} for v in figures["labels"].values())
    assert figures["labels"]["SOURCE"] == {"f1_exact": None, "f1_partial": None}  # none marked
    claims = figures["claims"]
    assert set(claims) == {"attributes", "f1_exact", "f1_partial", "pairs"}
    assert claims["attributes"] == ["polarity", "hedged", "quote"]
    assert [(p["a"], p["b"]) for p in claims["pairs"]] == [
        ("ana", "ben"),
        ("ana", "cem"),
        ("ben", "cem"),
    ]


def test_undefined_figures_are_null_in_json(project_path, capsys):
    with Store(project_path) as store:
        ids = store.add_articles([Article("Rebels took Aleppo."), Article("Calm in Homs.")]).ids
        for name in ("ana", "ben"):
            for article_id in ids:
                store.set_status(article_id, name, "done")
        store.replace_spans(ids[0], "ana", [Span(12, 18, "LOCATION")])
        store.replace_spans(ids[0], "ben", [Span(12, 18, "LOCATION")])
    assert main(["agreement", str(project_path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    claim = figures["layers"]["claim"]
    # Nobody marked a claim: every token is O for both, kappa and alpha are 0/0.
    assert claim["alpha"] is None
    assert claim["pairs"][0]["kappa"] is None and claim["pairs"][0]["f1_exact"] is None
    assert figures["layers"]["entity"]["pairs"][0]["kappa"] == 1.0
    assert figures["labels"]["FACTION"] == {"f1_exact": None, "f1_partial": None}


def test_nothing_to_compare_gives_an_empty_report(store):
    (article_id,) = store.add_articles([Article("Only one annotator here.")]).ids
    store.set_status(article_id, "ana", "done")
    report = agreement_report(store)
    assert report.articles == 0 and report.annotators == ()
    assert report.to_dict()["layers"]["entity"] == {"alpha": None, "pairs": []}
    assert "nothing to compare" in report.format_table()


def test_two_annotators_who_marked_nothing_agree_without_a_traceback(store):
    """Articles imported without suggestions, both annotators pressing Enter: `annotator
    agreement` ended in a traceback (IndexError) and Review did nothing."""
    ids = store.add_articles([Article("Quiet day."), Article("Nothing happened.")]).ids
    other = store.add_articles([Article("Rebels shelled Idlib.")]).ids[0]
    store.add_span(other, "cem", Span(15, 20, "LOCATION"))  # spans elsewhere in the project
    for article_id in ids:
        for who in ("ana", "ben"):
            store.set_status(article_id, who, "done")
    report = agreement_report(store)
    assert report.articles == 2 and report.annotators == ("ana", "ben")
    assert "nan" not in report.format_table().lower()


def test_table_shows_every_pair_and_label(store):
    _project(store)
    table = agreement_report(store).format_table()
    assert "5 articles" in table
    for text in ("ana / ben", "ben / cem", "LOCATION", "FACTION", "CLAIM", "alpha"):
        assert text in table
    assert "nan" not in table.lower()


def test_progress_reports_tokenizing(store):
    _project(store)
    calls = []
    agreement_report(store, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)


@pytest.mark.parametrize(
    "text",
    [
        "Rebels  said\tthey took Aleppo.\n\nNext paragraph 😀 here, (really).",
        "قالت القوات إنها سيطرت على حلب",
        "Ca\u0301fe\u0301 in Idlib — 🇸🇾 flags; U.S.-backed forces' 40 km",
        "",
        "   ",
        "Odd\u00a0spaces\u3000between\u2028words \x1c and\u2009thin\u00a0 ones\u3000",
        "\u3001「引号」、Homs\u3000\u3000Hama",
    ],
)
def test_token_arrays_are_the_tokens_of_token_bounds(text):
    ((starts, ends),) = list(token_arrays([text]))
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == token_bounds(text)


def test_token_arrays_on_gum_news_equal_token_bounds():
    scenario = make_scenario(limit=4)
    texts = [article.text for article in scenario.articles]
    for text, (starts, ends) in zip(texts, token_arrays(texts), strict=True):
        assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == token_bounds(text)


def test_a_token_takes_the_label_of_a_span_sharing_any_character():
    text = "Forces near Aleppo-city said."
    starts, ends = (np.array(x) for x in zip(*token_bounds(text), strict=True))
    # "Aleppo-city" is three tokens; the span covers part of the first one only.
    first, last = token_ranges(starts, ends, [13], [15])
    labels = label_tokens(len(starts), first, last, [1])
    assert [text[s:e] for s, e, lab in zip(starts, ends, labels, strict=True) if lab] == ["Aleppo"]


def test_overlapping_labels_on_one_layer_take_the_first_label():
    labels = label_tokens(6, [0, 2], [4, 6], [2, 1])
    assert labels.tolist() == [2, 2, 1, 1, 1, 1]


def test_matrix_of_pairs_for_the_window(store):
    _project(store)
    report = agreement_report(store)
    kappa = report.matrix("entity")
    assert (
        kappa[0][0] is None
        and kappa[0][2] == kappa[2][0] == report.pair("entity", "ana", "cem").kappa
    )
    f1 = report.matrix("claim", "f1_exact")
    assert f1[1][2] == report.pair("claim", "ben", "cem").f1_exact


@pytest.mark.parametrize(("annotators", "extra_labels"), [(3, 0), (20, 2), (60, 9)])
def test_alpha_holds_for_many_annotators_and_labels(store, annotators, extra_labels):
    # Many annotators times many labels make many count patterns: every way of tallying
    # them must give the reference figure.
    rng = random.Random(annotators)
    names = [f"a{i:02}" for i in range(annotators)]
    entity_labels = ["LOCATION", "FACTION"] + [f"X{i}" for i in range(extra_labels)]
    for name in entity_labels[2:]:
        store.save_label(Label(name, "entity"))
    texts = [f"Text {i}: " + "word " * 40 for i in range(3)]
    ids = store.add_articles(Article(text) for text in texts).ids
    for article_id in ids:
        for name in names:
            start = rng.randrange(0, 150)
            spans = [Span(start, start + rng.randint(4, 30), rng.choice(entity_labels))]
            store.replace_spans(article_id, name, spans)
            store.set_status(article_id, name, "done" if rng.random() < 0.9 else "in_progress")
    report = agreement_report(store)
    assert report.articles == 3
    reliability = []
    for name in names:
        row = []
        for i in range(3):
            done = store.status(ids[i], name).status == "done"
            labels = _token_labels(texts[i], store.spans(ids[i], name), entity_labels)
            row += labels if done else [np.nan] * len(labels)
        reliability.append(row)
    expected = krippendorff.alpha(
        reliability_data=np.array(reliability, dtype=float), level_of_measurement="nominal"
    )
    assert report.layers["entity"].alpha == pytest.approx(expected, abs=1e-9)


def test_each_thread_tokenizes_with_its_own_copy(store):
    from concurrent.futures import ThreadPoolExecutor

    from annotator.nlp.tokens import blank_english
    from annotator.review.token_labels import tokenizer

    text = "U.S.-backed forces' 40 km, don't (really) gonna 😀 https://x.org/a?b=c"
    cache_size = blank_english().tokenizer.max_cache_size
    with ThreadPoolExecutor(1) as pool:
        other = pool.submit(tokenizer).result()
        elsewhere = pool.submit(lambda: list(token_arrays([text]))).result()
    assert other is not tokenizer() and tokenizer() is not blank_english().tokenizer
    ((starts, ends),) = elsewhere
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == token_bounds(text)
    assert blank_english().tokenizer.max_cache_size == cache_size  # the original, untouched
