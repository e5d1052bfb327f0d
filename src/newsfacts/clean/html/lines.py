"""What becomes of each line trafilatura extracted: body, caption, or furniture removed with a kind.

The same pattern rules as text dumps decide (data/furniture.yaml through `furniture_kind`, caption leads
and credits through `newsfacts.clean.captions`, date stamps), plus what only HTML knows: the page's own
caption elements, and the element a line came from. Tables and code are the page's content as laid out,
so no pattern touches them (a results row or a program's output has no letters, like a counter).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from newsfacts.clean.captions import MAX_CAPTION_CHARS, has_caption_lead
from newsfacts.clean.furniture import furniture_kind, section_start_kind
from newsfacts.clean.html.captions import split_caption_credit
from newsfacts.clean.html.extract import Line
from newsfacts.clean.html.source import key_of
from newsfacts.meta.dates import is_date_line

PROTECTED_ELEMENTS = frozenset({"table", "code"})
# Repeats shorter than this are left alone: short lines repeat in lists and tables for good reasons.
MIN_DUPLICATE_CHARS = 40
# A paragraph of prose ends a related-links box inside the article (sentence-final, of some length).
PROSE_MIN_CHARS = 120
_LIST_MARKER = re.compile(r"^(?:[-*•]|\d+[.)])\s+")

Role = Literal["body", "removed", "caption"]


@dataclass(frozen=True)
class LineDecision:
    role: Role
    kind: str | None = None
    reason: str | None = None
    caption_end: int | None = None  # for a caption line: where the caption ends and its credit begins
    credit: str | None = None


BODY = LineDecision("body")


def pattern_text(line: Line) -> str:
    """The line as the furniture rules should see it: a list item without its marker."""
    return _LIST_MARKER.sub("", line.text) if line.element == "list" else line.text


def caption_decision(line: Line, page_caption_keys: Collection[str]) -> LineDecision | None:
    if len(line.text) > MAX_CAPTION_CHARS:
        return None
    end, credit = split_caption_credit(line.text)
    if key_of(line.text) in page_caption_keys:
        return LineDecision("caption", "caption", "text of a caption element of the page", end, credit)
    if has_caption_lead(line.text) or credit:
        return LineDecision("caption", "caption", "photo caption (caption lead or credit)", end, credit)
    return None


def decide_line(line: Line, title_keys: Collection[str], page_caption_keys: Collection[str],
                seen: dict[str, int], before_body: bool) -> LineDecision:
    key = key_of(line.text).casefold()
    if before_body and key in title_keys:
        return LineDecision("removed", "duplicate", "repeats the title")
    if line.element in PROTECTED_ELEMENTS:
        return BODY
    caption = caption_decision(line, page_caption_keys)
    if caption:
        return caption
    if is_date_line(line.text):
        return LineDecision("removed", "dateline", "a date stamp, not article text")
    if line.element != "quote":  # a quotation is the page's content, whatever its shape
        furniture = furniture_kind(pattern_text(line))
        if furniture:
            return LineDecision("removed", *furniture)
    if len(line.text) >= MIN_DUPLICATE_CHARS and key in seen:
        return LineDecision("removed", "duplicate", f"repeats line {seen[key]}")
    return BODY


def is_prose(line: Line) -> bool:
    return line.element == "p" and len(line.text) >= PROSE_MIN_CHARS and line.text[-1:] in '.!?"”’)'


def cut_sections(lines: Sequence[Line], decisions: list[LineDecision]) -> list[LineDecision]:
    """After the article has begun, a heading that opens comments or references ends it; one that opens a
    related-links box removes the box, up to the next paragraph of prose."""
    decisions = list(decisions)
    started = False
    i = 0
    while i < len(lines):
        if decisions[i].role == "body" and not started:
            started = True
            i += 1
            continue
        kind = section_start_kind(pattern_text(lines[i])) if started and lines[i].element not in PROTECTED_ELEMENTS else None
        if not kind:
            i += 1
            continue
        j = i
        while j < len(lines) and (kind != "related" or j == i or not is_prose(lines[j])):
            if decisions[j].role == "body":
                decisions[j] = LineDecision("removed", kind, f"in section {lines[i].text!r}")
            elif j == i and decisions[j].role == "removed":
                decisions[j] = LineDecision("removed", decisions[j].kind or kind, decisions[j].reason)
            j += 1
        i = j
    return decisions


def decide_lines(lines: Sequence[Line], title_keys: Collection[str],
                 page_caption_keys: Collection[str]) -> list[LineDecision]:
    seen: dict[str, int] = {}
    decisions: list[LineDecision] = []
    for line in lines:
        before_body = not any(d.role == "body" for d in decisions)
        decision = decide_line(line, title_keys, page_caption_keys, seen, before_body)
        decisions.append(decision)
        if decision.role == "body" and line.element not in PROTECTED_ELEMENTS:
            seen.setdefault(key_of(line.text).casefold(), line.index)
    decisions = cut_sections(lines, decisions)
    if lines and not any(d.role == "body" for d in decisions):
        # Never empty a body the extractor found: what it kept is the article, less any title repeat.
        decisions = [d if d.reason == "repeats the title" else BODY for d in decisions]
        if not any(d.role == "body" for d in decisions):
            decisions = [BODY] * len(lines)
    return decisions
