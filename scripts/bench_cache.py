#!/usr/bin/env python3
"""Measure the article cache from the command line (not a test): a first build with an empty cache, a rebuild
with the warm cache into another folder (every article from the cache, the release written again), the same
build again into the first folder (up to date: nothing written), a build after one input was edited, and a
build killed halfway (SIGKILL to its process group) then resumed.

`--memory N [N ...]` measures instead the peak memory of builds of N articles (a JSON Lines file made by
repeating BBC articles, each copy's text varied so its id differs): the peak resident size of the build
process and of its largest worker (`getrusage`), and the time per stage. The first `--memory-articles` BBC
articles are extracted for real once; with `--prefill` (the default) every copy's cache entry is then
written from its original's article (with the copy's id and sha256), so an N-article build measures the
streaming build itself (read, cache, spill, merge, write, checks) without N extractions, which would take
hours on two cores; `--no-prefill` extracts every copy; `--prefill-checked` also skips their row checks. `--src DIR` runs the builds with the newsfacts of
another source tree (an older checkout) for a before/after comparison in the same run.

Each build is `newsfacts build` in a subprocess, timed end to end (interpreter start and model loading
included). Every release must have the same CHECKSUMS.sha256 as the first build, else the script fails.

    .venv/bin/python scripts/bench_cache.py                          # 300 BBC articles, --jobs = the cores
    .venv/bin/python scripts/bench_cache.py --limit 100 --jobs 1 --no-cache-build
    .venv/bin/python scripts/bench_cache.py --memory 5000 20000 50000 --jobs 1
    .venv/bin/python scripts/bench_cache.py --memory 2000 --jobs 1 --src /tmp/old-checkout
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
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


# Runs `newsfacts build` in a child interpreter and reports its peak memory. With a fixed fingerprint the
# cache folder does not depend on the source tree, so entries written here are found by the build.
BUILD_WRAPPER = """
import json, resource, sys, time
argv, fingerprint, report = json.loads(sys.argv[1])
if fingerprint:
    import newsfacts.cache.fingerprint
    newsfacts.cache.fingerprint.pipeline_fingerprint = lambda model=None: fingerprint
from newsfacts.cli import main
started = time.perf_counter()
code = main(argv)
seconds = time.perf_counter() - started
with open(report, "w") as out:
    json.dump({"code": code, "seconds": seconds,
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               "peak_worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}, out)
"""
FINGERPRINT = "b" * 64


def measured_build(inputs: Path, output: Path, cache: Path, jobs: int, src: Path | None, fingerprint: str | None,
                   report: Path) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src / "src")
    argv = ["build", "--input", str(inputs), "--output", str(output), "--cache", str(cache), "--jobs", str(jobs)]
    done = subprocess.run([sys.executable, "-c", BUILD_WRAPPER, json.dumps([argv, fingerprint, str(report)])],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0 or not report.exists():
        sys.exit(f"build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(report.read_text())
    stage = re.search(r"time per stage: (.*)", done.stderr)
    return {"seconds": round(result["seconds"], 1), "peak_rss_mb": round(result["peak_rss_mb"]),
            "peak_worker_rss_mb": round(result["peak_worker_rss_mb"]),
            "stages": stage.group(1) if stage else None}


def repeated_corpus(texts: list[str], n: int, target: Path) -> None:
    """`n` JSON Lines records cycling through `texts`; copy k of a text ends with its own line, so every
    record has its own bytes and id."""
    with target.open("w", encoding="utf-8") as out:
        for i in range(n):
            copy, text = divmod(i, len(texts))
            out.write(json.dumps({"text": texts[text] if copy == 0 else f"{texts[text]}\n\n(Copy {copy}.)"}) + "\n")


def memory_benchmark(args) -> dict:
    from newsfacts.cache import ArticleCache, note_rows_checked
    from newsfacts.documents import RawDocument
    from newsfacts.models import Article
    from newsfacts.read import read_folder
    from newsfacts.read.decode import decode

    results: dict = {"jobs": args.jobs or 1, "prefill": args.prefill, "prefill_checked": args.prefill_checked, "src": str(args.src or REPO), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        tmp = Path(tmp)
        originals = tmp / "originals"
        originals.mkdir()
        extract_corpus(args.corpus, originals, args.memory_articles)
        # decoded as a build decodes them (a few BBC files are Latin-1), then written as UTF-8 JSON Lines
        texts = [decode(p.read_bytes())[0] for p in sorted(originals.iterdir())]
        seed_in = tmp / "seed-in"
        seed_in.mkdir()
        repeated_corpus(texts, len(texts), seed_in / "articles.jsonl")
        cache = tmp / "cache"
        results["extraction_of_originals"] = measured_build(seed_in, tmp / "seed-out", cache, args.jobs or 2,
                                                            args.src, FINGERPRINT, tmp / "seed.json")
        store = ArticleCache(cache, FINGERPRINT)
        by_text: dict[int, Article] = {}
        for raw in read_folder(seed_in):
            if isinstance(raw, RawDocument):
                found = store.get(raw)
                if found is not None:
                    by_text[raw.line - 1] = found
        for n in args.memory:
            inputs = tmp / f"in-{n}"
            inputs.mkdir()
            repeated_corpus(texts, n, inputs / "articles.jsonl")
            if args.prefill:
                for raw in read_folder(inputs):
                    if isinstance(raw, RawDocument) and (raw.line - 1) % len(texts) in by_text:
                        original = by_text[(raw.line - 1) % len(texts)]
                        source = original.source.model_copy(update={"sha256": raw.sha256, "line": raw.line,
                                                                    "file": raw.path})
                        entry = store.put(raw, original.model_copy(update={"id": raw.id, "source": source}))
                        if args.prefill_checked and entry is not None:
                            note_rows_checked(entry)
            results["sizes"][n] = measured_build(inputs, tmp / f"out-{n}", cache, args.jobs or 1, args.src,
                                                 FINGERPRINT, tmp / f"build-{n}.json")
            shutil.rmtree(tmp / f"out-{n}", ignore_errors=True)
            print(json.dumps({n: results["sizes"][n]}), file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=None, help="passed to newsfacts build (default: its default)")
    parser.add_argument("--no-cache-build", action="store_true",
                        help="also time a --no-cache build and check it gives the same bytes")
    parser.add_argument("--no-resume", action="store_true", help="skip the killed-and-resumed build")
    parser.add_argument("--memory", type=int, nargs="+", metavar="N",
                        help="measure peak memory of builds of N articles instead (see above)")
    parser.add_argument("--memory-articles", type=int, default=2225, metavar="M",
                        help="with --memory: BBC articles extracted for real and repeated (default 2225: the whole set)")
    parser.add_argument("--prefill", action=argparse.BooleanOptionalAction, default=True,
                        help="with --memory: write the copies' cache entries from their originals (default)")
    parser.add_argument("--prefill-checked", action="store_true",
                        help="with --prefill: also note the copies' rows as checked, so the build skips their row "
                             "checks (JSON Schema per row: most of the time, no memory kept across articles); "
                             "measures the memory of the streaming path in a fraction of the time")
    parser.add_argument("--src", type=Path, help="with --memory: build with the newsfacts of this source tree")
    args = parser.parse_args()
    if args.memory:
        print(json.dumps(memory_benchmark(args), indent=2))
        return

    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        tmp = Path(tmp)
        inputs = tmp / "in"
        inputs.mkdir()
        n = extract_corpus(args.corpus, inputs, args.limit)
        results: dict = {"articles": n, "jobs": args.jobs or "default (the cores)", "cores": len(os.sched_getaffinity(0))}

        first = timed_build(inputs, tmp / "first", tmp / "cache", args.jobs)
        warm = timed_build(inputs, tmp / "warm", tmp / "cache", args.jobs)
        results["first_build"] = first
        # Into another folder: every article from the cache, the release written and checked again.
        results["warm_rebuild"] = warm
        results["warm_over_first"] = round(warm["seconds"] / first["seconds"], 3)
        # Into the first build's folder again: nothing changed, so nothing is written (newsfacts.up_to_date).
        again = timed_build(inputs, tmp / "first", tmp / "cache", args.jobs)
        results["same_build_again"] = again
        results["same_build_again_over_first"] = round(again["seconds"] / first["seconds"], 3)
        if again.pop("checksums") != first["checksums"]:
            sys.exit("same_build_again: the release differs from the first build")
        # One input edited: one document extracted, the release written again.
        edited = sorted(inputs.iterdir())[0]
        edited.write_text(edited.read_text("utf-8") + "\n\nThis paragraph was added.\n", "utf-8")
        one = timed_build(inputs, tmp / "first", tmp / "cache", args.jobs)
        one.pop("checksums")
        results["one_input_edited"] = one
        results["one_input_edited_over_first"] = round(one["seconds"] / first["seconds"], 3)
        edited.write_text(edited.read_text("utf-8").replace("\n\nThis paragraph was added.\n", ""), "utf-8")
        if args.no_cache_build:
            results["no_cache_build"] = timed_build(inputs, tmp / "plain", None, args.jobs)

        if not args.no_resume:
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
