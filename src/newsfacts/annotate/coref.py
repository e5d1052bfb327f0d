"""In-document speaker resolution: from the words that attribute a quote to the entity that said it.

Rules reflect how news names people: a full name at first mention, then a surname, an honorific + surname,
a role ("the spokesman") or a pronoun. A pronoun goes to the person most recently in subject position
(the way a reader takes "he said"); a surname goes to the most recently mentioned person bearing it, so two
Kims stay apart; a spelling variant (Zinovyev / Zinoviev) is matched only when the rest of the name agrees
closely. Nothing is invented: an unresolvable mention keeps its own words and no entity.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources

import yaml
from spacy.tokens import Doc, Token

from newsfacts.models import Entity, Speaker, Span

_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# How far back (in paragraphs) a pronoun may look for its antecedent.
_PRONOUN_WINDOW_PARAGRAPHS = 3


@functools.lru_cache(maxsize=1)
def quote_lexicon() -> dict:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("quote_lexicon.yaml").read_text("utf-8"))


def _norm(word: str) -> str:
    return word.lower().strip(".,'’\"")


def _similar(a: str, b: str) -> bool:
    """Same name token, allowing a transliteration variant (Zinovyev/Zinoviev) on longer names."""
    a, b = _norm(a), _norm(b)
    if a == b:
        return True
    return len(a) >= 5 and len(b) >= 5 and a[:3] == b[:3] and SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass(frozen=True)
class _Occurrence:
    start: int
    end: int
    entity: Entity


class SpeakerResolver:
    """Resolves speaker mentions of one document against its entities."""

    def __init__(self, doc: Doc, entities: list[Entity] | tuple[Entity, ...]):
        self.doc = doc
        self.text = doc.text
        lexicon = quote_lexicon()
        honorifics = lexicon["honorifics"]
        self.honorifics = {h for group in honorifics.values() for h in group}
        self.male_honorifics = set(honorifics["male"])
        self.female_honorifics = set(honorifics["female"])
        self.role_nouns = set(lexicon["role_nouns"])
        self.pronouns = lexicon["pronouns"]
        self.entities = list(entities)
        self.occurrences = sorted(
            (_Occurrence(m.start, m.end, e) for e in self.entities for m in e.mentions), key=lambda o: o.start
        )
        self._starts = [o.start for o in self.occurrences]
        self.paragraph_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]
        self.gender = {e.id: self._gender_of(e) for e in self.entities if e.type == "PERSON"}
        # (offset, entity) of people already attributed quotes, in text order: the fallback antecedent of
        # a pronoun whose sentence window names nobody ("he said" three paragraphs into someone's turn).
        self.recent_speakers: list[tuple[int, Entity]] = []

    def note_speaker(self, offset: int, entity_id: str | None) -> None:
        entity = next((e for e in self.entities if e.id == entity_id and e.type == "PERSON"), None)
        if entity is not None:
            self.recent_speakers.append((offset, entity))

    # ---- lookups ---------------------------------------------------------------------------------

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def entity_at(self, start: int, end: int) -> _Occurrence | None:
        """The entity mention overlapping [start, end), preferring people and longer mentions."""
        hits = [o for o in self.occurrences if o.start < end and start < o.end]
        if not hits:
            return None
        return max(hits, key=lambda o: (o.entity.type == "PERSON", o.end - o.start))

    def _gender_of(self, entity: Entity) -> str | None:
        for mention in entity.mentions:
            before = self.text[max(0, mention.start - 6) : mention.start].split()
            if before:
                word = before[-1].lower()
                if word in self.male_honorifics:
                    return "male"
                if word in self.female_honorifics:
                    return "female"
        return None

    # ---- resolution ------------------------------------------------------------------------------

    def resolve_name(self, start: int, end: int) -> Entity | None:
        """A name mention to its person: the entity itself, or for a partial name the latest full bearer."""
        words = [w for w in self.text[start:end].split() if _norm(w) not in self.honorifics]
        if not words:
            return None
        occurrence = self.entity_at(start, end)
        if occurrence is not None and (occurrence.entity.type != "PERSON" or len(words) > 1):
            return occurrence.entity
        # A one-word (or honorific + one word) name: the most recent person whose name contains it.
        surname = words[-1]
        best: tuple[int, Entity] | None = None
        for other in self.occurrences:
            if other.start >= start or other.entity.type != "PERSON" or len(other.entity.name.split()) < 2:
                continue
            if any(_similar(surname, part) for part in other.entity.name.replace("-", " - ").split()):
                if best is None or other.start > best[0]:
                    best = (other.start, other.entity)
        if best is not None:
            return best[1]
        if occurrence is not None:
            return occurrence.entity
        # No earlier full name: a later one in the article (a name given in full only after a surname).
        for other in self.occurrences:
            if other.entity.type == "PERSON" and any(_similar(surname, p) for p in other.entity.name.split()):
                return other.entity
        return None

    def resolve_pronoun(self, token: Token) -> Entity | None:
        """'he'/'she' to the person last seen as a subject before it (nearest sentence first)."""
        word = token.lower_
        if word not in self.pronouns["person"]:
            return None
        wanted = "male" if word in self.pronouns["male"] else "female" if word in self.pronouns["female"] else None
        first_paragraph = max(0, self.paragraph_of(token.idx) - _PRONOUN_WINDOW_PARAGRAPHS)
        window_start = self.paragraph_starts[first_paragraph]
        sentence = token.sent
        while sentence is not None and sentence.end_char > window_start:
            limit = min(sentence.end_char, token.idx)
            candidates = [
                o for o in self.occurrences
                if sentence.start_char <= o.start and o.end <= limit and o.entity.type == "PERSON"
                and (wanted is None or self.gender.get(o.entity.id) in (None, wanted))
            ]
            if candidates:
                subjects = [o for o in candidates if self._in_subject(o)]
                chosen = (subjects or candidates)[-1]
                return self.resolve_name(chosen.start, chosen.end) or chosen.entity
            sentence = self._previous_sentence(sentence)
        earlier = [e for offset, e in self.recent_speakers if offset < token.idx
                   and (wanted is None or self.gender.get(e.id) in (None, wanted))]
        return earlier[-1] if earlier else None

    def resolve_role(self, head: Token) -> Entity | None:
        """'the spokesman' to the person introduced with that role word right before the name, if any."""
        if head.lower_ not in self.role_nouns and head.lemma_.lower() not in self.role_nouns:
            return None
        # Only a definite description points back ("the spokesman"); "a spokesperson" introduces someone new.
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None
        best = None
        for occurrence in self.occurrences:
            if occurrence.start >= head.idx or occurrence.entity.type != "PERSON":
                continue
            before = self.text[max(0, occurrence.start - 60) : occurrence.start].lower().split()
            if before and head.lemma_.lower() in [w.strip(",") for w in before[-4:]]:
                best = occurrence
        return best.entity if best else None

    def _in_subject(self, occurrence: _Occurrence) -> bool:
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        if span is None:
            return False
        token = span.root
        for _ in range(4):
            if token.dep_ in _SUBJECT_DEPS:
                return True
            if token.dep_ not in ("compound", "appos", "poss", "flat", "conj") or token.head.i == token.i:
                return False
            token = token.head
        return False

    def _previous_sentence(self, sentence):
        if sentence.start == 0:
            return None
        return self.doc[sentence.start - 1].sent

    # ---- building the published speaker -----------------------------------------------------------

    def speaker(self, mention_start: int, mention_end: int, head: Token) -> Speaker:
        """The Speaker for an attributing noun phrase text[mention_start:mention_end] headed by `head`."""
        mention = Span(text=self.text[mention_start:mention_end], start=mention_start, end=mention_end)
        if head.lower_ in ("who", "that", "which") and head.head.dep_ == "relcl" and head.head.head.i != head.i:
            # A relative pronoun stands for the noun its clause modifies ("Lynch, who said ...").
            antecedent = head.head.head
            return self.speaker(antecedent.idx, antecedent.idx + len(antecedent.text), antecedent)
        if head.pos_ == "PRON":
            entity = self.resolve_pronoun(head)
            return Speaker(
                name=entity.name if entity else None, mention=mention, kind="pronoun",
                entity_id=entity.id if entity else None,
            )
        occurrence = self.entity_at(mention_start, mention_end)
        if occurrence is not None and occurrence.start <= head.idx < occurrence.end:
            mention = Span(text=self.text[occurrence.start:occurrence.end], start=occurrence.start, end=occurrence.end)
            if occurrence.entity.type == "PERSON":
                start = self._with_honorific(occurrence.start)
                mention = Span(text=self.text[start:occurrence.end], start=start, end=occurrence.end)
                entity = self.resolve_name(occurrence.start, occurrence.end)
                return Speaker(name=entity.name if entity else mention.text, mention=mention, kind="name",
                               entity_id=entity.id if entity else None)
            return Speaker(name=occurrence.entity.name, mention=mention, kind="organization",
                           entity_id=occurrence.entity.id)
        if head.pos_ == "PROPN" and head.text[:1].isupper():
            # A name the NER missed ("Chang said"): keep the words, attach a person only if one matches.
            start, end = self._propn_run(head)
            start = self._with_honorific(start)
            mention = Span(text=self.text[start:end], start=start, end=end)
            entity = self.resolve_name(start, end)
            name = entity.name if entity else " ".join(w for w in mention.text.split() if _norm(w) not in self.honorifics)
            return Speaker(name=name, mention=mention, kind="name", entity_id=entity.id if entity else None)
        entity = self.resolve_role(head)
        kind = "title" if head.lemma_.lower() in self.role_nouns or head.lower_ in self.role_nouns else "description"
        return Speaker(name=entity.name if entity else None, description=mention.text, mention=mention, kind=kind,
                       entity_id=entity.id if entity else None)

    def _with_honorific(self, start: int) -> int:
        before = self.text[max(0, start - 6) : start]
        words = before.split()
        if words and words[-1].lower() in self.honorifics and before.endswith(" "):
            return start - len(before) + before.rfind(words[-1])
        return start

    def _propn_run(self, head: Token) -> tuple[int, int]:
        tokens = [head]
        left = head.i - 1
        while left >= 0 and self.doc[left].pos_ == "PROPN" and self.doc[left].head.i == head.i:
            tokens.insert(0, self.doc[left])
            left -= 1
        return tokens[0].idx, head.idx + len(head.text)
