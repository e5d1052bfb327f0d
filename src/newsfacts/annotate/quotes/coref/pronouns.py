"""Pronoun speakers: which person a "he said" / "she said" continues (SpeakerResolver's pronoun half).

A reader takes "he said" as the person the text is about at that point: the subject of the main clause of
the nearest sentence that has a subject who can be "he" (not the one it reports on: "Clinton says Trump
never paid" continues Clinton), followed back through earlier "he"s ("Fowler said ... He added ... he
said"), through a definite description ("the Republican nominee") to the person introduced with it, and
through names the NER missed. Gender is what the article itself says (coref/gender.py). A subject that
names nobody ("my mother", "a spokesman", an organisation) stands between the pronoun and anyone named
before it: the pronoun then stays unnamed rather than put words in the wrong mouth.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Token

from newsfacts.annotate.doc_index import doc_index
from newsfacts.annotate.quotes.coref.authors import FIRST_PERSON_SPEAKERS
from newsfacts.annotate.quotes.coref.gender import SUBJECT_DEPS as _SUBJECT_DEPS
from newsfacts.annotate.entities.lexicon import title_gender
from newsfacts.annotate.quotes.coref.gender import agreement_gender, agreement_votes
from newsfacts.annotate.quotes.coref.groups import GROUP_PRONOUNS
from newsfacts.annotate.quotes.coref.names import _Occurrence
from newsfacts.annotate.quotes.coref.subjects import SubjectIndex, speech_verbs
from newsfacts.models import Entity

# How far back a pronoun may look for its antecedent, and for an earlier "he" or "she" it goes on from when nobody
# is a subject in between (one speaker's turn), counted in lines, blank ones included: in text whose paragraphs
# are separated by a blank line, three lines reach into the paragraph before and four lines two paragraphs back.
# Lines, not paragraphs: counting the paragraphs (lines holding text; one back for the antecedent, two for the
# turn) measured the same on the train referents (269 of 313 right, 13 wrong names against 14) and worse on
# dev (two more left unnamed), see eval/gold/polnear_referents_train/README.md.
_PRONOUN_WINDOW_LINES = 3
_TURN_WINDOW_LINES = 4
# How many sentences naming someone a pronoun looks back through for one in subject position.
_PRONOUN_SENTENCES = 4
# How many pronouns a chain ("Fowler said ... He added ... he said") may pass through to reach a name.
_CHAIN_LENGTH = 6


class PronounResolution(SubjectIndex):
    """The pronoun rules of SpeakerResolver (coref/resolver.py), which holds the article's text, parse,
    entity mentions, quoted stretches and lexicon they read."""

    def _genders(self) -> dict[str, str | None]:
        """Each person's gender as the article gives it (coref/gender.py): a one-sided title or role word next
        to a mention, else a clear majority of "he"/"she" agreeing with the person as subject (and, for a name
        made a person by agreement, "his"/"her" too: `_people_by_agreement`)."""
        people = [e for e in self.entities if e.type == "PERSON"]
        votes = agreement_votes(self.doc, self._person_id_at, self._in_quote, self._person_between) if people else {}
        votes = {**votes, **self.agreeing_votes}
        return {
            e.id: title_gender(self.text, (m.start for m in e.mentions))
            or agreement_gender(votes.get(e.id))
            for e in people
        }

    def _person_between(self, start: int, end: int) -> bool:
        """Is a person named, or described by a noun for a person, (outside quotation marks) wholly inside
        text[start:end]? ("Trump mocked the qualifications of the Democratic front-runner, saying she ...": the
        "she" is the front-runner's, no evidence of Trump's gender.)"""
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        if any(o.entity.type == "PERSON" and o.end <= end and not self._in_quote(o.start)
               for o in self.occurrences[first:last]):
            return True
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return False
        # A noun describing the person at `start` ("Bond, the founder of ..., said she", "Le Pen is a candidate
        # ...; she") is that person; "which candidate she would back" and "women" are nobody a "she" can be.
        before = self.doc.char_span(max(0, start - 1), start, alignment_mode="expand")
        described = set(before.root.subtree) if before is not None else set()
        return any(t not in described and t.dep_ != "attr" and self.noun_for_someone(t, self.nouns_for_a_person)
                   for t in span)

    def _person_id_at(self, token: Token) -> str | None:
        occurrence = self.entity_at(token.idx, token.idx + len(token.text))
        return occurrence.entity.id if occurrence is not None and occurrence.entity.type == "PERSON" else None

    def resolve_pronoun(self, token: Token) -> Entity | None:
        """'he'/'she' to the person it continues: the main-clause subject of the nearest sentence with a
        subject that can be that person (a name, or an earlier "he"/"she" followed back to its own name), the
        words the pronoun itself reports left out; 'it'/'they' by coref/groups.py, 'I' by coref/authors.py."""
        self.last_evidence, self.last_pronoun_name = None, None
        if token.lower_ in GROUP_PRONOUNS:  # an organisation, a document's author or people named together
            entity, self.last_pronoun_name, self.last_evidence = self.resolve_group(token)
            return entity
        if token.lower_ in FIRST_PERSON_SPEAKERS:  # the writer, when a signature or byline names them
            entity, self.last_pronoun_name, self.last_evidence = self.resolve_author(token)
            return entity
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
        wanted = next((g for g in ("male", "female") if word in self.pronouns[g]
                       or (token.dep_ == "poss" and word in self.pronouns[f"{g}_possessive"])), None)
        if token.pos_ != "PRON":  # a description followed back: "the spokeswoman" is a woman
            wanted = next((g for g, words in self.gendered_words.items() if word in words), None)
        first_line = max(0, self.line_of(token.idx) - _PRONOUN_WINDOW_LINES)
        window_start = self.line_starts[first_line]
        index = doc_index(self.doc)
        # The subject of the nearest sentence with one that fits, else of a sentence further back in the window;
        # a person named only as an object is the last resort, after the speaker of the last quote.
        offset, fallback = self.own_content_start(token), None
        found: tuple[Entity | None, str | None, str | None] | None = None
        addressed, addressed_words = self._addressees(token)
        for step in range(_PRONOUN_SENTENCES):
            sentence = self._nearest_candidate_sentence(offset, window_start, wanted)
            if sentence is None:
                break
            sentence_start = index.sentence_start_chars[sentence]
            limit = min(index.sentence_end_chars[sentence], offset)
            named = [o for o in self._people_between(sentence_start, limit, wanted)
                     if not self._beside_pronoun(o, word) and not self._in_participle_of(o, token)]
            candidates = [o for o in named if self.entity_named_by(o).id not in addressed]
            subject = self._main_subject(candidates, sentence_start, limit, wanted)
            if subject is None and candidates and (any(o not in candidates and self._in_subject(o) for o in named)
                                                   or self._subject_named(sentence_start, limit, addressed_words)):
                # "Hannity asked Trump how high the wall would be. '...,' he told Hannity": the subject is the one
                # the pronoun speaks to, which leaves the person it asked.
                found = self._person_of(candidates[-1], wanted, "addressee")
                break
            if subject is not None:
                kind, chosen = subject
                how = "subject" if step == 0 else "earlier_subject"
                if kind == "name":
                    found = self._person_of(chosen, wanted, how)
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
                elif (introduced := self._introduced_with_owner(chosen)) is not None:
                    # "..., his brother added" after "an interview his brother Alastair Osman gave": the relative
                    # the article introduced with the same words.
                    found = self._named(introduced, "role")
                else:
                    # "My mother ... she said", "a spokesman said ... he said": someone the article does not name.
                    found = (None, None, "description")
                break
            own_sentence = index.sentence_at_char(token.idx)
            if step == 0 and candidates and index.sentence_at_char(candidates[-1].start) == own_sentence:
                # Named earlier in the pronoun's own sentence, though not as a subject ("A spokesperson for the
                # State Department Matthew Miller He says", "Trump attacked Machado and she said").
                chosen = candidates[-1]
                found = self._person_of(chosen, wanted, "same_sentence")
                break
            sentence_span = self.doc.char_span(
                index.sentence_start_chars[sentence], index.sentence_end_chars[sentence], alignment_mode="expand")
            if (candidates and sentence_span is not None and not any(t.dep_ in _SUBJECT_DEPS for t in sentence_span)
                    and len(candidates[-1].entity.name.split()) >= 2):
                # A verbless line naming someone ("A spokesperson for the State Department Matthew Miller" before
                # "He says"): nobody else is its subject, so the full name it holds is who the pronoun continues
                # (a lone word is no introduction: "Harsh? He doesn't think so.").
                chosen = candidates[-1]
                found = self._person_of(chosen, wanted, "fragment")
                break
            if candidates and wanted is not None and self._subject_of_other_gender(sentence, wanted):
                # "Mr. Tom Reed met the spokeswoman Jane Doe ... she said": the subject is ruled out by gender,
                # which leaves the one person of the right gender the sentence names.
                chosen = candidates[-1]
                found = self._person_of(chosen, wanted, "gender")
                break
            met = self._writers_object(sentence_span, candidates) if wanted is not None else None
            if met is not None:
                # "I met with Sanders in his office ... He's looking ahead": the writer, the subject, is no "he";
                # the one person the writer's verb takes as its object is.
                found = self._person_of(met, wanted, "writer_object")
                break
            fallback = fallback or (candidates[-1] if candidates else None)
            offset = sentence_start
        if found is None and wanted is not None:
            found = self._turn_pronoun(token, wanted, chain)
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
        own = self._subject_in_own_content(token, wanted) if wanted is not None else None
        if own is not None and own is not found[0]:
            # The words the pronoun reports name, as their subject, someone who can be the pronoun: that person is
            # the one reporting them, whoever the rules above found ("Though Ms. Olivieri has spent most of her life
            # in Washington Heights, the influx ... has led to an increased police presence, she said"; "Ms.
            # Nwanguma was shocked by the reaction from Trump supporters, she said"). Fitted on train: leaving such
            # a pronoun unnamed when the rules found someone else, as 1.3.2 did, was wrong each time it was read.
            found = self._named(own, "own_content")
        self._antecedents[token.i] = found
        return found

    def _addressees(self, token: Token) -> tuple[set[str], set[str]]:
        """The people the pronoun's own verb is addressed to ("he told Hannity", "she said to Ms. Reed"): the ids
        of those the NER found and the words of every capitalised name (the NER may miss "Hannity"). Whoever the
        pronoun speaks to is not who the pronoun is."""
        verb = token.head
        if token.dep_ not in _SUBJECT_DEPS or verb.i == token.i:
            return set(), set()
        objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        objects += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                    if g.dep_ == "pobj"]
        ids, words = set(), set()
        for obj in objects:
            if obj.pos_ not in ("PROPN", "NOUN") or not obj.text[:1].isupper() or self._in_quote(obj.idx):
                continue
            words.add(obj.lower_)
            occurrence = self.entity_at(obj.idx, obj.idx + len(obj.text))
            if occurrence is not None and occurrence.entity.type == "PERSON":
                ids.add(self.entity_named_by(occurrence).id)
        return ids, words

    def _subject_named(self, start: int, end: int, words: set[str]) -> bool:
        """Is the subject of a clause in text[start:end] one of `words` ("Hannity asked Trump ...")?"""
        span = self.doc.char_span(start, end, alignment_mode="contract") if words else None
        return span is not None and any(t.dep_ in _SUBJECT_DEPS and t.lower_ in words for t in span)

    def _subject_in_own_content(self, token: Token, wanted: str) -> Entity | None:
        """The last person of the pronoun's gender named as a subject in the words it reports before it, in its own
        sentence ("Though Ms. Olivieri has spent ..., the influx ... has led to ..., she said"), or None."""
        start = self.own_content_start(token)
        if start >= token.idx:
            return None
        found = None
        for occurrence in self._people_between(start, token.idx, wanted):
            if self._subject_token(occurrence) is not None:
                found = self.entity_named_by(occurrence)
        return found

    def _turn_pronoun(self, token: Token, wanted: str, chain: int) -> tuple[Entity | None, str | None, str] | None:
        """The person of the last "he"/"she" subject of the pronoun's gender up to four lines back (two paragraphs
        in text with blank lines between them), when no one else is a subject in between: '"...," he said.' /
        'It was a personal triumph for Ban.' / '"...," he said' is one speaker's turn. None when there is no such
        pronoun or it names nobody."""
        if chain >= _CHAIN_LENGTH:
            return None
        index = doc_index(self.doc)
        own_start = index.sentence_start_chars[index.sentence_at_char(token.idx)]
        window_start = self.line_starts[max(0, self.line_of(token.idx) - _TURN_WINDOW_LINES)]
        pronouns = self._pronoun_subjects(wanted)
        position = bisect.bisect_left(pronouns, own_start, key=lambda t: t.idx) - 1
        if position < 0 or pronouns[position].idx < window_start:
            return None
        previous = pronouns[position]
        span = self.doc.char_span(previous.idx + len(previous.text), own_start, alignment_mode="contract")
        if span is not None and any(t.dep_ in _SUBJECT_DEPS and not self._in_quote(t.idx) and (
                t.pos_ in ("PROPN", "PRON") or self._person_id_at(t)) for t in span):
            return None  # someone else is the subject of a sentence in between
        entity, name, _ = self._antecedent(previous, chain + 1)
        return (entity, name, "chain") if name else None

    def _writers_object(self, sentence, candidates: list[_Occurrence]) -> _Occurrence | None:
        """In a sentence whose main subject is the writer ("I", "we", outside quotation marks), the one person named
        as the object of its main verb, directly or through a preposition ("I met with Sanders", "we asked
        Trump"); None when there is no such sentence or no single such person."""
        if sentence is None or not candidates:
            return None
        root = sentence.root
        if not any(c.dep_ in _SUBJECT_DEPS and c.lower_ in ("i", "we") and not self._in_quote(c.idx)
                   for c in root.children):
            return None
        objects = []
        for occurrence in candidates:
            span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
            token = span.root if span is not None else None
            while token is not None and token.dep_ == "conj" and token.head.i != token.i:
                token = token.head  # "with Bernie Sanders and Martin O'Malley": both are met
            head = token.head if token is not None else None
            if head is not None and (head.i == root.i or (head.dep_ == "prep" and head.head.i == root.i)):
                objects.append(occurrence)
        return objects[-1] if len({o.entity.id for o in objects}) == 1 else None

    def _in_participle_of(self, occurrence: _Occurrence, token: Token) -> bool:
        """Is the mention inside a past participle clause without a subject of its own that modifies the pronoun's
        verb ("Dismayed by ... and inspired by Sanders's progressive agenda, he's committed")? Such a clause says
        what was done to the pronoun's own person, so whoever it names is someone else. A clause with its own
        subject ("while Trump's past statements ..., he offered") may well name the pronoun's person; a present
        participle ("Describing a visit to Farrow's house, he adds") is left as it was too: the person it names
        is then the weak evidence of an object, where looking further back could name a wrong one."""
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        if span is None or token.dep_ not in _SUBJECT_DEPS:
            return False
        node = span.root
        for _ in range(12):
            if node.head.i == node.i:
                return False
            if node.head.i == token.head.i:
                return (node.dep_ == "advcl" and node.tag_ == "VBN"
                        and not any(c.dep_ in _SUBJECT_DEPS for c in node.children))
            if node.dep_ == "conj" and node.head.dep_ == "advcl" and node.head.head.i == token.head.i:
                node = node.head  # "Dismayed by ... and inspired by ...": the second participle of the pair
                continue
            node = node.head
        return False

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

    def _introduced_with_owner(self, noun: Token) -> Entity | None:
        """For a description with a possessive ("his brother", "her husband"), the last person introduced before
        it with the same possessive and noun, the name right after them ("his brother Alastair Osman") or in
        apposition before them ("Melania Trump, his wife,"); None otherwise."""
        owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if owner is None:
            return None
        phrase = [owner.lower_, noun.lower_]
        for occurrence in reversed(self._role_index().get(noun.lower_, [])):
            if occurrence.start >= noun.idx:
                continue
            before = self.text[max(0, occurrence.start - 40) : occurrence.start].lower().replace(",", " ").split()
            after = self.text[occurrence.end : occurrence.end + 40].lower().replace(",", " ").split()
            if before[-2:] == phrase or after[:2] == phrase:
                return occurrence.entity
        return None

    def _person_of(self, chosen: _Occurrence, wanted: str | None, evidence: str
                   ) -> tuple[Entity | None, str | None, str]:
        """The person an antecedent mention names (a surname resolved to its full bearer). A bearer known to be of
        the other gender ("Farrow" resolved to Dylan Farrow is no "he") gives way, for a subject, to the latest
        earlier bearer of the pronoun's gender; else the pronoun stays unnamed, with the weak evidence of an
        object."""
        entity = self.entity_named_by(chosen)
        if wanted is not None and self.gender.get(entity.id) not in (None, wanted):
            # A subject "Cruz" after "Heidi Cruz" was named, for a "he": an earlier Cruz of the right gender. A
            # surname elsewhere in the sentence ("a visit to Farrow's house, he adds") is too weak for that.
            words = self.text[chosen.start:chosen.end].split()
            subject = evidence in ("subject", "earlier_subject") and len(words) == 1
            other = self.person_named(words[-1], chosen.start, wanted) if subject else None
            if other is None:
                return None, None, "object"
            entity = other
        return self._named(entity, evidence)

    @staticmethod
    def _named(entity: Entity | None, evidence: str) -> tuple[Entity | None, str | None, str]:
        return entity, entity.name if entity else None, evidence

    def _main_subject(
        self, people: list[_Occurrence], start: int, end: int, wanted: str | None
    ) -> tuple[str, _Occurrence | Token | tuple] | None:
        """The subject in text[start:end] (one sentence) nearest the root of its parse, among people named as
        subjects ('name'), "he"/"she" subjects of the wanted gender ('pronoun') and nouns for a person
        ('description'); on a tie the later one. "Clinton says ... that Trump never contributed": Clinton. The
        subject of a parenthetical speech verb ranks above the main clause's ("Time, Mr. Pence added, was on
        their side": the sentence is Pence's statement)."""
        options: list[tuple[float, int, str, object]] = []
        for occurrence in people:
            subject = self._subject_token(occurrence)
            agent_of = self._passive_agent_of(occurrence)
            if agent_of is not None:
                # "Clinton's position was supported by Sen. Dianne Feinstein, who said ...": the agent of a passive
                # is who acts. It ranks after a person subject of that verb ("Rubio was asked by moderator Gerard
                # Baker whether ...": Rubio), before the owner of a subject that is no person (Clinton).
                rank = self._depth(agent_of) + 1.25
                options.append((min(rank, self._rank(subject)) if subject is not None else rank, occurrence.start,
                                "name", occurrence))
            elif subject is not None:
                options.append((self._rank(subject), occurrence.start, "name", occurrence))
            elif self._introduces(occurrence):
                # "... concerns Henry Crespo, president of the Florida Democratic Black Caucus." before a quote: a
                # source introduced with a role outranks a subject of a subordinate clause, not the main one.
                options.append((1.5, occurrence.start, "name", occurrence))
            elif (owned := self._owned_subject(occurrence)) is not None:
                # "Ban's term as U.N. chief expires later this year. He said ...": the owner of a subject that
                # is no person is what the sentence is about; it ranks after a person subject of the same depth.
                options.append((self._depth(owned) + 0.5, occurrence.start, "name", occurrence))
        for kind, tokens in (("pronoun", self._pronoun_subjects(wanted)), ("pronoun", self._possessive_subjects(wanted)),
                             ("description", self._noun_subjects(wanted))):
            low = bisect.bisect_left(tokens, start, key=lambda t: t.idx)
            high = bisect.bisect_left(tokens, end, key=lambda t: t.idx)
            options.extend((self._rank(t), t.idx, kind, t) for t in tokens[low:high])
        names = self._propn_subjects(wanted)
        low = bisect.bisect_left(names, start, key=lambda n: n[0].idx)
        high = bisect.bisect_left(names, end, key=lambda n: n[0].idx)
        options.extend((self._rank(n[0]), n[0].idx, "propn", n) for n in names[low:high])
        if not options:
            return None
        _, _, kind, chosen = min(options, key=lambda o: (o[0], -o[1]))
        return kind, chosen

    def _rank(self, subject: Token) -> float:
        """How near the root of its sentence a subject is (`_main_subject`): its depth, or 0.5 for the subject of a
        parenthetical speech verb ("..., Mr. Pence added, ...", "..., she said, ...")."""
        verb = subject.head
        if subject.dep_ in _SUBJECT_DEPS and verb.dep_ == "parataxis" and verb.lemma_.lower() in speech_verbs():
            return 0.5
        if subject.dep_ == "poss":  # "Her plan comes ...": after a person subject of the same depth, as a name's
            return self._depth(verb) + 0.5
        return self._depth(subject)

    def _passive_agent_of(self, occurrence: _Occurrence) -> Token | None:
        """The passive verb whose agent ("by ...") the mention is, or None."""
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        if span is None:
            return None
        token = span.root
        if token.dep_ == "pobj" and token.head.dep_ == "agent" and token.head.head.i != token.head.i:
            return token.head.head
        return None

    def _owned_subject(self, occurrence: _Occurrence) -> Token | None:
        """The subject noun a person's name owns ("Ban's term", "Francis' message"), when that subject names
        no one itself and does not speak: "Bill Jones's campaign called it reckless" is the campaign speaking,
        and a "he" after it goes on with whoever spoke before."""
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        if span is None or span.root.dep_ != "poss":
            return None
        owned = span.root.head
        if owned.dep_ not in _SUBJECT_DEPS or owned.pos_ != "NOUN" or self._person_id_at(owned) is not None:
            return None
        if owned.head.dep_ != "ROOT":
            # "The idea that Trump's rhetoric could be used ... came up when Hillary Clinton called ...": the owner
            # of a subordinate clause's subject is what someone else talks about, not what the sentence is about.
            return None
        return None if owned.head.lemma_.lower() in speech_verbs() else owned

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
        for tokens in (self._pronoun_subjects(wanted), self._possessive_subjects(wanted), self._noun_subjects(wanted),
                       named):
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
        if self.text[max(0, occurrence.start - 4) : occurrence.start].lower() != "the ":
            return False
        # "Yet the Clinton of lore ... has yet to appear": a person's name (the article gives it in full) heading
        # its own phrase, described, is still the person; "the Clinton campaign" is the campaign.
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        head = span.root if span is not None else None
        return not (head is not None and len(occurrence.entity.name.split()) >= 2 and head.tag_ == "NNP"
                    and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children))

    def _beside_pronoun(self, occurrence: _Occurrence, word: str) -> bool:
        """Is the mention coordinated with the pronoun `word` ("he and Farrow", "Farrow and he")? Then the
        pronoun goes on with its own person, and the one named beside it is someone else."""
        span = self.doc.char_span(occurrence.start, occurrence.end, alignment_mode="expand")
        if span is None:
            return False
        token = span.root
        pair = [c for c in token.children if c.dep_ == "conj"] + ([token.head] if token.dep_ == "conj" else [])
        return any(t.lower_ == word for t in pair)

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
