"""The data behind figure extraction, loaded once: units, currencies, percent words, hedges, furniture.

All of it lives in `data/units.yaml`, `data/figure_hedges.yaml` and `data/figure_furniture.yaml`; this
module only turns those files into lookup tables (longest surface first, so "km/h" wins over "km").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath(name).read_text("utf-8"))


@dataclass(frozen=True)
class Unit:
    name: str  # published unit name: "kilometre", "USD", "percent"
    kind: str  # measure / money / percent / percentage_points
    dimension: str | None = None
    time: bool = False


@dataclass(frozen=True)
class Surface:
    """One way a unit is written: `text` compared case-sensitively or not."""

    text: str
    unit: Unit
    case_sensitive: bool
    # Only a unit when written against the number: "40C" is Celsius, "40 C" is not read.
    glued_only: bool = False


@dataclass(frozen=True)
class FigureLexicon:
    # Surfaces that may follow a number, longest first.
    after: tuple[Surface, ...]
    # Currency symbols that may precede a number ("$", "US$", "€"), longest first.
    currency_before: tuple[Surface, ...]
    ambiguous_symbols: dict[str, tuple[str, ...]]
    per_words: frozenset[str]
    power_words: dict[str, int]
    # hedge name -> ("before"|"after") -> phrases, lower case.
    hedges: dict[str, dict[str, tuple[str, ...]]]
    change: dict[str, frozenset[str]]
    furniture_lines: tuple[re.Pattern, ...]
    counter_nouns: frozenset[str]
    idioms: tuple[str, ...]
    article_units: frozenset[str]
    # unit name -> Unit, for measures (used to name compound units).
    measures: dict[str, Unit]


def _plural_forms(word: str) -> list[str]:
    if word.endswith(("s", "ch", "sh", "x")):
        return [word, word + "es"] if not word.endswith("s") else [word]
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return [word, word[:-1] + "ies"]
    return [word, word + "s"]


@functools.lru_cache(maxsize=1)
def figure_lexicon() -> FigureLexicon:
    units = _load("units.yaml")
    hedges = _load("figure_hedges.yaml")
    furniture = _load("figure_furniture.yaml")
    prefixes: dict[str, str] = units["si_prefixes"]
    surfaces: list[Surface] = []
    measures: dict[str, Unit] = {}
    for entry in units["measures"]:
        variants = [("", entry["name"])] + [(p, prefixes[p] + entry["name"]) for p in entry.get("prefixes", [])]
        for prefix, name in variants:
            unit = Unit(name, "measure", entry.get("dimension"), bool(entry.get("time")))
            measures[name] = unit
            prefix_name = prefixes.get(prefix, "")
            for symbol in entry.get("symbols", []):
                surfaces.append(Surface(prefix + symbol, unit, True))
            for symbol in entry.get("glued_symbols", []) if not prefix else []:
                surfaces.append(Surface(prefix + symbol, unit, True, glued_only=True))
            for word in entry.get("words", []):
                for form in _plural_forms(prefix_name + word):
                    surfaces.append(Surface(form, unit, False))
    for entry in units["currencies"]:
        unit = Unit(entry["code"], "money")
        for symbol in entry.get("symbols", []):
            surfaces.append(Surface(symbol, unit, True))
        for word in entry.get("words", []):
            for form in _plural_forms(word):
                surfaces.append(Surface(form, unit, False))
    percent = Unit("percent", "percent")
    for symbol in units["percent"]["symbols"]:
        surfaces.append(Surface(symbol, percent, True))
    for word in units["percent"]["words"]:
        surfaces.append(Surface(word, percent, False))
    points = Unit("percentage point", "percentage_points")
    for word in units["percentage_points"]["words"]:
        for form in _plural_forms(word):
            surfaces.append(Surface(form, points, False))
    basis = Unit("basis point", "percentage_points")
    for word in units["percentage_points"]["basis_points"]:
        for form in _plural_forms(word):
            surfaces.append(Surface(form, basis, False))
    after = tuple(sorted(surfaces, key=lambda s: (-len(s.text), not s.case_sensitive)))
    currency_before = tuple(
        Surface(symbol, Unit(entry["code"], "money"), True)
        for entry in units["currencies"]
        for symbol in entry.get("symbols", [])
        if not symbol.isalpha() or symbol[:1].isupper()
    )
    currency_before = tuple(sorted(currency_before, key=lambda s: -len(s.text)))
    return FigureLexicon(
        after=after,
        currency_before=currency_before,
        ambiguous_symbols={k: tuple(v) for k, v in units["ambiguous_symbols"].items()},
        per_words=frozenset(units["per_words"]),
        power_words=dict(units["power_words"]),
        hedges={
            name: {side: tuple(sorted((p.lower() for p in phrases), key=len, reverse=True)) for side, phrases in sides.items()}
            for name, sides in hedges["hedges"].items()
        },
        change={name: frozenset(lemmas) for name, lemmas in hedges["change"].items()},
        furniture_lines=tuple(re.compile(p, re.IGNORECASE) for p in furniture["line_patterns"]),
        counter_nouns=frozenset(furniture["counter_nouns"]),
        idioms=tuple(furniture.get("idioms", ())),
        article_units=frozenset(units.get("article_units", ())),
        measures=measures,
    )
