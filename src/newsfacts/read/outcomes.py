"""What reading an input entry gives besides documents: an exclusion with its reason, or an auxiliary file."""

from __future__ import annotations

from dataclasses import dataclass

from newsfacts.documents import RawDocument


@dataclass(frozen=True)
class Excluded:
    """An input (a file, or one record of it) that does not become an article, and why."""

    path: str
    reason: str
    line: int | None = None  # the line, row or record number within the file
    sha256: str | None = None


@dataclass(frozen=True)
class Auxiliary:
    """A file that is not an article but is read for what it says about the articles (or documentation), or
    the account of a file's records that are not articles (e.g. a WARC file's request records)."""

    path: str
    role: str


Outcome = RawDocument | Excluded | Auxiliary
