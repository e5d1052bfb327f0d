"""The article part of an HTML page, as trafilatura finds it (its own extractor first, then its ordered
fallbacks, readability and jusText), kept as lines that remember the element they came from."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from trafilatura.xml import xmltotxt


@dataclass(frozen=True)
class Line:
    """One non-blank line of the extracted text and the tag of the body element it came from
    (trafilatura's own vocabulary: p, head, list, quote, table, code, div...)."""

    index: int
    text: str
    element: str


@dataclass(frozen=True)
class Extraction:
    lines: tuple[Line, ...]
    title: str | None
    sitename: str | None
    description: str | None
    author: str | None
    date: str | None
    url: str | None


def extract_article(html: str, url: str | None) -> Extraction:
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                           include_tables=True, favor_precision=True)
    if document is None:
        return Extraction((), None, None, None, None, None, None)
    lines: list[Line] = []
    body = getattr(document, "body", None)
    if body is not None:
        # Rendering each top-level element on its own gives exactly trafilatura's text, line for line,
        # with the element each line came from.
        for element in body:
            for line in xmltotxt(element, False).split("\n"):
                if line.strip():
                    lines.append(Line(len(lines), line.strip(), str(element.tag)))
    else:
        for line in (document.text or "").split("\n"):
            if line.strip():
                lines.append(Line(len(lines), line.strip(), "p"))
    return Extraction(
        lines=tuple(lines),
        title=document.title or None,
        sitename=document.sitename or None,
        description=document.description or None,
        author=document.author or None,
        date=document.date or None,
        url=document.url or None,
    )
