"""Who speaks: the subject of a cue verb (shared with the verb it hangs on, through relative clauses, inverted
after a closing mark, stranded by a misparse, or run across a heading), the speaker phrase around that head
(appositions, pre-modifiers) resolved by `coref.SpeakerResolver`, speaker labels ('X: "…"'), and quotes that
continue the speaker of the quote before them."""

from __future__ import annotations

import bisect
import functools

from spacy.tokens import Doc, Token

from newsfacts.annotate.doc_index import doc_index
from newsfacts.annotate.quotes.attribution import STANCE_PRONOUNS, SUBJECT_DEPS, in_one_paragraph, is_cue
from newsfacts.annotate.quotes.coref import SpeakerResolver, quote_lexicon
from newsfacts.annotate.quotes.marks import QuotedSpan
from newsfacts.models import Quote, Speaker


# Dependencies through which a participle or coordinated verb shares its subject with its head
# ("..., stressing that ...", "and added").
_SHARES_SUBJECT = {"conj", "xcomp", "advcl", "pcomp"}


@functools.lru_cache(maxsize=1)
def _addressee_verbs() -> frozenset[str]:
    """Verbs whose passive subject is the person spoken to ('Trump was warned'), never the speaker."""
    return frozenset(quote_lexicon()["addressee_verbs"])


@functools.lru_cache(maxsize=1)
def _role_nouns() -> frozenset[str]:
    return frozenset(quote_lexicon()["role_nouns"])


_NOT_SPEAKER_ENTITIES = {"DATE", "TIME", "MONEY", "ORDINAL"}  # "63 percent said" (a poll) can speak


def can_speak(token: Token) -> bool:
    """A mis-parsed subject (a date, a number, a stray particle) is no speaker: better none than a wrong one."""
    return token.pos_ not in ("PART", "PUNCT", "ADP", "DET", "NUM", "SYM") and token.ent_type_ not in _NOT_SPEAKER_ENTITIES


def subject_of(verb: Token, inside: list[bool]) -> Token | None:
    """The subject of a cue verb, or the subject it shares with the verb it hangs on."""
    subject = _parsed_subject_of(verb, inside)
    if subject is None and verb.dep_ == "ROOT":
        subject = _stranded_subject(verb, inside)
    return subject


def _stranded_subject(verb: Token, inside: list[bool]) -> Token | None:
    """'On Dec. 2, Col. Steven Warren, a military spokesman, said, "..."': the parser hung the name on the
    date as an apposition and left the verb without a subject. A speaker-like noun right before the verb,
    or else the nearest person or organisation name to the left before any other verb, is the one who speaks."""
    adjacent = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    if adjacent is not None and not inside[adjacent.i] and may_be_speaker(adjacent) and adjacent.dep_ not in ("dobj", "pobj"):
        return adjacent  # 'the Democratic candidate stated': the noun right before the verb
    for token in reversed(verb.doc[max(verb.sent.start, verb.i - 15) : verb.i]):
        if inside[token.i] or token.pos_ in ("VERB", "AUX") or token.text in ("\n", ";", ":"):
            return None
        if token.ent_type_ in ("PERSON", "ORG") and token.ent_iob_ in ("B", "I"):
            # the head of the name: its last token
            while token.i + 1 < verb.i and token.doc[token.i + 1].ent_iob_ == "I":
                token = token.doc[token.i + 1]
            return token
    return None


def _parsed_subject_of(verb: Token, inside: list[bool]) -> Token | None:
    token = verb
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS and not inside[c.i]]
        # "the State Department, which she said represented ...": parsed with two subjects, the relative one
        # belongs to the reported clause; the other says it.
        if len(subjects) > 1:
            subjects.sort(key=lambda c: c.lower_ in ("who", "that", "which"))
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("all", "what"):
                # "all she could do was shout", "what he said was": the one in the relative clause acts.
                inner = [g for c in subject.children if c.dep_ == "relcl" for g in c.children
                         if g.dep_ in SUBJECT_DEPS and not inside[g.i]]
                if inner:
                    return inner[0]
            if token.i == verb.i and subject.dep_ == "nsubjpass" and verb.lemma_.lower() in _addressee_verbs():
                return None  # 'Trump was warned ..., with an official telling the Post, "..."': told, not telling
            if subject.lower_ in ("who", "that", "which") and token.dep_ == "relcl":
                return token.head
            if not in_one_paragraph(verb.doc, subject.idx, verb.idx):
                return _local_subject(verb, inside)
            return subject
        if token.dep_ == "relcl":
            return token.head
        if token.i == verb.i and _follows_closing_mark(verb):
            # '"How big is that wall?" asked the boy': the inverted subject is often parsed as an object.
            inverted = [c for c in verb.rights if c.dep_ in ("dobj", "attr") and not inside[c.i]]
            if inverted:
                return inverted[0]
            following = noun_run_after(verb, inside)
            if following is not None:
                return following
        if token.dep_ == "acl" and token.head.dep_ == "pobj" and token.head.head.lower_ == "with" and may_be_speaker(
                token.head):
            return token.head  # 'with one official telling the Post': the noun the participle hangs on speaks
        if token.dep_ == "acl" and token.head.dep_ in ("dobj", "pobj", "attr", "appos"):
            # 'she issued a statement calling on ...': the statement's issuer is the speaker.
            token = token.head.head if token.head.dep_ != "pobj" else token.head.head.head
            continue
        if token.dep_ not in _SHARES_SUBJECT or token.head.i == token.i:
            return _local_subject(verb, inside)
        token = token.head
    return None


def noun_run_after(verb: Token, inside: list[bool]) -> Token | None:
    """The last noun of the name or noun phrase right after an inverted cue ("tweeted Rubio spokesman Alex Conant")."""
    head = None
    for token in verb.doc[verb.i + 1 : verb.i + 8]:
        if "\n" in token.text:
            break  # attribution never crosses a paragraph: after a headline the next line is not its speaker
        if inside[token.i] or token.is_punct or token.pos_ in ("ADP", "VERB", "AUX", "CCONJ", "SCONJ"):
            break
        if token.pos_ in ("NOUN", "PROPN", "PRON"):
            head = token
    return head


def _follows_closing_mark(verb: Token) -> bool:
    previous = [t for t in verb.doc[max(0, verb.i - 3) : verb.i]]
    return bool(previous) and previous[-1].text in ("\"", "”", "''", "’", "'") and verb.i > 0


def _local_subject(verb: Token, inside: list[bool]) -> Token | None:
    """When spaCy runs a heading into the next paragraph, the subject gets attached across the break.

    Its signature is a noun left of the verb, in the verb's paragraph, whose syntactic head lies in an
    earlier paragraph: that noun is the real subject ("Heading\n\nSeoul's spy agency said ...").
    """
    doc = verb.doc
    paragraph_start = doc_index(doc).line_start(verb.idx)
    if paragraph_start == 0:
        return None
    first = doc.char_span(paragraph_start, verb.idx + 1, alignment_mode="expand")
    for token in reversed(doc[first.start if first is not None else 0 : verb.i]):
        if token.idx < paragraph_start:
            break
        if inside[token.i] or token.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        if token.head.idx < paragraph_start:
            return token
    return None


def may_be_speaker(token: Token) -> bool:
    """A subject that can say things: a name, an organisation, a personal pronoun or a role noun."""
    if token.pos_ == "PRON":
        return token.lower_ in STANCE_PRONOUNS
    if token.ent_type_ in ("PERSON", "ORG", "NORP") or token.pos_ == "PROPN":
        return True
    return token.pos_ == "NOUN" and token.lemma_.lower() in _role_nouns()


def colon_label(doc: Doc, span: QuotedSpan, inside: list[bool], resolver: SpeakerResolver) -> Speaker | None:
    """'X: "..."' (a speaker label) or a headline's '"...": X'."""
    index = doc_index(doc)
    text = index.text
    line_start = index.line_start(span.start)
    before_end = index.previous_nonspace(span.start - 1, line_start)
    if before_end >= line_start and text[before_end] == ":":
        label = doc.char_span(line_start, before_end, alignment_mode="expand")
        # A label may be long when it carries a title ("Former secretary of state Hillary Rodham Clinton:");
        # a verb in it makes it a clause ("The problem is simple:"), not a label.
        if label is not None and 0 < len(label) <= 10 and not any(t.pos_ in ("VERB", "AUX") for t in label):
            speaker = speaker_from_head(label.root, inside, resolver)
            # A headline's 'Hurricanes: "..."' labels a topic, not a speaker: there a label speaks only when
            # it is an entity of the article or a title ("Minister: ...").
            if line_start == 0 and speaker.entity_id is None and speaker.kind not in ("title", "pronoun"):
                return None
            return speaker
    line_end = index.line_end(span.end)
    after = text[span.end + 1 : line_end]
    if after.lstrip().startswith(":"):
        offset = span.end + 1 + after.index(":") + 1
        label = doc.char_span(offset, line_end, alignment_mode="expand")
        if label is not None and 0 < len(label) <= 6:
            return speaker_from_head(label.root, inside, resolver, floor=label.start_char)
    return None


def continued_speaker(span, quoted, index, previous: Quote | None, resolver) -> Quote | None:
    """A quoted statement with no cue of its own continues the quote before it (same or previous paragraph)."""
    if previous is None or previous.speaker is None:
        return None
    # The last quoted stretch before this one that starts at or before the previous quote (spans are sorted).
    position = min(index, bisect.bisect_right(quoted, previous.start, key=lambda q: q.start)) - 1
    if position < 0:
        return None
    previous_span = quoted[position]
    if previous_span.paragraph == span.paragraph or (
        previous_span.paragraph == span.paragraph - 1 and (previous_span.continued or _opens_paragraph(span, resolver))
    ):
        return previous
    return None


def continued_clause(quote_tokens, span: QuotedSpan, previous: Quote | None, inside: list[bool]) -> Quote | None:
    """'... said Steve Schmidt. Unless rivals quit, "it's very difficult to see how he is stopped."': a quoted
    clause (it has a finite verb of its own, so it is words, not a name) later in the paragraph of an
    attributed quote goes on with that speaker's words, as long as no one else is made to speak in between."""
    if previous is None or previous.speaker is None or previous.end > span.start:
        return None
    if doc_index(quote_tokens.doc).has_newline(previous.end, span.start) or len(quote_tokens) < 4:
        return None
    if not any(t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in quote_tokens):
        return None
    after_previous = max([previous.end] + [part.end for part in (previous.cue, previous.speaker.mention) if part])
    between = quote_tokens.doc.char_span(after_previous, span.start, alignment_mode="contract")
    if between is not None and any(is_cue(t, inside) for t in between):
        return None  # another speech verb, maybe another speaker
    return previous


def _opens_paragraph(span: QuotedSpan, resolver: SpeakerResolver) -> bool:
    index = doc_index(resolver.doc)
    line_start = index.line_start(span.start)
    first = index.next_nonspace(line_start, span.start)
    last = index.previous_nonspace(span.start, first)
    if last - first >= 2:  # longer than any opening mark: words stand before the quote
        return False
    return index.text[first : last + 1] in ('"', "“", "''", "«", "„")


def speaker_from_head(head: Token, inside: list[bool], resolver: SpeakerResolver, floor: int = 0) -> Speaker:
    """The attributing noun phrase around `head` (pre-modifiers + head; appositions may hold the name)."""
    if head.pos_ != "PRON":
        for child in head.children:
            # "A spokesperson for the State Department, Matthew Miller, said": the name is in the apposition.
            # A title's apposition names its bearer even when the NER missed the name ("The Shadow Secretary of
            # State for the Family, Theresa May, said").
            named = child.ent_type_ == "PERSON" or (
                child.pos_ == "PROPN" and not child.ent_type_ and head.lemma_.lower() in _role_nouns())
            if child.dep_ == "appos" and named and not inside[child.i]:
                return speaker_from_head(child, inside, resolver)
        compounds = [c for c in head.children if c.dep_ in ("compound", "flat") and c.ent_type_ == "PERSON"]
        if head.ent_type_ != "PERSON" and compounds:
            return speaker_from_head(compounds[-1], inside, resolver)
    left = head
    for token in head.lefts:
        if token.dep_ not in ("punct", "cc", "prep", "advmod", "appos", "relcl") and not inside[token.i]:
            left = token.left_edge if token.left_edge.i < left.i else token
            break
    right = head
    for token in head.rights:
        if token.dep_ in ("compound", "flat", "prep") and not inside[token.i] and token.dep_ != "prep":
            right = token.right_edge
        elif token.dep_ == "prep" and token.lower_ in ("of", "for", "at") and head.pos_ == "NOUN":
            right = token.right_edge  # "spokesman for the ministry"
        else:
            break
    start, end = left.idx, right.idx + len(right.text)
    start = max(start, floor, doc_index(resolver.doc).line_start(head.idx))  # never reach into a heading above
    newline = resolver.text.find("\n", head.idx, end)
    end = newline if newline >= 0 else end
    while end > start and resolver.text[end - 1] in ",.;: ":
        end -= 1
    return resolver.speaker(start, end, head)
