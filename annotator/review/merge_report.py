"""What ``annotator merge`` did (``MergeReport``), as the command line prints it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from annotator.core.text import counted


@dataclass
class MergeReport:
    """What ``merge_projects`` did, for the command line and the window."""

    out: Path
    inputs: list[Path]
    created: bool = False
    articles_added: int = 0
    articles_known: int = 0
    suggestions_added: int = 0
    suggestions_older: int = 0  # of pre-annotations older than OUT_DB's of their articles
    articles_by_annotator: Counter[str] = field(default_factory=Counter)  # work added
    spans_by_annotator: Counter[str] = field(default_factory=Counter)
    relations_by_annotator: Counter[str] = field(default_factory=Counter)
    unchanged_by_annotator: Counter[str] = field(default_factory=Counter)  # already there
    # Project actors (``project:`` ids) an input defines otherwise than the one merged first.
    actors_differing: set[str] = field(default_factory=set)
    # --newer: work that replaced an older version of it (OUT_DB's or another input's)
    replaced_by_annotator: Counter[str] = field(default_factory=Counter)
    older_by_annotator: Counter[str] = field(default_factory=Counter)  # left out by --newer
    events_added: int = 0
    label_notes: list[str] = field(default_factory=list)  # keys not taken along
    notes: list[str] = field(default_factory=list)  # other things said (the guidelines)
    itself_named: bool = False  # OUT was among the inputs: its own work is in it already
    #: (annotator, text hash) -> the longer reading time an input holds for work OUT_DB has
    longer: dict[tuple[str, str], float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The figures, as ``annotator merge --json`` prints them, with the summary's lines."""
        figures: dict[str, Any] = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "longer"
        }
        figures["out"] = str(self.out)
        figures["inputs"] = [str(path) for path in self.inputs]
        figures["actors_differing"] = sorted(self.actors_differing)
        figures["summary"] = self.summary_lines()
        return figures

    def summary_lines(self) -> list[str]:
        projects = "project" if len(self.inputs) == 1 else "projects"
        lines = [
            f"merged {len(self.inputs)} {projects} into {self.out}"
            + (" (new)" if self.created else "")
            + (
                "; it was named as an input too: its own work is in it already"
                if self.itself_named
                else ""
            ),
            f"articles: {self.articles_added:,} added, {self.articles_known:,} already there; "
            f"{self.suggestions_added:,} suggestions added"
            + (
                f" ({self.suggestions_older} left out: older than the project's own "
                "pre-annotation of their articles)"
                if self.suggestions_older
                else ""
            ),
        ]
        named = set(self.articles_by_annotator) | set(self.unchanged_by_annotator)
        for name in sorted(named | set(self.replaced_by_annotator) | set(self.older_by_annotator)):
            lines.append(
                f"{name}: work on {counted(self.articles_by_annotator[name], 'article')} added "
                f"({counted(self.spans_by_annotator[name], 'span')}, "
                f"{counted(self.relations_by_annotator[name], 'relation')})"
                + _skipped(self.unchanged_by_annotator[name])
                + _replaced(self.replaced_by_annotator[name])
                + _older(self.older_by_annotator[name])
            )
        if self.actors_differing:
            lines.append(
                "project actors defined differently in the inputs (the first one kept): "
                + ", ".join(sorted(self.actors_differing))
            )
        if self.longer:
            lines.append(
                f"reading time: {counted(len(self.longer), 'article')} read longer in the "
                "inputs than here, with the same work: the longer time kept"
            )
        lines += [f"labels: {note}" for note in self.label_notes]
        lines += self.notes
        lines.append(f"events: {self.events_added:,} added")
        return lines


def _replaced(count: int) -> str:
    """Work that replaced an older version of itself (``--newer``)."""
    return f"; {count} replaced older work" if count else ""


def _older(count: int) -> str:
    """Work left out because the same annotator's newer version came (``--newer``)."""
    return f"; {count:,} older version{'s' * (count != 1)} left out" if count else ""


def _skipped(count: int) -> str:
    """Work the output held already, word for word (merged before, or from another input)."""
    if not count:
        return ""
    return f"; {count:,} identical to work merged already, skipped"
