"""Scorers for the development sets and the evaluation gate that pins their scores.

Each task has a baseline file ``eval/baseline/<task>.json``::

    {"scorer": "newsfacts.evaluation.quotes:score",   # callable(shared_dir: Path) -> {metric: float}
     "scores": {"f1": 0.91, ...},                      # pinned: a drop below these fails CI
     "history": [{"scores": {...}, "reason": "why the baseline moved"}]}

The gate (``tests/eval/test_gate.py``) runs every scorer and fails when a metric falls below its pinned
value. Raising a baseline is ``scripts/evaluate.py TASK --pin``; lowering one also needs ``--reason``,
which is recorded in the history, so a drop is always a deliberate, explained decision.
"""

from __future__ import annotations

import importlib
import json
import math
import os
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
BASELINE_DIR = REPO_ROOT / "eval" / "baseline"
# Scores are deterministic; the tolerance only absorbs float printing.
TOLERANCE = 1e-6


def shared_dir() -> Path:
    """The folder holding devdata/ and corpora/: $NEWSFACTS_SHARED, else ../shared beside the repo."""
    env = os.environ.get("NEWSFACTS_SHARED")
    return Path(env) if env else REPO_ROOT.parent / "shared"


def load_baseline(task: str) -> dict:
    return json.loads((BASELINE_DIR / f"{task}.json").read_text(encoding="utf-8"))


def tasks() -> list[str]:
    return sorted(p.stem for p in BASELINE_DIR.glob("*.json"))


def scorer_for(task: str) -> Callable[[Path], dict[str, float]]:
    module_name, _, attr = load_baseline(task)["scorer"].partition(":")
    return getattr(importlib.import_module(module_name), attr)


def regressions(task: str, scores: dict[str, float]) -> list[str]:
    """Messages for every pinned metric that the new scores fall below."""
    pinned = load_baseline(task)["scores"]
    problems = []
    for metric, floor in sorted(pinned.items()):
        if metric not in scores:
            problems.append(f"{task}: metric {metric!r} is pinned but the scorer no longer reports it")
        elif scores[metric] < floor - TOLERANCE:
            problems.append(f"{task}: {metric} fell to {scores[metric]:.4f}, below the pinned {floor:.4f}")
    return problems


def pin(task: str, scores: dict[str, float], reason: str | None) -> None:
    """Write new pinned scores; lowering any metric requires a reason, kept in the history.

    Only the metrics already pinned are updated (a scorer may report informative metrics that are not
    gated); a baseline without scores pins everything reported. Values are rounded down, so a pinned
    score never exceeds what the scorer reproduces.
    """
    path = BASELINE_DIR / f"{task}.json"
    baseline = json.loads(path.read_text(encoding="utf-8"))
    pinned = baseline.get("scores") or dict.fromkeys(scores, 0.0)
    missing = sorted(m for m in pinned if m not in scores)
    if missing:
        raise ValueError(f"{task}: the scorer no longer reports pinned metrics {', '.join(missing)}")
    lowered = [m for m, v in pinned.items() if scores[m] < v - TOLERANCE]
    if lowered and not reason:
        raise ValueError(f"{task}: lowering {', '.join(sorted(lowered))} needs --reason")
    baseline.setdefault("history", []).append(
        {"scores": baseline.get("scores", {}), "reason": reason or "raised after an improvement"}
    )
    baseline["scores"] = {m: math.floor(scores[m] * 10_000) / 10_000 for m in sorted(pinned)}
    path.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n", encoding="utf-8")
