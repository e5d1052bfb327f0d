"""Body detection on line blocks, after jusText (Pomikálek 2011), adapted to plain-text dumps.

Each line is first classified without context from its length and stopword density (long lines full of
function words are prose, short or stopword-poor lines are menus, titles, credits), then short and
borderline lines take the class of their context: a subheading between two paragraphs is body, a short
line among menu items is not. Pattern furniture (furniture.py) is fixed as bad before the context pass.

Three signals of text dumps are added to jusText's: lines cut off mid-sentence ("...") or sharing the fixed
length of a teaser list are bad; on a page whose paragraphs stand alone between blank lines, a long line
inside a run of lines is a list item or metadata blob; and only the densest stretch of prose (a maximum
subarray over per-line evidence) is the article, which leaves out comment threads and teaser lists.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Literal

import justext

from newsfacts.clean.blocks import Block
from newsfacts.clean.shape import TRUNCATED, table_groups, teaser_lengths

Label = Literal["good", "bad", "neargood", "short"]

# jusText's published defaults, except LENGTH_HIGH: news paragraphs in text dumps are often one or two
# sentences (BBC, tabloids), and 200 characters left whole articles without a single "good" line
# (120 was chosen on article-bench among 100/120/150/200).
LENGTH_LOW = 70
LENGTH_HIGH = 120
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
PROSE_STOPWORDS_MIN = 0.2

_WORD = re.compile(r"\w+", re.UNICODE)

JUSTEXT_LANGUAGE = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
                    "pt": "Portuguese", "nl": "Dutch", "fi": "Finnish", "sv": "Swedish", "vi": "Vietnamese",
                    "ru": "Russian", "pl": "Polish", "da": "Danish", "no": "Norwegian_Bokmal", "id": "Indonesian",
                    "cs": "Czech", "uk": "Ukrainian", "tr": "Turkish", "ro": "Romanian", "hu": "Hungarian",
                    "ca": "Catalan", "el": "Greek", "bg": "Bulgarian", "sk": "Slovak", "sl": "Slovenian",
                    "lt": "Lithuanian", "lv": "Latvian"}


@functools.lru_cache(maxsize=32)
def stoplist(language: str = "en") -> frozenset[str]:
    name = JUSTEXT_LANGUAGE.get(language)
    if name and name in justext.get_stoplists():
        return frozenset(justext.get_stoplist(name))
    return frozenset(justext.get_stoplist("English"))


def stopword_density(text: str, words: frozenset[str]) -> float:
    tokens = _WORD.findall(text.lower())
    return sum(token in words for token in tokens) / len(tokens) if tokens else 0.0


def spaced_paragraphs(blocks: Sequence[Block]) -> bool:
    """Whether the page puts a blank line after its paragraphs (most dumps do; some have none at all)."""
    long_lines = [b for b in blocks if len(b.text) >= LENGTH_HIGH]
    return bool(long_lines) and sum(b.run_length == 1 for b in long_lines) / len(long_lines) >= 0.5


# On a page whose paragraphs stand alone, a long line inside a run of this many lines is a list item,
# a teaser or a metadata blob, not a paragraph.
LIST_RUN = 4


def classify_context_free(block: Block, words: frozenset[str], teasers: frozenset[int] = frozenset(),
                          spaced: bool = False) -> Label:
    length = len(block.text)
    density = stopword_density(block.text, words)
    if "©" in block.text or TRUNCATED.search(block.text) or length in teasers:
        return "bad"
    if spaced and block.run_length >= LIST_RUN and length >= LENGTH_LOW:
        return "bad"
    if length < LENGTH_LOW:
        return "short"
    if density >= STOPWORDS_HIGH:
        return "good" if length > LENGTH_HIGH else "neargood"
    if density >= STOPWORDS_LOW:
        return "neargood"
    # News leads crowded with names and figures are poor in function words; a long line standing alone
    # and ending a sentence is still prose, and its neighbours decide.
    if density >= PROSE_STOPWORDS_MIN and block.run_length == 1 and re.search(r"[.!?\"”’]$", block.text):
        return "neargood"
    return "bad"


def _neighbour(labels: Sequence[Label], i: int, step: int, ignore_neargood: bool) -> Label:
    i += step
    while 0 <= i < len(labels):
        if labels[i] in ("good", "bad"):
            return labels[i]
        if labels[i] == "neargood" and not ignore_neargood:
            return "neargood"
        i += step
    return "bad"


def revise_with_context(labels: Sequence[Label]) -> list[Label]:
    """jusText's context pass: short lines, then near-good lines, take their neighbours' class."""
    revised = list(labels)
    for i, label in enumerate(labels):
        if label != "short":
            continue
        prev, nxt = _neighbour(labels, i, -1, True), _neighbour(labels, i, 1, True)
        if prev == nxt == "good":
            revised[i] = "good"
        elif prev == nxt == "bad":
            revised[i] = "bad"
        elif (prev == "bad" and _neighbour(labels, i, -1, False) == "neargood") or (
            nxt == "bad" and _neighbour(labels, i, 1, False) == "neargood"
        ):
            revised[i] = "good"
        else:
            revised[i] = "bad"
    settled = list(revised)
    for i, label in enumerate(revised):
        if label != "neargood":
            continue
        prev, nxt = _neighbour(revised, i, -1, True), _neighbour(revised, i, 1, True)
        settled[i] = "bad" if prev == nxt == "bad" else "good"
    return settled


def classify_blocks(blocks: Sequence[Block], fixed_bad: set[int], language: str = "en") -> list[Label]:
    """good/bad for every block; `fixed_bad` are indexes already known to be furniture."""
    words = stoplist(language)
    teasers = teaser_lengths(blocks)
    spaced = spaced_paragraphs(blocks)
    context_free: list[Label] = [
        "bad" if b.index in fixed_bad else classify_context_free(b, words, teasers, spaced) for b in blocks
    ]
    labels = revise_with_context(context_free)
    # Tables are news (results, standings, market data): rows in a run of several count for the article.
    tables = {i for group in table_groups(blocks, fixed_bad) for i in group}
    region = main_region([len(b.text) / 2 if b.index in tables else block_value(b, context_free[b.index], b.index in fixed_bad)
                          for b in blocks])
    if region is None:
        return labels
    labels = [label if region[0] <= i <= region[1] else "bad" for i, label in enumerate(labels)]
    labels = ["good" if i in tables and region[0] <= i <= region[1] else label for i, label in enumerate(labels)]
    # A subheading: a short standalone line inside the article, not furniture, right above a good paragraph
    # (jusText drops it when a caption or ad box sits just above it).
    for i in range(region[0], region[1]):
        if (context_free[i] == "short" and labels[i] == "bad" and blocks[i].run_length == 1
                and labels[i + 1] == "good" and not re.search(r"[.:;,|]$", blocks[i].text)
                and len(_WORD.findall(blocks[i].text)) >= 3):
            labels[i] = "good"
    return labels


def block_value(block: Block, label: Label, fixed: bool) -> float:
    """Evidence a block gives for being inside the article: prose counts for, furniture against."""
    if fixed:
        return -max(len(block.text), 30)
    if label == "good":
        return len(block.text)
    if label == "neargood":
        return len(block.text) / 2
    if label == "short":
        return -10.0
    return -float(len(block.text))


def main_region(values: Sequence[float]) -> tuple[int, int] | None:
    """[first, last] blocks of the contiguous stretch with the largest total value (Kadane), after the
    body-text-extraction idea of Finn et al. (2001): the article is where prose is densest."""
    best, best_range = 0.0, None
    total, start = 0.0, 0
    for i, value in enumerate(values):
        if total <= 0:
            total, start = 0.0, i
        total += value
        if total > best:
            best, best_range = total, (start, i)
    return best_range
