"""Speakers behind "it" and "they": organisations, the authors of a document, and people named together.

News uses "it" for an organisation that speaks ("the Business Council ... opposed an increase. '...,' it
recommended") and "they" for an organisation or for people named together ("Senators Grassley and Leahy
wrote ... they said"). A reader takes the pronoun as the subject of the nearest sentence that has one, as for
"he" (coref/pronouns.py), and checks that the two agree in number:
- "it": an organisation named in the singular, a document whose author the article names ("the
  Associated Press report ..., which notes": the Associated Press; "The lawsuit ... It goes on" after "the
  parents ... have filed a lawsuit"), or a body's owner ("Trump's campaign ... it said"); never a person,
  never several;
- "they": an organisation, or two or more people coordinated as the subject (every name is kept: "Charles
  E. Grassley and Patrick J. Leahy"; a "he"/"she" among them counts as its person, unnamed company is left
  out: "She and her defenders ... They note" is Clinton); never one person alone.
A sentence attributed "according to" someone is theirs: its source comes before its grammatical subject.
Any other subject (a person for "it", a thing, an unnamed group, another pronoun) stands between the pronoun
and anything named before it: the pronoun then stays unnamed, with the mention kept.
"""

from __future__ import annotations

import functools

from spacy.tokens import Token

from newsfacts.annotate.doc_index import doc_index
from newsfacts.annotate.quotes.coref.gender import SUBJECT_DEPS
from newsfacts.annotate.quotes.coref.names import quote_lexicon
from newsfacts.annotate.quotes.coref.subjects import speech_verbs
from newsfacts.models import Entity

# How many sentences with a subject a group pronoun looks back through (its own first), and how many
# earlier "it"/"they" a chain may follow ("The council said ... It added ... it recommended").
_GROUP_SENTENCES = 3
_CHAIN_LENGTH = 3
# How far back, in lines (blank ones included, as for "he": coref/pronouns.py), the sentences looked through lie.
_WINDOW_LINES = 2
GROUP_PRONOUNS = ("it", "they")
# Entity types that speak as one body.
_BODY_TYPES = {"ORG", "NORP"}


@functools.lru_cache(maxsize=1)
def document_nouns() -> frozenset[str]:
    """Nouns for a text that speaks for its author ("the IMF report", "Pence's press release")."""
    return frozenset(quote_lexicon()["document_nouns"])


@functools.lru_cache(maxsize=1)
def body_nouns() -> frozenset[str]:
    """Nouns for a body that speaks for whoever it belongs to ("Trump's campaign", "the Cruz campaign")."""
    return frozenset(quote_lexicon()["body_nouns"])


@functools.lru_cache(maxsize=1)
def organisation_nouns() -> frozenset[str]:
    """Nouns for an organisation a definite description points back to ("the newspaper", "the group")."""
    return frozenset(quote_lexicon()["organisation_nouns"])


@functools.lru_cache(maxsize=1)
def authoring_verbs() -> frozenset[str]:
    """Verbs whose subject authors their object ("sent a fundraising email", "filed a lawsuit")."""
    return frozenset(quote_lexicon()["authoring_verbs"])


class GroupResolution:
    """The "it"/"they" rules of SpeakerResolver (coref/resolver.py), beside the "he"/"she" ones
    (coref/pronouns.py), whose helpers they share."""

    def resolve_group(self, token: Token) -> tuple[Entity | None, str | None, str]:
        """(entity, name, evidence) for "it" / "they" (module docstring); evidence 'organization', 'document',
        'people', 'chain' (through an earlier same pronoun) or 'unresolved'."""
        return self._group_antecedent(token, token.lower_, 0)

    def _group_antecedent(self, token: Token, word: str, chain: int) -> tuple[Entity | None, str | None, str]:
        relative = self._governing_relative(token)
        if relative is not None:
            return self._group_of(relative, word, chain)
        index = doc_index(self.doc)
        window_start = self.line_starts[max(0, self.line_of(token.idx) - _WINDOW_LINES)]
        sentence = index.sentence_at_char(token.idx)
        limit = self.own_content_start(token)
        looked = 0
        while looked < _GROUP_SENTENCES:
            if sentence < 0 or index.sentence_end_chars[sentence] <= window_start:
                break
            start = index.sentence_start_chars[sentence]
            # A sentence wholly inside a quotation is the speaker's words, not the narration the pronoun goes on
            # from ('"... They are spinning up as we speak. They include ...," it said'): it is passed over
            # without counting.
            quoted = self._in_quote(start + 1) and self._in_quote(max(start, index.sentence_end_chars[sentence] - 3))
            looked += not quoted
            subject = self._sentence_subject(start, limit, exclude=token)
            if subject is not None and not (word == "it" and self._plural_noun(subject)):
                return self._group_of(subject, word, chain)
            # No subject, or for "it" a plural noun one ("The email ... was sent by Jeremy Bash. Two Americans were
            # killed ... '...,' it reads"): nothing "it" can agree with, so the sentence before is read.
            sentence -= 1
            limit = index.sentence_end_chars[sentence] if sentence >= 0 else 0
        return None, None, "unresolved"

    def _sentence_subject(self, start: int, end: int, exclude: Token) -> Token | None:
        """The subject outside quotation marks in text[start:end] nearest the root of its parse (on a tie the
        later one), or None."""
        span = self.doc.char_span(start, end, alignment_mode="contract") if end > start else None
        if span is None:
            return None
        # "..., according to the SITE Intelligence Group, which monitors ...": the source of the sentence speaks
        # before its grammatical subject does.
        sources = [t for t in span if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"
                   and not self._in_quote(t.idx)]
        if sources:
            return sources[-1]
        subjects = [t for t in span if t.dep_ in SUBJECT_DEPS and t.i != exclude.i and not self._in_quote(t.idx)
                    and not (t.pos_ == "PRON" and t.lower_ == "it" and t.head.lemma_ == "be")]  # "It was ..."
        if not subjects:
            return None
        return min(subjects, key=lambda t: (self._depth(t), -t.i))

    def _plural_noun(self, subject: Token) -> bool:
        """A plural noun that names no organisation ("Two Americans", "officials"): never an "it". (A plural
        organisation's name, "the Hurricanes", still stands between an "it" and anything before it.)"""
        if subject.tag_ not in ("NNS", "NNPS") or subject.conjuncts:
            return False
        occurrence = self.entity_at(subject.idx, subject.idx + len(subject.text), head=subject.idx)
        return occurrence is None or occurrence.entity.type != "ORG"

    def _group_of(self, subject: Token, word: str, chain: int) -> tuple[Entity | None, str | None, str]:
        if subject.pos_ == "PRON" and not (word == "they" and subject.conjuncts):
            if subject.lower_ == word and chain < _CHAIN_LENGTH:
                entity, name, how = self._group_antecedent(subject, word, chain + 1)
                return entity, name, "chain" if name else how
            return None, None, "unresolved"  # "he", "we", "who": someone else speaks
        author = self.document_author(subject) or self.body_owner(subject)
        if author is not None:
            return (author, author.name, "document") if word == "it" else (None, None, "unresolved")
        occurrence = self.entity_at(subject.idx, subject.idx + len(subject.text), head=subject.idx)
        if word == "it" and occurrence is not None and occurrence.entity.type == "PERSON" and self._wrote_in(subject):
            # '"...," Bujnowski wrote in the affidavit. It ...': the document the person wrote in speaks for them.
            entity = self.entity_named_by(occurrence)
            return entity, entity.name, "document"
        if occurrence is None and (described := self.described_organisation(subject)) is not None:
            entity, name = described
            return entity, name, "organization"  # "The newspaper urged ... it added"
        if occurrence is None and self._called_organisation(subject):
            start, end = self._propn_run(subject)
            return None, self.text[start:end], "organization"  # "a company called Cambridge Analytica"
        plural = subject.tag_ in ("NNS", "NNPS")
        if occurrence is not None and occurrence.entity.type in _BODY_TYPES:
            if word == "it" and (plural or any(c.dep_ == "conj" for c in subject.children)):
                return None, None, "unresolved"  # "the Democrats ... it": no agreement in number
            return occurrence.entity, occurrence.entity.name, "organization"
        if word == "they" and subject.conjuncts:
            people = self._coordinated_people(subject)
            if len(people) >= 2:
                return None, " and ".join(e.name for e in people), "people"
            if len(people) == 1:  # "She and her defenders ... They note": the one the group is named by
                return people[0], people[0].name, "people"
        return None, None, "unresolved"

    def _governing_relative(self, token: Token) -> Token | None:
        """The noun a relative clause holding the pronoun modifies, when the clause's relative pronoun is the
        nearest subject above the pronoun ("a company called Cambridge Analytica, which specializes in building
        what it calls ...": Cambridge Analytica), else None."""
        node = token.head
        for _ in range(5):
            subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS and c.i < token.i]
            if subjects:
                relative = subjects[0]
                if relative.lower_ in ("which", "who", "that") and node.dep_ == "relcl" and node.head.i != node.i:
                    return self._named_in(node.head)
                return None
            if node.head.i == node.i:
                return None
            node = node.head
        return None

    def _named_in(self, noun: Token) -> Token:
        """The name a noun introduces ("a company called Cambridge Analytica": Cambridge Analytica, the object of
        "called" or "named" modifying it), else the noun itself."""
        for clause in noun.children:
            if clause.dep_ == "acl" and clause.lemma_.lower() in ("call", "name"):
                named = [c for c in clause.children if c.dep_ in ("oprd", "dobj", "attr") and c.pos_ == "PROPN"]
                if named:
                    return named[0]
        return noun

    @staticmethod
    def _wrote_in(subject: Token) -> bool:
        """Does the subject's verb name the document the subject wrote in: an authoring or speech verb ("Bujnowski
        wrote in the affidavit", "he said in a statement", "posted on his website"), or any verb for a document
        the subject owns ("On his website, Sanders has started ...")?"""
        verb = subject.head
        if subject.dep_ not in SUBJECT_DEPS:
            return False
        authoring = verb.lemma_.lower() in authoring_verbs() | {"say", "write"}
        # Any verb will do when the document is the subject's own ("On his website, Sanders has started ...").
        return any(prep.dep_ == "prep" and prep.lower_ in ("in", "on") and any(
            c.dep_ == "pobj" and c.lemma_.lower() in document_nouns() and c.tag_ == "NN"
            and (authoring or any(p.dep_ == "poss" and p.pos_ == "PRON" for p in c.children)) for c in prep.children)
            for prep in verb.children)

    @staticmethod
    def _called_organisation(name: Token) -> bool:
        """Is the proper noun the name an organisation noun is introduced with ("a company called Cambridge
        Analytica", "a group named ...")?"""
        verb = name.head
        return (name.pos_ == "PROPN" and name.dep_ in ("oprd", "dobj", "attr") and verb.dep_ == "acl"
                and verb.lemma_.lower() in ("call", "name") and verb.head.lemma_.lower() in organisation_nouns())

    def described_organisation(self, noun: Token) -> tuple[Entity | None, str] | None:
        """(organisation, name) a definite description stands for ("The newspaper urged ...", "The group seeks
        ..."): the description is followed back to its first use in the article (a reader takes each later "the
        newspaper" as the same one), and that use names the organisation named before it in the text above: the
        one introduced with the noun ("the website GunBroker.com", "The Advocate, a Baton Rouge newspaper"), else
        the only organisation named in the window before it, else the only one named in the sentence right before,
        else, with no organisation named at all, a proper name the NER missed that is the subject of a sentence
        in the window ("The Advocate had chided ..."; its words, no entity). None for anything else: an
        indefinite or plural noun, a possessed one ("its group"), or organisations too many to tell apart."""
        lemma = noun.lemma_.lower()
        if (noun.pos_ != "NOUN" or lemma not in organisation_nouns() or noun.tag_ != "NN"
                or not self._definite(noun)):
            return None
        first = next((t for t in self.doc[: noun.i + 1] if t.lemma_.lower() == lemma and t.tag_ == "NN"
                      and self._definite(t) and not self._in_quote(t.idx)), noun)
        # Twice the pronoun's window: a newspaper is named once, then called "the newspaper" for a while.
        window_start = self.line_starts[max(0, self.line_of(first.idx) - 2 * _WINDOW_LINES)]
        bodies = [o for o in self.occurrences if o.entity.type == "ORG" and o.end <= first.idx
                  and not self._in_quote(o.start)]
        introduced = [o for o in bodies if self._introduced_with(o, lemma)]
        if introduced:
            return introduced[-1].entity, introduced[-1].entity.name
        if lemma in quote_lexicon()["media_nouns"]:
            return None  # "said the magazine" after "Apple's iPod tops the list": not Apple
        near = [o for o in bodies if o.start >= window_start]
        # An organisation that was the subject of a sentence in the window ("The Journal notes ..."): what the text
        # was about when the description began. (A proper noun the NER did not type is left out: "The Apple
        # Powerbook has ..." names a product, and "the company ... it" is not the product.)
        acting: list[tuple[int, Entity | None, str]] = []
        for t in self.doc[: first.i]:
            if t.idx < window_start or t.dep_ not in SUBJECT_DEPS or t.pos_ != "PROPN" or self._in_quote(t.idx):
                continue
            occurrence = self.entity_at(t.idx, t.idx + len(t.text), head=t.idx)
            if occurrence is not None and occurrence.entity.type == "ORG":
                acting.append((t.idx, occurrence.entity, occurrence.entity.name))
        if acting:
            return acting[-1][1], acting[-1][2]
        if len({o.entity.id for o in near}) == 1:
            return near[-1].entity, near[-1].entity.name
        index = doc_index(self.doc)
        previous = index.sentence_at_char(first.idx) - 1
        if previous >= 0:
            start, end = index.sentence_start_chars[previous], index.sentence_end_chars[previous]
            last = [o for o in near if start <= o.start < end]
            if len({o.entity.id for o in last}) == 1:
                return last[-1].entity, last[-1].entity.name
        return None

    def _introduced_with(self, occurrence, lemma: str) -> bool:
        """Is the organisation's mention introduced with the noun: right before it ("the website GunBroker.com",
        "a company called Cambridge Analytica"), right after it ("The Advocate newspaper") or in apposition (",
        a Baton Rouge newspaper")?"""
        before = self.text[max(0, occurrence.start - 40):occurrence.start].lower().replace(",", " ").split()
        after = self.text[occurrence.end:occurrence.end + 60].lower()
        words = [w.rstrip("s") if w.endswith("s") and w.rstrip("s") == lemma else w for w in before[-3:]]
        if lemma in words:
            return True
        first_after = after.split()[:1]
        if first_after and first_after[0].strip(".,;:") == lemma:
            return True
        appositive = after.lstrip().startswith(",") and lemma in after.lstrip()[1:].split(",")[0].split()[:6]
        return appositive

    def _coordinated_people(self, subject: Token) -> list[Entity]:
        """The people named by a subject and the names coordinated with it ("Grassley and Leahy"), in order; a
        "he"/"she" among them counts as the person it resolves to ("She and her defenders": Clinton). Empty
        when any of them is neither."""
        people: list[Entity] = []
        for token in sorted([subject, *subject.conjuncts], key=lambda t: t.i):
            if token.pos_ == "PRON" and token.lower_ in ("he", "she"):
                entity = self.resolve_pronoun(token)
            elif token.pos_ == "NOUN" and any(c.dep_ == "poss" for c in token.children):
                continue  # "her defenders", "his partner": unnamed company of the named
            else:
                occurrence = self.entity_at(token.idx, token.idx + len(token.text), head=token.idx)
                entity = None
                if occurrence is not None and occurrence.entity.type == "PERSON":
                    entity = self.entity_named_by(occurrence)
            if entity is None:
                return []
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
                    return self.entity_named_by(occurrence)
                return occurrence.entity
        return None

    def body_owner(self, noun: Token) -> Entity | None:
        """Whom a body speaks for: the person or organisation that owns it ("Trump's campaign", "the Cruz
        campaign"), or for a document without a named author ("the email", "The lawsuit"), the subject of the
        verb that brought the last one of that noun into being ("The Cruz campaign sent a fundraising email")."""
        lemma = noun.lemma_.lower()
        if lemma in body_nouns():
            for child in noun.children:
                if child.dep_ in ("compound", "poss") and child.i < noun.i and not self._in_quote(child.idx):
                    occurrence = self.entity_at(child.idx, child.idx + len(child.text), head=child.idx)
                    if occurrence is not None and occurrence.entity.type in _BODY_TYPES | {"PERSON"}:
                        return self.entity_named_by(occurrence)
            return None
        if lemma not in document_nouns():
            return None
        for earlier in reversed(self.doc[max(0, noun.i - 300) : noun.i + 1]):
            if earlier.lemma_.lower() != lemma or self._in_quote(earlier.idx):
                continue
            sender = self._passive_author(earlier)
            if sender is not None:
                return sender
            if earlier.dep_ != "dobj" or earlier.i == noun.i:
                continue
            verb = earlier.head
            if verb.lemma_.lower() not in authoring_verbs():
                return None
            subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
            if not subjects:
                return None
            owner = self.body_owner(subjects[0]) if subjects[0].lemma_.lower() in body_nouns() else None
            if owner is not None:
                return owner
            occurrence = self.entity_at(subjects[0].idx, subjects[0].idx + len(subjects[0].text), head=subjects[0].idx)
            if occurrence is not None and occurrence.entity.type in _BODY_TYPES | {"PERSON"}:
                return self.entity_named_by(occurrence)
            return self._person_behind(subjects[0])
        return None

    def _person_behind(self, subject: Token) -> Entity | None:
        """The person a "he"/"she" or a definite description of a person stands for, as the pronoun rules
        (coref/pronouns.py) resolve it: "The GOP presidential candidate sent out an email" after "Ted Cruz is
        protesting ..." is Ted Cruz. None for anything else."""
        if subject.pos_ == "PRON" and subject.lower_ in ("he", "she"):
            return self._antecedent(subject, 1)[0]
        lemma = subject.lemma_.lower()
        if subject.pos_ == "NOUN" and subject.tag_ == "NN" and self._definite(subject) and (
                lemma in self.role_nouns or lemma in self.person_nouns):
            return self._introduced_as(subject) or self._antecedent(subject, 1)[0]
        return None

    def _passive_author(self, noun: Token) -> Entity | None:
        """The author a document is said to come from in the passive: "The email ... was sent ... by Jeremy Bash",
        "an affidavit written by Marc Bujnowski" (a person or organisation after "by" of an authoring verb whose
        subject, or whose participle's noun, the document is). The verb the document is the subject of comes
        first: in "The email, released by Judicial Watch, was sent ... by Jeremy Bash" the sender wrote it."""
        verbs = [noun.head] if noun.dep_ == "nsubjpass" else []
        verbs += [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        for verb in verbs:
            agents = [c for c in verb.children if c.dep_ == "agent"]
            if verb.lemma_.lower() not in authoring_verbs() or not agents:
                continue
            # The first authoring verb with an agent decides, named or not: an unnamed sender ("by a Pentagon
            # official") is no reason to take the one who merely released it.
            for name in (c for agent in agents for c in agent.children if c.dep_ == "pobj"):
                occurrences = [o for t in name.subtree if (o := self.entity_at(t.idx, t.idx + len(t.text), head=t.idx))]
                people = [o for o in occurrences if o.entity.type == "PERSON"]
                own = self.entity_at(name.idx, name.idx + len(name.text), head=name.idx)
                # a person named in the agent ("by Pentagon chief of staff Jeremy Bash"), else the agent itself
                chosen = people[-1] if people else own if own is not None and own.entity.type in _BODY_TYPES else None
                if chosen is not None:
                    return self.entity_named_by(chosen)
            return None
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
        if verb.dep_ == "parataxis" and verb.head.i < token.i and verb.lemma_.lower() in speech_verbs():
            # "AT&T just finished laying fiber downtown, she said, ...": a parenthetical attribution reports the
            # clause it hangs from, from that clause's subject on. What comes before the subject is left to the
            # rules ("When she noticed Mr. Rogan, her eyes widened, he said": Rogan may well be the speaker).
            starts += [c.left_edge.idx for c in verb.head.children if c.dep_ in SUBJECT_DEPS and c.i < token.i]
        return min([token.idx, *starts])
