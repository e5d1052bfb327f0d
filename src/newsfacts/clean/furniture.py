"""Pattern rules for page furniture, loaded from `data/furniture.yaml`.

The statistical body detector (body.py) decides most lines; these rules name the kind of what is removed
and catch furniture that reads like prose (cookie notices, comment forms) or is too short to judge.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class FurnitureRules:
    lines: tuple[tuple[str, re.Pattern[str]], ...]
    contains: tuple[tuple[str, re.Pattern[str]], ...]
    contains_max_chars: int
    section_starts: tuple[tuple[str, re.Pattern[str]], ...]
    credit_tail: tuple[re.Pattern[str], ...]
    caption_lead: tuple[re.Pattern[str], ...]
    agencies: tuple[str, ...]


def _compile(groups: dict[str, list[str]], flags: int = re.IGNORECASE) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern, flags)) for kind, patterns in groups.items() for pattern in patterns)


@functools.lru_cache(maxsize=1)
def furniture_rules() -> FurnitureRules:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("furniture.yaml").read_text("utf-8"))
    caption = data["caption"]
    return FurnitureRules(
        lines=_compile(data["lines"]),
        contains=_compile(data["contains"]),
        contains_max_chars=int(data["contains_max_chars"]),
        section_starts=_compile(data["section_starts"]),
        # Name credits (the last pattern) are recognised by their capitals ("Anthony WALLACE / AFP"), so no IGNORECASE there.
        credit_tail=tuple(
            re.compile(p, 0 if i == len(caption["credit_tail"]) - 1 else re.IGNORECASE)
            for i, p in enumerate(caption["credit_tail"])
        ),
        caption_lead=tuple(re.compile(p, re.IGNORECASE) for p in caption["lead"]),
        agencies=tuple(caption["agencies"]),
    )


def furniture_kind(line: str) -> tuple[str, str] | None:
    """(kind, reason) when the line is furniture by pattern, else None."""
    rules = furniture_rules()
    text = line.strip()
    for kind, pattern in rules.lines:
        if pattern.fullmatch(text):
            return kind, f"pattern {kind}: {pattern.pattern}"
    if len(text) <= rules.contains_max_chars:
        for kind, pattern in rules.contains:
            if pattern.search(text):
                return kind, f"contains {kind}: {pattern.pattern}"
    # A line without a single letter in any script (bullets, separators, stray digits) carries nothing.
    if not any(ch.isalpha() for ch in text):
        return "other", "no letters"
    return None


def section_start_kind(line: str) -> str | None:
    """The kind of page section a heading line opens (comments, references, related), if any."""
    text = line.strip()
    for kind, pattern in furniture_rules().section_starts:
        if pattern.fullmatch(text):
            return kind
    return None
