#!/usr/bin/env python3
"""Compare the engines from the command line (not a test): `newsfacts build --engine local` and `--engine ray`
on the same input at the same --jobs, run alternately, timed end to end (interpreter start, Ray start-up and
model loading included), reported as medians and as the ratio ray / local. Every build must write the same
CHECKSUMS.sha256, else the script fails.

The input is the seeds plus the first --limit BBC articles (spread across the categories), so the figure is
for a small corpus, where Ray's fixed cost (starting a local Ray, one model load per actor) weighs most.

    .venv/bin/python scripts/bench_engines.py                        # seeds + 100 BBC articles, --jobs 2, 3 rounds
    .venv/bin/python scripts/bench_engines.py --limit 300 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cache import CORPUS, NEWSFACTS, REPO, extract_corpus  # noqa: E402

STAGES = re.compile(r"time per stage: (.*)")


def timed_build(inputs: Path, output: Path, engine: str, jobs: int) -> dict:
    argv = [str(NEWSFACTS), "build", "--input", str(inputs), "--output", str(output), "--no-cache",
            "--jobs", str(jobs), "--engine", engine]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{engine} build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    stages = dict((stage, float(value.rstrip("s"))) for stage, value in
                  (part.split() for part in STAGES.search(done.stderr).group(1).split(", ")))
    return {"seconds": seconds, "extract": stages["extract"],
            "checksums": (output / "CHECKSUMS.sha256").read_bytes()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=100, help="BBC articles besides the seeds (default 100)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for both engines (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="builds per engine, alternating (default 3)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        inputs = Path(tmp) / "in"
        shutil.copytree(REPO / "seeds", inputs)
        (inputs / "bbc").mkdir()
        articles = extract_corpus(CORPUS, inputs / "bbc", args.limit)
        runs: dict[str, list[dict]] = {"local": [], "ray": []}
        for round_ in range(args.rounds):
            for engine in ("local", "ray") if round_ % 2 == 0 else ("ray", "local"):
                output = Path(tmp) / f"out-{engine}-{round_}"
                runs[engine].append(timed_build(inputs, output, engine, args.jobs))
                shutil.rmtree(output)
                print(f"round {round_ + 1} {engine}: {runs[engine][-1]['seconds']:.1f}s "
                      f"(extract {runs[engine][-1]['extract']:.1f}s)", file=sys.stderr)
        checksums = {run["checksums"] for engine_runs in runs.values() for run in engine_runs}
        if len(checksums) != 1:
            sys.exit("the builds wrote different releases")

    median = {engine: {key: statistics.median(run[key] for run in engine_runs) for key in ("seconds", "extract")}
              for engine, engine_runs in runs.items()}
    print(json.dumps({
        "documents": articles + 5, "jobs": args.jobs, "rounds": args.rounds,
        "median_seconds": {engine: round(values["seconds"], 1) for engine, values in median.items()},
        "median_extract_seconds": {engine: round(values["extract"], 1) for engine, values in median.items()},
        "ray_over_local": round(median["ray"]["seconds"] / median["local"]["seconds"], 2),
        "ray_over_local_extract": round(median["ray"]["extract"] / median["local"]["extract"], 2),
        "same_release_bytes": True,
    }, indent=2))


if __name__ == "__main__":
    main()
