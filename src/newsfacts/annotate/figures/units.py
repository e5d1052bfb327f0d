"""Units and currencies around a number: a currency symbol or code before it, a unit after it (with its power,
"per" denominators and products of SI symbols such as "kW·h"), and whether "pounds" is money or mass.

The surfaces are data (`data/units.yaml`, loaded by `lexicon.py`); this module only reads them at a position
of the text, longest surface first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from newsfacts.annotate.figures.context import doc_cache, tokens_at
from newsfacts.annotate.figures.lexicon import FigureLexicon, Surface, Unit


def match_surface(text: str, position: int, surfaces: Sequence[Surface], glued: bool = False) -> Surface | None:
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


def currency_before(text: str, start: int, lex: FigureLexicon) -> tuple[int, Surface] | None:
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
class UnitRead:
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


def unit_after(text: str, end: int, money: bool, lex: FigureLexicon) -> UnitRead | None:
    """Read a unit (with power and 'per' denominators) starting right after the number."""
    m = _UNIT_GAP.match(text, end)
    position = m.end() if m else end
    power = 0
    pm = _POWER_WORD.match(text, position)
    if pm:
        power = lex.power_words[pm.group(1).lower()]
        position = pm.end()
    surface = match_surface(text, position, lex.after, glued=position == end)
    product = None if money else symbol_product(text, position, lex, glued=position == end)
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
    stop, name = denominators(text, stop, name, lex)
    if unit.kind == "measure" and re.match(r"[A-Za-z0-9]|-\d", text[stop : stop + 2]):
        return None  # "24703m212", "24703 L-202": a symbol inside a part number or code, not a unit
    if unit.kind == "money" and surface is not None and not surface.text[-1].isalpha() and _DIGIT_AFTER.match(text, stop):
        return None  # "1 $10 bill": the symbol belongs to the amount after it
    return UnitRead(stop, unit, name, surface.scale if surface is not None else 1.0)


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


def symbol_product(text: str, position: int, lex: FigureLexicon, glued: bool = True) -> tuple[int, str, Unit] | None:
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


def denominators(text: str, stop: int, name: str, lex: FigureLexicon) -> tuple[int, str]:
    """Denominators: "per hour", "/hour", "a day", "/kg"."""
    while True:
        dm = _PER.match(text, stop)
        if not dm:
            break
        denominator = match_surface(text, dm.end(), [s for s in lex.after if s.unit.kind == "measure"])
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


_MASS_OF = re.compile(r"\s+of\s+(?!the\b|their\b|its\b|his\b|her\b|public\b|taxpayers)")


def pound_is_mass(text: str, doc: Doc, start: int, end: int, lex: FigureLexicon) -> bool:
    """Whether "pound(s)" at text[start:end] is the mass: British copy means money, American copy the
    weight ("lost 25 pounds", "a 2,204-pound load"). The sentence's words decide (units.yaml pound_context)."""
    if not re.fullmatch(r"[\s-]*pounds?", text[start:end], re.IGNORECASE):
        return False  # "£5", "quid", "pounds sterling" are money
    span = tokens_at(doc, start, end)
    if span is None or not len(span):
        return False
    sentence = span[0].sent
    cache = doc_cache(doc, "pound_cues")
    if sentence.start not in cache:
        lemmas = [t.lemma_.lower() for t in sentence] + [t.lower_ for t in sentence]
        cache[sentence.start] = (sum(lemma in lex.pound_mass_cues for lemma in lemmas),
                                 sum(lemma in lex.pound_money_cues for lemma in lemmas))
    mass, money = cache[sentence.start]
    if _MASS_OF.match(text, end):
        mass += 1  # "200 pounds of cocaine"
    return mass > money


def currency_of_range_start(text: str, start: int, lex: FigureLexicon) -> Surface | None:
    """The currency symbol of a range's low end when the number at `start` is its high end: "£2-3m",
    "$5 to 6bn". The high end's span is not widened: the symbol belongs to the low end."""
    m = re.search(r"(\d[\d.,]*)(?:[a-z]{1,2})?\s*(?:-|–|to)\s*$", text[max(0, start - 24) : start])
    if m is None:
        return None
    low_start = start - (len(text[max(0, start - 24) : start]) - m.start(1))
    found = currency_before(text, low_start, lex)
    return found[1] if found is not None else None
