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
    # A scale the surface carries: "MUSD" is a million US dollars.
    scale: float = 1.0


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
    referring_determiners: frozenset[str]
    referring_max_value: float
    idioms: tuple[str, ...]
    label_words: tuple[str, ...]
    capitalised_label_words: tuple[str, ...]
    article_units: frozenset[str]
    # unit name -> Unit, for measures (used to name compound units).
    measures: dict[str, Unit]
    # Case-sensitive symbols (prefixed ones included) of the units that may be written as a product
    # ("Js", "kW·h", "Nm"): symbol -> Unit.
    compound_symbols: dict[str, Unit]
    # Named quantities: lower-case phrase -> (value, Unit) ("absolute zero" -> 0 kelvin).
    named_quantities: dict[str, tuple[float, Unit]]
    # (major unit name, minor unit name) -> minor units per major: "5 ft 2 in".
    mixed_units: dict[tuple[str, str], float]
    # money sub-units (unit name) -> how many make one of any other currency: "3 dollars 50 cents".
    money_minor_units: dict[str, float]
    # "pound": lemmas that point to the mass / to the money in a sentence.
    pound_mass_cues: frozenset[str]
    pound_money_cues: frozenset[str]
    # Sporting distances that name an event ("the 100m final"): the length units such a distance is written
    # in, and the lower-case words after it that make it the event's name.
    event_distance_units: frozenset[str]
    event_words: tuple[str, ...]
    # Counted nouns that are percentage points in a sentence holding one of `point_contexts` ("3 points").
    bare_points: frozenset[str] = frozenset()
    point_contexts: tuple[str, ...] = ()


def _plural_forms_all(words) -> list[str]:
    return [form for word in words for form in _plural_forms(word)]


def _plural_forms(word: str) -> list[str]:
    if word.endswith(("s", "ch", "sh", "x")):
        return [word, word + "es"] if not word.endswith("s") else [word]
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return [word, word[:-1] + "ies"]
    return [word, word + "s"]


def _iso_codes(currency: dict) -> list[str]:
    """The ISO 4217 codes among a currency's symbols ("USD", "RMB"): three capital letters."""
    return [symbol for symbol in currency.get("symbols", []) if len(symbol) == 3 and symbol.isalpha() and symbol.isupper()]


@functools.lru_cache(maxsize=1)
def figure_lexicon() -> FigureLexicon:
    units = _load("units.yaml")
    hedges = _load("figure_hedges.yaml")
    furniture = _load("figure_furniture.yaml")
    prefixes: dict[str, str] = units["si_prefixes"]
    surfaces: list[Surface] = []
    measures: dict[str, Unit] = {}
    compound_symbols: dict[str, Unit] = {}
    for entry in units["measures"]:
        variants = [("", entry["name"])] + [(p, prefixes[p] + entry["name"]) for p in entry.get("prefixes", [])]
        for prefix, name in variants:
            unit = Unit(name, "measure", entry.get("dimension"), bool(entry.get("time")))
            measures[name] = unit
            prefix_name = prefixes.get(prefix, "")
            for symbol in entry.get("symbols", []):
                surfaces.append(Surface(prefix + symbol, unit, True))
                if entry.get("compound"):
                    compound_symbols[prefix + symbol] = unit
            for symbol in entry.get("glued_symbols", []) if not prefix else []:
                surfaces.append(Surface(prefix + symbol, unit, True, glued_only=True))
            for word in entry.get("words", []):
                for form in _plural_forms(prefix_name + word):
                    surfaces.append(Surface(form, unit, False))
    for symbol, name in units.get("plural_symbols", {}).items():
        surfaces.append(Surface(symbol, measures[name], True))
    code_scales: dict[str, float] = {str(k): float(v) for k, v in units["code_scale_prefixes"].items()}
    for entry in units["currencies"]:
        unit = Unit(entry["code"], "money")
        for symbol in entry.get("symbols", []):
            surfaces.append(Surface(symbol, unit, True))
        for code in _iso_codes(entry):
            if code not in units["codes_that_are_words"]:
                surfaces.append(Surface(code.lower(), unit, True))  # "10 usd", "rmb 10"
            for prefix, scale in code_scales.items():
                surfaces.append(Surface(prefix + code, unit, True, scale=scale))  # "30 MUSD", "kEUR 250"
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
    lower_codes = {code.lower() for entry in units["currencies"] for code in _iso_codes(entry) if code not in units["codes_that_are_words"]}
    currency_before = tuple(
        surface
        for surface in surfaces
        if surface.unit.kind == "money" and surface.case_sensitive and (not surface.text.isalpha() or surface.text[:1].isupper() or surface.scale != 1.0 or surface.text in lower_codes)
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
        referring_determiners=frozenset(furniture["referring_determiners"]),
        referring_max_value=float(furniture["referring_max_value"]),
        idioms=tuple(furniture.get("idioms", ())),
        label_words=tuple(furniture.get("label_words", ())),
        capitalised_label_words=tuple(furniture.get("capitalised_label_words", ())),
        article_units=frozenset(units.get("article_units", ())),
        measures=measures,
        compound_symbols=compound_symbols,
        mixed_units={(e["major"], e["minor"]): float(e["ratio"]) for e in units["mixed_units"]},
        money_minor_units={str(k): float(v) for k, v in units["money_minor_units"].items()},
        pound_mass_cues=frozenset(units["pound_context"]["mass"]),
        pound_money_cues=frozenset(units["pound_context"]["money"]),
        event_distance_units=frozenset(units["sporting_events"]["distance_units"]),
        event_words=tuple(sorted((w.lower() for w in units["sporting_events"]["words"]), key=len, reverse=True)),
        bare_points=frozenset(_plural_forms_all(units["percentage_points"].get("bare_points", ()))),
        point_contexts=tuple(w.lower() for w in units["percentage_points"].get("point_contexts", ())),
        named_quantities={
            entry["phrase"].lower(): (float(entry["value"]), measures[entry["unit"]]) for entry in units.get("named_quantities", ())
        },
    )
