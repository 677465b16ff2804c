"""The verdict on a training: the mean exact F1 over the labels the model changes."""

from __future__ import annotations

from annotator.ui.model_scores import verdict


def figures(f1: float, gold: int = 10) -> dict:
    exact = {"precision": f1, "recall": f1, "f1": f1}
    return {"gold": gold, "exact": exact, "overlap": exact}


def result(claim_new: float, edges: dict) -> dict:
    return {
        "held_out_articles": 3,
        "edge_convention": edges,
        "scores": {"LOCATION": figures(0.6), "FACTION": figures(0.5), "CLAIM": figures(claim_new)},
        "current_scores": {
            "LOCATION": figures(0.6),
            "FACTION": figures(0.5),
            "CLAIM": figures(0.02),
        },
    }


def test_claims_count_only_when_the_model_learned_their_edges():
    same = verdict(result(0.2, {}))
    assert not same.better and same.labels == ("LOCATION", "FACTION")
    assert "is no better than the current suggestions" in same.text
    edged = verdict(result(0.2, {"CLAIM": ["punctuation"]}))
    assert edged.better and edged.labels == ("LOCATION", "FACTION", "CLAIM")
    assert "mean exact F1 over LOCATION, FACTION and CLAIM 0.43 against 0.37" in edged.text


def result_shown(qtbot, tmp_path, **figures):
    """The result view showing a training's result (+0.02 over the current suggestions),
    with ``figures`` (its articles, its notes...)."""
    from annotator.ui.model_scores import TrainingResultView

    view = TrainingResultView()
    qtbot.addWidget(view)
    view.show_result(trained(tmp_path, **figures))
    return view


def trained(tmp_path, **figures) -> dict:
    """A training's result (+0.02 over the current suggestions), saved as ``v1``, with
    ``figures`` (its articles, its notes...)."""
    return {
        **result(0.02, {}),
        "model": str(tmp_path / "v1"),
        "base": "en_core_web_sm",
        "current": "the default pipeline",
        "training_seconds": 30,
        "total_seconds": 34,
        **figures,
    }


def test_the_result_shows_the_trainings_notes(qtbot, tmp_path):
    """The command line printed the report's notes ("3 of the 7 held-out articles begin as
    an article learned from does..."); the window showed none of them."""
    note = "3 of the 7 held-out articles begin as an article learned from does"
    view = result_shown(qtbot, tmp_path, train_articles=23, held_out_articles=7, notes=[note])
    assert view.details.text().endswith(f"\nNote: {note}.")


def test_the_result_says_which_finished_articles_it_could_not_learn_from(qtbot, tmp_path):
    """54 done, 42 learned from and 11 scored: the command line named the article finished
    by two annotators with no gold; the window said nothing of it."""
    view = result_shown(qtbot, tmp_path, train_articles=42, held_out_articles=11, rivals_left_out=1)
    assert view.details.text().endswith(
        "1 article finished by several annotators, with no gold version, was left out: "
        "settle them in Review, or learn from one annotator's work."
    )


def test_adopt_stays_in_sight_however_tall_the_result(qtbot, window, tmp_path):
    """In the result's scroll area, Adopt fell below the fold of a 1000-pixel screen and
    had to be scrolled to."""
    from annotator.ui.model_dialog import show_train_dialog

    window.model_training.latest = trained(
        tmp_path,
        train_articles=23,
        notes=[f"note {k} of a long training report" for k in range(30)],
    )
    dialog = show_train_dialog(window)
    dialog.resize(760, 320)
    qtbot.waitUntil(dialog.adopt_row.isVisible)
    button = dialog.result_view.adopt_button
    assert not dialog.result_scroll.isAncestorOf(button)
    assert button.isVisible() and not button.visibleRegion().isEmpty()
    dialog.close()


def test_the_train_dialog_follows_a_label_renamed_while_it_is_open_or_trains(
    qtbot, window, tmp_path
):
    """``annotator labels rename ARMS WEAPON`` with Model → Train… open: its intro still
    said "ARMS is suggested by nothing", and so did the note of a training that ran
    meanwhile."""
    from annotator.core.model import Label
    from annotator.nlp.training.data import unlearned_labels_note
    from annotator.storage import Store
    from annotator.ui.model_dialog import show_train_dialog

    window.store.add_label(Label("ARMS", "entity"))
    window.reload_labels()
    dialog = show_train_dialog(window)
    assert "ARMS is suggested by nothing" in dialog.hint.text()
    scheme_then = [label.name for label in window.labels]
    window.model_training.latest = trained(
        tmp_path,
        train_articles=23,
        held_out_articles=7,
        notes=["a note of the run", unlearned_labels_note(scheme_then)],
        scheme_labels=scheme_then,
    )
    dialog.show_state()
    assert "ARMS is suggested by nothing" in dialog.result_view.details.text()

    with Store(window.store.path) as other:  # another program
        other.rename_label("ARMS", "WEAPON", by="lead")
    qtbot.waitUntil(lambda: "WEAPON" in window.label_actions, timeout=3000)
    assert "WEAPON is suggested by nothing" in dialog.hint.text()
    assert "ARMS" not in dialog.hint.text()
    details = dialog.result_view.details.text()
    assert "ARMS" not in details
    assert details.endswith(
        "\nNote: a note of the run.\nNote: SOURCE keeps the rules' suggestions; WEAPON is "
        "suggested by nothing: the model learns LOCATION and FACTION, and where CLAIM spans "
        "begin and end."
    )
    window.model_panel.show_panel()
    assert window.model_panel.latest_view.details.text() == details
    dialog.close()
