"""Quotes and their speakers: who said what, with offsets into the article text.

    quoted spans (quote_marks) ─┐
    dash paragraphs ────────────┼─▶ attribution (cue verb + its subject, from the one spaCy parse)
    lost-mark sentences ────────┘        └─▶ speaker (coref.SpeakerResolver: name, pronoun, title...)

A quoted stretch is speech only when something attributes it: a cue verb that governs it in the parse
("…," X said / X said: "…" / calling it "…"), "according to X", an "X: "…"" label, the 'subject verb' clause
right after a quote closed by a comma ("…," Kelly charged), the speaker-like subject of a clause ending in a
colon (X issued a statement: "…"), a dash signature ("…" ― Name), or the speaker of the quote it continues. Quoted names and terms ("Storm Corps", "Necessary") and scare quotes that no speech
governs are left out. When cue verbs nest ("…, calling it 'a serious escalation', said Kirby") the outermost
one wins: the quoted words are what its subject said.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import yaml

from spacy.tokens import Doc, Token

from newsfacts.annotate.coref import SpeakerResolver, quote_lexicon
from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.doc_index import doc_index, overlap_test, text_of
from newsfacts.annotate.quote_marks import QuotedSpan, find_quoted_spans, paragraphs
from newsfacts.models import Entity, Quote, Speaker, Span

_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Dependencies through which a participle or coordinated verb shares its subject with its head
# ("..., stressing that ...", "and added").
_SHARES_SUBJECT = {"conj", "xcomp", "advcl", "pcomp"}
# A sentence that is only an attribution ("he said.", "Miller says, AFP news agency.") is this short.
_SHORT_ATTRIBUTION_TOKENS = 10
_TRAILING_PUNCT = " \t\n,;:"
_STANCE_PRONOUNS = {"he", "she", "they", "i", "we"}


@functools.lru_cache(maxsize=1)
def _cue_verbs() -> frozenset[str]:
    return cue_lexicon().speech | frozenset(quote_lexicon()["quote_cue_verbs"])


@functools.lru_cache(maxsize=1)
def _addressee_verbs() -> frozenset[str]:
    return frozenset(quote_lexicon()["addressee_verbs"])


@functools.lru_cache(maxsize=1)
def _role_nouns() -> frozenset[str]:
    return frozenset(quote_lexicon()["role_nouns"])


@dataclass(frozen=True)
class Attribution:
    cue: Token | tuple[Token, Token]  # a verb, or the first and last token of a phrase (according to)
    speaker_head: Token | None

    @property
    def cue_span(self) -> tuple[int, int]:
        first, last = self.cue if isinstance(self.cue, tuple) else (self.cue, self.cue)
        return first.idx, last.idx + len(last.text)


def find_quotes(doc: Doc, entities: Sequence[Entity], keys: dict[tuple[int, int], tuple[str, str]] | None = None) -> list[Quote]:
    """All attributed quotes of the article, in text order. `keys`, when given, receives for each marked
    quote's (start, end) the (route, evidence) its confidence was looked up by (for fitting the table)."""
    text = text_of(doc)
    quoted = [q for q in find_quoted_spans(text) if not q.nested_in_double]
    resolver = SpeakerResolver(doc, list(entities), [(q.start, q.end) for q in quoted])
    inside = _inside_quote_mask(doc, quoted)
    quotes: list[Quote] = []
    previous: Quote | None = None
    for index, span in enumerate(quoted):
        quote = _marked_quote(doc, span, quoted, index, inside, resolver, previous, keys)
        if quote is not None:
            quotes.append(quote)
            previous = quote
            if quote.speaker is not None:
                resolver.note_speaker(quote.start, quote.speaker.entity_id)
    quotes.extend(_dash_quotes(doc, inside, resolver))
    quotes.extend(_unmarked_quotes(doc, inside, resolver, quotes))
    return sorted(quotes, key=lambda q: (q.start, q.end))


# ---- marked quotes -----------------------------------------------------------------------------------


def _inside_quote_mask(doc: Doc, quoted: list[QuotedSpan]) -> list[bool]:
    """Per token: does it lie inside quotation marks (marks included)?"""
    mask = InsideMask([False] * len(doc))
    for span in quoted:
        for token in doc.char_span(span.start, span.end, alignment_mode="expand") or []:
            mask[token.i] = True
        for offset in (span.start - 1, span.end):
            token = _token_at(doc, offset)
            if token is not None and not token.is_alpha:
                mask[token.i] = True
    return mask


def _token_at(doc: Doc, offset: int) -> Token | None:
    if offset < 0 or offset >= len(text_of(doc)):
        return None
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _same_paragraph(doc: Doc, a: int, b: int) -> bool:
    """spaCy may run a sentence across a heading's line break; attribution never crosses a paragraph."""
    return not doc_index(doc).has_newline(min(a, b), max(a, b))


def _last_char_before_mark(index, span: QuotedSpan) -> int:
    """The offset of the last non-space character between the start of the quote's line and its opening
    mark, or -1 when the mark opens the line."""
    line_start = index.line_start(span.start)
    found = index.previous_nonspace(span.start - len(span.mark), line_start)
    return found if found >= line_start else -1


def _is_cue(token: Token, inside: list[bool]) -> bool:
    return not inside[token.i] and token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in _cue_verbs()


def _looks_like_term(text: str) -> bool:
    """A quoted name or title ("Storm Corps", "Necessary"): capitalised words only, no speech punctuation."""
    if re.search(r"[,;:.!?]", text.strip().rstrip(".")) or re.search(r"[!?]$", text.strip()):
        return False
    words = re.findall(r"[^\W\d_][\w'’\-]*", text)
    minor = set(quote_lexicon()["title_minor_words"])
    return 0 < len(words) <= 6 and words[0][0].isupper() and all(w[0].isupper() for w in words if w.lower() not in minor)


def _is_full_statement(text: str, span: QuotedSpan, index) -> bool:
    """A whole quoted statement rather than a phrase inside someone's reported speech."""
    words = text.split()
    starts_upper = bool(re.match(r"\W*[A-Z0-9]", text))
    before_end = _last_char_before_mark(index, span)
    at_clause_start = before_end < 0 or index.text[before_end] in ":,.!?—–-"
    closes_with_punctuation = re.search(r"[.,!?]\W*$", text) is not None
    return starts_upper and (len(words) >= 4 or closes_with_punctuation) and (at_clause_start or len(words) >= 6)


def _marked_quote(doc, span, quoted, index, inside, resolver, previous, keys=None) -> Quote | None:
    text = text_of(doc)
    start, end = span.start, span.end
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if end <= start:
        return None
    words = text[start:end]
    full = _is_full_statement(text[span.start:span.end], span, doc_index(doc))
    quote_tokens = doc.char_span(start, end, alignment_mode="expand")
    if quote_tokens is None or len(quote_tokens) == 0:
        return None
    speech_clause = _speech_clause_after(doc, span, inside)
    if _looks_like_term(words) and speech_clause is None and (
        not (full and len(words.split()) >= 4) or _after_work_noun(text, span) or _names_a_thing(quote_tokens)
    ):
        return None
    route = "cue"
    attribution = _governing_cue_by_sentence(quote_tokens, inside)
    if attribution is None:
        attribution, route = _according_to(doc, quote_tokens, inside), "according_to"
    if attribution is not None and _names_its_subject(attribution):
        attribution = None
    if attribution is None and speech_clause is not None:
        attribution, route = speech_clause, "speech_clause"
    if attribution is None and full:
        attribution, route = _dash_signature(doc, span, inside), "dash_signature"
    if attribution is None and full:
        attribution = _nearby_cue(doc, quote_tokens, inside) or _introduced_by_colon(doc, span, inside)
        route = "nearby_cue"
    if attribution is None and full:
        attribution, route = _clause_before_colon(doc, span, inside), "clause_before_colon"
    if attribution is None and not full:
        attribution, route = _parenthetical_cue(quote_tokens, inside), "parenthetical"
    if attribution is None and not full and doc_index(doc).line_start(start) != 0:
        # Not in a headline: there a quoted word without a speech verb is the desk's scare quote.
        attribution, route = _stance_of_named_subject(quote_tokens, inside), "stance"
    speaker: Speaker | None = None
    cue: Span | None = None
    evidence = "none"
    if attribution is not None:
        cue_start, cue_end = attribution.cue_span
        cue = Span(text=text[cue_start:cue_end], start=cue_start, end=cue_end)
        if attribution.speaker_head is not None and _can_speak(attribution.speaker_head):
            speaker = _speaker_from_head(attribution.speaker_head, inside, resolver)
            evidence = resolver.last_speaker_evidence
    if speaker is None:
        speaker = _colon_label(doc, span, inside, resolver)
        if speaker is not None:
            route, evidence = "colon_label", resolver.last_speaker_evidence
    if attribution is None and speaker is None:
        if full:
            inherited = _continued_speaker(span, quoted, index, previous, resolver)
        else:
            inherited = _continued_clause(quote_tokens, span, previous, inside)
        if inherited is None:
            return None  # a scare quote or a quoted term that no speech governs
        speaker, cue = inherited.speaker, inherited.cue
        route, evidence = "continued" if full else "continued_clause", _evidence_of(inherited.speaker)
    confidence = speaker_confidence(route, evidence)
    if keys is not None:
        keys[(start, end)] = (route, evidence)
    return Quote(
        text=text[start:end], start=start, end=end, kind="full" if full else "partial", cue=cue, speaker=speaker,
        confidence=confidence,
    )


@functools.lru_cache(maxsize=1)
def _confidence_table() -> dict:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("quote_confidence.yaml").read_text("utf-8"))


def speaker_confidence(route: str, evidence: str) -> float:
    """`Quote.confidence` of a marked quote: the share of quotes attributed by this route with this kind of
    speaker evidence whose speaker was right on PolNeAR train (data/quote_confidence.yaml, fitted by
    scripts/fit_quote_confidence.py); a pair seen too rarely takes the rate of its evidence, then the overall."""
    table = _confidence_table()
    cell = table["by_route_and_evidence"].get(route, {}).get(evidence)
    if cell is not None:
        return cell
    return table["by_evidence"].get(evidence, table["overall"])


def _evidence_of(speaker: Speaker | None) -> str:
    """The evidence key of an inherited speaker: its kind and whether it was resolved to someone."""
    if speaker is None:
        return "none"
    return f"{speaker.kind}:{'resolved' if speaker.entity_id or speaker.name else 'unresolved'}"


def _after_work_noun(text: str, span: QuotedSpan) -> bool:
    """The quoted stretch follows a noun naming a kind of work ('the film "A Rainy Day in New York"')."""
    before = text[max(0, span.start - len(span.mark) - 30) : span.start - len(span.mark)].split()
    return bool(before) and before[-1].lower().strip(",'’") in quote_lexicon()["work_nouns"]


# Where a quoted title-case term stands as a thing named in its sentence rather than as words spoken.
_NOUN_SLOTS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "compound", "attr", "conj", "npadvmod"}


def _names_a_thing(quote_tokens) -> bool:
    """A quoted title-case stretch that is a noun phrase in its sentence ('his movie "A Rainy Day ..." was
    shelved'): a name or a title, not speech."""
    root = quote_tokens.root
    return root.pos_ in ("PROPN", "NOUN") and root.dep_ in _NOUN_SLOTS


def _names_its_subject(attribution: Attribution) -> bool:
    """'The storms were called "monster storms"', headline style 'Hurricanes called "monster storms"': the
    subject of a passive naming verb, or of one with a predicate name and no object (headlines drop the
    'were'), is what is named, not who speaks; 'Trump called it "a disaster"' keeps its object and speaker."""
    head = attribution.speaker_head
    cue = attribution.cue if not isinstance(attribution.cue, tuple) else None
    if head is None or cue is None or cue.lemma_.lower() not in quote_lexicon()["naming_verbs"]:
        return False
    if head.dep_ == "nsubjpass":
        return True
    if doc_index(cue.doc).line_start(cue.idx) != 0:
        return False  # headline grammar only: in the body the parse of 'called it "..."' is not this reliable
    deps = {c.dep_ for c in cue.children}
    return "oprd" in deps and not deps & {"dobj", "dative", "ccomp"}


_MODIFIER_CLAUSES = {"relcl", "acl", "advcl", "amod", "xcomp", "pcomp"}
_REPORTING_TAGS = {"VBD", "VBZ", "VBP"}  # "said", "says", "say": a finite verb reporting the words


def _speech_clause_after(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
    """'"…," Kelly charged.' / '"Safety," said Grimm.': words closed by a comma, question or exclamation mark
    inside the marks and followed at once by 'subject verb' or 'verb subject' are speech, whatever the verb:
    that punctuation hands the sentence over to the speaker (news style), and it is what tells '"Judge,"
    Brafman said' from a quoted title. The subject must open the clause and the verb must follow it
    directly (appositions aside), so '"Hawaii Five-0," the procedural that CBS revived' does not count."""
    text = text_of(doc)
    if text[span.start : span.end].rstrip()[-1:] not in (",", "?", "!"):
        return None
    # The quoted words open their sentence; a mid-sentence '… ABC's "This Week," Carson said' is a title
    # closed by the comma of the phrase around it.
    before_end = _last_char_before_mark(doc_index(doc), span)
    if before_end >= 0 and text[before_end] not in ".!?:\"”'’":
        return None
    after = span.end
    while after < len(text) and text[after] in "\"”'’":
        after += 1
    if after == span.end or after >= len(text) or text[after] not in " \u00a0":
        return None
    first = _token_at(doc, after + 1)
    if first is None or inside[first.i] or first.idx != after + 1:
        return None
    if not first.is_alpha:
        return None  # a dash or bracket: a signature or an aside, handled elsewhere
    if first.pos_ in ("VERB", "AUX") and first.tag_ in _REPORTING_TAGS and first.lemma_ not in ("be", "have", "do"):
        subject = _noun_run_after(first, inside)  # inverted: '"Safety," said Grimm'
        return Attribution(first, subject) if subject is not None else None
    for verb in doc[first.i : min(len(doc), first.i + 25)]:
        if inside[verb.i] or verb.is_sent_start and verb.i != first.i or "\n" in verb.text:
            return None
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        if verb.dep_ in _MODIFIER_CLAUSES or verb.tag_ in ("VBG", "VBN"):
            continue  # inside the subject's own description ("Nate Silver, the guru who founded ..., tweeted")
        if verb.tag_ not in _REPORTING_TAGS or verb.lemma_ in ("be", "have", "do"):
            return None
        subject = next((c for c in verb.lefts if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None:
            # The parser found no subject, yet the words before the verb form one noun phrase ("the
            # 43-year-old asked"): its head speaks.
            phrase = doc[first.i : verb.i]
            head = phrase.root
            if head.pos_ in ("NOUN", "PROPN") and _can_speak(head):
                return Attribution(verb, head)
            return None
        if subject.left_edge.i != first.i:
            return None
        between = doc[subject.right_edge.i + 1 : verb.i]
        if any(not (t.is_punct or t.pos_ == "ADV") for t in between):
            return None
        return Attribution(verb, subject)
    return None


_SIGNATURE = re.compile(r"[\"”'’]+[\s\u00a0]*([―—–-])[\s\u00a0]*([^\n]{2,60}?)[\s\u00a0.]*(?:\n|$)")


def _dash_signature(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
    """'"... this low?" ― Jacklyn Ashley': a quote signed after a dash at the end of its paragraph (reader
    comments, epigraphs, social posts) belongs to the name that signs it."""
    signature = _SIGNATURE.match(text_of(doc), span.end)
    if signature is None:
        return None
    name = doc.char_span(signature.start(2), signature.end(2), alignment_mode="expand")
    if name is None or not 0 < len(name) <= 6 or any(inside[t.i] for t in name):
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in name) or not any(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in name):
        return None
    dash = _token_at(doc, signature.start(1))
    return Attribution(dash if dash is not None else name.root, name.root)


def _governing_cue_by_sentence(quote_tokens, inside: list[bool]) -> Attribution | None:
    """A quote may run over sentences; the cue governs its first sentence ("said "a. b.") or its last ("a. b," he said)."""
    doc = quote_tokens.doc
    first = doc[quote_tokens.start : min(quote_tokens.end, quote_tokens[0].sent.end)]
    last = doc[max(quote_tokens.start, quote_tokens[-1].sent.start) : quote_tokens.end]
    portions = [first] if first.end >= quote_tokens.end else [first, last]
    for portion in portions:
        found = _governing_cue(portion, inside)
        if found is not None:
            return found
    return None


class InsideMask(list):
    """Per token of one article: does it lie inside quotation marks? Also holds, per token, facts that
    depend on the mask and are asked again for every quote (see _outermost_cue)."""

    def __init__(self, values):
        super().__init__(values)
        self.outermost_cue: dict[int, Attribution | None] = {}
        self.sentence_tokens: dict[tuple[str, int], list[int]] = {}

    def indices_of(self, sentence, name: str, test) -> list[int]:
        """Indices of the tokens of `sentence` passing `test`, in order; listed once per sentence."""
        key = (name, sentence.start)
        if key not in self.sentence_tokens:
            self.sentence_tokens[key] = [t.i for t in sentence if test(t)]
        return self.sentence_tokens[key]

    def tokens_of(self, sentence, name: str, test) -> list[Token]:
        doc = sentence.doc
        return [doc[i] for i in self.indices_of(sentence, name, test)]


def _outermost_cue(token: Token, inside: InsideMask) -> Attribution | None:
    """Among `token` and its ancestors, up to the first one on another line (paragraph), the outermost cue
    verb that has a subject, with that subject.

    Quotes in one long sentence share their chain of ancestors, so each token's answer is kept: it is the
    answer of its head (when on the same line) or else its own."""
    memo = inside.outermost_cue
    path: list[Token] = []
    current = token
    while current.i not in memo:
        path.append(current)
        head = current.head
        if head.i == current.i or not _same_paragraph(current.doc, head.idx, current.idx):
            break
        current = head
    above = memo.get(current.i) if current.i in memo else None
    for node in reversed(path):
        head = node.head
        from_head = above if head.i != node.i and _same_paragraph(node.doc, head.idx, node.idx) else None
        own = None
        if from_head is None and _is_cue(node, inside):
            subject = _subject_of(node, inside)
            if subject is not None:
                own = Attribution(node, subject)
        memo[node.i] = above = from_head if from_head is not None else own
    return memo[token.i]


def _governing_cue(quote_tokens, inside: list[bool]) -> Attribution | None:
    """The outermost cue verb above the quote in the parse (or attached to it), with a subject."""
    root = quote_tokens.root
    # 'Zinovyev "stressed that ..."': the quote opens with its own cue verb, whose subject stands outside.
    if root.lemma_.lower() in cue_lexicon().speech and root.pos_ == "VERB" and root.i == quote_tokens.start:
        subject = next((c for c in root.children if c.dep_ in _SUBJECT_DEPS and not inside[c.i]), None)
        if subject is not None and _same_paragraph(root.doc, subject.idx, root.idx):
            return Attribution(root, subject)
    head = root.head
    found = _outermost_cue(head, inside) if head.i != root.i and _same_paragraph(root.doc, head.idx, root.idx) else None
    if found is not None:
        return found
    # `"...," he said` is sometimes parsed with the cue hanging off the quote's own verb.
    in_quote = {t.i for t in quote_tokens}
    for token in quote_tokens:
        for child in token.children:
            if child.i not in in_quote and _is_cue(child, inside) and _same_paragraph(token.doc, child.idx, token.idx):
                subject = _subject_of(child, inside)
                if subject is not None:
                    return Attribution(child, subject)
    return None


def _parenthetical_cue(quote_tokens, inside: list[bool]) -> Attribution | None:
    """'... "certain fringes of the internet," he said, wind up ...': a cue set off by commas in the sentence."""
    cues = inside.tokens_of(quote_tokens[0].sent, "parataxis_cues", lambda t: t.dep_ == "parataxis" and _is_cue(
        t, inside) and _subject_of(t, inside) is not None)
    for token in cues:
        if _same_paragraph(token.doc, token.idx, quote_tokens.start_char):
            return Attribution(token, _subject_of(token, inside))
    return None


def _stance_of_named_subject(quote_tokens, inside: list[bool]) -> Attribution | None:
    """A quoted phrase used by a named actor without a speech verb ("defended him as a "very decent man"",
    "made clear his aim to "fundamentally transform" ..."): news quotes the actor's own words there, so the
    nearest verb above the phrase whose subject is a person, an organisation or a personal pronoun attributes it.
    Scare quotes in the writer's own voice have no such subject and stay out, and so does a quoted noun
    phrase that is merely what the actor acts on (signed a "comprehensive strategic partnership agreement"):
    that names a thing; only a phrase predicated of something (as a "decent man", is "dangerously wrong")
    or a quoted verb phrase carries the actor's words."""
    token = quote_tokens.root
    doc = quote_tokens.doc
    if token.pos_ in ("NOUN", "PROPN", "NUM") and not (
        token.dep_ in ("attr", "oprd", "acomp", "appos") or (token.dep_ == "pobj" and token.head.lower_ in ("as", "like"))
    ):
        return None
    in_quote = {t.i for t in quote_tokens}
    while token.head.i != token.i:
        token = token.head
        if not _same_paragraph(doc, token.idx, quote_tokens.start_char):
            return None
        if token.i in in_quote or inside[token.i] or token.pos_ not in ("VERB", "AUX"):
            continue
        subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS and not inside[c.i]), None)
        if subject is None:
            continue
        if subject.lower_ in _STANCE_PRONOUNS or subject.ent_type_ in ("PERSON", "ORG", "NORP"):
            return Attribution(token, subject)
        return None
    return None


_NOT_SPEAKER_ENTITIES = {"DATE", "TIME", "MONEY", "ORDINAL"}  # "63 percent said" (a poll) can speak


def _can_speak(token: Token) -> bool:
    """A mis-parsed subject (a date, a number, a stray particle) is no speaker: better none than a wrong one."""
    return token.pos_ not in ("PART", "PUNCT", "ADP", "DET", "NUM", "SYM") and token.ent_type_ not in _NOT_SPEAKER_ENTITIES


def _subject_of(verb: Token, inside: list[bool]) -> Token | None:
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
    if adjacent is not None and not inside[adjacent.i] and _may_be_speaker(adjacent) and adjacent.dep_ not in ("dobj", "pobj"):
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
        subjects = [c for c in token.children if c.dep_ in _SUBJECT_DEPS and not inside[c.i]]
        if subjects:
            subject = subjects[0]
            if token.i == verb.i and subject.dep_ == "nsubjpass" and verb.lemma_.lower() in _addressee_verbs():
                return None  # 'Trump was warned ..., with an official telling the Post, "..."': told, not telling
            if subject.lower_ in ("who", "that", "which") and token.dep_ == "relcl":
                return token.head
            if not _same_paragraph(verb.doc, subject.idx, verb.idx):
                return _local_subject(verb, inside)
            return subject
        if token.dep_ == "relcl":
            return token.head
        if token.i == verb.i and _follows_closing_mark(verb):
            # '"How big is that wall?" asked the boy': the inverted subject is often parsed as an object.
            inverted = [c for c in verb.rights if c.dep_ in ("dobj", "attr") and not inside[c.i]]
            if inverted:
                return inverted[0]
            following = _noun_run_after(verb, inside)
            if following is not None:
                return following
        if token.dep_ == "acl" and token.head.dep_ == "pobj" and token.head.head.lower_ == "with" and _may_be_speaker(
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


def _noun_run_after(verb: Token, inside: list[bool]) -> Token | None:
    """The last noun of the name or noun phrase right after an inverted cue ("tweeted Rubio spokesman Alex Conant")."""
    head = None
    for token in verb.doc[verb.i + 1 : verb.i + 8]:
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


def _according_to(doc: Doc, quote_tokens, inside: list[bool]) -> Attribution | None:
    """'..., according to X' in the sentence of the quote."""
    sentence = quote_tokens[0].sent
    candidates = inside.tokens_of(sentence, "according_to", lambda t: t.lower_ == "according" and t.i + 1 < len(doc)
                                  and doc[t.i + 1].lower_ == "to" and not inside[t.i])
    for token in candidates:
        if not _same_paragraph(doc, token.idx, quote_tokens.start_char):
            continue
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        return Attribution((token, to), objects[0] if objects else None)
    return None


def _nearby_cue(doc: Doc, quote_tokens, inside: list[bool]) -> Attribution | None:
    """For a whole quoted statement: a cue in its sentence(s), or a short attribution sentence right after."""
    sentences = {quote_tokens[0].sent.start: quote_tokens[0].sent, quote_tokens[-1].sent.start: quote_tokens[-1].sent}
    last = quote_tokens[-1].sent
    if last.end < len(doc):
        following = doc[last.end].sent
        outside = inside.indices_of(following, "words_outside", lambda t: not inside[t.i] and not t.is_punct)
        same_paragraph = not doc_index(doc).has_newline(quote_tokens.end_char, following.start_char)
        # '"Power to the people!" the group shouted ...': spaCy ends the sentence at the mark; the lowercase
        # continuation right after it is the attribution, however long.
        adjacent = following.start_char - quote_tokens.end_char <= 4  # closing mark, comma, space
        continues = adjacent and text_of(doc)[following.start_char : following.start_char + 1].islower()
        if same_paragraph and (0 < len(outside) <= _SHORT_ATTRIBUTION_TOKENS or continues):
            sentences[following.start] = following
        elif same_paragraph and adjacent:
            # '"Perpetual motion!" Rep. Glenn Thompson, R-Pa., said of ...': only the opening clause counts.
            following = doc[following.start : min(following.end, following.start + _SHORT_ATTRIBUTION_TOKENS + 2)]
            sentences[following.start] = following
    best: tuple[int, Attribution] | None = None
    for sentence in sentences.values():
        if sentence.start == sentence.sent.start and sentence.end == sentence.sent.end:
            tokens = inside.tokens_of(sentence, "cues", lambda t: _is_cue(t, inside))  # a whole sentence
        else:
            tokens = [t for t in sentence if _is_cue(t, inside)]  # the opening clause of one (a few tokens)
        for token in tokens:
            if _same_paragraph(doc, token.idx, quote_tokens.start_char):
                subject = _subject_of(token, inside)
                if subject is None:
                    continue
                distance = min(abs(token.i - quote_tokens.start), abs(token.i - quote_tokens.end))
                if best is None or distance < best[0]:
                    best = (distance, Attribution(token, subject))
    return best[1] if best else None


def _introduced_by_colon(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
    """A quote opening its paragraph after one that ends 'X said:' (a block quote)."""
    index = doc_index(doc)
    text = index.text
    line_start = index.line_start(span.start)
    if _last_char_before_mark(index, span) >= 0:
        return None
    previous_end = index.previous_nonspace(line_start) + 1
    if previous_end == 0 or text[previous_end - 1] != ":":
        return None
    previous_start = index.line_start(previous_end)
    tokens = doc.char_span(previous_start, previous_end, alignment_mode="expand")
    for token in reversed(list(tokens or [])):
        if _is_cue(token, inside):
            subject = _subject_of(token, inside)
            if subject is not None:
                return Attribution(token, subject)
    # 'President Clinton released the following statement:' / 'He then listed the qualities he wants:'
    # without a speech verb, the colon still hands over to the subject of the introducing sentence.
    if tokens is not None and len(tokens):
        root = tokens[-1].sent.root
        if root.pos_ in ("VERB", "AUX") and not inside[root.i] and root.idx >= previous_start:
            subject = next((c for c in root.lefts if c.dep_ in _SUBJECT_DEPS and not inside[c.i]), None)
            if subject is not None and _may_be_speaker(subject):
                return Attribution(root, subject)
    return None


def _clause_before_colon(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
    """'Kaine has adopted the stance common among Catholics: "I'm pro-life ..."': a whole statement that a
    colon introduces belongs to the subject of the clause before the colon, even without a speech verb
    (the colon is the cue). The subject must be someone who can speak: a name, a pronoun, an organisation
    or a role ("the board was conclusive in its findings:"), not "the thing is:"."""
    index = doc_index(doc)
    line_start = index.line_start(span.start)
    before_end = _last_char_before_mark(index, span)
    if before_end < line_start + 1 or index.text[before_end] != ":":
        return None
    colon = _token_at(doc, before_end)
    if colon is None or inside[colon.i]:
        return None
    clause_start = max(colon.sent.start, doc.char_span(line_start, line_start + 1, alignment_mode="expand").start)
    verbs = [t for t in doc[clause_start : colon.i] if t.pos_ in ("VERB", "AUX") and not inside[t.i]]
    for verb in verbs:
        if verb.dep_ not in ("ROOT", "conj"):
            continue
        subject = next((c for c in verb.lefts if c.dep_ in _SUBJECT_DEPS and not inside[c.i]), None)
        if subject is not None and _may_be_speaker(subject):
            return Attribution(verb, subject)
    return None


def _may_be_speaker(token: Token) -> bool:
    """A subject that can say things: a name, an organisation, a personal pronoun or a role noun."""
    if token.pos_ == "PRON":
        return token.lower_ in _STANCE_PRONOUNS
    if token.ent_type_ in ("PERSON", "ORG", "NORP") or token.pos_ == "PROPN":
        return True
    return token.pos_ == "NOUN" and token.lemma_.lower() in set(quote_lexicon()["role_nouns"])


def _colon_label(doc: Doc, span: QuotedSpan, inside: list[bool], resolver: SpeakerResolver) -> Speaker | None:
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
            speaker = _speaker_from_head(label.root, inside, resolver)
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
            return _speaker_from_head(label.root, inside, resolver, floor=label.start_char)
    return None


def _continued_speaker(span, quoted, index, previous: Quote | None, resolver) -> Quote | None:
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


def _continued_clause(quote_tokens, span: QuotedSpan, previous: Quote | None, inside: list[bool]) -> Quote | None:
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
    if between is not None and any(_is_cue(t, inside) for t in between):
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


def _speaker_from_head(head: Token, inside: list[bool], resolver: SpeakerResolver, floor: int = 0) -> Speaker:
    """The attributing noun phrase around `head` (pre-modifiers + head; appositions may hold the name)."""
    if head.pos_ != "PRON":
        for child in head.children:
            # "A spokesperson for the State Department, Matthew Miller, said": the name is in the apposition.
            # A title's apposition names its bearer even when the NER missed the name ("The Shadow Secretary of
            # State for the Family, Theresa May, said").
            named = child.ent_type_ == "PERSON" or (
                child.pos_ == "PROPN" and not child.ent_type_ and head.lemma_.lower() in _role_nouns())
            if child.dep_ == "appos" and named and not inside[child.i]:
                return _speaker_from_head(child, inside, resolver)
        compounds = [c for c in head.children if c.dep_ in ("compound", "flat") and c.ent_type_ == "PERSON"]
        if head.ent_type_ != "PERSON" and compounds:
            return _speaker_from_head(compounds[-1], inside, resolver)
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


# ---- dash-introduced and lost-mark quotes ------------------------------------------------------------


def _trailing_attribution(doc: Doc, first: int, last: int, inside: list[bool]):
    """In tokens [first, last): a final ', X said ...' / ', says X' clause. Returns (comma, cue, subject)."""
    for token in reversed(doc[first:last]):
        if not _is_cue(token, inside) or token.lemma_.lower() not in cue_lexicon().speech:
            continue
        subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None:
            continue
        clause_start = min(token.i, subject.left_edge.i)
        comma = doc[clause_start - 1] if clause_start - 1 >= first else None
        if comma is not None and comma.text == ",":
            return comma, token, subject
    return None


def _dash_quotes(doc: Doc, inside: list[bool], resolver: SpeakerResolver) -> list[Quote]:
    dashes = tuple(quote_lexicon()["quote_dashes"])
    text = text_of(doc)
    found: list[Quote] = []
    turn_paragraph = -2  # index of the paragraph holding the last dash quote
    for index, (p_start, p_end) in enumerate(paragraphs(text)):
        line = text[p_start:p_end]
        if not (line[:1] in dashes and line[1:2] == " "):
            continue
        start = p_start + 2
        while start < p_end and text[start].isspace():
            start += 1
        tokens = doc.char_span(start, p_end, alignment_mode="expand")
        if tokens is None or any(inside[t.i] for t in tokens):
            continue
        attribution = _trailing_attribution(doc, tokens.start, tokens.end, inside)
        if attribution is not None:
            comma, cue, subject = attribution
            end = comma.idx
            speaker = _speaker_from_head(subject, inside, resolver)
            cue_span = Span(text=cue.text, start=cue.idx, end=cue.idx + len(cue.text))
            confidence = 0.85
        elif found and turn_paragraph == index - 1 and not line.rstrip(" .").endswith(dashes):
            # An attribution-less dash paragraph right after a dash quote continues that speaker's turn;
            # elsewhere a leading dash marks a list item or a subheading ("– Ready to quiz Trump –").
            end = p_end
            speaker, cue_span, confidence = found[-1].speaker, found[-1].cue, 0.6
        else:
            continue
        while end > start and text[end - 1] in _TRAILING_PUNCT:
            end -= 1
        if len(text[start:end].split()) >= 4:  # a dash before a credit (" - AFP") is not a quote
            found.append(Quote(text=text[start:end], start=start, end=end, kind="dash", cue=cue_span,
                               speaker=speaker, confidence=confidence))
            turn_paragraph = index
    return found


def _unmarked_quotes(doc: Doc, inside: list[bool], resolver: SpeakerResolver, known: list[Quote]) -> list[Quote]:
    """Sentences whose marks were lost: first-person content then ', X said.' ("We believe ..., Peskov stated.")."""
    first_person = set(quote_lexicon()["first_person"])
    dashes = tuple(quote_lexicon()["quote_dashes"])
    found: list[Quote] = []
    overlaps_known = overlap_test([(q.start, q.end) for q in known])
    for sentence in doc.sents:
        if any(inside[t.i] for t in sentence) or overlaps_known(sentence.start_char, sentence.end_char):
            continue
        if sentence.text[:1] in dashes:
            continue
        attribution = _trailing_attribution(doc, sentence.start, sentence.end, inside)
        if attribution is None:
            continue
        comma, cue, subject = attribution
        content = doc[sentence.start : comma.i]
        tail = [t for t in doc[cue.i + 1 : sentence.end] if not t.is_punct]
        if len(content) < 4 or len(tail) > 4 or cue.head.i != cue.i and cue.dep_ not in ("ROOT", "parataxis"):
            continue
        if any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > cue.i for c in cue.children):
            continue  # "..., Holder announced his resignation": the verb has its own object, nothing is quoted
        if not any(t.lower_ in first_person and t.pos_ == "PRON" for t in content):
            continue
        start, end = content.start_char, comma.idx
        found.append(Quote(
            text=text_of(doc)[start:end], start=start, end=end, kind="unmarked",
            cue=Span(text=cue.text, start=cue.idx, end=cue.idx + len(cue.text)),
            speaker=_speaker_from_head(subject, inside, resolver), confidence=0.6,
        ))
    return found
