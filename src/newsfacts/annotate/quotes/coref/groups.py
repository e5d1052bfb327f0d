"""Speakers behind "it" and "they": organisations, the authors of a document, and people named together.

News uses "it" for an organisation that speaks ("the Business Council ... opposed an increase. '...,' it
recommended") and "they" for an organisation or for people named together ("Senators Grassley and Leahy
wrote ... they said"). A reader takes the pronoun as the subject of the nearest sentence that has one, as for
"he" (coref/pronouns.py), and checks that the two agree in number:
- "it": an organisation named in the singular, or a document whose author the article names ("the
  Associated Press report ..., which notes": the Associated Press); never a person, never several;
- "they": an organisation, or two or more people coordinated as the subject (every name is kept: "Charles
  E. Grassley and Patrick J. Leahy"); never one person.
Any other subject (a person for "it", a thing, an unnamed group, another pronoun) stands between the pronoun
and anything named before it: the pronoun then stays unnamed, with the mention kept.
"""

from __future__ import annotations

import functools

from spacy.tokens import Token

from newsfacts.annotate.doc_index import doc_index
from newsfacts.annotate.quotes.coref.gender import SUBJECT_DEPS
from newsfacts.annotate.quotes.coref.names import quote_lexicon
from newsfacts.models import Entity

# How many sentences with a subject a group pronoun looks back through (its own first), and how many
# earlier "it"/"they" a chain may follow ("The council said ... It added ... it recommended").
_GROUP_SENTENCES = 3
_CHAIN_LENGTH = 3
_WINDOW_PARAGRAPHS = 2
GROUP_PRONOUNS = ("it", "they")
# Entity types that speak as one body.
_BODY_TYPES = {"ORG", "NORP"}


@functools.lru_cache(maxsize=1)
def document_nouns() -> frozenset[str]:
    """Nouns for a text that speaks for its author ("the IMF report", "Pence's press release")."""
    return frozenset(quote_lexicon()["document_nouns"])


class GroupResolution:
    """The "it"/"they" rules of SpeakerResolver (coref/resolver.py), beside the "he"/"she" ones
    (coref/pronouns.py), whose helpers they share."""

    def resolve_group(self, token: Token) -> tuple[Entity | None, str | None, str]:
        """(entity, name, evidence) for "it" / "they" (module docstring); evidence 'organization', 'document',
        'people', 'chain' (through an earlier same pronoun) or 'unresolved'."""
        return self._group_antecedent(token, token.lower_, 0)

    def _group_antecedent(self, token: Token, word: str, chain: int) -> tuple[Entity | None, str | None, str]:
        index = doc_index(self.doc)
        window_start = self.paragraph_starts[max(0, self.paragraph_of(token.idx) - _WINDOW_PARAGRAPHS)]
        sentence = index.sentence_at_char(token.idx)
        limit = self.own_content_start(token)
        for _ in range(_GROUP_SENTENCES):
            if sentence < 0 or index.sentence_end_chars[sentence] <= window_start:
                break
            subject = self._sentence_subject(index.sentence_start_chars[sentence], limit, exclude=token)
            if subject is not None:
                return self._group_of(subject, word, chain)
            sentence -= 1
            limit = index.sentence_end_chars[sentence] if sentence >= 0 else 0
        return None, None, "unresolved"

    def _sentence_subject(self, start: int, end: int, exclude: Token) -> Token | None:
        """The subject outside quotation marks in text[start:end] nearest the root of its parse (on a tie the
        later one), or None."""
        span = self.doc.char_span(start, end, alignment_mode="contract") if end > start else None
        if span is None:
            return None
        subjects = [t for t in span if t.dep_ in SUBJECT_DEPS and t.i != exclude.i and not self._in_quote(t.idx)
                    and not (t.pos_ == "PRON" and t.lower_ == "it" and t.head.lemma_ == "be")]  # "It was ..."
        if not subjects:
            return None
        return min(subjects, key=lambda t: (self._depth(t), -t.i))

    def _group_of(self, subject: Token, word: str, chain: int) -> tuple[Entity | None, str | None, str]:
        if subject.pos_ == "PRON":
            if subject.lower_ == word and chain < _CHAIN_LENGTH:
                entity, name, how = self._group_antecedent(subject, word, chain + 1)
                return entity, name, "chain" if name else how
            return None, None, "unresolved"  # "he", "we", "who": someone else speaks
        author = self.document_author(subject)
        if author is not None:
            return (author, author.name, "document") if word == "it" else (None, None, "unresolved")
        occurrence = self.entity_at(subject.idx, subject.idx + len(subject.text), head=subject.idx)
        plural = subject.tag_ in ("NNS", "NNPS")
        if occurrence is not None and occurrence.entity.type in _BODY_TYPES:
            if word == "it" and (plural or any(c.dep_ == "conj" for c in subject.children)):
                return None, None, "unresolved"  # "the Democrats ... it": no agreement in number
            return occurrence.entity, occurrence.entity.name, "organization"
        if word == "they" and occurrence is not None and occurrence.entity.type == "PERSON":
            people = self._coordinated_people(subject)
            if len(people) >= 2:
                return None, " and ".join(e.name for e in people), "people"
        return None, None, "unresolved"

    def _coordinated_people(self, subject: Token) -> list[Entity]:
        """The people named by a subject and the names coordinated with it ("Grassley and Leahy"), in order."""
        people: list[Entity] = []
        for token in [subject, *subject.conjuncts]:
            occurrence = self.entity_at(token.idx, token.idx + len(token.text), head=token.idx)
            if occurrence is None or occurrence.entity.type != "PERSON":
                return []
            entity = self.resolve_name(occurrence.start, occurrence.end) or occurrence.entity
            if entity not in people:
                people.append(entity)
        return people

    def document_author(self, noun: Token) -> Entity | None:
        """The organisation or person a document noun names as its author: "the Associated Press report",
        "Pence's press release", "the IMF's statement" (a name as a compound or possessive of the noun)."""
        if noun.lemma_.lower() not in document_nouns():
            return None
        for child in noun.children:
            if child.dep_ not in ("compound", "poss") or child.i > noun.i or self._in_quote(child.idx):
                continue
            occurrence = self.entity_at(child.idx, child.idx + len(child.text), head=child.idx)
            if occurrence is not None and occurrence.entity.type in _BODY_TYPES | {"PERSON"}:
                if occurrence.entity.type == "PERSON":
                    return self.resolve_name(occurrence.start, occurrence.end) or occurrence.entity
                return occurrence.entity
        return None

    def own_content_start(self, token: Token) -> int:
        """Where the words a pronoun reports begin, when they come before it in its own sentence ("Democrats
        had 'put the biggest crack' yet ..., she said"): whoever is named there is what the speaker talks
        about, never who the pronoun is. Else the pronoun's own offset. Only unquoted words count: after a
        closing quotation mark ('"...," he said', where the parse may hang the narration before the quotation
        on "said") the quotation is the content, and quoted words are never antecedents anyway."""
        verb = token.head
        if token.dep_ not in SUBJECT_DEPS or verb.i < token.i:
            return token.idx
        if self.text[max(0, token.idx - 4) : token.idx].rstrip(" ,")[-1:] in ('"', "”", "'", "’"):
            return token.idx  # '"...," she said': the quotation is the content, already set aside
        starts = [c.left_edge.idx for c in verb.children if c.dep_ == "ccomp" and c.i < token.i]
        return min([token.idx, *starts])
