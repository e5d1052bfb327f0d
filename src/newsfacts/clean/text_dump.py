"""Cleaning of a plain-text page dump: a composition of small steps over line blocks.

    split_blocks → furniture patterns, captions, repeats → jusText-style good/bad → section cut-offs
    → title → removed blocks (with kinds, raw offsets) → assembled text → repairs
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsfacts.clean.blocks import Block, split_blocks
from newsfacts.clean.body import LENGTH_HIGH, LENGTH_LOW, classify_blocks
from newsfacts.clean.captions import CaptionLine, find_caption_lines, repeated_blocks
from newsfacts.clean.furniture import furniture_kind, section_start_kind
from newsfacts.clean.repairs import repair_text
from newsfacts.clean.title import find_title
from newsfacts.documents import CleanDocument, RawDocument
from newsfacts.meta.dates import is_date_line
from newsfacts.meta.language import guess_language
from newsfacts.models import Caption, RemovedBlock, Repair

# Removed kinds worth reading for metadata (bylines, datelines, site names, wire credits).
NOTE_KINDS = frozenset({"byline", "dateline", "credit", "footer", "header", "other", "counter", "caption"})


Role = Literal["body", "title", "removed"]


@dataclass(frozen=True)
class Decision:
    """What became of one block: kept in the body, the title, or removed with a kind and reason."""

    role: Role
    kind: str | None = None
    reason: str | None = None


def pattern_decisions(blocks: Sequence[Block], captions: Sequence[CaptionLine]) -> dict[int, Decision]:
    """Blocks that are furniture whatever their neighbours: captions, date stamps, patterns, repeats."""
    caption_indexes = {c.block.index for c in captions}
    repeats = repeated_blocks(blocks)
    fixed: dict[int, Decision] = {}
    for block in blocks:
        furniture = furniture_kind(block.text)
        if block.index in caption_indexes:
            fixed[block.index] = Decision("removed", "caption", "photo caption (credit, caption lead or repeat)")
        elif is_date_line(block.text):
            fixed[block.index] = Decision("removed", "dateline", "a date stamp, not article text")
        elif furniture:
            fixed[block.index] = Decision("removed", *furniture)
        elif block.index in repeats:
            fixed[block.index] = Decision("removed", "duplicate", f"repeats block {repeats[block.index]}")
    return fixed


def cut_sections(blocks: Sequence[Block], decisions: list[Decision], first_good: int) -> list[Decision]:
    """Sections that are never the article end it: comment threads and reference lists run to the end of
    the page; a related-links box ends at the next long prose line (articles embed such boxes)."""
    decisions = list(decisions)
    i = first_good + 1
    while i < len(blocks):
        kind = section_start_kind(blocks[i].text)
        if not kind:
            i += 1
            continue
        j = i
        while j < len(blocks) and (kind != "related" or j == i or not is_prose(blocks[j])):
            # Lines with a furniture kind of their own keep it; the rest take the section's kind.
            own_kind = decisions[j].kind if decisions[j].role == "removed" else None
            decisions[j] = Decision("removed", own_kind or kind, f"in section {blocks[i].text!r}")
            j += 1
        i = j
    return decisions


def cut_teaser_cards(blocks: Sequence[Block], decisions: list[Decision], lead_end: int) -> list[Decision]:
    """Teaser cards of other articles: a run of lines holding a date stamp (author, date, excerpt), with
    the headline standing just above it. Only after `lead_end`: the article's own byline run may follow
    its standfirst."""
    decisions = list(decisions)
    for run_start in sorted({b.run_start for b in blocks if b.run_start > lead_end and b.run_length > 1}):
        run = [b for b in blocks if b.run_start == run_start]
        if not any(decisions[b.index].kind == "dateline" for b in run):
            continue
        above = blocks[run_start - 1] if run_start > 0 else None
        heading = [above] if above and above.run_length == 1 and len(above.text) < LENGTH_HIGH else []
        for b in heading + run:
            if decisions[b.index].role == "body" or decisions[b.index].kind is None:
                decisions[b.index] = Decision("removed", "related", "teaser card: a run of lines with a date stamp")
    return decisions


def name_zones(decisions: list[Decision]) -> list[Decision]:
    """Blocks removed by score alone are named by where they sit: above, inside or below the body."""
    body = [i for i, d in enumerate(decisions) if d.role == "body"]
    first, last = (body[0], body[-1]) if body else (len(decisions), len(decisions))
    return [
        Decision("removed", "header" if i < first else "footer" if i > last else "other", d.reason)
        if d.role == "removed" and d.kind is None else d
        for i, d in enumerate(decisions)
    ]


def decide_blocks(blocks: Sequence[Block], captions: Sequence[CaptionLine], language: str | None,
                  url: str | None) -> list[Decision]:
    fixed = pattern_decisions(blocks, captions)
    labels = classify_blocks(blocks, set(fixed), language or "en")
    decisions = [
        Decision("body") if label == "good" else fixed.get(i) or Decision("removed", None, "jusText-style score: bad")
        for i, label in enumerate(labels)
    ]
    good = [i for i, label in enumerate(labels) if label == "good"]
    if good:
        decisions = cut_sections(blocks, decisions, good[0])
        decisions = cut_teaser_cards(blocks, decisions, good[1] if len(good) > 1 else good[0])
        body = [i for i, d in enumerate(decisions) if d.role == "body"]
        candidates = [b.index for b in blocks if b.index not in fixed]
        title = find_title(blocks, candidates, body[0], url) if body else None
        if title is not None:
            decisions[title] = Decision("title")
    return name_zones(decisions)


def is_prose(block: Block) -> bool:
    """A long line standing alone: how article paragraphs look in a dump."""
    return len(block.text) >= LENGTH_HIGH and block.run_length == 1 and block.text[-1:] in '.!?"”’)'


def caption_records(captions: Sequence[CaptionLine]) -> tuple[list[Caption], list[RemovedBlock]]:
    """One Caption per distinct caption text (with its repeat count) and removed blocks per occurrence."""
    groups: dict[str, list[CaptionLine]] = {}
    for line in captions:
        groups.setdefault(" ".join(line.caption_text.lower().split()), []).append(line)
    records, removed = [], []
    for lines in groups.values():
        first = lines[0]
        credit = next((line.credit for line in lines if line.credit), None)
        text = first.caption_text
        records.append(Caption(text=text, start=first.block.start, end=first.block.start + len(text),
                               credit=credit, repeats=len(lines)))
    for line in captions:
        block = line.block
        text = line.caption_text
        removed.append(RemovedBlock(kind="caption", text=text, start=block.start, end=block.start + len(text),
                                    reason="photo caption"))
        if line.credit:
            credit_start = block.start + line.caption_end
            removed.append(RemovedBlock(kind="credit", text=block.text[line.caption_end:], start=credit_start,
                                        end=block.end, reason="photo credit glued to the caption"))
    return records, removed


def clean_text_dump(raw: RawDocument) -> CleanDocument:
    blocks = split_blocks(raw.raw)
    # Menus and link lists are short lines; the language is read from the prose-length ones.
    language = guess_language("\n".join(b.text for b in blocks if len(b.text) >= LENGTH_LOW)) or guess_language(raw.raw)
    captions = find_caption_lines(blocks)
    decisions = decide_blocks(blocks, captions, language, raw.hints.url)

    caption_list, removed = caption_records(captions)
    caption_indexes = {c.block.index for c in captions}
    for block, decision in zip(blocks, decisions):
        if decision.role == "removed" and block.index not in caption_indexes:
            removed.append(RemovedBlock(kind=decision.kind or "other", text=block.text, start=block.start,
                                        end=block.end, reason=decision.reason))
    removed.sort(key=lambda r: r.start)

    title_blocks = [b for b, d in zip(blocks, decisions) if d.role == "title"]
    body_blocks = [b for b, d in zip(blocks, decisions) if d.role == "body"]
    repairs: list[Repair] = [
        Repair(kind="duplicate_block", before=r.text, after="") for r in removed if r.kind == "duplicate"
    ]
    title, text, body_start, text_repairs = assemble(
        title_blocks[0].text if title_blocks else None, [b.text for b in body_blocks], language
    )
    notes = tuple(r.text for r in removed if r.kind in NOTE_KINDS)
    return CleanDocument(raw=raw, title=title, text=text, body_start=body_start, removed=tuple(removed),
                         captions=tuple(caption_list), repairs=tuple(repairs) + text_repairs, notes=notes)


def assemble(title: str | None, paragraphs: Sequence[str], language: str | None
             ) -> tuple[str | None, str, int, tuple[Repair, ...]]:
    """title + blank line + body, each repaired; repair offsets point into the assembled text."""
    body, body_repairs = repair_text("\n\n".join(paragraphs), language)
    if not title:
        return None, body, 0, body_repairs
    title, title_repairs = repair_text(title, language)
    body_start = len(title) + 2
    shifted = tuple(
        r.model_copy(update={"start": r.start + body_start, "end": r.end + body_start}) if r.start is not None else r
        for r in body_repairs
    )
    return title, f"{title}\n\n{body}", body_start, title_repairs + shifted
