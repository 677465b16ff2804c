"""Who claims what in a ``.spacy`` file: where relations and attribute values are, and the
small loader that makes them readable as spaCy extensions.

spaCy has no place of its own for relations between spans or for span attributes, so a DocBin
export keeps them in each ``Doc``'s ``user_data``, under the keys spaCy gives two ``Doc``
extensions, ``annotator_relations`` and ``annotator_attributes`` (``DocBin.get_docs``
restores ``user_data`` whatever its ``store_user_data``):

- ``annotator_relations``: ``(head_start, head_end, head_label, child_start, child_end,
  child_label, relation)`` per relation, in tokens (``doc[head_start:head_end]`` is the head,
  end exclusive, as a ``Span``'s ``start`` and ``end``): the claim, its source, ``source``;
- ``annotator_attributes``: ``(start, end, label, name, value)`` per attribute value, every
  attribute of every span whose label has attributes (the default where none was set).

Both spans are in ``doc.spans["sc"]`` with those tokens and labels. After
``register_claim_extensions()``, ``doc._.relations`` gives ``(head, child, label)`` with the
spans of ``doc.spans["sc"]`` and ``span._.attributes`` a span's ``{name: value}``. The README
shows the same loader in a dozen lines for a project without this package.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

RELATIONS = "annotator_relations"
ATTRIBUTES = "annotator_attributes"
#: Where spaCy keeps a ``Doc`` extension's value in ``doc.user_data``.
RELATIONS_KEY = ("._.", RELATIONS, None, None)
ATTRIBUTES_KEY = ("._.", ATTRIBUTES, None, None)


def register_claim_extensions() -> None:
    """``Doc._.annotator_relations`` and ``Doc._.annotator_attributes`` (the stored rows),
    ``Doc._.relations`` (``(head, child, label)`` with spans of ``doc.spans["sc"]``) and
    ``Span._.attributes`` (``{name: value}``). Replaces extensions of those names."""
    Doc.set_extension(RELATIONS, default=(), force=True)
    Doc.set_extension(ATTRIBUTES, default=(), force=True)
    Doc.set_extension("relations", getter=doc_relations, force=True)
    Span.set_extension("attributes", getter=span_attributes, force=True)


def doc_relations(doc: Doc) -> list[tuple[Span, Span, str]]:
    """The doc's relations, each end a span of ``doc.spans["sc"]`` where it is there."""
    spans = {(s.start, s.end, s.label_): s for s in doc.spans.get("sc", [])}

    def span(start: int, end: int, label: str) -> Span:
        return spans.get((start, end, label)) or Span(doc, start, end, label=label)

    return [
        (span(hs, he, hl), span(cs, ce, cl), label)
        for hs, he, hl, cs, ce, cl, label in doc.user_data.get(RELATIONS_KEY, ())
    ]


def span_attributes(span: Span) -> dict[str, str]:
    """A span's attribute values (every attribute of its label)."""
    key = (span.start, span.end, span.label_)
    return {
        name: value
        for start, end, label, name, value in span.doc.user_data.get(ATTRIBUTES_KEY, ())
        if (start, end, label) == key
    }


def store_claims(doc: Doc, relations: list[Any], attributes: list[Any]) -> None:
    """Put rows (see the module docstring) where the loader finds them; nothing if none."""
    if relations:
        doc.user_data[RELATIONS_KEY] = relations
    if attributes:
        doc.user_data[ATTRIBUTES_KEY] = attributes
