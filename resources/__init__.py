"""The program's data files, installed as the package ``annotator.resources`` (see pyproject.toml)."""
