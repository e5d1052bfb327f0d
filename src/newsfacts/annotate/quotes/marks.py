"""Quotation-mark pairing: where the quoted stretches of an article are, before anyone asks who said them.

Works on the plain text (no parse), paragraph by paragraph, because news quotes never cross a paragraph
without reopening: a quote that runs over several paragraphs opens each one again and only closes in the
last ("A ...<para>"B ...<para>"C."); where a source ran those paragraphs together on one line, a mark
reopening after a finished sentence ('... Michalak. "He does ...') starts the next paragraph. Handles straight and curly double marks, the doubled apostrophes of
NYT-style copy (''...''), guillemets, and single marks (headline style 'x'), telling a single closing
mark from an apostrophe (don't, Trump's, the '90s) by its neighbours.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from newsfacts.annotate.quotes.coref.names import quote_lexicon

# Each mark: its characters and whether it can open, close, or both (straight marks: decided by context).
_MARK = re.compile(r"''|``|[\"“”„«»‘’'‚]")
_OPENERS = {"“": "double", "„": "double", "«": "double", "``": "double", "‘": "single", "‚": "single"}
_CLOSERS = {"”": "double", "»": "double", "’": "single"}
_AMBIGUOUS = {'"': "double", "''": "double", "'": "single"}
# Paragraphs: news copy (and the cleaned text) puts each paragraph on its own line, blank-line separated or not.
_PARAGRAPH_BREAK = re.compile(r"\n\s*")
# Characters that may stand right before an opening mark / right after a closing mark.
# (― is the horizontal bar some sites put before a signature: '"..."― Carla Sanchez'.)
_BEFORE_OPEN = set(" \t\n([{—–―-/:;,")
_AFTER_CLOSE = set(" \t\n)]}—–―-/:;,.!?…")
# What ends the stretch before a reopening mark when the source ran a quote's paragraphs together.
_SENTENCE_END = set(".!?…")


@dataclass(frozen=True)
class QuotedSpan:
    """The inside of one pair of quotation marks (marks excluded), within one paragraph."""

    start: int
    end: int
    mark: str  # the opening mark as written
    style: str  # 'double' or 'single'
    paragraph: int  # index of the paragraph holding it
    continued: bool = False  # the quote goes on in the next paragraph (it reopens there, unclosed here)
    nested_in_double: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph (line) of `text`."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


@functools.lru_cache(maxsize=1)
def _elision() -> re.Pattern:
    """A word an apostrophe opens by eliding letters (quote_lexicon.yaml: elisions), or a digit, right after it."""
    words = "|".join(sorted(map(re.escape, quote_lexicon()["elisions"]), key=len, reverse=True))
    return re.compile(rf"(?i:\d|(?:{words})(?![^\W\d_]))")


def _role(text: str, start: int, end: int, mark: str) -> str | None:
    """'open', 'close', 'either' or None (an apostrophe, not a quotation mark)."""
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    # Any space counts as a boundary, the no-break space of web copy included ('."\u00a0― Name').
    may_open = (before in _BEFORE_OPEN or before.isspace() or before in "\"“‘'") and not after.isspace()
    may_close = (not before.isspace()) and (after in _AFTER_CLOSE or after.isspace() or after in "\"”’'")
    if mark in ("'", "’"):
        # An apostrophe sits between letters (don't, Trump's) or ends a plural possessive (voters' ),
        # which looks like a closing mark: single closers are accepted only once an opener is pending.
        if before.isalnum() and after.isalnum():
            return None
        if mark == "'" and after.isdigit():  # the '90s
            return None
        if (before.isspace() or before in "(\"“") and _elision().match(text, end):
            return None  # "go get ’em", "rock ’n’ roll", "the ’90s"
    if mark in _OPENERS:
        # An opener glued to the words before it and followed by a space is a mistyped closer (“Apparently not,“ he).
        mistyped = not before.isspace() and before not in "([{—–-/" and (after.isspace() or after in _AFTER_CLOSE)
        return "close" if mistyped else "open"
    if mark in _CLOSERS:
        if mark == "’" and may_open and not may_close:  # a ’ typed for ‘ by autocorrect
            return "open"
        return "close"
    if may_open and not may_close:
        return "open"
    if may_close and not may_open:
        return "close"
    return "either" if may_open or may_close else None


def _style(mark: str) -> str:
    return _OPENERS.get(mark) or _CLOSERS.get(mark) or _AMBIGUOUS[mark]


def _pair(text: str, start: int, end: int, paragraph: int, style: str) -> tuple[list[QuotedSpan], tuple[int, str] | None]:
    """Pair the marks of one style in text[start:end]; returns spans and a still-open mark (offset, mark)."""
    spans: list[QuotedSpan] = []
    pending: tuple[int, str] | None = None  # (offset after the opening mark, mark)
    for match in _MARK.finditer(text, start, end):
        mark = match.group()
        if _style(mark) != style:
            continue
        role = _role(text, match.start(), match.end(), mark)
        if role is None:
            continue
        if pending is None:
            if role in ("open", "either"):
                pending = (match.end(), mark)
            continue
        if role in ("close", "either"):
            if match.start() > pending[0]:
                spans.append(QuotedSpan(pending[0], match.start(), pending[1], style, paragraph))
            pending = None
        elif role == "open" and style == "double":
            # A second opener while one is pending. After a finished sentence it reopens a quote that ran
            # over paragraphs the source joined on one line ('...back Michalak. "He does ...'): the
            # stretch before it is a quoted paragraph of its own, continued by the next. Otherwise the
            # first was stray (or lost its closer); start over.
            last = match.start() - 1
            while last > pending[0] and text[last].isspace():
                last -= 1
            stray = _MARK.search(text, pending[0], last)  # an unpaired mark inside: the pairing is lost
            if last > pending[0] and last < match.start() - 1 and text[last] in _SENTENCE_END and (
                    stray is None or _style(stray.group()) != style):
                spans.append(QuotedSpan(pending[0], last + 1, pending[1], style, paragraph, continued=True))
            pending = (match.end(), mark)
    return spans, pending


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Every quoted stretch of `text`, in order; nested single quotes inside double ones are flagged."""
    result: list[QuotedSpan] = []
    blocks = paragraphs(text)
    for index, (p_start, p_end) in enumerate(blocks):
        doubles, pending = _pair(text, p_start, p_end, index, "double")
        if pending is not None and index + 1 < len(blocks):
            next_start = blocks[index + 1][0]
            next_first = text[next_start:next_start + 2]
            # Unclosed at the paragraph's end and the next paragraph reopens: a multi-paragraph quote.
            if next_first[:1] in "\"“„«" or next_first == "''":
                start, end = _trim(text, pending[0], p_end)
                if end > start:
                    doubles.append(QuotedSpan(start, end, pending[1], "double", index, continued=True))
        singles, _ = _pair(text, p_start, p_end, index, "single")
        for single in singles:
            inside = any(d.start <= single.start and single.end <= d.end for d in doubles)
            if inside:
                result.append(QuotedSpan(single.start, single.end, single.mark, "single", index, nested_in_double=True))
            elif not any(d.start < single.end and single.start < d.end for d in doubles):
                result.append(single)
        result.extend(doubles)
    return sorted(result, key=lambda s: (s.start, s.end))
