"""How much cleaning a text needs, read from its shape before anything is removed.

Most inputs are one of two things: article text (a story, a wire brief, a results table, a single sentence)
or a page dump (the article among menus, consent banners, share bars, teaser lists and comment threads).
Article text must be kept whole: the density pass that separates an article from its page judges lines by
length and function words, and on a text without furniture it can only throw article away (short wire
paragraphs, table rows, other languages). So the cleaner first looks for signs of furniture, and runs the
density pass only on a text that shows them.

The signs are structural and language-independent where possible:

* pattern furniture: whole lines the furniture rules name (consent, share, navigation, subscription,
  related, advert, footer, comment and reference sections), excluding the weak kinds that also occur in
  article text (bare numbers, bylines, wire credits, date stamps) and the rules that match a word inside a
  longer line (a story about Oreo cookies is not a consent banner);
* menus: runs of very short lines without a digit or a sentence end (link lists, section menus), unless
  one word recurs through the run ("Burnley v Liverpool", "BOSTON AT OAKLAND": fixtures, not a menu);
* teasers: excerpts cut off mid-sentence at one fixed length, several times.

Also here: what counts as prose and as a table row (the units the fallback ladder must never lose), and
the headline and dateline lines at the top of article text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsfacts.clean.blocks import Block
from newsfacts.clean.furniture import furniture_kind, section_start_kind

# Pattern kinds that are signs of a page around the article. Bylines, wire credits, date stamps and bare
# numbers also occur in article text (a brief's credit line, a table cell), so they are not signs.
PAGE_KINDS = frozenset({"consent", "share", "navigation", "subscription", "related", "advert", "footer",
                        "comments", "caption"})
# A menu: at least this many consecutive lines of at most MENU_MAX_WORDS words, none with a digit or a
# sentence end. Section menus and link lists are long runs of such lines; a list of names in an article
# (a squad, a cast) is short or carries punctuation.
MENU_MIN_RUN = 5
MENU_MAX_WORDS = 3
# Pattern lines needed, without any structural sign, before the page is treated as a dump: one "Advertisement"
# line in a story is removed by pattern, it does not make the story a page.
MIN_PATTERN_LINES = 3

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?。！？…\"”’»)\]]$")
_DIGIT = re.compile(r"\d")


# Teasers of other articles are excerpts cut off mid-sentence by the page.
TRUNCATED = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\])$")


def teaser_lengths(blocks: Sequence[Block], min_chars: int = 100, min_repeats: int = 3) -> frozenset[int]:
    """Lengths shared by several long lines cut off mid-sentence: excerpts cut to a fixed size by the page
    are a list of teasers. (Complete sentences of equal length are common in a long article.)"""
    counts: dict[int, int] = {}
    for block in blocks:
        if len(block.text) >= min_chars and not re.search(r"[.!?\"”’)]$", block.text):
            counts[len(block.text)] = counts.get(len(block.text), 0) + 1
    return frozenset(length for length, count in counts.items() if count >= min_repeats)


@dataclass(frozen=True)
class Shape:
    """What the text looks like: the evidence of furniture it carries, counted by sign."""

    pattern_lines: int
    menu_lines: int
    teaser_lines: int
    section_starts: int

    @property
    def is_page(self) -> bool:
        """A page dump (furniture around the article), as opposed to article text."""
        return bool(self.menu_lines or self.teaser_lines or self.section_starts
                    or self.pattern_lines >= MIN_PATTERN_LINES)

    @property
    def has_furniture(self) -> bool:
        return bool(self.pattern_lines or self.menu_lines or self.teaser_lines or self.section_starts)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_menu_item(text: str) -> bool:
    return (len(words(text)) <= MENU_MAX_WORDS and not _DIGIT.search(text) and not _SENTENCE_END.search(text)
            and bool(_LETTERS.search(text)))


def shares_a_word(texts: Sequence[str]) -> bool:
    """Whether one word recurs in at least half of the lines (a connector of fixtures or schedules)."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in {w.lower() for w in words(text)}:
            counts[word] = counts.get(word, 0) + 1
    return any(n * 2 >= len(texts) for n in counts.values())


def menu_lines(blocks: Sequence[Block]) -> set[int]:
    """Indexes of lines in runs of menu items (consecutive lines of the dump, blank lines allowed between)."""
    found: set[int] = set()
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and is_menu_item(block.text):
            run.append(block)
            continue
        if len(run) >= MENU_MIN_RUN and not shares_a_word([b.text for b in run]):
            found.update(b.index for b in run)
        run = []
    return found


def page_pattern_kind(text: str) -> str | None:
    """The kind of a whole line that furniture patterns name, when that kind is a sign of a page."""
    furniture = furniture_kind(text)
    if furniture and furniture[0] in PAGE_KINDS and furniture[1].startswith("pattern"):
        return furniture[0]
    return None


def read_shape(blocks: Sequence[Block]) -> Shape:
    lengths = teaser_lengths(blocks)
    teasers = [b for b in blocks if len(b.text) in lengths]
    return Shape(
        pattern_lines=sum(page_pattern_kind(b.text) is not None for b in blocks),
        menu_lines=len(menu_lines(blocks)),
        teaser_lines=len(teasers),
        section_starts=sum(section_start_kind(b.text) is not None for b in blocks),
    )


def is_prose(text: str) -> bool:
    """A sentence or more: several words ending like a sentence (any script)."""
    return len(words(text)) >= 4 and bool(_SENTENCE_END.search(text))


_TABLE_SEPARATORS = re.compile(r"\t|\s\|\s|\s{3,}")


def is_table_row(text: str) -> bool:
    """A row of a results table, market data or standings: figures among short labels
    ("Lotte 6 Hyundai 2", "1. Jesper Ronnback ( Sweden ) 25.76 points", "Haitai 64 2 43 .596 -")."""
    tokens = text.split()
    # Four cells at least: shorter lines with a number are archive links ("October 2019 (1)"), pagers, dates.
    if not 4 <= len(tokens) <= 40 or not _LETTERS.search(text):
        return False
    numeric = sum(bool(_DIGIT.search(token)) for token in tokens)
    if numeric >= 2 and _has_date(text):
        return False  # a date stamp ("Nov 18, 2019 at 9:24 pm ET • 2 min read"), not a row of figures
    return numeric >= 1 and (numeric >= 2 and numeric / len(tokens) >= 0.25 or bool(_TABLE_SEPARATORS.search(text)))


# Rows in a run of at least this many make a table.
MIN_TABLE_ROWS = 3


def table_groups(blocks: Sequence[Block], excluded: set[int] | frozenset[int] = frozenset()) -> list[list[int]]:
    """Runs of consecutive table rows (blank lines between allowed), at least MIN_TABLE_ROWS long."""
    groups: list[list[int]] = []
    current: list[int] = []
    for block in blocks:
        if block.index not in excluded and is_table_row(block.text):
            current.append(block.index)
            continue
        if len(current) >= MIN_TABLE_ROWS:
            groups.append(current)
        current = []
    if len(current) >= MIN_TABLE_ROWS:
        groups.append(current)
    return groups


def _has_date(text: str) -> bool:
    from newsfacts.meta.dates.patterns import parse_dates

    return bool(parse_dates(text))


_LIST_MARKER = re.compile(r"^(?:[•·▪◦‣*–—-]|\d{1,2}[.)])\s+\S")


def is_list_item(text: str) -> bool:
    """A bullet or numbered item of a few words ("• Lower taxes for families", "2) Cut red tape")."""
    return bool(_LIST_MARKER.match(text)) and len(words(text)) >= 3


def is_content(text: str) -> bool:
    """Words in sentences or table rows: what the cleaner must never return an empty body for."""
    return is_prose(text) or is_table_row(text)


# ---- the top of article text: headline and dateline --------------------------------------------------

_WIRE_HEADLINE = re.compile(r"^[A-Z][A-Z0-9 &/.'-]{1,30} - \S")  # "SOCCER - JAPAN GET LUCKY WIN ."
MAX_HEADLINE_WORDS = 25
MAX_HEADLINE_CHARS = 250


def upper_share(text: str) -> float:
    letters = _LETTERS.findall(text)
    return sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0


def is_headline_line(block: Block, following: Block | None) -> bool:
    """Whether the first line of article text is its headline: short, followed by more text, and set apart
    (a blank line after it, wire capitals, or a "SECTION - HEADLINE" wire slug); a sentence is not one."""
    text = block.text
    if following is None or len(text) > MAX_HEADLINE_CHARS or not 1 <= len(words(text)) <= MAX_HEADLINE_WORDS:
        return False
    if not _LETTERS.search(text) or is_table_row(text):
        return False
    wire = bool(_WIRE_HEADLINE.match(text)) or upper_share(text) >= 0.8
    # Wire copy puts the dateline right under the headline, whatever the headline's case or punctuation.
    if wire or is_place_dateline(following.text):
        return True
    # A line ending like a sentence is the first sentence of a story, not its headline.
    if re.search(r"[.:;,。．！？]$", text) and not text.endswith("..."):
        return False
    standalone = block.run_length == 1 or following.start - block.end > 1
    return standalone or len(following.text) > 2 * len(text)


_DATELINE_PLACE_WORD = re.compile(r"^(?:[A-Z][\w.'’-]*|[,/-]|\([A-Z][\w.' ]*\)?|[A-Z]\w*\))$")
_NOT_A_PLACE = re.compile(r"\b(?:updated|published|posted|modified|by|on|at|date|edition)\b", re.I)


def is_place_dateline(text: str) -> bool:
    """A dateline on its own line: a place, then the date ("LONDON 1996-08-30", "AL-AIN , United Arab
    Emirates 1996-12-06"). Unlike a date stamp it belongs to the story: its place is where it was filed."""
    from newsfacts.meta.dates import parse_dates

    if len(text) > 80:
        return False
    dates = parse_dates(text)
    if len(dates) != 1:
        return False
    place = text[: dates[0].start].strip(" ,")
    rest = text[dates[0].end:].strip()
    place_words = place.split()
    if not 1 <= len(words(place)) <= 6 or _NOT_A_PLACE.search(place) or rest.strip("-–—:() ") and not re.fullmatch(
            r"\(?[A-Z][\w ]{1,20}\)?\s*[-–—:]?", rest):
        return False
    return all(_DATELINE_PLACE_WORD.match(w) for w in place_words)
