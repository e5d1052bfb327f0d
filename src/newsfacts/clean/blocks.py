"""Segmentation of a plain-text page dump into line blocks that keep their offsets in the raw text.

A text dump puts every block-level element of the page on its own line, and paragraph-like blocks are
followed by a blank line; so a line is the natural unit of page furniture, and whether a line stands
alone (blank lines around it) or sits in a run of lines (a menu, a list of links) is a useful signal.
"""

from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class Block:
    """One non-blank line of the dump: `raw[start:end] == text` (outer whitespace excluded)."""

    index: int
    start: int
    end: int
    text: str
    # How many non-blank lines the run this line belongs to has (1 = a line standing alone).
    run_length: int = 1
    # Index of the first block of that run.
    run_start: int = 0


def split_blocks(raw: str) -> tuple[Block, ...]:
    """Every non-blank line of `raw` as a Block, stripped of outer whitespace, in order."""
    spans: list[tuple[int, int, bool]] = []  # (start, end, blank)
    offset = 0
    for line in raw.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + len(line) - len(line.lstrip())
            spans.append((start, start + len(stripped), False))
        else:
            spans.append((offset, offset, True))
        offset += len(line) + 1

    # Run lengths: consecutive non-blank lines form one run.
    runs: list[int] = []
    run_ids: list[int] = []
    current = -1
    previous_blank = True
    for _, _, blank in spans:
        if blank:
            previous_blank = True
            run_ids.append(-1)
            continue
        if previous_blank:
            runs.append(0)
            current = len(runs) - 1
        runs[current] += 1
        run_ids.append(current)
        previous_blank = False

    blocks = []
    first_of_run: dict[int, int] = {}
    for (start, end, blank), run_id in zip(spans, run_ids):
        if blank:
            continue
        first_of_run.setdefault(run_id, len(blocks))
        blocks.append(Block(index=len(blocks), start=start, end=end, text=raw[start:end], run_length=runs[run_id],
                            run_start=first_of_run[run_id]))
    return tuple(blocks)
