"""Finding dates, times and their labels in short strings: the language-independent numeric forms (ISO
dates and timestamps, slashed and dotted dates), English month names (`newsfacts.calendar_patterns`) and
the month names of other languages (`data/month_names.yaml`)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal

import yaml

from newsfacts.calendar_patterns import MONTH_NAMES

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = rf"(?:{MONTH_NAMES})\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19[89]\d|20\d\d)"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
# Where a year ends: a word boundary, or a clock time glued to it by the dump ("Nov 20 20194:29 AM").
_YEAR_END = r"(?:\b|(?=[0-2]?\d:[0-5]\d))"
DATE_PATTERNS = [
    re.compile(rf"(?:{_WEEKDAY})?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{YEAR}){_YEAR_END}", re.I),
    re.compile(rf"(?:{_WEEKDAY})?(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{YEAR}){_YEAR_END}", re.I),
    # ISO dates, also inside timestamps ("2019-11-19T12:48:14Z").
    re.compile(rf"\b(?P<y>{YEAR})-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(rf"\b(?P<y>{YEAR})/(?P<mn>[01]?\d)/(?P<d>[0-3]?\d)\b"),
    # Dotted numeric dates are day-first wherever they are written (08.11.2023 in German, Russian, Polish,
    # Nordic and Turkish pages): the separator, not the language, says so.
    re.compile(rf"\b(?P<dd>[0-3]?\d)\.(?P<mm>[01]?\d)\.(?P<y>{YEAR})\b"),
    # Slashed numeric dates are day-first or month-first: kept only when unambiguous (a part above 12).
    re.compile(rf"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>{YEAR})\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<yy>\d\d)\b"),
]


@functools.lru_cache(maxsize=1)
def foreign_months() -> dict[str, int]:
    """Month names of other languages (data/month_names.yaml) → month number."""
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("month_names.yaml").read_text("utf-8"))
    return {name: number for names in data.values() for number, name in enumerate(names, start=1)}


@functools.lru_cache(maxsize=1)
def foreign_date_pattern() -> re.Pattern[str]:
    """Day-first dates in words of other languages: "25. September 2018", "25 de septiembre de 2018",
    "1er mars 2024" (the order every one of these languages writes)."""
    names = "|".join(sorted((re.escape(n) for n in foreign_months()), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?P<d>[12]\d|3[01]|0?[1-9])(?:\.|er|º|°)?\s+(?:de\s+)?(?P<fm>{names})\s+(?:de\s+)?"
                      rf"(?P<y>{YEAR}){_YEAR_END}", re.I)


_TIME_BODY = (r"(?P<h>[01]?\d|2[0-3])[:.](?P<min>[0-5]\d)(?::(?P<s>[0-5]\d)(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
              r"(?:\s*(?P<tz>(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|[ECMP][SD]T|BST|CET|CEST|EET|EEST|"
              r"IST|JST|KST|SGT|HKT|AEST|AEDT|MSK|WIB|ICT|PHT|[+-]\d{2}:?\d{2}|Z)\b)?")
TIME = re.compile(r"\b" + _TIME_BODY, re.I)
# A time right after a date: separators (or the ISO "T"), an optional "at", then the clock (possibly glued
# to the year).
_TIME_AFTER_DATE = re.compile(r"(?:T|[\s,|@–-]*(?:at\s+)?)" + _TIME_BODY, re.I)
# A day and month without a year ("on October 25"): an event date, or a byline completed by the URL's year.
PARTIAL = re.compile(rf"\b(?:on\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b(?!,?\s+{YEAR})", re.I)
RELATIVE = re.compile(r"\b(?:on|last|this|since|from|by|until)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|"
                      r"sunday|yesterday|today)\b|\b(?:yesterday|today|tonight)\b", re.I)

Label = Literal["published", "updated"]


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int  # in the searched string
    end: int


@functools.lru_cache(maxsize=1)
def date_cues() -> dict[str, list[str]]:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("meta_date_cues.yaml").read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    cues = date_cues()
    labels = sorted(set(cues["published"]) | set(cues["updated"]), key=len, reverse=True)
    # Longest first, so "updated date" is one label and not "updated" followed by the publication "date".
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(label) for label in labels) + r")(?!\w)", re.I)


def label_kind(label: str) -> Label:
    return "updated" if label.lower() in {u.lower() for u in date_cues()["updated"]} else "published"


def label_before(text: str, position: int) -> Label | None:
    """The kind of the nearest date label before `position` in `text` ("Published 19 Nov | Updated 20 Nov":
    the second date is an update), or None when no label precedes it."""
    labels = list(_label_pattern().finditer(text, 0, position))
    return label_kind(labels[-1].group()) if labels else None


def has_label(text: str, kinds: tuple[Label, ...] = ("published", "updated")) -> bool:
    return any(label_kind(m.group()) in kinds for m in _label_pattern().finditer(text))


def parse_dates(text: str) -> list[FoundDate]:
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in [*DATE_PATTERNS, foreign_date_pattern()]:
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
                elif groups.get("dd"):
                    day, month = int(groups["dd"]), int(groups["mm"])
                elif groups.get("mn"):
                    day, month = int(groups["d"]), int(groups["mn"])
                elif groups.get("fm"):
                    day, month = int(groups["d"]), foreign_months()[groups["fm"].lower()]
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
    rest = TIME.sub(" ", rest)
    rest = re.sub(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\bat\b|\bon\b", " ", rest, flags=re.I)
    words = re.findall(r"[^\W\d_]+", rest)
    return len(words) <= 2


def time_after(text: str, position: int) -> tuple[str | None, str | None]:
    """A clock time stated right after a date ("Nov 19, 2019, 10:31 pm CST", "2019-11-19T12:48:14Z"), and
    its time zone."""
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
    zone = m.group("tz") or None
    return value, ("UTC" if zone == "Z" else zone)
