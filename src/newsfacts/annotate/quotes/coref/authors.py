"""The writer behind "I": who an op-ed, a column or a letter says it is by.

Outside quotation marks "I" is the writer. News names the writer of an opinion piece in two conventional
places, and only those are taken (no name is guessed from anywhere else):
- a letter's signature: a line right after the letter that holds only a name ("Martin Litwak." then
  "Olympia, Wash."), the nearest one within two lines after the paragraph of the "I";
- a closing byline: one of the article's last three paragraphs opening with a name followed by "is" or
  "was" and a description ("Cindy Godwin is a retired marketing executive in Tucson ...", "Gaudiano is a
  Washington-based reporter ...", "Gabriel Arana is senior media editor at ..." but not "Trump is leading
  in ..."), or a book excerpt's credit line ("From STEALING AMERICA by Dinesh D’Souza.").
With neither, "I" stays unnamed (the mention kept), as before.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from newsfacts.models import Entity

FIRST_PERSON_SPEAKERS = ("i", "me", "my")
# A line that is only a name: two to four capitalised words (initials allowed), an optional closing period.
_NAME_WORD = r"(?:[A-Z]\.|[A-Z][\w'’\-]*)"  # a capitalised word or an initial ("Joel B. Pollak")
_SIGNATURE = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}\.?")
# A closing byline: a name of one to four capitalised words, then "is"/"was" and a description: one with an
# article or a capitalised word ("is a retired ...", "is Senior Editor-at-Large"), or a title without an article
# and where it is held ("is senior media editor at ...", "is president of ...", "is editor in chief of ...").
_BYLINE = re.compile(rf"({_NAME_WORD}(?: {_NAME_WORD}){{0,3}}) (?:is|was) (?:a|an|the|[A-Z]|"
                     r"(?![a-z]+(?:ing|ed)\b)[a-z][\w\-]*(?: [a-z][\w\-]*){0,3} (?:at|of|for|in|with) )")
# A book excerpt's credit line: "From STEALING AMERICA by Dinesh D’Souza.", "Copyright © 2015 by ...".
_CREDIT = re.compile(r"(?:(?:Excerpted )?[Ff]rom [^\n]{1,120}?|Copyright [^\n]{0,20}?) by "
                     rf"({_NAME_WORD}(?: {_NAME_WORD}){{1,3}})")
# Capitalised words that open a closing sentence without naming anyone ("It is short of ...", "This is ...").
_NOT_A_NAME = {"it", "this", "that", "these", "those", "there", "here", "he", "she", "we", "they", "i", "you",
               "what", "which", "who", "one", "all", "none", "each", "the", "a", "an", "such", "so"}
_SIGNATURE_LINES = 2
_BYLINE_PARAGRAPHS = 3
_BYLINE_LENGTH = 400  # a byline is a sentence or two, not a paragraph of the article


class AuthorResolution:
    """The "I" rule of SpeakerResolver (coref/resolver.py)."""

    def resolve_author(self, token: Token) -> tuple[Entity | None, str | None, str]:
        """(person, name, evidence) of the writer an "I" outside quotation marks stands for: 'signature',
        'byline' or 'unresolved' (module docstring)."""
        if self._in_quote(token.idx):
            return None, None, "unresolved"
        lines = self._text_lines()
        own = next((k for k, (start, end) in enumerate(lines) if start <= token.idx < end), None)
        if own is not None:
            for start, end in lines[own + 1 : own + 1 + _SIGNATURE_LINES]:
                line = self.text[start:end].strip()
                if _SIGNATURE.fullmatch(line) and self._is_name(start, start + len(line.rstrip("."))):
                    return self._writer(start, start + len(line.rstrip(".")), "signature")
        for start, end in reversed(lines[-_BYLINE_PARAGRAPHS:]):
            if end - start > _BYLINE_LENGTH or start < token.idx:
                continue
            found = _BYLINE.match(self.text, start, end) or _CREDIT.match(self.text, start, end)
            if found and found.group(1).split()[0].lower() not in _NOT_A_NAME:
                return self._writer(found.start(1), found.end(1), "byline")
        return None, None, "unresolved"

    def _is_name(self, start: int, end: int) -> bool:
        """Is text[start:end] a person's name, not a heading in title case: a person the NER found there, or
        proper nouns only."""
        occurrence = self.entity_at(start, end)
        if occurrence is not None and occurrence.entity.type == "PERSON":
            return True
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and all(t.pos_ == "PROPN" or t.is_punct for t in span)

    def _writer(self, start: int, end: int, evidence: str) -> tuple[Entity | None, str | None, str]:
        """The person a signature or byline names: the article's entity for it, else the words themselves."""
        entity = self.resolve_name(start, end)
        if entity is not None and entity.type != "PERSON":
            entity = None
        name = entity.name if entity is not None else self.text[start:end]
        return entity, name, evidence

    def _text_lines(self) -> list[tuple[int, int]]:
        """(start, end) of each line that holds text, in order."""
        if getattr(self, "_lines", None) is None:
            self._lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", self.text)]
        return self._lines
