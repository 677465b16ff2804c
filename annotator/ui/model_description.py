"""The Model panel's words on the models (``model_panel.py``): the current model in a few
lines, and why the saved versions' held-out figures do not compare.

Each version's exact F1 was measured once, when it was trained, on the articles held out
then, as they were annotated then: another version's held-out articles differ (the split
grows with the project), or are the same articles annotated since. So v2 read FACTION 1.00
and v5 0.99 where, on the same articles, they score the same, and the panel showed v2's
1.00 beside the Latest training's 0.99 for the same v2. A training's scores put the new
model and the current one on the same articles: those are the ones to choose by.
"""

from __future__ import annotations

from datetime import datetime

from annotator.nlp.training import ModelInfo

#: Under the Versions table: what its figures are, and what to choose a model by.
VERSIONS_NOTE = (
    "Each version's F1 is from its own training, on the articles held out then, as they "
    "were annotated then: the figures of two versions do not compare, nor with the Latest "
    "training's. To choose a model, go by a training's scores (Model → Train…), where the "
    "new model and the current one are scored on the same articles."
)


def describe_model(model: ModelInfo | None, suggesting: str, versions: int = 0) -> str:
    """The current model in a few lines: which, when, from what, on how much, how good.
    ``versions``: how many trained versions the project has (none may be current)."""
    if model is None:
        made = f": the suggestions come from {suggesting}" if suggesting else ""
        if versions:
            return (
                f"No trained version adopted{made}. Select a version below and adopt it, "
                "or Model → Train… makes a new one."
            )
        return (
            f"No trained model yet{made}. Model → Train… makes one from the project's "
            "finished articles."
        )
    if model.replaced:  # (the version listed below is that other model)
        adopt = (
            f"Select v{model.version} below and adopt it to make it current"
            if model.version is not None
            else f"`annotator models --adopt {model.path}` makes it current"
        )
        return f"The project's model {model.absence}: {model.path}. {adopt}, {model.bring_back}."
    if not model.meta:
        return f"The project's model {model.absence}: {model.path}."
    training = model.training
    version = f"v{model.version}" if model.version is not None else model.path.name
    lines = [f"{version} — {model.name}"]
    if training.get("trained_at"):
        lines.append(f"Trained {when(str(training['trained_at']))} from {training.get('base')}")
    if "train_articles" in training:
        lines.append(
            f"Learned from {training['train_articles']} finished articles "
            f"({whose(str(training.get('source', '')))}); scored on "
            f"{training.get('held_out_articles')} held out"
        )
    scores, replaced = training.get("held_out_scores") or {}, training.get("replaced_scores")
    if scores:
        figures = ", ".join(f"{label} {s['exact']['f1']:.2f}" for label, s in scores.items())
        held = training.get("held_out_articles")
        own = f"its own {held} held-out articles" if held else "its own held-out articles"
        # (beside the Latest training's figures for the same model, on other articles, they
        # read as two models)
        lines.append(f"Exact F1 on {own}, when it was trained: {figures}")
        if replaced:
            before = ", ".join(f"{label} {s['exact']['f1']:.2f}" for label, s in replaced.items())
            lines.append(f"The suggestions it replaced, on the same articles: {before}")
    return "\n".join(lines)


def whose(source: str) -> str:
    """Whose work a model learned from, as ``training_data`` names it."""
    if source == "done":
        return "each article's gold version, else its one annotator's"
    if source == "gold":
        return "the gold versions"
    return f"{source}'s" if source else "whose work is not recorded"


def when(stamp: str, form: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as the panel shows it (local), or as stored if it is no time."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime(form)
    except ValueError:
        return stamp
