"""Readers against files as other tools and people write them: a brat text with a byte-order
mark, a doccano file whose first text nobody labelled, Label Studio drafts, CoNLL with
no-break spaces and CoNLL-U, and Prodigy answers that change their mind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats import FormatError, detect_format
from annotator.formats.importer import import_paths
from annotator.formats.labelstudio_regions import DRAFTS
from annotator.storage import Store
from annotator.storage.import_records import known_negatives

BRAT_TEXT = "Kurdish fighters took Raqqa.\n"


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8", newline="")
    return path


def jsonl(path: Path, *records: dict) -> Path:
    return write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def only_article(store: Store) -> tuple[int, str]:
    (article_id,) = store.article_ids()
    return article_id, store.article(article_id).text


def texts_of(store: Store, annotator: str) -> dict[str, list[tuple[str, str]]]:
    """Each article's text and the annotator's spans on it, as (label, text)."""
    found = {}
    for article_id in store.article_ids():
        text = store.article(article_id).text
        found[text] = [(s.label, s.text(text)) for s in store.spans(article_id, annotator)]
    return found


# -- brat: a .txt with a byte-order mark -------------------------------------------------------


@pytest.mark.parametrize("stated", [True, False], ids=["with-text", "offsets-only"])
def test_brat_offsets_count_the_byte_order_mark_as_brat_does(tmp_path, stated):
    # brat reads the .txt with codecs' utf-8: the BOM is character 0, Kurdish starts at 1.
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BRAT_TEXT.encode())
    tail = ("\tKurdish fighters", "\tRaqqa") if stated else ("", "")
    write(tmp_path / "bom.ann", f"T1\tFACTION 1 17{tail[0]}\nT2\tLOCATION 23 28{tail[1]}\n")
    with Store() as store:
        report = import_paths(store, [tmp_path], annotator="alice")
        article_id, text = only_article(store)
        assert text == BRAT_TEXT  # stored without the mark
        spans = [(s.label, s.text(text)) for s in store.spans(article_id, "alice")]
    assert spans == [("FACTION", "Kurdish fighters"), ("LOCATION", "Raqqa")]
    assert report.spans == 2


def test_brat_span_on_the_byte_order_mark_alone_is_refused_in_one_line(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BRAT_TEXT.encode())
    write(tmp_path / "bom.ann", "T1\tFACTION 0 1\n")
    with Store() as store, pytest.raises(FormatError, match=r"bom\.ann:1: T1 .*byte-order mark"):
        import_paths(store, [tmp_path])


# -- doccano: told by more than its first record -----------------------------------------------


@pytest.mark.parametrize(
    "labelled",
    [
        {"text": "Rebels shelled Aleppo.", "label": [[15, 21, "LOCATION"]]},
        {
            "text": "Rebels shelled Aleppo.",
            "entities": [{"id": 1, "start_offset": 15, "end_offset": 21, "label": "LOCATION"}],
            "relations": [],
        },
    ],
    ids=["label", "entities"],
)
def test_doccano_is_told_when_the_first_record_has_no_labels(tmp_path, labelled):
    path = jsonl(tmp_path / "export.jsonl", {"text": "Nothing here."}, labelled)
    assert detect_format(path).name == "doccano"
    with Store() as store:
        report = import_paths(store, [path], annotator="alice")
        assert texts_of(store, "alice")["Rebels shelled Aleppo."] == [("LOCATION", "Aleppo")]
    assert report.added == 2 and report.spans == 1


def test_prodigy_and_plain_json_lines_are_still_told_apart_from_doccano(tmp_path):
    plain = jsonl(tmp_path / "plain.jsonl", {"text": "One."}, {"text": "Two.", "title": "T"})
    prodigy = jsonl(
        tmp_path / "prodigy.jsonl",
        {"text": "Nothing here."},
        {"text": "Rebels shelled Aleppo.", "spans": [{"start": 15, "end": 21, "label": "LOC"}]},
        {"text": "A category.", "label": ["CONFLICT"]},  # a list, but beside Prodigy's spans
    )
    assert detect_format(plain).name == "jsonl"
    assert detect_format(prodigy).name == "jsonl"


# -- Label Studio: drafts are counted, not imported --------------------------------------------


def _draft(start: int, end: int, text: str, label: str) -> dict:
    return {
        "id": 3,
        "user": "alice@example.org",
        "result": [
            {
                "id": "a",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": start, "end": end, "text": text, "labels": [label]},
            }
        ],
        "was_postponed": False,
    }


def test_labelstudio_drafts_are_reported_as_left_out_not_imported(tmp_path):
    text = "Rebels shelled Aleppo on Friday, activists said."
    tasks = [
        {
            "id": 1,
            "data": {"text": text},
            "annotations": [],
            "drafts": [_draft(15, 21, "Aleppo", "LOCATION"), {"id": 4, "result": []}],
            "predictions": [],
        }
    ]
    path = write(tmp_path / "tasks.json", json.dumps(tasks))
    with Store() as store:
        report = import_paths(store, [path])
        assert store.annotators() == []  # a draft is nobody's annotation
    assert report.added == 1 and report.annotated == 0 and report.spans == 0
    assert report.not_held == {DRAFTS: 1}  # the empty draft left nothing out
    assert any("drafts" in line for line in report.summary_lines())


def test_labelstudio_json_min_drafts_are_reported_too(tmp_path):
    record = {
        "id": 1,
        "text": "Rebels shelled Aleppo.",
        "annotation_id": 5,
        "annotator": 2,
        "label": [{"start": 0, "end": 6, "text": "Rebels", "labels": ["FACTION"]}],
        "drafts": [_draft(15, 21, "Aleppo", "LOCATION")],
    }
    path = write(tmp_path / "min.json", json.dumps([record]))
    with Store() as store:
        report = import_paths(store, [path])
        assert texts_of(store, "labelstudio-user-2") == {
            "Rebels shelled Aleppo.": [("FACTION", "Rebels")]
        }
    assert report.not_held == {DRAFTS: 1}


# -- CoNLL: no-break spaces, CoNLL-U -----------------------------------------------------------


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"], ids=["nbsp", "narrow-nbsp"])
def test_conll_columns_are_split_at_ascii_spaces_only(tmp_path, space):
    path = write(
        tmp_path / "a.conll",
        f"Les DT O\n10{space}000 CD O\nrebelles NNS O\nont O\nquitté O\n"
        f"Maarat{space}al-Numan NNP B-LOCATION\n. . O\n",
    )
    with Store() as store:
        import_paths(store, [path], annotator="alice")
        ((text, spans),) = texts_of(store, "alice").items()
    assert text == f"Les 10{space}000 rebelles ont quitté Maarat{space}al-Numan ."
    assert spans == [("LOCATION", f"Maarat{space}al-Numan")]


CONLLU_WORDS = (
    "1\tRebels\trebel\tNOUN\tNNS\t_\t2\tnsubj\t_\t_{}\n"
    "2\tshelled\tshell\tVERB\tVBD\t_\t0\troot\t_\t_{}\n"
    "3\tAleppo\tAleppo\tPROPN\tNNP\t_\t2\tobj\t_\tSpaceAfter=No{}\n"
    "4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_{}\n\n"
)
TAGS = ("\tB-FACTION", "\tO", "\tB-LOCATION", "\tO")


def imported_texts(path) -> dict:
    """The texts of ``path`` imported as alice's, with her spans: what each test compares."""
    with Store() as store:
        import_paths(store, [path], annotator="alice")
        return texts_of(store, "alice")


@pytest.mark.parametrize(
    "head",
    [
        "",
        "# global.columns = ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC NE\n"
        "# sent_id = 1\n# text = Rebels shelled Aleppo.\n",
    ],  # fmt: skip
    ids=["no-comments", "comments"],
)
def test_conllu_plus_reads_the_form_column_and_the_tag_after_conllu_columns(tmp_path, head):
    path = write(tmp_path / "a.conllu", head + CONLLU_WORDS.format(*TAGS))
    texts = imported_texts(path)
    assert texts == {"Rebels shelled Aleppo.": [("FACTION", "Rebels"), ("LOCATION", "Aleppo")]}


def test_conllu_keeps_the_text_of_its_sentences_spaces_and_multiword_tokens(tmp_path):
    """Tokens were joined by spaces whatever MISC said, and a multiword token's words
    replaced it ("del" became "de el"): the text was not the file's, and the same article
    from another tool became a second one."""
    path = write(
        tmp_path / "a.conllu",
        "# global.columns = ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC NE\n"
        '# text = "Los rebeldes del Frente tomaron Idlib," dijo.\n'
        '1\t"\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\tO\n'
        "2\tLos\t_\t_\t_\t_\t_\t_\t_\t_\tO\n"
        "3\trebeldes\t_\t_\t_\t_\t_\t_\t_\t_\tO\n"
        "4-5\tdel\t_\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "4\tde\t_\t_\t_\t_\t_\t_\t_\t_\tO\n"
        "5\tel\t_\t_\t_\t_\t_\t_\t_\t_\tO\n"
        "5.1\tnada\t_\t_\t_\t_\t_\t_\t_\t_\tO\n"
        "6\tFrente\t_\t_\t_\t_\t_\t_\t_\t_\tB-FACTION\n"
        "7\ttomaron\t_\t_\t_\t_\t_\t_\t_\t_\tO\n"
        "8\tIdlib\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\tB-LOCATION\n"
        "9\t,\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\tO\n"
        '10\t"\t_\t_\t_\t_\t_\t_\t_\t_\tO\n'
        "11-12\tdíjolo\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\t_\n"
        "11\tdijo\t_\t_\t_\t_\t_\t_\t_\t_\tO\n"
        "12\tlo\t_\t_\t_\t_\t_\t_\t_\t_\tB-LOCATION\n"
        "13\t.\t_\t_\t_\t_\t_\t_\t_\t_\tO\n\n",
    )
    texts = imported_texts(path)
    assert texts == {
        '"Los rebeldes del Frente tomaron Idlib," díjolo.': [
            ("FACTION", "Frente"), ("LOCATION", "Idlib"), ("LOCATION", "díjolo"),
        ]
    }  # fmt: skip


def test_conllu_without_spaceafter_marks_is_spaced_as_its_sentence_text(tmp_path):
    """Without SpaceAfter=No, "# text = Fue en Alepo, dijo." came in as "Fue en Alepo ,
    dijo ."; a "# text" its tokens do not follow is left aside."""
    rows = ("1\tFue\tO", "2\ten\tO", "3\tAlepo\tB-LOCATION", "4\t,\tO", "5\tdijo\tO",
            "6\t.\tO")  # fmt: skip
    body = "".join(
        "\t".join([*row.split("\t")[:2], *["_"] * 8, row.split("\t")[2]]) + "\n" for row in rows
    )
    head = "# global.columns = ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC NE\n"
    path = write(
        tmp_path / "a.conllu",
        head + "# text = Fue en Alepo, dijo.\n" + body + "\n"
        "# text = Something else entirely.\n" + body + "\n",
    )
    texts = imported_texts(path)
    assert list(texts) == ["Fue en Alepo, dijo.\nFue en Alepo , dijo ."]


def test_conllu_plus_reads_the_columns_its_header_names_in_their_order(tmp_path):
    """A CoNLL-U Plus file of fewer columns, its entity tags not last (a real converter's
    ``ID FORM POS HEAD DEPREL NAMED_ENTITIES NOUN_PHRASES``), was refused as lacking
    CoNLL-U's ten columns."""
    path = write(
        tmp_path / "a.conllup",
        "# global.columns = ID FORM POS HEAD DEPREL NAMED_ENTITIES NOUN_PHRASES\n"
        "# text = Rebels shelled Aleppo.\n"
        "1\tRebels\tNOUN\t2\tnsubj\tB-FACTION\tB-NP\n"
        "2\tshelled\tVERB\t0\troot\tO\tO\n"
        "3\tAleppo\tPROPN\t2\tobj\tB-LOCATION\tB-NP\n"
        "4\t.\tPUNCT\t2\tpunct\tO\tO\n\n",
    )
    texts = imported_texts(path)
    assert texts == {"Rebels shelled Aleppo.": [("FACTION", "Rebels"), ("LOCATION", "Aleppo")]}


def test_conllu_plus_columns_in_any_order_and_a_txt_file_of_them(tmp_path):
    """ID after the tags was refused ("not 'Rebels'"); a .txt was one article of tabs."""
    path = write(
        tmp_path / "a.txt",
        "# global.columns = FORM NE ID\nRebels\tB-FACTION\t1\nshelled\tO\t2\n"
        "Aleppo\tB-LOCATION\t3\n\n",
    )
    texts = imported_texts(path)
    assert texts == {"Rebels shelled Aleppo": [("FACTION", "Rebels"), ("LOCATION", "Aleppo")]}


@pytest.mark.parametrize(
    ("columns", "line", "message"),
    [
        ("ID FORM UPOS MWE NOTE", "1\tRebels\tNOUN\t*\t_",
         "global.columns name no column of entity tags .* its others: MWE NOTE"),
        ("FORM NE", "Rebels\tB-FACTION", "name no ID or no FORM column"),
        ("ID FORM NE", "1\tRebels\tNOUN\tB-FACTION", "expected the 3 columns its "
         r"global.columns names \(ID FORM NE\), separated by tabs; found 4"),
        ("ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC PARSEME:MWE",
         "1\tRebels\t_\t_\t_\t_\t_\t_\t_\t_\t*", "'\\*' in column PARSEME:MWE is not an IOB tag"),
    ],
)  # fmt: skip
def test_conllu_plus_without_a_tag_column_is_refused_naming_its_columns(
    tmp_path, columns, line, message
):
    path = write(tmp_path / "a.conllu", f"# global.columns = {columns}\n{line}\n\n")
    with Store() as store, pytest.raises(FormatError, match=message):
        import_paths(store, [path])


def test_conllu_without_entity_tags_is_refused_saying_what_is_expected(tmp_path):
    path = write(tmp_path / "a.conll", "# sent_id = 1\n" + CONLLU_WORDS.format("", "", "", ""))
    with Store() as store, pytest.raises(FormatError) as error:
        import_paths(store, [path])
    message = str(error.value)
    assert message.startswith(f"{path}:2: CoNLL-U without entity tags")
    assert "expected an IOB tag" in message and "\n" not in message


def test_a_comment_in_a_conll_file_is_named_as_such(tmp_path):
    path = write(tmp_path / "a.conll", "# sent_id = 1\nRebels NNS B-FACTION\n")
    with Store() as store, pytest.raises(FormatError, match=r"a\.conll:1: .*'#' comment\?"):
        import_paths(store, [path])


# -- Prodigy: an answer changed later ----------------------------------------------------------


def _decision(answer: str) -> dict:
    return {
        "text": "Wagner fighters were seen near Bakhmut.",
        "spans": [{"start": 31, "end": 38, "label": "LOCATION"}],
        "_view_id": "ner",
        "answer": answer,
        "_annotator_id": "bob",
    }


@pytest.mark.parametrize(
    ("answers", "kept", "rejected", "status"),
    [
        (("accept", "reject"), [], [(31, 38, "LOCATION")], "todo"),
        (("reject", "accept"), [("LOCATION", "Bakhmut")], [], "in_progress"),
        (("accept", "reject", "accept"), [("LOCATION", "Bakhmut")], [], "in_progress"),
    ],
    ids=["accept-then-reject", "reject-then-accept", "changed-twice"],
)
def test_prodigy_binary_answers_on_one_span_keep_the_later(
    tmp_path, answers, kept, rejected, status
):
    path = jsonl(tmp_path / "teach.jsonl", *(_decision(answer) for answer in answers))
    with Store() as store:
        report = import_paths(store, [path])
        article_id, text = only_article(store)
        assert [(s.label, s.text(text)) for s in store.spans(article_id, "bob")] == kept
        assert [s.key for s in known_negatives(store, article_id, "bob")] == rejected
        assert store.status(article_id, "bob").status == status
    assert report.contradicted == 1
    assert any("both accepted and rejected" in line for line in report.summary_lines())


def test_prodigy_answers_that_agree_are_not_counted_as_contradicting(tmp_path):
    path = jsonl(tmp_path / "teach.jsonl", _decision("accept"), _decision("accept"))
    with Store() as store:
        report = import_paths(store, [path])
        article_id, text = only_article(store)
        assert [s.text(text) for s in store.spans(article_id, "bob")] == ["Bakhmut"]
    assert report.contradicted == 0


def test_doccano_labels_after_many_unlabelled_texts_are_found(tmp_path):
    """With 100 unlabelled texts first, the file was read as Prodigy's and its labels
    dropped without a word."""
    records = [{"text": f"Quiet day {n}."} for n in range(150)]
    records.append({"text": "Rebels shelled Idlib.", "label": [[15, 20, "LOCATION"]]})
    path = jsonl(tmp_path / "late.jsonl", *records)
    assert detect_format(path).name == "doccano"


def test_label_studio_json_min_with_an_unlabelled_first_task_is_label_studios(tmp_path):
    """Its regions under "label" made it doccano's, refused: "label 1 is not [start, end,
    label]"."""
    tasks = [
        {"id": 1, "text": "Quiet day in the capital."},
        {
            "id": 2,
            "text": "Rebels shelled Homs on Monday.",
            "label": [{"start": 0, "end": 6, "text": "Rebels", "labels": ["FACTION"]}],
            "annotator": 1,
            "annotation_id": 3,
            "lead_time": 4.2,
        },
    ]
    path = write(tmp_path / "min.json", json.dumps(tasks))
    assert detect_format(path).name == "labelstudio"
    with Store() as store:
        import_paths(store, [path])
        assert any(spans for spans in texts_of(store, "labelstudio-user-1").values())


def test_prodigy_decisions_on_one_text_are_one_article_not_duplicates(tmp_path):
    """Four binary answers on one text said "1 article imported, 3 duplicates skipped"."""
    text = "Rebels shelled Idlib and Aleppo on Monday."
    tasks = [
        {"text": text, "_view_id": "ner", "answer": answer, "_annotator_id": "ana",
         "spans": [{"start": start, "end": start + len(word), "label": "LOCATION"}]}
        for word, answer in (("Idlib", "accept"), ("Aleppo", "accept"), ("Rebels", "reject"),
                             ("Monday", "reject"))
        for start in [text.index(word)]
    ]  # fmt: skip
    path = jsonl(tmp_path / "teach.jsonl", *tasks)
    with Store() as store:
        report = import_paths(store, [path])
        assert (report.added, report.duplicates) == (1, 0)
        assert report.summary_lines()[0].startswith("1 article imported, 0 duplicates skipped")
        # The same file again: the text is there, and the decisions add nothing new.
        (article_id,) = store.article_ids()
        before = store.spans(article_id, "ana")
        again = import_paths(store, [path])
        assert (again.added, again.duplicates, again.spans) == (0, 0, 0)
        assert store.spans(article_id, "ana") == before


def test_binary_decisions_add_to_a_done_set_and_leave_it_done(tmp_path):
    """A ner.teach decision is about one span, the rest of the text not looked at: over a
    done annotation it replaced the set (a span short, then every span but the one), and a
    helper's 46 spans went with one accept."""
    text = "Rebels shelled Aleppo on Monday."
    done = {"text": text, "answer": "accept", "_annotator_id": "alice",
            "spans": [{"start": 0, "end": 6, "label": "FACTION"},
                      {"start": 15, "end": 21, "label": "LOCATION"}]}  # fmt: skip
    decisions = [
        {"text": text, "answer": answer, "_annotator_id": "alice", "_view_id": "ner",
         "spans": [{"start": start, "end": end, "label": label}]}
        for answer, start, end, label in (
            ("accept", 15, 21, "LOCATION"), ("accept", 25, 31, "LOCATION"),
            ("reject", 0, 6, "FACTION"),
        )
    ]  # fmt: skip
    with Store() as store:
        import_paths(store, [jsonl(tmp_path / "done.jsonl", done)])
        (article_id,) = store.article_ids()
        report = import_paths(store, [jsonl(tmp_path / "teach.jsonl", *decisions)])
        assert [s.key for s in store.spans(article_id, "alice")] == [
            (15, 21, "LOCATION"), (25, 31, "LOCATION")
        ]  # fmt: skip
        assert store.status(article_id, "alice").status == "done"
        assert report.replaced == 0 and report.unaccepted == 1  # Rebels: rejected now


def test_another_annotators_version_of_a_text_is_no_duplicate_skipped(tmp_path):
    """Alice's and Bob's tasks on one text said "1 article imported, 1 duplicate skipped",
    though Bob's was imported; a text given again with no work is one."""
    text = "Rebels shelled Idlib."
    path = jsonl(
        tmp_path / "two.jsonl",
        *({"text": text, "answer": "accept", "_annotator_id": name,
           "spans": [{"start": 15, "end": 20, "label": "LOCATION"}]}
          for name in ("alice", "bob")),
        {"text": text},
    )  # fmt: skip
    with Store() as store:
        report = import_paths(store, [path])
        assert (report.added, report.duplicates, report.annotated) == (1, 1, 2)
        assert store.annotators() == ["alice", "bob"]
