"""Photo captions in text dumps: recognised by a photo credit closing the line, a caption lead
("(FILES)", "Photo:"), or by repetition (pages repeat a caption for the image, its zoom and its gallery).

Captions are not body text but carry facts (who is pictured, where, when), so they are kept apart with
the credit split off, even when the credit is glued to the last word ("...by December.Anthony WALLACE / AFP").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsfacts.clean.blocks import Block
from newsfacts.clean.furniture import furniture_rules

# Where a credit may begin: after the caption's closing punctuation, glued or spaced.
_SENTENCE_END = re.compile(r"[.!?)\"”’]\s*")
MAX_CAPTION_CHARS = 600


@dataclass(frozen=True)
class CaptionLine:
    block: Block
    caption_end: int  # offset in block.text where the caption ends and any credit begins
    credit: str | None

    @property
    def caption_text(self) -> str:
        return self.block.text[: self.caption_end].rstrip()


def split_credit(line: str) -> tuple[int, str | None]:
    """(end of the caption text, credit) for a line; the credit is None when none closes the line."""
    rules = furniture_rules()
    # Bracketed or labelled credits: "(Source: Japan Times) |", "Photo: Reuters".
    for pattern in rules.credit_tail[:2]:
        for match in pattern.finditer(line):
            if match.end() == len(line) and match.start() > 0:
                return match.start(), _clean_credit(match.group())
    # "Name Surname/Getty Images", "Alex Wong | Getty Images": a known agency closes the line.
    agency = agency_credit()
    for boundary in _SENTENCE_END.finditer(line):
        start = boundary.end()
        if start < len(line) and agency.fullmatch(line[start:]):
            return start, line[start:].strip()
    # "NAME SURNAME / AGENCY" after the caption's last sentence, possibly glued to it.
    name_credit = rules.credit_tail[2]
    for boundary in _SENTENCE_END.finditer(line):
        start = boundary.end()
        if start >= len(line):
            break
        tail = line[start:]
        if name_credit.fullmatch(tail) and _names_agency(tail, rules.agencies):
            return start, tail.strip()
    return len(line), None


@functools.lru_cache(maxsize=1)
def agency_credit() -> re.Pattern[str]:
    agencies = "|".join(re.escape(a) for a in sorted(furniture_rules().agencies, key=len, reverse=True))
    return re.compile(rf"(?:[A-Z][\w.'’-]*\s+){{0,3}}[A-Z][\w.'’-]*\s*[/|]\s*(?:{agencies})(?:\s*[/|,]\s*[\w .'-]{{2,30}})*\s*")


def _clean_credit(credit: str) -> str:
    credit = credit.strip().strip("|").strip()
    inner = re.fullmatch(r"\((.*)\)", credit)
    return (inner.group(1) if inner else credit).strip()


def _names_agency(credit: str, agencies: Sequence[str]) -> bool:
    parts = [p.strip(" ,") for p in re.split(r"[/,]", credit)]
    lowered = {p.lower() for p in parts}
    return any(agency.lower() in lowered for agency in agencies) or len(parts) >= 3


def has_caption_lead(line: str) -> bool:
    return any(pattern.match(line) for pattern in furniture_rules().caption_lead)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def find_caption_lines(blocks: Sequence[Block]) -> list[CaptionLine]:
    """Lines that are captions: credit-closed, caption-led, or repeats of such a line's caption text."""
    found: dict[int, CaptionLine] = {}
    for block in blocks:
        if len(block.text) > MAX_CAPTION_CHARS:
            continue
        end, credit = split_credit(block.text)
        if credit and not block.text[:end].strip():
            end, credit = len(block.text), None  # nothing before the "credit": not a caption with a credit
        if credit or has_caption_lead(block.text):
            found[block.index] = CaptionLine(block, end, credit)
    caption_keys = {_key(c.caption_text) for c in found.values()}
    for block in blocks:
        if block.index in found or len(block.text) < 20:
            continue
        if _key(block.text) in caption_keys:
            found[block.index] = CaptionLine(block, len(block.text), None)
    return [found[i] for i in sorted(found)]


def repeated_blocks(blocks: Sequence[Block], min_chars: int = 40) -> dict[int, int]:
    """index -> index of the first identical block, for every later repeat of a long-enough line."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for block in blocks:
        if len(block.text) < min_chars:
            continue
        key = _key(block.text)
        if key in first:
            repeats[block.index] = first[key]
        else:
            first[key] = block.index
    return repeats
