"""The typed values that move between pipeline stages before they become an `Article`.

    file ──read──▶ RawDocument ──clean──▶ CleanDocument ──meta──▶ Metadata ─┐
                                                  └──────annotate─────────┴──▶ Article

These are internal (not part of the published schema), so they are frozen dataclasses rather than
pydantic models; the published pieces they carry (RemovedBlock, Caption, ...) are the schema's own models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from newsfacts.models import (
    Caption,
    Cleaning,
    Credit,
    DateInfo,
    Evidence,
    KnownError,
    Outlet,
    RemovedBlock,
    Repair,
    Translation,
)

InputFormat = Literal["txt", "html", "jsonl"]


@dataclass(frozen=True)
class Hints:
    """What is known about a document from outside its text (manifest entry, sidecar, JSONL fields)."""

    url: str | None = None
    url_method: Literal["manifest", "sidecar", "jsonl", "html", "text", "caller", "warc"] | None = None
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    retrieval: str | None = None


@dataclass(frozen=True)
class RawDocument:
    """One input document, decoded but otherwise untouched."""

    path: str  # relative to the input folder, '/'-separated
    sha256: str  # of the file's bytes (for JSONL: of the line's bytes)
    id: str  # stable article id derived from the input bytes
    format: InputFormat
    encoding: str
    raw: str  # decoded text (for .html: the HTML source); 'raw' offsets point here
    line: int | None = None
    file_sha256: str | None = None  # of the whole file, when the document is one line of it
    hints: Hints = field(default_factory=Hints)


@dataclass(frozen=True)
class CleanDocument:
    """The article separated from its page: `text` is title + blank line + body."""

    raw: RawDocument
    title: str | None
    text: str
    body_start: int
    removed: tuple[RemovedBlock, ...] = ()
    captions: tuple[Caption, ...] = ()
    repairs: tuple[Repair, ...] = ()
    # Furniture lines that metadata extraction may read (bylines, datelines, footers, site names).
    # They are also in `removed`; this is just the subset worth reading, in raw order.
    notes: tuple[str, ...] = ()
    # How the text was separated from the input (which rung of the cleaning ladder) and what share it kept.
    cleaning: Cleaning | None = None


@dataclass(frozen=True)
class Metadata:
    outlet: Outlet
    date: DateInfo
    language: str | None
    translation: Translation | None = None
    original_source: str | None = None
    credits: tuple[Credit, ...] = ()
    known_errors: tuple[KnownError, ...] = ()


def evidence_in_raw(doc: RawDocument, start: int, end: int) -> Evidence:
    return Evidence(where="raw", text=doc.raw[start:end], start=start, end=end)


def evidence_in_text(text: str, start: int, end: int) -> Evidence:
    return Evidence(where="text", text=text[start:end], start=start, end=end)
