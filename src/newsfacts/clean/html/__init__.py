"""HTML pages: trafilatura separates the article from the page (its own extractor, then its ordered
fallbacks, readability and jusText); its lines then get the care text dumps get.

    extract_article → caption elements of the page → line decisions (furniture patterns, captions, date
    stamps, title repeat, duplicates, section cut-offs) → source spans → removed blocks and captions with
    raw offsets → title without the site name → assembled text → repairs

The audit trail points into `raw`, the HTML source (see `source.py`):
- a removed line's `RemovedBlock.text` is exactly `raw[start:end]`: the line itself when the source holds
  it verbatim, else its source with the inline markup or character references it contains;
- a caption's `text` is the caption as displayed (what annotators read) and `raw[start:end]` is its
  source, equal to it whenever the source holds it verbatim;
- a line that cannot be found in the source (an extractor's rendering, such as a table row) is never
  removed: nothing leaves the text without a place in the source.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfacts.clean.html.captions import PageCaption, page_captions, parse_page
from newsfacts.clean.html.extract import Extraction, Line, extract_article
from newsfacts.clean.html.lines import LineDecision, decide_lines
from newsfacts.clean.html.source import SourceSpan, SourceText, key_of, visible_text
from newsfacts.clean.text_dump import NOTE_KINDS, assemble, cleaning_record
from newsfacts.clean.title import strip_site_name
from newsfacts.documents import CleanDocument, RawDocument
from newsfacts.meta.language import guess_language
from newsfacts.models import Caption, RemovedBlock, Repair

__all__ = ["clean_html"]


def locate_lines(source: SourceText, lines: Sequence[Line]) -> list[SourceSpan | None]:
    """Each line's span in the source, searched in reading order."""
    spans: list[SourceSpan | None] = []
    cursor = 0
    for line in lines:
        span = source.find(line.text, after=cursor)
        if span is not None and span.first >= cursor:
            cursor = span.last
        spans.append(span)
    return spans


def page_title(raw: RawDocument, extraction: Extraction) -> tuple[str | None, Repair | None, str | None]:
    """(title, the repair that cut a site name from it, the part cut). A caller's title is kept as given."""
    if raw.hints.title:
        return raw.hints.title, None, None
    title = extraction.title
    if not title:
        return None, None, None
    stripped = strip_site_name(title, (extraction.sitename, raw.hints.outlet), raw.hints.url or extraction.url)
    if stripped is None:
        return title, None, None
    headline, cut = stripped
    return headline, Repair(kind="other", before=title, after=headline), cut


def caption_records(raw: str, lines: Sequence[Line], decisions: Sequence[LineDecision],
                    spans: Sequence[SourceSpan | None], source: SourceText,
                    page: Sequence[PageCaption], region: tuple[int, int] | None
                    ) -> tuple[list[Caption], list[RemovedBlock]]:
    """Captions (one per distinct caption, with how often the page shows it) and the removed blocks of the
    caption lines that were in the extracted text."""
    occurrences: dict[str, list[tuple[str, SourceSpan, str | None]]] = {}
    removed: list[RemovedBlock] = []
    for line, decision, span in zip(lines, decisions, spans):
        if decision.role != "caption" or span is None:
            continue
        end = decision.caption_end if decision.caption_end is not None else len(line.text)
        displayed = line.text[:end].rstrip()
        caption_span = source.sub_span(span, line.text, 0, len(displayed))
        if caption_span is None:
            continue
        occurrences.setdefault(key_of(displayed).casefold(), []).append(
            (caption_text(raw, caption_span, displayed), caption_span, decision.credit))
        removed.append(RemovedBlock(kind="caption", text=raw[caption_span.start:caption_span.end],
                                    start=caption_span.start, end=caption_span.end, reason=decision.reason))
        credit_span = source.sub_span(span, line.text, end, len(line.text)) if decision.credit else None
        if credit_span is not None:
            removed.append(RemovedBlock(kind="credit", text=raw[credit_span.start:credit_span.end],
                                        start=credit_span.start, end=credit_span.end,
                                        reason="photo credit closing the caption"))
    # Caption elements the extractor left out of the text: still captions of the article when they sit
    # in its part of the page (between its title and its last line).
    for caption in page:
        after = source.index_at(_line_offset(raw, caption.sourceline))
        span = source.find(caption.text, after=after)
        if span is None or region is None or not region[0] <= span.start < region[1]:
            continue
        caption_span = source.sub_span(span, caption.text, 0, len(caption.caption))
        if caption_span is None:
            continue
        found = occurrences.setdefault(key_of(caption.caption).casefold(), [])
        if all(not _overlaps(caption_span, other) for _, other, _ in found):
            found.append((caption_text(raw, caption_span, caption.caption), caption_span, caption.credit))
    records = []
    for group in occurrences.values():
        text, span, _ = group[0]
        credit = next((c for _, _, c in group if c), None)
        records.append(Caption(text=text, start=span.start, end=span.end, credit=credit, repeats=len(group)))
    records.sort(key=lambda c: c.start)
    return records, removed


def caption_text(raw: str, span: SourceSpan, displayed: str) -> str:
    """The caption's source when it is plain text on one line (then `raw[start:end] == text`), else the
    caption as displayed (its source holds markup, character references or line breaks)."""
    source = raw[span.start:span.end]
    if "<" in source or "&" in source or "\n" in source or "\r" in source:
        return displayed
    return source


def _overlaps(a: SourceSpan, b: SourceSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _line_offset(raw: str, sourceline: int | None) -> int:
    if not sourceline or sourceline <= 1:
        return 0
    offset = -1
    for _ in range(sourceline - 1):
        offset = raw.find("\n", offset + 1)
        if offset < 0:
            return 0
    return offset + 1


def article_region(source: SourceText, title: str | None, decisions: Sequence[LineDecision],
                   spans: Sequence[SourceSpan | None]) -> tuple[int, int] | None:
    """The source span of the article: from its headline (the last occurrence of the title before the first
    body line) or its first body line, to the end of its last body line."""
    body = [s for d, s in zip(decisions, spans) if d.role == "body" and s is not None]
    if not body:
        return None
    start, end = min(s.start for s in body), max(s.end for s in body)
    if title:
        headline = None
        cursor = 0
        while True:
            span = source.find(title, after=cursor)
            if span is None or span.first < cursor or span.start >= start:
                break
            headline, cursor = span, span.last
        if headline is not None:
            start = headline.start
    return start, end


def clean_html(raw: RawDocument) -> CleanDocument:
    extraction = extract_article(raw.raw, raw.hints.url)
    lines = extraction.lines
    title, title_repair, title_cut = page_title(raw, extraction)
    tree = parse_page(raw.raw) if lines else None
    page = page_captions(tree)
    page_keys = {key_of(c.text) for c in page} | {key_of(c.caption) for c in page}
    title_keys = {key_of(t).casefold() for t in (title, extraction.title, raw.hints.title) if t}
    decisions = decide_lines(lines, title_keys, page_keys)

    source = SourceText(raw.raw) if any(d.role != "body" for d in decisions) or page else None
    spans: list[SourceSpan | None] = locate_lines(source, lines) if source else [None] * len(lines)
    # Nothing leaves the text without a place in the source to point to.
    decisions = [d if d.role == "body" or s is not None else LineDecision("body") for d, s in zip(decisions, spans)]

    region = article_region(source, title, decisions, spans) if source else None
    captions, removed = caption_records(raw.raw, lines, decisions, spans, source, page, region) if source else ([], [])
    for line, decision, span in zip(lines, decisions, spans):
        if decision.role == "removed" and span is not None:
            removed.append(RemovedBlock(kind=decision.kind or "other", text=raw.raw[span.start:span.end],
                                        start=span.start, end=span.end, reason=decision.reason))
    removed.sort(key=lambda r: (r.start, r.end))

    body_lines = [line.text for line, d in zip(lines, decisions) if d.role == "body"]
    language = guess_language("\n".join(body_lines))
    title, text, body_start, text_repairs = assemble(title, body_lines, language)
    repairs: list[Repair] = []
    if title_repair is not None and title is not None:
        # The repair's `after` is the title as it stands in the text.
        repairs.append(title_repair.model_copy(update={"after": title, "start": 0, "end": len(title)}))
    repairs += [Repair(kind="duplicate_block", before=line.text, after="")
                for line, d in zip(lines, decisions) if d.role == "removed" and d.kind == "duplicate"]

    notes = [str(v) for v in (extraction.author, extraction.sitename, extraction.date, extraction.url) if v]
    if title_cut:
        notes.append(title_cut)
    notes += [line.text for line, d in zip(lines, decisions)
              if d.role in {"removed", "caption"} and (d.kind in NOTE_KINDS)]
    return CleanDocument(raw=raw, title=title, text=text, body_start=body_start, removed=tuple(removed),
                         captions=tuple(captions), repairs=tuple(repairs) + text_repairs, notes=tuple(notes),
                         cleaning=cleaning_record("html", visible_text(raw.raw), text))
