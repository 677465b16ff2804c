"""The ids Label Studio tasks are written under, one task one id in a file: scripts join an
export to its tasks by id. A task imported from Label Studio keeps its own id where no other
task has it; the project's own articles are their article ids where no imported task has
that one. (A project holding an imported task "id": 1 and its own article 1 wrote both as
id 1.) The others get ids after every id in the project, in article order."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from annotator.core.text import counted
from annotator.storage import Store
from annotator.storage.import_records import imported_ids

TaskId = int | str


@dataclass
class TaskIds:
    """Hands out the id of each task written (one for every part of a split)."""

    #: The article whose imported id each imported id stays with: the first to have it.
    owners: dict[TaskId, int] = field(default_factory=dict)
    next_free: int = 1  # after every imported id and every article id

    @classmethod
    def of(cls, store: Store) -> TaskIds:
        owners: dict[TaskId, int] = {}
        for article_id, task_id in imported_ids(store, "labelstudio"):
            if _is_id(task_id):
                owners.setdefault(task_id, article_id)
        numbers = [n for n in owners if isinstance(n, int)]
        return cls(owners, max([*numbers, *store.article_ids()[-1:], 0]) + 1)

    def task_id(self, article_id: int, imported: Any) -> tuple[TaskId, str]:
        """The id to write the article's task under, given the id it was imported with (or
        None); and, for one written under a new id, why (``MOVED``)."""
        if _is_id(imported):
            if self.owners.get(imported, article_id) == article_id:
                return imported, ""
            moved = "imported"
        elif article_id not in self.owners:
            return article_id, ""
        else:
            moved = "own"
        self.next_free += 1
        return self.next_free - 1, moved


def moved_notes(moved: Counter[str]) -> list[str]:
    """What the report says of the tasks written under new ids, by why (``task_id``)."""
    notes = []
    if n := moved["own"]:
        notes.append(
            f"{counted(n, 'article')} of the project's own written under new task ids (after "
            "every id in the project): an imported Label Studio task has the id each would "
            "have had (its article id), and keeps it; ids in a file are unique"
        )
    if n := moved["imported"]:
        notes.append(
            f"{counted(n, 'imported Label Studio task')} written under new task ids (after "
            "every id in the project): a task imported before had the same id, and keeps it; "
            "ids in a file are unique"
        )
    return notes


def _is_id(value: Any) -> bool:
    """Whether a value a task was imported with is an id this export writes back."""
    return isinstance(value, int | str) and not isinstance(value, bool)
