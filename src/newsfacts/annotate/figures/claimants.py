"""Who claims a figure: the subject of a cue verb that governs it ("Seoul's spy agency said"), the object of
"according to", or the agent of a report noun ("a poll by Gallup").

A claimant is a noun phrase that names someone: never a pronoun other than "he"/"she" (read as the person
named last before it); a relative pronoun ("the report, which said") gives the clause's antecedent; a
definite description ("the agency") names the fuller claimant met before it ("Seoul's spy agency"). A
figure inside the subject is what is claimed, not who claims it. Cue verbs and phrases are shared with
quotes (`annotate/cues.py`).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.doc_index import doc_index, text_of
from newsfacts.annotate.figures.context import Mentions, doc_cache, tokens_at


_SOURCE_NOUNS = frozenset({"analysis", "report", "estimate", "estimates", "data", "figures", "figure", "intelligence", "statement", "assessment", "survey", "study", "count", "tally", "research", "briefing", "officials", "sources", "poll", "polls", "census", "tally"})
_PRONOUNS = frozenset({"he", "she", "him", "her"})


def _np_span(doc: Doc, head: Token) -> tuple[int, int]:
    """Character span of a noun phrase: its left edge to its head, plus a following 'of ...' phrase."""
    start = head.left_edge.i
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and (child.lower_ == "of" or (child.lower_ == "for" and head.pos_ == "PROPN")):
            end = child.right_edge.i
        elif child.dep_ in ("compound", "flat", "appos") and child.ent_type_ and child.i == end + 1:
            end = child.right_edge.i
    # A noun phrase never runs across a line break (the parser sometimes joins paragraphs).
    index = doc_index(doc)
    while start < end and (index.has_newline(doc[start].idx, doc[end].idx) or doc[start].is_punct):
        start += 1
    return doc[start].idx, doc[end].idx + len(doc[end].text)


def _entity_at(mentions: Mentions, start: int, end: int, head_start: int, head_end: int, anywhere: bool):
    exact = None
    inside = None
    for m_start, m_end, _, _, entity in mentions.near(min(start, head_start), max(end, head_end)):
        if m_start == start and m_end == end:
            exact = entity
        elif m_start < head_end and head_start < m_end:
            exact = exact or entity
        elif anywhere and start <= m_start and m_end <= end and entity.type in ("ORG", "PERSON"):
            inside = inside or entity
    return exact or inside


@dataclass(frozen=True)
class _Claim:
    name: str
    start: int
    end: int
    head_lemma: str
    entity_id: str | None


class EarlierClaims:
    """The claims read so far, by head lemma, answering "the latest one whose name is longer than L" in log
    time: a claim followed by a later one with a name at least as long can never be that answer, so each
    lemma keeps a stack of claims whose name lengths strictly decrease."""

    def __init__(self) -> None:
        self._stacks: dict[str, list[_Claim]] = {}

    def append(self, claim: _Claim) -> None:
        stack = self._stacks.setdefault(claim.head_lemma, [])
        while stack and len(stack[-1].name) <= len(claim.name):
            stack.pop()
        stack.append(claim)

    def latest_longer(self, lemma: str, length: int) -> _Claim | None:
        stack = self._stacks.get(lemma, [])
        longer = bisect.bisect_left(stack, -length, key=lambda claim: -len(claim.name))
        return stack[longer - 1] if longer else None


class NamedHeads:
    """Token indices, by lemma, of nouns with a naming modifier on their left ("Seoul's spy agency")."""

    def __init__(self, doc: Doc) -> None:
        self.by_lemma: dict[str, list[int]] = {}
        for token in doc:
            # `n_lefts` first: most tokens have no left child, and walking `lefts` is the costly part
            if token.n_lefts and any(c.dep_ in ("poss", "compound", "amod") for c in token.lefts):
                self.by_lemma.setdefault(token.lemma_.lower(), []).append(token.i)

    def last_before(self, lemma: str, i: int) -> int | None:
        found = self.by_lemma.get(lemma, [])
        position = bisect.bisect_left(found, i) - 1
        return found[position] if position >= 0 else None


@dataclass
class Claims:
    """What claimant finding needs across the figures of one article."""

    mentions: Mentions
    earlier: EarlierClaims
    named_heads: NamedHeads


def _claim_from_np(doc: Doc, head: Token, claims: Claims) -> _Claim | None:
    # "a poll by Gallup", "figures from the UN": the source is the agent of the report noun
    if head.lower_ in _SOURCE_NOUNS:
        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
                agent = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ in ("PROPN", "NOUN")), None)
                if agent is not None:
                    head = agent
                    break
    if head.pos_ == "PRON" and head.lower_ not in _PRONOUNS:
        return None  # "according to them", "which said": a pronoun other than he/she names no one here
    start, end = _np_span(doc, head)
    text = text_of(doc)[start:end]
    if head.lower_ in _PRONOUNS:
        person = claims.mentions.last_person_before(start)
        if person is not None:
            return _Claim(person.name, start, end, head.lemma_.lower(), person.id)
        return None  # a pronoun with no one named before it names no one
    entity = _entity_at(claims.mentions, start, end, head.idx, head.idx + len(head.text), head.lower_ in _SOURCE_NOUNS or head.pos_ == "PROPN")
    if entity is not None:
        return _Claim(entity.name if head.lower_ in _SOURCE_NOUNS else text, start, end, head.lemma_.lower(), entity.id)
    # "The agency" after "Seoul's spy agency": a definite description names the fuller earlier claimant.
    determiner = doc[head.left_edge.i]
    if determiner.lower_ in ("the", "this", "that") and head.left_edge.i == head.i - 1:
        claim = claims.earlier.latest_longer(head.lemma_.lower(), len(text))
        if claim is not None:
            return _Claim(claim.name, start, end, claim.head_lemma, claim.entity_id)
        # else the nearest earlier noun phrase with the same head and a naming modifier
        named = claims.named_heads.last_before(head.lemma_.lower(), head.left_edge.i)
        if named is not None:
            token = doc[named]
            earlier_start, earlier_end = _np_span(doc, token)
            earlier_entity = _entity_at(claims.mentions, earlier_start, earlier_end, token.idx, token.idx + len(token.text), False)
            return _Claim(text_of(doc)[earlier_start:earlier_end], start, end, head.lemma_.lower(), earlier_entity.id if earlier_entity else None)
    return _Claim(text, start, end, head.lemma_.lower(), None)


def _phrase_tokens(sent: SpacySpan) -> list[Token]:
    """For each cue phrase ("according to") found in the sentence, in the lexicon's order: the token where its
    first occurrence ends. Computed once per sentence (token indices are kept: tokens would hold the doc)."""
    cache = doc_cache(sent.doc, "cue_phrases")
    if sent.start not in cache:
        lowered = sent.text.lower()
        index = doc_index(sent.doc)
        found = []
        for phrase in cue_lexicon().phrases:
            at = lowered.find(phrase)
            if at < 0:
                continue
            phrase_end = sent.start_char + at + len(phrase)
            # the first token of the sentence with idx < phrase_end <= its end: the first one ending at or after it
            i = bisect.bisect_left(index.token_ends, phrase_end)
            if sent.start <= i < sent.end and sent.doc[i].idx < phrase_end:
                found.append(i)
        cache[sent.start] = found
    return [sent.doc[i] for i in cache[sent.start]]


_CLAIM_DEPS = ("ROOT", "parataxis", "ccomp", "advcl", "conj")
_NOT_CLAIMANTS = ("it", "they", "we", "i", "you", "this", "that", "there")
_RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom", "whose", "what"})


def _claimant_subject(verb: Token) -> Token | None:
    """The subject that makes `verb` a claim verb: a cue verb whose subject is a noun, a name or a personal
    pronoun other than it/they/we... (whether the figure lies inside that subject is the caller's test)."""
    cache = doc_cache(verb.doc, "claimant_subject")  # token index -> subject index or -1
    if verb.i not in cache:
        subject = None
        if verb.lemma_.lower() in cue_lexicon().all_verbs and verb.pos_ in ("VERB", "AUX"):
            subject = _subject_of(verb)
            if subject is not None and subject.lower_ in _RELATIVE_PRONOUNS:
                # "the report, which said ...": the claimant is the relative clause's antecedent, if it is a noun
                antecedent = _antecedent(verb)
                subject = antecedent if antecedent is not None and antecedent.pos_ in ("NOUN", "PROPN") else None
            # A pronoun names no one: only "he"/"she" are read, as the person last named before them.
            if subject is not None and (subject.pos_ not in ("NOUN", "PROPN", "PRON") or subject.lower_ in _NOT_CLAIMANTS
                                        or subject.pos_ == "PRON" and subject.lower_ not in _PRONOUNS):
                subject = None
        cache[verb.i] = subject.i if subject is not None else -1
    found = cache[verb.i]
    return verb.doc[found] if found >= 0 else None


def _antecedent(verb: Token) -> Token | None:
    """The noun a relative clause hangs on: "the report" of "the report, which said"."""
    current = verb
    for _ in range(3):
        if current.dep_ == "relcl":
            return current.head
        if current.dep_ not in ("conj", "xcomp", "ccomp") or current.head is current:
            return None
        current = current.head
    return None


def _subject_covers(verb: Token, subject: Token, start: int, end: int) -> bool:
    """Whether the figure at [start, end) lies inside the claim verb's subject. When the verb is a relative
    clause and the subject its antecedent ("the report, which said 3%"), the antecedent's subtree holds the
    claim itself: only its noun phrase counts. (A figure in a relative clause on the subject of another verb,
    "Smith, who is 36, said", describes the subject: it stays inside.)"""
    if verb.dep_ == "relcl" and verb.head == subject:
        first, last = _np_span(subject.doc, subject)
        return first <= start and end <= last
    return subject.left_edge.idx <= start and end <= subject.right_edge.idx + len(subject.right_edge.text)


def _next_claim_ancestor(token: Token) -> Token | None:
    """The nearest ancestor of `token` that is a claim verb (see _claimant_subject). Kept per token, so
    that figures in one long sentence do not each walk its whole chain of heads."""
    cache = doc_cache(token.doc, "next_claim_ancestor")  # token index -> ancestor index or -1
    doc = token.doc
    path = []
    current = token
    while current.i not in cache:
        path.append(current)
        if current.head.i == current.i:
            cache[current.i] = -1
            path.pop()
            break
        current = current.head
    for node in reversed(path):
        head = node.head
        cache[node.i] = head.i if _claimant_subject(head) is not None else cache[head.i]
    found = cache[token.i]
    return doc[found] if found >= 0 else None


def _claim_verbs_between(sent: SpacySpan, start: int, end: int) -> Iterator[Token]:
    """The claim verbs of a sentence with a clause dependency (_CLAIM_DEPS) whose first character lies in
    [start, end), in order. Listed once per sentence, as (offset, token index)."""
    cache = doc_cache(sent.doc, "claim_verbs")
    if sent.start not in cache:
        cache[sent.start] = [(t.idx, t.i) for t in sent if t.dep_ in _CLAIM_DEPS and _claimant_subject(t) is not None]
    verbs = cache[sent.start]
    for position in range(bisect.bisect_left(verbs, (start, -1)), bisect.bisect_left(verbs, (end, -1))):
        yield sent.doc[verbs[position][1]]


def claim_for(doc: Doc, start: int, end: int, claims: Claims) -> _Claim | None:
    span = tokens_at(doc, start, end)
    if span is None or not len(span):
        return None
    token = span[-1]
    sent = token.sent
    # "according to X"
    for last in _phrase_tokens(sent):
        for child in last.children:
            if child.dep_ == "pobj" and not (child.left_edge.idx <= start < child.right_edge.idx + len(child.right_edge.text)):
                return _claim_from_np(doc, child, claims)
    # the subject of a cue verb governing the figure, or of one beside it in the sentence
    # Paragraph breaks end a claim even where the parser ran two paragraphs into one sentence.
    # First the claim verbs above the figure, nearest first; then the sentence's other clause-level claim
    # verbs in order. (An ancestor met again in the second list was refused in the first for the figure lying
    # inside its subject, and is refused again, so the second list need not leave ancestors out.)
    index = doc_index(doc)
    paragraph_start = index.line_start(start)
    paragraph_end = index.line_end(end)

    def ancestors() -> Iterator[Token]:
        verb = _next_claim_ancestor(token)
        while verb is not None:
            if sent.start <= verb.i < sent.end and paragraph_start <= verb.idx < paragraph_end:
                yield verb
            verb = _next_claim_ancestor(verb)

    for verb in itertools.chain(ancestors(), _claim_verbs_between(sent, paragraph_start, paragraph_end)):
        subject = _claimant_subject(verb)
        if _subject_covers(verb, subject, start, end):
            continue  # the figure is inside the subject: it is what is claimed, not who claims it
        return _claim_from_np(doc, subject, claims)
    return None


def _subject_of(verb: Token) -> Token | None:
    current = verb
    for _ in range(3):
        for child in current.children:
            if child.dep_ in ("nsubj",):
                return child
        if current.dep_ in ("advcl", "xcomp", "conj", "acl") and current.head is not current:
            current = current.head
        else:
            break
    # The parser sometimes leaves a reporting verb without a subject ("..., Seoul's spy agency said"):
    # the noun right before the verb is then its subject.
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.pos_ in ("NOUN", "PROPN") and "\n" not in before.whitespace_:
        return before
    return None
