"""The merge of learned and rule spans: a label kept on the rules keeps the rules' spans."""

from __future__ import annotations

from annotator.nlp.learned import merge

# "Saudi Arabia's Civil Defense Authority said": the rules' place, a learned organisation.
PLACE = (0, 2, "LOCATION")
ORGANISATION = (0, 6, "FACTION")
OTHER_PLACE = (8, 9, "LOCATION")


def test_a_label_on_the_rules_keeps_its_spans_under_a_learned_one():
    plan = {"LOCATION": ["rules"], "FACTION": ["learned", "rules"]}
    assert merge(plan, learned=[ORGANISATION], rules=[PLACE, OTHER_PLACE]) == [
        PLACE,
        OTHER_PLACE,
    ]


def test_learned_first_labels_keep_faction_before_location():
    plan = {"LOCATION": ["learned", "rules"], "FACTION": ["learned", "rules"]}
    learned = [ORGANISATION, PLACE]
    assert merge(plan, learned=learned, rules=[OTHER_PLACE]) == [ORGANISATION, OTHER_PLACE]


def test_a_second_source_only_fills_gaps():
    plan = {"LOCATION": ["rules", "learned"], "FACTION": ["rules"]}
    assert merge(plan, learned=[(1, 3, "LOCATION"), (4, 5, "LOCATION")], rules=[PLACE]) == [
        PLACE,
        (4, 5, "LOCATION"),
    ]
