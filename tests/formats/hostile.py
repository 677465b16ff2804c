"""Hostile files for every reader, as hypothesis strategies, and what an import of one did.

The promise under test: a file either imports cleanly, every span valid (``0 <= start < end
<= len(text)``, labels non-empty names), or is refused with an ``AnnotatorError`` whose message
is one line, and the project file is byte for byte as it was. ``attempt`` tries one file and
names the outcome; the tests run a few examples per reader, ``bench/fuzz_readers.py`` many.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.model import Article
from annotator.formats.importer import check_import, import_paths
from annotator.storage import Store

READERS = ("txt", "jsonl", "doccano", "labelstudio", "brat", "conll")
OUTCOMES = ("imported", "refused", "traceback", "project changed", "invalid span", "multi-line")
SUFFIX = {
    "txt": ".txt",
    "jsonl": ".jsonl",
    "doccano": ".jsonl",
    "labelstudio": ".json",
    "brat": ".txt",
    "conll": ".conll",
}

# Text as the web serves it: any character, lone surrogates, NUL, odd spaces and breaks.
_plain = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)
_surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
_odd = st.text(alphabet=st.sampled_from("\x00\x1d\u00a0\u2028\ufeff\r\n\t "), max_size=6)
_texts = (
    _plain
    | st.tuples(_plain, _surrogate, _plain).map("".join)
    | st.tuples(_plain, _odd, _plain).map("".join)
    | st.sampled_from(
        ["Rebels took Kidal 🇲🇱 on Sunday.", "\u00a0\u00a0", "\x1d", "قالت الفصائل", "a\r\nb"]
    )
)
_huge = st.integers(min_value=-(10**4000), max_value=10**4000)
_numbers = st.integers(-5, 80) | _huge | st.floats(allow_nan=True, allow_infinity=True)
_anything = st.recursive(
    st.none() | st.booleans() | _numbers | _texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_texts, inner, max_size=3),
    max_leaves=6,
)
_offsets = st.integers(-2, 70) | st.integers(-2, 70) | _anything
_articles = st.sampled_from(
    ["Rebels took Kidal 🇲🇱 on Sunday.", "Government forces shelled Idlib,\r\nactivists said."]
)
_labels = st.sampled_from(["LOCATION", "FACTION", "CLAIM", "", " ", "ARMED GROUP"]) | _anything


def _json(value: Any) -> bytes:
    """JSON as a tool might write it: NaN and Infinity allowed, surrogates escaped."""
    try:
        return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()
    except ValueError:  # an integer past Python's 4,300 digits: written as the digits
        return b"1" + b"0" * 5000


def _prodigy(text: Any, spans: list[dict[str, Any]], extra: dict[str, Any]) -> Any:
    return {"text": text, "spans": spans, **extra}


@st.composite
def _span_dicts(draw: st.DrawFn) -> dict[str, Any]:
    span = {"start": draw(_offsets), "end": draw(_offsets), "label": draw(_labels)}
    if draw(st.booleans()):
        span["text"] = draw(_texts)
    if draw(st.booleans()):
        span["answer"] = draw(st.sampled_from(["accept", "reject", "ignore"]) | _anything)
    if draw(st.integers(0, 3)) == 0:
        names = st.sampled_from(["polarity", "hedged", "", "x y"])
        span["attributes"] = draw(st.dictionaries(names, _labels, max_size=2) | _anything)
    return span


_relation_labels = st.sampled_from(["source", "Family", ""]) | _anything


@st.composite
def _prodigy_relations(draw: st.DrawFn, spans: list[Any]) -> list[Any]:
    """rel.manual's relations between the task's spans (or anything else)."""
    ends = st.sampled_from(spans) if spans else _anything
    relation = st.fixed_dictionaries(
        {"head_span": ends | _anything, "child_span": ends, "label": _relation_labels},
        optional={"head": _offsets, "child": _offsets},
    )
    return draw(st.lists(relation | _anything, max_size=3))


@st.composite
def _records(draw: st.DrawFn, reader: str) -> Any:
    text = draw(_articles | _articles | _texts | _anything)
    if reader == "jsonl":
        extra = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "answer": st.sampled_from(["accept", "reject", "ignore"]) | _anything,
                    "_view_id": st.sampled_from(["ner", "ner_manual"]),
                    "meta": _anything,
                    "label": _anything,
                    "_input_hash": _numbers,
                },
            )
        )
        spans = draw(st.lists(_span_dicts(), max_size=4))
        if draw(st.booleans()):
            extra["relations"] = draw(_prodigy_relations(spans))
        return _prodigy(text, spans, extra)
    if reader == "doccano":
        if draw(st.booleans()):  # doccano's relation format: entities with ids, relations
            ids = st.integers(0, 3) | _anything
            entity = st.fixed_dictionaries(
                {"id": ids, "start_offset": _offsets, "end_offset": _offsets, "label": _labels}
            )
            relation = st.fixed_dictionaries(
                {"from_id": ids, "to_id": ids, "type": _relation_labels}
            )
            return {
                "text": text,
                "entities": draw(st.lists(entity, max_size=3)),
                "relations": draw(st.lists(relation | _anything, max_size=3) | _anything),
            }
        triples = st.lists(st.tuples(_offsets, _offsets, _labels).map(list) | _anything, max_size=4)
        key = draw(st.sampled_from(["label", "labels", "entities", "cats", "relations"]))
        return {"text": text, key: draw(triples)}
    # labelstudio: a task, or a JSON-MIN record
    value = st.fixed_dictionaries(
        {"start": _offsets, "end": _offsets, "labels": st.lists(_labels, max_size=2) | _anything},
        optional={"text": _texts},
    )
    region_ids = st.sampled_from(["a", "b", 3]) | _anything
    result = st.fixed_dictionaries(
        {"type": st.sampled_from(["labels", "choices", "relation"]) | _anything, "value": value},
        optional={"id": region_ids},
    )
    relation = st.fixed_dictionaries(
        {"type": st.just("relation"), "from_id": region_ids, "to_id": region_ids},
        optional={
            "direction": st.sampled_from(["right", "left", "bi"]) | _anything,
            "labels": st.lists(_relation_labels, max_size=2) | _anything,
        },
    )
    choice = st.fixed_dictionaries(
        {"type": st.just("choices"), "id": region_ids, "from_name": _labels,
         "value": st.fixed_dictionaries({"choices": st.lists(_labels, max_size=2)}) | _anything},
    )  # fmt: skip
    result = result | relation | choice
    if draw(st.booleans()):
        return {"text": text, "label": draw(st.lists(value, max_size=3)), "annotation_id": 1}
    annotation = st.fixed_dictionaries(
        {"result": st.lists(result, max_size=3)},
        optional={"was_cancelled": st.booleans(), "completed_by": _anything},
    )
    return {
        "data": draw(st.fixed_dictionaries({"text": st.just(text)}) | _anything),
        "annotations": draw(st.lists(annotation, max_size=2) | _anything),
        "predictions": draw(
            st.lists(st.fixed_dictionaries({"result": st.lists(result, max_size=2)}), max_size=1)
        ),
    }


@st.composite
def _json_file(draw: st.DrawFn, reader: str) -> bytes:
    records = draw(st.lists(_records(reader), min_size=1, max_size=3))
    if reader == "labelstudio" and draw(st.booleans()):
        return b"[" + b",\n".join(map(_json, records)) + b"]"
    return b"".join(_json(record) + b"\n" for record in records)


@st.composite
def _brat_ann(draw: st.DrawFn) -> bytes:
    lines = []
    for number in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["T", "T", "T", "R", "E", "A", "#", "*", "N", "X"]))
        start, end = draw(st.integers(-1, 40)), draw(st.integers(-1, 40))
        if kind == "T":
            label = draw(st.sampled_from(["LOCATION", "CLAIM", "FACTION", "Merge-org", "", "A B"]))
            offsets = draw(st.sampled_from([f"{start} {end}", f"{start} {end};{end} {end + 3}"]))
            lines.append(f"T{number}\t{label} {offsets}\t{draw(_texts)}")
        elif kind in "RA" and draw(st.booleans()):  # well formed, naming the T lines
            target, other = draw(st.integers(0, 4)), draw(st.integers(0, 4))
            if kind == "R":
                label = draw(st.sampled_from(["source", "Family", "x y"]))
                lines.append(f"R{number}\t{label} Arg1:T{target} Arg2:T{other}")
            else:
                value = draw(st.sampled_from(["", " denied", " yes", " nonsense"]))
                name = draw(st.sampled_from(["polarity", "hedged", "Individual"]))
                lines.append(f"A{number}\t{name} T{target}{value}")
        else:
            lines.append(f"{kind}{number}\t{draw(_texts)}")
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@st.composite
def _conll(draw: st.DrawFn) -> bytes:
    tags = st.sampled_from(["O", "B-LOCATION", "I-LOCATION", "S-FACTION", "E-X", "B-", "LOC"])
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            lines.append("")
        elif choice == 1:
            lines.append("-DOCSTART- -X- -X- O")
        else:
            lines.append(f"{draw(_texts).replace(chr(10), ' ')} {draw(tags)}")
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _text_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def files(reader: str) -> st.SearchStrategy[dict[str, bytes]]:
    """Files for ``reader``: ``{name: bytes}``, brat's ``.txt`` with its ``.ann``."""
    random_bytes = st.binary(max_size=200)
    if reader == "txt":
        body = random_bytes | _texts.map(_text_bytes) | st.just(b"A title\n" + b"x" * 9000 + b"\0")
        return body.map(lambda data: {"doc.txt": data})
    if reader == "brat":
        return st.tuples(random_bytes | _texts.map(_text_bytes), _brat_ann() | random_bytes).map(
            lambda pair: {"doc.txt": pair[0], "doc.ann": pair[1]}
        )
    if reader == "conll":
        return (_conll() | random_bytes).map(lambda data: {"doc.conll": data})
    structured = _json_file(reader)
    truncated = st.tuples(structured, st.floats(0, 1)).map(
        lambda pair: pair[0][: math.floor(len(pair[0]) * pair[1])]
    )
    deep = st.integers(1, 3).map(lambda n: b"[" * (30_000 * n) + b"]" * (30_000 * n))
    body = structured | truncated | random_bytes | deep
    return body.map(lambda data: {f"doc{SUFFIX[reader]}": data})


def new_project(folder: Path) -> Path:
    """A project file holding one article, closed."""
    db = folder / "project.db"
    with Store(db) as store:
        store.add_articles([Article("Already here: Kidal.", title="Kidal")])
    return db


def attempt(reader: str, content: dict[str, bytes], folder: Path, db: Path) -> str:
    """Import the files into the project at ``db`` as the command does; the outcome's name.

    Anything but an ``AnnotatorError`` escaping the import is a traceback the user would see.
    """
    for name, data in content.items():
        (folder / name).write_bytes(data)
    target = folder / next(iter(content))
    before = db.read_bytes()
    try:
        plan = check_import([target], reader)
        with Store(db) as store:
            import_paths(store, [target], format_name=reader, plan=plan)
            for article in store.iter_articles():
                for who in store.annotators():
                    for span in store.spans(article.id or 0, who):
                        if not (0 <= span.start < span.end <= len(article.text)):
                            return "invalid span"
                        if not isinstance(span.label, str) or not span.label.strip():
                            return "invalid span"
        return "imported"
    except AnnotatorError as error:
        if "\n" in str(error):
            return "multi-line"
        return "refused" if db.read_bytes() == before else "project changed"
    except Exception:  # noqa: BLE001 - exactly what is being counted
        return "traceback"
