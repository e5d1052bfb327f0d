"""Figures written next to each other: ranges ("25 to 40 miles", "between 10,000 and 12,000", "£2-3m"), amounts
in mixed units ("5 ft 2 in", "2 hours 18 minutes"), and digit numbers side by side that are counters or broken
tables. Decides when two candidates are one figure, two figures, or none.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from spacy.tokens import Doc

from newsfacts.annotate.figures.context import last_tokens_before
from newsfacts.annotate.figures.lexicon import FigureLexicon
from newsfacts.annotate.figures.read import Candidate
from newsfacts.annotate.figures.units import match_surface


def drop_juxtaposed(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Two digit numbers side by side with only a space between ("0 490,607", "245 23") are counters or
    broken tables, not figures: neither can be read with confidence."""
    drop: set[int] = set()
    for i in range(len(candidates) - 1):
        left, right = candidates[i], candidates[i + 1]
        if left.number.written == right.number.written == "digits" and left.kind == "number" and re.fullmatch(r"[ \u00a0]+", text[left.end : right.start]):
            drop.add(i)
            if right.start == right.number.start:
                drop.add(i + 1)  # "1 $10 bill": a currency symbol starts the right-hand amount, which stands
    return [c for i, c in enumerate(candidates) if i not in drop]


def _minor_ratio(major: Candidate, minor_unit: str | None, lex: FigureLexicon) -> float | None:
    """How many `minor_unit` make one of `major`'s unit, when the two are written together as one amount."""
    if major.kind == "money" and major.unit not in lex.money_minor_units and " per " not in (major.unit or ""):
        return lex.money_minor_units.get(minor_unit) if minor_unit else 100.0
    if major.kind == "measure":
        if minor_unit is None:
            return next((ratio for (big, _), ratio in lex.mixed_units.items() if big == major.unit), None)
        # follow the chain: hour -> minute -> second ("2 hours 18 minutes 15 seconds")
        unit, ratio = major.unit, 1.0
        while unit is not None:
            step = next(((small, r) for (big, small), r in lex.mixed_units.items() if big == unit), None)
            if step is None:
                return None
            unit, ratio = step[0], ratio * step[1]
            if unit == minor_unit:
                return ratio
    return None


_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)]|$)")


def join_mixed_units(text: str, candidates: list[Candidate], lex: FigureLexicon) -> list[Candidate]:
    """'5 ft 2 in', '6 feet and 2 inches', '3 dollars 50 cents', '15 dollars 50.' -> one amount in the
    larger unit. A bare number as the second part is read only at the end of a clause ("he is 6ft 2.")."""
    joined: list[Candidate] = []
    candidates = list(candidates)  # the joined amount replaces the minor part in place (see below)
    i = 0
    while i < len(candidates):
        major = candidates[i]
        minor = candidates[i + 1] if i + 1 < len(candidates) else None
        if minor is not None and major.value_max is None and minor.value_max is None and re.fullmatch(r"[ \u00a0]+(?:and[ \u00a0]+)?|,[ \u00a0]*", text[major.end : minor.start]):
            end = minor.end
            if minor.kind == "number" and minor.number.end == minor.end:
                # "12 ft 2 in more or less": the minor unit may be a symbol read as a word elsewhere ("in")
                ratio = _minor_ratio(major, None, lex)
                surface = None
                if ratio is not None and major.kind == "measure":
                    wanted = next(small for (big, small) in lex.mixed_units if big == major.unit)
                    at = minor.end + (1 if text[minor.end : minor.end + 1] == " " else 0)
                    surface = match_surface(text, at, [s for s in lex.after if s.unit.name == wanted])
                    if surface is not None:
                        end = at + len(surface.text)
                clause_end = _CLAUSE_END.match(text, end)
                fits = minor.value == int(minor.value) and 0 <= minor.value < (ratio or 0)
                if ratio is not None and fits and (surface is not None or clause_end):
                    joined.append(replace(major, end=end, value=major.value + minor.value / ratio))
                    i += 2
                    continue
            elif minor.kind in ("money", "measure"):
                ratio = _minor_ratio(major, minor.unit, lex)
                if ratio is not None and major.kind == minor.kind and 0 <= minor.value < ratio:
                    # the joined amount may take a further, smaller part: "2 hours 18 minutes 15 seconds"
                    candidates[i + 1] = replace(major, end=end, value=major.value + minor.value / ratio)
                    i += 1
                    continue
        joined.append(major)
        i += 1
    return joined


_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|and|or|through|until|\+/-|±|\+-)\s*$", re.IGNORECASE)


def _after_change_word(doc: Doc, start: int, lex: FigureLexicon) -> bool:
    """'rose 32,000 to 1.41 million', 'fell by 5p to 120p', 'up from 4% to 6%': a change and a new level,
    not a range. True when a change verb or adverb (optionally with by/from) stands right before `start`."""
    before = last_tokens_before(doc, start, 3)
    while before and before[-1].lower_ in ("by", "from", "some", "about", "around", "nearly", "almost", "roughly", "just", "over", "more", "than", "a", "further", "another"):
        before = before[:-1]
    if not before:
        return False
    word = before[-1]
    return word.pos_ in ("VERB", "ADV", "ADP", "NOUN", "AUX") and any(word.lemma_.lower() in lemmas for lemmas in lex.change.values())


def _scale_of(text: str, candidate: Candidate) -> float:
    """The scale word or letter a figure was written with: "30bn" -> 1e9, "3 million" -> 1e6, "40" -> 1."""
    digits = re.match(r"\d[\d,]*(?:\.\d+)?", text[candidate.number.start : candidate.number.end])
    if digits is None:
        return 1.0
    base = float(digits.group().replace(",", ""))
    ratio = abs(candidate.value) / base if base else 1.0
    return next((scale for scale in (1e3, 1e5, 1e6, 1e7, 1e9, 1e12) if math.isclose(ratio, scale, rel_tol=1e-9)), 1.0)


def merge_ranges(text: str, candidates: list[Candidate], doc: Doc, lex: FigureLexicon) -> list[Candidate]:
    """'25 to 40 miles', 'between 10,000 and 12,000', '3.5–4.0 TeV', '8- to 16-meter' -> one ranged figure.

    'X and Y unit' without 'between' is a list, not a range: X takes Y's unit ('45 and 50 mg')."""
    merged: list[Candidate] = []
    i = 0
    while i < len(candidates):
        left = candidates[i]
        right = candidates[i + 1] if i + 1 < len(candidates) else None
        if right is not None:
            gap = text[left.end : right.start]
            # "8- to 16-meter": the hyphen of a suspended compound
            gap_clean = re.sub(r"^-\s+(?=\w)", " ", gap)
            gap_word = gap_clean.strip().lower()
            if gap_word in ("+/-", "±", "+-") and left.kind == "number":
                # "9.83e-3 +/- 1e-5 km/s2": a value and its uncertainty share the unit; the uncertainty is
                # not a figure of its own.
                merged.append(replace(left, end=right.end, kind=right.kind, unit=right.unit, unit_dimension=right.unit_dimension))
                i += 2
                continue
            before = text[max(0, left.start - 10) : left.start].lower()
            between = bool(re.search(r"\bbetween\s+$", before))
            same_unit = left.kind in ("number",) or (left.kind == right.kind and left.unit == right.unit)
            joinable = _RANGE_JOIN.match(gap_clean) and same_unit and not left.vague and not right.vague
            if joinable and gap_word in ("and",) and not between:
                if left.kind == "number" and right.kind in ("measure", "money", "percent") and right.number.written == left.number.written:
                    merged.append(replace(left, kind=right.kind, unit=right.unit, unit_dimension=right.unit_dimension))
                else:
                    merged.append(left)
                i += 1
                continue
            if joinable and gap_word in ("or",):
                merged.append(replace(left, kind=right.kind, unit=right.unit) if left.kind == "number" and right.kind != "count" else left)
                i += 1
                continue
            if joinable and gap_word in ("-", "–", "—", "to", "through", "until", "and"):
                # "20-30bn", "£2-3m", "2 to 3 million": the low end takes the high end's scale
                scale = _scale_of(text, right)
                if scale > 1 and left.number.written == "digits" and _scale_of(text, left) == 1 and left.value < right.value / scale:
                    left = replace(left, value=left.value * scale)
                shared_unit = left.kind == "number" and right.kind != "number"  # "up 2 to 3%": one range, one unit
                # "from X to Y" stays a range (the convention of quantity benchmarks: "ranged from -18 °C to -34 °C")
                marked = between or bool(re.search(r"\bfrom\s+(?:about\s+|around\s+|some\s+)?$", text[max(0, left.start - 20) : left.start].lower()))
                if gap_word in ("to",) and not shared_unit and not marked and (_after_change_word(doc, left.start, lex) or left.value > right.value):
                    merged.append(left)  # "rose 32,000 to 1.41 million", "by two to one": two values, not a range
                    i += 1
                    continue
                if gap_word in ("-", "–") and re.search(r"\s", gap):
                    merged.append(left)
                    i += 1
                    continue
                if gap_word in ("-", "–") and left.kind == right.kind == "number" and left.value > right.value >= 0:
                    i += 2  # "passed 52-48", "won 110-102": a tally or a score, not a range
                    continue
                start = left.start
                if between:
                    start = left.start - len(re.search(r"between\s+$", before).group())
                elif re.search(r"\bfrom\s+$", before):
                    start = left.start - len(re.search(r"from\s+$", before).group())
                low, high = sorted((left.value, right.value))
                merged.append(
                    replace(right, start=start, value=low, value_max=high, hedge=left.hedge or right.hedge, number=left.number)
                )
                i += 2
                continue
        merged.append(left)
        i += 1
    return merged
