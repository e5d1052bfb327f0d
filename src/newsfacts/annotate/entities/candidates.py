"""Step 1: the model's names as `Candidate`s, cut to CoNLL-2003 boundaries.

A mention is the name only: no title, no leading "the", no possessive, no punctuation at its edges; an NER
span that runs across a line break or a spaced dash is split into the names inside it, and a piece that no
longer looks like a name is dropped. `Candidate` is the value a mention is while the steps of this package
(and `type_patterns.py`) work on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from newsfacts.annotate.doc_index import SpanSet
from newsfacts.annotate.entities.lexicon import TYPE_OF_LABEL, lexicon


# Types whose mentions are names of one thing (coreference and repeats make sense for them).
NAME_TYPES = ("PERSON", "ORG", "PLACE")


@dataclass(frozen=True)
class Candidate:
    """One mention on its way to an entity."""

    start: int
    end: int
    type: str
    labels: tuple[str, ...] = ()  # spaCy labels behind it ('' for mentions added by rules)
    kb_id: str | None = None  # set when a knowledge-base rule produced or fixed it
    description: bool = False  # a descriptive alias ("Seoul's spy agency"), not a name
    pattern: str | None = None  # set when a type pattern (storm, work, disease) found or typed it


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
_EDGE_STRIP = "\"'“”‘’«»()[]{}<>*•·|:;,.!?-–—/\\ \t\u00a0"
_WORD = re.compile(r"[^\s]+")
# Where one NER span holds two names: a spaced dash ("Alan Milburn - the"), a bracket ("Partridge
# (Motherwell"), an inner possessive ("Henry's Arsenal"), a preposition that never sits inside a name
# ("Perpignan at Lansdowne Road", "Leinster to Toulouse").
_SPLIT_NAMES = re.compile(
    r"\s+[-–—]+\s+|\s*[()\[\]]\s*|(?<=\w)['’]s\s+(?=[A-Z])"
    r"|\s+(?:at|to|from|with|by|in|than|versus|vs\.?|into|via)\s+(?=[A-Z])"
)
_SPLIT_PERSON = re.compile(r"\s+(?:and|or|for|&)\s+(?=[A-Z])")
_SCORE = re.compile(r"\d+[-–]\d+")
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")


def ner_candidates(doc: Doc) -> list[Candidate]:
    return [
        Candidate(ent.start_char, ent.end_char, TYPE_OF_LABEL[ent.label_], (ent.label_,))
        for ent in doc.ents
        if ent.label_ in TYPE_OF_LABEL
    ]


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]


def is_capitalised(word: str) -> bool:
    return any(c.isupper() or c.isdigit() for c in word[:2])


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """No surrounding spaces, quotes or punctuation; no possessive 's; no dangling hyphen."""
    while True:
        before = (start, end)
        while start < end and text[start] in _EDGE_STRIP:
            start += 1
        while end > start and text[end - 1] in _EDGE_STRIP:
            # keep the period of an abbreviation that ends the name ("U.S.", "Co.", "Jr.")
            if text[end - 1] == "." and re.search(r"(?:\b[A-Z]\.[A-Z]|\b(?:Co|Jr|Sr|Inc|Ltd|St))\.$", text[start:end]):
                break
            end -= 1
        match = _POSSESSIVE_END.search(text[start:end])
        if match and match.start() > 0:
            end = start + match.start()
        # a lowercase prefix glued by a hyphen is not part of the name ("ex-Yukos", "anti-French", "non-BT")
        prefix = re.match(r"[a-z]+-(?=[A-Z])", text[start:end])
        if prefix:
            start += prefix.end()
        if (start, end) == before:
            return start, end


def _strip_words(text: str, start: int, end: int, entity_type: str) -> tuple[int, int]:
    """Drop leading determiners, titles, roles and lowercase words; trailing lowercase words."""
    lex = lexicon()
    words = _words(text, start, end)
    while len(words) > 1:
        word = text[words[0][0]:words[0][1]]
        lowered = word.lower().rstrip(".")
        rest_capitalised = any(is_capitalised(text[s:e]) for s, e in words[1:])
        if lowered in lex.determiners and rest_capitalised:
            words = words[1:]
        elif is_capitalised(text[words[1][0]:words[1][1]]) and (
            (entity_type == "PERSON" and (lowered in lex.person_titles or lowered in lex.person_roles))
            # other names may start with a title word ("General Motors", "Prince's Trust"): only honorifics
            # are certain to be a person's title there ("Mr Brown" read as an ORG)
            or lowered in _HONORIFICS
        ):
            words = words[1:]
        elif not is_capitalised(word) and lowered not in lex.name_particles and rest_capitalised:
            words = words[1:]
        else:
            break
    while len(words) > 1:
        word = text[words[-1][0]:words[-1][1]]
        # a lowercase word or a match score ("Chelsea 2-0") after the name is not part of it
        if (not is_capitalised(word) and word.lower() not in lex.name_particles) or _SCORE.fullmatch(word):
            words = words[:-1]
        else:
            break
    # a name never ends on a particle ("Bank of")
    while len(words) > 1 and text[words[-1][0]:words[-1][1]].lower() in lex.name_particles:
        words = words[:-1]
    if not words:
        return start, start
    return words[0][0], words[-1][1]


def clean_candidate(text: str, candidate: Candidate) -> list[Candidate]:
    """The name(s) inside an NER span: split at line breaks and spaced dashes, trimmed to the name itself.

    spaCy spans sometimes run across a paragraph break ("X.\\n\\nSeoul's") or a dash ("Alan Milburn - the");
    each piece is cleaned on its own and kept only if it still looks like a name (a capital letter or a
    digit, more than one character).
    """
    pieces: list[tuple[int, int]] = []
    splitters = [_SPLIT_NAMES] if candidate.type in NAME_TYPES else []
    if candidate.type == "PERSON":
        splitters.append(_SPLIT_PERSON)
    for line in re.finditer(r"[^\n]+", text[candidate.start:candidate.end]):
        line_start = candidate.start + line.start()
        last = line_start
        cuts = sorted(m.span() for splitter in splitters for m in splitter.finditer(line.group()))
        for cut_start, cut_end in cuts:
            if line_start + cut_start >= last:
                pieces.append((last, line_start + cut_start))
                last = line_start + cut_end
        pieces.append((last, candidate.start + line.end()))
    cleaned = []
    for start, end in pieces:
        start, end = trim_edges(text, start, end)
        start, end = _strip_words(text, start, end, candidate.type)
        start, end = trim_edges(text, start, end)
        surface = text[start:end]
        if end - start < 2 or not any(c.isupper() or c.isdigit() for c in surface):
            continue
        if start >= 2 and text[start - 1] in "." and text[start - 2].isalnum():
            continue  # the tail of a dotted name the model cut ("Tel" of "One.Tel")
        cleaned.append(replace(candidate, start=start, end=end))
    if len(pieces) > 1 and len(cleaned) > 1:
        # a span broken by a paragraph break or dash: keep pieces that are names on their own
        cleaned = [c for c in cleaned if is_capitalised(text[c.start:c.end])]
    return cleaned


def drop_overlaps(candidates: Sequence[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    spans = SpanSet()
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if not spans.overlaps(c.start, c.end):
            spans.add(c.start, c.end)
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))
