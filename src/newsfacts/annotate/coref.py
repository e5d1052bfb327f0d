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

from newsfacts.annotate.doc_index import doc_index, text_of
from newsfacts.annotate.gender import agreement_gender, agreement_votes, title_gender
from newsfacts.models import Entity, Speaker, Span

_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# How far back (in paragraphs) a pronoun may look for its antecedent.
_PRONOUN_WINDOW_PARAGRAPHS = 3
# How many sentences naming someone a pronoun looks back through for one in subject position.
_PRONOUN_SENTENCES = 4
# How many pronouns a chain ("Fowler said ... He added ... he said") may pass through to reach a name.
_CHAIN_LENGTH = 6
# Nouns for a person that, as the subject a pronoun continues, stand for someone unnamed ("my mother ... she
# said"), unless a definite role points back to someone introduced with it (SpeakerResolver.resolve_role).
_PERSON_NOUNS = {"man", "woman", "boy", "girl", "mom", "dad", "person", "voter", "resident", "supporter", "widow"}


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


class _NameIndex:
    """Person mentions by the words of their entity's name, for matching a surname in log time.

    `_similar` accepts the same word, or for words of five letters or more a variant sharing the first three
    letters; so candidate words are looked up by the word itself and by its first three letters."""

    def __init__(self, occurrences: list[_Occurrence]):
        # Each person entity's mentions in text order, and its name words both ways the rules split them.
        self.mentions: dict[str, list[_Occurrence]] = {}
        self.entities: dict[str, Entity] = {}
        for occurrence in occurrences:
            if occurrence.entity.type == "PERSON":
                self.mentions.setdefault(occurrence.entity.id, []).append(occurrence)
                self.entities.setdefault(occurrence.entity.id, occurrence.entity)
        self.order = {id(o): i for i, o in enumerate(occurrences)}
        self.hyphen_split = self._words(lambda e: e.name.replace("-", " - ").split() if len(e.name.split()) >= 2 else [])
        self.space_split = self._words(lambda e: e.name.split())
        self._cache: dict[tuple[bool, str], list[str]] = {}

    def _words(self, split) -> tuple[dict[str, set[str]], dict[str, dict[str, set[str]]]]:
        exact: dict[str, set[str]] = {}
        by_prefix: dict[str, dict[str, set[str]]] = {}
        for entity_id, entity in self.entities.items():
            for word in split(entity):
                word = _norm(word)
                exact.setdefault(word, set()).add(entity_id)
                if len(word) >= 5:
                    by_prefix.setdefault(word[:3], {}).setdefault(word, set()).add(entity_id)
        return exact, by_prefix

    def _matching(self, surname: str, hyphen: bool) -> list[str]:
        """Ids of the person entities having a name word `_similar` to `surname`."""
        key = (hyphen, surname)
        if key not in self._cache:
            exact, by_prefix = self.hyphen_split if hyphen else self.space_split
            word = _norm(surname)
            found = set(exact.get(word, ()))
            if len(word) >= 5:
                for other, ids in by_prefix.get(word[:3], {}).items():
                    if not ids <= found and _similar(word, other):
                        found |= ids
            self._cache[key] = sorted(found)
        return self._cache[key]

    def latest_before(self, surname: str, offset: int) -> _Occurrence | None:
        """The mention starting last before `offset` of a person with a two-word name or longer containing
        `surname` (on equal starts, the first in mention order)."""
        best: _Occurrence | None = None
        for entity_id in self._matching(surname, hyphen=True):
            mentions = self.mentions[entity_id]
            position = bisect.bisect_left(mentions, offset, key=lambda o: o.start) - 1
            if position < 0:
                continue
            first_at = bisect.bisect_left(mentions, mentions[position].start, key=lambda o: o.start)
            candidate = mentions[first_at]
            if best is None or (candidate.start, -self.order[id(candidate)]) > (best.start, -self.order[id(best)]):
                best = candidate
        return best

    def first_anywhere(self, surname: str) -> _Occurrence | None:
        """The first mention, in mention order, of a person with a name word similar to `surname`."""
        firsts = [self.mentions[i][0] for i in self._matching(surname, hyphen=False)]
        return min(firsts, key=lambda o: self.order[id(o)], default=None)


class SpeakerResolver:
    """Resolves speaker mentions of one document against its entities."""

    def __init__(
        self, doc: Doc, entities: list[Entity] | tuple[Entity, ...], quoted: list[tuple[int, int]] | None = None
    ):
        """`quoted`: (start, end) of the article's quoted stretches, sorted. A name said inside a quote ("I
        love Larry," he said) is what the speaker talks about, never the antecedent of the pronoun that
        attributes it."""
        self.doc = doc
        self._quoted = sorted(quoted or [])
        self._quoted_starts = [q[0] for q in self._quoted]
        # How the last pronoun was resolved: 'subject' (a person in subject position in the nearest sentence
        # that names one), 'same_sentence' (named before it in its own sentence, not as a subject), 'fragment'
        # (named in a verbless line before it), 'gender' (the one person of the right gender in a sentence
        # whose subject is of the other),
        # 'earlier_subject' (in a sentence further back), 'speaker_turn' (the last quoted
        # speaker), 'object' (a person named in the sentence but not as its subject) or None (unresolved).
        self.last_evidence: str | None = None
        # The evidence behind the last Speaker built (`speaker`), the key of the confidence table
        # (quotes.speaker_confidence): '<kind>:<how>' such as 'pronoun:subject' or 'name:resolved'.
        self.last_speaker_evidence = "none"
        self.text = text_of(doc)
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
        self._longest = max((o.end - o.start for o in self.occurrences), default=0)
        self.paragraph_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]
        self.gendered_words = {g: set(lexicon["gendered_words"][g]) for g in ("male", "female")}
        self.gender = self._genders()
        self._people_by_id = {e.id: e for e in reversed(self.entities) if e.type == "PERSON"}  # first wins
        # (offset, entity) of people already attributed quotes, in text order: the fallback antecedent of
        # a pronoun whose sentence window names nobody ("he said" three paragraphs into someone's turn).
        self.recent_speakers: list[tuple[int, Entity]] = []
        # Lookup tables built on first use, so that each question costs a binary search, not a pass over
        # every mention of the article (see _NameIndex, _people, _role_index).
        self._names: _NameIndex | None = None
        self._people_cache: dict[str | None, tuple[list[_Occurrence], list[int]]] = {}
        self._roles: dict[str, list[_Occurrence]] | None = None
        self._subject_cache: dict[tuple[str, str | None], list] = {}
        # Each pronoun's (person, name, evidence) once resolved, by token index: a chain is followed once.
        self._antecedents: dict[int, tuple[Entity | None, str | None, str | None]] = {}
        # The name behind the last pronoun resolved (resolve_pronoun): its person's, or a name with no entity.
        self.last_pronoun_name: str | None = None

    def note_speaker(self, offset: int, entity_id: str | None) -> None:
        entity = self._people_by_id.get(entity_id) if entity_id is not None else None
        if entity is not None:
            self.recent_speakers.append((offset, entity))

    # ---- lookups ---------------------------------------------------------------------------------

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def entity_at(self, start: int, end: int) -> _Occurrence | None:
        """The entity mention overlapping [start, end), preferring people and longer mentions."""
        first = bisect.bisect_left(self._starts, start - self._longest + 1)
        last = bisect.bisect_left(self._starts, end)
        hits = [o for o in self.occurrences[first:last] if o.start < end and start < o.end]
        if not hits:
            return None
        return max(hits, key=lambda o: (o.entity.type == "PERSON", o.end - o.start))

    def _in_quote(self, start: int) -> bool:
        position = bisect.bisect_right(self._quoted_starts, start) - 1
        return position >= 0 and start < self._quoted[position][1]

    def _genders(self) -> dict[str, str | None]:
        """Each person's gender as the article gives it (newsfacts.annotate.gender): a one-sided title or role
        word next to a mention, else a clear majority of "he"/"she" agreeing with the person as subject."""
        honorifics = {"male": self.male_honorifics, "female": self.female_honorifics}
        people = [e for e in self.entities if e.type == "PERSON"]
        votes = agreement_votes(self.doc, self._person_id_at, self._in_quote, self._person_between) if people else {}
        return {
            e.id: title_gender(self.text, (m.start for m in e.mentions), honorifics, self.gendered_words)
            or agreement_gender(votes.get(e.id))
            for e in people
        }

    def _person_between(self, start: int, end: int) -> bool:
        """Is a person named (outside quotation marks) wholly inside text[start:end]?"""
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        return any(o.entity.type == "PERSON" and o.end <= end and not self._in_quote(o.start)
                   for o in self.occurrences[first:last])

    def _person_id_at(self, token: Token) -> str | None:
        occurrence = self.entity_at(token.idx, token.idx + len(token.text))
        return occurrence.entity.id if occurrence is not None and occurrence.entity.type == "PERSON" else None

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
        if self._names is None:
            self._names = _NameIndex(self.occurrences)
        best = self._names.latest_before(surname, start)
        if best is not None:
            return best.entity
        if occurrence is not None:
            return occurrence.entity
        # No earlier full name: a later one in the article (a name given in full only after a surname).
        first = self._names.first_anywhere(surname)
        return first.entity if first is not None else None

    def resolve_pronoun(self, token: Token) -> Entity | None:
        """'he'/'she' to the person it continues: the main-clause subject of the nearest sentence with a
        subject that can be that person (a name, or an earlier "he"/"she" followed back to its own name)."""
        self.last_evidence, self.last_pronoun_name = None, None
        if token.lower_ not in self.pronouns["person"]:
            return None
        entity, self.last_pronoun_name, self.last_evidence = self._antecedent(token, 0)
        return entity

    def _antecedent(self, token: Token, chain: int) -> tuple[Entity | None, str | None, str | None]:
        """(person, name, evidence) for the pronoun `token`; the name is the person's, or a name the NER
        missed with no entity ("said Nick Witney"). `chain`: how many pronouns were followed to reach it."""
        memo = self._antecedents.get(token.i)
        if memo is not None:
            return memo
        word = token.lower_ if token.pos_ == "PRON" else token.lemma_.lower()
        wanted = "male" if word in self.pronouns["male"] else "female" if word in self.pronouns["female"] else None
        if token.pos_ != "PRON":  # a description followed back: "the spokeswoman" is a woman
            wanted = next((g for g, words in self.gendered_words.items() if word in words), None)
        first_paragraph = max(0, self.paragraph_of(token.idx) - _PRONOUN_WINDOW_PARAGRAPHS)
        window_start = self.paragraph_starts[first_paragraph]
        index = doc_index(self.doc)
        # The subject of the nearest sentence with one that fits, else of a sentence further back in the window;
        # a person named only as an object is the last resort, after the speaker of the last quote.
        offset, fallback = token.idx, None
        found: tuple[Entity | None, str | None, str | None] | None = None
        for step in range(_PRONOUN_SENTENCES):
            sentence = self._nearest_candidate_sentence(offset, window_start, wanted)
            if sentence is None:
                break
            sentence_start = index.sentence_start_chars[sentence]
            limit = min(index.sentence_end_chars[sentence], offset)
            candidates = self._people_between(sentence_start, limit, wanted)
            subject = self._main_subject(candidates, sentence_start, limit, wanted)
            if subject is not None:
                kind, chosen = subject
                how = "subject" if step == 0 else "earlier_subject"
                if kind == "name":
                    found = self._named(self.resolve_name(chosen.start, chosen.end) or chosen.entity, how)
                elif kind == "propn":
                    # A subject the NER missed or mistyped: its person, or its words when they are a full name
                    # ("said Nick Witney"), or nobody ("Politifact found ..." stands between the pronoun and
                    # any earlier person).
                    entity, name = chosen[1], chosen[2]
                    found = (entity, entity.name if entity else name, how if entity or name else "unnamed_subject")
                elif kind == "pronoun":
                    # "Fowler said ... He added ... he said": the earlier pronoun's person, followed back.
                    followed = self._antecedent(chosen, chain + 1) if chain < _CHAIN_LENGTH else (None, None, None)
                    found = (followed[0], followed[1], "chain" if followed[1] else "unresolved")
                elif self._definite(chosen):
                    # "The Republican nominee noted ... He said": a definite description is the person the
                    # article introduced with those words, else someone it has named before, followed back.
                    introduced = self._introduced_as(chosen)
                    if introduced is not None:
                        found = self._named(introduced, "role")
                    else:
                        followed = self._antecedent(chosen, chain + 1) if chain < _CHAIN_LENGTH else (None, None, None)
                        found = (followed[0], followed[1], "chain" if followed[1] else "description")
                else:
                    # "My mother ... she said", "a spokesman said ... he said": someone the article does not name.
                    found = (None, None, "description")
                break
            if step == 0 and candidates and index.sentence_at_char(candidates[-1].start) == index.sentence_at_char(token.idx):
                # Named earlier in the pronoun's own sentence, though not as a subject ("A spokesperson for the
                # State Department Matthew Miller He says", "Trump attacked Machado and she said").
                chosen = candidates[-1]
                found = self._named(self.resolve_name(chosen.start, chosen.end) or chosen.entity, "same_sentence")
                break
            sentence_span = self.doc.char_span(
                index.sentence_start_chars[sentence], index.sentence_end_chars[sentence], alignment_mode="expand")
            if (candidates and sentence_span is not None and not any(t.dep_ in _SUBJECT_DEPS for t in sentence_span)
                    and len(candidates[-1].entity.name.split()) >= 2):
                # A verbless line naming someone ("A spokesperson for the State Department Matthew Miller" before
                # "He says"): nobody else is its subject, so the full name it holds is who the pronoun continues
                # (a lone word is no introduction: "Harsh? He doesn't think so.").
                chosen = candidates[-1]
                found = self._named(self.resolve_name(chosen.start, chosen.end) or chosen.entity, "fragment")
                break
            if candidates and wanted is not None and self._subject_of_other_gender(sentence, wanted):
                # "Mr. Tom Reed met the spokeswoman Jane Doe ... she said": the subject is ruled out by gender,
                # which leaves the one person of the right gender the sentence names.
                chosen = candidates[-1]
                found = self._named(self.resolve_name(chosen.start, chosen.end) or chosen.entity, "gender")
                break
            fallback = fallback or (candidates[-1] if candidates else None)
            offset = sentence_start
        if found is None:
            found = (None, None, "object" if fallback is not None else None)
            for offset, entity in reversed(self.recent_speakers):
                if offset < window_start:
                    break  # a turn that ended paragraphs ago is no evidence
                if offset < token.idx and (wanted is None or self.gender.get(entity.id) in (None, wanted)):
                    found = self._named(entity, "speaker_turn")
                    break
            # Otherwise a person named near the pronoun but never as a subject ("She says his temperament ..."
            # after "... a tweet attacking Alicia Machado") is too weak to put words in their mouth: no name.
        self._antecedents[token.i] = found
        return found

    @staticmethod
    def _definite(noun: Token) -> bool:
        """"the nominee", "the Republican nominee": a description that points back (not "a", "my", "his")."""
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children) and not any(
            c.dep_ == "poss" for c in noun.children)

    def _introduced_as(self, noun: Token) -> Entity | None:
        """The last person introduced before `noun` with its role word and every word modifying it ("the
        Republican nominee": "Republican presidential nominee Donald Trump", not "Democratic vice presidential
        nominee Tim Kaine")."""
        lemma = noun.lemma_.lower()
        if lemma not in self.role_nouns:
            return None
        modifiers = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i}
        for occurrence in reversed(self._role_index().get(lemma, [])):
            if occurrence.start >= noun.idx:
                continue
            near = set(self.text[max(0, occurrence.start - 60) : occurrence.end + 50].lower().replace(",", " ").split())
            if modifiers <= near:
                return occurrence.entity
        return None

    @staticmethod
    def _named(entity: Entity | None, evidence: str) -> tuple[Entity | None, str | None, str]:
        return entity, entity.name if entity else None, evidence

    def _main_subject(
        self, people: list[_Occurrence], start: int, end: int, wanted: str | None
    ) -> tuple[str, _Occurrence | Token | tuple] | None:
        """The subject in text[start:end] (one sentence) nearest the root of its parse, among people named as
        subjects ('name'), "he"/"she" subjects of the wanted gender ('pronoun') and nouns for a person
        ('description'); on a tie the later one. "Clinton says ... that Trump never contributed": Clinton."""
        options: list[tuple[float, int, str, object]] = []
        for occurrence in people:
            subject = self._subject_token(occurrence)
            if subject is not None:
                options.append((self._depth(subject), occurrence.start, "name", occurrence))
            elif self._introduces(occurrence):
                # "... concerns Henry Crespo, president of the Florida Democratic Black Caucus." before a quote: a
                # source introduced with a role outranks a subject of a subordinate clause, not the main one.
                options.append((1.5, occurrence.start, "name", occurrence))
        for kind, tokens in (("pronoun", self._pronoun_subjects(wanted)), ("description", self._noun_subjects(wanted))):
            low = bisect.bisect_left(tokens, start, key=lambda t: t.idx)
            high = bisect.bisect_left(tokens, end, key=lambda t: t.idx)
            options.extend((self._depth(t), t.idx, kind, t) for t in tokens[low:high])
        names = self._propn_subjects(wanted)
        low = bisect.bisect_left(names, start, key=lambda n: n[0].idx)
        high = bisect.bisect_left(names, end, key=lambda n: n[0].idx)
        options.extend((self._depth(n[0]), n[0].idx, "propn", n) for n in names[low:high])
        if not options:
            return None
        _, _, kind, chosen = min(options, key=lambda o: (o[0], -o[1]))
        return kind, chosen

    def _introduces(self, occurrence: _Occurrence) -> bool:
        """Is this the person's first mention, a full name followed by a role in apposition ("Henry Crespo,
        president of ...")?"""
        entity = occurrence.entity
        if len(entity.name.split()) < 2 or min(m.start for m in entity.mentions) != occurrence.start:
            return False
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        return span is not None and any(c.dep_ == "appos" for c in span.root.children)

    @staticmethod
    def _depth(token: Token) -> int:
        depth = 0
        while token.head.i != token.i and depth < 50:
            token, depth = token.head, depth + 1
        return depth

    def _nearest_candidate_sentence(self, offset: int, window_start: int, wanted: str | None) -> int | None:
        """The last sentence before `offset` (its own sentence first, up to `offset`) holding a person mention
        or a pronoun or noun subject that can stand for the person, if it ends after `window_start`."""
        index = doc_index(self.doc)
        if not index.sentence_starts:
            return None
        latest = -1
        people = self._nearest_sentence_people(offset, window_start, wanted)
        if people:
            latest = index.sentence_at_char(people[-1].start)
        # A proper-noun subject counts whether or not it names someone: "Clinton leaned in ..." with Clinton
        # typed an organisation still stands between a "she" and anyone named before it.
        named = [n[0] for n in self._propn_subjects(wanted)]
        for tokens in (self._pronoun_subjects(wanted), self._noun_subjects(wanted), named):
            position = bisect.bisect_left(tokens, offset, key=lambda t: t.idx) - 1
            if position >= 0:
                latest = max(latest, index.sentence_at_char(tokens[position].idx))
        if latest < 0 or index.sentence_end_chars[latest] <= window_start:
            return None
        return latest

    def _people_between(self, start: int, end: int, wanted: str | None) -> list[_Occurrence]:
        people, starts = self._people(wanted)
        low, high = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return [o for o in people[low:high] if o.end <= end]

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
                elif entity is None and words:
                    entity = self.resolve_name(start, end) if len(words) == 1 else None
                    entity = entity if entity is not None and entity.type == "PERSON" else None
                    name = " ".join(words) if entity is None and len(words) >= 2 else None
                if entity is not None and wanted is not None and self.gender.get(entity.id) not in (None, wanted):
                    continue
                found.append((t, entity, name))
            self._subject_cache[key] = found
        return self._subject_cache[key]

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
            nouns = (_PERSON_NOUNS | self.role_nouns | {w for words in self.gendered_words.values() for w in words}) - other
            found = []
            for t in self.doc:
                if t.pos_ != "NOUN" or t.dep_ not in _SUBJECT_DEPS or t.lemma_.lower() not in nouns or t.tag_ == "NNS":
                    continue  # "officers" is never "he" or "she"
                if self._in_quote(t.idx) or self.entity_at(t.idx, t.idx + len(t.text)) is not None:
                    continue
                if any(c.dep_ in ("appos", "compound", "flat") and self._person_id_at(c) for c in t.children):
                    continue
                found.append(t)
            self._subject_cache[key] = found
        return self._subject_cache[key]

    def _subject_of_other_gender(self, sentence: int, wanted: str) -> bool:
        """Does sentence number `sentence` have a person in subject position known to be of the other gender?"""
        index = doc_index(self.doc)
        people, starts = self._people(None)
        low = bisect.bisect_left(starts, index.sentence_start_chars[sentence])
        high = bisect.bisect_left(starts, index.sentence_end_chars[sentence])
        return any(
            self.gender.get(o.entity.id) not in (None, wanted) and self._in_subject(o) for o in people[low:high]
        )

    def _people(self, wanted: str | None) -> tuple[list[_Occurrence], list[int]]:
        """Person mentions of a compatible gender, in text order, with their start offsets."""
        if wanted not in self._people_cache:
            people = [o for o in self.occurrences if o.entity.type == "PERSON" and not self._in_quote(o.start)
                      and (wanted is None or self.gender.get(o.entity.id) in (None, wanted))]
            self._people_cache[wanted] = (people, [o.start for o in people])
        return self._people_cache[wanted]

    def _nearest_sentence_people(self, offset: int, window_start: int, wanted: str | None) -> list[_Occurrence]:
        """The person mentions of the last sentence before `offset` (its own sentence first, up to
        `offset`) that holds any, looking back no further than sentences ending after `window_start`.

        The same answer as walking the sentences backwards and testing every mention in each, found from
        the mentions' side: the latest mention that lies wholly in one sentence names that sentence."""
        index = doc_index(self.doc)
        if not index.sentence_starts:
            return []
        people, starts = self._people(wanted)
        position = bisect.bisect_left(starts, offset) - 1
        while position >= 0:
            occurrence = people[position]
            k = index.sentence_at_char(occurrence.start)
            if k < 0 or index.sentence_end_chars[k] <= window_start:
                return []
            sentence_start, sentence_end = index.sentence_start_chars[k], index.sentence_end_chars[k]
            if occurrence.end <= min(sentence_end, offset):
                found = []
                while position >= 0 and people[position].start >= sentence_start:
                    if people[position].end <= min(sentence_end, offset):
                        found.append(people[position])
                    position -= 1
                return found[::-1]
            position -= 1
        return []

    def resolve_role(self, head: Token) -> Entity | None:
        """'the spokesman' to the person introduced with that role word right before the name, if any."""
        if head.lower_ not in self.role_nouns and head.lemma_.lower() not in self.role_nouns:
            return None
        # Only a definite description points back ("the spokesman"); "a spokesperson" introduces someone new.
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None
        # The last person introduced with this role word before the mention.
        introduced = self._role_index().get(head.lemma_.lower(), [])
        position = bisect.bisect_left(introduced, head.idx, key=lambda o: o.start) - 1
        return introduced[position].entity if position >= 0 else None

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
        for _ in range(4):
            if token.dep_ in _SUBJECT_DEPS:
                return token
            inside_name = occurrence.start <= token.head.idx < occurrence.end
            if token.head.i == token.i or not (
                token.dep_ in ("appos", "conj") or (token.dep_ in ("compound", "flat") and inside_name)
            ):
                return None
            token = token.head
        return None

    # ---- building the published speaker -----------------------------------------------------------

    def speaker(self, mention_start: int, mention_end: int, head: Token) -> Speaker:
        """The Speaker for an attributing noun phrase text[mention_start:mention_end] headed by `head`."""
        found = self._speaker(mention_start, mention_end, head)
        if found.kind == "pronoun":
            how = self.last_evidence or "unresolved"
        else:
            how = "resolved" if found.entity_id else "unresolved"
        self.last_speaker_evidence = f"{found.kind}:{how}"
        return found

    def _speaker(self, mention_start: int, mention_end: int, head: Token) -> Speaker:
        mention = Span(text=self.text[mention_start:mention_end], start=mention_start, end=mention_end)
        if head.lower_ in ("who", "that", "which") and head.head.dep_ == "relcl" and head.head.head.i != head.i:
            # A relative pronoun stands for the noun its clause modifies ("Lynch, who said ...").
            antecedent = head.head.head
            return self._speaker(antecedent.idx, antecedent.idx + len(antecedent.text), antecedent)
        if head.pos_ == "PRON":
            entity = self.resolve_pronoun(head)
            return Speaker(
                name=entity.name if entity else self.last_pronoun_name, mention=mention, kind="pronoun",
                entity_id=entity.id if entity else None,
            )
        occurrence = self.entity_at(mention_start, mention_end)
        title = self._title_only(mention_start, mention_end, occurrence)
        if title is not None:
            # "said Wilmington Mayor", "the Shadow Secretary said": a title, capitalised or not, is not a name;
            # it stands for the person the article introduces with it, when there is one.
            start, end = title
            mention = Span(text=self.text[start:end], start=start, end=end)
            words = self.text[start:end].split()
            # "A German foreign ministry spokesperson" introduces someone new; only "the mayor" or a bare
            # "Wilmington Mayor" points back to someone introduced.
            indefinite = _norm(words[0]) in ("a", "an", "another", "one")
            entity = None if indefinite else self.resolve_title(_norm(words[-1]), start)
            return Speaker(name=entity.name if entity else None, description=mention.text, mention=mention,
                           kind="title", entity_id=entity.id if entity else None)
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

    def _title_only(self, start: int, end: int, occurrence: _Occurrence | None) -> tuple[int, int] | None:
        """(start, end) of the mention when its words are only a title ("Wilmington Mayor", "Shadow
        Secretary"): it ends in a role noun and holds no word of a person's name the NER found in it."""
        words = self.text[start:end].split()
        if not words or _norm(words[-1]) not in self.role_nouns or len(words) > 5:
            return None
        if occurrence is not None and occurrence.entity.type == "PERSON":
            name_words = {_norm(w) for w in occurrence.entity.name.split()}
            if not name_words <= {_norm(w) for w in words}:
                return None  # a mention naming someone as well ("Mayor Mike Purzycki")
            start, end = min(start, occurrence.start), max(end, occurrence.end)
            start = start if start <= occurrence.start else occurrence.start
            if _norm(self.text[start:end].split()[-1]) not in self.role_nouns:
                return None
        while start < end and self.text[start] in " ,":
            start += 1
        return (start, end) if start < end else None

    def resolve_title(self, role: str, offset: int) -> Entity | None:
        """The person the article introduces with the title word `role` ("Wilmington Mayor Mike Purzycki",
        "Mike Purzycki, the mayor"): the last one before `offset`, else the first after; none when the title
        introduces nobody. A title that is itself a PERSON entity's whole name is not an introduction."""
        introduced = [o for o in self._role_index().get(role, []) if _norm(o.entity.name.split()[-1]) != role]
        before = [o for o in introduced if o.start < offset]
        if before:
            return before[-1].entity
        return introduced[0].entity if introduced else None

    def _role_index(self) -> dict[str, list[_Occurrence]]:
        """Person mentions by the words right before them (a title) or in the apposition right after them."""
        if self._roles is None:
            self._roles = {}
            for occurrence in self.occurrences:
                if occurrence.entity.type != "PERSON":
                    continue
                before = self.text[max(0, occurrence.start - 60) : occurrence.start].lower().split()
                after = self.text[occurrence.end : occurrence.end + 50]
                words = {w.strip(",") for w in before[-4:]}
                if after.startswith(","):
                    words |= {_norm(w) for w in after[1:].split(",")[0].split()[:5]}
                for word in words:
                    self._roles.setdefault(word, []).append(occurrence)
        return self._roles

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
