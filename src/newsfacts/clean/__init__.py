"""Cleaning: separate the article (title and body) from page furniture, keep what is removed.

`clean_document` dispatches on the input format; each format's cleaner is a composition of small steps.
"""

from __future__ import annotations

from newsfacts.clean.html import clean_html
from newsfacts.clean.jsonl import clean_jsonl
from dataclasses import replace

from newsfacts.clean.text_dump import clean_text_dump, cleaning_record
from newsfacts.documents import CleanDocument, RawDocument

__all__ = ["clean_document"]


def clean_document(raw: RawDocument) -> CleanDocument:
    """The article separated from its input, with a record of how (`CleanDocument.cleaning`)."""
    if raw.format == "html":
        clean = clean_html(raw)
    elif raw.format == "jsonl":
        clean = clean_jsonl(raw)
    else:
        clean = clean_text_dump(raw)
    if clean.cleaning is None:
        # Formats whose input is the article text itself: the share is measured against that text.
        clean = replace(clean, cleaning=cleaning_record(raw.format, raw.raw, clean.text))
    return clean
