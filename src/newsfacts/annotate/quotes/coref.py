"""In-document speaker resolution: from the words that attribute a quote to the entity that said it.

Rules reflect how news names people: a full name at first mention, then a surname, an honorific + surname,
a role ("the spokesman") or a pronoun. A pronoun goes to the person most recently in subject position
(the way a reader takes "he said"), never to a person of the other gender, a name led by "the" or a name
coordinated with the same pronoun ("he and Farrow"); a surname goes to the most recently mentioned person
bearing it, so two Kims stay apart; a spelling variant (Zinovyev / Zinoviev) is matched only when the rest
of the name agrees closely. Nothing is invented: an unresolvable mention keeps its own words and no entity.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources

import yaml
from spacy.tokens import Doc, Token

from newsfacts.annotate.doc_index import doc_index, text_of
from newsfacts.models import Entity, Speaker, Span

_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# How far back (in paragraphs) a pronoun may look for its antecedent.
_PRONOUN_WINDOW_PARAGRAPHS = 3
# How many sentences naming someone a pronoun looks back through for one in subject position.
_PRONOUN_SENTENCES = 4


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
        # (quotes/confidence.py): '<kind>:<how>' such as 'pronoun:subject' or 'name:resolved'.
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
        self.gender = {e.id: self._gender_of(e) for e in self.entities if e.type == "PERSON"}
        self._people_by_id = {e.id: e for e in reversed(self.entities) if e.type == "PERSON"}  # first wins
        # (offset, entity) of people already attributed quotes, in text order: the fallback antecedent of
        # a pronoun whose sentence window names nobody ("he said" three paragraphs into someone's turn).
        self.recent_speakers: list[tuple[int, Entity]] = []
        # Lookup tables built on first use, so that each question costs a binary search, not a pass over
        # every mention of the article (see _NameIndex, _people, _role_index).
        self._names: _NameIndex | None = None
        self._people_cache: dict[str | None, tuple[list[_Occurrence], list[int]]] = {}
        self._roles: dict[str, list[_Occurrence]] | None = None

    def note_speaker(self, offset: int, entity_id: str | None) -> None:
        entity = self._people_by_id.get(entity_id) if entity_id is not None else None
        if entity is not None:
            self.recent_speakers.append((offset, entity))

    # ---- lookups ---------------------------------------------------------------------------------

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def entity_at(self, start: int, end: int, head: int | None = None) -> _Occurrence | None:
        """The entity mention overlapping [start, end), preferring people, then the mention holding the offset
        `head` (the phrase's head word: "Wilmington Mayor Bill Saffo" names Bill Saffo, whatever the NER made
        of "Wilmington Mayor"), then longer mentions."""
        first = bisect.bisect_left(self._starts, start - self._longest + 1)
        last = bisect.bisect_left(self._starts, end)
        hits = [o for o in self.occurrences[first:last] if o.start < end and start < o.end]
        if not hits:
            return None
        return max(hits, key=lambda o: (
            o.entity.type == "PERSON", head is not None and o.start <= head < o.end, o.end - o.start))

    def _in_quote(self, start: int) -> bool:
        position = bisect.bisect_right(self._quoted_starts, start) - 1
        return position >= 0 and start < self._quoted[position][1]

    def _gender_of(self, entity: Entity) -> str | None:
        """'male' / 'female' when the article says so next to a mention: an honorific (Mr., Mrs.) or a gendered
        role word ("spokeswoman Jen Psaki", "his wife, Soon-Yi Previn"); None otherwise (a first name alone
        is not taken as evidence)."""
        found: set[str] = set()
        for mention in entity.mentions:
            before = self.text[max(0, mention.start - 25) : mention.start].lower().replace(",", " ").split()
            if before and before[-1] in self.male_honorifics:
                found.add("male")
            elif before and before[-1] in self.female_honorifics:
                found.add("female")
            # Right before the name only: in "her daughter at Allen's apartment" the daughter is not Allen.
            word = re.sub(r"[’']s?$", "", before[-1]) if before else ""
            for gender, words in self.gendered_words.items():
                if word in words:
                    found.add(gender)
        return found.pop() if len(found) == 1 else None

    # ---- resolution ------------------------------------------------------------------------------

    def resolve_name(self, start: int, end: int) -> Entity | None:
        """A name mention to its person: the entity itself, or for a partial name the latest full bearer."""
        words = [w for w in self.text[start:end].split() if _norm(w) not in self.honorifics]
        if not words:
            return None
        occurrence = self.entity_at(start, end, head=len(self.text[:end].rstrip()) - 1)
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
        """'he'/'she' to the person last seen as a subject before it (nearest sentence first)."""
        word = token.lower_
        if word not in self.pronouns["person"]:
            return None
        wanted = "male" if word in self.pronouns["male"] else "female" if word in self.pronouns["female"] else None
        self.last_evidence = None
        first_paragraph = max(0, self.paragraph_of(token.idx) - _PRONOUN_WINDOW_PARAGRAPHS)
        window_start = self.paragraph_starts[first_paragraph]
        # The subject of the nearest sentence naming someone, else of a sentence further back in the window;
        # a person named only as an object is the last resort, after the speaker of the last quote.
        offset, fallback = token.idx, None
        index = doc_index(self.doc)
        for step in range(_PRONOUN_SENTENCES):
            named = self._nearest_sentence_people(offset, window_start, wanted)
            if not named:
                break
            # "he and Farrow were apart ... he writes": the pronoun goes on with the "he" of that pair, so the
            # person named beside it is someone else.
            candidates = [o for o in named if not self._beside_pronoun(o, word)]
            if not candidates:
                offset = index.sentence_start_chars[index.sentence_at_char(named[-1].start)]
                continue
            subjects = [o for o in candidates if self._in_subject(o)]
            if subjects:
                self.last_evidence = "subject" if step == 0 else "earlier_subject"
                return self._person_of(subjects[-1], wanted)
            if step == 0 and index.sentence_at_char(candidates[-1].start) == index.sentence_at_char(token.idx):
                # Named earlier in the pronoun's own sentence, though not as a subject ("A spokesperson for the
                # State Department Matthew Miller He says", "Trump attacked Machado and she said").
                self.last_evidence = "same_sentence"
                return self._person_of(candidates[-1], wanted)
            sentence = index.sentence_at_char(candidates[-1].start)
            sentence_span = self.doc.char_span(
                index.sentence_start_chars[sentence], index.sentence_end_chars[sentence], alignment_mode="expand")
            if sentence_span is not None and not any(t.dep_ in _SUBJECT_DEPS for t in sentence_span):
                # A verbless line naming someone ("A spokesperson for the State Department Matthew Miller" before
                # "He says"): nobody else is its subject, so the name it holds is who the pronoun continues.
                self.last_evidence = "fragment"
                return self._person_of(candidates[-1], wanted)
            if wanted is not None and self._subject_of_other_gender(sentence, wanted):
                # "Mr. Tom Reed met the spokeswoman Jane Doe ... she said": the subject is ruled out by gender,
                # which leaves the one person of the right gender the sentence names.
                self.last_evidence = "gender"
                return self._person_of(candidates[-1], wanted)
            fallback = fallback or candidates[-1]
            offset = index.sentence_start_chars[sentence]
        for offset, entity in reversed(self.recent_speakers):
            if offset < window_start:
                break  # a turn that ended paragraphs ago is no evidence
            if offset < token.idx and (wanted is None or self.gender.get(entity.id) in (None, wanted)):
                self.last_evidence = "speaker_turn"
                return entity
        # A person named near the pronoun but never as a subject ("She says his temperament ..." after "...
        # a tweet attacking Alicia Machado") is too weak to put words in their mouth: no name, marked weak.
        self.last_evidence = "object" if fallback is not None else None
        return None

    def _person_of(self, chosen: _Occurrence, wanted: str | None) -> Entity | None:
        """The person a pronoun's antecedent mention names (a surname resolved to its full bearer), or None when
        that person is known to be of the other gender ("Farrow" resolved to Dylan Farrow is no "he"): then the
        pronoun stays unnamed, with weak evidence."""
        entity = self.resolve_name(chosen.start, chosen.end) or chosen.entity
        if wanted is None or self.gender.get(entity.id) in (None, wanted):
            return entity
        self.last_evidence = "object"
        return None

    def _beside_pronoun(self, occurrence: _Occurrence, word: str) -> bool:
        """Is the mention coordinated with the pronoun `word` ("he and Farrow", "Farrow and he")?"""
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        if span is None:
            return False
        token = span.root
        pair = [c for c in token.children if c.dep_ == "conj"] + ([token.head] if token.dep_ == "conj" else [])
        return any(t.lower_ == word for t in pair)

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
                      and not self._led_by_the(o)
                      and (wanted is None or self.gender.get(o.entity.id) in (None, wanted))]
            self._people_cache[wanted] = (people, [o.start for o in people])
        return self._people_cache[wanted]

    def _led_by_the(self, occurrence: _Occurrence) -> bool:
        """A name led by "the" is no person to continue with a pronoun: a place, a team or a group the NER took for
        a person ("The Keys closed its doors", "the Hurricanes"; people's names take no article), or a name
        modifying what the article determines ("the Clinton campaign took ... she said": not Clinton)."""
        return self.text[max(0, occurrence.start - 4) : occurrence.start].lower() == "the "

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
                name=entity.name if entity else None, mention=mention, kind="pronoun",
                entity_id=entity.id if entity else None,
            )
        occurrence = self.entity_at(mention_start, mention_end, head=head.idx)
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
