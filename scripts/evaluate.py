#!/usr/bin/env python3
"""Score a development set and optionally pin the result as the CI baseline.

    python scripts/evaluate.py              # every task, compared with its baseline
    python scripts/evaluate.py quotes --pin # pin the current quotes scores (raising them)
    python scripts/evaluate.py quotes --pin --reason "new tokenizer; see #12"   # lowering needs a reason
"""

from __future__ import annotations

import argparse
import json
import sys

from newsfacts import evaluation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tasks", nargs="*", help="tasks to score (default: all with a baseline)")
    parser.add_argument("--pin", action="store_true", help="write the scores as the new baseline")
    parser.add_argument("--reason", help="why a baseline is lowered (required to lower one)")
    args = parser.parse_args(argv)
    failed = False
    for task in args.tasks or evaluation.tasks():
        scores = evaluation.scorer_for(task)(evaluation.shared_dir())
        pinned = evaluation.load_baseline(task)["scores"]
        print(json.dumps({"task": task, "scores": scores, "pinned": pinned}, indent=2, sort_keys=True))
        if args.pin:
            evaluation.pin(task, scores, args.reason)
        else:
            for problem in evaluation.regressions(task, scores):
                print("REGRESSION:", problem, file=sys.stderr)
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
