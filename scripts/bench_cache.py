#!/usr/bin/env python3
"""Measure the article cache from the command line (not a test): a first build with an empty cache, a rebuild
with the warm cache, and a build killed halfway (SIGKILL to its process group) then resumed.

Each build is `newsfacts build` in a subprocess, timed end to end (interpreter start and model loading
included). Every release must have the same CHECKSUMS.sha256 as the first build, else the script fails.

    .venv/bin/python scripts/bench_cache.py                          # 300 BBC articles, --jobs = the cores
    .venv/bin/python scripts/bench_cache.py --limit 100 --jobs 1 --no-cache-build
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSFACTS_SHARED", REPO.parent / "shared")) / "corpora" / "bbc-2225.tar.gz"
NEWSFACTS = Path(sys.executable).parent / "newsfacts"
STATS = re.compile(r"cache .*: (\d+) hits, (\d+) misses")


def extract_corpus(corpus: Path, target: Path, limit: int) -> int:
    """The first `limit` articles of every category in turn (a spread across categories), one file each."""
    with tarfile.open(corpus) as archive:
        members = sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")),
                         key=lambda m: m.name)
        by_category: dict[str, list] = {}
        for member in members:
            by_category.setdefault(member.name.split("/")[-2], []).append(member)
        chosen = []
        while len(chosen) < limit and any(by_category.values()):
            for category in sorted(by_category):
                if by_category[category] and len(chosen) < limit:
                    chosen.append(by_category[category].pop(0))
        for member in chosen:
            (target / member.name.replace("/", "_")).write_bytes(archive.extractfile(member).read())
    return len(chosen)


def command(inputs: Path, output: Path, cache: Path | None, jobs: int | None) -> list[str]:
    argv = [str(NEWSFACTS), "build", "--input", str(inputs), "--output", str(output)]
    argv += ["--no-cache"] if cache is None else ["--cache", str(cache)]
    return argv + (["--jobs", str(jobs)] if jobs else [])


def timed_build(inputs: Path, output: Path, cache: Path | None, jobs: int | None) -> dict:
    started = time.perf_counter()
    done = subprocess.run(command(inputs, output, cache, jobs), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    stats = STATS.search(done.stderr)
    stage = re.search(r"time per stage: (.*)", done.stderr)
    return {"seconds": round(seconds, 2), "hits": int(stats.group(1)) if stats else None,
            "misses": int(stats.group(2)) if stats else None, "stages": stage.group(1) if stage else None,
            "checksums": (output / "CHECKSUMS.sha256").read_bytes()}


def entries(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*.json") if p.is_file()]


def killed_halfway(inputs: Path, output: Path, cache: Path, jobs: int | None, half: int) -> dict:
    """Start a build, SIGKILL it (and its workers) once `half` articles are in the cache."""
    started = time.perf_counter()
    process = subprocess.Popen(command(inputs, output, cache, jobs), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    while process.poll() is None and len(entries(cache)) < half:
        time.sleep(0.2)
    if process.poll() is not None:
        sys.exit("the build finished before it could be interrupted")
    os.killpg(process.pid, signal.SIGKILL)  # the group this script started: the build and its worker processes
    process.wait()
    return {"seconds": round(time.perf_counter() - started, 2), "entries": len(entries(cache)),
            "temporary_files": len([p for p in cache.rglob("*.tmp")]), "output_exists": output.exists()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=None, help="passed to newsfacts build (default: its default)")
    parser.add_argument("--no-cache-build", action="store_true",
                        help="also time a --no-cache build and check it gives the same bytes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        tmp = Path(tmp)
        inputs = tmp / "in"
        inputs.mkdir()
        n = extract_corpus(args.corpus, inputs, args.limit)
        results: dict = {"articles": n, "jobs": args.jobs or "default (the cores)", "cores": len(os.sched_getaffinity(0))}

        first = timed_build(inputs, tmp / "first", tmp / "cache", args.jobs)
        warm = timed_build(inputs, tmp / "warm", tmp / "cache", args.jobs)
        results["first_build"] = first
        results["warm_rebuild"] = warm
        results["warm_over_first"] = round(warm["seconds"] / first["seconds"], 3)
        if args.no_cache_build:
            results["no_cache_build"] = timed_build(inputs, tmp / "plain", None, args.jobs)

        results["killed"] = killed_halfway(inputs, tmp / "resumed", tmp / "cache-2", args.jobs, n // 2)
        results["resumed"] = timed_build(inputs, tmp / "resumed", tmp / "cache-2", args.jobs)
        results["killed_plus_resumed_over_first"] = round(
            (results["killed"]["seconds"] + results["resumed"]["seconds"]) / first["seconds"], 3)

        reference = first.pop("checksums")
        for name in ("warm_rebuild", "no_cache_build", "resumed"):
            if name in results:
                same = results[name].pop("checksums") == reference
                results[name]["same_bytes_as_first"] = same
                if not same:
                    print(json.dumps(results, indent=2))
                    sys.exit(f"{name}: the release differs from the first build")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
