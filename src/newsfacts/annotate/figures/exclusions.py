"""Which numbers are not figures, and why.

Calendar dates and years, clock times, ordinals, phone numbers, numbers inside names and identifiers ("World
War II", "F-16", "Voyager 2", a model number used again in the same article), ages ("a 22-year-old", "16 to
35-year-olds", "aged 45") and ages in apposition ("John Smith, 45,"), age brackets ("twenty-something", "20-somethings"), distances that name a sporting event ("the 100m
final", "over 60m hurdles": the event is run over that distance; nothing in the sentence measures 100 metres),
counters and other page furniture, ranks ("the top 40", "at number 11 and 12"), scores, small counts that
refer back ("the two countries", "the firm's two main shareholders") and "one" without a scale word ("one
of the", "one reason"). Patterns are found on the raw text first (`excluded_spans`); the rest are
tests on one number or one candidate figure. The word lists are data (`data/units.yaml`, `sporting_events`;
`data/figure_furniture.yaml`).
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span as SpacySpan, Token

from newsfacts.annotate.doc_index import DocIndex, doc_index, text_of
from newsfacts.annotate.figures.context import Mentions, doc_cache, tokens_at
from newsfacts.annotate.figures.lexicon import FigureLexicon, figure_lexicon
from newsfacts.annotate.figures.nouns import counted_noun
from newsfacts.annotate.figures.numbers import NumberMention, find_numbers, number_lexicon
from newsfacts.annotate.figures.read import Candidate
from newsfacts.annotate.figures.units import match_surface, symbol_product
from newsfacts.calendar_patterns import MONTH_NAMES


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


_UNITS_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_AGE_NUMBER = (
    rf"(?:\d{{1,3}}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\u2010\u2011 ](?:{_UNITS_WORDS}))?"
    rf"|{_UNITS_WORDS}|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen)"
)
_AGE_RANGE = rf"{_AGE_NUMBER}(?:\s*-?\s*(?:to|and|or|-|–)\s*{_AGE_NUMBER})?"
# Ages are not figures: "a 22-year-old", "16 to 35-year-olds", "16- to 35-year-old", "aged 45", "aged
# between 16 and 35", "six years old", "an 18-month-old".
AGE = re.compile(
    rf"(?<![\w.,]){_AGE_RANGE}[-\u2010\u2011 ](?:year|month|week)s?[-\u2010\u2011 ]olds?\b"
    rf"|\baged\s+(?:between\s+)?{_AGE_RANGE}(?![\d.,]*\d)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4)
def _idiom_patterns(idioms: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    # one pattern per idiom, not one alternation: two idioms may overlap, and each must find its own matches
    return tuple(re.compile(rf"(?<![\w/]){re.escape(idiom)}(?![\w/])", re.IGNORECASE) for idiom in idioms)


def excluded_spans(text: str, lex: FigureLexicon) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for pattern in (*_NOT_FIGURE_PATTERNS, AGE_BRACKET, AGE) for m in pattern.finditer(text)]
    for pattern in _idiom_patterns(lex.idioms):
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    spans.extend((m.start(1), m.end(1)) for m in _label_pattern(lex.label_words, True).finditer(text))
    spans.extend((m.start(1), m.end(1)) for m in _label_pattern(lex.capitalised_label_words, False).finditer(text))
    return spans


@functools.lru_cache(maxsize=1)
def _label_pattern(label_words: tuple[str, ...], any_case: bool) -> re.Pattern:
    """A label word and the numbers it labels: "version 1.0", "number two", "Category 5", "number 11 and 12"."""
    numbers = number_lexicon()
    words = sorted(list(numbers.units) + list(numbers.tens), key=len, reverse=True)
    labels = "|".join(re.escape(w) for w in sorted(label_words, key=len, reverse=True))
    number = rf"\d+(?:\.\d+)*[a-z]?|(?i:{'|'.join(words)})(?:[-\s](?i:{'|'.join(words)}))?"
    label = f"(?i:{labels})" if any_case else f"(?:{labels})"
    # A label may carry a list: "at number 11 and 12", "stages 3, 4 or 5"; a later member followed by a
    # noun is a quantity of its own ("level 4 and 3 people").
    member = rf"(?:,\s+|\s+(?:and|or|&)\s+)(?:{number})(?![\w%]|[.,]\d|\s+(?!(?:respectively|in|on|at|and|or|to|for)\b)[a-z])"
    return re.compile(rf"(?<![\w.]){label}\s+((?:{number})(?:{member})*)(?![\w%]|[.,]\d)")


class Lines:
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


def is_furniture(text: str, number: NumberMention, lex: FigureLexicon, lines: Lines) -> bool:
    if lines.is_furniture(number.start):
        return True
    following = _WORD_AFTER.match(text, number.end)
    return bool(following and following.group(1).lower() in lex.counter_nouns)


def glued_identifier(text: str, number: NumberMention) -> bool:
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
        if match_surface(text, at, figure_lexicon().after, glued=True) is None and symbol_product(text, at, figure_lexicon()) is None:
            return True
    # "scp2-173m", "A4-210": the number continues a code that mixes letters and digits
    code = re.search(r"([A-Za-z0-9]+)[-–/]$", text[max(0, number.start - 20) : number.start])
    if code and re.search(r"[A-Za-z]", code.group(1)) and re.search(r"\d", code.group(1)):
        return True
    return False


def in_name(doc: Doc, start: int, end: int, mentions: Mentions) -> bool:
    ent = doc_index(doc).ent_containing(start, end)
    if ent is not None and ent.label_ in NAME_LABELS and ent.end_char - ent.start_char > end - start:
        return True
    return mentions.contains(start, end)


def in_date(doc: Doc, start: int, end: int) -> bool:
    ent = doc_index(doc).ent_containing(start, end)
    return ent is not None and ent.label_ in ("DATE", "TIME")


def is_calendar(text: str, doc: Doc, number: NumberMention) -> bool:
    """A day of the month or a year."""
    if not number.plain_integer:
        return False
    value = number.value
    if 1 <= value <= 31 and (_MONTH_BEFORE.search(text[max(0, number.start - 12) : number.start]) or _MONTH_AFTER.match(text[number.end : number.end + 16])):
        return True
    if 1000 <= value <= 2100 and number.end - number.start == 4:
        before = text[max(0, number.start - 12) : number.start].lower()
        if in_date(doc, number.start, number.end) or re.search(r"\b(in|since|by|until|till|from|of|year|during|before|after|early|late|mid|circa)\s*-?$", before):
            return True
        if re.search(rf"\b(?:{MONTH_NAMES}|{_WEEKDAYS})\.?,?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?$", before, re.IGNORECASE):
            return True
        if _YEAR_BEFORE.search(text[max(0, number.start - 16) : number.start]) and counted_noun(doc, number.end) is None:
            return True  # "from 2009 to 2013", "in 2009 and 2010": the second year of a pair of years
    return False


def after_proper_name(doc: Doc, number: NumberMention) -> bool:
    """'Boeing 737 Max', 'Apollo 11', 'Route 66', 'Voyager 2': a plain integer right after a capitalised
    proper noun, with no unit or counted noun of its own, is part of the name."""
    text = text_of(doc)
    if not (number.plain_integer or re.fullmatch(r"\d+\.\d+", text[number.start : number.end])):
        return False  # "Boeing 737", and versions: "Firefox 1.0"
    span = tokens_at(doc, number.start, number.end)
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


def capitalised_in_prose(doc: Doc, start: int) -> bool:
    """A capitalised word inside a sentence of prose: "the Six Nations", "BBC One", "50 Cent", "Million Dollar
    Baby" are names. Not at the start of a sentence or a quotation, and not in a title-case line."""
    span = tokens_at(doc, start, start + 1)
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
    cache = doc_cache(sentence.doc, "word_counts")
    if sentence.start not in cache:
        words = [t for t in sentence if _is_long_word(t)]
        cache[sentence.start] = (len(words), sum(t.text[:1].islower() for t in words))
    return cache[sentence.start]


def model_numbers_of(text: str, doc: Doc, mentions: Mentions) -> frozenset[str]:
    """Numbers of three or more digits that the article uses as a name or model ("Boeing 777", "777-200LR",
    "A380"): elsewhere in the same article the bare number is the model ("the new 777"), not a quantity."""
    names = set()
    for number in find_numbers(text):
        digits = text[number.start : number.end]
        if not number.plain_integer or len(digits) < 3 or number.value % 100 == 0 or 1000 <= number.value <= 2100:
            continue
        if glued_identifier(text, number) or after_proper_name(doc, number) or in_name(doc, number.start, number.end, mentions):
            names.add(digits)
    for m in re.finditer(r"(?<=[A-Z])(\d{3,})(?![\d,.])", text):
        names.add(m.group(1))  # "A380", "B777"
    return frozenset(names)


_COMMA_OR_BRACKET_AFTER = re.compile(r"\s*[,)]")


def age_after_name(text: str, doc: Doc, number: NumberMention) -> bool:
    """'John Smith, 45,' : an age in apposition to a person (bylines, captions)."""
    if not number.plain_integer or not (1 <= number.value <= 120):
        return False
    index = doc_index(doc)
    before = index.previous_nonspace(number.start)  # text[: number.start] ends with "," and spaces?
    if not _COMMA_OR_BRACKET_AFTER.match(text, number.end) or before < 0 or text[before] != ",":
        return False
    ent = index.ent_containing(before - 1, before) if before > 0 else None
    return ent is not None and ent.label_ == "PERSON" and ent.end_char == before


_OF_AFTER = re.compile(r"\s+of\b")


def stands_as_figure(candidate: Candidate, text: str, lines: Lines) -> bool:
    number = candidate.number
    # A bare "one" is a pronoun or an article in prose ("one of the", "no one"), not a figure.
    if candidate.kind == "number" and number.written == "words" and number.value == 1 and candidate.value_max is None:
        return False
    if number.written == "words" and number.value == 1 and _OF_AFTER.match(text, number.end):
        return False  # "one of the largest companies"
    # "one spot", "one reason", "only one joint venture": a single thing named, not a quantity reported
    # (with a scale word it is one: "one million"; a measure or an amount keeps it: "one metre", "one dollar").
    if candidate.kind == "count" and number.written == "words" and candidate.value == 1 and candidate.value_max is None:
        return False
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


def refers_back(text: str, candidate: Candidate, lex) -> bool:
    """'the two countries', 'all three men', "the firm's two main shareholders": a small count in words after
    a determiner or a possessive names things already mentioned instead of reporting a quantity."""
    number = candidate.number
    if candidate.kind != "count" or number.written != "words" or candidate.value > lex.referring_max_value:
        return False
    before = re.search(r"([\w'’]+)\s+$", text[max(0, number.start - 30) : number.start])
    if before is None:
        return False
    word = before.group(1).lower()
    # A possessive is a referring determiner too: "the firm's two main shareholders", "the players' three goals".
    return word in lex.referring_determiners or word.endswith(("'s", "’s", "s'", "s’"))


# "twenty-something", "20-somethings", "thirtysomething", "forty something": an age bracket.
AGE_BRACKET = re.compile(
    r"(?<![\w-])(?:\d0|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\u2010\u2011 ]?somethings?\b",
    re.IGNORECASE,
)


_SPACE = re.compile(r"[ \u00a0-]?")


def names_event(text: str, end: int, unit: str | None, lex: FigureLexicon) -> bool:
    """Whether a length ending at `end` in `unit` is followed by an event word ("60m hurdles")."""
    if unit not in lex.event_distance_units:
        return False
    at = _SPACE.match(text, end).end()
    following = text[at : at + 24].lower()
    return any(
        following.startswith(word) and not following[len(word) : len(word) + 1].isalpha()
        for word in lex.event_words
    )
