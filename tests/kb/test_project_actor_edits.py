"""A project's own actors changed and removed (``kb.actor_edits``, ``storage.project_actors``):
what the command line and Project → Actors… write."""

from __future__ import annotations

import pytest

from annotator.core import Article, Span
from annotator.kb.actor_edits import renamed, with_alias, without_alias
from annotator.kb.actors import ActorError
from annotator.kb.linking import project_kb
from annotator.storage.links import add_project_actor, project_actors, set_span_link
from annotator.storage.project_actors import (
    ActorChangedElsewhere,
    ActorInUse,
    actor_link_counts,
    remove_project_actor,
    restore_project_actor,
)

DATED = {
    "id": "project:valley",
    "name": "Valley Brigade",
    "kind": "armed group",
    "names": [
        {"names": ["Valley Brigade", "VB"], "from": "2014-01-01", "to": "2019-05-01"},
        {"names": ["Valley Front"], "from": "2019-05-01"},
    ],
}


def test_a_rename_keeps_the_periods_and_an_alias_goes_to_the_name_in_use():
    kb = project_kb([DATED])
    record = renamed(kb, DATED, "Valley Brigades")
    assert record["names"][0] == {
        "names": ["Valley Brigades", "VB"], "from": "2014-01-01", "to": "2019-05-01"
    }  # fmt: skip
    record = with_alias(kb, record, "The Valley Force")
    assert record["names"][1]["names"] == ["Valley Front", "Valley Force"]
    record = without_alias(record, "valley front")
    assert record["names"][1] == {"names": ["Valley Force"], "from": "2019-05-01"}
    with pytest.raises(ActorError, match="called Valley Brigade already"):
        renamed(kb, DATED, " Valley  Brigade ")


def test_a_removal_refused_then_forced_is_put_back_with_its_links(store):
    [article] = store.add_articles([Article("The Valley Brigade shelled the road.")]).ids
    add_project_actor(store, DATED, "ana")
    linked = store.add_span(article, "ana", Span(4, 18, "FACTION"))
    set_span_link(store, linked.id, "project:valley")
    relinked_since = store.add_span(article, "ben", Span(4, 18, "FACTION"))
    set_span_link(store, relinked_since.id, "project:valley")
    with pytest.raises(ActorInUse, match="2 spans linked to it") as refused:
        remove_project_actor(store, "project:valley", "ana")
    assert refused.value.spans == 2 and project_actors(store) == [DATED]
    removed = remove_project_actor(store, "project:valley", "ana", unlink=True)
    assert project_actors(store) == [] and actor_link_counts(store) == {}
    set_span_link(store, relinked_since.id, "wikidata:Q41053")  # linked elsewhere since
    assert restore_project_actor(store, removed, "ana") == 1  # that one stays so
    assert project_actors(store) == [DATED]
    assert actor_link_counts(store) == {"project:valley": 1}
    actions = [e["action"] for e in store.events() if "actor" in e["action"]]
    assert actions == ["add_actor", "remove_actor", "add_actor"]


def test_a_removal_is_not_undone_over_an_actor_of_its_id_added_since(store):
    add_project_actor(store, DATED, "ana")
    removed = remove_project_actor(store, "project:valley", "ana", unlink=True)
    again = {**DATED, "name": "Valley Front"}
    add_project_actor(store, again, "ben")  # another window made it anew meanwhile
    with pytest.raises(ActorChangedElsewhere, match="added again elsewhere"):
        restore_project_actor(store, removed, "ana")
    assert project_actors(store) == [again]
