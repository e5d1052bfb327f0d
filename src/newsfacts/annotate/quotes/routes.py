"""The routes that attribute a marked quote, each giving an `Attribution` or None. Their names are the routes of
`data/quote_confidence.yaml`: `cue` (the outermost cue verb governing the quote in the parse), `according_to`,
`speech_clause` ('"…," Kelly charged'), `dash_signature` ('"…" ― Name'), `nearby_cue` (a cue in the quote's
sentences or a short attribution sentence right after it; a block quote after 'X said:'),
`clause_before_colon` (X issued a statement: "…"), `parenthetical` ('"…," he said, wind up') and `stance`
(a quoted phrase used by a named actor without a speech verb). `marked.py` tries them in that order.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.doc_index import doc_index, text_of
from newsfacts.annotate.quotes.attribution import (
    Attribution,
    InsideMask,
    STANCE_PRONOUNS,
    SUBJECT_DEPS,
    in_one_paragraph,
    is_cue,
    last_char_before_mark,
    token_at,
)
from newsfacts.annotate.quotes.marks import QuotedSpan
from newsfacts.annotate.quotes.speakers import can_speak, may_be_speaker, noun_run_after, subject_of


# A sentence that is only an attribution ("he said.", "Miller says, AFP news agency.") is this short.
_SHORT_ATTRIBUTION_TOKENS = 10


_MODIFIER_CLAUSES = {"relcl", "acl", "advcl", "amod", "xcomp", "pcomp"}
_REPORTING_TAGS = {"VBD", "VBZ", "VBP"}  # "said", "says", "say": a finite verb reporting the words


def speech_clause_after(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
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
    before_end = last_char_before_mark(doc_index(doc), span)
    if before_end >= 0 and text[before_end] not in ".!?:\"”'’":
        return None
    after = span.end
    while after < len(text) and text[after] in "\"”'’":
        after += 1
    if after == span.end or after >= len(text) or text[after] not in " \u00a0":
        return None
    first = token_at(doc, after + 1)
    if first is None or inside[first.i] or first.idx != after + 1:
        return None
    if not first.is_alpha:
        return None  # a dash or bracket: a signature or an aside, handled elsewhere
    if first.pos_ in ("VERB", "AUX") and first.tag_ in _REPORTING_TAGS and first.lemma_ not in ("be", "have", "do"):
        subject = noun_run_after(first, inside)  # inverted: '"Safety," said Grimm'
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
        subject = next((c for c in verb.lefts if c.dep_ in SUBJECT_DEPS), None)
        if subject is None:
            # The parser found no subject, yet the words before the verb form one noun phrase ("the
            # 43-year-old asked"): its head speaks.
            phrase = doc[first.i : verb.i]
            head = phrase.root
            if head.pos_ in ("NOUN", "PROPN") and can_speak(head):
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


def dash_signature(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
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
    dash = token_at(doc, signature.start(1))
    return Attribution(dash if dash is not None else name.root, name.root)


def governing_cue_by_sentence(quote_tokens, inside: list[bool]) -> Attribution | None:
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
        if head.i == current.i or not in_one_paragraph(current.doc, head.idx, current.idx):
            break
        current = head
    above = memo.get(current.i) if current.i in memo else None
    for node in reversed(path):
        head = node.head
        from_head = above if head.i != node.i and in_one_paragraph(node.doc, head.idx, node.idx) else None
        if from_head is not None and _own_clause(node, inside):
            from_head = None  # 'a bill which critics claim ...', '... but critics fear ...': their words, not the outer speaker's
        own = None
        if from_head is None and is_cue(node, inside):
            subject = subject_of(node, inside)
            if subject is not None:
                own = Attribution(node, subject)
        memo[node.i] = above = from_head if from_head is not None else own
    return memo[token.i]


_RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}


def _own_clause(node: Token, inside: list[bool]) -> bool:
    """A relative or coordinated clause whose verb is a cue or belief verb with a subject of its own ('which
    critics claim would ...', 'Ministers say ... but critics fear ...') asserts what its own subject says or
    thinks: the cue verb above it speaks for someone else.
    A complement clause ('X said that Y called it "..."') stays under the outer cue."""
    if node.dep_ not in ("relcl", "conj", "advcl") or node.pos_ not in ("VERB", "AUX"):
        return False
    if node.dep_ == "advcl" and node.lemma_.lower() not in cue_lexicon().speech:
        # 'Cruz said as the heckler yelled ...': an adverbial clause speaks for its own subject only when it
        # reports speech ('calls for the party to respond by recognizing that ...' is still the letter's).
        return False
    if node.lemma_.lower() not in cue_lexicon().all_verbs and not is_cue(node, inside):
        # 'It was X but the result was "...", he said', 'the debates in which he took part': the clause is
        # part of what the outer speaker says
        return False
    return any(c.dep_ in SUBJECT_DEPS and not inside[c.i] and c.lower_ not in _RELATIVE_PRONOUNS for c in node.children)


def _governing_cue(quote_tokens, inside: list[bool]) -> Attribution | None:
    """The outermost cue verb above the quote in the parse (or attached to it), with a subject."""
    root = quote_tokens.root
    # 'Cruz said as the heckler yelled: "You suck!"': the speech verb right before the colon that opens the quote
    # speaks it, whatever clause the parser hung the quote on.
    opened_by = _token_before_quote(quote_tokens)
    if opened_by is not None and opened_by.text == ":" and opened_by.i > 0:
        verb = opened_by.doc[opened_by.i - 1]
        if verb.sent == opened_by.sent and is_cue(verb, inside) and (subject := subject_of(verb, inside)) is not None:
            return Attribution(verb, subject)
    # 'Zinovyev "stressed that ..."': the quote opens with its own cue verb, whose subject stands outside.
    if root.lemma_.lower() in cue_lexicon().speech and root.pos_ == "VERB" and root.i == quote_tokens.start:
        subject = next((c for c in root.children if c.dep_ in SUBJECT_DEPS and not inside[c.i]), None)
        if subject is not None and in_one_paragraph(root.doc, subject.idx, root.idx):
            return Attribution(root, subject)
    head = root.head
    found = _outermost_cue(head, inside) if head.i != root.i and in_one_paragraph(root.doc, head.idx, root.idx) else None
    if found is not None:
        return found
    # `"...," he said` is sometimes parsed with the cue hanging off the quote's own verb.
    in_quote = {t.i for t in quote_tokens}
    for token in quote_tokens:
        for child in token.children:
            if child.i not in in_quote and is_cue(child, inside) and in_one_paragraph(token.doc, child.idx, token.idx):
                subject = subject_of(child, inside)
                if subject is not None:
                    return Attribution(child, subject)
    return None


def _token_before_quote(quote_tokens) -> Token | None:
    """The token before the quote and its opening mark, if any."""
    doc, i = quote_tokens.doc, quote_tokens.start - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in _OPENING_MARKS):
        i -= 1
    return doc[i] if i >= 0 else None


def parenthetical_cue(quote_tokens, inside: list[bool]) -> Attribution | None:
    """'... "certain fringes of the internet," he said, wind up ...': a cue set off by commas in the sentence."""
    cues = inside.tokens_of(quote_tokens[0].sent, "parataxis_cues", lambda t: t.dep_ == "parataxis" and is_cue(
        t, inside) and subject_of(t, inside) is not None)
    for token in cues:
        if in_one_paragraph(token.doc, token.idx, quote_tokens.start_char):
            return Attribution(token, subject_of(token, inside))
    return None


def stance_of_named_subject(quote_tokens, inside: list[bool]) -> Attribution | None:
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
        if not in_one_paragraph(doc, token.idx, quote_tokens.start_char):
            return None
        if token.i in in_quote or inside[token.i] or token.pos_ not in ("VERB", "AUX"):
            continue
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS and not inside[c.i]), None)
        if subject is None:
            continue
        if subject.lower_ in STANCE_PRONOUNS or subject.ent_type_ in ("PERSON", "ORG", "NORP") or any(
                c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in subject.children):  # "Clinton's lawyer Cheryl Mills"
            return Attribution(token, subject)
        return None
    return None


def according_to(doc: Doc, quote_tokens, inside: list[bool]) -> Attribution | None:
    """'..., according to X' in the sentence of the quote."""
    sentence = quote_tokens[0].sent
    candidates = inside.tokens_of(sentence, "according_to", lambda t: t.lower_ == "according" and t.i + 1 < len(doc)
                                  and doc[t.i + 1].lower_ == "to" and not inside[t.i])
    for token in candidates:
        if not in_one_paragraph(doc, token.idx, quote_tokens.start_char):
            continue
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        return Attribution((token, to), objects[0] if objects else None)
    return None


def nearby_cue(doc: Doc, quote_tokens, inside: list[bool]) -> Attribution | None:
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
        # '"...," she said. "...." Asked what that might look like, she said: "..."': a sentence ending in a colon
        # before a quote introduces that quote, not the one before it.
        same_paragraph = same_paragraph and not _introduces_next_quote(following, inside)
        if same_paragraph and (0 < len(outside) <= _SHORT_ATTRIBUTION_TOKENS or continues):
            sentences[following.start] = following
        elif same_paragraph and adjacent:
            # '"Perpetual motion!" Rep. Glenn Thompson, R-Pa., said of ...': only the opening clause counts.
            following = doc[following.start : min(following.end, following.start + _SHORT_ATTRIBUTION_TOKENS + 2)]
            sentences[following.start] = following
    best: tuple[int, Attribution] | None = None
    for sentence in sentences.values():
        if sentence.start == sentence.sent.start and sentence.end == sentence.sent.end:
            tokens = inside.tokens_of(sentence, "cues", lambda t: is_cue(t, inside))  # a whole sentence
        else:
            tokens = [t for t in sentence if is_cue(t, inside)]  # the opening clause of one (a few tokens)
        for token in tokens:
            if in_one_paragraph(doc, token.idx, quote_tokens.start_char):
                subject = subject_of(token, inside)
                if subject is None:
                    continue
                distance = min(abs(token.i - quote_tokens.start), abs(token.i - quote_tokens.end))
                if best is None or distance < best[0]:
                    best = (distance, Attribution(token, subject))
    return best[1] if best else None


_OPENING_MARKS = {'"', "“", "‘", "'", "``", "''", "«", "„"}


def _introduces_next_quote(sentence, inside: list[bool]) -> bool:
    """Does the sentence end in a colon right before a quote it holds ("Asked ..., she said: "...")?"""
    opening = next((t for t in sentence if inside[t.i]), None)
    if opening is None or opening.i == sentence.start:
        return False
    before = [t for t in sentence.doc[sentence.start : opening.i] if not t.is_space and t.text not in _OPENING_MARKS]
    return bool(before) and before[-1].text == ":"


def introduced_by_colon(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
    """A quote opening its paragraph after one that ends 'X said:' (a block quote)."""
    index = doc_index(doc)
    text = index.text
    line_start = index.line_start(span.start)
    if last_char_before_mark(index, span) >= 0:
        return None
    previous_end = index.previous_nonspace(line_start) + 1
    if previous_end == 0 or text[previous_end - 1] != ":":
        return None
    previous_start = index.line_start(previous_end)
    tokens = doc.char_span(previous_start, previous_end, alignment_mode="expand")
    for token in reversed(list(tokens or [])):
        if is_cue(token, inside):
            subject = subject_of(token, inside)
            if subject is not None:
                return Attribution(token, subject)
    # 'President Clinton released the following statement:' / 'He then listed the qualities he wants:'
    # without a speech verb, the colon still hands over to the subject of the introducing sentence.
    if tokens is not None and len(tokens):
        root = tokens[-1].sent.root
        if root.pos_ in ("VERB", "AUX") and not inside[root.i] and root.idx >= previous_start:
            subject = next((c for c in root.lefts if c.dep_ in SUBJECT_DEPS and not inside[c.i]), None)
            if subject is not None and may_be_speaker(subject):
                return Attribution(root, subject)
    return None


def clause_before_colon(doc: Doc, span: QuotedSpan, inside: list[bool]) -> Attribution | None:
    """'Kaine has adopted the stance common among Catholics: "I'm pro-life ..."': a whole statement that a
    colon introduces belongs to the subject of the clause before the colon, even without a speech verb
    (the colon is the cue). The subject must be someone who can speak: a name, a pronoun, an organisation
    or a role ("the board was conclusive in its findings:"), not "the thing is:"."""
    index = doc_index(doc)
    line_start = index.line_start(span.start)
    before_end = last_char_before_mark(index, span)
    if before_end < line_start + 1 or index.text[before_end] != ":":
        return None
    colon = token_at(doc, before_end)
    if colon is None or inside[colon.i]:
        return None
    clause_start = max(colon.sent.start, doc.char_span(line_start, line_start + 1, alignment_mode="expand").start)
    verbs = [t for t in doc[clause_start : colon.i] if t.pos_ in ("VERB", "AUX") and not inside[t.i]]
    for verb in verbs:
        if verb.dep_ not in ("ROOT", "conj"):
            continue
        subject = next((c for c in verb.lefts if c.dep_ in SUBJECT_DEPS and not inside[c.i]), None)
        if subject is not None and may_be_speaker(subject):
            return Attribution(verb, subject)
    return None
