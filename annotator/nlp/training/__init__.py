"""Training a project model from the project's finished work. No Qt.

- ``train_project(store, ...)``: train, score on the held-out part, save, adopt (``run.py``);
- ``adopt_model(store, model_dir)``, ``current_model(store)``, ``list_models(store)``,
  ``remove_model(store, version)`` (``registry.py``; a model folder written whole or not at
  all: ``model_folders.py``);
- ``python -m annotator.nlp.training.worker DB ...``: the same in a process of its own,
  reporting progress as JSON lines, for the window (``worker.py``).
"""

from annotator.nlp.training.data import MIN_HELD_OUT, MIN_TRAIN, TrainingDataError
from annotator.nlp.training.model_folders import ModelError
from annotator.nlp.training.registry import (
    ModelInfo,
    adopt_model,
    current_model,
    list_models,
    remove_model,
    remove_models,
)
from annotator.nlp.training.run import TrainingReport, train_project

__all__ = [
    "MIN_HELD_OUT",
    "MIN_TRAIN",
    "ModelError",
    "ModelInfo",
    "TrainingDataError",
    "TrainingReport",
    "adopt_model",
    "current_model",
    "list_models",
    "remove_model",
    "remove_models",
    "train_project",
]
