"""A full date in the URL (`/2023/11/08/`, `-2020-10-26`, `/20201026/`, `_20201026.html`): evidence of the
day the address was made, which is the day of first publication on almost every news site. A year and a
month alone (`/2020/03/`) is not a date (it only completes a byline that gives month and day; see
`page.year_from_url`). The URL's characters are the same in every language."""

from __future__ import annotations

import re
from datetime import date

from newsfacts.meta.dates.patterns import YEAR
from newsfacts.models import DateInfo, Evidence

_SEPARATOR = r"[/_.=?&-]"
URL_DATE_PATTERNS = [
    # /2023/11/08/ and /2023/1/8/; the day must end its segment: "/2023/11/10-best-buys" is a month and a
    # slug that starts with a number.
    re.compile(rf"/(?P<y>{YEAR})/(?P<mn>[01]?\d)/(?P<d>[0-3]?\d)(?:[/?#]|$)"),
    # -2020-10-26-, /2020-10-26/, ?date=2020-10-26, _2020_10_26.
    re.compile(rf"{_SEPARATOR}(?P<y>{YEAR})(?P<sep>[-_])(?P<mn>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?:{_SEPARATOR}|$)"),
    # /20201026/, -20201026.html: eight digits standing alone between separators.
    re.compile(rf"{_SEPARATOR}(?P<y>{YEAR})(?P<mn>[01]\d)(?P<d>[0-3]\d)(?:{_SEPARATOR}|$)"),
]


def url_date(url: str | None) -> tuple[date, str] | None:
    """The first full date in the URL's path or query, with the matched characters."""
    if not url:
        return None
    # The host never carries the date; skipping it also keeps digits of a host name out.
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.I)
    for pattern in URL_DATE_PATTERNS:
        for m in pattern.finditer(path):
            try:
                return date(int(m.group("y")), int(m.group("mn")), int(m.group("d"))), m.group().strip("/_.=?&-")
            except ValueError:
                continue
    return None


def from_url(url: str | None) -> DateInfo | None:
    found = url_date(url)
    if found is None:
        return None
    value, matched = found
    return DateInfo(value=value.isoformat(), method="url", evidence=Evidence(where="url", text=url),
                    reason=f"the URL path gives the date ({matched}); nothing on the page states it")
