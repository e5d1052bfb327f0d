"""Dates stated on the page around the article: byline and date lines near the headline (among the
furniture the cleaner removed) and the top of the body (a dateline, a labelled line).

Each date found is a `PageDate` with its strength, used to reconcile it with the URL (`reconcile.py`):
`published` (a publication label before it: "Published", "Posted", "First published on"), `stamp` (an
unlabelled date line near the headline, a dateline) or `updated` (an update label before it: "Updated",
"Last modified"). On a line with both ("Published 19 Nov 2019 | Updated 20 Nov 2019") each date takes the
nearest label before it. A publication date beats a stamp, and a stamp beats an update.

Only furniture that can carry the article's own date is read: bylines, datelines, header lines, credits,
share bars and unclassified lines. Comments, related stories and teaser cards, consent banners, footers
and copyright lines, navigation, captions, adverts, subscription prompts, counters and reference lists
date other things and never give the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from newsfacts.documents import CleanDocument, evidence_in_raw, evidence_in_text
from newsfacts.meta.dates.patterns import (
    MONTHS,
    PARTIAL,
    YEAR,
    FoundDate,
    has_label,
    label_before,
    parse_dates,
    time_after,
)
from newsfacts.models import DateInfo, Evidence, RemovedBlock

# Header lines around the headline that may carry the date; past these the page is other content.
HEADER_WINDOW = 6
# How far above the body a lone date stamp may stand when nothing nearer the headline gave a date.
FAR_HEADER_BLOCKS = 40
# How many body paragraphs the header may reach past (standfirst, lead).
LEAD_PARAGRAPHS = 2
# Removed kinds that may carry the article's own date (see the module docstring).
DATED_KINDS = frozenset({"byline", "dateline", "header", "credit", "share", "other"})
# A line longer than this is a sentence, not a byline or date stamp.
BYLINE_LENGTH = 120
_DATELINE = re.compile(r"^[A-Z][\w .'’-]{1,40},\s*(?P<date>.{6,40}?)\s*[-–—:]\s", re.M)

Strength = Literal["published", "metadata", "stamp", "updated"]
STRENGTH_ORDER: dict[Strength, int] = {"published": 0, "metadata": 1, "stamp": 2, "updated": 3}


@dataclass(frozen=True)
class PageDate:
    info: DateInfo
    strength: Strength


def _info(found: FoundDate, text: str, method: str, evidence: Evidence, reason: str | None = None) -> DateInfo:
    clock, zone = time_after(text, found.end)
    return DateInfo(value=found.value.isoformat(), time=clock, timezone=zone, method=method, evidence=evidence,
                    reason=reason)


def classify(text: str, found: FoundDate) -> Strength:
    kind = label_before(text, found.start)
    return "stamp" if kind is None else kind


def best_in_line(text: str) -> tuple[FoundDate, Strength] | None:
    """The line's strongest date: the first publication-labelled one, else the first unlabelled one, else
    the first update."""
    ranked = sorted(((STRENGTH_ORDER[classify(text, d)], n, d) for n, d in enumerate(parse_dates(text))),
                    key=lambda r: (r[0], r[1]))
    if not ranked:
        return None
    _, _, found = ranked[0]
    return found, classify(text, found)


_UPDATE_ONLY = "only an update date is stated on the page; the first publication may be earlier"


def _page_date(block_text: str, block_start: int, clean: CleanDocument, found: FoundDate, strength: Strength,
               method: str = "byline") -> PageDate:
    evidence = evidence_in_raw(clean.raw, block_start + found.start, block_start + found.end)
    return PageDate(_info(found, block_text, method, evidence, _UPDATE_ONLY if strength == "updated" else None),
                    strength)


def _occurrences(haystack: str, needle: str | None) -> list[int]:
    if not needle:
        return []
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def unrepaired_head(clean: CleanDocument, body_start: int, size: int, title: bool = True) -> str | None:
    """The first characters of the title (or body) as they are in the raw dump: cut before any repair."""
    start, end = (0, len(clean.title)) if title and clean.title else (body_start, body_start + size)
    if title and not clean.title:
        return None
    line_end = clean.text.find("\n", start)
    end = min(end, line_end if line_end != -1 else len(clean.text))
    for repair in clean.repairs:
        if repair.start is not None and start <= repair.start < end:
            end = repair.start
    head = clean.text[start:end]
    return head if len(head) >= 12 else None


def locate_head(raw: str, title: str | None, body_head: str) -> tuple[int, int]:
    """Raw offsets of the headline and the body's first words: the closest pair with the headline first
    (both may also appear in teasers, menus or reference lists elsewhere on the page)."""
    titles, bodies = _occurrences(raw, title), _occurrences(raw, body_head)
    pairs = [(b - t, t, b) for t in titles for b in bodies if t < b]
    if pairs:
        _, t, b = min(pairs)
        return t, b
    return -1, (bodies[0] if bodies else -1)


def paragraph_position(raw: str, clean: CleanDocument, body_at: int, count: int) -> int:
    """Raw offset of the body paragraph number `count` (0-based), searched in order from the body start."""
    paragraphs = clean.text[clean.body_start :].split("\n\n")
    position = body_at
    for paragraph in paragraphs[1 : count + 1]:
        found = raw.find(paragraph[:40], position + 1)
        if found == -1:
            break
        position = found
    return position if position > body_at else body_at


def header_blocks(clean: CleanDocument) -> tuple[list[RemovedBlock], list[RemovedBlock]]:
    """The removed lines that may carry the article's date, nearest to the headline first, and all of
    them above the body in page order."""
    raw = clean.raw.raw
    title_at, body_at = locate_head(raw, unrepaired_head(clean, clean.body_start, 40),
                                    unrepaired_head(clean, clean.body_start, 40, title=False))
    # Standfirsts come before the date line on many pages: the header reaches into the first paragraphs.
    limit = paragraph_position(raw, clean, body_at, LEAD_PARAGRAPHS) if body_at > 0 else len(raw)
    header = [b for b in clean.removed if b.start < limit and b.kind in DATED_KINDS]
    all_header = [b for b in header if body_at < 0 or b.start < body_at]
    # Nearest first: lines just under the headline, a line or two above it, then the lines just above
    # the body (when the headline was not found where the date sits).
    nearest_body = header[-HEADER_WINDOW:][::-1]
    if title_at < 0:
        return nearest_body, all_header
    # The headline may also stand earlier on the page (above a photo gallery), with its date under it.
    title_head = unrepaired_head(clean, clean.body_start, 40)
    anchors = [title_at] + [t for t in reversed(_occurrences(raw, title_head)) if t < title_at]
    ordered: list[RemovedBlock] = []
    for anchor in anchors:
        after = [b for b in header if b.start > anchor][:HEADER_WINDOW]
        before = [b for b in header if b.start < anchor][-2:][::-1]
        ordered += [b for b in after + before if b not in ordered]
    return ordered + [b for b in nearest_body if b not in ordered], all_header


def from_header(clean: CleanDocument) -> PageDate | None:
    """A publication-labelled byline date, else the date line nearest to the headline, else a lone date
    stamp further above the body, else a labelled month and day completed by the URL's year, else an
    update date, among the header lines."""
    header, all_header = header_blocks(clean)
    labelled = [b for b in header if has_label(b.text)]
    for block in labelled:
        for found in parse_dates(block.text):
            if classify(block.text, found) == "published":
                return _page_date(block.text, block.start, clean, found, "published")
    for block in header:
        # A line that is mostly the date (a byline "Name - Nov 19, 2019, 10:31 pm CST"), not a sentence.
        best = best_in_line(block.text) if len(block.text) <= BYLINE_LENGTH else None
        if best and best[1] == "stamp":
            return _page_date(block.text, block.start, clean, *best)
    # Far from the headline (galleries, share bars, a headline not found): the nearest date stamp above
    # the body, a line that is nothing but a date.
    for block in all_header[::-1][:FAR_HEADER_BLOCKS]:
        best = best_in_line(block.text) if block.kind == "dateline" else None
        if best and best[1] != "updated":
            return _page_date(block.text, block.start, clean, *best)
    completed = year_from_url(clean, header)
    if completed is not None:
        return completed
    for block in labelled:
        best = best_in_line(block.text)
        if best:
            return _page_date(block.text, block.start, clean, *best)
    return None


_URL_YEAR_MONTH = re.compile(rf"/(?P<y>{YEAR})/(?P<mn>[01]\d)/")


def year_from_url(clean: CleanDocument, header: list[RemovedBlock]) -> PageDate | None:
    """A labelled byline date without a year ("Posted Nov 19, 6:51 AM") completed by the URL path
    (/2019/11/), only when the URL's month is the byline's month."""
    url_match = _URL_YEAR_MONTH.search(clean.raw.hints.url or "")
    if not url_match:
        return None
    for block in header:
        if len(block.text) > BYLINE_LENGTH or not has_label(block.text):
            continue
        # Prefer the publication label's date when the line carries both "Updated" and "Posted".
        partial = sorted(PARTIAL.finditer(block.text),
                         key=lambda m: label_before(block.text, m.start()) != "published")
        for match in partial:
            month = MONTHS[match.group("m").lower()[:3]]
            if month != int(url_match.group("mn")):
                continue
            try:
                value = date(int(url_match.group("y")), month, int(re.match(r"\d+", match.group("d")).group()))
            except ValueError:
                continue
            start, end = block.start + match.start("m"), block.start + match.end("d")
            clock, zone = time_after(block.text, match.end())
            strength: Strength = "updated" if label_before(block.text, match.start()) == "updated" else "published"
            return PageDate(DateInfo(
                value=value.isoformat(), time=clock, timezone=zone, method="byline",
                evidence=evidence_in_raw(clean.raw, start, end),
                reason=f"the byline gives month and day; the year is from the URL path {url_match.group()}"),
                strength)
    return None


def from_body_start(clean: CleanDocument) -> PageDate | None:
    """A labelled date line, or a dateline, at the top of the body."""
    body = clean.text[clean.body_start:]
    head = body[:400]
    for line_match in re.finditer(r"[^\n]+", head):
        line = line_match.group()
        if len(line) <= BYLINE_LENGTH and (has_label(line) or re.search(r"\bby\b", line, re.I)):
            best = best_in_line(line)
            if best:
                found, strength = best
                start = clean.body_start + line_match.start() + found.start
                evidence = evidence_in_text(clean.text, start, start + found.end - found.start)
                return PageDate(_info(found, line, "byline", evidence,
                                      _UPDATE_ONLY if strength == "updated" else None), strength)
    m = _DATELINE.match(head)
    if m:
        dates = parse_dates(m.group("date"))
        if dates and dates[0].start == 0:
            d = dates[0]
            start = clean.body_start + m.start("date") + d.start
            return PageDate(_info(d, m.group("date"), "dateline",
                                  evidence_in_text(clean.text, start, start + d.end - d.start)), "stamp")
    # A dateline on a line of its own, as wire copy prints it ("LONDON 1996-08-30"): the cleaner keeps it
    # in the text (its place belongs to the story) and its date is the filing date.
    from newsfacts.clean.shape import is_place_dateline  # the cleaner's own test, so both agree

    # A byline may stand above it ("Larry Fine").
    for line_match in list(re.finditer(r"[^\n]+", head))[:3]:
        if is_place_dateline(line_match.group()):
            found = parse_dates(line_match.group())[0]
            start = clean.body_start + line_match.start() + found.start
            return PageDate(_info(found, line_match.group(), "dateline",
                                  evidence_in_text(clean.text, start, start + found.end - found.start)), "stamp")
    return None
