"""Cleaning of plain text (a page dump or article text): a composition of small steps over line blocks.

    split_blocks → shape (how much cleaning the text needs) → one rung of the ladder:
        whole          article text without furniture: every line kept, a headline line becomes the title
        patterns       article text with a few furniture lines: those lines removed, the rest kept
        density        a page dump: furniture patterns, captions, repeats → jusText-style good/bad → section
                       cut-offs → the densest stretch of prose; tables and datelines next to it join it
        densest_prose  when the density pass keeps no sentence or table row of a text that has some: the
                       densest stretch of sentences and table rows, less pattern furniture
        patterns       and when even that is empty: the whole text less pattern furniture
    → title → removed blocks (with kinds, raw offsets) → assembled text → repairs

An article never loses all its text to cleaning: each rung is tried only when the one before it leaves
no sentence or table row, and the rung used is recorded in `Cleaning` with the share of words kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsfacts.clean.blocks import Block, split_blocks
from newsfacts.clean.body import LENGTH_HIGH, LENGTH_LOW, classify_blocks, main_region
from newsfacts.clean.captions import CaptionLine, find_caption_lines, repeated_blocks
from newsfacts.clean.furniture import furniture_kind, section_start_kind
from newsfacts.clean.repairs import repair_text
from newsfacts.clean.shape import (
    is_content,
    is_headline_line,
    is_list_item,
    is_place_dateline,
    is_table_row,
    page_pattern_kind,
    read_shape,
    words,
)
from newsfacts.clean.title import find_title
from newsfacts.documents import CleanDocument, RawDocument
from newsfacts.meta.dates import is_date_line
from newsfacts.meta.language import guess_language
from newsfacts.models import Caption, Cleaning, RemovedBlock, Repair

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
    """The density pass over a page dump."""
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
        # A row of figures is never the headline: it belongs to the table under it.
        candidates = [b.index for b in blocks if b.index not in fixed and not is_table_row(b.text)]
        title = find_title(blocks, candidates, body[0], url) if body else None
        if title is not None:
            decisions[title] = Decision("title")
        # After the title is known: the lines joined to the article never reach above its headline.
        decisions = join_tables_and_datelines(blocks, decisions, fixed)
    return name_zones(decisions)


# How many lines above the article's first paragraph a dateline may stand (a headline, a byline between;
# lines that patterns remove are not counted).
DATELINE_REACH = 3


def join_tables_and_datelines(blocks: Sequence[Block], decisions: list[Decision], fixed: dict[int, Decision]
                              ) -> list[Decision]:
    """What the density pass scores as furniture but belongs to the article: sentences, table rows and list
    items inside it; a results table right under it; sentences and rows cut off from it only by pattern
    furniture (an advert between paragraphs); a dateline a few lines above it."""
    decisions = list(decisions)
    body = [i for i, d in enumerate(decisions) if d.role == "body"]
    if not body:
        return decisions
    first, last = body[0], body[-1]

    def scored_out(i: int) -> bool:
        # Removed by score alone, not by a pattern or a section cut-off.
        return i not in fixed and decisions[i].role == "removed" and decisions[i].kind is None

    # Inside the article, a sentence, a table row or a list item the scores dropped (figure-laden leads, score
    # lines, bullet points).
    for i in range(first, last):
        if scored_out(i) and (is_content(blocks[i].text) or is_list_item(blocks[i].text)):
            decisions[i] = Decision("body")
    # Under it, a table: rows following the last paragraph.
    i = last + 1
    while i < len(blocks) and scored_out(i) and is_table_row(blocks[i].text):
        decisions[i] = Decision("body")
        i += 1
    # Sentences and rows cut off from the article only by lines that patterns remove anyway (an advert, a share
    # bar between the standfirst and the story) belong to it.
    body = [i for i, d in enumerate(decisions) if d.role == "body"]
    for step, start in ((-1, body[0] - 1), (1, body[-1] + 1)):
        i = start
        while 0 <= i < len(blocks) and (i in fixed or scored_out(i) and is_content(blocks[i].text)):
            if i not in fixed:
                decisions[i] = Decision("body")
            i += step
    # So does a dateline a few lines above it (past furniture and the headline): the story starts there.
    i = next(i for i, d in enumerate(decisions) if d.role == "body") - 1
    passed = 0
    while i >= 0 and passed < DATELINE_REACH:
        if is_place_dateline(blocks[i].text):
            decisions[i] = Decision("body")
            break
        passed += i not in fixed  # pattern furniture between does not count
        i -= 1
    return decisions


def whole_decisions(blocks: Sequence[Block], removals: dict[int, Decision], keep: range | None = None
                    ) -> list[Decision]:
    """Article text: every line is body except `removals` (a dateline stays: it belongs to the story), and
    with `keep` only the lines in that range; a headline line on top becomes the title."""
    decisions: list[Decision] = []
    for block in blocks:
        if keep is not None and block.index not in keep:
            decisions.append(removals.get(block.index) or Decision("removed", None, "outside the densest stretch of prose"))
        elif block.index in removals and not is_place_dateline(block.text):
            decisions.append(removals[block.index])
        else:
            decisions.append(Decision("body"))
    body = [i for i, d in enumerate(decisions) if d.role == "body"]
    if len(body) >= 2 and is_headline_line(blocks[body[0]], blocks[body[1]]):
        decisions[body[0]] = Decision("title")
    return name_zones(decisions)


METADATA_KINDS = frozenset({"byline", "credit", "dateline"})


def metadata_decisions(blocks: Sequence[Block]) -> dict[int, Decision]:
    """Lines of article text that are about the article, not part of it: a date stamp, a byline, a wire
    credit. They are set apart (and read as metadata), never counted as furniture."""
    removals = {}
    for block in blocks:
        if is_place_dateline(block.text):
            continue
        if is_date_line(block.text):
            removals[block.index] = Decision("removed", "dateline", "a date stamp, not article text")
            continue
        furniture = furniture_kind(block.text)
        if furniture and furniture[0] in METADATA_KINDS:
            removals[block.index] = Decision("removed", *furniture)
    return removals


def page_sign_decisions(blocks: Sequence[Block]) -> dict[int, Decision]:
    """The few furniture lines of article text: whole lines a page-furniture pattern names."""
    removals = metadata_decisions(blocks)
    for block in blocks:
        kind = page_pattern_kind(block.text)
        if kind:
            removals[block.index] = Decision("removed", kind, f"a {kind} line in article text (furniture pattern)")
    return removals


def densest_content(blocks: Sequence[Block]) -> range | None:
    """The contiguous stretch of lines richest in sentences and table rows (Kadane over their lengths, other
    lines counting against). Lines that furniture patterns name count for nothing: they are removed anyway,
    and an advert between two paragraphs must not split the article."""
    values = []
    for block in blocks:
        if page_pattern_kind(block.text):
            values.append(0.0)
        elif is_content(block.text) or is_place_dateline(block.text):
            values.append(float(len(block.text)))
        else:
            values.append(-float(len(block.text)) / 2)
    region = main_region(values)
    return range(region[0], region[1] + 1) if region else None


def keeps_content(blocks: Sequence[Block], decisions: Sequence[Decision]) -> bool:
    return any(d.role == "body" and is_content(b.text) for b, d in zip(blocks, decisions))


def choose_decisions(blocks: Sequence[Block], captions: Sequence[CaptionLine], language: str | None,
                     url: str | None) -> tuple[str, list[Decision]]:
    """The first rung of the ladder that keeps the text's sentences and table rows: (method, decisions)."""
    shape = read_shape(blocks)
    if not shape.has_furniture:
        return "whole", whole_decisions(blocks, metadata_decisions(blocks))
    if not shape.is_page:
        return "patterns", whole_decisions(blocks, page_sign_decisions(blocks))
    has_content = any(is_content(b.text) for b in blocks)
    decisions = decide_blocks(blocks, captions, language, url)
    if keeps_content(blocks, decisions) or not has_content:
        return "density", decisions
    stretch = densest_content(blocks)
    if stretch is not None:
        decisions = whole_decisions(blocks, pattern_decisions(blocks, captions), keep=stretch)
        if keeps_content(blocks, decisions):
            return "densest_prose", decisions
    return "patterns", whole_decisions(blocks, pattern_decisions(blocks, captions))


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
    method, decisions = choose_decisions(blocks, captions, language, raw.hints.url)
    # Captions are furniture of a page; article text keeps its lines (a caption-like line stays text).
    captions = [c for c in captions if decisions[c.block.index].role == "removed"]

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
                         captions=tuple(caption_list), repairs=tuple(repairs) + text_repairs, notes=notes,
                         cleaning=cleaning_record(method, raw.raw, text))


def cleaning_record(method: str, visible_input: str, text: str) -> Cleaning:
    """The rung used and the share of the input's words the article text kept (repairs that split
    run-together words can add a word, so the share is capped at 1)."""
    input_words, kept_words = len(words(visible_input)), len(words(text))
    kept_words = min(kept_words, input_words)
    return Cleaning(method=method, input_words=input_words, kept_words=kept_words,
                    kept_share=round(kept_words / input_words, 4) if input_words else 1.0)


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
