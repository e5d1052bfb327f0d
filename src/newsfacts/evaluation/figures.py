"""Scorer for figures: quantulum3's English test sentences and Microsoft Recognizers-Text specs.

Matching (one gold quantity is matched at most once, one prediction at most once):

* value: a prediction matches a gold quantity when both ends agree within a relative tolerance of 1e-5
  (absolute 1e-9 for zero). A single value is the pair (v, v); a range is (low, high). quantulum3 writes a
  range ("8- to 16-meter") as its midpoint plus `uncertainty`; a gold item with an uncertainty whose surface
  is a range (to / - / – / between) is read back as (value - u, value + u); a "+/-" uncertainty is not a
  range.
* value+unit: the value matches and the unit matches leniently (`unit_matches`):
  - gold "dimensionless" is matched by a count or a bare number, whatever its counted noun;
  - gold "percentage" by kind percent; gold "count per week" by a count per week ("four times per week");
  - a gold currency name (quantulum3's "dollar", "united states dollar", "euro", "pound sterling",
    "cent"...) by kind money whose unit is that currency's ISO code (or name for sub-units), compared
    through `data/units.yaml`; "dollar per hour" by money "USD per hour";
  - any other gold unit by a measure whose unit name is the same after spelling normalisation
    (meter/metre, liter/litre, plural s, case), or an equivalent listed in `_EQUIVALENT_UNITS`.
* quantulum3 conventions that differ from ours, documented rather than hidden:
  - "dozen", "gross", "baker's dozen", "score" are numbers here ("a dozen eggs" = 12 eggs): gold with those
    units is compared as value x 12 / 144 / 13 / 20, unit dimensionless;
  - calendar years ("in 1979", "2013", "the 1960s") are not figures by the project's definition: a gold
    item that is a bare four-digit year (1000-2100, unit dimensionless) is optional: matching it is not
    counted, missing it is not a miss, and a prediction matching it is not a false positive.

Extra metrics (value only) on the Recognizers-Text Percent, Currency and Dimension specs: a prediction
counts when its kind fits the model (percent / money / measure). NumberModel is reported but not pinned:
it lists numbers that are not figures here (ordinals, numbers inside names).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.figures.lexicon import figure_lexicon
from newsfacts.annotate.figures import find_figures
from newsfacts.annotate.nlp import load_nlp
from newsfacts.models import Figure

REL_TOL = 1e-5
ABS_TOL = 1e-9

_NUMBER_UNITS = {"dozen": 12, "gross": 144, "baker's dozen": 13, "score": 20}
# Gold unit names that are the same unit as one of ours under another name.
_EQUIVALENT_UNITS = {
    "cubic centimetre": {"millilitre", "cubic centimetre"},
    "pound-mass": {"pound"},
    "ton per day": {"tonne per day"},
    "metric ton": {"tonne"},
    "ton": {"tonne"},
    "degree": {"degree"},
}


@dataclass(frozen=True)
class Gold:
    low: float
    high: float
    unit: str
    optional: bool = False


@dataclass(frozen=True)
class Predicted:
    low: float
    high: float
    kind: str
    unit: str | None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _normalise_unit(name: str) -> str:
    name = name.lower().strip()
    name = name.replace("meter", "metre").replace("liter", "litre").replace("-", " ")
    words = [w[:-1] if w.endswith("s") and len(w) > 3 and not w.endswith(("ss", "us")) else w for w in name.split()]
    return " ".join(words)


def _currency_codes() -> dict[str, str]:
    """Lower-case currency name -> code, from units.yaml."""
    codes: dict[str, str] = {}
    for surface in figure_lexicon().after:
        if surface.unit.kind == "money" and not surface.case_sensitive:
            codes.setdefault(surface.text.lower(), surface.unit.name)
    return codes


def unit_matches(gold_unit: str, predicted: Predicted) -> bool:
    gold_unit = gold_unit.lower()
    if gold_unit == "dimensionless":
        return predicted.kind in ("count", "number")
    if gold_unit in ("percentage", "percent"):
        return predicted.kind == "percent"
    if gold_unit.startswith("count per "):
        # quantulum3's frequencies ("four times per week"): a count with the same denominator
        denominator = gold_unit.removeprefix("count per ")
        return predicted.kind == "count" and _normalise_unit((predicted.unit or "").partition(" per ")[2]) == _normalise_unit(denominator)
    if predicted.unit is None:
        return False
    codes = _currency_codes()
    head, _, denominator = gold_unit.partition(" per ")
    if head in codes or head.rstrip("s") in codes:
        code = codes.get(head) or codes[head.rstrip("s")]
        if predicted.kind != "money":
            return False
        ours_head, _, ours_denominator = predicted.unit.partition(" per ")
        same_currency = ours_head == code or (head in ("dollar", "dollars") and ours_head.endswith("USD"))
        return same_currency and _normalise_unit(ours_denominator) == _normalise_unit(denominator)
    if predicted.kind != "measure":
        return False
    gold_norm = _normalise_unit(gold_unit)
    ours = _normalise_unit(predicted.unit)
    if ours == gold_norm:
        return True
    return ours in {_normalise_unit(u) for u in _EQUIVALENT_UNITS.get(gold_unit, ())}


def _is_range_surface(surface: str) -> bool:
    return bool(re.search(r"\d\s*(?:-|–|to|and)\s*-?\s*\d|between|\bto\b", surface)) and "+/-" not in surface and "±" not in surface


_YEAR = re.compile(r"^\d{4}$")


def gold_of(item: dict) -> Gold:
    value = float(item["value"])
    unit = item["unit"]
    surface = item.get("surface", "")
    if unit.lower() in _NUMBER_UNITS:
        return Gold(value * _NUMBER_UNITS[unit.lower()], value * _NUMBER_UNITS[unit.lower()], "dimensionless")
    uncertainty = item.get("uncertainty")
    if uncertainty and _is_range_surface(surface):
        return Gold(value - uncertainty, value + uncertainty, unit)
    optional = unit == "dimensionless" and bool(_YEAR.match(surface)) and 1000 <= value <= 2100
    return Gold(value, value, unit, optional)


def predicted_of(figure: Figure) -> Predicted:
    high = figure.value_max if figure.value_max is not None else figure.value
    return Predicted(min(figure.value, high), max(figure.value, high), figure.kind, figure.unit)


@dataclass
class Counts:
    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def match(golds: list[Gold], predictions: list[Predicted], with_unit: bool) -> Counts:
    """Greedy one-to-one matching in text order (both lists are in text order)."""
    used: set[int] = set()
    counts = Counts()
    for gold in golds:
        hit = None
        for j, pred in enumerate(predictions):
            if j in used or not (_close(gold.low, pred.low) and _close(gold.high, pred.high)):
                continue
            if with_unit and not unit_matches(gold.unit, pred):
                continue
            hit = j
            break
        if hit is None:
            if not gold.optional:
                counts.fn += 1
            continue
        used.add(hit)
        if not gold.optional:
            counts.tp += 1
    counts.fp += len(predictions) - len(used)
    return counts


def predict(sentences: Iterable[str]) -> list[list[Predicted]]:
    nlp = load_nlp()
    return [[predicted_of(f) for f in find_figures(doc, find_entities(doc))] for doc in nlp.pipe(sentences, batch_size=64)]


def _metrics(prefix: str, counts: Counts) -> dict[str, float]:
    p, r, f = counts.prf()
    return {f"{prefix}precision": p, f"{prefix}recall": r, f"{prefix}f1": f}


def score_quantulum(cases: list[dict], predictions: list[list[Predicted]]) -> dict[str, float]:
    value, value_unit = Counts(), Counts()
    for case, preds in zip(cases, predictions):
        golds = [gold_of(item) for item in case["res"]]
        value.add(match(golds, preds, with_unit=False))
        value_unit.add(match(golds, preds, with_unit=True))
    return {**_metrics("value_", value), **_metrics("value_unit_", value_unit)}


_RECOGNIZER_KINDS = {
    "PercentModel": ("percent",),
    "CurrencyModel": ("money",),
    "DimensionModel": ("measure",),
    "NumberModel": ("count", "number", "measure", "money", "percent", "percentage_points"),
}


def _recognizer_value(result: dict) -> float | None:
    raw = str(result.get("Resolution", {}).get("value", "")).replace("%", "").replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def score_recognizers(folder: Path, model: str) -> dict[str, float]:
    cases = json.loads((folder / f"{model}.json").read_text(encoding="utf-8"))
    predictions = predict(case["Input"] for case in cases)
    counts = Counts()
    for case, preds in zip(cases, predictions):
        golds = [Gold(v, v, "any") for v in (_recognizer_value(r) for r in case.get("Results", [])) if v is not None]
        kept = [p for p in preds if p.kind in _RECOGNIZER_KINDS[model]]
        counts.add(match(golds, kept, with_unit=False))
    p, r, f = counts.prf()
    name = model.removesuffix("Model").lower()
    return {f"recognizers_{name}_value_precision": p, f"recognizers_{name}_value_recall": r, f"recognizers_{name}_value_f1": f}


def score(shared_dir: Path) -> dict[str, float]:
    folder = Path(shared_dir) / "devdata" / "figures"
    cases = json.loads((folder / "quantities.json").read_text(encoding="utf-8"))
    scores = score_quantulum(cases, predict(case["req"] for case in cases))
    for model in ("PercentModel", "CurrencyModel", "DimensionModel", "NumberModel"):
        scores.update(score_recognizers(folder / "recognizers-text", model))
    return scores
