"""Bylines, wire credits and photo credits from the page furniture and the article text."""

from __future__ import annotations

import re

from newsfacts.documents import CleanDocument, evidence_in_raw, evidence_in_text
from newsfacts.meta.outlet import registry
from newsfacts.models import Credit

_NAME = r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|bin|al|da|del))*"
_BYLINE = re.compile(rf"^(?:by|written by|words by)\s+(?P<name>{_NAME})", re.IGNORECASE)
# A line that is only a short name, like "Tan KW" under a headline; must repeat or sit by the date to count.
_BARE_NAME = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){1,3}")


def wire_pattern() -> re.Pattern[str]:
    wires = "|".join(re.escape(w) for w in registry().wires)
    # "- AFP" closing the copy, "(AFP) -" or "(Reuters) —" opening it, "AFP news agency", "according to AFP".
    return re.compile(rf"(?:^[\s\u00a0]*[-–—]\s*(?P<a>{wires})[\s\u00a0]*$|\((?P<b>{wires})\)\s*[-–—]|"
                      rf"\b(?P<c>{wires}) news agency\b)", re.MULTILINE)


def find_credits(clean: CleanDocument) -> tuple[list[Credit], str | None]:
    """Credits and the original source (wire) when the copy is republished."""
    raw = clean.raw
    credits: list[Credit] = []
    original: str | None = None
    pattern = wire_pattern()
    seen_wires: set[str] = set()
    for block in clean.removed:
        for match in pattern.finditer(block.text):
            name = match.group("a") or match.group("b") or match.group("c")
            if name not in seen_wires:
                start = block.start + match.start()
                credits.append(Credit(role="wire", name=name,
                                      evidence=evidence_in_raw(raw, start, block.start + match.end())))
                seen_wires.add(name)
        # Credits split off captions are photo credits; a wire credit line ("- AFP") is handled above.
        if block.kind == "credit" and not pattern.search(block.text):
            credits.append(Credit(role="photo", name=block.text.strip(" |()"),
                                  evidence=evidence_in_raw(raw, block.start, block.end)))
        byline = _BYLINE.match(block.text)
        if byline and block.kind in ("byline", "header", "other"):
            start = block.start + byline.start("name")
            credits.append(Credit(role="author", name=byline.group("name"),
                                  evidence=evidence_in_raw(raw, start, block.start + byline.end("name"))))
    body = clean.text[clean.body_start:]
    for match in pattern.finditer(body):
        name = match.group("a") or match.group("b") or match.group("c")
        if name not in seen_wires and (match.group("a") or match.group("b")):
            start = clean.body_start + match.start()
            credits.append(Credit(role="wire", name=name,
                                  evidence=evidence_in_text(clean.text, start, clean.body_start + match.end())))
            seen_wires.add(name)
    # A bare name repeated in the header (author box + byline), e.g. "Tan KW" twice around the date.
    header = [b for b in clean.removed if b.kind == "header" and _BARE_NAME.fullmatch(b.text)]
    names = [b.text for b in header]
    for block in header:
        if names.count(block.text) >= 2 and not any(c.role == "author" and c.name == block.text for c in credits):
            credits.append(Credit(role="author", name=block.text, evidence=evidence_in_raw(raw, block.start, block.end)))
    wires = [c.name for c in credits if c.role == "wire"]
    if wires:
        original = wires[0]
    return credits, original
