"""Constant- or log-time lookups on one parsed article, built once and shared by every annotation stage.

spaCy recomputes `Doc.text` by joining every token on each access, and finds a token's sentence by walking
token by token to its boundaries; a stage that asks either once per quote or per number is quadratic in
the length of the article. `doc_index(doc)` computes the text, the line (paragraph) breaks and the sentence
boundaries (and the token ends and entity spans) once, keeps them on the Doc (which the annotators never
modify after parsing), and installs spaCy's documented sentence hooks
(`Doc.user_token_hooks["sent"]`, `Doc.user_span_hooks["sent"]`) so that `token.sent` and `span.sent`
become a binary search returning the same sentence spaCy would.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Span

_KEY = "newsfacts.doc_index"


class EntitySpan(NamedTuple):
    """What the index keeps of a spaCy entity span (not the Span itself: the index lives in the Doc's
    user_data, and a Span would make a reference cycle that only the garbage collector frees)."""

    start_char: int
    end_char: int
    label_: str


@dataclass(frozen=True)
class DocIndex:
    text: str
    newlines: tuple[int, ...]  # offsets of every "\n" in text, ascending
    sentence_starts: tuple[int, ...]  # token index of each sentence's first token
    sentence_start_chars: tuple[int, ...]
    sentence_end_chars: tuple[int, ...]  # Span.end_char of each sentence
    token_ends: tuple[int, ...]  # token.idx + len(token.text) of every token, ascending
    ents: tuple[EntitySpan, ...]  # doc.ents (non-overlapping, in order)
    ent_starts: tuple[int, ...]

    # ---- lines (a paragraph is one line of the cleaned text) ------------------------------------------

    def line_start(self, offset: int) -> int:
        """`text.rfind("\\n", 0, offset) + 1` for 0 <= offset."""
        i = bisect.bisect_left(self.newlines, offset)
        return self.newlines[i - 1] + 1 if i else 0

    def line_end(self, offset: int) -> int:
        """The offset of the first "\\n" at or after `offset`, or len(text) (`text.find` without the -1)."""
        i = bisect.bisect_left(self.newlines, offset)
        return self.newlines[i] if i < len(self.newlines) else len(self.text)

    def has_newline(self, start: int, end: int) -> bool:
        """Is there a "\\n" in text[start:end]?"""
        i = bisect.bisect_left(self.newlines, max(start, 0))
        return i < len(self.newlines) and self.newlines[i] < end

    def previous_nonspace(self, offset: int, floor: int = 0) -> int:
        """The offset of the last non-space character of text[floor:offset], or floor - 1 when there is none
        (so `text[floor:offset].rstrip()` is text[floor : result + 1])."""
        text = self.text
        i = min(offset, len(text)) - 1
        while i >= floor and text[i].isspace():
            i -= 1
        return max(i, floor - 1)

    def next_nonspace(self, offset: int, ceiling: int | None = None) -> int:
        """The offset of the first non-space character of text[offset:ceiling], or ceiling when there is none."""
        text = self.text
        ceiling = len(text) if ceiling is None else min(ceiling, len(text))
        i = max(offset, 0)
        while i < ceiling and text[i].isspace():
            i += 1
        return i

    # ---- sentences --------------------------------------------------------------------------------------

    def sentence_number(self, token_index: int) -> int:
        return bisect.bisect_right(self.sentence_starts, token_index) - 1

    def sentence_bounds(self, token_index: int) -> tuple[int, int]:
        """(start, end) token indices of the sentence holding the token."""
        k = self.sentence_number(token_index)
        end = self.sentence_starts[k + 1] if k + 1 < len(self.sentence_starts) else None
        return self.sentence_starts[k], end

    # ---- tokens and named-entity spans ------------------------------------------------------------------

    def tokens_ending_by(self, offset: int) -> int:
        """How many tokens end at or before `offset` (they are the first ones of the doc)."""
        return bisect.bisect_right(self.token_ends, offset)

    def ent_containing(self, start: int, end: int) -> EntitySpan | None:
        """The entity span of doc.ents with start_char <= start and end <= end_char, if any (ents do not
        overlap, so there is at most one)."""
        k = bisect.bisect_right(self.ent_starts, start) - 1
        if k >= 0 and end <= self.ents[k].end_char:
            return self.ents[k]
        return None

    def sentence_at_char(self, offset: int) -> int:
        """The number of the sentence whose first character is the last one at or before `offset`."""
        return bisect.bisect_right(self.sentence_start_chars, offset) - 1


_NEWLINE = re.compile("\n")


def doc_index(doc: Doc) -> DocIndex:
    """The index of `doc`, built on first use and kept in `doc.user_data`."""
    index = doc.user_data.get(_KEY)
    if index is None:
        index = _build(doc)
        doc.user_data[_KEY] = index
    return index


def text_of(doc: Doc) -> str:
    """`doc.text`, without rebuilding it from the tokens on every call."""
    return doc_index(doc).text


def _build(doc: Doc) -> DocIndex:
    text = doc.text
    newlines = tuple(m.start() for m in _NEWLINE.finditer(text))
    starts: list[int] = []
    start_chars: list[int] = []
    end_chars: list[int] = []
    try:
        sentences = list(doc.sents) if len(doc) else []
    except ValueError:  # no sentence boundaries (a pipeline without parser or sentencizer)
        sentences = []
    for sentence in sentences:
        starts.append(sentence.start)
        start_chars.append(sentence.start_char)
        end_chars.append(sentence.end_char)
    ents = tuple(EntitySpan(e.start_char, e.end_char, e.label_) for e in doc.ents)
    index = DocIndex(
        text, newlines, tuple(starts), tuple(start_chars), tuple(end_chars),
        tuple(t.idx + len(t.text) for t in doc), ents, tuple(e.start_char for e in ents),
    )
    if starts and starts[0] == 0:
        doc.user_token_hooks["sent"] = lambda token: _sentence_of(token.doc, index, token.i)
        doc.user_span_hooks["sent"] = lambda span: _sentence_of(span.doc, index, span.start)
    return index


def overlap_test(intervals):
    """A function telling in log time whether [start, end) overlaps any of the (start, end) `intervals`."""
    ordered = sorted(intervals)
    starts = [s for s, _ in ordered]
    reach: list[int] = []  # the furthest end among the intervals up to each position
    for _, end in ordered:
        reach.append(max(end, reach[-1]) if reach else end)

    def overlaps(start: int, end: int) -> bool:
        count = bisect.bisect_left(starts, end)  # intervals starting before `end`
        return count > 0 and reach[count - 1] > start

    return overlaps


def _sentence_of(doc: Doc, index: DocIndex, token_index: int) -> Span:
    start, end = index.sentence_bounds(token_index)
    return doc[start : len(doc) if end is None else end]




class SpanSet:
    """A set of (start, end) spans, possibly overlapping, with insertion and removal, answering "which spans
    overlap [start, end)?" by looking only at spans that start within the longest span's reach of it.

    Items are kept sorted by (start, end, order), `order` being the insertion count, so that listing them
    gives what a list in insertion order sorted stably by (start, end) would give."""

    def __init__(self, spans=(), payloads=None):
        self._items: list[tuple[int, int, int, object]] = []
        self._longest = 0
        self._count = 0
        for i, (start, end) in enumerate(spans):
            self.add(start, end, payloads[i] if payloads is not None else None)

    def add(self, start: int, end: int, payload=None) -> None:
        item = (start, end, self._count, payload)
        self._count += 1
        self._longest = max(self._longest, end - start)
        bisect.insort(self._items, item, key=lambda it: it[:3])

    def remove(self, item) -> None:
        position = bisect.bisect_left(self._items, item[:3], key=lambda it: it[:3])
        if position < len(self._items) and self._items[position][:3] == item[:3]:
            del self._items[position]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, int, object]]:
        """Items with item.start < end and start < item.end (the test `_free` and friends use)."""
        first = bisect.bisect_left(self._items, start - self._longest, key=lambda it: it[0])
        last = bisect.bisect_left(self._items, end, key=lambda it: it[0])
        return [it for it in self._items[first:last] if start < it[1]]

    def overlaps(self, start: int, end: int) -> bool:
        first = bisect.bisect_left(self._items, start - self._longest, key=lambda it: it[0])
        last = bisect.bisect_left(self._items, end, key=lambda it: it[0])
        return any(start < it[1] for it in self._items[first:last])

    def items(self) -> list[tuple[int, int, int, object]]:
        return list(self._items)
