#!/usr/bin/env python3
"""Benchmark the pipeline: median of repeated runs, as ratios against a baseline run in the same process.

The baseline is the irreducible cost: spaCy's parse (`nlp(text)`) of the same cleaned texts. Each stage is
timed over the same documents and reported as seconds (median of --repeat runs) and as a ratio to that
baseline, so the figures compare across machines and over time. Nothing here is a pass/fail test.

    python scripts/bench.py                     # the seeds
    python scripts/bench.py --corpus ../shared/corpora/bbc-2225.tar.gz --limit 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import tarfile
import time
from pathlib import Path

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.figures import find_figures
from newsfacts.annotate.quotes import find_quotes
from newsfacts.clean import clean_document
from newsfacts.documents import RawDocument
from newsfacts.meta import extract_metadata
from newsfacts.pipeline import Annotators
from newsfacts.read import read_folder
from newsfacts.read.files import read_bytes

REPO = Path(__file__).resolve().parents[1]


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
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="a .tar.gz of .txt articles (default: seeds/)")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    annotators = Annotators.load()
    nlp, kb = annotators.nlp, annotators.kb
    raws = load_documents(args.corpus, args.limit)
    cleans = [clean_document(r) for r in raws]
    docs = [nlp(c.text) for c in cleans]
    entities = [find_entities(d, kb) for d in docs]

    stages = {
        "baseline_spacy_parse": lambda: [nlp(c.text) for c in cleans],
        "clean": lambda: [clean_document(r) for r in raws],
        "metadata": lambda: [extract_metadata(c) for c in cleans],
        "entities": lambda: [find_entities(d, kb) for d in docs],
        "quotes": lambda: [find_quotes(d, e) for d, e in zip(docs, entities)],
        "figures": lambda: [find_figures(d, e) for d, e in zip(docs, entities)],
    }
    seconds = {name: median_seconds(stage, args.repeat) for name, stage in stages.items()}
    baseline = seconds["baseline_spacy_parse"]
    total = sum(seconds.values())
    print(json.dumps({
        "documents": len(raws),
        "characters": sum(len(c.text) for c in cleans),
        "repeat": args.repeat,
        "median_seconds": {k: round(v, 4) for k, v in seconds.items()},
        "ratio_to_spacy_parse": {k: round(v / baseline, 3) for k, v in seconds.items()},
        "pipeline_total_ratio": round(total / baseline, 3),
        "documents_per_second": round(len(raws) / total, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
