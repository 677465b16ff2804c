"""What an organisation the model found is when it is no side in the conflict: a place named
like one ("a market in Sarmin", "the al-Hol camp"), a person after a title ("WFP
spokeswoman Leni Kinzli"), or a bystander: a news outlet, a UN body, an aid agency, a
rights group, a civilian service or a company. The entity rules (``entities.py``) ask."""

from __future__ import annotations

import re
from collections.abc import Collection

from spacy.tokens import Doc

from annotator.nlp.entity_context import POSSESSIVES, NameContext, listed_with_places
from annotator.nlp.wordlists import EntityWords

_WEB_ADDRESS = re.compile(r"\.(?:com|org|net|gov|info|co|ca|uk)\b", re.IGNORECASE)


class Organisations:
    """Questions about the model's ORG entity ``doc[start:end]``."""

    def __init__(
        self,
        words: EntityWords,
        context: NameContext,
        not_factions: Collection[str],
        actor_nouns: Collection[str],
        countries: Collection[str],
    ):
        self.words = words
        self.context = context
        self.not_factions = not_factions
        self.actor_nouns = actor_nouns
        self.countries = countries

    def is_place(self, doc: Doc, start: int, end: int, known: bytearray) -> bool:
        """An ORG the lexicon does not know, named like a place and used as one: "a market in
        Sarmin", "the al-Hol camp"."""
        if any(known[start:end]) or not self.context.looks_like_place_name(doc, start, end):
            return False
        if end < len(doc):
            following = doc[end]
            if following.lower_ in self.actor_nouns:
                return False  # "Wazalendo militias"
            if following.is_lower and following.lower_ in self.words.name_nouns:
                return True  # "al-Hol camp", "al-Nashwa district"
            if following.is_alpha and following.is_lower and not following.is_stop:
                return False  # the name modifies a noun: "in Hamas tunnels"
            if following.text in POSSESSIVES:
                return False  # "in Lessing's play"
        if (
            start > 0
            and doc[start - 1].lower_ in self.words.place_prepositions
            and doc[start - 1].is_lower
        ):
            return True
        # Listed with places: "troops from Nigeria, Niger, Chad and Cameroon". Only countries:
        # other names in a list with places are as often companies ("Ubisoft, Microsoft").
        return (
            doc[start:end].text in self.countries
            and doc.has_annotation("DEP")
            and listed_with_places(doc, start, end)
        )

    def is_person(self, doc: Doc, start: int, end: int) -> bool:
        """A name after a title ("spokeswoman Leni Kinzli"), or set off by commas after a
        spokesperson ("a spokesman for the group, Al-Fateh Qurashi, said")."""
        if start > 0 and doc[start - 1].text in self.words.person_titles:
            return True
        if end - start == 1 and self._named_earlier_with_a_title(doc, start):
            return True  # "governor Oleh Kiper said ... Kiper wrote"
        if start > 1 and doc[start - 1].text == "," and end < len(doc) and doc[end].text == ",":
            before = doc[max(0, start - 8) : start - 1]
            return any(t.lower_ in ("spokesman", "spokeswoman", "spokesperson") for t in before)
        return False

    def _named_earlier_with_a_title(self, doc: Doc, at: int) -> bool:
        """Whether the one word at ``at`` ends a titled name earlier in the text: the
        person's surname, used alone from then on."""
        word, titles = doc[at].text, self.words.person_titles
        for i in range(at):
            if doc[i].text == word:
                first = i  # the capitalised words of the name it ends, up to three more
                while first > max(0, i - 3) and doc[first - 1].is_title:
                    first -= 1
                # a title before the name ("governor Oleh Kiper") or heading it ("Governor")
                if any(doc[j].text in titles for j in range(max(0, first - 1), i)):
                    return True
        return False

    def is_bystander(self, doc: Doc, start: int, end: int) -> bool:
        """A news outlet, UN body, aid agency, rights group, civilian service or company."""
        ent = doc[start:end]
        text = ent.text
        if text in self.not_factions or "news agency" in text.lower():
            return True
        words = [t.text for t in ent]
        if words[-1] in self.words.media_endings or words[-1] in self.words.company_endings:
            return True
        if _WEB_ADDRESS.search(text) or any(w in self.words.media_words for w in words):
            return True
        if words[0] in ("UN", "U.N.") or words[:2] == ["United", "Nations"]:
            return True  # "the UN Support Mission in Libya"
        lower = [t.lower_ for t in ent]
        if any(w in self.words.civil_words for w in lower) or any(
            pair in self.words.civil_pairs for pair in zip(lower, lower[1:], strict=False)
        ):
            return True  # "the Syrian Civil Defence", "the Libyan Red Crescent"
        if any(t.is_lower and t.lower_ in self.words.media_nouns for t in ent):
            return True  # "the state news [agency SANA]", "the agency"
        if not any(ch.isupper() for ch in text):
            # No name ("production &amp"), unless it designates a side: "defence ministry".
            return not any(w in self.actor_nouns or w.startswith("ministr") for w in lower)
        if end - start == 1 and ent[0].is_title and ent[0].is_stop:
            return True  # "Next", "Several": a capitalised word, not a name
        return self.context.named_as_media(doc, start, end)
