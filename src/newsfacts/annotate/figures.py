"""Figures: the numbers an article states, with unit, hedge, change and the claimant the article names.

Conventions of a published `Figure`:

* `text`/`start`/`end` cover the whole figure phrase: hedge, currency, number, scale, unit and, for counts,
  the counted noun phrase ("around 12,000 soldiers", "at least 10,000 containers", "$2 billion").
* `kind`: money (a currency), percent, percentage_points, measure (a unit of measure, durations included),
  count (a number with the noun it counts), number (a bare number).
* `unit`: ISO 4217 code for money ("USD"; the currency's name for units without a code: "cent"),
  "percent", "percentage point", the SI-style unit name for measures ("kilometre", "square mile",
  "kilometre per hour"), and for counts the counted noun phrase in lower case as written, without proper
  modifiers or words like "more" ("1,500 more soldiers" -> "soldiers", "1,500 special forces" ->
  "special forces"). Plurals are kept: "special forces" is not "special force".
* `object`: for counts the full counted noun phrase as written ("North Korean special forces soldiers");
  otherwise the noun the figure measures when the parse gives one ("27-kilometre ring" -> "ring",
  "35% of voters" -> "voters").
* ranges ("25 to 40 miles", "between 10,000 and 12,000") give `value` (low) and `value_max` (high).
* vague quantities ("tens of thousands") set `vague` and give a lower bound as `value`; a plural scale
  alone is one of its scale ("dozens" 12, "millions" 1e6).
* magnitude words multiply ("$1.2bn", "Rs 500 crore"); a larger one after a smaller one compounds ("Rs 1.75
  lakh crore" is 1.75e12), and the currency is kept.
* `claimant` is a noun phrase that names someone: never a pronoun other than "he"/"she" (read as the person
  named last before it); a relative pronoun ("the report, which said") gives the clause's antecedent.

Not figures: calendar dates and years, clock times, ordinals, phone numbers, numbers inside names and
identifiers ("World War II", "F-16", "Voyager 2"), age brackets ("twenty-something"), distances that name a
sporting event ("the 100m final", "over 60m hurdles"), counters and other page furniture, and a bare "one".
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span as SpacySpan, Token

from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.doc_index import DocIndex, doc_index, overlap_test, text_of
from newsfacts.annotate.figure_lexicon import FigureLexicon, Surface, Unit, figure_lexicon
from newsfacts.annotate.figure_names import AGE_BRACKET, names_event
from newsfacts.annotate.figure_nouns import counted_noun, noun_phrase_words, object_of
from newsfacts.annotate.numbers import NumberMention, find_numbers, number_lexicon
from newsfacts.calendar_patterns import MONTH_NAMES
from newsfacts.models import Claimant, Entity, Figure, Span

# spaCy labels whose spans are names: a number inside one is part of the name ("Voyager 2", "G7").
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP", "LANGUAGE"})

_WEEKDAYS = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_TIME_ZONES = r"GMT|BST|UTC|CET|CEST|EST|EDT|CST|CDT|PST|PDT|ET|PT|IST|JST|AEST|AEDT|HKT|SGT|MSK"
_MONTH_BEFORE = re.compile(rf"\b(?:{MONTH_NAMES})\.?,?\s*$", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"(?<![\d.,])(?:1\d|20)\d{2}\s*(?:to|and|or|until|till|through|[-–])\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{MONTH_NAMES})\b", re.IGNORECASE)
# Spans that are never figures, found on the raw text before numbers are read.
_NOT_FIGURE_PATTERNS = (
    # web addresses and e-mail addresses: their digits are identifiers ("%20", "?id=305")
    # (An address starts where its run of non-space characters starts, and its user part runs to the first
    # "@": a pattern free to start anywhere and to backtrack over "@" would be quadratic in a long run.)
    re.compile(r"(?:https?://|www\.)\S+|(?<!\S)[^\s@]+@\S+\.\w+", re.IGNORECASE),
    # clock times: 05:44, 5:44 PM, 2pm, 2.17pm (minutes are always two digits)
    re.compile(r"(?<![\d.,])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE),
    re.compile(r"(?<![\d.,])\d{1,2}(?:\.\d{2})?\s*[ap]\.?m\b\.?", re.IGNORECASE),
    # numeric dates: 21/10/2024, 2024-10-21, 21.10.2024
    re.compile(r"(?<!\d)\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)"),
    # phone numbers: +44 20 7946 0958, (555) 123-4567, 555-123-4567
    re.compile(r"\+\d{1,3}(?:[\s.-]\(?\d{1,5}\)?){2,}"),
    re.compile(r"(?<!\d)\(?\d{3}\)?[\s.-]\d{3}-\d{4}(?!\d)"),
    # year spans and decades: 2013-14, 1990s, '90s
    re.compile(r"(?<!\d)(?:1\d|20)\d{2}[-–/](?:\d{2}|\d{4})(?![\d%])"),
    re.compile(r"(?<!\d)(?:1\d|20)?\d0['’]?s\b"),
    # ordinals: 21st, 2nd, 4th
    re.compile(r"(?<![\w.])\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
    # numbered references: No. 5, #3, page 12
    re.compile(r"\b(?:No\.|Nos\.|#|page|pp?\.|art\.|article|section|chapter|vol\.|volume)\s*\d+", re.IGNORECASE),
    # set scores, a sequence of pairs: "6-7 (3-7) 6-3 6-3", "3-6, 7-6 (7-4), 6-1"
    re.compile(r"(?<![\d.,])\d{1,2}[-–]\d{1,2}(?:\s*\(\d{1,2}[-–]\d{1,2}\))?(?:,?\s+\d{1,2}[-–]\d{1,2}(?:\s*\(\d{1,2}[-–]\d{1,2}\))?)+(?![\d%])"),
    # HTML character references left in the text: "caf&#233;"
    re.compile(r"&#x?[0-9a-fA-F]+;"),
    # two-digit years with an apostrophe: "the class of '83"
    re.compile(r"(?<![\w'’])['’]\d{2}(?![\d%])"),
    # clock times with a time zone: "at 2200 GMT", "from 2300 GMT - 0100 GMT", "0600 local time"
    re.compile(rf"(?<![\d.,])\d{{3,4}}\s*(?:{_TIME_ZONES}|local time|hrs\b|hours local)\b"),
    # day ranges and day lists before a month: "from 9-15 January", "6 to 9 January", "on 3 and 4 May"
    re.compile(rf"(?<![\d.,])\d{{1,2}}(?:st|nd|rd|th)?\s*(?:[-–]|to|and|or|until|through)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTH_NAMES})\b", re.IGNORECASE),
    # month then a day range: "January 6-9", "May 3 to 4"
    re.compile(rf"\b(?:{MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:[-–]|to|and|until|through)\s*\d{{1,2}}(?!\d)", re.IGNORECASE),
)
_SOURCE_NOUNS = frozenset({"analysis", "report", "estimate", "estimates", "data", "figures", "figure", "intelligence", "statement", "assessment", "survey", "study", "count", "tally", "research", "briefing", "officials", "sources", "poll", "polls", "census", "tally"})
_PRONOUNS = frozenset({"he", "she", "him", "her"})


@dataclass(frozen=True)
class _Candidate:
    """A figure being assembled: offsets into the text plus what has been read so far."""

    start: int
    end: int
    number: NumberMention
    value: float
    value_max: float | None = None
    kind: str = "number"
    unit: str | None = None
    unit_dimension: str | None = None
    object: str | None = None
    hedge: str | None = None
    change: str | None = None
    vague: bool = False
    noun_token: int | None = None  # index of the counted noun


# ---- exclusions -----------------------------------------------------------------------------------------


def _excluded_spans(text: str, lex: FigureLexicon) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for pattern in (*_NOT_FIGURE_PATTERNS, AGE_BRACKET) for m in pattern.finditer(text)]
    for idiom in lex.idioms:
        spans.extend((m.start(), m.end()) for m in re.finditer(rf"(?<![\w/]){re.escape(idiom)}(?![\w/])", text, re.IGNORECASE))
    spans.extend((m.start(1), m.end(1)) for m in _label_pattern(lex.label_words, True).finditer(text))
    spans.extend((m.start(1), m.end(1)) for m in _label_pattern(lex.capitalised_label_words, False).finditer(text))
    return spans


@functools.lru_cache(maxsize=1)
def _label_pattern(label_words: tuple[str, ...], any_case: bool) -> re.Pattern:
    """A label word and the number it labels: "version 1.0", "number two", "Category 5"."""
    numbers = number_lexicon()
    words = sorted(list(numbers.units) + list(numbers.tens), key=len, reverse=True)
    labels = "|".join(re.escape(w) for w in sorted(label_words, key=len, reverse=True))
    number = rf"\d+(?:\.\d+)*[a-z]?|(?i:{'|'.join(words)})(?:[-\s](?i:{'|'.join(words)}))?"
    label = f"(?i:{labels})" if any_case else f"(?:{labels})"
    return re.compile(rf"(?<![\w.]){label}\s+({number})(?![\w%]|[.,]\d)")


class _Lines:
    """Per-line facts asked once per number: computed once per line (an article may be one long line)."""

    def __init__(self, index: DocIndex, lex: FigureLexicon):
        self.index = index
        self.lex = lex
        self._furniture: dict[int, bool] = {}
        self._has_words: dict[int, bool] = {}

    def _line(self, position: int) -> tuple[int, str]:
        start = self.index.line_start(position)
        return start, self.index.text[start : self.index.line_end(position)]

    def is_furniture(self, position: int) -> bool:
        start = self.index.line_start(position)
        if start not in self._furniture:
            line = self._line(position)[1]
            self._furniture[start] = any(p.search(line) for p in self.lex.furniture_lines)
        return self._furniture[start]

    def has_words(self, position: int) -> bool:
        start = self.index.line_start(position)
        if start not in self._has_words:
            self._has_words[start] = re.search(r"[A-Za-z]{2,}", self._line(position)[1]) is not None
        return self._has_words[start]


_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")


def _is_furniture(text: str, number: NumberMention, lex: FigureLexicon, lines: _Lines) -> bool:
    if lines.is_furniture(number.start):
        return True
    following = _WORD_AFTER.match(text, number.end)
    return bool(following and following.group(1).lower() in lex.counter_nouns)


def _glued_identifier(text: str, number: NumberMention) -> bool:
    """Digits glued to letters ("i7", "F-16", "06F6", "860BOX") belong to an identifier, not a figure."""
    if number.written != "digits":
        return False
    before = text[max(0, number.start - 2) : number.start]
    if before[-1:].isalpha() and number.start and not text[number.start - 1] in "$€£¥₩₹₽":
        return True
    if len(before) == 2 and before[1] in "-–/" and before[0].isalpha() and before[0].isupper():
        return True
    # "777-200LR", "737-800NG": digits, a hyphen and a code with letters that are not a unit or scale ("20-30bn")
    code = re.match(r"[-–]\d+([A-Za-z]+)", text[number.end : number.end + 12])
    if code and code.group(1) not in number_lexicon().scale_abbreviations and code.group(1) not in number_lexicon().money_scale_letters:
        at = number.end + code.start(1)
        if _match_surface(text, at, figure_lexicon().after, glued=True) is None and _symbol_product(text, at, figure_lexicon()) is None:
            return True
    # "scp2-173m", "A4-210": the number continues a code that mixes letters and digits
    code = re.search(r"([A-Za-z0-9]+)[-–/]$", text[max(0, number.start - 20) : number.start])
    if code and re.search(r"[A-Za-z]", code.group(1)) and re.search(r"\d", code.group(1)):
        return True
    return False


class _Mentions:
    """The entity mentions of an article sorted by start, for finding those around an offset in log time."""

    def __init__(self, entities: Sequence[Entity]):
        # (start, end, entity order, mention order, entity): the last two keep the order of `entities`.
        self.items = sorted(
            (m.start, m.end, i, j, e) for i, e in enumerate(entities) for j, m in enumerate(e.mentions)
        )
        self.starts = [item[0] for item in self.items]
        self.longest = max((item[1] - item[0] for item in self.items), default=0)
        people = sorted(((m.end, i, j, e) for i, e in enumerate(entities) if e.type == "PERSON"
                         for j, m in enumerate(e.mentions)), key=lambda item: item[:3])
        self.people_ends = [item[0] for item in people]
        self.people = people

    def near(self, start: int, end: int) -> list[tuple]:
        """Mentions that may overlap or lie inside [start, end), in the order of `entities`."""
        first = bisect.bisect_left(self.starts, start - self.longest)
        last = bisect.bisect_left(self.starts, end)
        return sorted(self.items[first:last], key=lambda item: (item[2], item[3]))

    def contains(self, start: int, end: int) -> bool:
        """Is [start, end) inside a longer mention?"""
        first = bisect.bisect_left(self.starts, end - self.longest)
        last = bisect.bisect_right(self.starts, start)
        return any(m_end >= end and m_end - m_start > end - start for m_start, m_end, *_ in self.items[first:last])

    def last_person_before(self, offset: int) -> Entity | None:
        """The person with the latest mention ending at or before `offset` (the first such in entity order)."""
        count = bisect.bisect_right(self.people_ends, offset)
        if not count:
            return None
        latest = self.people_ends[count - 1]
        first = bisect.bisect_left(self.people_ends, latest)
        return min(self.people[first:count], key=lambda item: item[1])[3]


def _in_name(doc: Doc, start: int, end: int, mentions: _Mentions) -> bool:
    ent = doc_index(doc).ent_containing(start, end)
    if ent is not None and ent.label_ in NAME_LABELS and ent.end_char - ent.start_char > end - start:
        return True
    return mentions.contains(start, end)


def _in_date(doc: Doc, start: int, end: int) -> bool:
    ent = doc_index(doc).ent_containing(start, end)
    return ent is not None and ent.label_ in ("DATE", "TIME")


def _is_calendar(text: str, doc: Doc, number: NumberMention) -> bool:
    """A day of the month or a year."""
    if not number.plain_integer:
        return False
    value = number.value
    if 1 <= value <= 31 and (_MONTH_BEFORE.search(text[max(0, number.start - 12) : number.start]) or _MONTH_AFTER.match(text[number.end : number.end + 16])):
        return True
    if 1000 <= value <= 2100 and number.end - number.start == 4:
        before = text[max(0, number.start - 12) : number.start].lower()
        if _in_date(doc, number.start, number.end) or re.search(r"\b(in|since|by|until|till|from|of|year|during|before|after|early|late|mid|circa)\s*-?$", before):
            return True
        if re.search(rf"\b(?:{MONTH_NAMES}|{_WEEKDAYS})\.?,?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?$", before, re.IGNORECASE):
            return True
        if _YEAR_BEFORE.search(text[max(0, number.start - 16) : number.start]) and counted_noun(doc, number.end) is None:
            return True  # "from 2009 to 2013", "in 2009 and 2010": the second year of a pair of years
    return False


def _after_proper_name(doc: Doc, number: NumberMention) -> bool:
    """'Boeing 737 Max', 'Apollo 11', 'Route 66', 'Voyager 2': a plain integer right after a capitalised
    proper noun, with no unit or counted noun of its own, is part of the name."""
    text = text_of(doc)
    if not (number.plain_integer or re.fullmatch(r"\d+\.\d+", text[number.start : number.end])):
        return False  # "Boeing 737", and versions: "Firefox 1.0"
    span = _tokens(doc, number.start, number.end)
    if span is None or not len(span) or span[0].i == 0:
        return False
    before = doc[span[0].i - 1]
    if before.pos_ != "PROPN" or not before.text[:1].isupper() or before.whitespace_ != " ":
        return False
    if before.is_sent_start or before.ent_type_ in ("DATE", "TIME"):
        return False
    if re.match(r"[-–]\d", text[number.end : number.end + 2]):
        return False  # "Spain 2-1 ahead": a score or a range follows the name, not a model number
    nxt = doc[span[-1].i + 1] if span[-1].i + 1 < len(doc) else None
    return nxt is None or not (nxt.pos_ == "NOUN" and nxt.text.islower())


def _capitalised_in_prose(doc: Doc, start: int) -> bool:
    """A capitalised word inside a sentence of prose: "the Six Nations", "BBC One", "50 Cent", "Million Dollar
    Baby" are names. Not at the start of a sentence or a quotation, and not in a title-case line."""
    span = _tokens(doc, start, start + 1)
    if span is None or not len(span):
        return False
    token = span[0]
    if not token.text[:1].isupper() or token.text.isupper() or token.is_sent_start or token.i == 0:
        return False
    before = doc[token.i - 1]
    if before.is_punct and before.text not in (",", ")") or before.is_space or "\n" in before.whitespace_:
        return False
    # A title-case line ("Firm Cuts Three Thousand Jobs") capitalises every longer word; prose has lower-case ones.
    # (Counted once per sentence: the words of the sentence, less the token and its two neighbours.)
    sentence = token.sent
    words, lower = _sentence_word_counts(sentence)
    for neighbour in doc[max(sentence.start, token.i - 1) : min(sentence.end, token.i + 2)]:
        if _is_long_word(neighbour):
            words -= 1
            lower -= neighbour.text[:1].islower()
    return not words or lower > 0


def _is_long_word(token: Token) -> bool:
    return token.is_alpha and len(token.text) > 3 and not token.is_sent_start


def _sentence_word_counts(sentence: SpacySpan) -> tuple[int, int]:
    """(long words, long words in lower case) of a sentence, cached on the doc's index."""
    cache = _doc_cache(sentence.doc, "word_counts")
    if sentence.start not in cache:
        words = [t for t in sentence if _is_long_word(t)]
        cache[sentence.start] = (len(words), sum(t.text[:1].islower() for t in words))
    return cache[sentence.start]


def _doc_cache(doc: Doc, name: str) -> dict:
    """A per-document dictionary for facts computed once per sentence or token, kept in the doc's user_data
    (ints and tuples only: a Token or Span there would make a reference cycle through the doc)."""
    caches = doc.user_data.setdefault("newsfacts.figures.sentences", {})
    return caches.setdefault(name, {})


def _model_numbers(text: str, doc: Doc, mentions: _Mentions) -> frozenset[str]:
    """Numbers of three or more digits that the article uses as a name or model ("Boeing 777", "777-200LR",
    "A380"): elsewhere in the same article the bare number is the model ("the new 777"), not a quantity."""
    names = set()
    for number in find_numbers(text):
        digits = text[number.start : number.end]
        if not number.plain_integer or len(digits) < 3 or number.value % 100 == 0 or 1000 <= number.value <= 2100:
            continue
        if _glued_identifier(text, number) or _after_proper_name(doc, number) or _in_name(doc, number.start, number.end, mentions):
            names.add(digits)
    for m in re.finditer(r"(?<=[A-Z])(\d{3,})(?![\d,.])", text):
        names.add(m.group(1))  # "A380", "B777"
    return frozenset(names)


_COMMA_OR_BRACKET_AFTER = re.compile(r"\s*[,)]")


def _age_after_name(text: str, doc: Doc, number: NumberMention) -> bool:
    """'John Smith, 45,' : an age in apposition to a person (bylines, captions)."""
    if not number.plain_integer or not (1 <= number.value <= 120):
        return False
    index = doc_index(doc)
    before = index.previous_nonspace(number.start)  # text[: number.start] ends with "," and spaces?
    if not _COMMA_OR_BRACKET_AFTER.match(text, number.end) or before < 0 or text[before] != ",":
        return False
    ent = index.ent_containing(before - 1, before) if before > 0 else None
    return ent is not None and ent.label_ == "PERSON" and ent.end_char == before


# ---- units around the number ----------------------------------------------------------------------------


def _match_surface(text: str, position: int, surfaces: Sequence[Surface], glued: bool = False) -> Surface | None:
    for surface in _surfaces_starting(text[position : position + 1], surfaces):
        if surface.glued_only and not glued:
            continue
        chunk = text[position : position + len(surface.text)]
        if (chunk == surface.text) if surface.case_sensitive else (chunk.lower() == surface.text.lower()):
            after = text[position + len(surface.text) : position + len(surface.text) + 1]
            if surface.text[-1:].isalpha() and (after.isalpha() or after.isdigit() and after not in "23"):
                continue
            return surface
    return None


# Surface tuples of the lexicon (held here so their ids stay theirs) -> first character -> the surfaces that may
# start with it, in the tuple's order. The unit lexicon has hundreds of surfaces; a number is followed by one
# character, and only the surfaces starting with it can match there.
_SURFACE_BUCKETS: dict[int, tuple[tuple[Surface, ...], dict[str, tuple[Surface, ...]], tuple[Surface, ...]]] = {}


def _surfaces_starting(first: str, surfaces: Sequence[Surface]) -> Sequence[Surface]:
    """The surfaces of `surfaces` (in order) that can match text starting with the character `first`: every
    surface whose first character is `first` in a case-insensitive comparison. Only the lexicon's own tuples
    are indexed; other sequences (filtered lists) are returned whole."""
    if not isinstance(surfaces, tuple):
        return surfaces
    entry = _SURFACE_BUCKETS.get(id(surfaces))
    if entry is None or entry[0] is not surfaces:
        entry = (surfaces, *_bucket_by_first_character(surfaces))
        _SURFACE_BUCKETS[id(surfaces)] = entry
    _, buckets, unfoldable = entry
    key = first.lower()
    if len(key) != 1:  # no character, or one whose lower case is longer (it is compared whole)
        return surfaces
    return buckets.get(key, unfoldable)


def _bucket_by_first_character(surfaces: tuple[Surface, ...]
                               ) -> tuple[dict[str, tuple[Surface, ...]], tuple[Surface, ...]]:
    keys = [surface.text[:1].lower() for surface in surfaces]
    # a surface whose first character does not lower to one character could match anything: in every bucket
    unfoldable = {i for i, key in enumerate(keys) if len(key) != 1}
    buckets = {key: tuple(s for i, s in enumerate(surfaces) if keys[i] == key or i in unfoldable)
               for key in set(keys) if len(key) == 1}
    return buckets, tuple(surfaces[i] for i in sorted(unfoldable))


def _currency_before(text: str, start: int, lex: FigureLexicon) -> tuple[int, Surface] | None:
    window = text[max(0, start - 8) : start]
    if not window:
        return None
    # a candidate (symbol + gap) ends the window: the symbol's last character is the window's last, or the
    # one before a trailing space
    ends = {window[-1], window[-2:-1]} if window[-1] in " \u00a0" else {window[-1]}
    for surface in lex.currency_before:
        if surface.text[-1:] not in ends:
            continue
        for gap in ("", " ", "\u00a0"):
            candidate = surface.text + gap
            if window.endswith(candidate):
                begin = start - len(candidate)
                if surface.text[:1].isalpha() and begin > 0 and text[begin - 1].isalpha():
                    continue
                return begin, surface
    return None


@dataclass(frozen=True)
class _UnitRead:
    end: int
    unit: Unit
    name: str
    scale: float = 1.0  # "30 MUSD"


# Patterns matched at a position of the whole text (`pattern.match(text, position)`): none looks behind, so
# they read exactly as on the text's tail, without copying the tail for every number.
_UNIT_GAP = re.compile(r"[ \u00a0]?-?[ \u00a0]?")
_POWER_WORD = re.compile(r"(square|sq|cubic|cu)\.?\s+", re.IGNORECASE)
_POWER_AFTER = re.compile(r"(?:\^?([23])|([²³])|\s+(squared|cubed))(?![\w])")
_INVERSE_AFTER = re.compile(r"(?:\^?[-−]1)(?![\d])")
_DIGIT_AFTER = re.compile(r"[ \u00a0]?\d")
_PER = re.compile(r"(?:\s*/\s*|\s+(?:per|a|an|each|every)\s+)", re.IGNORECASE)
_DENOMINATOR_POWER = re.compile(r"\^?([23])(?![\w])")


def _unit_after(text: str, end: int, money: bool, lex: FigureLexicon) -> _UnitRead | None:
    """Read a unit (with power and 'per' denominators) starting right after the number."""
    m = _UNIT_GAP.match(text, end)
    position = m.end() if m else end
    power = 0
    pm = _POWER_WORD.match(text, position)
    if pm:
        power = lex.power_words[pm.group(1).lower()]
        position = pm.end()
    surface = _match_surface(text, position, lex.after, glued=position == end)
    product = None if money else _symbol_product(text, position, lex, glued=position == end)
    if product is not None and (surface is None or position + len(surface.text) < product[0]):
        stop, name, unit = product
        surface = None
    elif surface is None:
        return None
    else:
        unit = surface.unit
        if money and unit.kind == "measure":
            return None
        if surface.text in lex.ambiguous_symbols and position != end:  # "4in" glued is always the unit
            words = lex.ambiguous_symbols[surface.text]
            after = position + len(surface.text)
            while after < len(text) and text[after].isspace():
                after += 1
            following = text[after : after + max(map(len, words), default=0) + 1].lower()
            if following and not any(following.startswith(word) for word in words):
                return None
        stop = position + len(surface.text)
        name = unit.name
    if unit.kind == "measure":
        sm = _POWER_AFTER.match(text, stop)
        if sm:
            power = 2 if (sm.group(1) == "2" or sm.group(2) == "²" or sm.group(3) == "squared") else 3
            stop = sm.end()
        im = _INVERSE_AFTER.match(text, stop)
        if power:
            name = ("square " if power == 2 else "cubic ") + name
        if im:
            name = "inverse " + name
            stop = im.end()
    stop, name = _denominators(text, stop, name, lex)
    if unit.kind == "measure" and re.match(r"[A-Za-z0-9]|-\d", text[stop : stop + 2]):
        return None  # "24703m212", "24703 L-202": a symbol inside a part number or code, not a unit
    if unit.kind == "money" and surface is not None and not surface.text[-1].isalpha() and _DIGIT_AFTER.match(text, stop):
        return None  # "1 $10 bill": the symbol belongs to the amount after it
    return _UnitRead(stop, unit, name, surface.scale if surface is not None else 1.0)


_SYMBOL_RUN = re.compile(r"[A-Za-zμµ]+(?:[·⋅][A-Za-zμµ]+)*")


def _split_symbols(run: str, symbols: dict[str, Unit]) -> list[str] | None:
    """The fewest known symbols whose concatenation is `run` ("mAh" -> "mA", "h"), or None."""
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for begin in range(end):
            piece = run[begin:end]
            if best[begin] is not None and piece in symbols:
                option = best[begin] + [piece]
                if best[end] is None or len(option) < len(best[end]):
                    best[end] = option
    return best[len(run)]


def _symbol_product(text: str, position: int, lex: FigureLexicon, glued: bool = True) -> tuple[int, str, Unit] | None:
    """A unit written as a product of SI symbols: "45 Js" (joule second), "kW·h", "40 Nm", "5,000mAh".

    Only units marked `compound` in units.yaml take part, and a run of single lower-case letters ("hm") is
    not read: it is more likely a word or an abbreviation than a product of units. Apart from the number
    ("two sham weddings"), an all-lower-case run is a word, not a product: a spaced product needs a capital
    ("45 Js", "40 Nm")."""
    m = _SYMBOL_RUN.match(text, position)
    if m is None or re.match(r"[\w]", text[m.end() : m.end() + 1]):
        return None
    pieces: list[str] = []
    for segment in re.split(r"[·⋅]", m.group()):
        symbols = _split_symbols(segment, lex.compound_symbols)
        if symbols is None:
            return None
        pieces.extend(symbols)
    if len(pieces) < 2 or all(len(piece) == 1 and piece.islower() for piece in pieces):
        return None
    if not glued and m.group().islower():
        return None
    name = " ".join(lex.compound_symbols[piece].name for piece in pieces)
    return m.end(), name, Unit(name, "measure")


def _denominators(text: str, stop: int, name: str, lex: FigureLexicon) -> tuple[int, str]:
    """Denominators: "per hour", "/hour", "a day", "/kg"."""
    while True:
        dm = _PER.match(text, stop)
        if not dm:
            break
        denominator = _match_surface(text, dm.end(), [s for s in lex.after if s.unit.kind == "measure"])
        if denominator is None:
            break
        dstop = dm.end() + len(denominator.text)
        dname = denominator.unit.name
        sm = _DENOMINATOR_POWER.match(text, dstop)
        if sm:
            dname = ("square " if sm.group(1) == "2" else "cubic ") + dname
            dstop = sm.end()
        name = f"{name} per {dname}"
        stop = dstop
    return stop, name


# ---- tokens (the counted noun and the object are read in figure_nouns.py) ---------------------------------


def _tokens(doc: Doc, start: int, end: int) -> SpacySpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


# ---- hedges and changes ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)  # one pattern per hedge phrase of the lexicon, compiled once
def _hedge_before_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"(?:^|(?<=[\s(\"“'—–-]))({re.escape(phrase)})" + (r"\s+$" if phrase[-1:].isalnum() else r"\s*$"))


@functools.lru_cache(maxsize=None)
def _hedge_after_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"\s*{re.escape(phrase)}(?![\w])")


def _best_hedge(text: str, start: int, lex: FigureLexicon) -> tuple[int, str] | None:
    """The longest hedge phrase ending right before `start` ('more than' beats 'than')."""
    window = text[max(0, start - 40) : start].lower()
    best: tuple[int, str] | None = None
    for name, sides in lex.hedges.items():
        for phrase in sides.get("before", ()):
            m = _hedge_before_pattern(phrase).search(window)
            if m:
                begin = start - (len(window) - m.start(1))
                if best is None or begin < best[0]:
                    best = (begin, name)
    return best


def _hedge_after(text: str, end: int, lex: FigureLexicon) -> tuple[int, str] | None:
    following = text[end : end + 20].lower()
    for name, sides in lex.hedges.items():
        for phrase in sides.get("after", ()):
            m = _hedge_after_pattern(phrase).match(following)
            if m:
                return end + m.end(), name
    return None


def _last_tokens_before(doc: Doc, start: int, count: int) -> list[Token]:
    """The last `count` tokens that end at or before `start`."""
    ending = doc_index(doc).tokens_ending_by(start)
    return list(doc[max(0, ending - count) : ending])


def _change(doc: Doc, start: int, lex: FigureLexicon, kind: str) -> str | None:
    """'rose by 5%' -> increase, 'fell to 3%' -> to, 'up 3%' -> increase."""
    before = _last_tokens_before(doc, start, 3)
    if not before:
        return None
    last = before[-1]
    if last.lower_ in ("by", "to", "at") and len(before) >= 2:
        # the word before, or the verb the preposition hangs on ("rose by 2.5 points to 7%")
        for verb in (before[-2], last.head):
            for kind, lemmas in lex.change.items():
                if verb.lemma_.lower() in lemmas:
                    return kind if last.lower_ == "by" else "to"
        return None
    if kind == "count":
        return None  # "lost 300,000 troops" is a count of losses, not a change of a level
    for kind, lemmas in lex.change.items():
        if last.lemma_.lower() in lemmas and last.pos_ in ("VERB", "ADV", "ADP") and last.lower_ in ("up", "down", "rose", "fell", "jumped", "dropped", "climbed", "slipped", "gained", "lost", "rises", "falls", "grew", "shrank", "plunged", "soared", "surged", "declined", "increased", "decreased", "doubled", "halved"):
            return kind
    return None


# ---- claimants ------------------------------------------------------------------------------------------


def _np_span(doc: Doc, head: Token) -> tuple[int, int]:
    """Character span of a noun phrase: its left edge to its head, plus a following 'of ...' phrase."""
    start = head.left_edge.i
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and (child.lower_ == "of" or (child.lower_ == "for" and head.pos_ == "PROPN")):
            end = child.right_edge.i
        elif child.dep_ in ("compound", "flat", "appos") and child.ent_type_ and child.i == end + 1:
            end = child.right_edge.i
    # A noun phrase never runs across a line break (the parser sometimes joins paragraphs).
    index = doc_index(doc)
    while start < end and (index.has_newline(doc[start].idx, doc[end].idx) or doc[start].is_punct):
        start += 1
    return doc[start].idx, doc[end].idx + len(doc[end].text)


def _entity_at(mentions: _Mentions, start: int, end: int, head_start: int, head_end: int, anywhere: bool):
    exact = None
    inside = None
    for m_start, m_end, _, _, entity in mentions.near(min(start, head_start), max(end, head_end)):
        if m_start == start and m_end == end:
            exact = entity
        elif m_start < head_end and head_start < m_end:
            exact = exact or entity
        elif anywhere and start <= m_start and m_end <= end and entity.type in ("ORG", "PERSON"):
            inside = inside or entity
    return exact or inside


@dataclass(frozen=True)
class _Claim:
    name: str
    start: int
    end: int
    head_lemma: str
    entity_id: str | None


class _EarlierClaims:
    """The claims read so far, by head lemma, answering "the latest one whose name is longer than L" in log
    time: a claim followed by a later one with a name at least as long can never be that answer, so each
    lemma keeps a stack of claims whose name lengths strictly decrease."""

    def __init__(self) -> None:
        self._stacks: dict[str, list[_Claim]] = {}

    def append(self, claim: _Claim) -> None:
        stack = self._stacks.setdefault(claim.head_lemma, [])
        while stack and len(stack[-1].name) <= len(claim.name):
            stack.pop()
        stack.append(claim)

    def latest_longer(self, lemma: str, length: int) -> _Claim | None:
        stack = self._stacks.get(lemma, [])
        longer = bisect.bisect_left(stack, -length, key=lambda claim: -len(claim.name))
        return stack[longer - 1] if longer else None


class _NamedHeads:
    """Token indices, by lemma, of nouns with a naming modifier on their left ("Seoul's spy agency")."""

    def __init__(self, doc: Doc) -> None:
        self.by_lemma: dict[str, list[int]] = {}
        for token in doc:
            if any(c.dep_ in ("poss", "compound", "amod") for c in token.lefts):
                self.by_lemma.setdefault(token.lemma_.lower(), []).append(token.i)

    def last_before(self, lemma: str, i: int) -> int | None:
        found = self.by_lemma.get(lemma, [])
        position = bisect.bisect_left(found, i) - 1
        return found[position] if position >= 0 else None


@dataclass
class _Claims:
    """What claimant finding needs across the figures of one article."""

    mentions: _Mentions
    earlier: _EarlierClaims
    named_heads: _NamedHeads


def _claim_from_np(doc: Doc, head: Token, claims: _Claims) -> _Claim | None:
    # "a poll by Gallup", "figures from the UN": the source is the agent of the report noun
    if head.lower_ in _SOURCE_NOUNS:
        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
                agent = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ in ("PROPN", "NOUN")), None)
                if agent is not None:
                    head = agent
                    break
    if head.pos_ == "PRON" and head.lower_ not in _PRONOUNS:
        return None  # "according to them", "which said": a pronoun other than he/she names no one here
    start, end = _np_span(doc, head)
    text = text_of(doc)[start:end]
    if head.lower_ in _PRONOUNS:
        person = claims.mentions.last_person_before(start)
        if person is not None:
            return _Claim(person.name, start, end, head.lemma_.lower(), person.id)
        return None  # a pronoun with no one named before it names no one
    entity = _entity_at(claims.mentions, start, end, head.idx, head.idx + len(head.text), head.lower_ in _SOURCE_NOUNS or head.pos_ == "PROPN")
    if entity is not None:
        return _Claim(entity.name if head.lower_ in _SOURCE_NOUNS else text, start, end, head.lemma_.lower(), entity.id)
    # "The agency" after "Seoul's spy agency": a definite description names the fuller earlier claimant.
    determiner = doc[head.left_edge.i]
    if determiner.lower_ in ("the", "this", "that") and head.left_edge.i == head.i - 1:
        claim = claims.earlier.latest_longer(head.lemma_.lower(), len(text))
        if claim is not None:
            return _Claim(claim.name, start, end, claim.head_lemma, claim.entity_id)
        # else the nearest earlier noun phrase with the same head and a naming modifier
        named = claims.named_heads.last_before(head.lemma_.lower(), head.left_edge.i)
        if named is not None:
            token = doc[named]
            earlier_start, earlier_end = _np_span(doc, token)
            earlier_entity = _entity_at(claims.mentions, earlier_start, earlier_end, token.idx, token.idx + len(token.text), False)
            return _Claim(text_of(doc)[earlier_start:earlier_end], start, end, head.lemma_.lower(), earlier_entity.id if earlier_entity else None)
    return _Claim(text, start, end, head.lemma_.lower(), None)


def _phrase_tokens(sent: SpacySpan) -> list[Token]:
    """For each cue phrase ("according to") found in the sentence, in the lexicon's order: the token where its
    first occurrence ends. Computed once per sentence (token indices are kept: tokens would hold the doc)."""
    cache = _doc_cache(sent.doc, "cue_phrases")
    if sent.start not in cache:
        lowered = sent.text.lower()
        index = doc_index(sent.doc)
        found = []
        for phrase in cue_lexicon().phrases:
            at = lowered.find(phrase)
            if at < 0:
                continue
            phrase_end = sent.start_char + at + len(phrase)
            # the first token of the sentence with idx < phrase_end <= its end: the first one ending at or after it
            i = bisect.bisect_left(index.token_ends, phrase_end)
            if sent.start <= i < sent.end and sent.doc[i].idx < phrase_end:
                found.append(i)
        cache[sent.start] = found
    return [sent.doc[i] for i in cache[sent.start]]


_CLAIM_DEPS = ("ROOT", "parataxis", "ccomp", "advcl", "conj")
_NOT_CLAIMANTS = ("it", "they", "we", "i", "you", "this", "that", "there")
_RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom", "whose", "what"})


def _claimant_subject(verb: Token) -> Token | None:
    """The subject that makes `verb` a claim verb: a cue verb whose subject is a noun, a name or a personal
    pronoun other than it/they/we... (whether the figure lies inside that subject is the caller's test)."""
    cache = _doc_cache(verb.doc, "claimant_subject")  # token index -> subject index or -1
    if verb.i not in cache:
        subject = None
        if verb.lemma_.lower() in cue_lexicon().all_verbs and verb.pos_ in ("VERB", "AUX"):
            subject = _subject_of(verb)
            if subject is not None and subject.lower_ in _RELATIVE_PRONOUNS:
                # "the report, which said ...": the claimant is the relative clause's antecedent, if it is a noun
                antecedent = _antecedent(verb)
                subject = antecedent if antecedent is not None and antecedent.pos_ in ("NOUN", "PROPN") else None
            # A pronoun names no one: only "he"/"she" are read, as the person last named before them.
            if subject is not None and (subject.pos_ not in ("NOUN", "PROPN", "PRON") or subject.lower_ in _NOT_CLAIMANTS
                                        or subject.pos_ == "PRON" and subject.lower_ not in _PRONOUNS):
                subject = None
        cache[verb.i] = subject.i if subject is not None else -1
    found = cache[verb.i]
    return verb.doc[found] if found >= 0 else None


def _antecedent(verb: Token) -> Token | None:
    """The noun a relative clause hangs on: "the report" of "the report, which said"."""
    current = verb
    for _ in range(3):
        if current.dep_ == "relcl":
            return current.head
        if current.dep_ not in ("conj", "xcomp", "ccomp") or current.head is current:
            return None
        current = current.head
    return None


def _subject_covers(verb: Token, subject: Token, start: int, end: int) -> bool:
    """Whether the figure at [start, end) lies inside the claim verb's subject. When the verb is a relative
    clause and the subject its antecedent ("the report, which said 3%"), the antecedent's subtree holds the
    claim itself: only its noun phrase counts. (A figure in a relative clause on the subject of another verb,
    "Smith, who is 36, said", describes the subject: it stays inside.)"""
    if verb.dep_ == "relcl" and verb.head == subject:
        first, last = _np_span(subject.doc, subject)
        return first <= start and end <= last
    return subject.left_edge.idx <= start and end <= subject.right_edge.idx + len(subject.right_edge.text)


def _next_claim_ancestor(token: Token) -> Token | None:
    """The nearest ancestor of `token` that is a claim verb (see _claimant_subject). Kept per token, so
    that figures in one long sentence do not each walk its whole chain of heads."""
    cache = _doc_cache(token.doc, "next_claim_ancestor")  # token index -> ancestor index or -1
    doc = token.doc
    path = []
    current = token
    while current.i not in cache:
        path.append(current)
        if current.head.i == current.i:
            cache[current.i] = -1
            path.pop()
            break
        current = current.head
    for node in reversed(path):
        head = node.head
        cache[node.i] = head.i if _claimant_subject(head) is not None else cache[head.i]
    found = cache[token.i]
    return doc[found] if found >= 0 else None


def _claim_verbs_between(sent: SpacySpan, start: int, end: int) -> Iterator[Token]:
    """The claim verbs of a sentence with a clause dependency (_CLAIM_DEPS) whose first character lies in
    [start, end), in order. Listed once per sentence, as (offset, token index)."""
    cache = _doc_cache(sent.doc, "claim_verbs")
    if sent.start not in cache:
        cache[sent.start] = [(t.idx, t.i) for t in sent if t.dep_ in _CLAIM_DEPS and _claimant_subject(t) is not None]
    verbs = cache[sent.start]
    for position in range(bisect.bisect_left(verbs, (start, -1)), bisect.bisect_left(verbs, (end, -1))):
        yield sent.doc[verbs[position][1]]


def _claim_for(doc: Doc, start: int, end: int, claims: _Claims) -> _Claim | None:
    span = _tokens(doc, start, end)
    if span is None or not len(span):
        return None
    token = span[-1]
    sent = token.sent
    # "according to X"
    for last in _phrase_tokens(sent):
        for child in last.children:
            if child.dep_ == "pobj" and not (child.left_edge.idx <= start < child.right_edge.idx + len(child.right_edge.text)):
                return _claim_from_np(doc, child, claims)
    # the subject of a cue verb governing the figure, or of one beside it in the sentence
    # Paragraph breaks end a claim even where the parser ran two paragraphs into one sentence.
    # First the claim verbs above the figure, nearest first; then the sentence's other clause-level claim
    # verbs in order. (An ancestor met again in the second list was refused in the first for the figure lying
    # inside its subject, and is refused again, so the second list need not leave ancestors out.)
    index = doc_index(doc)
    paragraph_start = index.line_start(start)
    paragraph_end = index.line_end(end)

    def ancestors() -> Iterator[Token]:
        verb = _next_claim_ancestor(token)
        while verb is not None:
            if sent.start <= verb.i < sent.end and paragraph_start <= verb.idx < paragraph_end:
                yield verb
            verb = _next_claim_ancestor(verb)

    for verb in itertools.chain(ancestors(), _claim_verbs_between(sent, paragraph_start, paragraph_end)):
        subject = _claimant_subject(verb)
        if _subject_covers(verb, subject, start, end):
            continue  # the figure is inside the subject: it is what is claimed, not who claims it
        return _claim_from_np(doc, subject, claims)
    return None


def _subject_of(verb: Token) -> Token | None:
    current = verb
    for _ in range(3):
        for child in current.children:
            if child.dep_ in ("nsubj",):
                return child
        if current.dep_ in ("advcl", "xcomp", "conj", "acl") and current.head is not current:
            current = current.head
        else:
            break
    # The parser sometimes leaves a reporting verb without a subject ("..., Seoul's spy agency said"):
    # the noun right before the verb is then its subject.
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.pos_ in ("NOUN", "PROPN") and "\n" not in before.whitespace_:
        return before
    return None


# ---- assembly -------------------------------------------------------------------------------------------


_MASS_OF = re.compile(r"\s+of\s+(?!the\b|their\b|its\b|his\b|her\b|public\b|taxpayers)")


def _pound_is_mass(text: str, doc: Doc, start: int, end: int, lex: FigureLexicon) -> bool:
    """Whether "pound(s)" at text[start:end] is the mass: British copy means money, American copy the
    weight ("lost 25 pounds", "a 2,204-pound load"). The sentence's words decide (units.yaml pound_context)."""
    if not re.fullmatch(r"[\s-]*pounds?", text[start:end], re.IGNORECASE):
        return False  # "£5", "quid", "pounds sterling" are money
    span = _tokens(doc, start, end)
    if span is None or not len(span):
        return False
    sentence = span[0].sent
    cache = _doc_cache(doc, "pound_cues")
    if sentence.start not in cache:
        lemmas = [t.lemma_.lower() for t in sentence] + [t.lower_ for t in sentence]
        cache[sentence.start] = (sum(lemma in lex.pound_mass_cues for lemma in lemmas),
                                 sum(lemma in lex.pound_money_cues for lemma in lemmas))
    mass, money = cache[sentence.start]
    if _MASS_OF.match(text, end):
        mass += 1  # "200 pounds of cocaine"
    return mass > money


def _after_glued_currency(text: str, lex: FigureLexicon) -> list[NumberMention]:
    """Amounts glued to a currency written in letters: "RM5 billion", "Rs500 crore", "USD115.5". The number
    scanner does not read digits glued to letters (identifiers), so these are read here."""
    codes = sorted({s.text for s in lex.currency_before if s.text[-1:].isalpha()}, key=len, reverse=True)
    pattern = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(map(re.escape, codes))})(?=\d)")
    found = []
    for m in pattern.finditer(text):
        following = find_numbers(text[m.end() : m.end() + 40])
        if following and following[0].start == 0:
            mention = following[0]
            found.append(replace(mention, start=m.end(), end=m.end() + mention.end))
    return found


def _currency_of_range_start(text: str, start: int, lex: FigureLexicon) -> Surface | None:
    """The currency symbol of a range's low end when the number at `start` is its high end: "£2-3m",
    "$5 to 6bn". The high end's span is not widened: the symbol belongs to the low end."""
    m = re.search(r"(\d[\d.,]*)(?:[a-z]{1,2})?\s*(?:-|–|to)\s*$", text[max(0, start - 24) : start])
    if m is None:
        return None
    low_start = start - (len(text[max(0, start - 24) : start]) - m.start(1))
    found = _currency_before(text, low_start, lex)
    return found[1] if found is not None else None


def _named_quantities(text: str, lex: FigureLexicon) -> list[NumberMention]:
    """Phrases that state a quantity by name ("at absolute zero"), from units.yaml's named_quantities."""
    found = []
    for phrase, (value, _unit) in lex.named_quantities.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text, re.IGNORECASE):
            found.append(NumberMention(m.start(), m.end(), value, "words"))
    return found


_SCALE_LETTER = re.compile(r"[ \u00a0]?([A-Za-z]{1,2})\b")
_LETTER_THEN_SPACE = re.compile(r"([A-Za-z]{1,2})(?=[ \u00a0])")
_SCALE_WORD = re.compile(r"[ \u00a0]([a-z]+)\b")
_LINKING_WORD_END = re.compile(r"(?:\b(?:is|was|were|are|be|of|at|reached|totalled|totaled)|:)$", re.IGNORECASE)


def _read(text: str, doc: Doc, number: NumberMention, lex: FigureLexicon, taken_until: int = 0) -> _Candidate | None:
    """Read the figure around `number`. Text before `taken_until` belongs to the figure before ("10 rmb 20
    usd": "rmb" is the first amount's currency, not the second's)."""
    start, end = number.start, number.end
    named = lex.named_quantities.get(text[start:end].lower())
    if named is not None:
        return _Candidate(start, end, number, named[0], kind=named[1].kind, unit=named[1].name, unit_dimension=named[1].dimension)
    value = number.value
    kind, unit_name, dimension = "number", None, None
    money_before = _currency_before(text, start, lex)
    if money_before is not None and money_before[0] < taken_until:
        money_before = None
    range_currency = _currency_of_range_start(text, start, lex) if money_before is None else None
    if range_currency is not None:
        money_before = (start, range_currency)  # "£2-3m": the high end is in pounds too
    if money_before is not None:
        start, surface = money_before
        kind, unit_name = "money", surface.unit.name
        value *= surface.scale  # "MAUD 60"
        # "$10M", "€3.5m", "$2.174T": single-letter scales only in money
        sm = _SCALE_LETTER.match(text, end)
        if number.written == "digits" and sm and sm.group(1) in number_lexicon().money_scale_letters:
            value *= number_lexicon().money_scale_letters[sm.group(1)]
            end = sm.end()
    # "minus five percent", "negative 3"
    sign_word = re.search(r"(?:^|(?<=\s))(minus|negative)\s+$", text[max(0, start - 10) : start], re.IGNORECASE)
    if sign_word and value > 0:
        value = -value
        start -= len(sign_word.group())
    read = _unit_after(text, end, money=kind == "money", lex=lex)
    if read is not None and number.plain_integer and text[end : read.end] == "s":
        return None  # "the under-16s", "in their 30s": a plural of the number (an age band), not seconds
    if kind != "money" and number.written == "digits":
        # "143m euros", "2bn yen": a money scale letter, then the currency's name
        letter = _LETTER_THEN_SPACE.match(text, end)
        if letter and letter.group(1) in number_lexicon().money_scale_letters:
            money_read = _unit_after(text, letter.end(), money=True, lex=lex)
            if money_read is not None and money_read.unit.kind == "money":
                value *= number_lexicon().money_scale_letters[letter.group(1)]
                read = money_read
    if read is not None and kind != "money" and read.unit.name == "GBP" and _pound_is_mass(text, doc, end, read.end, lex):
        read = _UnitRead(read.end, lex.measures["pound"], "pound")
    if read is None:
        if kind == "money":
            end, unit_name = _denominators(text, end, unit_name, lex)  # "$15.4/hour", "$350 per kg"
    elif kind == "money":
        if read.unit.name == unit_name:
            end = read.end  # a currency written on both sides: "$5 USD"
    else:
        kind, unit_name, dimension, end = read.unit.kind, read.name, read.unit.dimension, read.end
        value *= read.scale  # "30 MUSD"
    if kind == "money" and number.written == "digits":
        # "75 USD million": a scale word after the currency code
        scale = _SCALE_WORD.match(text, end)
        if scale and scale.group(1) in number_lexicon().scales:
            value *= number_lexicon().scales[scale.group(1)]
            end = scale.end()
    # Accounting negatives: "revenue is ($99.99)" is minus 99.99. Only after a linking word, so that an
    # amount restated in brackets ("€10m ($11m)") keeps its sign.
    if kind == "money" and start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")" and value > 0:
        # The linking word ends at the last non-space character before the bracket (no longer than 8 letters).
        word_end = doc_index(doc).previous_nonspace(start - 1) + 1
        if _LINKING_WORD_END.search(text[max(0, word_end - 12) : word_end]):
            value = -value
    return _Candidate(start, end, number, value, kind=kind, unit=unit_name, unit_dimension=dimension, vague=number.vague)


def _attachcounted_noun(doc: Doc, candidate: _Candidate) -> _Candidate:
    if candidate.kind != "number":
        return candidate
    noun = counted_noun(doc, candidate.end)
    if noun is None or noun.idx < candidate.end or doc_index(doc).has_newline(candidate.end, noun.idx):
        return candidate
    if re.fullmatch(r"[A-Za-z]{0,3}[-–]?\d+[A-Za-z]*", noun.text) or not any(c.isalpha() for c in noun.text):
        return candidate  # "24703 L-202": a code, not a counted noun ("9,000 under-18s" is); "%" is not a noun
    span = _tokens(doc, candidate.start, candidate.end)
    first = span[-1].i + 1 if span is not None and len(span) else noun.i
    if doc[first].lower_ == "of":
        first += 1
    _, unit, object_text = noun_phrase_words(doc, noun, first)
    end = noun.idx + len(noun.text)
    # "four times per week", "3 cases per 1,000 people" -> "times per week"
    end, unit = _denominators(text_of(doc), end, unit, figure_lexicon())
    return replace(candidate, kind="count", unit=unit, object=object_text, end=end, noun_token=noun.i)


def _article_units(text: str, lex: FigureLexicon) -> list[NumberMention]:
    """'a gallon of beer', 'a penny': the article is the number one, read only before the units listed in
    units.yaml's article_units (its span is the article; the unit is read after it like any other)."""
    words = "|".join(sorted((re.escape(w) for w in lex.article_units), key=len, reverse=True))
    pattern = re.compile(rf"\b(an?)\s+(?=(?:{words})\b)", re.IGNORECASE)
    return [NumberMention(m.start(1), m.end(1), 1.0, "words") for m in pattern.finditer(text)]


def _drop_juxtaposed(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
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


def _minor_ratio(major: _Candidate, minor_unit: str | None, lex: FigureLexicon) -> float | None:
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


def _join_mixed_units(text: str, candidates: list[_Candidate], lex: FigureLexicon) -> list[_Candidate]:
    """'5 ft 2 in', '6 feet and 2 inches', '3 dollars 50 cents', '15 dollars 50.' -> one amount in the
    larger unit. A bare number as the second part is read only at the end of a clause ("he is 6ft 2.")."""
    joined: list[_Candidate] = []
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
                    surface = _match_surface(text, at, [s for s in lex.after if s.unit.name == wanted])
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
    before = _last_tokens_before(doc, start, 3)
    while before and before[-1].lower_ in ("by", "from", "some", "about", "around", "nearly", "almost", "roughly", "just", "over", "more", "than", "a", "further", "another"):
        before = before[:-1]
    if not before:
        return False
    word = before[-1]
    return word.pos_ in ("VERB", "ADV", "ADP", "NOUN", "AUX") and any(word.lemma_.lower() in lemmas for lemmas in lex.change.values())


def _scale_of(text: str, candidate: _Candidate) -> float:
    """The scale word or letter a figure was written with: "30bn" -> 1e9, "3 million" -> 1e6, "40" -> 1."""
    digits = re.match(r"\d[\d,]*(?:\.\d+)?", text[candidate.number.start : candidate.number.end])
    if digits is None:
        return 1.0
    base = float(digits.group().replace(",", ""))
    ratio = abs(candidate.value) / base if base else 1.0
    return next((scale for scale in (1e3, 1e5, 1e6, 1e7, 1e9, 1e12) if math.isclose(ratio, scale, rel_tol=1e-9)), 1.0)


def _merge_ranges(text: str, candidates: list[_Candidate], doc: Doc, lex: FigureLexicon) -> list[_Candidate]:
    """'25 to 40 miles', 'between 10,000 and 12,000', '3.5–4.0 TeV', '8- to 16-meter' -> one ranged figure.

    'X and Y unit' without 'between' is a list, not a range: X takes Y's unit ('45 and 50 mg')."""
    merged: list[_Candidate] = []
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


_OF_AFTER = re.compile(r"\s+of\b")


def _keep(candidate: _Candidate, text: str, lines: _Lines) -> bool:
    number = candidate.number
    # A bare "one" is a pronoun or an article in prose ("one of the", "no one"), not a figure.
    if candidate.kind == "number" and number.written == "words" and number.value == 1 and candidate.value_max is None:
        return False
    if number.written == "words" and number.value == 1 and _OF_AFTER.match(text, number.end):
        return False  # "one of the largest companies"
    # "the top 40", "a top-four spot": a rank, not a quantity
    if candidate.kind in ("number", "count") and re.search(r"\btop(?:-|\s+)$", text[max(0, candidate.start - 5) : candidate.start], re.IGNORECASE):
        if candidate.kind == "number" or text[candidate.start - 1] == "-":
            return False
    # "6-3", "won 2-1", "(7-4)": a bare pair of small whole numbers joined by a hyphen is a score or a tally
    if candidate.kind == "number" and candidate.value_max is not None and re.fullmatch(r"\d{1,2}[-–]\d{1,2}", text[number.start : candidate.end]):
        return False
    # "a half-decent mark", "a half-hearted effort": a fraction word inside a compound adjective
    if candidate.kind == "number" and number.written == "words" and number.fraction and re.match(r"-[a-z]", text[number.end : number.end + 2]):
        return False
    # Numbers on a line without words are counters and page furniture, unless they carry a unit.
    if candidate.kind == "number" and not lines.has_words(number.start):
        return False
    return True


def _refers_back(text: str, candidate: _Candidate, lex) -> bool:
    """'the two countries', 'all three men': a small count in words after a determiner names things already
    mentioned instead of reporting a quantity."""
    number = candidate.number
    if candidate.kind != "count" or number.written != "words" or candidate.value > lex.referring_max_value:
        return False
    before = re.search(r"(\w+)\s+$", text[max(0, number.start - 20) : number.start])
    return before is not None and before.group(1).lower() in lex.referring_determiners


def find_figures(doc: Doc, entities: Sequence[Entity]) -> list[Figure]:
    """All figures of an article, in text order. `doc` is the one spaCy parse of `clean.text`."""
    index = doc_index(doc)
    text = index.text
    lex = figure_lexicon()
    lines = _Lines(index, lex)
    mentions = _Mentions(entities)
    is_excluded = overlap_test(_excluded_spans(text, lex))
    candidates: list[_Candidate] = []
    model_numbers = _model_numbers(text, doc, mentions)
    # A named quantity ("absolute zero") is read before the number word inside it ("zero").
    numbers = find_numbers(text) + _article_units(text, lex) + _named_quantities(text, lex) + _after_glued_currency(text, lex)
    for number in sorted(numbers, key=lambda m: (m.start, -(m.end - m.start))):
        if is_excluded(number.start, number.end):
            continue
        if (_glued_identifier(text, number) and _currency_before(text, number.start, lex) is None) or _is_furniture(text, number, lex, lines):
            continue
        if candidates and number.start < candidates[-1].end:
            continue  # already read as part of the figure before ("$2 a barrel")
        candidate = _read(text, doc, number, lex, candidates[-1].end if candidates else 0)
        if candidate is None:
            continue
        if number.written == "words" and number.end - number.start <= 2 and candidate.kind == "number":
            continue  # "a"/"an" without a unit after it
        # A measure is in a name only when the name is longer than the whole figure: spaCy tags "5,000mAh" ORG.
        name_span = (candidate.start, candidate.end) if candidate.kind in ("measure", "percent") else (number.start, number.end)
        if candidate.kind != "money" and (_in_name(doc, *name_span, mentions) or _age_after_name(text, doc, number)):
            continue
        if number.written == "words" and _capitalised_in_prose(doc, number.start):
            continue  # "the Six Nations", "BBC One", "One Direction"
        unit_word = re.match(r"[ \u00a0-]?([A-Z][a-z]{2,})\b", text[number.end : candidate.end]) if candidate.kind in ("money", "measure") else None
        first = _tokens(doc, number.start, number.end)
        if unit_word and _capitalised_in_prose(doc, number.end + unit_word.start(1)) and not (first is not None and len(first) and first[0].is_sent_start):
            continue  # "50 Cent", "the 2000 Millennium Declaration": a capitalised unit word inside a sentence is a name
        if candidate.kind in ("number",) and _is_calendar(text, doc, number):
            continue
        if candidate.kind == "measure" and candidate.value_max is None and names_event(text, candidate.end, candidate.unit, lex):
            continue  # "the 100m final", "over 60m hurdles": the name of a race, not a length
        if candidate.kind == "number" and _after_proper_name(doc, number):
            continue
        if candidate.kind == "number" and text[number.start : number.end] in model_numbers:
            continue  # "the new 777 in Seattle" after "Boeing 777" or "777-200LR" in the same article
        # Letters glued after the digits that are not a unit or scale: an identifier ("5G", "3D").
        if number.written == "digits" and candidate.end == number.end and re.match(r"[A-Za-z]", text[number.end : number.end + 1]):
            continue
        candidates.append(candidate)
    candidates = _drop_juxtaposed(text, candidates)
    candidates = _join_mixed_units(text, candidates, lex)
    candidates = _merge_ranges(text, candidates, doc, lex)
    figures: list[Figure] = []
    claims = _Claims(mentions, _EarlierClaims(), _NamedHeads(doc))
    for candidate in candidates:
        candidate = _attachcounted_noun(doc, candidate)
        if candidate.kind == "count" and candidate.number.plain_integer and 1000 <= candidate.value <= 2100 and _in_date(doc, candidate.number.start, candidate.number.end):
            continue  # "Russia's 2022 invasion"
        if candidate.kind == "count" and candidate.unit and candidate.unit.split()[-1] in lex.counter_nouns:
            continue
        if _refers_back(text, candidate, lex):
            continue
        if not _keep(candidate, text, lines):
            continue
        hedge = _best_hedge(text, candidate.start, lex)
        start, end, hedge_name = candidate.start, candidate.end, None
        if hedge is not None:
            start, hedge_name = hedge
        else:
            after = _hedge_after(text, end, lex)
            if after is not None:
                end, hedge_name = after
        change = _change(doc, start, lex, candidate.kind)
        obj = candidate.object if candidate.kind == "count" else object_of(doc, candidate.start, candidate.end)
        claim = _claim_for(doc, candidate.start, candidate.end, claims)
        claimant = None
        if claim is not None:
            claims.earlier.append(claim)
            claimant = Claimant(
                name=claim.name,
                mention=Span(text=text[claim.start : claim.end], start=claim.start, end=claim.end),
                entity_id=claim.entity_id,
            )
        figures.append(
            Figure(
                text=text[start:end],
                start=start,
                end=end,
                value=candidate.value,
                value_max=candidate.value_max,
                kind=candidate.kind,
                unit=candidate.unit,
                object=obj,
                hedge=hedge_name,
                change=change,
                vague=candidate.vague,
                claimant=claimant,
            )
        )
    return figures
