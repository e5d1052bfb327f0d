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


# ---- site names around a page title ("Headline | Section - Site", "Site - Headline") -----------------

# Separators pages put between a headline and their name: a bar, a dash or a middle dot with spaces around
# (a hyphen inside a word, "Trump-owned", is never one).
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|:·•»/\\]{1,2}|[-–—]{1,2})\s+")
MAX_LABEL_WORDS = 6  # a site name or section label is short
MIN_NAME_SHARE = 0.5  # a domain label inside a part must be most of it ("laprensalatina" in "La Prensa Latina Media")
_DOMAIN_NOISE = {"www", "m", "amp", "edition", "news", "com", "org", "net", "co", "gov", "edu", "ac", "blogspot"}


# Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Myanmar, Khmer).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def _word_count(text: str) -> int:
    """Words, counting about two characters of a script without spaces as one word."""
    unspaced = len(_UNSPACED.findall(text))
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + (unspaced + 1) // 2


def _compact(text: str) -> str:
    return "".join(_WORD.findall(text)).lower()


def site_name_keys(site_names: Sequence[str | None], url: str | None) -> set[str]:
    """Comparable forms of the names a page goes by: declared site names and the labels of its host name."""
    keys = {_compact(name) for name in site_names if name}
    host = (urlparse(url).hostname or "") if url else ""
    labels = host.split(".")[:-1] if "." in host else []
    keys |= {label for label in labels if label not in _DOMAIN_NOISE and len(label) >= 3}
    return {k for k in keys if len(k) >= 3}


def _names_site(part: str, keys: set[str]) -> bool:
    if not 0 < _word_count(part) <= MAX_LABEL_WORDS:
        return False
    compact = _compact(part)
    for key in keys:
        if compact == key:
            return True
        # "Times of India" in "The Times of India"; "laprensalatina" in "La Prensa Latina Media".
        shorter, longer = sorted((compact, key), key=len)
        if len(shorter) >= 4 and shorter in longer and len(shorter) / len(longer) >= MIN_NAME_SHARE:
            return True
    return False


def _is_label(part: str) -> bool:
    """A short part that could be a section name ("Bhubaneswar News"): few words, not a sentence."""
    return 0 < _word_count(part) <= MAX_LABEL_WORDS and not re.search(r"[.!?,;]$", part.strip())


def strip_site_name(title: str, site_names: Sequence[str | None], url: str | None) -> tuple[str, str] | None:
    """(headline, what was cut) when the title carries the site's name before or after a separator,
    else None.

    The signal is a separated part of the title that names the site (its declared name or a label of its
    host name); a trailing run of short section labels between the headline and the site name goes with
    it ("... | Bhubaneswar News - Times of India"). A title whose parts do not name the site keeps every
    dash and bar, and the headline left must have at least two words.
    """
    keys = site_name_keys(site_names, url)
    if not keys:
        return None
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not separators:
        return None
    bounds = [0] + [s for m in separators for s in (m.start(), m.end())] + [len(title)]
    parts = [title[bounds[i]:bounds[i + 1]] for i in range(0, len(bounds), 2)]
    cut: int | None = None
    # Suffix: the last part names the site; earlier labels go with it up to the longest-running headline.
    if _names_site(parts[-1], keys):
        cut = len(parts) - 1
        while cut > 1 and _is_label(parts[cut - 1]) and not _names_site(parts[cut - 1], keys) \
                and _word_count(parts[cut - 1]) < _word_count(" ".join(parts[: cut - 1])) \
                and _separator_kinds_differ(separators, cut - 1):
            cut -= 1
        headline = title[: separators[cut - 1].start()].strip()
        removed = title[separators[cut - 1].start():]
    elif _names_site(parts[0], keys):
        headline = title[separators[0].end():].strip()
        removed = title[: separators[0].end()]
    else:
        return None
    if _word_count(headline) < 2:
        return None
    return headline, removed


def _separator_kinds_differ(separators: Sequence[re.Match[str]], index: int) -> bool:
    """A section label sits between two different separators ("Headline | Section - Site"): the headline's
    own separator differs from the one before the site name, so the label is not part of a dashed headline."""
    before = separators[index - 1].group().strip()
    after = separators[index].group().strip()
    return before != after
