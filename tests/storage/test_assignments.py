"""A lead hands the articles out: each to one annotator, a share to two, new ones later
without moving the old; taking them back keeps the work."""

from __future__ import annotations

import pytest

from annotator.core import Article, Span
from annotator.storage import Store


def articles(store: Store, n: int, word: str = "Homs") -> list[int]:
    return store.add_articles([Article(f"Shelling number {k} near {word}.") for k in range(n)]).ids


def given(store: Store, *names: str) -> dict[str, list[int]]:
    return {name: store.assigned_articles(name) for name in names}


def test_each_article_goes_to_one_annotator_in_turn_and_a_share_to_two():
    store = Store()
    ids = articles(store, 10)
    assert store.assign(["ana", "ben"], overlap=0.2) == {"ana": 6, "ben": 6}
    mine = given(store, "ana", "ben")
    both = set(mine["ana"]) & set(mine["ben"])
    assert len(both) == 2  # 20 % of 10, spread: not the first two
    assert set(mine["ana"]) | set(mine["ben"]) == set(ids)
    assert max(both) - min(both) >= 4
    assert store.unassigned_articles() == []


def test_an_article_someone_has_worked_on_goes_to_them():
    """ben had finished #2; handed out to ben and carl, #2 went to carl, and ben's list and
    count left out his own finished work."""
    store = Store()
    ids = articles(store, 6)
    store.set_status(ids[1], "ben", "done")
    store.set_status(ids[2], "carl", "in_progress")
    store.set_status(ids[2], "ben", "done")  # both: who finished it
    store.set_status(ids[4], "dan", "done")  # not named: no say
    store.assign(["ben", "carl"])
    mine = given(store, "ben", "carl")
    assert ids[1] in mine["ben"] and ids[2] in mine["ben"]
    assert sorted(mine["ben"] + mine["carl"]) == ids
    # given to two, the one who worked on it is one of them
    store.unassign()
    store.set_status(ids[0], "carl", "done")
    store.assign(["ana", "ben", "carl"], overlap=1.0)
    mine = given(store, "ben", "carl")
    assert ids[0] in mine["carl"] and ids[1] in mine["ben"]

    # two named who worked on it are its two (dora's half-done copy went to carl)
    store = Store()
    ids = articles(store, 4)
    store.set_status(ids[0], "ben", "done")
    store.set_status(ids[0], "dora", "in_progress")
    store.set_status(ids[0], "carl", "skipped")  # (a skip does not outrank work half done)
    store.assign(["ben", "carl", "dora"], overlap=0.5)
    mine = given(store, "ben", "carl", "dora")
    assert ids[0] in mine["ben"] and ids[0] in mine["dora"] and ids[0] not in mine["carl"]


def test_articles_given_to_two_go_to_every_pair_of_annotators():
    """With four annotators the shared articles went to ann1+ann2 and ann3+ann4 only: four
    of the six pairs were never compared; and a later round gave every one to ann1+ann2."""
    from collections import Counter
    from itertools import combinations

    store = Store()
    articles(store, 100)
    names = ["ann1", "ann2", "ann3", "ann4"]
    store.assign(names, overlap=0.2)

    def pairs(*names):
        mine = given(store, *names)
        return Counter(
            frozenset(pair)
            for pair in combinations(names, 2)
            for _ in set(mine[pair[0]]) & set(mine[pair[1]])
        )

    first = pairs(*names)
    assert sum(first.values()) == 20 and len(first) == 6
    assert max(first.values()) - min(first.values()) <= 1
    loads = [len(ids) for ids in given(store, *names).values()]
    assert max(loads) - min(loads) <= 1
    store.unassign(["ann4"])
    articles(store, 90, "Aleppo")
    store.assign(names[:3], overlap=0.2)
    second = pairs(*names[:3]) - first
    assert len(second) == 3 and max(second.values()) - min(second.values()) <= 1


def test_new_articles_go_out_without_moving_the_old_and_to_the_least_loaded():
    store = Store()
    articles(store, 4)
    store.assign(["ana", "ben"])
    before = given(store, "ana", "ben")
    new = articles(store, 4, "Aleppo")
    assert store.assign(["ana", "ben", "cem"]) == {"ana": 1, "ben": 1, "cem": 2}
    after = given(store, "ana", "ben", "cem")
    assert all(set(before[name]) <= set(after[name]) for name in before)
    assert sorted(after["ana"][2:] + after["ben"][2:] + after["cem"]) == new
    assert store.assign(["ana"]) == {"ana": 0}  # nothing left to give


def test_done_counts_only_the_articles_given_and_taking_back_keeps_the_work():
    store = Store()
    ids = articles(store, 4)
    store.assign(["ana", "ben"])
    ana = store.assigned_articles("ana")
    store.add_span(ana[0], "ana", Span(0, 8, "FACTION"))
    store.set_status(ana[0], "ana", "done")
    store.set_status(store.assigned_articles("ben")[0], "ana", "done")  # not hers: not counted
    assert store.assignment_counts() == {
        "ana": {"articles": 2, "done": 1},
        "ben": {"articles": 2, "done": 0},
    }
    assert [r.id for r in store.article_list("ana", assigned_only=True)] == ana
    assert [r.id for r in store.article_list("ana", "done", assigned_only=True)] == ana[:1]
    assert len(store.article_list("ana")) == len(ids)
    assert store.unassign(["ana"]) == 2
    assert store.assigned_articles("ana") == [] and len(store.assigned_articles("ben")) == 2
    assert store.spans(ana[0], "ana") and store.status(ana[0], "ana").status == "done"
    assert store.unassign() == 2 and store.unassigned_articles() == ids


def test_a_removed_article_takes_its_assignment_with_it_and_gives_it_back():
    store = Store()
    ids = articles(store, 2)
    store.assign(["ana"])
    removed = store.remove_article(ids[0])
    assert store.assigned_articles("ana") == [ids[1]]
    store.restore_article(removed)
    assert store.assigned_articles("ana") == ids


def test_the_list_key_moves_when_articles_are_given():
    store = Store()
    articles(store, 2)
    key = store.article_list_key("ana")
    store.assign(["ben"])
    assert store.article_list_key("ana") == key  # another's assignment: her list is the same
    store.assign(["ana"], article_ids=store.assigned_articles("ben")[:1])
    assert store.article_list_key("ana") != key


@pytest.mark.parametrize(
    ("names", "overlap", "message"),
    [([], 0.0, "at least one"), (["ana"], 0.5, "two annotators"), (["ana"], 1.5, "share")],
)
def test_bad_requests_are_refused(names, overlap, message):
    store = Store()
    articles(store, 2)
    with pytest.raises(ValueError, match=message):
        store.assign(names, overlap=overlap)
    assert store.unassigned_articles() == store.article_ids()


def test_a_name_that_differs_in_case_is_the_one_the_project_knows():
    """ "Ben" was given the articles while ben worked: ben's window never saw them."""
    store = Store()
    ids = articles(store, 2)
    store.add_span(ids[0], "ben", Span(0, 8, "FACTION"))
    store.assign(["Ben"])
    assert store.assigned_articles("ben") == ids and store.assigned_articles("Ben") == []
    assert store.spelling("BEN") == "ben" and store.spelling("cem") == "cem"
    store.assign(["Dee"], article_ids=ids[:1])
    assert store.spelling("dee") == "Dee"  # a name given articles, before any work


def test_two_names_given_at_once_that_differ_in_case_are_one():
    store = Store()
    articles(store, 2)
    assert store.assign(["Carl", "carl"]) == {"Carl": 2}
