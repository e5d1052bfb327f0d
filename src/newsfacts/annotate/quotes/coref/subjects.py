"""Who is a subject where: the index of subjects a pronoun may continue (SubjectIndex, shared by
coref/pronouns.py), by kind: people named as subjects (or standing in apposition to one, or set off before
a verb the parser left without a subject), "he"/"she" subjects, proper-noun subjects the NER missed or
mistyped, and nouns for a person ("my mother", "the spokeswoman"). Each list is built once per article.
"""

from __future__ import annotations

import bisect
import functools

from spacy.tokens import Token

from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.quotes.coref.gender import SUBJECT_DEPS as _SUBJECT_DEPS
from newsfacts.annotate.quotes.coref.names import _NameIndex, _norm, _Occurrence, quote_lexicon
from newsfacts.models import Entity


@functools.lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    """Lemmas of the verbs that make their subject a speaker (the cue lexicon and the quote lexicon's cues)."""
    return cue_lexicon().speech | frozenset(quote_lexicon()["quote_cue_verbs"])


# Participles that give a noun its person's name ("a worker named Antonio Arroyo").
_NAMING_VERBS = {"name", "call"}


class SubjectIndex:
    """The subject lookups of SpeakerResolver (coref/resolver.py), which holds the article's parse, entity
    mentions, quoted stretches and lexicon."""

    def _introduces(self, occurrence: _Occurrence) -> bool:
        """Is this the person's first mention, a full name followed by a role in apposition ("Henry Crespo,
        president of ...")? A plural is no one's role ("the same Dirty Dancing, 98 Degrees and Justin Timberlake
        posters": a list, not a person introduced)."""
        entity = occurrence.entity
        if len(entity.name.split()) < 2 or min(m.start for m in entity.mentions) != occurrence.start:
            return False
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        return span is not None and any(c.dep_ == "appos" and c.tag_ not in ("NNS", "NNPS") for c in span.root.children)

    @staticmethod
    def _depth(token: Token) -> int:
        depth = 0
        while token.head.i != token.i and depth < 50:
            token, depth = token.head, depth + 1
        return depth

    def _pronoun_subjects(self, wanted: str | None) -> list[Token]:
        """"he" (wanted 'male') or "she" ('female') tokens in subject position outside quotation marks, in
        text order; none for an ungendered pronoun."""
        if wanted is None:
            return []
        key = ("pronoun", wanted)
        if key not in self._subject_cache:
            words = set(self.pronouns[wanted])
            self._subject_cache[key] = [
                t for t in self.doc if t.lower_ in words and t.dep_ in _SUBJECT_DEPS and not self._in_quote(t.idx)]
        return self._subject_cache[key]

    def _possessive_subjects(self, wanted: str | None) -> list[Token]:
        """"his"/"her" (of the wanted gender) owning a subject that names no one and does not speak, outside
        quotation marks, in text order: "Her plan comes as Congress is wrestling with ..." is about her, and a
        "she said" after it goes on with whoever "her" is. "His campaign said" is the campaign speaking."""
        if wanted is None:
            return []
        key = ("possessive", wanted)
        if key not in self._subject_cache:
            words = set(self.pronouns[f"{wanted}_possessive"])
            self._subject_cache[key] = [
                t for t in self.doc
                if t.lower_ in words and t.dep_ == "poss" and t.head.dep_ in _SUBJECT_DEPS and t.head.pos_ == "NOUN"
                and t.head.head.lemma_.lower() not in speech_verbs() and self._person_id_at(t.head) is None
                and not self._in_quote(t.idx)]
        return self._subject_cache[key]

    def _propn_subjects(self, wanted: str | None) -> list[tuple[Token, Entity | None, str | None]]:
        """Proper-noun subjects outside quotation marks that the NER did not take as a person, in text order,
        with the person they name (a PERSON entity of that full name, or for a name the NER missed the latest
        person bearing it), else their words when two or more (a full name: "said Nick Witney"), else
        neither (an organisation or a lone word: "Politifact found ..."). People of the other gender are
        left out; so are places and other typed entities that are no person's name."""
        key = ("propn", wanted)
        if key not in self._subject_cache:
            by_name = {_norm(e.name): e for e in reversed(self.entities) if e.type == "PERSON"}
            found = []
            for t in self.doc:
                if t.pos_ != "PROPN" or t.dep_ not in _SUBJECT_DEPS or self._in_quote(t.idx):
                    continue
                occurrence = self.entity_at(t.idx, t.idx + len(t.text))
                if occurrence is not None and occurrence.entity.type == "PERSON":
                    continue  # a person mention: one of the names the resolver already weighs
                start, end = self._propn_run(t)
                words = [w for w in self.text[start:end].split() if _norm(w) not in self.honorifics]
                entity = by_name.get(_norm(" ".join(words))) or self._bearer(words, t.idx)
                name = None
                if entity is None and occurrence is not None and len(words) == 1:
                    # "DuVernay said" typed an organisation, in an article about Ava DuVernay: her surname.
                    entity = self._surname_bearer(words[0], t.idx)
                if entity is None and occurrence is not None:
                    if occurrence.entity.type != "ORG":
                        continue  # a place, a nationality, a work: never "he" or "she"
                    if len(words) >= 2 and self._owned_by(occurrence, start):
                        # "Fox News’ Bret Baier noticed": the organisation swallowed the name of its person.
                        name = " ".join(words)
                elif entity is None and words:
                    entity = self.resolve_name(start, end) if len(words) == 1 else None
                    entity = entity if entity is not None and entity.type == "PERSON" else None
                    if entity is None and (len(words) >= 2 or _norm(words[0]) in self._speaking_names()):
                        name = " ".join(words)
                if entity is not None and wanted is not None and self.gender.get(entity.id) not in (None, wanted):
                    continue
                found.append((t, entity, name))
            self._subject_cache[key] = found
        return self._subject_cache[key]

    def _speaking_names(self) -> set[str]:
        """Lone capitalised words, untyped by the NER, that the article itself treats as a person's name: the
        subject of a speech verb outside quotation marks ("Sexton said", "Powe wrote") or led by an honorific
        ("Ms. Acosta"). A quote's named speaker keeps such a word as its name; a pronoun continuing it does too.
        An organisation that "says" ("Politifact found", "Gallup said") is one word too, so the word must never be
        typed as an entity anywhere in the article."""
        key = ("speaking", None)
        if key not in self._subject_cache:
            typed = {_norm(w) for o in self.occurrences for w in self.text[o.start:o.end].split()}
            found = set()
            for t in self.doc:
                if t.pos_ != "PROPN" or t.tag_ == "NNPS" or not t.text[:1].isupper() or self._in_quote(t.idx):
                    continue  # a plural ("Latinos say") is a group, never "he" or "she"
                word = _norm(t.text)
                if word in typed or word in self.honorifics:
                    continue
                previous = self.doc[t.i - 1] if t.i > 0 else None
                speaks = t.dep_ in _SUBJECT_DEPS and t.head.lemma_.lower() in speech_verbs()
                titled = previous is not None and _norm(previous.text) in self.honorifics and previous.head.i == t.i
                if speaks or titled:
                    found.add(word)
            self._subject_cache[key] = found
        return self._subject_cache[key]

    def _owned_by(self, occurrence: _Occurrence, start: int) -> bool:
        """Does the organisation mention end in a possessive right before text[start:] ("Fox News’ Bret Baier",
        "CNN's Jake Tapper"), so that what follows is someone of the organisation, not its name?"""
        before = self.text[occurrence.start:start].rstrip()
        return occurrence.start < start and (before.endswith(("’", "'")) or before.endswith(("’s", "'s")))

    def _bearer(self, words: list[str], offset: int) -> Entity | None:
        """The person last named before `offset` (else first named) whose name holds all of `words` and more
        than their surname alone ("Hillary Clinton" typed an organisation: "Crooked Hillary Clinton")."""
        if len(words) < 2:
            return None
        if self._names is None:
            self._names = _NameIndex(self.occurrences)
        found = self._names.latest_before(words[-1], offset) or self._names.first_anywhere(words[-1])
        if found is None or not {_norm(w) for w in words} <= {_norm(w) for w in found.entity.name.split()}:
            return None
        return found.entity

    def _surname_bearer(self, word: str, offset: int) -> Entity | None:
        """The person with a name of two words or more holding `word`, last named before `offset`, else first."""
        if self._names is None:
            self._names = _NameIndex(self.occurrences)
        found = self._names.latest_before(word, offset) or self._names.first_anywhere(word)
        return found.entity if found is not None and len(found.entity.name.split()) >= 2 else None

    def _noun_subjects(self, wanted: str | None) -> list[Token]:
        """Common nouns for a person of a compatible gender in subject position outside quotation marks ("my
        mother", "the spokeswoman", "a voter"), that no name stands beside ("the spokesman, Jim Lee")."""
        key = ("noun", wanted)
        if key not in self._subject_cache:
            other = {w for g, words in self.gendered_words.items() if g != wanted for w in words} if wanted else set()
            nouns = self.nouns_for_a_person - other
            found = []
            for t in self.doc:
                if t.dep_ not in _SUBJECT_DEPS or not self.noun_for_someone(t, nouns):
                    continue
                if self.entity_at(t.idx, t.idx + len(t.text)) is not None:
                    continue
                if any(c.dep_ in ("appos", "compound", "flat") and self._person_id_at(c) for c in t.children):
                    continue
                found.append(t)
            self._subject_cache[key] = found
        return self._subject_cache[key]

    def noun_for_someone(self, token: Token, nouns: set[str]) -> bool:
        """Is `token` one of `nouns` standing for one particular person, outside quotation marks? Not a plural
        ("officers" is never "he" or "she"), not after a determiner that makes it no one in particular ("no other
        secretary of state had ...", "which candidate")."""
        return (token.pos_ == "NOUN" and token.tag_ != "NNS" and token.lemma_.lower() in nouns
                and not self._in_quote(token.idx)
                and not any(c.dep_ == "det" and c.lower_ in self.nonspecific_determiners for c in token.children))

    def _stranded_subject_of(self, token: Token, occurrence: _Occurrence) -> Token | None:
        """The root verb of a sentence the parser left without a subject, when the name set off by commas
        before it is that subject ("Speaking in Harlem, Clinton, without naming him, also accused ...",
        "Trump, later alleging ... that ..., said ..."): the name comes before the verb, is followed by a comma
        and is neither a possessive nor an object; or it stands right before the verb, adverbs aside, whatever the
        parser hung it on ("..., Ohio, 62-year-old Brenda Johnson also railed ..."). Its depth is the root's."""
        root = token.sent.root
        if root.pos_ not in ("VERB", "AUX") or root.i <= token.i or any(c.dep_ in _SUBJECT_DEPS for c in root.children):
            return None
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        between = self.doc[span[-1].i + 1 : root.i] if span is not None else None
        if between is not None and token.dep_ != "poss" and all(t.pos_ == "ADV" for t in between):
            # "..., Ohio, 62-year-old Brenda Johnson also railed against ...", parsed as a second object of "in":
            # a name right before the subjectless root verb (adverbs between) is its subject.
            return root
        if token.dep_ in ("poss", "pobj", "dobj") or not self.text[occurrence.end:].startswith(","):
            return None
        people, starts = self._people(None)
        position = bisect.bisect_left(starts, token.sent.start_char)  # the sentence's first person is the name
        return root if position < len(people) and people[position].start == occurrence.start else None

    def _in_subject(self, occurrence: _Occurrence) -> bool:
        return self._subject_token(occurrence) is not None

    def _subject_token(self, occurrence: _Occurrence) -> Token | None:
        """The subject token the mention is, or stands in apposition or conjunction to ("Sen. Jeff Merkley,
        a Democrat, said", "Grassley and Leahy wrote"); None for a name that only modifies the subject ("the
        Clinton campaign said", "Trump's plan would")."""
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        if span is None:
            return None
        token = span.root
        for clause in token.children:
            # "with Hillary Clinton — who's called for ...": the subject of a relative clause on the name.
            if clause.dep_ == "relcl":
                who = [c for c in clause.children if c.dep_ in _SUBJECT_DEPS and c.lower_ == "who"]
                if who:
                    return who[0]
        if token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according":
            return token  # "According to Ham, the administration ...": who the sentence is attributed to
        stranded = self._stranded_subject_of(token, occurrence)
        if stranded is not None:
            return stranded
        for _ in range(4):
            if token.dep_ in _SUBJECT_DEPS:
                return token
            if token.dep_ == "oprd" and token.head.dep_ == "acl" and token.head.lemma_.lower() in _NAMING_VERBS:
                token = token.head.head  # "a worker named Antonio Arroyo has ...", "a woman called Jane Rowe said"
                continue
            inside_name = occurrence.start <= token.head.idx < occurrence.end
            if token.head.i == token.i or not (
                token.dep_ in ("appos", "conj") or (token.dep_ in ("compound", "flat") and inside_name)
            ):
                return None
            token = token.head
        return None
