"""The publication date, with its method, evidence and reasoning.

Order of trust:

1. hints (manifest, JSONL fields): what is known from outside the page;
2. what the page states: HTML metadata (htmldate), else a byline or date line near the headline, else a
   dateline or labelled line opening the body (`page.py`), each with a strength: `published` (labelled as
   the publication), `metadata` (HTML publication metadata), `stamp` (an unlabelled date line, a dateline) or
   `updated` (labelled as an update);
3. the URL's date (`url.py`), reconciled with the page's (`reconcile`);
4. a publication weekday resolved against the page's own update date, as `inferred` (`relative.py`);
5. otherwise null, with a reason naming the relative or partial dates that could not be placed: relative
   references ("on Friday") date the events and are never resolved against the clock.
"""

from __future__ import annotations

import re
from datetime import date

from newsfacts.documents import CleanDocument
from newsfacts.meta.dates.html import from_html
from newsfacts.meta.dates.page import PageDate, from_body_start, from_header
from newsfacts.meta.dates.patterns import PARTIAL, RELATIVE, YEAR, FoundDate, is_date_line, parse_dates, time_after
from newsfacts.meta.dates.relative import from_relative
from newsfacts.meta.dates.url import from_url, url_date
from newsfacts.models import DateInfo, Evidence

__all__ = ["FoundDate", "find_date", "from_url", "is_date_line", "parse_dates", "reconcile", "time_after"]

# A page date this close to the URL's is the same day seen from another time zone (the URL is often made
# in the newsroom's or the server's zone, the byline in the reader's): the page's own statement is kept.
TIME_ZONE_SLACK_DAYS = 1


def from_hints(clean: CleanDocument) -> DateInfo | None:
    hints = clean.raw.hints
    if not hints.date:
        return None
    m = re.match(rf"({YEAR})-([01]\d)-([0-3]\d)", hints.date)
    if not m:
        return None
    method = "jsonl" if clean.raw.format == "jsonl" else "manifest"
    return DateInfo(value=m.group(0), method=method, evidence=Evidence(where=method, text=hints.date))


def _with_reason(info: DateInfo, reason: str) -> DateInfo:
    joined = f"{info.reason}; {reason}" if info.reason else reason
    return info.model_copy(update={"reason": joined})


def reconcile(page: PageDate, url: DateInfo) -> DateInfo:
    """The page's date and the URL's, when both exist.

    - They agree: the page's date, its reason saying the URL gives the same day.
    - The page labels its date as the publication: the page wins; the URL may have been made when the story
      was drafted, or for an earlier version.
    - HTML publication metadata: it wins when more than a day apart, as a labelled date does; within a day
      the URL wins, because metadata timestamps are often in UTC ("2020-02-25T02:25:54Z" for an evening
      story in New York) while the URL carries the newsroom's calendar day.
    - An unlabelled date stamp within a day of the URL's: the page wins (the same day in another time zone).
      Further apart: the URL wins. The URL is fixed when a story is first published; a stamp found by its
      position may be an update or the date of another item on the page.
    - An update date: the URL wins (an update comes after the first publication).
    """
    assert page.info.value is not None and url.value is not None
    page_day, url_day = date.fromisoformat(page.info.value), date.fromisoformat(url.value)
    matched = url_date(url.evidence.text if url.evidence else None)
    url_part = matched[1] if matched else url.value
    if page_day == url_day:
        return _with_reason(page.info, f"the URL path ({url_part}) gives the same date")
    gap = abs((page_day - url_day).days)
    if page.strength == "metadata" and gap <= TIME_ZONE_SLACK_DAYS:
        return url.model_copy(update={"reason": (
            f"the URL path gives the date ({url_part}); the HTML metadata gives {page.info.value}, a day apart: "
            "a timestamp in another time zone (often UTC), while the URL carries the newsroom's calendar day")})
    if page.strength in ("published", "metadata") or (page.strength == "stamp" and gap <= TIME_ZONE_SLACK_DAYS):
        why = ("the page labels it as the publication date" if page.strength in ("published", "metadata")
               else f"{gap} day apart: the same day in another time zone")
        return _with_reason(page.info, f"the URL path gives {url.value} ({url_part}); the page's date is kept: {why}")
    what = "an update date" if page.strength == "updated" else "an unlabelled date stamp"
    return url.model_copy(update={"reason": (
        f"the URL path gives the date ({url_part}); the page states {what} ({page.info.value}) {gap} days apart, "
        "and the URL is fixed when the story is first published")})


def null_reason(clean: CleanDocument) -> str:
    body = clean.text[clean.body_start:]
    relative = sorted({m.group().lower() for m in RELATIVE.finditer(body)})
    partial = [m.group().strip() for m in PARTIAL.finditer(body)]
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
    hinted = from_hints(clean)
    if hinted is not None:
        return hinted
    page = from_html(clean) or from_header(clean) or from_body_start(clean)
    url = from_url(clean.raw.hints.url)
    if page is not None and url is not None:
        return reconcile(page, url)
    if url is not None:
        return url
    if page is not None and page.strength != "updated":
        return page.info
    inferred = from_relative(clean, page)
    if inferred is not None:
        return inferred
    if page is not None:
        return page.info
    return DateInfo(value=None, reason=null_reason(clean))
