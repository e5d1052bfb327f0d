"""Who is a person to the pronoun rules: the people the NER found, and the names it typed something else that the
article itself treats as people (`PeopleByAgreement`, a part of SpeakerResolver, coref/resolver.py).

The NER types "Carly Fiorina" an organisation, "Chatwal" an event, "Ivanka Trump" a product, "Melania" a place; the
pronoun rules, which continue only people, would then pass them over. A reader knows better from the article:
"he", "she", "his" and "her" agree with people, organisations are "it" and "they" (coref/gender.py); a person's
title introduces a person ("GOP chairman Reince Priebus", "Priebus, the GOP chairman,", "his wife, Melania"); and
the NER itself may have labelled one of the name's mentions PERSON. Such a name becomes, for these rules only, a
copy of its entity typed PERSON (same id, same name); the published entity keeps its type. A name the knowledge
base links keeps its type: the knowledge base knows what it is.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from newsfacts.annotate.entities.lexicon import lexicon as entity_lexicon
from newsfacts.annotate.quotes.coref.gender import agreement_gender, agreement_votes, merged_votes, possessive_votes
from newsfacts.annotate.quotes.coref.names import _norm
from newsfacts.models import Entity

# Entity types that may be a person the NER mistyped (`_people_by_agreement`): not places or nationalities.
_PERSON_LIKE_TYPES = {"ORG", "EVENT", "WORK", "PRODUCT", "OTHER"}
# ... and, given a person's title ("his wife, Melania"), a name typed a place.
_TITLED_TYPES = _PERSON_LIKE_TYPES | {"PLACE"}


def _shaped_like_a_name(name: str) -> bool:
    """Two to four capitalised words, none of them the head word of an organisation's or an event's name."""
    words = name.split()
    heads = entity_lexicon().org_heads | entity_lexicon().event_heads
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and _norm(w) not in heads for w in words)


class PeopleByAgreement:
    """The person rules of SpeakerResolver (coref/resolver.py), which holds the article's parse, entity mentions,
    quoted stretches and lexicon they read."""

    def _people_by_agreement(self, entities: list[Entity]) -> tuple[list[Entity], dict[str, dict[str, int]]]:
        """`entities` with each name the NER typed an organisation, an event, a work or a product that the
        article's "he"/"she"/"his"/"her" agree with as with a person ("Carly Fiorina threw her support ...",
        "Chatwal was clearly trying ...; indeed, he said"; a clear majority of one gender, coref/gender.py), or
        that it gives a person's title (`_titled`: "GOP chairman Reince Priebus", also for a name typed a place:
        "his wife, Melania"), made a person: a copy typed PERSON with the same id and name, for these rules only.
        So are the other such names ending in the same word ("Fiorina" beside "Carly Fiorina"). Nationalities,
        and names the knowledge base links, are left as they are. Returned with the votes of those made people (their gender, `_genders`)."""
        # An entity the knowledge base links keeps its type: the knowledge base knows what it is ("Twitter").
        candidates = {e.id: e for e in entities
                      if e.type in _TITLED_TYPES and len(e.name.split()) <= 4 and e.wikidata is None}
        if not candidates:
            return entities, {}

        def named_at(token: Token) -> str | None:
            occurrence = self.entity_at(token.idx, token.idx + len(token.text))
            entity = occurrence.entity if occurrence is not None else None
            return entity.id if entity is not None and entity.id in candidates and entity.type != "PLACE" else None

        votes = merged_votes(agreement_votes(self.doc, named_at, self._in_quote, self._person_between),
                             possessive_votes(self.doc, named_at, self._in_quote))
        agreeing = {entity_id for entity_id, tally in votes.items() if agreement_gender(tally)}
        # The NER itself took one of its mentions for a person's name, and the name has the shape of one: two to
        # four capitalised words, none the head of an organisation's or an event's name ("Eric Trump Foundation"),
        # not one word (a company the NER once took for a person: "Carrier", "Twitter").
        agreeing |= {i for i, e in candidates.items() if "PERSON" in e.ner_labels and e.type != "PLACE"
                     and _shaped_like_a_name(e.name)}
        agreeing |= {i for i, e in candidates.items() if any(
            m.caption is None and self._titled(m.start, m.end, e.type == "PLACE") for m in e.mentions)}
        if not agreeing:
            return entities, {}
        surnames = {_norm(candidates[i].name.split()[-1]) for i in agreeing}
        people = {i for i, e in candidates.items()
                  if i in agreeing or (e.type != "PLACE" and _norm(e.name.split()[-1]) in surnames)}
        made = [e.model_copy(update={"type": "PERSON"}) if e.id in people else e for e in entities]
        return made, {i: votes[i] for i in people if i in votes}

    def _titled(self, start: int, end: int, place: bool = False) -> bool:
        """Is the name at text[start:end] given a person's title: an honorific, a gendered word or a role right
        before it ("Sen. Grassley", "his wife, Melania", "GOP chairman Reince Priebus") or a role, gendered or
        person noun in apposition after it ("Priebus, the GOP chairman,")? A name that only modifies a noun after
        it is no one titled ("the chief U.S. military adviser"). For a name typed a place (`place`) only an
        honorific or a gendered word counts: a place has no wife, but "San Jose, California the GOP candidate"
        parses as an apposition."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.root.dep_ in ("compound", "amod", "nmod", "poss"):
            return False
        words = self.gendered_nouns if place else self.role_nouns | self.gendered_nouns
        before = self.text[max(0, start - 30) : start].lower().replace(",", " ").split()
        if before and (before[-1] in self.honorifics or re.sub(r"[’']s?$", "", before[-1]) in words):
            return True
        return not place and self.text[end:end + 1] == "," and any(
            c.dep_ == "appos" and c.tag_ == "NN" and c.lemma_.lower() in words | self.person_nouns
            for c in span.root.children)
