"""What the annotation window works on: a project, as one annotator.

Switching either (``MainWindow.set_store``, ``MainWindow.switch_annotator``) starts the
window over (``start_over``): the old project's edits can no longer be undone from it, the
review window on the old project closes, and the annotator's last article opens.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from annotator.core.errors import AnnotatorError
from annotator.core.model import annotator_name
from annotator.storage import Store
from annotator.storage.read_only import wal_holds_changes
from annotator.storage.rescue import rescued_note
from annotator.storage.shared_drives import shared_drive_note
from annotator.ui.frame import WindowFrame
from annotator.ui.widgets import plain_tip

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def start_over(window: MainWindow, store: Store, annotator: str) -> None:
    """Show ``store`` as ``annotator`` in ``window``."""
    window.clock.save_now()
    window._remember_article()
    if store is not window.store:
        for other in window.findChildren(WindowFrame):  # the review, on the old project
            other.close()
            # Gone, not kept for Ctrl+R: shown again, it was on the closed project.
            other.setParent(None)
            other.deleteLater()
        window.store.close()
    left = window.store
    if left is not store:
        window.articles.clear_filters()
    work_on(window, store, annotator)
    window.message_bar.hide()  # the old project's troubles are not this one's
    window.statusBar().clearMessage()  # nor its "no articles yet", which stayed for good
    if left is not store and left.rescued is not None and left.path is not None:
        window.show_problem(rescued_note(left.path, left.rescued))  # but where its work went
    window.history.clear()
    # Seconds the old project refused are its articles' (by id): saved into this one, they
    # went to other articles, or failed on every tick where it has no such article.
    window.unsaved_seconds.clear()
    window.watcher.reset()
    window.source.stop()
    window.source.forget()
    window.current = None
    window.clock.stop_article()
    window.setWindowTitle(window_title(window))
    window.reload_labels()
    window.refresh_article_list()
    say_about_the_project_file(window)
    last = window.store.setting(f"last_article:{window.annotator}")
    first = window.articles.first_to_open(last)
    if first is not None:
        window.open_article(first)
    else:
        show_no_article(window)


def show_no_article(window: MainWindow) -> None:
    """A project without articles: nothing of another project's article stays on screen
    (its text, heading and 46 spans stayed under the new project's title)."""
    window.view.show_article("", [], False)
    window.centre.set_heading(None)
    window.editor.refresh_span_list()
    window.comments.show_article("")
    window.model_label.setText("")
    window.entity_links.places.refresh()
    if window.message_bar.isHidden():  # (not when the list could not be read)
        window.statusBar().showMessage("This project has no articles yet: File → Import…")


def tell_the_followers(window: MainWindow) -> None:
    """The window wrote: a review window open beside it, on the same connection, would
    not notice (a done article did not join its list), nor would the Labels dialog (its
    span counts stayed at 0 while suggestions were accepted)."""
    for other in window.findChildren(WindowFrame):
        follower = getattr(other, "follower", None)
        if follower is not None:
            follower.own_edit()
    if window.labels_dialog is not None:
        window.labels_dialog.window_edited()


def switch_annotator(window: MainWindow, name: str) -> bool:
    """``MainWindow.switch_annotator``: False, with a message, for a name refused."""
    try:
        name = annotator_name(name)
    except AnnotatorError as refusal:
        window.show_problem(f"Not switched: {refusal}; still working as {window.annotator}.")
        return False
    said = f"Working as {name}"
    # "Ben" beside "ben": 0 of 153 done, where ben had 24, and a pair "Ben / ben" in the
    # agreement; a name that differs in case only is the one the project knows.
    if (known := window.store.spelling(name)) != name:
        name, said = known, f"Working as {known} (the project's spelling of {name!r})"
    if name != window.annotator:
        start_over(window, window.store, name)
        window.statusBar().showMessage(said, 5000)
    return True


def window_title(window: MainWindow) -> str:
    store = window.store
    name = store.path.name if store.path else "in-memory project"
    if store.read_only and store.rescued is not None:  # (``Store.rescue_now``: the copy)
        name = store.rescued.name
    if store.read_only:
        name += " (read-only)"
    return f"{name} — {window.annotator} — Conflict news annotator"


def say_about_the_project_file(window: MainWindow) -> None:
    """Why no edit will be saved; else, for a project on a network drive or in a synced
    folder, that another computer must not have it open at once."""
    store = window.store
    note = shared_drive_note(store.path) if store.path is not None else ""
    # ("s.db is on a network drive (nfs)": the note's first sentence, kept in the status bar)
    window.drive_label.setText(note.split(". ", 1)[0])
    window.drive_label.setToolTip(plain_tip(note))
    window.drive_label.setVisible(bool(note) and not store.read_only)
    if not store.read_only:
        if note:  # (the yellow bar; the status bar has it already, the line above)
            window.message_bar.show_message(note)
        return
    copy = "copy it"
    if store.path is not None and wal_holds_changes(store.path):
        copy = f"copy it together with {store.path.name}-wal (it holds the latest edits)"
    window.show_problem(
        f"{store.path} is read-only ({store.read_only_reason}): you can read, search and "
        f"export it, but no edit will be saved. To annotate, {copy} to a folder you can "
        "write to."
    )


def show_rescued(window: MainWindow) -> None:
    """The project file went from its path while open, and the work was copied aside
    (``Store.rescue_now``): say where, and show the copy, read-only."""
    store = window.store
    if store.path is None or store.rescued is None:
        return
    if not store.read_only:  # no copy could be made (a full disk): the -wal set aside
        window.show_problem(f"{rescued_note(store.path, store.rescued)}; nothing more is saved")
        return
    window.show_problem(
        f"{rescued_note(store.path, store.rescued)}. The window shows that copy now, "
        "read-only: open it with File → Open project to go on working in it."
    )
    window.setWindowTitle(window_title(window))
    window.history.clear()  # (its steps were written to the file gone: the copy refuses them)
    window.reload_from_store()


#: The project the window showed last, opened by ``annotator`` with no project named.
LAST_PROJECT = "project/last"


def work_on(window: MainWindow, store: Store, annotator: str) -> None:
    """The window's project and annotator, from the start (``MainWindow``) or a switch."""
    window.store = store
    window.annotator = annotator
    store.reviewer = annotator  # gold edited in this window's review is theirs
    remember_project(store)


def remember_project(store: Store) -> None:
    """The project shown, opened again by ``annotator`` with no project named (it opened
    the sample every time, and a menu entry could never bring back the real work)."""
    if store.path is not None:
        QSettings().setValue(LAST_PROJECT, path_setting(store.path.resolve()))


def path_setting(path: Path) -> str:
    """A path as a setting: its text, or, for a name of bytes that are no UTF-8, "fs:" and
    its bytes in hexadecimal (the setting kept U+FFFD for them: never opened again)."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "fs:" + os.fsencode(path).hex()
    return text


def path_of_setting(value: str) -> Path:
    """``path_setting`` read back."""
    if value.startswith("fs:"):
        return Path(os.fsdecode(bytes.fromhex(value[3:])))
    return Path(value)
