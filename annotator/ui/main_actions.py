"""The annotation window's actions, menus and toolbar, as tables.

Each row of ``ACTIONS`` is ``(objectName, text, keys, handler, tip)``; the handler gets the
window. ``MENUS`` lists each menu's actions by name in order (``-`` a separator,
``menu:Title`` a submenu filled elsewhere). A feature with actions of its own adds its
rows with ``MainWindow.add_actions`` and its menu with ``MainWindow.menu(title)``; the
label actions (one per label of the scheme) are made from the project's labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.labels import effective_keys
from annotator.core.model import Label
from annotator.ui.every_mention import label_every_mention
from annotator.ui.widgets import Act, action_text


def _open_project(window) -> None:
    from annotator.storage import StorageError, Store
    from annotator.storage.backups import upgrade_backup, upgraded_note
    from annotator.ui.dialogs import choose_project
    from annotator.ui.leaving import may_leave, stop_background

    path = choose_project(window)
    if path is None:
        return
    if not may_leave(window, "opening another project", "Open"):
        return
    stop_background(window)
    backup = upgrade_backup(path)  # made by an older version: upgraded as it opens
    try:
        store = Store(path)
    except StorageError as error:  # damaged, not a project, newer, unreadable: say so
        window.show_problem(f"Not opened: {error}")
        return
    window.set_store(store)
    if backup is not None and backup.exists():
        window.statusBar().showMessage(upgraded_note(path, backup), 20_000)


def _import(window, folder: bool = False) -> None:
    from annotator.ui.dialogs import run_import

    run_import(window, folder=folder)


def _export(window) -> None:
    from annotator.ui.export_dialog import run_export

    run_export(window)


def _review(window) -> None:
    from annotator.ui.review_window import open_review_window

    open_review_window(window)


def _agreement(window) -> None:
    from annotator.ui.agreement_view import show_agreement

    show_agreement(window)


def _guidelines(window) -> None:
    from annotator.ui.guidelines import show_guidelines

    show_guidelines(window)


def _about(window) -> None:
    from annotator.ui.dialogs import show_about

    show_about(window)


def _switch_annotator(window) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QInputDialog

    name, ok = QInputDialog.getText(
        window, "Switch annotator", "Work in this window as:", text=window.annotator
    )
    if ok and window.switch_annotator(name):
        # A name chosen here, like the one asked on the first start, is the default from
        # now on (a name given with --annotator is not).
        QSettings().setValue("annotator/name", window.annotator)


def _enter(window) -> None:
    """Enter: the article is done (and the next opens), or, while a claim's source is being
    chosen, the selected words are the source."""
    if window.claims.is_choosing:
        window.claims.confirm()
    else:
        window.done_and_next()


def _escape(window) -> None:
    """Esc: stop choosing a source; from the list, the search, the filter or the spans,
    back to the text (keys typed there changed the filter); in the text, clear the
    selection."""
    if window.claims.is_choosing:
        window.claims.cancel()
    elif not window.view.hasFocus():
        window.view.setFocus()
    else:
        window.editor.clear_selection(at_end=True)


def _edge(edge: str, step: int):
    return lambda window: window.editor.move_edge(edge, step)


ACTIONS = (
    Act("actionNext", "Next article", ("N", "PgDown"), lambda w: w.next_article(1)),
    Act("actionPrevious", "Previous article", ("P", "PgUp"), lambda w: w.next_article(-1)),
    Act(
        "actionDone",
        "Done && next",
        ("Return", "Enter"),
        _enter,
        "Mark done and go to the next article not done",
    ),
    Act("actionSkip", "Skip", ("S",), lambda w: w.skip_article()),
    Act(
        "actionFlag",
        "Flag…",
        ("F",),
        lambda w: w.flag_article(),
        "Flag the article with the comment in the side panel",
    ),
    Act(
        "actionDeleteSpan",
        "Delete span",
        ("Del", "Backspace"),
        lambda w: w.editor.delete_selected_span(),
    ),
    Act(
        "actionEveryMention",
        "Label every mention",
        # Not a letter: a scheme may give letters to its labels and attributes.
        ("=",),
        lambda w: label_every_mention(w.editor),
        "The selected name's label and entry for its other mentions in this article",
    ),
    Act("actionNextSpan", "Next span", ("Tab",), lambda w: w.editor.select_next_span(1)),
    Act(
        "actionPreviousSpan",
        "Previous span",
        # Not "Backtab" as well: Shift+Tab matches both, and Qt then fires neither
        # ("Ambiguous shortcut overload").
        ("Shift+Tab",),
        lambda w: w.editor.select_next_span(-1),
    ),
    # Widen (+1) or narrow (-1) the selected span by a token; the arrow points where the
    # edge moves.
    Act("actionEndRight", "Extend end by a token", ("Shift+Right",), _edge("end", 1)),
    Act("actionEndLeft", "Shrink end by a token", ("Shift+Left",), _edge("end", -1)),
    Act("actionStartLeft", "Extend start by a token", ("Ctrl+Shift+Left",), _edge("start", 1)),
    Act("actionStartRight", "Shrink start by a token", ("Ctrl+Shift+Right",), _edge("start", -1)),
    Act(
        "actionExactBoundaries",
        "Exact character boundaries",
        ("Ctrl+E",),
        lambda w: w.editor.toggle_exact_boundaries(w.action_exact_boundaries.isChecked()),
    ),
    Act("actionClearSelection", "Clear selection", ("Esc",), _escape),
    Act("actionOpenProject", "Open project…", ("Ctrl+O",), _open_project),
    Act("actionImport", "Import files…", ("Ctrl+I",), _import),
    Act("actionImportFolder", "Import a folder…", (), lambda w: _import(w, folder=True)),
    Act("actionExport", "Export…", ("Ctrl+Shift+E",), _export),
    Act("actionReview", "Review disagreements…", ("Ctrl+R",), _review),
    Act("actionAgreement", "Agreement…", (), _agreement),
    Act(
        "actionSwitchAnnotator",
        "Switch annotator…",
        (),
        _switch_annotator,
        "Work under another name in this window",
    ),
    Act("actionGuidelines", "Guidelines", ("F1",), _guidelines),
    Act("actionAbout", "About", (), _about),
    Act("actionQuit", "Quit", ("Ctrl+Q",), lambda w: w.close()),
)

#: Menus in menu-bar order, each with its actions by name. Undo and redo come from the
#: window's edit history; ``menu:Label selection`` holds the label actions.
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "actionOpenProject",
            "actionImport",
            "actionImportFolder",
            "actionExport",
            "-",
            "actionSwitchAnnotator",
            "-",
            "actionQuit",
        ),
    ),
    (
        "&Edit",
        (
            "actionUndo",
            "actionRedo",
            "-",
            "menu:Label selection",
            "actionDeleteSpan",
            "actionEveryMention",
            "actionNextSpan",
            "actionPreviousSpan",
            "-",
            "actionEndRight",
            "actionEndLeft",
            "actionStartLeft",
            "actionStartRight",
            "actionExactBoundaries",
        ),
    ),
    (
        "&Article",
        ("actionDone", "actionSkip", "actionFlag", "-", "actionNext", "actionPrevious"),
    ),
    ("&Review", ("actionReview", "actionAgreement")),
    ("&Help", ("actionGuidelines", "actionAbout")),
)

TOOLBAR = (
    "actionPrevious",
    "actionNext",
    "-",
    "actionDone",
    "actionSkip",
    "actionFlag",
    "-",
    "actionUndo",
    "actionRedo",
)

#: Actions that are on/off switches.
CHECKABLE = ("actionExactBoundaries",)


def label_rows(labels: Sequence[Label]) -> list[Act]:
    """One action per label of the scheme: its key (1, 2, 3… unless the scheme sets one:
    ``core.labels.effective_keys``) labels the selection. Names are shown as written
    (``R&D`` is not a shortcut)."""
    keys = effective_keys(labels)
    rows = []
    for label in labels:
        key = keys[label.name]
        rows.append(
            Act(
                f"actionLabel_{label.name}",
                action_text(label.name),
                (key,) if key else (),
                lambda window, name=label.name: window.apply_label(name),
                label.description,
            )
        )
    return rows
