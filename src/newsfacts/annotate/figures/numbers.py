"""Numbers as written in text: digits, words, fractions, scales and vague quantities, with offsets.

`find_numbers(text)` returns every number mention with its character span and value; deciding which of
them are figures (and not dates, identifiers or page furniture) is the job of `exclusions.py`.

Why not a library: `word2number`, `number-parser` and `text2num` turn a string into a value but give no
character offsets, stop at fractions ("two thirds") and vague quantities ("tens of thousands"), and
`price-parser` reads one price per string. Offsets are the contract of this project (text[start:end] ==
span.text), so the scanner is written here and every word list it uses is data
(`data/figure_numbers.yaml`).
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal, NamedTuple

import yaml

Written = Literal["digits", "words", "mixed"]


@dataclass(frozen=True)
class NumberMention:
    """One number in a text: `text[start:end]` is what was read, `value` what it means."""

    start: int
    end: int
    value: float
    written: Written
    vague: bool = False
    # The bare digits carried no separator, decimal or scale (a candidate year such as "2022").
    plain_integer: bool = False
    # A fraction or multiplier noun ended the number ("two thirds", "a dozen").
    fraction: bool = False


@dataclass(frozen=True)
class NumberLexicon:
    units: dict[str, float]
    tens: dict[str, float]
    hundred: dict[str, float]
    scales: dict[str, float]
    scale_abbreviations: dict[str, float]
    money_scale_letters: dict[str, float]
    multipliers: dict[str, float]
    fractions: dict[str, float]
    vulgar_fractions: dict[str, float]
    vague: dict[str, float]
    vague_before_of: dict[str, float]
    # Fractions read without an article before a scale ("half a million", "quarter million").
    leading_fractions: dict[str, float]
    # Fraction words that are also ordinals ("third", "fifth"): after "a" and before a noun, an ordinal.
    ordinal_fractions: frozenset[str]
    # Words after which "half" is a noun, not a number ("the first half of", "the other half").
    fraction_determiners: frozenset[str]


@functools.lru_cache(maxsize=1)
def number_lexicon() -> NumberLexicon:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("figure_numbers.yaml").read_text("utf-8"))
    tables = {key: {str(k): float(v) for k, v in data[key].items()} for key in NumberLexicon.__annotations__ if key not in ("fraction_determiners", "ordinal_fractions")}
    return NumberLexicon(**tables, fraction_determiners=frozenset(data["fraction_determiners"]), ordinal_fractions=frozenset(data["ordinal_fractions"]))


# ---- digits ---------------------------------------------------------------------------------------------

_MINUS = r"\-−–"
_SIGN = f"[{_MINUS}+]"
_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
# Integer part: comma-grouped (Western or Indian), space-grouped (groups of exactly three, not followed by more digits or a
# comma, so "245 23" and "0 490,607" are not one number) or plain digits.
# Indian grouping ("12,34,567": lakh and crore, in groups of two before the last three) is tried first.
_INTEGER = (
    rf"(?:[1-9]\d?(?:,\d{{2}})+,\d{{3}}(?![\d]|,\d)"
    rf"|[1-9]\d{{0,2}}(?:,\d{{3}})+(?![\d])"
    rf"|[1-9]\d{{0,2}}(?:{_GROUP_SPACE}\d{{3}})+(?![\d,]|\.\d)"
    rf"|\d+)"
)
_DIGITS_RE = re.compile(
    rf"""
    (?<![\w.,^/+])(?<![A-Za-z][{_MINUS}])       # not inside a word, an identifier or another number
    (?:(?P<sign>{_SIGN})(?=[\d.]))?
    (?P<int>{_INTEGER})?
    (?P<dec>\.\d+)?
    (?P<exp>[eE][{_MINUS}+]?\d+(?![\w])
      |\s?[×x]\s?(?P<base>\d+)(?:\^(?P<pow>[{_MINUS}+]?\d+)|(?P<pow10>[{_MINUS}]\d+))
    )?
    (?!/\d)                                    # "1/0" is not a number
    """,
    re.VERBOSE,
)
# A leading sign is only a sign where no word or number stands right before it ("-5", "($-99.99)").
_SIGN_OK_BEFORE = re.compile(r"(?:^|[\s(\[$€£¥₩:;=~])$")
_FRACTION_RE = re.compile(r"(?<![\w/.,])(?:(?P<whole>\d+)[ \u00a0])?(?P<num>\d+)/(?P<den>\d+)(?![\w/]|\.\d)")


def _to_float(raw: str) -> float:
    return float(raw.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "").replace("−", "-").replace("–", "-"))


def _digit_mentions(text: str) -> list[NumberMention]:
    lex = number_lexicon()
    found: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for m in _FRACTION_RE.finditer(text):
        den = int(m["den"])
        if den == 0:
            continue  # "1/0" is not a number
        # Dates written with slashes (12/10) are not fractions: a fraction's numerator is below its denominator
        # unless a whole part precedes it.
        if not m["whole"] and (int(m["num"]) >= den or m["num"].startswith("0") or m["den"].startswith("0")):
            taken.append((m.start(), m.end()))  # "12/10", "06/05": a date, a code or a title, not a fraction
            continue
        value = int(m["num"]) / den + (int(m["whole"]) if m["whole"] else 0)
        found.append(NumberMention(m.start(), m.end(), value, "digits", fraction=True))
        taken.append((m.start(), m.end()))
    for m in _DIGITS_RE.finditer(text):
        if not (m["int"] or m["dec"]) or m.end() == m.start():
            continue
        start, end = m.start(), m.end()
        at = bisect.bisect_right(taken, start, key=lambda span: span[0]) - 1  # `taken` is in text order
        if at >= 0 and start < taken[at][1]:
            continue
        sign = m["sign"] or ""
        if sign and not _SIGN_OK_BEFORE.search(text[max(0, start - 3) : start]):
            start += 1
            sign = ""
        if sign == "+":
            sign = ""
        number = (m["int"] or "0") + (m["dec"] or "")
        value = _to_float(number)
        if m["exp"]:
            if m["base"]:
                power = m["pow"] or m["pow10"]
                value *= float(m["base"]) ** _to_float(power)
            else:
                value = _to_float(number + m["exp"].replace("−", "-"))
        if sign:
            value = -value
        plain = bool(m["int"]) and m["int"].isdigit() and not m["dec"] and not m["exp"]
        # A vulgar fraction glued to the digits: "2½".
        if end < len(text) and text[end] in lex.vulgar_fractions:
            value = value + math.copysign(lex.vulgar_fractions[text[end]], value or 1)
            end += 1
            plain = False
        found.append(NumberMention(start, end, value, "digits", plain_integer=plain))
    for i, char in enumerate(text):
        if char in lex.vulgar_fractions and not (i and text[i - 1].isdigit()):
            found.append(NumberMention(i, i + 1, lex.vulgar_fractions[char], "digits", fraction=True))
    return found


# ---- words ----------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[A-Za-z]+|&|,")


class _Word(NamedTuple):  # a tuple: made for every word of every article, ten times cheaper than a dataclass
    text: str  # lower case
    start: int
    end: int


def _words(text: str) -> list[_Word]:
    return [_Word(m.group().lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def _gap(text: str, left: _Word, right: _Word) -> str:
    return text[left.end : right.start]


def _is_number_word(word: str) -> bool:
    lex = number_lexicon()
    return word in lex.units or word in lex.tens or word in lex.hundred or word in lex.scales


def _parse_word_number(text: str, words: list[_Word], i: int) -> tuple[int, float, bool] | None:
    """Read a spelled-out number starting at words[i]: (index after it, value, ends in a fraction)."""
    lex = number_lexicon()
    total = 0.0
    current = 0.0
    seen = False  # a cardinal was read
    last = None  # kind of the last word read: unit / ten / hundred / scale / multiplier / fraction
    j = i
    fraction = False
    previous_scale = 0.0  # the value of the last scale word read ("lakh" in "two lakh crore")

    def follows(k: int) -> str | None:
        return words[k].text if k < len(words) else None

    while j < len(words):
        w = words[j]
        gap = _gap(text, words[j - 1], w) if j > i else ""
        if j > i and gap not in (" ", "-", "\u00a0") and not (gap == "" and w.text == ","):
            break
        word = w.text
        if word in ("a", "an") and not seen:
            nxt = follows(j + 1)
            if nxt and (nxt in lex.hundred or nxt in lex.scales or nxt in lex.multipliers or nxt in lex.fractions) and _gap(text, w, words[j + 1]) == " ":
                current = 1.0
                last = "article"
                j += 1
                continue
            break
        if word in ("and", "&") and seen and last in ("hundred", "scale", "unit", "ten"):
            # "a hundred and two", "two and a half"
            nxt = follows(j + 1)
            if nxt is None or _gap(text, w, words[j + 1]) != " ":
                break
            if last in ("hundred", "scale") and (nxt in lex.units or nxt in lex.tens):
                j += 1
                continue
            if nxt in ("a", "one") and follows(j + 2) in ("half", "quarter", "third") and _gap(text, words[j + 1], words[j + 2]) in (" ", "-"):
                value = current + 1.0 / lex.fractions[follows(j + 2)]
                scaled = _scale_after_fraction(text, words, j + 3)
                if scaled is not None and last in ("unit", "ten"):
                    # "two and a half million": the fraction belongs to the group the scale multiplies
                    return scaled[0], total + value * scaled[1], False
                return j + 3, total + value, True
            break
        if word == "," and last == "scale":
            nxt = follows(j + 1)
            if nxt and _is_number_word(nxt):
                j += 1
                continue
            break
        if word in lex.units:
            if last in ("unit", "fraction", "multiplier"):
                break
            if last == "ten" and lex.units[word] >= 10:
                break
            current += lex.units[word]
            last, seen = "unit", True
        elif word in lex.tens:
            if last in ("unit", "ten", "fraction", "multiplier"):
                break
            current += lex.tens[word]
            last, seen = "ten", True
        elif word in lex.hundred:
            if last == "hundred" or last == "multiplier":
                break
            current = (current or 1.0) * 100
            last, seen = "hundred", True
        elif word in lex.scales:
            if last == "multiplier":
                break
            if last == "scale" and gap != "," and lex.scales[word] > previous_scale:
                # "two lakh crore", "a thousand million": a larger scale right after a scale multiplies it
                total *= lex.scales[word]
            else:
                total += (current or 1.0) * lex.scales[word]
            previous_scale = lex.scales[word]
            current = 0.0
            last, seen = "scale", True
        elif word in lex.multipliers and last in ("article", "unit", "ten"):
            current = (current or 1.0) * lex.multipliers[word]
            last, seen = "multiplier", True
            fraction = True
        elif word in lex.fractions and last in ("article", "unit", "ten"):
            # "one sixth", "two thirds", "a half": the cardinal read so far is the numerator. A singular
            # denominator needs a numerator of one ("three fifth" is not English).
            numerator = current or 1.0
            if word.endswith("s") == (numerator == 1) and word not in ("half",):
                break
            if word == "quarters" and numerator > 1 and not (j + 1 < len(words) and (words[j + 1].text == "of" or words[j + 1].text in lex.scales)):
                break  # "the next two quarters" are periods of a year, not a share
            if last == "article" and word in lex.ordinal_fractions and _ordinal_use(text, words, j):
                break  # "a third successive defeat", "a fifth term": an ordinal, not one third
            current = numerator / lex.fractions[word]
            last, seen, fraction = "fraction", True, True
            scaled = _scale_after_fraction(text, words, j + 1)
            if scaled is not None:
                # "half a million", "a quarter of a million", "two thirds of a billion", "half a dozen"
                total += current * scaled[1]
                current = 0.0
                last, fraction = "scale", False
                j = scaled[0]
                continue
        elif word in lex.leading_fractions and not seen and (i == 0 or words[i - 1].text not in lex.fraction_determiners):
            # "half a million", "quarter million": a fraction without an article, read only before a scale
            scaled = _scale_after_fraction(text, words, j + 1)
            if scaled is None:
                break
            total += scaled[1] / lex.fractions[word]
            last, seen = "scale", True
            j = scaled[0]
            continue
        else:
            break
        j += 1
    if not seen:
        return None
    # A trailing connector or article is not part of the number.
    while j > i and words[j - 1].text in ("and", "&", ",", "a", "an"):
        j -= 1
    return j, total + current, fraction


def _ordinal_use(text: str, words: list[_Word], j: int) -> bool:
    """Whether "a <third>" at words[j] is an ordinal: a word follows it that is not "of" or a scale
    ("a third term" but not "a third of voters", "a third more", "a third of a million")."""
    if j + 1 >= len(words) or _gap(text, words[j], words[j + 1]) != " ":
        return False
    following = words[j + 1].text
    lex = number_lexicon()
    return following not in ("of", "more", "less", "fewer", "as", "or", "and", "to", "the", "a", "an") and following not in lex.scales


def _scale_after_fraction(text: str, words: list[_Word], k: int) -> tuple[int, float] | None:
    """A scale or multiplier that a fraction multiplies: "[of] [a] million", "[a] dozen". Returns (index after
    it, its value)."""
    lex = number_lexicon()
    j = k
    for optional in ("of", "a"):
        if j < len(words) and words[j].text in (optional, "an" if optional == "a" else optional) and _gap(text, words[j - 1], words[j]) in (" ", "-"):
            j += 1
    if j >= len(words) or _gap(text, words[j - 1], words[j]) not in (" ", "-"):
        return None
    word = words[j].text
    if word in lex.scales:
        return j + 1, lex.scales[word]
    if word in lex.multipliers:
        return j + 1, lex.multipliers[word]
    return None


def _word_ending_before(text: str, offset: int) -> str:
    """The run of letters and apostrophes that text[:offset] ends with, spaces after it aside ("" if none):
    what `re.search(r"([A-Za-z'’]+)\\s*$", text[:offset])` finds, without scanning the text before it."""
    end = offset
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and (text[start - 1].isascii() and text[start - 1].isalpha() or text[start - 1] in "'’"):
        start -= 1
    return text[start:end]


def _half_of_mentions(text: str) -> list[NumberMention]:
    """'half of the staff', 'Half of voters': "half" before "of" is the fraction one half, unless a
    determiner or ordinal makes it a noun ("the first half of the year", "the other half of the deal")."""
    lex = number_lexicon()
    found = []
    for m in re.finditer(r"\b(half)\s+of\b", text, re.IGNORECASE):
        word = _word_ending_before(text, m.start()).lower()
        if word in lex.fraction_determiners or word.endswith(("'s", "’s", "s'")):
            continue  # a possessive makes "half" a noun: "the company's half of the venture"
        found.append(NumberMention(m.start(1), m.end(1), 0.5, "words", fraction=True))
    return found


@functools.lru_cache(maxsize=1)
def _vague_patterns() -> tuple[tuple[re.Pattern, float], ...]:
    """The vague phrases' patterns, longest phrase first, then those that count only before "of"."""
    lex = number_lexicon()
    return (*((re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])"), lex.vague[phrase])
              for phrase in sorted(lex.vague, key=len, reverse=True)),
            *((re.compile(rf"(?<![\w-]){re.escape(phrase)}(?=\s+of\b)"), value)
              for phrase, value in lex.vague_before_of.items()))


def _vague_mentions(text: str) -> list[NumberMention]:
    lower = text.lower()
    return [NumberMention(m.start(), m.end(), value, "words", vague=True)
            for pattern, value in _vague_patterns() for m in pattern.finditer(lower)]


def _word_mentions(text: str) -> list[NumberMention]:
    words = _words(text)
    found = []
    i = 0
    while i < len(words):
        parsed = _parse_word_number(text, words, i) if words[i].text not in (",", "&", "and") else None
        if parsed is None or parsed[0] <= i:
            i += 1
            continue
        j, value, fraction = parsed
        found.append(NumberMention(words[i].start, words[j - 1].end, value, "words", fraction=fraction))
        i = j
    return found


# ---- scales after digits ("1.5 million", "3.5bn", "0.5k") -------------------------------------------------

_SCALE_AFTER_RE = re.compile(r"[ \u00a0-]?([A-Za-z]+)\b")


def _with_scale(text: str, mention: NumberMention) -> NumberMention:
    lex = number_lexicon()
    m = _SCALE_AFTER_RE.match(text, mention.end)
    if not m:
        return mention
    word = m.group(1)
    glued = m.start(1) == mention.end
    scale = lex.scales.get(word.lower()) if not glued or word.lower() in lex.scales else None
    if scale is None and word in lex.scale_abbreviations:
        scale = lex.scale_abbreviations[word]
    if scale is None:
        return mention
    end = m.end(1)
    # Compound scales, each larger than the one before: "1.75 lakh crore" (1e12), "5 thousand crore",
    # "2 thousand million". (A smaller scale after a larger one is a new group: "1 million 200 thousand".)
    while (further := _SCALE_AFTER_RE.match(text, end)) and further.start(1) > end:
        larger = lex.scales.get(further.group(1).lower())
        if larger is None or larger <= scale:
            break
        scale *= larger
        end = further.end(1)
    return NumberMention(mention.start, end, mention.value * scale, "mixed")


# ---- public ---------------------------------------------------------------------------------------------


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in `text`, longest reading first where readings overlap, in text order."""
    digits = [_with_scale(text, m) for m in _digit_mentions(text)]
    candidates = _vague_mentions(text) + digits + _word_mentions(text) + _half_of_mentions(text)
    chosen: list[NumberMention] = []
    # Longest first, so every chosen mention is at least as long as the next one tried: mentions are never
    # empty, and the chosen ones never overlap, so kept in text order their ends ascend too, and a new mention
    # overlaps one of them exactly when it overlaps the last one starting before its end.
    starts: list[int] = []
    ends: list[int] = []
    for mention in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if mention.end <= mention.start:
            continue  # (never produced) an empty reading is no number
        before_end = bisect.bisect_left(starts, mention.end)
        if before_end and ends[before_end - 1] > mention.start:
            continue
        starts.insert(before_end, mention.start)
        ends.insert(before_end, mention.end)
        chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)


def parse_number(text: str) -> float | None:
    """The value of a string that is exactly one number ("1,500", "two thirds", "3.5bn"), else None."""
    stripped = text.strip()
    mentions = find_numbers(stripped)
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(stripped):
        return mentions[0].value
    return None
