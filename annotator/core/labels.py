"""The rules of a label scheme: what a label, a relation type or an attribute may be called,
which key each may have, and which key each label gets (its colour: ``label_colours.py``).
Pure functions: the store applies them before it writes, the window and the command line ask
them before they offer a change.

The window's keys are one table for everything a scheme can give a key: the label keys
(one letter or digit), the claim keys of relation types (a letter, and ``Shift`` + it to
remove) and of attributes (a letter), and the window's own (``WINDOW_KEYS``). None of them
may answer to two things.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from annotator.core.errors import AnnotatorError
from annotator.core.model import CLAIM_KIND, ENTITY_KIND, GOLD, Label
from annotator.core.relations import AttributeType, RelationType

KINDS = (ENTITY_KIND, CLAIM_KIND)

#: Names a label cannot have: ``O`` is the "outside" tag of the IOB/BILUO formats (CoNLL,
#: spaCy's token tags), and ``gold`` names the adjudicated version everywhere else.
RESERVED_NAMES = frozenset({"o", GOLD})
MAX_NAME = 40

#: The annotation window's own keys that a key of the scheme could be mistaken for, with
#: what they do (``ui/main_actions.py``, ``ui/entity_links.py``): the single letters, and
#: the Ctrl+letter of the link and map actions beside them. A scheme key is one letter or
#: digit (a relation's also takes ``Shift`` + it), so only the single-character ones can
#: collide; ``tests/ui`` checks this table against the window's actions.
WINDOW_KEYS: dict[str, str] = {
    "N": "next article",
    "P": "previous article",
    "S": "skip",
    "F": "flag",
    "L": "link",
    "Ctrl+L": "link",
    "Ctrl+M": "the map",
}
#: The window's single keys: no label, relation or attribute may have one.
RESERVED_KEYS = frozenset(key for key in WINDOW_KEYS if len(key) == 1)


class LabelError(AnnotatorError):
    """A change to the label scheme that cannot be made; the message says why."""


#: The labels the program itself works with by name: pre-annotation suggests them, places
#: and factions are linked on them, GeoJSON and training read them.
PROGRAM_LABELS = ("LOCATION", "FACTION", "CLAIM", "SOURCE")


def check_keeps_its_name(name: str, change: str) -> None:
    """``LabelError`` if ``name`` is one of the ``PROGRAM_LABELS``: renamed, merged away,
    deleted or made another kind, new suggestions would come outside the scheme, and
    linking, the map, GeoJSON and training would no longer find its spans as they expect."""
    if name in PROGRAM_LABELS:
        raise LabelError(
            f"{name} cannot be {change}: the program suggests, links and trains it as it is "
            "(its colour, key and description can change)"
        )


def check_name(name: str) -> str:
    """``name`` if a label may be called so, else ``LabelError`` saying why.

    Names go into file formats whose fields are separated by white space (brat, CoNLL) or
    whose tags are ``B-NAME``: no white space or control character anywhere.
    """
    check_word(name, "label name", "a label needs a name")
    if reserved := reserved_name(name):
        raise LabelError(f"{name!r} cannot be a label: it {reserved}")
    return name


def reserved_name(name: str) -> str:
    """Why ``name`` cannot be a label, if it is one the program keeps for itself ("is
    reserved (…)"), else "". Imports refuse such labels too (``formats.records``)."""
    if name.strip().lower() in RESERVED_NAMES:
        return (
            "is reserved ('O' is the outside tag of CoNLL and IOB, 'gold' the adjudicated version)"
        )
    return ""


def check_word(word: str, what: str, empty: str) -> str:
    """``word`` if it can name something of the scheme (a label, a relation type, an
    attribute or one of its values): not empty, no white space or control character
    (brat's ``R``/``A`` lines and CoNLL separate fields with them), at most ``MAX_NAME``
    characters. ``LabelError`` otherwise, calling it ``what`` (``empty`` if it is empty)."""
    if not word or not word.strip():
        raise LabelError(empty)
    if word != word.strip():
        raise LabelError(f"the {what} {word!r} starts or ends with a space")
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in word):
        raise LabelError(
            f"the {what} {word!r} holds a space or a control character "
            "(file formats separate fields with them); use _ or - instead"
        )
    if len(word) > MAX_NAME:
        raise LabelError(f"the {what} {word[:20]!r}… is longer than {MAX_NAME} characters")
    return word


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise LabelError(f"unknown label kind {kind!r}; known: {', '.join(KINDS)}")
    return kind


def normalise_key(key: str) -> str:
    """A label key as stored: one letter (upper case) or digit; ``""`` for none.

    ``LabelError`` for anything else (a key with Ctrl, two characters, a space).
    """
    key = key.strip()
    if not key:
        return ""
    if len(key) != 1 or not key.isascii() or not key.isalnum():
        raise LabelError(f"a label's key is one letter A–Z or digit 0–9, not {key!r}")
    return key.upper()


def key_moves(before: dict[str, str], after: dict[str, str], *left_out: str) -> list[str]:
    """What a change of the scheme did to the keys labels answer to (``effective_keys``
    before and after), one sentence a label: a label without a key of its own answers to a
    free digit, which a label added, given a key, moved or deleted moves (annotators used
    to pressing 5 made another label, and nothing said so). ``left_out``: the labels the
    change itself names."""
    return [
        f"{name} answers to {key or 'no key'} now (it had {before[name] or 'no key'})"
        for name, key in after.items()
        if name not in left_out and name in before and before[name] != key
    ]


def effective_keys(labels: Sequence[Label]) -> dict[str, str]:
    """The key each label answers to in the window: its own, or else the first digit (1–9,
    then 0) that no other label has, in the scheme's order; ``""`` when none is left.

    Labels of older projects may have no key; they get the digit they always had (their
    position) unless another label took it since.
    """
    taken = {label.key.upper() for label in labels if label.key}
    keys: dict[str, str] = {}
    for position, label in enumerate(labels, start=1):
        if label.key:
            keys[label.name] = label.key.upper()
            continue
        wanted = str(position) if position < 10 else ""
        if not wanted or wanted in taken:
            wanted = next((d for d in free_keys(taken) if d.isdigit()), "")
        if wanted:
            taken.add(wanted)
        keys[label.name] = wanted
    return keys


def free_keys(taken: Iterable[str]) -> list[str]:
    """Keys a new label may have: digits 1–9 and 0, then letters, not taken nor reserved."""
    used = {key.upper() for key in taken} | RESERVED_KEYS
    candidates = [*"1234567890", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    return [key for key in candidates if key not in used]


def key_owner(labels: Sequence[Label], key: str, other_than: str = "") -> str | None:
    """The label (other than ``other_than``) that answers to ``key`` now, if any."""
    key = key.upper()
    for name, owned in effective_keys(labels).items():
        if owned == key and name != other_than:
            return name
    return None


def check_key(
    labels: Sequence[Label], name: str, key: str, claim_keys: Mapping[str, str] | None = None
) -> str:
    """``key`` (normalised) if label ``name`` may have it: not reserved by the window,
    not another label's, not a relation's or attribute's (``claim_keys``, as
    ``claim_key_owners`` gives them). ``LabelError`` says which action or label has it."""
    key = normalise_key(key)
    if not key:
        return key
    _check_not_window_key(key)
    # A label's own key only: one with none answers to a free digit, its place's unless
    # another label takes it ("key 5 (a free digit)" kept 5 from every other label).
    owner = next(
        (o.name for o in labels if o.key.upper() == key and o.name != name and o.key), None
    )
    if owner is not None:
        raise LabelError(f"the key {key} belongs to {owner} already; choose another")
    if claim_keys and key in claim_keys:
        raise LabelError(f"the key {key} belongs to {claim_keys[key]} already; choose another")
    return key


def _check_not_window_key(key: str) -> None:
    if key in RESERVED_KEYS:
        taken = ", ".join(f"{k} {what}" for k, what in WINDOW_KEYS.items() if len(k) == 1)
        raise LabelError(f"the key {key} is taken by the window ({taken}); choose another")


def claim_key_owners(
    relation_types: Iterable[RelationType],
    attribute_types: Iterable[AttributeType],
    other_than: str = "",
) -> dict[str, str]:
    """The keys the scheme's relation types and attributes have (upper case), each with
    its owner as a message names it (``the relation source``); ``other_than`` (a
    ``the relation NAME`` / ``the attribute NAME`` owner) is left out."""
    owners: dict[str, str] = {}
    for owner, key in [
        *((f"the relation {t.name}", t.key) for t in relation_types),
        *((f"the attribute {t.name}", t.key) for t in attribute_types),
    ]:
        if key and owner != other_than:
            owners.setdefault(key.upper(), owner)
    return owners


def check_claim_key(
    labels: Sequence[Label], claim_keys: Mapping[str, str], owner: str, key: str
) -> str:
    """``key`` (one letter, upper case; ``""`` for none) if ``owner`` (``the relation
    source``, ``the attribute hedged``) may have it: not a digit (the labels' keys), not
    the window's, a label's or another relation's or attribute's. A relation's key also
    takes ``Shift`` + it (remove), which nothing else can have. ``LabelError`` says why."""
    letter = key.strip()
    if letter and (len(letter) != 1 or not letter.isascii() or not letter.isalpha()):
        digit = " (digits are the labels' keys)" if letter.isdigit() else ""
        raise LabelError(f"the key of {owner} is one letter A–Z, not {letter!r}{digit}")
    key = normalise_key(key)
    if not key:
        return key
    _check_not_window_key(key)
    label = key_owner(labels, key)
    if label is not None:
        raise LabelError(f"the key {key} belongs to the label {label} already; choose another")
    other = claim_keys.get(key)
    if other is not None and other != owner:
        raise LabelError(f"the key {key} belongs to {other} already; choose another")
    return key


def label_after(name: str, changes: Iterable[tuple[str, Mapping]]) -> str | None:
    """What a label ``name`` is called after the scheme's ``changes`` (events' action and
    payload, in order: ``rename_label``, ``merge_label``, ``unmerge_label``,
    ``delete_label``, ``restore_label``): an unmerge undoes its merge, a restore its
    deletion; ``None`` if it was deleted with its spans."""
    merges: list[tuple[str | None, str | None]] = []
    current: str | None = name
    deleted = ""
    for action, payload in changes:
        if action == "delete_label":
            # (with its spans: ``--force``; an unused label deleted takes nothing along)
            if current is not None and current == payload["label"]["name"] and "removed" in payload:
                deleted, current = current, None
            continue
        if action == "restore_label":
            if current is None and payload["label"]["name"] == deleted:
                current = deleted
            continue
        source, target = payload.get("from"), payload.get("to") or payload.get("into")
        if action == "unmerge_label":
            if current == target and merges and merges[-1] == (source, target):
                current = source
                merges.pop()
        elif current == source:
            current = target
            if action == "merge_label":
                merges.append((source, target))
    return current
