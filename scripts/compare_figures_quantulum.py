#!/usr/bin/env python3
"""Score newsfacts' figures and quantulum3 side by side on the same development data with the same scorer.

quantulum3 is not a dependency of newsfacts: it lives in its own venv (default /work/compare-figures,
`python -m venv /work/compare-figures && /work/compare-figures/bin/pip install quantulum3==0.10.0`).
This script runs with the project's Python, asks that venv's Python for quantulum3's readings of every
sentence (as JSON over a pipe), and scores both with `newsfacts.evaluation.figures`.

    .venv/bin/python scripts/compare_figures_quantulum.py [--venv /work/compare-figures]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from newsfacts.evaluation import shared_dir
from newsfacts.evaluation.figures import (
    Counts,
    Gold,
    Predicted,
    _currency_codes,
    _is_range_surface,
    _recognizer_value,
    _RECOGNIZER_KINDS,
    match,
    predict,
    score_quantulum,
)

# Runs inside the quantulum3 venv: sentences on stdin (JSON list), readings on stdout.
_QUANTULUM_RUNNER = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
from quantulum3 import parser
out = []
for sentence in json.load(sys.stdin):
    try:
        quantities = parser.parse(sentence)
    except Exception:
        quantities = []
    out.append([{"value": q.value, "uncertainty": q.uncertainty, "surface": q.surface, "unit": q.unit.name,
                 "entity": q.unit.entity.name if q.unit.entity else None} for q in quantities])
json.dump(out, sys.stdout)
"""


def quantulum_readings(python: Path, sentences: list[str]) -> list[list[dict]]:
    result = subprocess.run(
        [str(python), "-c", _QUANTULUM_RUNNER], input=json.dumps(sentences), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def as_predicted(reading: dict) -> Predicted:
    """quantulum3's reading in our terms: kind from its unit, ranges back to (low, high)."""
    value, uncertainty = float(reading["value"]), reading.get("uncertainty")
    low = high = value
    if uncertainty and _is_range_surface(reading.get("surface", "")):
        low, high = value - uncertainty, value + uncertainty
    unit = reading["unit"]
    codes = _currency_codes()
    if unit == "dimensionless":
        return Predicted(low, high, "number", None)
    if unit == "percentage":
        return Predicted(low, high, "percent", "percent")
    if unit.startswith("count per "):
        return Predicted(low, high, "count", unit)  # a frequency: "four times per week"
    head, _, denominator = unit.partition(" per ")
    if reading.get("entity") == "currency" or head in codes:
        code = codes.get(head, head)
        return Predicted(low, high, "money", f"{code} per {denominator}" if denominator else code)
    return Predicted(low, high, "measure", unit)


def recognizer_scores(predictions: list[list[Predicted]], cases: list[dict], model: str) -> float:
    counts = Counts()
    for case, preds in zip(cases, predictions):
        golds = [Gold(v, v, "any") for v in (_recognizer_value(r) for r in case.get("Results", [])) if v is not None]
        counts.add(match(golds, [p for p in preds if p.kind in _RECOGNIZER_KINDS[model]], with_unit=False))
    return counts.prf()[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=Path("/work/compare-figures"))
    args = parser.parse_args(argv)
    python = args.venv / "bin" / "python"
    folder = shared_dir() / "devdata" / "figures"
    cases = json.loads((folder / "quantities.json").read_text(encoding="utf-8"))
    sentences = [case["req"] for case in cases]
    ours = score_quantulum(cases, predict(sentences))
    theirs = score_quantulum(cases, [[as_predicted(r) for r in readings] for readings in quantulum_readings(python, sentences)])
    rows = {"quantulum": (ours, theirs)}
    for model in ("PercentModel", "CurrencyModel", "DimensionModel", "NumberModel"):
        spec = json.loads((folder / "recognizers-text" / f"{model}.json").read_text(encoding="utf-8"))
        inputs = [case["Input"] for case in spec]
        ours_f1 = recognizer_scores(predict(inputs), spec, model)
        theirs_f1 = recognizer_scores([[as_predicted(r) for r in rs] for rs in quantulum_readings(python, inputs)], spec, model)
        rows[model] = ({"value_f1": ours_f1}, {"value_f1": theirs_f1})
    print(f"{'data set':16} {'metric':22} {'newsfacts':>10} {'quantulum3':>10}")
    for name, (mine, other) in rows.items():
        for metric in sorted(mine):
            print(f"{name:16} {metric:22} {mine[metric]:10.4f} {other[metric]:10.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
