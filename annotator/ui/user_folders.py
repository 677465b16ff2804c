"""The folders of the user's that the window writes to, free of Qt (the self-test checks
them without starting it): its data (the sample project) and its settings (Qt's QSettings
file, named by the organisation)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

ORGANIZATION = "annotator"


def data_folder() -> Path:
    return Path(user_data_dir("annotator", ORGANIZATION))


def sample_project_path() -> Path:
    """Where the window makes (and opens, with no project named) the sample project."""
    return data_folder() / "sample-project.db"


def settings_folder() -> Path:
    return Path(user_config_dir(ORGANIZATION))
