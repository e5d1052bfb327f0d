"""Reading one figure around a number: the currency before it, a sign word, the unit or money scale after it,
and for a bare number the noun it counts (`Candidate` is the figure being assembled). Also the numbers the
scanner of `numbers.py` does not give: a unit's article ("a gallon"), named quantities ("absolute zero") and
amounts glued to a currency code ("RM5 billion").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from newsfacts.annotate.doc_index import doc_index, text_of
from newsfacts.annotate.figures.context import tokens_at
from newsfacts.annotate.figures.lexicon import FigureLexicon, figure_lexicon
from newsfacts.annotate.figures.nouns import counted_noun, noun_phrase_words
from newsfacts.annotate.figures.numbers import NumberMention, find_numbers, number_lexicon
from newsfacts.annotate.figures.units import (
    UnitRead,
    currency_before,
    currency_of_range_start,
    denominators,
    pound_is_mass,
    unit_after,
)


@dataclass(frozen=True)
class Candidate:
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


def after_glued_currency(text: str, lex: FigureLexicon) -> list[NumberMention]:
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


def named_quantities(text: str, lex: FigureLexicon) -> list[NumberMention]:
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


def read_candidate(text: str, doc: Doc, number: NumberMention, lex: FigureLexicon, taken_until: int = 0) -> Candidate | None:
    """Read the figure around `number`. Text before `taken_until` belongs to the figure before ("10 rmb 20
    usd": "rmb" is the first amount's currency, not the second's)."""
    start, end = number.start, number.end
    named = lex.named_quantities.get(text[start:end].lower())
    if named is not None:
        return Candidate(start, end, number, named[0], kind=named[1].kind, unit=named[1].name, unit_dimension=named[1].dimension)
    value = number.value
    kind, unit_name, dimension = "number", None, None
    money_before = currency_before(text, start, lex)
    if money_before is not None and money_before[0] < taken_until:
        money_before = None
    range_currency = currency_of_range_start(text, start, lex) if money_before is None else None
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
    read = unit_after(text, end, money=kind == "money", lex=lex)
    if read is not None and number.plain_integer and text[end : read.end] == "s":
        return None  # "the under-16s", "in their 30s": a plural of the number (an age band), not seconds
    if kind != "money" and number.written == "digits":
        # "143m euros", "2bn yen": a money scale letter, then the currency's name
        letter = _LETTER_THEN_SPACE.match(text, end)
        if letter and letter.group(1) in number_lexicon().money_scale_letters:
            money_read = unit_after(text, letter.end(), money=True, lex=lex)
            if money_read is not None and money_read.unit.kind == "money":
                value *= number_lexicon().money_scale_letters[letter.group(1)]
                read = money_read
    if read is not None and kind != "money" and read.unit.name == "GBP" and pound_is_mass(text, doc, end, read.end, lex):
        read = UnitRead(read.end, lex.measures["pound"], "pound")
    if read is None:
        if kind == "money":
            end, unit_name = denominators(text, end, unit_name, lex)  # "$15.4/hour", "$350 per kg"
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
    return Candidate(start, end, number, value, kind=kind, unit=unit_name, unit_dimension=dimension, vague=number.vague)


def attach_counted_noun(doc: Doc, candidate: Candidate) -> Candidate:
    if candidate.kind != "number":
        return candidate
    noun = counted_noun(doc, candidate.end)
    if noun is None or noun.idx < candidate.end or doc_index(doc).has_newline(candidate.end, noun.idx):
        return candidate
    if re.fullmatch(r"[A-Za-z]{0,3}[-–]?\d+[A-Za-z]*", noun.text) or not any(c.isalpha() for c in noun.text):
        return candidate  # "24703 L-202": a code, not a counted noun ("9,000 under-18s" is); "%" is not a noun
    span = tokens_at(doc, candidate.start, candidate.end)
    first = span[-1].i + 1 if span is not None and len(span) else noun.i
    if doc[first].lower_ == "of":
        first += 1
    _, unit, object_text = noun_phrase_words(doc, noun, first)
    end = noun.idx + len(noun.text)
    # "four times per week", "3 cases per 1,000 people" -> "times per week"
    end, unit = denominators(text_of(doc), end, unit, figure_lexicon())
    return replace(candidate, kind="count", unit=unit, object=object_text, end=end, noun_token=noun.i)


def points_as_percentage(doc: Doc, candidate: Candidate, lex: FigureLexicon) -> Candidate:
    """'The margin of error is between 2.5 and 4 points', 'the lead fell 4 points to 36%': a count of bare
    "points" is a change in percentage points when its sentence speaks of shares or polls (`point_contexts`
    in units.yaml); elsewhere ("scored 25 points") it stays a count."""
    if candidate.kind != "count" or (candidate.unit or "") not in lex.bare_points:
        return candidate
    tokens = tokens_at(doc, candidate.number.start, candidate.number.end)
    if tokens is None or not len(tokens):
        return candidate
    sentence = tokens[0].sent.text.lower()
    if not any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)" if word[-1:].isalpha() else re.escape(word), sentence) for word in lex.point_contexts):
        return candidate
    return replace(candidate, kind="percentage_points", unit="percentage point", object=None)


_ELIDED_BETWEEN = re.compile(r"\s+(?:to|against|versus|vs\.?)\s+")


def elided_count(text: str, candidate: Candidate, before: Candidate | None) -> Candidate:
    """'by 297 votes to 203': a bare number right after 'N nouns to' counts the same nouns (the sentence
    elides them); it keeps its own span."""
    if candidate.kind != "number" or candidate.vague or before is None or before.kind != "count" or not before.unit:
        return candidate
    gap = _ELIDED_BETWEEN.fullmatch(text, before.end, candidate.start)
    if gap is None:
        return candidate
    return replace(candidate, kind="count", unit=before.unit, object=before.object)


def article_units(text: str, lex: FigureLexicon) -> list[NumberMention]:
    """'a gallon of beer', 'a penny': the article is the number one, read only before the units listed in
    units.yaml's article_units (its span is the article; the unit is read after it like any other)."""
    words = "|".join(sorted((re.escape(w) for w in lex.article_units), key=len, reverse=True))
    pattern = re.compile(rf"\b(an?)\s+(?=(?:{words})\b)", re.IGNORECASE)
    return [NumberMention(m.start(1), m.end(1), 1.0, "words") for m in pattern.finditer(text)]
