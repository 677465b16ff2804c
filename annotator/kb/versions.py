"""Which data a link was made against: stamped in export reports, so a dataset says which
gazetteer and which actor knowledge base its ``kb_id`` values come from."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.core.resources import resource_text
from annotator.kb.actors import ACTORS, shipped_actors


def actors_version() -> str:
    """The shipped actor knowledge base: its size and the start of its content's hash."""
    digest = hashlib.sha256(resource_text(*ACTORS).encode("utf-8")).hexdigest()[:10]
    return f"actors.jsonl {len(shipped_actors().actors)} actors, sha256 {digest}"


def kb_versions(project_actors: Sequence[Mapping[str, Any]] = ()) -> dict[str, str]:
    """``{"gazetteer": ..., "actors": ...}``: the versions of the data links refer to (the
    gazetteer's is its index name, known without building the index)."""
    from annotator.kb.geonames import data_version

    actors = actors_version()
    if project_actors:
        actors += f", and {len(project_actors)} of the project's own (project: ids)"
    return {"gazetteer": f"GeoNames index {data_version()}", "actors": actors}
