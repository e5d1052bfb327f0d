"""A publication stated by weekday ("Published Friday", "Posted on Tue") resolved against a full date that
the same page states, never against the clock.

The only anchor used is the page's own update date: a publication comes on or before its update, and a
weekday name is printed only within the week of the page's rendering, which is itself on or after the
update. So the publication is the named weekday on or before the update date, at most six days earlier.
"Today", "yesterday" and "N hours ago" are relative to the moment the page was rendered, which no page
states; they are not resolved.
"""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

from newsfacts.documents import CleanDocument, evidence_in_raw, evidence_in_text
from newsfacts.meta.dates.page import BYLINE_LENGTH, PageDate, header_blocks
from newsfacts.meta.dates.patterns import WEEKDAYS, date_cues, label_kind
from newsfacts.models import DateInfo, Evidence

_DAY_ABBREVIATIONS = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"


@functools.lru_cache(maxsize=1)
def _published_weekday() -> re.Pattern[str]:
    labels = sorted(date_cues()["published"], key=len, reverse=True)
    return re.compile(
        r"(?<!\w)(?P<label>" + "|".join(re.escape(label) for label in labels) + r")\s*:?\s*(?:on\s+)?"
        rf"(?P<weekday>(?:{'|'.join(WEEKDAYS)})|{_DAY_ABBREVIATIONS})(?!\w)(?!,?\s+\w+\s+\d)", re.I)


def _weekday_index(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(n for n, day in enumerate(WEEKDAYS) if day.startswith(name[:3]))


def _candidate_lines(clean: CleanDocument) -> list[tuple[str, int, str]]:
    """(line, offset, coordinate system): the header lines, then the lines opening the body."""
    header, _ = header_blocks(clean)
    lines = [(b.text, b.start, "raw") for b in header if len(b.text) <= BYLINE_LENGTH]
    body_head = clean.text[clean.body_start : clean.body_start + 400]
    lines += [(m.group(), clean.body_start + m.start(), "text") for m in re.finditer(r"[^\n]+", body_head)
              if len(m.group()) <= BYLINE_LENGTH]
    return lines


def from_relative(clean: CleanDocument, anchor: PageDate | None) -> DateInfo | None:
    """The publication weekday resolved against the page's update date (`anchor`, an update-strength date)."""
    if anchor is None or anchor.strength != "updated" or anchor.info.value is None:
        return None
    updated = date.fromisoformat(anchor.info.value)
    for line, offset, where in _candidate_lines(clean):
        for m in _published_weekday().finditer(line):
            if label_kind(m.group("label")) != "published":
                continue
            weekday = _weekday_index(m.group("weekday"))
            value = updated - timedelta(days=(updated.weekday() - weekday) % 7)
            start, end = offset + m.start("weekday"), offset + m.end("weekday")
            evidence: Evidence = (evidence_in_raw(clean.raw, start, end) if where == "raw"
                                  else evidence_in_text(clean.text, start, end))
            return DateInfo(
                value=value.isoformat(), method="inferred", evidence=evidence,
                reason=(f"the page says it was published on {WEEKDAYS[weekday].title()} ({m.group()!r}) and "
                        f"states an update on {updated.isoformat()} ({WEEKDAYS[updated.weekday()].title()}); a "
                        f"publication comes on or before its update and a weekday name is used within a week, "
                        f"so it is the {WEEKDAYS[weekday].title()} on or before the update"))
    return None
