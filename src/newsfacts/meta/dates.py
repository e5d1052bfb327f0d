"""The publication date, with its method and evidence, in order of trust:

hints (manifest/JSONL) → HTML metadata (htmldate) → a labelled byline date ("Publish date: ...") →
an explicit date in the header lines around the headline → a dateline opening the body
("Moscow, October 21, 2024 –") → a date in the URL path. Relative references ("on Friday") are never
turned into a publication date: they date the events, and the page is published on or after them, so
when nothing else is found the value stays null with a reason that names them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

import yaml

from newsfacts.calendar_patterns import MONTH_NAMES
from newsfacts.documents import CleanDocument, evidence_in_raw, evidence_in_text
from newsfacts.models import DateInfo, Evidence

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = rf"(?:{MONTH_NAMES})\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[89]\d|20\d\d)"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
# Where a year ends: a word boundary, or a clock time glued to it by the dump ("Nov 20 20194:29 AM").
_YEAR_END = r"(?:\b|(?=[0-2]?\d:[0-5]\d))"
DATE_PATTERNS = [
    re.compile(rf"(?:{_WEEKDAY})?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR}){_YEAR_END}", re.I),
    re.compile(rf"(?:{_WEEKDAY})?(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR}){_YEAR_END}", re.I),
    # ISO dates, also inside timestamps ("2019-11-19T12:48:14Z").
    re.compile(rf"\b(?P<y>{_YEAR})-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(rf"\b(?P<y>{_YEAR})/(?P<mn>[01]?\d)/(?P<d>[0-3]?\d)\b"),
    # Day-first or month-first numeric dates: kept only when unambiguous (a part above 12).
    re.compile(rf"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>{_YEAR})\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<yy>\d\d)\b"),
]
_TIME_BODY = (r"(?P<h>[01]?\d|2[0-3])[:.](?P<min>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?"
              r"(?:\s*(?P<tz>(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|[ECMP][SD]T|BST|CET|CEST|EET|EEST|"
              r"IST|JST|KST|SGT|HKT|AEST|AEDT|MSK|WIB|ICT|PHT|[+-]\d{2}:?\d{2})\b)?")
_TIME = re.compile(r"\b" + _TIME_BODY, re.I)
# A time right after a date: separators, an optional "at", then the clock (possibly glued to the year).
_TIME_AFTER_DATE = re.compile(r"[\s,|@–-]*(?:at\s+)?" + _TIME_BODY, re.I)
_URL_DATE = [
    re.compile(rf"/(?P<y>{_YEAR})/(?P<mn>[01]\d)/(?P<d>[0-3]\d)(?:/|$)"),
    re.compile(rf"[/_-](?P<y>{_YEAR})-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?:[/_.-]|$)"),
    re.compile(rf"/(?P<y>{_YEAR})(?P<mn>[01]\d)(?P<d>[0-3]\d)(?:/|$)"),
]
_DATELINE = re.compile(rf"^[A-Z][\w .'’-]{{1,40}},\s*(?P<date>.{{6,40}}?)\s*[-–—:]\s", re.M)
_RELATIVE = re.compile(r"\b(?:on|last|this|since|from|by|until)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|"
                       r"sunday|yesterday|today)\b|\b(?:yesterday|today|tonight)\b", re.I)
_PARTIAL = re.compile(rf"\b(?:on\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b(?!,?\s+{_YEAR})", re.I)
# Header lines around the headline that may carry the date; past these the page is other content.
HEADER_WINDOW = 6
# How far above the body a lone date stamp may stand when nothing nearer the headline gave a date.
FAR_HEADER_BLOCKS = 40
# How many body paragraphs the header may reach past (standfirst, lead).
LEAD_PARAGRAPHS = 2


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int  # in the searched string
    end: int


@functools.lru_cache(maxsize=1)
def date_cues() -> dict[str, list[str]]:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("meta_date_cues.yaml").read_text("utf-8"))


def parse_dates(text: str) -> list[FoundDate]:
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            try:
                if groups.get("a"):
                    a, b = int(groups["a"]), int(groups["b"])
                    if a > 12:
                        day, month = a, b
                    elif b > 12 or a == b:
                        day, month = b, a
                    else:
                        continue  # 03/04/2024: day-first or month-first cannot be told apart
                elif groups.get("mn"):
                    day, month = int(groups["d"]), int(groups["mn"])
                else:
                    day, month = int(re.match(r"\d+", groups["d"]).group()), MONTHS[groups["m"].lower()[:3]]
                year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["yy"])
                value = date(year, month, day)
            except (ValueError, KeyError):
                continue
            found.append(FoundDate(value, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def is_date_line(text: str) -> bool:
    """A line that is only a date stamp ("20 Nov 2019 08:00 GMT", "Updated: Sat 8:31 PM, Feb 17, 2018")."""
    if len(text) > 80:
        return False
    dates = parse_dates(text)
    if not dates:
        return False
    rest = text
    for found in reversed(dates):
        rest = rest[: found.start] + " " + rest[found.end :]
    rest = _TIME.sub(" ", rest)
    rest = re.sub(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\bat\b|\bon\b", " ", rest, flags=re.I)
    words = re.findall(r"[^\W\d_]+", rest)
    return len(words) <= 2


def time_after(text: str, position: int) -> tuple[str | None, str | None]:
    """A clock time stated right after a date ("Nov 19, 2019, 10:31 pm CST"), and its time zone."""
    m = _TIME_AFTER_DATE.match(text, position)
    if not m:
        return None, None
    hour, minute = int(m.group("h")), int(m.group("min"))
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    value = f"{hour:02d}:{minute:02d}" + (f":{m.group('s')}" if m.group("s") else "")
    return value, (m.group("tz") or None)


def _labelled(line: str, labels: list[str]) -> bool:
    lowered = line.lower()
    return any(re.search(rf"\b{re.escape(label)}\b", lowered) for label in labels)


def _info(found: FoundDate, text: str, method: str, evidence: Evidence) -> DateInfo:
    clock, zone = time_after(text, found.end)
    return DateInfo(value=found.value.isoformat(), time=clock, timezone=zone, method=method, evidence=evidence)


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


def from_header(clean: CleanDocument) -> DateInfo | None:
    """A labelled byline date, else the date line nearest to the headline, among the header lines."""
    raw = clean.raw.raw
    title_at, body_at = locate_head(raw, unrepaired_head(clean, clean.body_start, 40),
                                    unrepaired_head(clean, clean.body_start, 40, title=False))
    # Standfirsts come before the date line on many pages: the header reaches into the first paragraphs.
    limit = paragraph_position(raw, clean, body_at, LEAD_PARAGRAPHS) if body_at > 0 else len(raw)
    header = [b for b in clean.removed if b.start < limit and b.kind not in ("related", "comments", "consent",
                                                                             "caption", "navigation")]
    all_header = [b for b in header if body_at < 0 or b.start < body_at]
    # Nearest first: lines just under the headline, a line or two above it, then the lines just above
    # the body (when the headline was not found where the date sits).
    nearest_body = header[-HEADER_WINDOW:][::-1]
    if title_at >= 0:
        # The headline may also stand earlier on the page (above a photo gallery), with its date under it.
        title_head = unrepaired_head(clean, clean.body_start, 40)
        anchors = [title_at] + [t for t in reversed(_occurrences(raw, title_head)) if t < title_at]
        ordered: list = []
        for anchor in anchors:
            after = [b for b in header if b.start > anchor][:HEADER_WINDOW]
            before = [b for b in header if b.start < anchor][-2:][::-1]
            ordered += [b for b in after + before if b not in ordered]
        header = ordered + [b for b in nearest_body if b not in ordered]
    else:
        header = nearest_body
    cues = date_cues()
    for labels, method in ((cues["published"], "byline"), (cues["updated"], "byline")):
        for block in header:
            if _labelled(block.text, labels):
                dates = parse_dates(block.text)
                if dates:
                    d = dates[0]
                    return _info(d, block.text, method,
                                 evidence_in_raw(clean.raw, block.start + d.start, block.start + d.end))
    for block in header:
        dates = parse_dates(block.text)
        # A line that is mostly the date (a byline "Name - Nov 19, 2019, 10:31 pm CST"), not a sentence.
        if dates and len(block.text) <= 120:
            d = dates[0]
            return _info(d, block.text, "byline", evidence_in_raw(clean.raw, block.start + d.start, block.start + d.end))
    # Far from the headline (galleries, share bars, a headline not found): the nearest date stamp above
    # the body, a line that is nothing but a date.
    for block in all_header[::-1][:FAR_HEADER_BLOCKS]:
        if block.kind == "dateline":
            dates = parse_dates(block.text)
            if dates:
                d = dates[0]
                return _info(d, block.text, "byline",
                             evidence_in_raw(clean.raw, block.start + d.start, block.start + d.end))
    return year_from_url(clean, header, cues["published"] + cues["updated"])


_URL_YEAR_MONTH = re.compile(rf"/(?P<y>{_YEAR})/(?P<mn>[01]\d)/")


def year_from_url(clean: CleanDocument, header: list, labels: list[str]) -> DateInfo | None:
    """A labelled byline date without a year ("Posted Nov 19, 6:51 AM") completed by the URL path
    (/2019/11/), only when the URL's month is the byline's month."""
    url_match = _URL_YEAR_MONTH.search(clean.raw.hints.url or "")
    if not url_match:
        return None
    for block in header:
        if len(block.text) > 120 or not _labelled(block.text, labels):
            continue
        cues = date_cues()
        published = [m for m in _PARTIAL.finditer(block.text)]
        # Prefer the publication label's date when the line carries both "Updated" and "Posted".
        for match in sorted(published, key=lambda m: not _labelled(block.text[max(0, m.start() - 12) : m.start()],
                                                                  cues["published"])):
            month = MONTHS[match.group("m").lower()[:3]]
            if month != int(url_match.group("mn")):
                continue
            try:
                value = date(int(url_match.group("y")), month, int(re.match(r"\d+", match.group("d")).group()))
            except ValueError:
                continue
            start, end = block.start + match.start("m"), block.start + match.end("d")
            clock, zone = time_after(block.text, match.end())
            return DateInfo(value=value.isoformat(), time=clock, timezone=zone, method="byline",
                            evidence=evidence_in_raw(clean.raw, start, end),
                            reason=f"the byline gives month and day; the year is from the URL path {url_match.group()}")
    return None


def from_body_start(clean: CleanDocument) -> DateInfo | None:
    """A dateline, or a labelled date line, at the top of the body."""
    body = clean.text[clean.body_start:]
    head = body[:400]
    cues = date_cues()
    for line_match in re.finditer(r"[^\n]+", head):
        line = line_match.group()
        if len(line) <= 120 and _labelled(line, cues["published"] + cues["updated"] + ["by"]):
            dates = parse_dates(line)
            if dates:
                d = dates[0]
                start = clean.body_start + line_match.start() + d.start
                return _info(d, line, "byline", evidence_in_text(clean.text, start, start + d.end - d.start))
    m = _DATELINE.match(head)
    if m:
        dates = parse_dates(m.group("date"))
        if dates and dates[0].start == 0:
            d = dates[0]
            start = clean.body_start + m.start("date") + d.start
            return _info(d, m.group("date"), "dateline", evidence_in_text(clean.text, start, start + d.end - d.start))
    return None


def from_url(url: str | None) -> DateInfo | None:
    if not url:
        return None
    for pattern in _URL_DATE:
        m = pattern.search(url)
        if m:
            try:
                value = date(int(m.group("y")), int(m.group("mn")), int(m.group("d")))
            except ValueError:
                continue
            return DateInfo(value=value.isoformat(), method="url", evidence=Evidence(where="url", text=url))
    return None


def from_hints(clean: CleanDocument) -> DateInfo | None:
    hints = clean.raw.hints
    if not hints.date:
        return None
    m = re.match(rf"({_YEAR})-([01]\d)-([0-3]\d)", hints.date)
    if not m:
        return None
    method = "jsonl" if clean.raw.format == "jsonl" else "manifest"
    return DateInfo(value=m.group(0), method=method, evidence=Evidence(where=method, text=hints.date))


def from_html(clean: CleanDocument) -> DateInfo | None:
    if clean.raw.format != "html":
        return None
    from htmldate import find_date

    found = find_date(clean.raw.raw, original_date=True, extensive_search=False, url=clean.raw.hints.url)
    if not found:
        return None
    return DateInfo(value=found, method="html", evidence=Evidence(where="html", text=found))


def null_reason(clean: CleanDocument) -> str:
    body = clean.text[clean.body_start:]
    relative = sorted({m.group().lower() for m in _RELATIVE.finditer(body)})
    partial = [m.group().strip() for m in _PARTIAL.finditer(body)]
    explicit = [body[d.start : d.end] for d in parse_dates(body)]
    caption_dates = [c.text[d.start : d.end] for c in clean.captions for d in parse_dates(c.text)]
    parts = ["no publication date is stated on the page"]
    if relative:
        parts.append(f"relative references ({', '.join(relative[:3])}) have no stated anchor")
    if partial:
        parts.append(f"dates without a year ({', '.join(partial[:2])}) cannot be placed")
    if explicit or caption_dates:
        parts.append(f"dates in the body or captions ({', '.join((explicit + caption_dates)[:2])}) are event dates; "
                     "the article appeared on or after them")
    return "; ".join(parts)


def find_date(clean: CleanDocument) -> DateInfo:
    for step in (lambda: from_hints(clean), lambda: from_html(clean), lambda: from_header(clean),
                 lambda: from_body_start(clean), lambda: from_url(clean.raw.hints.url)):
        info = step()
        if info is not None:
            return info
    return DateInfo(value=None, reason=null_reason(clean))
