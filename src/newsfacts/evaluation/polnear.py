"""PolNeAR's gold direct quotes and the kind of their Source (the gold half of evaluation/quotes.py, whose
docstring defines both): double-quoted stretches mostly inside an attribution's Content, with its Source span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

WORD = re.compile(r"\w+")
_PARAGRAPH = re.compile(r"[^\n]+")
_DOUBLE_MARK = re.compile(r"''|[\"“”]")
_NOT_NAME_WORDS = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "the", "a", "an", "his", "her", "their", "former",
    "secretary", "state", "democratic", "republican", "nominee", "candidate", "campaign", "spokesman",
    "spokeswoman", "gop", "vice", "presidential", "senator", "chairman", "he", "she", "it", "they", "we", "i",
}
_PRONOUNS = {
    "he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "us", "me", "who", "whom", "which", "that",
    "his", "hers", "its", "their", "theirs", "himself", "herself", "themselves", "one",
}
# Upper edges of the confidence bins of the reliability table (the last bin includes 1.0).


@dataclass
@dataclass
class GoldQuote:
    start: int
    end: int
    source: list[tuple[int, int]] = field(default_factory=list)  # empty: no Source annotated


def parse_brat(ann: str) -> tuple[dict[str, tuple[str, list[tuple[int, int]]]], list[dict[str, str]]]:
    """Text-bound annotations {id: (label, fragments)} and relations [{role: id}] of a brat .ann file."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            fragments = []
            for fragment in offsets.split(";"):
                numbers = fragment.split()
                if len(numbers) == 2 and all(n.isdigit() for n in numbers):
                    fragments.append((int(numbers[0]), int(numbers[1])))
            spans[parts[0]] = (label, fragments)
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(item.split(":", 1) for item in parts[1].split() if ":" in item)
            relations.append(roles)
    return spans, relations


def _mark_role(text: str, start: int, end: int) -> str:
    mark = text[start:end]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if mark == "“":
        # A “ glued to the words before it and followed by a space or the paragraph's end is a mistyped
        # closer ('... 51 percent.“'): read as an opener, it would drop the quote it closes from the gold.
        if not before.isspace() and before not in "([—-" and (after.isspace() or after in ".,;:!?)"):
            return "close"
        return "open"
    if mark == "”":
        return "close"
    if before.isspace() or before in "([—-":
        return "open"
    if after.isspace() or after in ".,;:!?)—-":
        return "close"
    return "either"


def double_quoted_stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) inside each pair of double marks, paragraph by paragraph."""
    stretches: list[tuple[int, int]] = []
    lines = list(_PARAGRAPH.finditer(text))
    for index, line in enumerate(lines):
        pending: int | None = None
        for mark in _DOUBLE_MARK.finditer(text, line.start(), line.end()):
            role = _mark_role(text, mark.start(), mark.end())
            if pending is None and role in ("open", "either"):
                pending = mark.end()
            elif pending is not None and role in ("close", "either"):
                stretches.append((pending, mark.start()))
                pending = None
            elif pending is not None and role == "open":
                pending = mark.end()
        if pending is not None and index + 1 < len(lines):
            following = text[lines[index + 1].start() : lines[index + 1].start() + 2]
            if following[:1] in "\"“" or following == "''":
                stretches.append((pending, line.end()))
    return [(s, e) for s, e in stretches if WORD.search(text[s:e])]


def tokens(text: str, start: int, end: int) -> set[int]:
    return {start + m.start() for m in WORD.finditer(text[start:end])}


def gold_quotes(text: str, ann: str) -> list[GoldQuote]:
    spans, relations = parse_brat(ann)
    contents = []
    for relation in relations:
        for role in ("Content", "Content2"):
            if role in relation and relation[role] in spans:
                source = spans[relation["Source"]][1] if relation.get("Source") in spans else []
                contents.append((spans[relation[role]][1], source))
    gold = []
    for start, end in double_quoted_stretches(text):
        words = tokens(text, start, end)
        best: tuple[int, list[tuple[int, int]]] | None = None
        for fragments, source in contents:
            covered = {w for w in words if any(s <= w < e for s, e in fragments)}
            if best is None or len(covered) > best[0]:
                best = (len(covered), source)
        if best is not None and best[0] * 2 >= len(words):
            gold.append(GoldQuote(start, end, list(best[1])))
    return gold


def load_dev(shared: Path, split: str = "dev") -> list[tuple[str, str, str]]:
    """(article name, text, annotation) for each article of the split, first annotation file in sorted order."""
    base = shared / "devdata" / "polnear"
    text_dir = base / "text" if split == "dev" else base / split / "text"
    ann_dir = base / "attributions" if split == "dev" else base / split / "attributions"
    articles = []
    for path in sorted(text_dir.glob("*.txt")):
        annotations = sorted(ann_dir.glob(f"{path.stem}_*.ann"))
        if annotations:
            articles.append((path.stem, path.read_text(encoding="utf-8"), annotations[0].read_text(encoding="utf-8")))
    return articles


def name_words(text: str) -> set[str]:
    words = re.findall(r"[A-Z][\w'’\-]*", text)
    return {w.lower().rstrip("'’s") for w in words if w.lower().strip(".") not in _NOT_NAME_WORDS}


def source_kind(text: str, gold: GoldQuote) -> str:
    """'pronoun', 'named' or 'title': how the gold Source refers to the speaker (module docstring)."""
    words = re.findall(r"[\w'’]+", " ".join(text[s:e] for s, e in gold.source).lower())
    if words and all(w in _PRONOUNS for w in words):
        return "pronoun"
    if name_words(" ".join(text[s:e] for s, e in gold.source)):
        return "named"
    return "title"
