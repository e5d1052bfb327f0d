"""Repairs of the article text that invent nothing: encoding (ftfy), Unicode normalisation, whitespace,
and words run together where a dictionary check is confident. Every change is a `Repair` whose offsets
point into the repaired text, so nothing is silently rewritten.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import ftfy
import yaml
from wordfreq import zipf_frequency

from newsfacts.models import Repair

_TOKEN = re.compile(r"[A-Za-z]+")
# Exotic spaces a browser renders as an ordinary space.
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class Edit:
    start: int  # in the text before the edit
    end: int
    after: str
    kind: str


def apply_edits(text: str, edits: list[Edit], repairs: list[Repair]) -> tuple[str, list[Repair]]:
    """Apply non-overlapping edits; move the offsets of earlier repairs; add one repair per edit."""
    if not edits:
        return text, repairs
    edits = sorted(edits, key=lambda e: e.start)
    pieces, new_repairs, cursor, shift = [], [], 0, 0
    boundaries = []  # (old position, cumulative shift after it)
    for edit in edits:
        pieces.append(text[cursor : edit.start])
        new_start = edit.start + shift
        pieces.append(edit.after)
        new_repairs.append(
            Repair(kind=edit.kind, before=text[edit.start : edit.end], after=edit.after,
                   start=new_start, end=new_start + len(edit.after))
        )
        shift += len(edit.after) - (edit.end - edit.start)
        boundaries.append((edit.end, shift))
        cursor = edit.end
    pieces.append(text[cursor:])

    def moved(position: int) -> int:
        delta = 0
        for old_end, cumulative in boundaries:
            if old_end <= position:
                delta = cumulative
        return position + delta

    shifted = [
        r.model_copy(update={"start": moved(r.start), "end": moved(r.end)}) if r.start is not None else r
        for r in repairs
    ]
    return "".join(pieces), shifted + new_repairs


def diff_edits(before: str, after: str, kind: str) -> list[Edit]:
    """The minimal edits turning `before` into `after`, for changes made by a whole-text tool."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        Edit(i1, i2, after[j1:j2], kind)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def encoding_edits(text: str) -> list[Edit]:
    """ftfy's fixes (mojibake, broken HTML entities...) then NFC; recorded as mojibake / unicode."""
    fixed = ftfy.fix_text(text, normalization=None, unescape_html=False, fix_character_width=False,
                          uncurl_quotes=False, fix_latin_ligatures=False)
    edits = diff_edits(text, fixed, "mojibake") if fixed != text else []
    if edits:
        return edits
    normalised = unicodedata.normalize("NFC", text)
    return diff_edits(text, normalised, "unicode") if normalised != text else []


def whitespace_edits(text: str) -> list[Edit]:
    edits = [Edit(m.start(), m.end(), " ", "whitespace") for m in _ODD_SPACE.finditer(text)]
    edits += [Edit(m.start(), m.end(), "", "unicode") for m in _ZERO_WIDTH.finditer(text)]
    return edits


@functools.lru_cache(maxsize=1)
def _split_settings() -> dict:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("clean_word_split.yaml").read_text("utf-8"))


def best_split(token: str, quoted: bool = False) -> tuple[str, str] | None:
    """The split of an unknown token into two words, when a dictionary check is confident (see
    data/clean_word_split.yaml for the rules and why). Inside quotation marks (`quoted`) a speaker's words
    are changed only on the strongest evidence, the case seam of "withUkraine": "groundrules" may be what
    was said."""
    settings = _split_settings()
    if quoted and settings["inside_quotes"] == "case_seam_only" and not any(c.isupper() for c in token[1:]):
        return None
    if not settings["min_token_chars"] <= len(token) <= settings["max_token_chars"] or token.isupper():
        return None
    if zipf_frequency(token.lower(), "en") > 0:
        return None
    function_words = set(settings["function_words"])
    camel = any(c.isupper() for c in token[1:])
    if token[0].isupper():
        return None  # a capitalised unknown word is a name or a brand

    def known(part: str, minimum: float) -> bool:
        return len(part) >= settings["min_part_chars"] and zipf_frequency(part.lower(), "en") >= minimum

    best, best_score = None, 0.0
    for i in range(1, len(token)):
        left, right = token[:i], token[i:]
        left_function, right_function = left in function_words, right.lower() in function_words
        if camel:
            # Only the case seam, after a function word: "withUkraine".
            ok = (left_function and right[0].isupper() and not any(c.isupper() for c in right[1:])
                  and zipf_frequency(right.lower(), "en") >= settings["min_zipf_beside_function_word"])
        elif left_function != right_function:
            content = right if left_function else left
            ok = known(content, settings["min_zipf_beside_function_word"])
        else:
            ok = not left_function and all(known(p, settings["min_zipf_two_words"]) for p in (left, right))
        if ok:
            score = min(zipf_frequency(left.lower(), "en"), zipf_frequency(right.lower(), "en"))
            if score > best_score:
                best, best_score = (left, right), score
    return best


# A token that is part of a web address or a dotted name ("gamesindustry.biz", "www.bbcnews", "x@mail").
_DOTTED_AFTER = re.compile(r"[.@][A-Za-z0-9]")
_DOTTED_BEFORE = re.compile(r"(?:[A-Za-z0-9][.@]|/)$")


def _in_dotted_name(text: str, start: int, end: int) -> bool:
    """Inside a domain, an address or a path the parts are glued on purpose: never split there."""
    return _DOTTED_AFTER.match(text, end) is not None or _DOTTED_BEFORE.search(text[max(0, start - 2) : start]) is not None


_DOUBLE_MARK = re.compile(r"[\"“”]")


def _quoted_mask(text: str):
    """offset -> is it inside double quotation marks? Marks are paired line by line (a paragraph never
    closes another's quote); a mark left open runs to the end of its line. A straight mark after a space
    and before a word opens (a reopening mark inside an open quote keeps it open: paragraphs run together),
    any other closes."""
    inside: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        opened = None
        for mark in _DOUBLE_MARK.finditer(line.group()):
            position = line.start() + mark.start()
            before = text[position - 1] if position > line.start() else " "
            after = text[position + 1] if position + 1 < line.end() else " "
            opens = mark.group() == "“" or (mark.group() == '"' and (before.isspace() or before in "([{—–-/")
                                              and not after.isspace())
            if opens:
                opened = position if opened is None else opened
            elif opened is not None:
                inside.append((opened, position))
                opened = None
        if opened is not None:
            inside.append((opened, line.end()))
    starts = [s for s, _ in inside]

    def test(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < inside[i][1]

    return test


def word_split_edits(text: str, language: str | None) -> list[Edit]:
    if language not in (None, "en"):
        return []
    edits = []
    quoted = _quoted_mask(text)
    for match in _TOKEN.finditer(text):
        if _in_dotted_name(text, match.start(), match.end()):
            continue
        split = best_split(match.group(), quoted=quoted(match.start()))
        if split:
            edits.append(Edit(match.start(), match.end(), f"{split[0]} {split[1]}", "word_split"))
    return edits


def repair_text(text: str, language: str | None = "en") -> tuple[str, tuple[Repair, ...]]:
    """The repaired text and the list of repairs, offsets into the repaired text."""
    repairs: list[Repair] = []
    for step in (encoding_edits, whitespace_edits):
        text, repairs = apply_edits(text, step(text), repairs)
    text, repairs = apply_edits(text, word_split_edits(text, language), repairs)
    return text, tuple(sorted(repairs, key=lambda r: (r.start if r.start is not None else -1)))
