"""What a training from the window is asked: the choices a project remembers (whose work,
the base, training automatically), the worker's request made from them, and the count of
done articles that training automatically goes by. ``model_training.py`` uses them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import GOLD
from annotator.ui.model_runner import TrainingRequest

if TYPE_CHECKING:
    from annotator.storage import Store

#: Whose work to learn from: "" (as Export chooses), "gold", or "annotator:NAME".
SOURCE_SETTING = "model_train_source"
#: The base pipeline: "" for the worker's choice (the current model's base, else the default).
BASE_SETTING = "model_train_base"
#: Train automatically after this many newly done articles ("" or "0": never).
AUTO_SETTING = "model_auto_train_every"
#: The count of done articles when the last training started (or auto-training was turned on).
MARK_SETTING = "model_auto_train_mark"


def request_for(store: Store, source: str, base: str) -> TrainingRequest:
    """The worker's request from the remembered choices."""
    assert store.path is not None
    if source == GOLD:
        return TrainingRequest(store.path, gold=True, base=base or None)
    if source.startswith("annotator:"):
        return TrainingRequest(store.path, annotator=source[10:], base=base or None)
    return TrainingRequest(store.path, base=base or None)


def done_so_far(store: Store, source: str) -> int:
    """How many articles of the chosen work are done: what "newly done" counts from."""
    if source == GOLD:
        return store.done_count(GOLD)
    if source.startswith("annotator:"):
        return store.done_count(source[10:])
    return store.done_count()


#: Why the window does not train a read-only project.
READ_ONLY_NOTE = (
    "This project is read-only: a model trained on it could not be adopted. "
    "`annotator train DB --out DIR` trains one without adopting it."
)
