"""WebAnno TSV 3's header, columns and escaping: what each column of a token row holds.

The header declares the layers, a line each, ``#T_SP=`` span layers, ``#T_CH=`` chains,
``#T_RL=`` relations, each the layer's type name and then its features, ``|`` between them;
every feature is a column of the rows, in that order (a layer with no feature has one column
all the same, marking where its spans are). A span layer's slot feature is two columns (its
``ROLE_`` one and the target type's); a relation layer's last column (``BT_``) names the token
its relation comes from; a chain's two, ``referenceType`` and ``referenceRelation``.

Which span layers are the program's labels: the named entities (DKPro Core's
``NamedEntity``, INCEpTION's built-in layer) and the project's own layers (``webanno.custom.
Claim``), by their ``value`` feature, else their only feature, else (a layer of no feature)
the layer's own name; DKPro Core's other built-in layers (part of speech, lemmas...) are not
labels, and neither is a layer of several features none of which is named ``value``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SPAN, CHAIN, RELATION = "span", "chain", "relation"
_PREFIXES = {"#T_SP=": SPAN, "#T_CH=": CHAIN, "#T_RL=": RELATION}
#: The first line: ``#FORMAT=WebAnno TSV 3.3`` (the version is major.minor; WebAnno 2's
#: wrote ``2``, no minor).
FORMAT_LINE = re.compile(r"#FORMAT=WebAnno TSV (\d+)(?:\.(\d+))?\s*")
#: DKPro Core's types: the built-in layers. Of them, only named entities are labels.
_BUILT_IN = "de.tudarmstadt.ukp.dkpro.core."
_NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"

#: Kinds of column: a feature's value, a layer's feature-less marker, a slot's role and
#: its target, a relation's source token (``BT_``).
FEATURE, MARKER, ROLE, TARGET, SOURCE = "feature", "marker", "role", "target", "source"


@dataclass
class Layer:
    """One layer the header declares, and how it becomes labels."""

    kind: str  # SPAN, CHAIN or RELATION
    type_name: str
    features: list[str] = field(default_factory=list)  # its plain features, in order

    @property
    def short_name(self) -> str:
        return self.type_name.rsplit(".", 1)[-1]

    @property
    def gives_labels(self) -> bool:
        """A span layer whose spans are labels: named entities, the project's own layers."""
        if self.kind != SPAN:
            return False
        return self.type_name == _NAMED_ENTITY or not self.type_name.startswith(_BUILT_IN)

    @property
    def label_feature(self) -> str | None:
        """The feature whose value is the label; None where the layer's name is (no feature).

        Raises ``LookupError`` for a layer of several features none named ``value``."""
        if "value" in self.features:
            return "value"
        if len(self.features) <= 1:
            return self.features[0] if self.features else None
        raise LookupError(self.type_name)


@dataclass(frozen=True)
class Column:
    index: int  # from 0, after the three of every row (id, offsets, token)
    layer: Layer
    kind: str  # FEATURE, MARKER, ROLE, TARGET or SOURCE
    feature: str = ""


def read_columns(declarations: list[str]) -> list[Column]:
    """The columns the header lines (``#T_SP=…``) declare, in order.

    Raises ``ValueError`` naming a line that is none of the three kinds."""
    columns: list[Column] = []
    for declaration in declarations:
        prefix = declaration[:6]
        if prefix not in _PREFIXES:
            raise ValueError(declaration)
        # (empty names are none: ``Span|`` is a layer of no feature, as INCEpTION splits it)
        type_name, *names = [name for name in declaration[6:].split("|") if name]
        layer = Layer(_PREFIXES[prefix], type_name)
        kinds = []
        for name in names:
            if layer.kind == SPAN and name.startswith("ROLE_"):
                kinds.append((ROLE, name))
            elif layer.kind == SPAN and kinds and kinds[-1][0] == ROLE:
                kinds.append((TARGET, name))  # (the slot's target type, after its role)
            elif layer.kind == RELATION and name.startswith("BT_"):
                kinds.append((SOURCE, name))
            else:
                kinds.append((FEATURE, name))
                if layer.kind == SPAN:
                    layer.features.append(name)
        if not kinds:  # no feature: one column marks the spans
            kinds.append((MARKER, ""))
        for kind, name in kinds:
            columns.append(Column(len(columns), layer, kind, name))
    return columns


# -- escaping --------------------------------------------------------------------------------

#: A feature value's escapes (INCEpTION's ``Escaping.unescapeValue``).
_VALUE_ESCAPE = re.compile(r"\\(\\|\[|\]|\||_|->|;|t|n|\*)")
_VALUE_CHARACTERS = {"t": "\t", "n": "\n"}
#: ``|`` between stacked values, but not ``\\|`` inside one.
STACKED = re.compile(r"(?<!\\)\|")
#: Text's escapes from version 3.2 on: the readable ones and a backslash before any other
#: control character (``Escaping.unescapeText``).
_TEXT_ESCAPE = re.compile(r"\\([tnfrb\\]|[\x00-\x07\x0e-\x1f])")
_TEXT_CHARACTERS = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b", "\\": "\\"}
#: Before 3.2, Java's escapes (``StringEscapeUtils.unescapeJava``).
_JAVA_ESCAPE = re.compile(r"\\(u+[0-9a-fA-F]{4}|[0-3]?[0-7]{1,2}|[btnfr\"'\\])")


def unescape_value(value: str) -> str:
    return _VALUE_ESCAPE.sub(lambda m: _VALUE_CHARACTERS.get(m.group(1), m.group(1)), value)


def unescape_text(text: str, minor: int) -> str:
    """A ``#Text=`` line's text as the document has it (escapes of version 3.``minor``)."""
    if minor >= 2:
        return _TEXT_ESCAPE.sub(lambda m: _TEXT_CHARACTERS.get(m.group(1), m.group(1)), text)
    return _JAVA_ESCAPE.sub(_java_character, text)


def _java_character(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape.startswith("u"):
        return chr(int(escape.lstrip("u"), 16))
    if escape[0].isdigit():
        return chr(int(escape, 8))
    return _TEXT_CHARACTERS.get(escape, escape)


def split_reference(value: str) -> tuple[str, str | None]:
    """A value and the id after it that ties a span's rows together (``LOC[3]``), if any."""
    if value.endswith("]") and not value.endswith("\\]") and "[" in value:
        bare, _, reference = value[:-1].rpartition("[")
        return bare, reference
    return value, None
