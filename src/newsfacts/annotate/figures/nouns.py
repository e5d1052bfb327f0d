"""The noun a figure counts or measures, read from the parse: "12,000 soldiers", "millions of government
e-mails" (through "of", past modifiers the parser took for the object), "a 27-kilometre ring", "35% of voters".
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsfacts.annotate.doc_index import text_of

# Words between a number and its noun that say how many more, not what is counted ("1,500 more soldiers").
_COMPARATIVES = frozenset({"more", "additional", "other", "extra", "further", "fewer", "less", "new", "another", "some", "several", "many", "few"})


def counted_noun(doc: Doc, end: int) -> Token | None:
    """The noun a number counts: the nummod head ("10,000 troops"), or "of" + noun after a vague scale."""
    span = doc.char_span(max(0, end - 1), end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span[-1]
    # "1,500 more soldiers": climb modifiers to the right until a noun. In "10,000 and 12,000 troops" the
    # second number may hang on the first as a conjunct.
    current = token.head if token.dep_ == "conj" and token.head.i < token.i and token.head.like_num else token
    for _ in range(4):
        head = current.head
        if head.i <= token.i or head.i - token.i > 6:
            break
        if current.dep_ not in ("nummod", "quantmod", "amod", "advmod", "compound", "npadvmod", "nmod"):
            break
        if head.pos_ in ("NOUN", "PROPN"):
            between = doc[token.i + 1 : head.i]
            if any(not _modifier_inside_phrase(t, token) and (t.is_punct or t.pos_ in ("VERB", "AUX", "ADP", "CCONJ")) for t in between):
                return None
            return _word_end(head)
        current = head
    # "thousands of soldiers", "a dozen of them", "millions of government e-mails"
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of" and token.pos_ in ("NOUN", "NUM"):
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN") and child.i - nxt.i <= 4:
                if token.pos_ == "NOUN" and any(t.like_num for t in doc[nxt.i + 1 : child.i]):
                    return None  # "two thirds of its 28,000 staff": the staff are the nearer number's count
                return _phrase_head(child)
    return None


def _modifier_inside_phrase(token: Token, number: Token) -> bool:
    """Between a number and its noun, a participle used as an adjective ("1,000 pirated DVDs", "two
    developing economies") or the hyphen of a compound adjective ("middle-class", "fast-growing") is part of
    the counted noun phrase, not a break in it (a hyphen right after the number makes a compound of the
    number itself, "a half-decent mark", and is not taken here)."""
    doc = token.doc
    if token.text in ("-", "\u2010") and token.i > number.i + 1:
        return not doc[token.i - 1].whitespace_ and not token.whitespace_
    return token.pos_ == "VERB" and token.tag_ in ("VBN", "VBG") and token.dep_ in ("amod", "compound", "nmod")


def _phrase_head(noun: Token) -> Token:
    """The last noun of the noun phrase that `noun` starts or continues: the parser may take a modifier for
    the object of "of" ("millions of government e-mails": "government"; "e-mails" is split in three)."""
    doc = noun.doc
    head = noun
    i = noun.i + 1
    while i < len(doc) and i - noun.i <= 6 and "\n" not in doc[i - 1].whitespace_:
        token = doc[i]
        hyphen = token.text in ("-", "\u2010") and not doc[i - 1].whitespace_ and not token.whitespace_
        glued = not doc[i - 1].whitespace_ and doc[i - 1].text in ("-", "\u2010") and token.is_alpha
        sibling = token.head.i >= noun.i or token.head == noun.head
        if hyphen or glued or (token.pos_ == "NOUN" and token.is_alpha and token.text.islower() and sibling):
            if not hyphen:
                head = token
            i += 1
            continue
        break
    return head


def _word_end(token: Token) -> Token:
    """The last token of the hyphenated word that starts with `token` ("e" of "e-mails" -> "mails")."""
    doc = token.doc
    i = token.i
    while i + 2 < len(doc) and doc[i + 1].text in ("-", "\u2010") and not doc[i].whitespace_ and not doc[i + 1].whitespace_ and doc[i + 2].is_alpha:
        i += 2
    return doc[i]


def _word_start(doc: Doc, token: Token) -> Token:
    """The first token of the hyphenated word that ends with `token` ("e-mails" is "e", "-", "mails")."""
    i = token.i
    while i >= 2 and doc[i - 1].text in ("-", "\u2010") and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_ and doc[i - 2].is_alpha:
        i -= 2
    return doc[i]


def noun_phrase_words(doc: Doc, noun: Token, first: int) -> tuple[int, str, str]:
    """(start char, unit, object) of the counted noun phrase that begins after token index `first`."""
    word = _word_start(doc, noun)  # "e-mails": the counted noun is the whole hyphenated word
    left = [t for t in doc[first : word.i] if t.i >= first]
    while left and left[0].lower_ in _COMPARATIVES:
        left = left[1:]  # "1,500 more soldiers": the object is the soldiers
    # The noun's modifiers; where the parser split the phrase ("government" read as the object of "of", "e-mails"
    # as more objects), lower-case nouns and adjectives attached to the same head count as modifiers too.
    modifiers = [t for t in left if t.head == noun or t.head.head == noun or (t.head == noun.head and t.dep_ in ("pobj", "compound", "amod"))]
    start_token = left[0] if left else word
    object_text = text_of(doc)[start_token.idx : noun.idx + len(noun.text)]
    unit_words = [
        t.lower_ for t in modifiers
        if t.dep_ in ("compound", "amod", "pobj") and t.lower_ not in _COMPARATIVES and not t.ent_type_ and t.text.islower() and t.is_alpha
    ]
    unit_words.append(text_of(doc)[word.idx : noun.idx + len(noun.text)].lower())
    return start_token.idx, " ".join(unit_words), object_text


def object_of(doc: Doc, start: int, end: int) -> str | None:
    """The noun a measure, sum or share is about: '27-kilometre ring', '35% of voters'."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    last = span[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN"):
                return child.lemma_.lower() if child.pos_ == "NOUN" else child.text
    head = last.head
    if head.i > last.i and head.pos_ == "NOUN" and head.i - last.i <= 3 and last.dep_ in ("nummod", "amod", "compound", "quantmod", "npadvmod", "nmod"):
        return head.lemma_.lower()
    return None
