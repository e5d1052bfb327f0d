#!/usr/bin/env python3
"""Benchmark the pipeline: median of repeated runs, as ratios against a baseline run in the same process.

The baseline is a plain spaCy pass: the stock model's `nlp.pipe` over the same cleaned texts. Each stage
is timed over the same documents and reported as CPU seconds (median of --repeat runs; the machine may be
shared) and as a ratio to that baseline, with the share of each spaCy component in our parse, documents and
words per CPU second, and peak memory. Nothing here is a pass/fail test.

    python scripts/bench.py                     # the seeds
    python scripts/bench.py --corpus ../shared/corpora/bbc-2225.tar.gz --limit 200
    python scripts/bench.py --pathological      # time per document by input size for hostile shapes
    python scripts/bench.py --end-to-end --corpus ../shared/corpora/bbc-2225.tar.gz --limit 300 --repeat 3

`--end-to-end` runs `newsfacts build --jobs 1` and `--jobs 2` from the command line against a plain spaCy
`nlp.pipe` over the same files (model loading included in both), in interleaved rounds, and reports the
spaCy/build ratio (wall and CPU), the speed-up from one to two jobs, documents and words per CPU second and
peak memory; `--compare-src OTHER/src` builds another checkout too, at every job count, for before/after in
the same run (`this_over_other_wall_jobs_N`, `..._cpu_...`: the median of the rounds' ratios, below 1 when
this checkout is faster).

`--pathological` builds one document per shape and size (many quotes, many joined articles, a long run
without spaces, many numbers, deeply nested quotes, one very long sentence ...), doubling the size each
step, and times every stage on it. Each row shows the seconds per stage, the ratio of the whole pipeline to
spaCy's parse of the same text, and the growth when the size doubles (2.0 is linear; 4.0 is quadratic).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.figures import find_figures
import spacy

from newsfacts.annotate.nlp import model_name, parse, parse_many
from newsfacts.annotate.quotes import find_quotes
from newsfacts.clean import clean_document
from newsfacts.documents import RawDocument
from newsfacts.meta import extract_metadata
from newsfacts.pipeline import Annotators
from newsfacts.read import read_folder
from newsfacts.read.files import read_bytes

REPO = Path(__file__).resolve().parents[1]
# Above this share of the cores kept busy by other work during a timed run, `--end-to-end` warns.
OTHER_WORK_WARNING = 0.05
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc-2225.tar.gz"


def load_documents(corpus: Path | None, limit: int) -> list[RawDocument]:
    if corpus is None:
        docs = [o for o in read_folder(REPO / "seeds") if isinstance(o, RawDocument)]
    else:
        docs = []
        with tarfile.open(corpus) as archive:
            for member in sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")),
                                 key=lambda m: m.name):
                docs.extend(o for o in read_bytes(archive.extractfile(member).read(), member.name)
                            if isinstance(o, RawDocument))
                if len(docs) >= limit:
                    break
    return docs[:limit]


def median_seconds(function, repeat: int) -> float:
    """Median CPU seconds of this process over `repeat` calls: on a shared machine, wall time measures the
    other users' load as much as ours."""
    timings = []
    for _ in range(repeat):
        started = time.process_time()
        function()
        timings.append(time.process_time() - started)
    return statistics.median(timings)


# ---- pathological shapes ---------------------------------------------------------------------------------


def _bbc_bodies(corpus: Path, count: int) -> list[str]:
    """The first `count` BBC articles' text (title line dropped), in name order."""
    bodies = []
    with tarfile.open(corpus) as archive:
        members = sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")),
                         key=lambda m: m.name)
        for member in members:
            try:
                text = archive.extractfile(member).read().decode("utf-8")
            except UnicodeDecodeError:
                continue
            bodies.append(text.split("\n", 1)[-1].strip())
            if len(bodies) == count:
                break
    return bodies


def pathological_shapes(corpus: Path | None) -> dict[str, Callable[[int], str]]:
    """Each shape: size -> the text of one hostile document of that size (size is the shape's own unit)."""
    title = ""
    shapes: dict[str, Callable[[int], str]] = {
        # One paragraph of n attributed quotes: the per-quote rescans of the quote finder.
        "quotes_one_paragraph": lambda n: title + " ".join(f'"Word {i}," he said.' for i in range(n)),
        # n quote paragraphs: the same with line breaks (each quote its own paragraph).
        "quotes_paragraphs": lambda n: title + "\n\n".join(f'"Word {i}," he said.' for i in range(n)),
        # n characters of digits with no space: regexes that backtrack on a long run.
        "digits_run": lambda n: title + "1" * n,
        # n characters of letters with no space.
        "letters_run": lambda n: title + "a" * n,
        # n figures in one paragraph.
        "many_numbers": lambda n: title + " ".join(f"{i:,} people paid ${i}.5 million." for i in range(1, n + 1)),
        # n words in one sentence (no full stop): sentence-level walks.
        "long_sentence": lambda n: title + " ".join(("Kim", "told", "the", "soldiers", "that", "Russia", "and")[i % 7]
                                                     for i in range(n)) + ".",
        # n attributed quotes in one sentence (no full stop): per-quote walks over the sentence.
        "quotes_one_sentence": lambda n: title + ", and ".join(f'Kim said "the word {i} is here"' for i in range(n)) + ".",
        # n unattributed (scare) quotes in one sentence: every attribution rule tried and failed per quote.
        "scare_quotes_one_sentence": lambda n: title + "The report had " + ", ".join(
            f'the "odd thing {i}"' for i in range(n)) + ".",
        # n claimed figures in one sentence: per-figure walks over the sentence and its claimants.
        "figures_one_sentence": lambda n: title + ", and ".join(f"the agency said {i + 1},{i:03d} troops died"
                                                                for i in range(n)) + ".",
        # n levels of alternating nested quotes.
        "nested_quotes": lambda n: title + "He said " + "".join('"a \'b ' for _ in range(n))
        + "".join("c' d\" " for _ in range(n)) + "today.",
        # n quotation marks that never pair (unbalanced marks).
        "unbalanced_marks": lambda n: title + " ".join('"open' for _ in range(n)) + ".",
    }
    if corpus is not None and corpus.exists():
        bodies = _bbc_bodies(corpus, 640)
        # n real articles joined into one document, paragraphs kept.
        shapes["joined_articles"] = lambda n: title + "\n\n".join(bodies[:n])
    return shapes


DEFAULT_SIZES = {
    "quotes_one_paragraph": (250, 500, 1000, 2000),
    "quotes_paragraphs": (250, 500, 1000, 2000),
    "digits_run": (25_000, 50_000, 100_000, 200_000),
    "letters_run": (25_000, 50_000, 100_000, 200_000),
    "many_numbers": (250, 500, 1000, 2000),
    "long_sentence": (2_500, 5_000, 10_000, 20_000),
    "quotes_one_sentence": (250, 500, 1000, 2000),
    "scare_quotes_one_sentence": (250, 500, 1000, 2000),
    "figures_one_sentence": (250, 500, 1000, 2000),
    "nested_quotes": (250, 500, 1000, 2000),
    "unbalanced_marks": (2_500, 5_000, 10_000, 20_000),
    "joined_articles": (10, 20, 40, 80),
}


def time_document(text: str, annotators: Annotators, repeat: int) -> dict[str, float]:
    """Seconds per stage (median of `repeat`) for one document, plus spaCy's own parse as the baseline."""
    # A JSON Lines record: its text reaches the annotators as given (a page dump's cleaner would drop
    # most of these shapes as furniture before they could hurt).
    record = json.dumps({"title": "Pathological input", "text": text}) + "\n"
    raw = next(o for o in read_bytes(record.encode("utf-8"), "bench.jsonl", max_bytes=1 << 30)
               if isinstance(o, RawDocument))
    clean = clean_document(raw)
    doc = parse(annotators.nlp, clean.text)
    entities = find_entities(doc, annotators.kb)
    stages = {
        "clean": lambda: clean_document(raw),
        "metadata": lambda: extract_metadata(clean),
        "parse": lambda: parse(annotators.nlp, clean.text),
        "entities": lambda: find_entities(doc, annotators.kb),
        "quotes": lambda: find_quotes(doc, entities),
        "figures": lambda: find_figures(doc, entities),
    }
    seconds = {name: median_seconds(stage, repeat) for name, stage in stages.items()}
    seconds["total"] = sum(seconds.values())
    seconds["characters"] = len(clean.text)
    return seconds


def pathological_table(annotators: Annotators, corpus: Path | None, only: list[str] | None, repeat: int,
                       budget: float) -> list[dict]:
    rows = []
    for shape, make in pathological_shapes(corpus).items():
        if only and shape not in only:
            continue
        previous = None
        for size in DEFAULT_SIZES[shape]:
            seconds = time_document(make(size), annotators, repeat)
            row = {"shape": shape, "size": size, **{k: round(v, 3) for k, v in seconds.items()}}
            if previous is not None:
                row["growth_x2"] = round(seconds["total"] / max(previous["total"], 1e-6), 2)
            rows.append(row)
            print(_format_row(row), flush=True)
            previous = seconds
            if seconds["total"] > budget:
                break  # the next size would take too long; the growth so far tells the story
    return rows


_COLUMNS = ("shape", "size", "characters", "clean", "metadata", "parse", "entities", "quotes", "figures", "total",
            "growth_x2")


def _format_row(row: dict) -> str:
    return " | ".join(str(row.get(c, "")) for c in _COLUMNS)


# ---- end to end: `newsfacts build` against a plain spaCy pass, from the command line ------------------------

# The plain spaCy pass: load the same model and run `nlp.pipe` over the same texts (the files' contents).
_SPACY_PASS = """
import sys
from pathlib import Path
import spacy
texts = [p.read_text("utf-8", errors="replace") for p in sorted(Path(sys.argv[2]).iterdir()) if p.suffix == ".txt"]
for _ in spacy.load(sys.argv[1]).pipe(texts):
    pass
"""


def write_corpus(corpus: Path, limit: int, folder: Path) -> int:
    """The first `limit` .txt articles of a .tar.gz corpus (or the seeds' .txt files) as files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    if corpus is None:
        sources = sorted((REPO / "seeds").glob("*.txt"))[:limit]
        for source in sources:
            (folder / source.name).write_bytes(source.read_bytes())
        return len(sources)
    count = 0
    with tarfile.open(corpus) as archive:
        for member in sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")),
                             key=lambda m: m.name):
            (folder / member.name.replace("/", "_")).write_bytes(archive.extractfile(member).read())
            count += 1
            if count == limit:
                break
    return count


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot, every process and core counted (Linux's
    /proc/stat: user, nice, system, irq, softirq and steal time); None where there is no /proc/stat."""
    import os

    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def timed_command(command: list[str], env: dict | None = None) -> tuple[float, float, int, float | None]:
    """(wall seconds, CPU seconds of the command and its children, peak resident kB of its largest process,
    the share of the machine's cores that other work kept busy meanwhile, or None where unknown).

    The last figure is why a ratio may be off: a job count's runs compete with whatever else runs. A run at
    one job also slows when the other core is busy (the cores share caches and, on a virtual machine, often
    one physical core), so a busy machine can show two jobs over twice as fast as one. `nice` does not keep
    other work away: with the kernel's automatic session groups (sched_autogroup) a niced process in another
    session still gets an equal share."""
    import os
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before = machine_busy_seconds()
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - started
    busy_after = machine_busy_seconds()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    others = None
    if busy_before is not None and busy_after is not None:
        # /proc/stat's first line sums every CPU of the machine, not only those this process may run on
        others = round(max(0.0, (busy_after - busy_before - cpu) / (wall * (os.cpu_count() or 1))), 3)
    return wall, cpu, after.ru_maxrss, others


def end_to_end(corpus: Path | None, limit: int, repeat: int, jobs: tuple[int, ...], model: str,
               other_src: Path | None = None) -> dict:
    """Medians of `repeat` rounds; each round runs the spaCy pass and a build per job count, interleaved, so
    the ratios compare runs that met the same load on a shared machine. With `other_src` (another checkout's
    src/ folder), each round also builds with that code at every job count, for before/after ratios."""
    import os
    import shutil
    import sys
    import tempfile

    python = sys.executable
    newsfacts = str(Path(python).parent / "newsfacts")
    work = Path(tempfile.mkdtemp(prefix="newsfacts-bench-"))
    try:
        documents = write_corpus(corpus, limit, work / "in")
        words = sum(len(p.read_text("utf-8", errors="replace").split()) for p in (work / "in").iterdir())
        env = {**os.environ, "NEWSFACTS_SPACY_MODEL": model}
        rounds: dict[str, list[tuple[float, float, int]]] = {"spacy": [], **{f"build_jobs_{j}": [] for j in jobs}}
        if other_src is not None:
            rounds.update({f"other_build_jobs_{j}": [] for j in jobs})
        for _ in range(repeat):
            rounds["spacy"].append(timed_command([python, "-c", _SPACY_PASS, model, str(work / "in")], env))
            for j in jobs:
                if other_src is not None:
                    shutil.rmtree(work / "out", ignore_errors=True)
                    rounds[f"other_build_jobs_{j}"].append(timed_command(
                        [python, "-c", "from newsfacts.cli import main; raise SystemExit(main())", "build", "--input",
                         str(work / "in"), "--output", str(work / "out"), "--jobs", str(j), "--no-cache", "--quiet"],
                        {**env, "PYTHONPATH": str(other_src.resolve())}))
                shutil.rmtree(work / "out", ignore_errors=True)
                rounds[f"build_jobs_{j}"].append(timed_command(
                    [newsfacts, "build", "--input", str(work / "in"), "--output", str(work / "out"), "--jobs", str(j),
                     "--no-cache", "--quiet"], env))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    wall = {name: [r[0] for r in runs] for name, runs in rounds.items()}
    cpu = {name: [r[1] for r in runs] for name, runs in rounds.items()}
    # per round ratios, then their median: a round's runs met the same load
    spacy_over_build = {f"jobs_{j}": [s / b for s, b in zip(wall["spacy"], wall[f"build_jobs_{j}"])] for j in jobs}
    spacy_over_build_cpu = [s / b for s, b in zip(cpu["spacy"], cpu[f"build_jobs_{jobs[0]}"])]
    if other_src is not None:
        spacy_over_build.update({f"other_jobs_{j}": [s / b for s, b in zip(wall["spacy"], wall[f"other_build_jobs_{j}"])]
                                 for j in jobs})
    report = {
        "documents": documents,
        "words": words,
        "repeat": repeat,
        "median_wall_seconds": {k: round(statistics.median(v), 2) for k, v in wall.items()},
        "median_cpu_seconds": {k: round(statistics.median(v), 2) for k, v in cpu.items()},
        "spacy_over_build_wall": {k: round(statistics.median(v), 3) for k, v in spacy_over_build.items()},
        f"spacy_over_build_cpu_jobs_{jobs[0]}": round(statistics.median(spacy_over_build_cpu), 3),
        **({f"spacy_over_other_build_cpu_jobs_{jobs[0]}": round(statistics.median(
            [s / b for s, b in zip(cpu["spacy"], cpu[f"other_build_jobs_{jobs[0]}"])]), 3)} if other_src is not None else {}),
        **({f"this_over_other_{measure}_jobs_{j}": round(statistics.median(
            [t / o for t, o in zip(times[f"build_jobs_{j}"], times[f"other_build_jobs_{j}"])]), 3)
            for measure, times in (("wall", wall), ("cpu", cpu)) for j in jobs} if other_src is not None else {}),
        "peak_resident_mb_largest_process": round(max(r[2] for runs in rounds.values() for r in runs) / 1024),
    }
    # Per run, the share of the cores other work kept busy: a ratio from runs with more than a few percent
    # measures the machine's load as much as newsfacts.
    report["other_work_share_of_cores"] = {name: [r[3] for r in runs] for name, runs in rounds.items()}
    shares = [r[3] for runs in rounds.values() for r in runs if r[3] is not None]
    if shares and max(shares) > OTHER_WORK_WARNING:
        report["warning"] = (f"other work kept up to {max(shares):.0%} of the cores busy during a run: the ratios "
                             "are not those of a quiet machine")
    one = f"build_jobs_{jobs[0]}"
    build_cpu = statistics.median(cpu[one])
    report["documents_per_cpu_second"] = round(documents / build_cpu, 2)
    report["words_per_cpu_second"] = round(words / build_cpu)
    for j in jobs[1:]:
        speedups = [a / b for a, b in zip(wall[one], wall[f"build_jobs_{j}"])]
        report[f"speedup_jobs_{j}_over_{jobs[0]}"] = round(statistics.median(speedups), 3)
        report[f"speedup_jobs_{j}_over_{jobs[0]}_runs"] = [round(x, 3) for x in speedups]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="a .tar.gz of .txt articles (default: seeds/)")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pathological", action="store_true",
                        help="time hostile document shapes by size instead of a corpus")
    parser.add_argument("--shape", action="append", help="with --pathological: only this shape (repeatable)")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="with --pathological: stop growing a shape once one document takes this many seconds")
    parser.add_argument("--end-to-end", action="store_true",
                        help="time `newsfacts build` from the command line (one and two jobs) against a plain "
                             "spaCy nlp.pipe over the same files, model loading included in both")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="with --end-to-end: job counts")
    parser.add_argument("--compare-src", type=Path,
                        help="with --end-to-end: another checkout's src/ folder, built at each job count in each "
                             "round too")
    args = parser.parse_args()
    if args.end_to_end:
        print(json.dumps(end_to_end(args.corpus, args.limit, args.repeat, tuple(args.jobs), model_name(),
                                    args.compare_src), indent=2))
        return

    annotators = Annotators.load()
    if args.pathological:
        print(" | ".join(_COLUMNS))
        rows = pathological_table(annotators, args.corpus or DEFAULT_CORPUS, args.shape, args.repeat, args.budget)
        print(json.dumps(rows, indent=2))
        return
    nlp, kb = annotators.nlp, annotators.kb
    raws = load_documents(args.corpus, args.limit)
    cleans = [clean_document(r) for r in raws]
    texts = [c.text for c in cleans]
    docs = parse_many(nlp, texts)
    entities = [find_entities(d, kb) for d in docs]
    plain = spacy.load(model_name())  # the stock pipeline, as a user would run it

    stages = {
        "baseline_spacy_pipe": lambda: list(plain.pipe(texts)),
        "clean": lambda: [clean_document(r) for r in raws],
        "metadata": lambda: [extract_metadata(c) for c in cleans],
        "parse": lambda: parse_many(nlp, texts),
        "entities": lambda: [find_entities(d, kb) for d in docs],
        "quotes": lambda: [find_quotes(d, e) for d, e in zip(docs, entities)],
        "figures": lambda: [find_figures(d, e) for d, e in zip(docs, entities)],
    }
    seconds = {name: median_seconds(stage, args.repeat) for name, stage in stages.items()}
    components = component_seconds(nlp, texts, args.repeat)
    baseline = seconds.pop("baseline_spacy_pipe")
    total = sum(seconds.values())
    words = sum(len(t.split()) for t in texts)
    print(json.dumps({
        "documents": len(raws),
        "characters": sum(len(t) for t in texts),
        "words": words,
        "repeat": repeat_note(args.repeat),
        "median_cpu_seconds": {"baseline_spacy_pipe": round(baseline, 4), **{k: round(v, 4) for k, v in seconds.items()}},
        "ratio_to_spacy_pipe": {k: round(v / baseline, 3) for k, v in seconds.items()},
        "parse_components_share": {k: round(v / sum(components.values()), 3) for k, v in components.items()},
        "pipeline_total_ratio": round(total / baseline, 3),
        "spacy_over_pipeline": round(baseline / total, 3),
        "documents_per_cpu_second": round(len(raws) / total, 1),
        "words_per_cpu_second": round(words / total),
        "peak_resident_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }, indent=2))


def repeat_note(repeat: int) -> str:
    return f"median of {repeat} runs, CPU time of this process"


def component_seconds(nlp, texts: list[str], repeat: int) -> dict[str, float]:
    """CPU seconds per component of the pipeline (median of `repeat`), each run over the whole batch."""
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        started = time.process_time()
        docs = [nlp.make_doc(t) for t in texts]
        runs.setdefault("tokenizer", []).append(time.process_time() - started)
        for name, component in nlp.pipeline:
            started = time.process_time()
            docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(d) for d in docs]
            runs.setdefault(name, []).append(time.process_time() - started)
    return {name: statistics.median(values) for name, values in runs.items()}

if __name__ == "__main__":
    main()
