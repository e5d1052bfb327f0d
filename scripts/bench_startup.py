#!/usr/bin/env python3
"""Measure the command line's start-up cost (not a test): `import newsfacts`, `newsfacts --help`,
`newsfacts validate dataset`, `newsfacts schema`, `newsfacts diff dataset dataset` and an up-to-date
`newsfacts build` of seeds/, or with `--bbc N` of N BBC articles (the same build again into the folder a first
build wrote: nothing is written), each in a fresh interpreter, timed end to end (interpreter start included):
wall clock, and CPU time (user + system), which depends less on what else runs on a shared machine.

`--src DIR` adds the newsfacts of another source tree (an older checkout) as a second variant: the variants
take turns in every round, so both see the same load on a shared machine, and the report gives each
command's median over the rounds and the ratio of this tree's median to the other's. Also printed: the
heavy third-party packages each command imported (a child run with `sys.modules` listed at exit).

The children may write bytecode (`__pycache__`), as an installed package has it, whatever
PYTHONDONTWRITEBYTECODE says, and one untimed round runs first; `--no-bytecode` keeps every run compiling
newsfacts' own modules from source instead (PYTHONDONTWRITEBYTECODE=1; the `__pycache__` folders of the
measured source trees' newsfacts package are deleted first).

    .venv/bin/python scripts/bench_startup.py --rounds 7
    .venv/bin/python scripts/bench_startup.py --rounds 7 --src /tmp/old-checkout --json startup.json
    .venv/bin/python scripts/bench_startup.py --rounds 7 --src /tmp/old-checkout --bbc 300
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
NEWSFACTS = PYTHON.parent / "newsfacts"
HEAVY = ("spacy", "thinc", "datasets", "pandas", "huggingface_hub", "trafilatura", "justext", "htmldate",
         "lxml", "ray", "matplotlib", "pyarrow", "numpy", "pydantic")
# Run a command line's `main` as the console script does, then list the heavy packages it imported.
MODULES_WRAPPER = """
import atexit, sys
heavy = %r
atexit.register(lambda: print("MODULES " + " ".join(m for m in heavy if m in sys.modules), file=sys.stderr))
from newsfacts.cli import main
sys.argv[0] = "newsfacts"
sys.exit(main())
"""


def commands(work: Path, version: str, bbc: Path | None) -> dict[str, list[str]]:
    if bbc is None:
        build = [str(NEWSFACTS), "build", "--input", "seeds", "--output", str(work / "out"), "--strict",
                 "--name", "newsfacts", "--license", "other", "--version", version,
                 "--card-notes", "scripts/seed-card.md", "--curation", "curation/seeds.yaml",
                 "--cache", str(work / "cache"), "--quiet"]
    else:
        build = [str(NEWSFACTS), "build", "--input", str(bbc), "--output", str(work / "out"),
                 "--cache", str(work / "cache"), "--quiet"]
    return {
        "python -c pass": [str(PYTHON), "-c", "pass"],
        "import newsfacts": [str(PYTHON), "-c", "import newsfacts"],
        "newsfacts --help": [str(NEWSFACTS), "--help"],
        "newsfacts validate dataset": [str(NEWSFACTS), "validate", "dataset", "--quiet"],
        "newsfacts schema": [str(NEWSFACTS), "schema", "--output", str(work / "schema")],
        "newsfacts diff dataset dataset": [str(NEWSFACTS), "diff", "dataset", "dataset"],
        "newsfacts build (up to date)": build,
    }


def environment(src: Path | None, bytecode: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for cache in ((src or REPO) / "src" / "newsfacts").rglob("__pycache__"):  # none to read either
            shutil.rmtree(cache)
    if src is not None:
        env["PYTHONPATH"] = str(src / "src")
    return env


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system, the child and its own children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imported(argv: list[str], env: dict[str, str]) -> list[str]:
    if argv[0] == str(PYTHON):
        code = argv[2] + f"\nimport sys\nprint('MODULES ' + ' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
        argv = [str(PYTHON), "-c", code]
    else:
        argv = [str(PYTHON), "-c", MODULES_WRAPPER % (HEAVY,), *argv[1:]]
    done = subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = [x for x in done.stderr.splitlines() if x.startswith("MODULES")]
    return line[-1].split()[1:] if line else ["?"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7, help="timed runs of every command per variant (default 7)")
    parser.add_argument("--src", type=Path, help="another source tree to compare with (its src/ is put first on "
                        "PYTHONPATH)")
    parser.add_argument("--no-bytecode", dest="bytecode", action="store_false",
                        help="compile newsfacts' modules from source in every run (no __pycache__ read or written)")
    parser.add_argument("--bbc", type=int, metavar="N", help="build N BBC articles (scripts/bench_cache.py's "
                        "choice from $NEWSFACTS_SHARED/corpora/bbc-2225.tar.gz) instead of seeds/")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    version = subprocess.run([str(PYTHON), "-c", "import newsfacts; print(newsfacts.__version__)"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.strip()
    variants = {"this tree": None} | ({f"--src {args.src}": args.src} if args.src else {})
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        plans, first_builds = {}, {}
        bbc = None
        if args.bbc:
            from bench_cache import CORPUS, extract_corpus  # this script's folder is first on sys.path

            bbc = Path(tmp) / "bbc"
            bbc.mkdir()
            extract_corpus(CORPUS, bbc, args.bbc)
        for label, src in variants.items():
            work = Path(tmp) / str(len(plans))
            plans[label] = (commands(work, version, bbc), environment(src, args.bytecode))
            build = plans[label][0]["newsfacts build (up to date)"]
            first_builds[label] = timed(build, plans[label][1])[0]  # the first build, with an empty cache: one run
            for argv in plans[label][0].values():  # an untimed round (bytecode written, files cached)
                timed(argv, plans[label][1])
        times: dict[str, dict[str, list[tuple[float, float]]]] = {
            label: {name: [] for name in plans[label][0]} for label in plans}
        for _ in range(args.rounds):
            for name in next(iter(plans.values()))[0]:
                for label, (argvs, env) in plans.items():
                    times[label][name].append(timed(argvs[name], env))
        modules = {label: {name: imported(argv, env) for name, argv in argvs.items()}
                   for label, (argvs, env) in plans.items()}
    results = {"rounds": args.rounds, "bytecode": args.bytecode, "load_average": os.getloadavg(),
               "first_build_s": {label: round(t, 3) for label, t in first_builds.items()}, "variants": {}}
    for label in plans:
        results["variants"][label] = {
            name: {"median_s": round(statistics.median(w for w, _ in ts), 3),
                   "median_cpu_s": round(statistics.median(c for _, c in ts), 3),
                   "runs_s": [round(w, 3) for w, _ in ts], "runs_cpu_s": [round(c, 3) for _, c in ts],
                   "imports": modules[label][name]}
            for name, ts in times[label].items()}
    labels = list(plans)
    print(f"medians of {args.rounds} runs, {'with' if args.bytecode else 'without'} bytecode; load average at the "
          f"end {os.getloadavg()[0]:.1f}")
    for key, what in (("median_s", "wall clock"), ("median_cpu_s", "CPU time (user + system)")):
        print(f"\n{what}, seconds")
        header = f"{'command':34}" + "".join(f"{label[:22]:>24}" for label in labels)
        print(header + ("   ratio this/other" if len(labels) == 2 else ""))
        for name in times[labels[0]]:
            medians = [results["variants"][label][name][key] for label in labels]
            row = f"{name:34}" + "".join(f"{m:24.3f}" for m in medians)
            if len(labels) == 2:
                row += f"   {medians[0] / medians[1]:.3f}"
            print(row)
    print()
    for label in labels:
        up_to_date = results["variants"][label]["newsfacts build (up to date)"]["median_s"]
        print(f"{label}: first build (one run, empty cache) {first_builds[label]:.3f} s; up to date / first "
              f"{up_to_date / first_builds[label]:.3f}")
    for label in labels:
        print(f"\nheavy packages imported ({label}):")
        for name, found in modules[label].items():
            print(f"  {name:34} {' '.join(found) or '-'}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
