"""Where a piece of extracted text sits in the HTML source.

Removed furniture and captions point into `raw`, which for an HTML page is the HTML source. The text an
extractor returns is the page's text nodes with character references decoded, inline markup dropped and
whitespace collapsed, so it is usually, but not always, a verbatim substring of the source. The
`SourceText` index makes every case locatable: it lists the visible characters of the page (text nodes
outside <script>/<style>, character references decoded), skipping whitespace, each with the span of source
it came from. A paragraph is found by its non-whitespace characters in that list, and its source span runs
from the first character's start to the last character's end, so `raw[start:end]` is the exact source of
the paragraph: identical to the paragraph when it holds no markup or references, its HTML source otherwise.
"""

from __future__ import annotations

import bisect
import html
import re
from array import array
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements whose content is never page text (<title> is the window's title, in the head or inside an SVG).
_INVISIBLE = frozenset({"script", "style", "title"})
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][-.a-zA-Z0-9]*);?")


def comparable(ch: str) -> bool:
    """Characters that take part in matching: not whitespace, and not the invisible or control characters
    extractors drop (zero-width spaces, soft hyphens, byte-order marks)."""
    return not ch.isspace() and ch.isprintable() and ch not in "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def key_of(text: str) -> str:
    return "".join(ch for ch in text if comparable(ch))


@dataclass(frozen=True)
class SourceSpan:
    start: int
    end: int
    # Offsets of the first and last+1 matched character in the SourceText index, for sub-spans.
    first: int
    last: int


def visible_text(raw: str) -> str:
    """The page's visible text (scripts, styles and the <title> left out): what a reader sees, whose words a
    cleaning record counts."""
    return " ".join(decoded for _, _, decoded in _text_pieces(raw))


class SourceText:
    """The visible characters of an HTML source, each with its [start, end) in the source."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        chars: list[str] = []
        starts = array("l")
        ends = array("l")
        for start, end, decoded in _text_pieces(raw):
            if end - start == len(decoded):  # a plain text run: one source character per character
                for i, ch in enumerate(decoded):
                    if comparable(ch):
                        chars.append(ch)
                        starts.append(start + i)
                        ends.append(start + i + 1)
            else:  # a character reference: all its characters come from the whole reference
                for ch in decoded:
                    if comparable(ch):
                        chars.append(ch)
                        starts.append(start)
                        ends.append(end)
        self.chars = "".join(chars)
        self.starts = starts
        self.ends = ends

    def _boundary_before(self, i: int) -> bool:
        # The match starts a word: nothing precedes it, or whitespace/markup separates it from what does.
        return i == 0 or self.ends[i - 1] != self.starts[i] or not self.chars[i - 1].isalnum() or not self.chars[i].isalnum()

    def _boundary_after(self, j: int) -> bool:
        return j >= len(self.chars) or self.ends[j - 1] != self.starts[j] or not self.chars[j].isalnum() or not self.chars[j - 1].isalnum()

    def _occurrences(self, key: str, lo: int, hi: int):
        i = self.chars.find(key, lo, hi)
        while i >= 0:
            yield i
            i = self.chars.find(key, i + 1, hi)

    def find(self, text: str, after: int = 0) -> SourceSpan | None:
        """The source span of `text`: its first whole-word occurrence at or after index `after`, else the
        first whole-word occurrence anywhere; None when its characters do not occur in the page."""
        key = key_of(text)
        if not key:
            return None
        for lo, hi in ((after, len(self.chars)), (0, len(self.chars))):
            for i in self._occurrences(key, lo, hi):
                j = i + len(key)
                if self._boundary_before(i) and self._boundary_after(j):
                    return SourceSpan(self.starts[i], self.ends[j - 1], i, j)
        return None

    def sub_span(self, span: SourceSpan, text: str, begin: int, end: int) -> SourceSpan | None:
        """The source span of text[begin:end], where `span` is the source span of the whole `text`."""
        first = span.first + len(key_of(text[:begin]))
        last = first + len(key_of(text[begin:end]))
        if not span.first <= first < last <= span.last:
            return None
        return SourceSpan(self.starts[first], self.ends[last - 1], first, last)

    def index_at(self, offset: int) -> int:
        """Index of the first visible character at or after a source offset."""
        return bisect.bisect_left(self.starts, offset)


class _TextNodes(HTMLParser):
    """Collects (line, column, text, is_reference) for the text runs and character references outside
    invisible elements; a reference's text is its name (the source gives its extent)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.pieces: list[tuple[int, int, str, bool]] = []  # (line, column, text, is_reference)
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _INVISIBLE:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in _INVISIBLE and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            line, column = self.getpos()
            self.pieces.append((line, column, data, False))

    def handle_entityref(self, name):
        if not self.hidden:
            line, column = self.getpos()
            self.pieces.append((line, column, name, True))

    def handle_charref(self, name):
        self.handle_entityref("#" + name)


def _text_pieces(raw: str):
    """(start, end, decoded text) of every text run and character reference outside script/style."""
    line_starts = [0]
    for match in re.finditer("\n", raw):
        line_starts.append(match.end())
    parser = _TextNodes()
    try:
        parser.feed(raw)
        parser.close()
    except Exception:  # noqa: BLE001 - a page the parser gives up on keeps the text it reached
        pass
    for line, column, text, is_reference in parser.pieces:
        start = line_starts[line - 1] + column
        if not is_reference:
            # The parser hands text runs over verbatim; check rather than trust, so offsets stay exact.
            if raw.startswith(text, start):
                yield start, start + len(text), text
            continue
        match = _REFERENCE.match(raw, start)
        if match:
            decoded = html.unescape(match.group())
            yield match.start(), match.end(), decoded
