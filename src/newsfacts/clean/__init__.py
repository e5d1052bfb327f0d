"""Cleaning: separate the article (title and body) from page furniture, keep what is removed.

`clean_document` dispatches on the input format; each format's cleaner is a composition of small steps.
"""

from __future__ import annotations

from newsfacts.clean.html import clean_html
from newsfacts.clean.jsonl import clean_jsonl
from newsfacts.clean.text_dump import clean_text_dump
from newsfacts.documents import CleanDocument, RawDocument

__all__ = ["clean_document"]


def clean_document(raw: RawDocument) -> CleanDocument:
    if raw.format == "html":
        return clean_html(raw)
    if raw.format == "jsonl":
        return clean_jsonl(raw)
    return clean_text_dump(raw)
