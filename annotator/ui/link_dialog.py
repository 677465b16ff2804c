"""Choose what a span refers to: type-ahead over the gazetteer and the actor knowledge base.

The dialog opens on the span's own text: the linker's candidates first (for a name it found
ambiguous), then the entries whose name starts with the text. Typing (two characters or
more) searches by any name an entry has; ↑/↓ move through the candidates while the cursor
stays in the search box; Enter chooses; "No entry" clears the link; "Not in the gazetteer"
and, for a faction, "Generic (no one actor)" say why it has none; on a name the linker
found ambiguous (a suggestion or a name made by hand), "Ambiguous: leave it so" is picked;
Esc leaves it as it was. "New faction…" (Alt+N) adds an actor to the project's knowledge
base and chooses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.kb import AMBIGUOUS, GENERIC, UNKNOWN, Entry
from annotator.kb.actor_edits import not_countries, typed_countries, without_the
from annotator.kb.actors import KINDS
from annotator.kb.normalize import name_key
from annotator.ui.widgets import plain_label, plain_tip

#: Characters typed before the search runs (one letter matches half the world).
MIN_QUERY = 2
NO_ENTRY = ""  # what choosing "No entry" gives
#: What choosing "Not in the gazetteer" (the actors) gives: the annotator looked, and the
#: place or group is missing there. "No entry" showed "–", as a span nobody looked at.
NOT_LISTED = "?not-listed"
#: What choosing "Generic (no one actor)" gives: a FACTION such as "gunmen" names no one
#: group. Only the linker could say it, and Enter on "No entry" took it away.
GENERIC_ACTOR = "?generic"
#: What keeping "ambiguous" gives: listed only on a span the linker could not settle (a
#: suggestion, or a name made by hand it reads so), and picked there, so that Enter leaves
#: it so (Enter linked it to the first candidate, a town of another country).
STILL_AMBIGUOUS = "?ambiguous"
#: The verdict (a link status with no entry) each of those choices gives.
VERDICT_OF = {NOT_LISTED: UNKNOWN, GENERIC_ACTOR: GENERIC, STILL_AMBIGUOUS: AMBIGUOUS}
_LIMIT = 12


class LinkDialog(QDialog):
    """``chosen`` is the entry's id once accepted (``""``: no entry; a key of
    ``VERDICT_OF``: a verdict). ``current`` is what the span refers to now, in the same
    terms, picked when the dialog opens. ``search(query)`` gives entries for a query;
    ``initial`` are the candidates shown for the span's text. ``linkers_verdict`` is the
    linker's verdict on a span that has none yet (a name made by hand it finds ambiguous:
    ``STILL_AMBIGUOUS``), listed and picked when the dialog opens."""

    #: Asks for a new faction (the window adds it to the project and chooses it).
    newFactionRequested = Signal()  # noqa: N815 - Qt signal naming

    def __init__(
        self,
        parent: QWidget,
        span_text: str,
        label: str,
        current: str,
        search: Callable[[str], list[Entry]],
        initial: Sequence[Entry] = (),
        note: str = "",
        factions: bool = False,
        linkers_verdict: str = "",
    ):
        super().__init__(parent, objectName="linkDialog")
        self.setWindowTitle("What it refers to")
        self.search = search
        self.span_text = span_text
        self.initial = list(initial)
        self.current = current
        self.linkers_verdict = linkers_verdict
        #: What is picked when the dialog opens: what the span refers to now, else the
        #: linker's verdict ("": the best candidate).
        self.opening_pick = current or linkers_verdict
        self.chosen: str | None = None
        self.listed_in = "actors" if factions else "gazetteer"
        self.generic_offered = label == "FACTION"  # "rebels": no one actor; a place is one
        heading = plain_label(f"What does “{span_text}” ({label}) refer to?")
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: 600;")
        self.query = QLineEdit(span_text, objectName="linkSearch", accessibleName="Search entries")
        self.query.setPlaceholderText("Type a name (two letters or more)")
        self.query.selectAll()
        self.query.installEventFilter(self)
        self.candidates = QListWidget(objectName="linkCandidates", accessibleName="Entries")
        self.candidates.setAlternatingRowColors(True)
        self.candidates.itemActivated.connect(lambda _item: self.accept_current())
        self.status = plain_label(note, objectName="linkStatus")
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, light or dark
        buttons = QDialogButtonBox()
        self.new_faction = QPushButton("&New faction…", objectName="newFactionButton")
        self.new_faction.setAutoDefault(False)
        self.new_faction.clicked.connect(self.newFactionRequested.emit)
        buttons.addButton(self.new_faction, QDialogButtonBox.ButtonRole.ActionRole)
        self.new_faction.setVisible(factions)  # after addButton, which shows it
        choose = buttons.addButton("Choose", QDialogButtonBox.ButtonRole.AcceptRole)
        choose.clicked.connect(self.accept_current)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.query, self.candidates, self.status, buttons):
            layout.addWidget(widget)
        self.resize(520, 420)
        self.query.textChanged.connect(lambda _text: self.refresh(keep=False))
        self.refresh()

    def refresh(self, keep: bool = True) -> None:
        """List the candidates for what is typed now: the best first and current, or (with
        ``keep``) the one picked before, if it is still listed; on the span's own text, the
        pick the dialog opened with (``opening_pick``), typed again or not."""
        query = self.query.text().strip()
        # (the span's text in another case too: "gunmen" for "Gunmen" picked "No entry")
        own = " ".join(query.split()).casefold() == " ".join(self.span_text.split()).casefold()
        query_changed = not (len(query) < MIN_QUERY or own)
        if not query_changed:
            found = _unique([*self.initial, *(self.search(self.span_text) if query else [])])
        else:
            found = self.search(query)
        picked = self.candidates.currentItem()
        wanted: str | None = None  # (None: the first listed, the best for what is typed)
        if keep and picked is not None:
            wanted = picked.data(Qt.ItemDataRole.UserRole)
        elif not query_changed:
            # The span's own text again, the pick it opened with (Kassara retyped picked
            # Kassala, Sudan, over "Ambiguous", and Enter would have linked it); a span
            # that refers to nothing yet opens on its best candidate.
            wanted = self.opening_pick or None
        self.candidates.clear()
        shown = found[:_LIMIT]
        for entry in shown:
            mark = "✓ " if entry.kb_id == self.current else ""
            item = QListWidgetItem(f"{mark}{entry.label}\n    {entry.kind} · {entry.detail}")
            item.setData(Qt.ItemDataRole.UserRole, entry.kb_id)
            item.setToolTip(plain_tip(f"{entry.kb_id}\n{entry.detail}"))
            self.candidates.addItem(item)
        linked = self.current != NO_ENTRY and self.current not in VERDICT_OF
        if linked and not query_changed and all(e.kb_id != self.current for e in shown):
            # An entry not described now (the place index still being built): listed all
            # the same, and picked, so that Enter keeps it rather than clearing it.
            item = QListWidgetItem(f"✓ {self.current}\n    the entry it refers to now")
            item.setData(Qt.ItemDataRole.UserRole, self.current)
            self.candidates.addItem(item)
        if STILL_AMBIGUOUS in (self.current, self.linkers_verdict):
            mark = "✓ " if self.current == STILL_AMBIGUOUS else "? "
            still = QListWidgetItem(f"{mark}Ambiguous: leave it so (the linker could not tell)")
            still.setData(Qt.ItemDataRole.UserRole, STILL_AMBIGUOUS)
            self.candidates.addItem(still)
        none = QListWidgetItem("✗ No entry (refers to nothing)" if linked else "✗ No entry")
        none.setData(Qt.ItemDataRole.UserRole, NO_ENTRY)
        self.candidates.addItem(none)
        mark = "✓ " if self.current == NOT_LISTED else "? "
        missing = QListWidgetItem(f"{mark}Not in the {self.listed_in} (looked for, not there)")
        missing.setData(Qt.ItemDataRole.UserRole, NOT_LISTED)
        self.candidates.addItem(missing)
        if self.generic_offered or self.current == GENERIC_ACTOR:
            mark = "✓ " if self.current == GENERIC_ACTOR else ""  # (no question: "? …")
            generic = QListWidgetItem(f"{mark}Generic (no one actor: “gunmen”, “rebels”)")
            generic.setData(Qt.ItemDataRole.UserRole, GENERIC_ACTOR)
            self.candidates.addItem(generic)
        rows = [
            self.candidates.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.candidates.count())
        ]
        self.candidates.setCurrentRow(rows.index(wanted) if wanted in rows else 0)

    def set_note(self, note: str) -> None:
        self.status.setText(note)

    def accept_current(self) -> None:
        item = self.candidates.currentItem()
        if item is None:
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        self.accept()

    def choose(self, kb_id: str) -> None:
        """Accept ``kb_id`` (a new faction, made from here)."""
        self.chosen = kb_id
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # ↑/↓/PgUp/PgDown move through the list while the cursor stays in the search box;
        # Enter chooses.
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                self.candidates.keyPressEvent(
                    QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
                )
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept_current()
                return True
        return False


def _unique(entries: Sequence[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.kb_id, entry)
    return list(seen.values())


class NewFactionDialog(QDialog):
    """Name, kind, other names and countries of an actor the project adds; ``record()`` is
    its record for ``storage.links.add_project_actor``. Countries are given by name or
    code; one it does not know is refused in the form, not stored as written."""

    def __init__(
        self, parent: QWidget, name: str, taken: set[str], known: Mapping[str, str] | None = None
    ):
        super().__init__(parent, objectName="newFactionDialog")
        self.setWindowTitle("New faction")
        self.setMinimumWidth(460)  # the placeholders whole
        self.taken = taken
        self.known = known or {}  # name_key of every name of an entry -> the entry's label
        self._warned = ""  # the name said to be an entry already: OK again adds it anyway
        self.name = QLineEdit(name, objectName="factionName")
        self.kind = QComboBox(objectName="factionKind")
        self.kind.addItems(KINDS)
        self.aliases = QLineEdit(objectName="factionAliases")
        self.aliases.setPlaceholderText("Other names, separated by commas")
        self.countries = QLineEdit(objectName="factionCountries")
        self.countries.setPlaceholderText("Countries by name or code, e.g. Syria, IQ")
        self.problem = plain_label(objectName="factionProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.hide()
        form = QFormLayout(self)
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow("&Other names", self.aliases)
        form.addRow("&Countries", self.countries)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_sound)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept_if_sound(self) -> None:
        if not self.name.text().strip():
            self._refuse("Give the faction a name", self.name)
            return
        key = name_key(without_the(" ".join(self.name.text().split())))
        if key in self.known and self._warned != key:
            # A second entry of one name splits its links between two: say so once.
            self._warned = key
            self._refuse(
                f"{self.known[key]} has this name already: Cancel and choose it in the list, "
                "or OK again to add another faction of that name",
                self.name,
            )
            return
        unknown = [
            text for text, code in typed_countries(self.countries.text()).items() if not code
        ]
        if unknown:
            refusal = not_countries(unknown)
            self._refuse(refusal[:1].upper() + refusal[1:], self.countries)
            return
        self.accept()

    def _refuse(self, problem: str, field: QLineEdit) -> None:
        self.problem.setText(problem)
        self.problem.show()
        self.adjustSize()  # the form grows to the message: it was cut at the bottom
        field.setFocus()

    @property
    def warned_of(self) -> str:
        """The name said to be an entry already (else ""): Cancel goes to look for it."""
        return without_the(" ".join(self.name.text().split())) if self._warned else ""

    def record(self) -> dict[str, Any]:
        name = " ".join(self.name.text().split())
        aliases = [a.strip() for a in self.aliases.text().split(",") if a.strip()]
        names = list(dict.fromkeys([name, *aliases]))
        typed = typed_countries(self.countries.text())
        countries = list(dict.fromkeys(code for code in typed.values() if code))
        record: dict[str, Any] = {
            "id": unique_id(name, self.taken),
            "name": name,
            "kind": self.kind.currentText(),
            # "The Tripoli Protection Force" is found as "Tripoli Pro…", as names are matched
            "names": [{"names": list(dict.fromkeys(without_the(n) for n in names))}],
        }
        if countries:
            record["countries"] = countries
        return record


def unique_id(name: str, taken: set[str]) -> str:
    """``project:<slug of the name>``, numbered if the project has it already."""
    slug = re.sub(r"[^\w]+", "-", name.casefold()).strip("-") or "actor"
    kb_id, n = f"project:{slug}", 1
    while kb_id in taken:
        n += 1
        kb_id = f"project:{slug}-{n}"
    return kb_id
