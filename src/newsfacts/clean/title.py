"""The headline of a text dump: a standalone headline-like line just above the body, or the line that
best matches the URL slug when the page URL is known."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlparse

from newsfacts.clean.blocks import Block
from newsfacts.meta.dates import parse_dates

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# How far above the body a headline may sit (pages put bylines, dates, share bars, captions between).
LOOKBACK_BLOCKS = 12
SLUG_LOOKBACK_BLOCKS = 40
MIN_SLUG_OVERLAP = 0.25
MIN_FALLBACK_WORDS = 4
MIN_FAR_WORDS = 6
MAX_TITLE_CHARS = 250


def slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    path = unquote(urlparse(url).path)
    words = {w.lower() for w in _WORD.findall(path) if not w.isdigit() and len(w) > 1}
    return words - {"html", "htm", "php", "aspx", "amp", "news", "article", "articles", "story", "index"}


_NOT_A_HEADLINE = re.compile(r"^(?:updated|posted|published|by)\b|https?://|www\.|\.(?:com|org|net)\b|\|\s*getty|/\s*getty|\bRSS\b|@\w|\b\d+\s+(?:min|hours?|days?|weeks?)\b", re.I)


def looks_like_headline(text: str) -> bool:
    words = _WORD.findall(text)
    if not 3 <= len(words) <= 40 or len(text) > MAX_TITLE_CHARS:
        return False
    # Addresses, photo credits, handles, feed links and date lines sit near headlines but are never one.
    if _NOT_A_HEADLINE.search(text) or parse_dates(text):
        return False
    # Headlines do not end like a sentence or a label; they may end with ? ! or a closing quote.
    return not re.search(r"[.:,;|]$", text) or text.endswith("...")


def slug_overlap(text: str, slug: set[str]) -> float:
    words = {w.lower() for w in _WORD.findall(text)}
    if not slug or not words:
        return 0.0
    return len(words & slug) / len(slug | words) if words else 0.0


def find_title(blocks: Sequence[Block], candidates: Sequence[int], body_start_index: int | None,
               url: str | None) -> int | None:
    """Index of the title block among `candidates` (blocks that are not furniture), or None."""
    if body_start_index is None:
        return None
    slug = slug_words(url)
    if slug:
        # The URL slug is strong evidence: it may pick a headline further up (galleries, share bars between).
        wide = [i for i in candidates if body_start_index - SLUG_LOOKBACK_BLOCKS <= i <= body_start_index
                and looks_like_headline(blocks[i].text)]
        if wide:
            scored = max(wide, key=lambda i: (slug_overlap(blocks[i].text, slug), i))
            if slug_overlap(blocks[scored].text, slug) >= MIN_SLUG_OVERLAP:
                return scored
    window = [i for i in candidates if body_start_index - LOOKBACK_BLOCKS <= i < body_start_index]
    # Without a usable slug: the nearest headline-like line of some length standing alone above the body
    # (short lines there are menu items and buttons: "Close share panel", "Back to Gallery").
    headlines = [i for i in window if looks_like_headline(blocks[i].text)
                 and len(_WORD.findall(blocks[i].text)) >= MIN_FALLBACK_WORDS]
    standalone = [i for i in headlines if blocks[i].run_length <= 2]
    pool = standalone or headlines
    if pool:
        return pool[-1]
    # Share panels and galleries can push the headline far up: a longer line standing alone will do.
    far = [i for i in candidates if body_start_index - SLUG_LOOKBACK_BLOCKS <= i < body_start_index
           and looks_like_headline(blocks[i].text) and blocks[i].run_length == 1
           and len(_WORD.findall(blocks[i].text)) >= MIN_FAR_WORDS]
    return far[-1] if far else None
