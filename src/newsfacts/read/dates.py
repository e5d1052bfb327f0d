"""Dates given from outside a text (manifest entries, JSON Lines fields): ISO 8601 or refused."""

from __future__ import annotations

import datetime as dt
import re

# Downstream reads the first ten characters as the date, so the extended form is required.
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].+)?", re.ASCII)


def iso_date_problem(value: str) -> str | None:
    """None if `value` is an ISO date (YYYY-MM-DD) or date-time starting with one; otherwise the reason."""
    text = value.strip()
    try:
        if not _ISO.fullmatch(text):
            raise ValueError(text)
        dt.date.fromisoformat(text[:10])
        if len(text) > 10:
            dt.datetime.fromisoformat(text)
    except ValueError:
        return f"invalid date {value!r} (expected an ISO date such as 2024-10-25)"
    return None


def iso_date(value: object) -> str:
    """A YAML date or date-time, or an ISO string, as an ISO string; ValueError with the reason otherwise."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"invalid date {value!r} (expected an ISO date such as 2024-10-25)")
    problem = iso_date_problem(value)
    if problem:
        raise ValueError(problem)
    return value.strip()
