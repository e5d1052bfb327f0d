"""In-document speaker resolution: from the words that attribute a quote to the entity that said it.

Rules reflect how news names people: a full name at first mention, then a surname, an honorific + surname,
a role ("the spokesman") or a pronoun. A pronoun goes to the person most recently in subject position
(the way a reader takes "he said"); a surname goes to the most recently mentioned person bearing it, so two
Kims stay apart; a spelling variant (Zinovyev / Zinoviev) is matched only when the rest of the name agrees
closely. Nothing is invented: an unresolvable mention keeps its own words and no entity.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from newsfacts.annotate.doc_index import text_of
from newsfacts.annotate.quotes.coref.names import _NameIndex, _norm, _Occurrence, quote_lexicon
from newsfacts.annotate.quotes.coref.authors import AuthorResolution
from newsfacts.annotate.quotes.coref.groups import GroupResolution
from newsfacts.annotate.quotes.coref.people import PeopleByAgreement
from newsfacts.annotate.quotes.coref.pronouns import PronounResolution
from newsfacts.models import Entity, Speaker, Span


class SpeakerResolver(PronounResolution, GroupResolution, AuthorResolution, PeopleByAgreement):
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
        # speaker), 'addressee' (the other person of a sentence whose subject the pronoun speaks to), 'own_content'
        # (the subject of the words it reports), 'object' (a person named in the sentence but not as its subject)
        # or None (unresolved); see coref/pronouns.py for the rest.
        self.last_evidence: str | None = None
        # The evidence behind the last Speaker built (`speaker`), the key of the confidence table
        # (quotes.speaker_confidence): '<kind>:<how>' such as 'pronoun:subject' or 'name:resolved'.
        self.last_speaker_evidence = "none"
        self.text = text_of(doc)
        lexicon = quote_lexicon()
        honorifics = lexicon["honorifics"]
        self.honorifics = {h for group in honorifics.values() for h in group}
        self.role_nouns = set(lexicon["role_nouns"])
        self.person_nouns = set(lexicon["person_nouns"])  # "my mother", "the partner": someone unnamed
        self.nonspecific_determiners = set(lexicon["nonspecific_determiners"])  # "no other secretary": nobody
        self.pronouns = lexicon["pronouns"]
        self.gendered_words = {g: set(lexicon["gendered_words"][g]) for g in ("male", "female")}
        self.gendered_nouns = set().union(*self.gendered_words.values())
        # Every noun that can stand for one person: as a subject a pronoun may continue, or between a subject and a
        # pronoun, someone the pronoun may be instead.
        self.nouns_for_a_person = self.person_nouns | self.role_nouns | self.gendered_nouns
        self.entities = list(entities)
        self._index_occurrences()
        # Names the NER typed an organisation, an event or a work that the article's pronouns or titles treat as
        # people (coref/gender.py) are people to these rules: a copy typed PERSON, with the same id and name.
        people, self.agreeing_votes = self._people_by_agreement(self.entities)
        if people is not self.entities:  # some were made people: their mentions are indexed anew
            self.entities = people
            self._index_occurrences()
        # Starts of lines (blank ones included: the pronoun windows are counted in lines, see pronouns.py).
        self.line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]
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

    def _index_occurrences(self) -> None:
        self.occurrences = sorted(
            (_Occurrence(m.start, m.end, e) for e in self.entities for m in e.mentions), key=lambda o: o.start
        )
        self._starts = [o.start for o in self.occurrences]
        self._longest = max((o.end - o.start for o in self.occurrences), default=0)

    def note_speaker(self, offset: int, entity_id: str | None) -> None:
        entity = self._people_by_id.get(entity_id) if entity_id is not None else None
        if entity is not None:
            self.recent_speakers.append((offset, entity))

    # ---- lookups ---------------------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

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

    # ---- resolution ------------------------------------------------------------------------------

    def entity_named_by(self, occurrence: _Occurrence) -> Entity:
        """The entity a mention names: for a partial name its full bearer (`resolve_name`), else its own."""
        return self.resolve_name(occurrence.start, occurrence.end) or occurrence.entity

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

    def person_named(self, surname: str, offset: int, gender: str) -> Entity | None:
        """The latest person before `offset` whose full name holds `surname` and who is not known to be of
        another gender than `gender`."""
        if self._names is None:
            self._names = _NameIndex(self.occurrences)
        found = self._names.latest_before(surname, offset, accept=lambda e: self.gender.get(e.id) in (None, gender))
        return found.entity if found is not None else None

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
        # "the Associated Press report", "Pence's press release": a document speaks for its named author.
        entity = self.resolve_role(head) or self.document_author(head)
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
