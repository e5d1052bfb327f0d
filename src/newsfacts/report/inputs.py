"""What became of the build's inputs, read from the release's `build-report.json`, for the report's Inputs section.

The Parquet holds only the articles that were made; the inputs that were excluded (unreadable, empty after
cleaning, duplicate, failed extraction, timed out, ...) or flagged are in the build report alone. A release
without one (built before it existed, or a folder put together by hand) or with one that cannot be read gets
`InputsUnknown`, never an error: the rest of the page does not depend on it.

Paths and reasons come from the input folder (file names, a record's own text in a reason): they are untrusted.
They are shown as text with every invisible or line-breaking character spelled out, and cut to a bounded length.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfacts.release.layout import REPORT_FILE

# How many excluded inputs, and how many flagged ones, the page lists by name (the first in the build report's
# order, by file and line); the rest are counted ("... and M more, see build-report.json"). A table read row
# by row: 100 rows are about three screens, enough to see what went wrong in a build that lost a few files and
# the pattern in one that lost many (an unreadable folder, a broken JSON Lines file); past that a reader
# searches build-report.json with a tool anyway. A row is a few hundred bytes of HTML in practice (bounded by
# MAX_TEXT_CHARS), so the two tables stay well below the charts' size (~0.6 MB) however large the build.
MAX_INPUTS_LISTED = 100
# A path or reason longer than this is cut (a reason may quote a record's text; a path is at most ~4 KB).
MAX_TEXT_CHARS = 1000

# The order outcomes are counted in on the page (build.py's outcomes); any other outcome follows, by name.
OUTCOMES = ("included", "flagged", "excluded", "auxiliary")

# Characters a reader would not see or that break a line: C0/C1 controls, format characters (bidirectional
# overrides that reorder a file name on screen, zero-width ones), lone surrogates, line/paragraph separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_MAYBE_INVISIBLE = re.compile(r"[^\x20-\x7e\xa0-\xac\xae-\u05ff]")  # fast path: characters worth a look


@dataclass(frozen=True)
class ListedInput:
    """One input named on the page: its file (release-relative path as the build saw it), its record's line
    (files of records), why it was excluded or the known errors it was flagged for, and its article."""

    file: str
    line: str | None
    reason: str
    article_id: str | None


@dataclass(frozen=True)
class Inputs:
    input_name: str | None  # the input folder's name, as the build report gives it
    counts: dict[str, int]  # outcome -> inputs, in OUTCOMES order then by name
    excluded: list[ListedInput]  # the first MAX_INPUTS_LISTED
    flagged: list[ListedInput]
    low_retention: int | None  # articles that kept little of their input's words (None: not in the report)
    low_retention_threshold: float | None

    @property
    def excluded_count(self) -> int:
        return self.counts.get("excluded", 0)

    @property
    def flagged_count(self) -> int:
        return self.counts.get("flagged", 0)


@dataclass(frozen=True)
class InputsUnknown:
    why: str  # one clause, e.g. "this release has no build-report.json"


def load_inputs(release: Path, limit: int = MAX_INPUTS_LISTED) -> Inputs | InputsUnknown:
    """The inputs of the build that made `release`, from its build report: every outcome counted, the first
    `limit` excluded and flagged inputs named. Deterministic: the same file gives the same value.

    The report is parsed whole (it is the build's own in-memory report, written once); only `limit` entries
    of each kind are kept from it."""
    path = Path(release) / REPORT_FILE
    if not path.is_file():  # absent, or not a regular file (a FIFO would block the read)
        return InputsUnknown(f"this release has no {REPORT_FILE}")
    try:
        report = json.loads(path.read_bytes())
    except OSError as exc:
        return InputsUnknown(f"its {REPORT_FILE} cannot be read ({exc.strerror or type(exc).__name__})")
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past what the parser takes
        return InputsUnknown(f"its {REPORT_FILE} is not valid JSON")
    files = report.get("files") if isinstance(report, dict) else None
    if not isinstance(files, list):
        return InputsUnknown(f"its {REPORT_FILE} has no list of input files")

    counts: Counter[str] = Counter()
    listed: dict[str, list[ListedInput]] = {"excluded": [], "flagged": []}
    for entry in files:
        if not isinstance(entry, dict):
            entry = {}  # counted as an unknown outcome: nothing in the list is dropped without a trace
        outcome = visible(_plain(entry.get("outcome")), 100) or "unknown"
        counts[outcome] += 1
        if outcome in listed and len(listed[outcome]) < limit:
            listed[outcome].append(ListedInput(file=visible(_plain(entry.get("file"))), line=_shown(entry.get("line")),
                                               reason=visible(_plain(entry.get("reason"))),
                                               article_id=_shown(entry.get("article_id"))))
    others = sorted(set(counts) - set(OUTCOMES))
    low = report.get("low_retention") if isinstance(report.get("low_retention"), dict) else {}
    threshold = low.get("threshold")
    return Inputs(
        input_name=visible(report["input"]) if isinstance(report.get("input"), str) else None,
        counts={outcome: counts[outcome] for outcome in [*OUTCOMES, *others] if counts[outcome]},
        excluded=listed["excluded"],
        flagged=listed["flagged"],
        low_retention=len(low["articles"]) if isinstance(low.get("articles"), list) else None,
        low_retention_threshold=float(threshold) if type(threshold) in (int, float) else None,
    )


def visible(text: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """`text` on one line with every invisible character spelled out as a Python escape (`\\x1b`, `\\u202e`,
    `\\udcff`: a lone surrogate cannot even be written as UTF-8), cut to `max_chars` characters."""
    if len(text) > max_chars:
        text = text[:max_chars] + f"… ({len(text) - max_chars:,} more characters)"
    if not _MAYBE_INVISIBLE.search(text):
        return text
    return "".join(_escaped(ch) if unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _shown(value: Any) -> str | None:
    return None if value is None else visible(_plain(value))


def _plain(value: Any) -> str:
    """A JSON value as text: a string as it is, anything else (a number, a list a hand-made report put there)
    as its canonical JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
