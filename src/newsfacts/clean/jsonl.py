"""JSONL articles arrive as article text already: only repairs apply; the title comes from the hints."""

from __future__ import annotations

from newsfacts.clean.text_dump import assemble
from newsfacts.documents import CleanDocument, RawDocument
from newsfacts.meta.language import guess_language


def clean_jsonl(raw: RawDocument) -> CleanDocument:
    paragraphs = [p.strip() for p in raw.raw.replace("\r\n", "\n").split("\n\n") if p.strip()]
    title = (raw.hints.title or "").strip() or None
    title, text, body_start, repairs = assemble(title, paragraphs, guess_language(raw.raw))
    return CleanDocument(raw=raw, title=title, text=text, body_start=body_start, repairs=repairs)
