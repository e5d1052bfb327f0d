"""HTML pages: trafilatura separates the article from the page (its own ordered fallbacks: its extractor,
then readability and jusText); the text is then repaired like any other."""

from __future__ import annotations

import trafilatura

from newsfacts.clean.text_dump import assemble
from newsfacts.documents import CleanDocument, RawDocument
from newsfacts.meta.language import guess_language


def clean_html(raw: RawDocument) -> CleanDocument:
    extracted = trafilatura.bare_extraction(raw.raw, url=raw.hints.url, with_metadata=True,
                                            include_comments=False, include_tables=True, favor_precision=True)
    body = (extracted.text if extracted is not None else "") or ""
    title = raw.hints.title or (extracted.title if extracted is not None else None)
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    # trafilatura keeps the <h1> in the text; the headline is the title, not the body's first paragraph.
    if title and paragraphs and " ".join(paragraphs[0].split()) == " ".join(title.split()):
        paragraphs = paragraphs[1:]
    title, text, body_start, repairs = assemble(title, paragraphs, guess_language(body))
    notes = tuple(
        str(value) for value in (
            getattr(extracted, "author", None), getattr(extracted, "sitename", None),
            getattr(extracted, "date", None), getattr(extracted, "url", None),
        ) if value
    ) if extracted is not None else ()
    return CleanDocument(raw=raw, title=title, text=text, body_start=body_start, repairs=repairs, notes=notes)
