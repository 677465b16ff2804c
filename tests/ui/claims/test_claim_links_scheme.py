"""The links a span list and tags show follow the project's scheme: a relation type of the
user's is named as such (not "source"), and a label with attributes but no relation is
no claim missing its source."""

from __future__ import annotations

from annotator.core.model import Span
from annotator.core.relations import (
    DEFAULT_ATTRIBUTE_TYPES,
    DEFAULT_RELATION_TYPES,
    AttributeType,
    AttributeValue,
    Relation,
    RelationType,
)
from annotator.ui.claim_links import NO_SOURCE, ClaimLinks

TEXT = "Ahmed Hassan fired a Kalashnikov, the army said."
PERSON = Span(0, 12, "PERSON", id=1)
WEAPON = Span(21, 32, "WEAPON", id=2)
CLAIM = Span(0, 32, "CLAIM", id=3)
ARMY = Span(34, 42, "FACTION", id=4)
SPANS = {s.id: s for s in (PERSON, WEAPON, CLAIM, ARMY)}
USES = RelationType("uses", ("PERSON",), ("WEAPON",), key="U")
ROLE = AttributeType("role", "PERSON", "choice", ("civilian", "fighter"), "civilian")


def links(relations=(), values=()) -> ClaimLinks:
    return ClaimLinks(
        relations,
        values,
        [*DEFAULT_RELATION_TYPES, USES],
        [*DEFAULT_ATTRIBUTE_TYPES, ROLE],
    )


def test_a_relation_of_the_users_scheme_is_named_by_its_type():
    shown = links([Relation(1, 2, "uses"), Relation(3, 4, "source")])
    shown.number_claims(sorted(SPANS.values(), key=lambda s: (s.start, s.end)))
    assert shown.describe(PERSON, TEXT, SPANS) == "uses: Kalashnikov"
    assert shown.describe(WEAPON, TEXT, SPANS).startswith("uses of ")
    assert shown.describe(CLAIM, TEXT, SPANS) == "source: the army"
    assert shown.describe(ARMY, TEXT, SPANS).startswith("source of ")


def test_a_span_with_attributes_and_no_relation_type_is_no_claim_without_a_source():
    scheme = ClaimLinks((), (), DEFAULT_RELATION_TYPES, [*DEFAULT_ATTRIBUTE_TYPES, ROLE])
    assert scheme.describe(PERSON, TEXT, SPANS) == ""  # not "no source"
    assert scheme.claim_tag(PERSON, confirmed=True) is None  # no hollow "–" tag
    valued = ClaimLinks(
        (),
        [AttributeValue(1, "role", "fighter")],
        DEFAULT_RELATION_TYPES,
        [*DEFAULT_ATTRIBUTE_TYPES, ROLE],
    )
    assert valued.describe(PERSON, TEXT, SPANS) == "fighter"
    tag = valued.claim_tag(PERSON, confirmed=True)
    assert tag is not None and tag.text == "R" and tag.linked  # its mark alone, not hollow
    # A claim still waits for its source
    assert scheme.describe(CLAIM, TEXT, SPANS) == "no source"
    claim_tag = scheme.claim_tag(CLAIM, confirmed=True)
    assert claim_tag is not None and claim_tag.text == NO_SOURCE and not claim_tag.linked


def test_choosing_names_what_is_chosen_by_the_relation_type():
    from annotator.ui.claim_choosing import Choosing

    source = DEFAULT_RELATION_TYPES[0]
    assert Choosing(source, CLAIM, wants_child=True).what() == "source"
    assert Choosing(source, ARMY, wants_child=False).what() == "claim"
    assert Choosing(USES, PERSON, wants_child=True).what() == "uses"
    assert Choosing(USES, WEAPON, wants_child=False).what() == "person"


def test_the_keys_help_names_what_a_relation_starts_from():
    """The side panel said "U on a claim" for a relation from PERSON spans."""
    from annotator.ui.claim_actions import claim_rows

    rows, _ = claim_rows(links(), set())
    tips = {row.name: row.tip for row in rows}
    assert tips["actionRelation_uses"].startswith("With a person selected: click its uses")
    assert tips["actionRelation_source"].startswith("With a claim selected: click its source")
    assert tips["actionRemoveRelation_uses"] == "Remove the selected person's uses links"
