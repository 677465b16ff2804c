"""Inter-annotator agreement: kappa and span F1 per pair, alpha per layer, F1 per label.

Computed over the articles that two or more annotators marked done (``load_done_work``); each
annotator's spans count only on the articles they marked done. The reserved annotator
``gold`` is the reviewer's adjudicated version, not an annotator, and never takes part.

Tokens are those of spaCy's blank English tokenizer, whitespace left out. On each layer a
token takes the label of the span over it (``O`` if none): ``entity`` holds LOCATION and
FACTION (every label of kind ``entity``), ``claim`` holds CLAIM.

- Cohen's kappa per pair and layer, over the tokens of the articles both marked done.
- Krippendorff's alpha (nominal) per layer over all those tokens; an annotator who did not
  mark an article done is a missing value for its tokens.
- Span F1 per pair and layer, and per label pooled over every pair, with exact matches
  (same start, end, label) and with overlap matches (same label, sharing a character),
  one to one (see ``annotator.review.metrics.match_spans``).

A figure with no defined value is ``None`` (``null`` in JSON): kappa or alpha when every
token carries one and the same label, F1 when neither side has a span. Who makes each claim
and how it is framed are compared too (``claims``: claim–source pair F1 and attribute kappa
per pair, ``annotator.review.claim_agreement``), and what spans refer to (``links``: link
accuracy per pair, ``annotator.review.link_agreement``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from annotator.core.progress import Progress, no_progress
from annotator.core.text import counted
from annotator.review.claim_agreement import ClaimAgreement, claim_agreement
from annotator.review.claim_arrays import load_done_links
from annotator.review.kb_links import load_done_entries
from annotator.review.link_agreement import LinkAgreement, link_agreement
from annotator.review.metrics import SpanMatches, alpha_from_counts, kappa_from_confusion
from annotator.review.pair_matches import pair_matches, span_holders
from annotator.review.token_labels import Int64Array, token_arrays
from annotator.review.token_tally import TokenTally
from annotator.review.work import DoneWork, load_done_work
from annotator.storage import Store


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Two annotators on one layer, over the articles both marked done."""

    a: str
    b: str
    articles: int
    tokens: int
    kappa: float | None
    matches: SpanMatches = field(default_factory=SpanMatches)

    @property
    def f1_exact(self) -> float | None:
        return self.matches.f1_exact

    @property
    def f1_partial(self) -> float | None:
        return self.matches.f1_partial

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "articles": self.articles,
            "kappa": self.kappa,
            "f1_exact": self.f1_exact,
            "f1_partial": self.f1_partial,
        }


@dataclass(frozen=True, slots=True)
class LayerAgreement:
    labels: tuple[str, ...]
    alpha: float | None
    pairs: tuple[PairAgreement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"alpha": self.alpha, "pairs": [pair.to_dict() for pair in self.pairs]}


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    """Span F1 of one label, every pair of annotators pooled (micro-averaged)."""

    matches: SpanMatches

    @property
    def f1_exact(self) -> float | None:
        return self.matches.f1_exact

    @property
    def f1_partial(self) -> float | None:
        return self.matches.f1_partial

    def to_dict(self) -> dict[str, Any]:
        return {"f1_exact": self.f1_exact, "f1_partial": self.f1_partial}


@dataclass(frozen=True)
class AgreementReport:
    """Everything ``annotator agreement`` prints and Review → Agreement shows."""

    annotators: tuple[str, ...]
    articles: int
    layers: dict[str, LayerAgreement]
    labels: dict[str, LabelAgreement]
    claims: ClaimAgreement = field(default_factory=ClaimAgreement)
    links: LinkAgreement = field(default_factory=LinkAgreement)

    def pair(self, layer: str, a: str, b: str) -> PairAgreement:
        """The figures of annotators ``a`` and ``b`` (either order) on ``layer``."""
        for pair in self.layers[layer].pairs:
            if {pair.a, pair.b} == {a, b}:
                return pair
        raise KeyError(f"no pair {a}, {b} on layer {layer}")

    def matrix(self, layer: str, measure: str = "kappa") -> list[list[float | None]]:
        """Annotator by annotator (``annotators`` order), one measure of each pair on a layer:
        ``kappa``, ``f1_exact`` or ``f1_partial``. Symmetric; the diagonal is ``None``."""
        index = {name: i for i, name in enumerate(self.annotators)}
        rows: list[list[float | None]] = [[None] * len(index) for _ in index]
        for pair in self.layers[layer].pairs:
            value = getattr(pair, measure)
            rows[index[pair.a]][index[pair.b]] = rows[index[pair.b]][index[pair.a]] = value
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` object; undefined figures are ``None`` (JSON ``null``)."""
        return {
            "annotators": list(self.annotators),
            "articles": self.articles,
            "layers": {name: layer.to_dict() for name, layer in self.layers.items()},
            "labels": {name: label.to_dict() for name, label in self.labels.items()},
            "claims": self.claims.to_dict(),
            "links": self.links.to_dict(),
        }

    def format_table(self) -> str:
        """A plain-text report for a terminal."""
        if self.articles == 0:
            return "No article is marked done by two or more annotators: nothing to compare."
        lines = [
            f"Agreement over {counted(self.articles, 'article')} marked done by two or more of "
            f"{len(self.annotators)} annotators ({', '.join(self.annotators)})",
        ]
        for name, layer in self.layers.items():
            lines += [
                "",
                f"{name} layer ({', '.join(layer.labels) or 'no labels'}): "
                f"Krippendorff's alpha {_figure(layer.alpha)}",
            ]
            width = max([len(f"{p.a} / {p.b}") for p in layer.pairs] + [4])
            lines.append(f"  {'pair':<{width}}  articles    kappa  F1 exact  F1 overlap")
            for pair in layer.pairs:
                lines.append(
                    f"  {f'{pair.a} / {pair.b}':<{width}}  {pair.articles:>8}  "
                    f"{_figure(pair.kappa):>7}  {_figure(pair.f1_exact):>8}  "
                    f"{_figure(pair.f1_partial):>10}"
                )
        width = max([len(name) for name in self.labels] + [5])
        lines += ["", f"  {'label':<{width}}   spans  F1 exact  F1 overlap"]
        for name, label in self.labels.items():
            spans = label.matches.a + label.matches.b
            lines.append(
                f"  {name:<{width}}  {spans:>6}  {_figure(label.f1_exact):>8}  "
                f"{_figure(label.f1_partial):>10}"
            )
        lines += self.claims.format_lines()
        lines += self.links.format_lines()
        lines.append("")
        lines.append(
            "'spans': each label's spans of both annotators of every pair, counted together; "
            "'-': no figure (nothing to compare)."
        )
        return "\n".join(lines)


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def agreement_report(store: Store, progress: Progress = no_progress) -> AgreementReport:
    """Agreement among the annotators of ``store``; see the module docstring for the figures.

    Tokenizing the articles is the long part; ``progress(done, total)`` follows it, and
    raising ``Cancelled`` from it stops the work.
    """
    work = load_done_work(store)
    texts = _texts(store, work.article_ids)
    tally = TokenTally(work)
    progress(0, len(texts))
    # Batch by batch: token arrays stay small enough for the processor's caches.
    for first in range(0, len(texts), _BATCH):
        batch = texts[first : first + _BATCH]
        tally.add(first, list(token_arrays(batch)), [len(text) for text in batch])
        progress(first + len(batch), len(texts))
    report = _report(work, tally)
    return replace(
        report,
        claims=claim_agreement(work, load_done_links(store, work)),
        links=link_agreement(work, load_done_entries(store, work)),
    )


_BATCH = 500  # articles


def _texts(store: Store, article_ids: Int64Array) -> list[str]:
    """The texts of the articles, in id order (``article_ids`` is sorted)."""
    return store.texts(article_ids.tolist())


def _report(work: DoneWork, tally: TokenTally) -> AgreementReport:
    identity = work.span_identity()
    holders = span_holders(work, identity)
    matches = {pair: pair_matches(work, pair, identity, holders) for pair in tally.pairs}
    layers: dict[str, LayerAgreement] = {}
    for layer, codes in tally.codes.items():
        layer_pairs = [
            PairAgreement(
                work.annotators[a],
                work.annotators[b],
                articles=int((work.done[a] & work.done[b]).sum()),
                tokens=tally.tokens[a, b],
                kappa=kappa_from_confusion(tally.confusion[layer][a, b]),
                matches=sum((matches[a, b][code] for code in codes), SpanMatches()),
            )
            for a, b in tally.pairs
        ]
        layers[layer] = LayerAgreement(
            labels=tuple(work.labels[code] for code in codes),
            alpha=alpha_from_counts(*tally.value_counts(layer)),
            pairs=tuple(layer_pairs),
        )
    labels = {
        name: LabelAgreement(sum((matches[pair][code] for pair in tally.pairs), SpanMatches()))
        for code, name in enumerate(work.labels)
    }
    return AgreementReport(
        annotators=work.annotators, articles=len(work), layers=layers, labels=labels
    )
