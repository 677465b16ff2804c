"""Does training on finished work beat today's suggestions? A learning curve on third-party gold.

On GUM news and wikigold (../shared/eval), each corpus is split in halves by the text hash
the program splits by (``annotator.core.splits``). The gold annotations of the first k
articles of one half stand for an annotator's finished work (named place / LOC → LOCATION,
named organization / ORG → FACTION, as ``bench/preannotation_quality.py`` maps them); the
model is trained from them exactly as ``annotator train`` trains (``train_pipeline``: the
default pipeline with its rules, plus a fine-tuned copy of its ner merged with the rules,
and the edge convention of the finished spans) and scored on the other half beside today's
suggestions (the default pipeline and the rules), in the same run. Exact and overlap F1 per
label; training time, wall and CPU. What was tried on the way, and measured, is in
``bench/learning_curve_notes.md``.

With ``--resuggest N``: the last model trained re-suggests N articles of a project nobody
has opened (``adopt_model``), timed against bare ``nlp.pipe`` of the same pipeline over the
same texts.

Targets (issue 8): at the largest k, LOCATION and FACTION exact F1 at least 0.05 above
today's suggestions, and at no k below them; training on 40 wikigold articles under 3
minutes; re-suggesting 1,000 articles within 1.2× bare ``nlp.pipe``.

    python bench/learning_curve.py [--corpus gum,wikigold] [--resuggest 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import GUM, WIKIGOLD, by_label, gum_gold, read_jsonl, score, table, wikigold_gold

from annotator.core.model import Article, Span
from annotator.core.splits import split_of
from annotator.core.text import join_hard_line_breaks

LABELS = ("LOCATION", "FACTION")
#: Scored too where the corpus has it (GUM's attribution contents): the model keeps the
#: rules' claims, with the claim edges learned from the finished articles.
CLAIM = "CLAIM"
KS = {"gum": (6, 12), "wikigold": (10, 20, 40, 72)}


def halves(gold):
    """(train half, held-out half) by the program's text hash, 50/50."""
    train = [g for g in gold if split_of(g.text, (0.5, 0.5)) == "train"]
    held = [g for g in gold if split_of(g.text, (0.5, 0.5)) != "train"]
    return train, held


def finished(doc, article_id: int):
    from annotator.nlp.training.data import LabelledText

    spans = tuple(Span(s, e, label) for label in doc.spans for s, e in doc.spans[label])
    return LabelledText(article_id, doc.text, spans, "gold")


def figures(counts) -> dict[str, tuple[float, float]]:
    return {
        label: (counts[label].prf("exact")[2], counts[label].prf("overlap")[2]) for label in counts
    }


def run_corpus(name: str, ks, rows: list, verdicts: list) -> object:
    import spacy

    from annotator.nlp import load_preannotator
    from annotator.nlp.components import add_rule_components
    from annotator.nlp.loading import DEFAULT_PIPELINE, load_pipeline
    from annotator.nlp.spacy_preannotator import SpacyPreAnnotator
    from annotator.nlp.training.train import train_pipeline

    docs = read_jsonl(GUM if name == "gum" else WIKIGOLD)
    gold = (gum_gold if name == "gum" else wikigold_gold)(docs)
    train, held = halves(gold)
    scored = [*LABELS, CLAIM] if CLAIM in held[0].spans else list(LABELS)
    held_gold = [type(g)(g.text, {label: g.spans[label] for label in scored}) for g in held]
    texts = [g.text for g in held]
    today = load_preannotator()
    rules = figures(score(held_gold, [by_label(s) for s in today.suggest(texts)]))
    print(f"\n{name}: {len(train)} articles to learn from, {len(held)} held out")
    nlp = None
    for k in ks:
        if k > len(train):
            continue
        nlp = load_pipeline(DEFAULT_PIPELINE)
        add_rule_components(nlp)
        trained = train_pipeline(nlp, [finished(g, i) for i, g in enumerate(train[:k])])
        model = SpacyPreAnnotator(nlp, name="trained", description="")
        learned = figures(score(held_gold, [by_label(s) for s in model.suggest(texts)]))
        row = [name, str(k)]
        for label in LABELS:
            gain = learned[label][0] - rules[label][0]
            row += [
                f"{rules[label][0]:.3f}",
                f"**{learned[label][0]:.3f}**",
                f"{gain:+.3f}",
                f"{rules[label][1]:.3f}",
                f"{learned[label][1]:.3f}",
            ]
            verdicts.append((name, k, label, gain, k == ks[-1]))
        if CLAIM in rules:
            row += [f"{rules[CLAIM][0]:.3f}", f"**{learned[CLAIM][0]:.3f}**"]
        else:
            row += ["–", "–"]
        row += [
            f"{trained.seconds:.0f}",
            f"{trained.cpu_seconds:.0f}",
            _plan(trained.plan, trained.edges),
        ]
        rows.append(row)
        print(" | ".join(row), flush=True)
    del spacy
    return nlp


def _plan(plan: dict[str, list[str]], edges: dict[str, list[str]]) -> str:
    """Each label's sources and the edges it takes in, e.g. "FAC: learned+rules (the)";
    then the claims' edges, if any were learned."""
    return ", ".join(
        [
            f"{label[:3]}: {'+'.join(sources)}"
            + (f" ({' '.join(edges[label])})" if edges.get(label) else "")
            for label, sources in plan.items()
        ]
        + ([f"CLA: rules ({' '.join(edges[CLAIM])})"] if edges.get(CLAIM) else [])
    )


def resuggest(nlp, count: int) -> None:
    """Re-suggesting ``count`` untouched articles with a saved model against bare nlp.pipe."""
    from preannotate_overhead import build_articles

    from annotator.nlp.training.model_folders import save_model
    from annotator.nlp.training.registry import adopt_model
    from annotator.storage import Store

    articles = build_articles(count)
    texts = [a["text"] for a in articles]
    with tempfile.TemporaryDirectory() as folder:
        model_dir = save_model(nlp, Path(folder) / "model")
        import spacy

        bare_nlp = spacy.load(model_dir)
        for _ in bare_nlp.pipe(texts[:20]):
            pass
        # CPU time of this process: other work on a shared machine does not count.
        started, cpu = time.perf_counter(), time.process_time()
        for _ in bare_nlp.pipe((join_hard_line_breaks(t) for t in texts), batch_size=64):
            pass
        bare, bare_cpu = time.perf_counter() - started, time.process_time() - cpu
        with Store(Path(folder) / "project.db") as store:
            store.add_articles(Article(a["text"], title=a["title"]) for a in articles)
            started, cpu = time.perf_counter(), time.process_time()
            done = adopt_model(store, model_dir)
            ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert done == count
    print(
        f"\nre-suggesting {count:,} untouched articles (adopt_model, loading the model "
        f"included): {ours_cpu:.1f} s CPU ({ours:.1f} s wall); bare nlp.pipe of the same "
        f"pipeline: {bare_cpu:.1f} s CPU ({bare:.1f} s wall); "
        f"**{ours_cpu / bare_cpu:.2f}×** in CPU time (target ≤ 1.20×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="gum,wikigold")
    parser.add_argument("--resuggest", type=int, default=0, metavar="N")
    parser.add_argument("--ks", help="only these k, e.g. 40 (all corpora)")
    args = parser.parse_args()
    rows: list[list[str]] = []
    verdicts: list[tuple] = []
    nlp = None
    for name in args.corpus.split(","):
        ks = tuple(int(k) for k in args.ks.split(",")) if args.ks else KS[name]
        nlp = run_corpus(name, ks, rows, verdicts) or nlp
    header = ["corpus", "k"]
    for label in LABELS:
        short = label[:3]
        header += [
            f"{short} today",
            f"{short} trained",
            "gain",
            f"{short} today ovl",
            "trained ovl",
        ]
    header += ["CLA today", "CLA trained", "train s", "CPU s", "plan"]
    print(
        "\nexact F1 (and overlap F1) on the held-out half; 'plan': each label's sources,"
        " merged in order (chosen by cross-validation on the training articles)\n"
    )
    print(table(rows, header))
    print()
    for name, k, label, gain, largest in verdicts:
        if gain < 0:
            print(f"{name} k={k} {label}: BELOW today's suggestions ({gain:+.3f})")
        if largest:
            met = "met" if gain >= 0.05 else "NOT met"
            print(f"{name} largest k={k} {label}: {gain:+.3f} (target +0.05: {met})")
    if args.resuggest and nlp is not None:
        resuggest(nlp, args.resuggest)


if __name__ == "__main__":
    main()
