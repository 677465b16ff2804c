"""File → Export…: the dialog (the same choices as ``annotator export``), the export in the
background, and its report in the window's words.

The exporter's messages advise the command line (``--annotator NAME``); the window says
which of its own choices to make instead (``in_window_words``). The dialog opens with the
choices of the last export of this window, so a refused export is tried again with one
change, not typed afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD
from annotator.ui.file_dialogs import save_file_name
from annotator.ui.preferences import export_folder
from annotator.ui.tasks import run_in_background
from annotator.ui.widgets import message_box, open_over, said_in_window

if TYPE_CHECKING:
    from annotator.formats.export_choice import ExportPreview
    from annotator.ui.main_window import MainWindow

#: The exporter's advice for the command line, and the same advice in the dialog's terms.
WINDOW_WORDS = (
    (
        "export one annotator with --annotator NAME, adjudicate them and export --gold, or "
        "leave them out with --skip-unsettled",
        "choose one annotator under Annotations, settle their disagreements (Review → Review "
        "disagreements) and export the gold version, or tick Leave out articles nobody settled",
    ),
    ("or export one annotator with --annotator NAME", "or choose one annotator under Annotations"),
    (
        "--status NAME picks another status, --status all every article",
        "choose another status, or all, under Articles",
    ),
    ("or use --split to write train/dev/test files into it", "or tick Split to write "
     "train/dev/test files into it"),
    ("with --split, OUT is a folder", "with Split ticked, Write to is a folder"),
    ("(--status done leaves them out)", "(Articles: done leaves them out)"),
    ("--split ", "split "),
    ("(--format chooses another format)", "(Format chooses another)"),
)  # fmt: skip


def _advice_in_window_words() -> tuple[tuple[str, str], ...]:
    """The command line's ways with labels and with whose versions a file holds, said as
    the window's ("`annotator labels DB adopt` adds them" was said in the window)."""
    from annotator.formats.export_notes import ADOPT_LABELS, RENAME_LABELS, WHOSE_ON_IMPORT
    from annotator.formats.labelstudio_export import RENAME_ATTRIBUTES

    return (
        (ADOPT_LABELS, "Project → Labels… adopts them into the scheme, or merges them into "
         "one of its labels"),
        (RENAME_LABELS, "Project → Labels…"),
        (RENAME_ATTRIBUTES, "Project → Labels…, Relations and attributes"),
        (WHOSE_ON_IMPORT, "imported back with File → Import files…, they are the annotator "
         "imported's (the window imports them under no other name; the command line's "
         f"`annotator import --annotator NAME` says whose, `--annotator {GOLD}` the review's)"),
    )  # fmt: skip


STATUSES = ("done", "all", "in_progress", "todo", "skipped", "flagged")


def in_window_words(message: str) -> str:
    """``message`` with its command-line advice said as the Export dialog's choices."""
    return said_in_window(message, (*WINDOW_WORDS, *_advice_in_window_words()))


@dataclass(frozen=True)
class ExportOptions:
    """What the Export dialog asks; the same choices as ``annotator export``."""

    out: Path
    format_name: str = "jsonl"
    annotator: str | None = None  # None: gold where adjudicated, else whoever finished it
    gold: bool = False
    status: str = "done"
    split: tuple[float, ...] | None = None
    skip_unsettled: bool = False  # articles several annotators did, no gold: left out
    #: The project it was chosen for: its ``out`` is offered again for that project only
    #: (the next project's export went over the last one's dataset, unasked).
    project: Path | None = None


class ExportDialog(QDialog):
    """Choose format, whose annotations, which articles, split and destination; the
    choices of ``last`` (the window's last export), if given."""

    def __init__(self, window: MainWindow, last: ExportOptions | None = None):
        super().__init__(window, objectName="exportDialog")
        from annotator.formats import export_formats

        self.chosen: ExportOptions | None = None  # what Export was pressed with

        self.setWindowTitle("Export a dataset")
        self.format_box = QComboBox(objectName="exportFormat")
        for fmt in export_formats():
            self.format_box.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        self.who_box = QComboBox(objectName="exportWho")
        self.who_box.addItem("Gold where adjudicated, else whoever finished it", None)
        self.who_box.addItem("Gold (adjudicated) only", GOLD)
        for name in window.store.annotators():
            self.who_box.addItem(f"Annotator: {name}", name)
        self.status_box = QComboBox(objectName="exportStatus")
        for status in STATUSES:
            self.status_box.addItem(status.replace("_", " "), status)
        self.unsettled_check = QCheckBox(
            "Leave out articles nobody settled (several annotators' versions, no gold)",
            objectName="exportSkipUnsettled",
        )
        self.split_check = QCheckBox("Split into train / dev / test:", objectName="exportSplit")
        self.split_text = QLineEdit(
            "0.8,0.1,0.1", objectName="exportSplitShares", accessibleName="Train, dev, test shares"
        )
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_check)
        split_row.addWidget(self.split_text)
        self.folder = export_folder(window.store.path)  # Preferences
        self.store = window.store
        self.project = window.store.path
        # Named after the project: two projects in one folder wrote one dataset.jsonl.
        stem = self.project.stem if self.project is not None else ""
        default_out = self.folder / (f"{stem}-dataset.jsonl" if stem else "dataset.jsonl")
        self._confirmed = ""  # a file the Browse dialog already asked to replace
        self.out_text = QLineEdit(
            str(default_out), objectName="exportOut", accessibleName="Export to"
        )
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_text)
        out_row.addWidget(browse)
        # JSON Lines first: the format most tools read, and the one the path starts with.
        self.format_box.setCurrentIndex(max(self.format_box.findData("jsonl"), 0))
        self._suffix_follows_format()
        if last is not None:
            self._choose(last)
        self.format_box.currentIndexChanged.connect(self._suffix_follows_format)
        self.split_check.toggled.connect(self._suffix_follows_format)

        form = QFormLayout(self)
        form.addRow("Format", self.format_box)
        form.addRow("Annotations", self.who_box)
        form.addRow("Articles", self.status_box)
        form.addRow("", self.unsettled_check)
        form.addRow(split_row)
        form.addRow("Write to", out_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose(self, last: ExportOptions) -> None:
        """The choices of the last export (an annotator no longer there: the default)."""
        who = GOLD if last.gold else last.annotator
        for box, value in (
            (self.format_box, last.format_name),
            (self.who_box, who),
            (self.status_box, last.status),
        ):
            found = box.findData(value)
            if found >= 0:
                box.setCurrentIndex(found)
        self.unsettled_check.setChecked(last.skip_unsettled)
        if last.split is not None:
            self.split_check.setChecked(True)
            self.split_text.setText(",".join(f"{share:g}" for share in last.split))
        if last.project == self.project:
            self.out_text.setText(str(last.out))

    def _suffix_follows_format(self) -> None:
        from annotator.formats import export_formats, get_format

        fmt = get_format(self.format_box.currentData())
        out = Path(self.out_text.text())
        known = {suffix for f in export_formats() for suffix in f.suffixes}
        stem = out.with_suffix("") if out.suffix.lower() in known else out
        if fmt.folder or self.split_check.isChecked():
            self.out_text.setText(str(stem))
        elif fmt.suffix:
            self.out_text.setText(str(stem.with_name(stem.name + fmt.suffix)))

    def _browse(self) -> None:
        name = save_file_name(self, "Export to", self.out_text.text())
        if name:
            self.out_text.setText(name)
            self._confirmed = name

    def accept(self) -> None:
        """Export, unless a choice is wrong (a split that does not add up, gold of a project
        with none): then say so and stay open with every choice as it is. Closed, the dialog
        lost them all."""
        try:
            self.chosen = self.options()
        except AnnotatorError as error:
            self._refuse(str(error), self.split_text)
            return
        from annotator.formats import get_format
        from annotator.formats.export_choice import check_annotator
        from annotator.formats.export_files import export_targets, refuse_the_project

        out = self.chosen.out
        # Refused before asking to replace it, not after the user agreed: a folder given for
        # a file, the project's own file; a folder not empty, unless nothing would be
        # written into it.
        chosen = self.chosen
        try:
            targets = export_targets(
                out,
                get_format(chosen.format_name),
                chosen.split,
                lambda: self._preview(chosen, count=True).articles > 0,
            )
            refuse_the_project(list(targets.values()), self.project)
        except AnnotatorError as error:
            self._refuse(str(error), self.out_text)
            return
        # Gold asked of a project with none: said here (the dialog closed, then the refusal
        # came over the main window).
        try:
            check_annotator(self.store, GOLD if self.chosen.gold else self.chosen.annotator)
        except AnnotatorError as error:
            self._refuse(str(error), self.who_box)
            return
        # (a folder is written into, never replaced: a split's, or an empty one for brat)
        replaced = out.exists() and not out.is_dir()
        asking = replaced and str(out) != self._confirmed
        preview = self._preview(self.chosen, count=asking)
        if preview.rivals.count:
            # Said here, with every choice kept: the refusal came after the user had agreed
            # to replace the file, in a report once the dialog had closed.
            self._refuse(preview.rivals.message(), self.unsettled_check)
            return
        # Nothing to write, nothing asked: the report says why, and that the file there is
        # left as it was (asked "Replace it?", the user agreed, and nothing was written).
        if asking and preview.articles and not self._may_replace(out):
            self.chosen = None
            return
        super().accept()

    def _refuse(self, message: str, choice: QWidget) -> None:
        """Say why the export is refused, in the window's words, over the dialog, which
        stays open with every choice; ``choice``, the one to change, takes the focus."""
        self.chosen = None
        message_box(self, QMessageBox.Icon.Warning, "Export", in_window_words(message)).open()
        choice.setFocus()

    def _preview(self, chosen: ExportOptions, count: bool) -> ExportPreview:
        from annotator.formats.export_choice import preview_export
        from annotator.formats.export_report import DEFAULT_STATUS

        who = GOLD if chosen.gold else chosen.annotator
        wanted = chosen.status or DEFAULT_STATUS
        return preview_export(
            self.store, who, wanted, chosen.skip_unsettled, count, chosen.format_name
        )

    def _may_replace(self, out: Path) -> bool:
        """Whether to write over a dataset that is there (typed, not browsed to)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Export",
            f"{out} already exists. Replace it with this export?",
            parent=self,
        )
        box.setObjectName("exportReplaceQuestion")
        replace = box.addButton("Replace the file", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is replace

    def options(self) -> ExportOptions:
        from annotator.formats.exporter import parse_split

        who = self.who_box.currentData()
        return ExportOptions(
            # A bare name goes in the folder the field showed, not the program's working
            # folder (wherever the window was started from: unseen).
            out=self.folder / Path(self.out_text.text()).expanduser(),
            format_name=self.format_box.currentData(),
            annotator=None if who in (None, GOLD) else who,
            gold=who == GOLD,
            status=self.status_box.currentData(),
            split=parse_split(self.split_text.text()) if self.split_check.isChecked() else None,
            skip_unsettled=self.unsettled_check.isChecked(),
            project=self.project,
        )


def run_export(window: MainWindow):
    """File → Export…: ask, then export in the background and show the report."""
    dialog = ExportDialog(window, window.last_export_options)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
        return None
    return start_export(window, dialog.chosen)


def start_export(window: MainWindow, options: ExportOptions):
    """Export in the background; the report opens in a (non-blocking) message box."""
    window.last_export_options = replace(options, project=window.store.path)

    def work(store, progress):
        from annotator.formats.export_choice import ExportError
        from annotator.formats.exporter import export_project

        try:
            return export_project(
                store,
                options.out,
                options.format_name,
                annotator=options.annotator,
                gold=options.gold,
                status=options.status,
                split=options.split,
                progress=progress,
                skip_unsettled=options.skip_unsettled,
            )
        except ExportError as error:  # said in the dialog's terms, not the command line's
            raise ExportError(in_window_words(str(error))) from None

    def done(report) -> None:
        window.last_export_report = report
        lines = [in_window_words(line) for line in report.summary_lines()]
        # What was left out or not written shows without Show Details (CoNLL's 71 claims not
        # written were under it, below notes on the files).
        brief = [in_window_words(line) for line in report.summary_lines(brief=True)]
        window.statusBar().showMessage(lines[0], 10_000)
        nothing = not report.written
        report_box = message_box(
            window,
            QMessageBox.Icon.Warning if nothing else QMessageBox.Icon.Information,
            "Nothing exported" if nothing else "Export finished",
            lines[0],
            informative="\n".join(brief[1:]),
            detailed="\n".join(lines),
            name="exportReport",
        )
        open_over(window, report_box)

    return run_in_background(window, "Exporting", window.store, work, done)
