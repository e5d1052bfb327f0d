#!/usr/bin/env python3
"""Measure the peak memory of `newsfacts validate` on releases of N articles (not a test).

A release of N articles is made by repeating the articles of the committed seed release (`dataset/`) under
fresh ids (each copy keeps its text, spans and items, so the release validates) and writing them with the
release writer, as a build would. Each validation runs in a child interpreter that reports its peak resident
size (VmHWM) and the problems found. `--src DIR` validates with the newsfacts of another source tree (an
older checkout) for a before/after comparison in the same run.

    .venv/bin/python scripts/bench_validate.py 1000 4000
    .venv/bin/python scripts/bench_validate.py 2000 8000 --src /tmp/old-checkout/src --repeat 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

VALIDATE_WRAPPER = """
import json, re, sys, time
from newsfacts.release.validate import validate_release
started = time.perf_counter()
problems = validate_release(sys.argv[1])
seconds = time.perf_counter() - started
peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)) // 1024
print(json.dumps({"peak_rss_mb": peak, "seconds": round(seconds, 1), "problems": len(problems),
                  "rules": sorted({p.rule for p in problems})}))
"""


def copied_articles(source: Path, n: int):
    """`n` (article, copy number) cycling through the release at `source`, copy k under an id derived from
    (original, k)."""
    import pyarrow.parquet as pq

    from newsfacts.models import Article
    from newsfacts.release.layout import config_files

    originals = [row for relative in config_files(source, "articles")
                 for row in pq.read_table(source / relative).to_pylist()]
    for i in range(n):
        copy, which = divmod(i, len(originals))
        row = originals[which]
        new_id = row["id"] if copy == 0 else hashlib.sha256(f"{row['id']}/{copy}".encode()).hexdigest()[:16]
        yield Article.model_validate({**row, "id": new_id}), copy


def write_copies(source: Path, n: int, folder: Path, row_group_bytes: int, shard_bytes: int) -> int:
    """Write the release; only the originals go to the cross-document configs (claims and clusters of
    thousands of identical copies would measure the clustering, not validate)."""
    from newsfacts.release.write import ReleaseWriter

    writer = ReleaseWriter(folder, check=False, row_group_bytes=row_group_bytes, shard_bytes=shard_bytes)
    collectors = writer.collectors
    for article, copy in sorted(copied_articles(source, n), key=lambda pair: pair[0].id):
        writer.collectors = collectors if copy == 0 else {}
        writer.add(article)
    writer.collectors = collectors
    return sum(writer.finish({}).values())


def uncompressed_bytes(files: list[Path]) -> int:
    """Uncompressed bytes of the Parquet files, as their metadata declares them."""
    import pyarrow.parquet as pq

    total = 0
    for path in files:
        metadata = pq.ParquetFile(path).metadata
        total += sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    return total


def measure(folder: Path, src: Path | None, repeat: int) -> dict:
    """Medians of `repeat` validations of `folder` (each in its own interpreter)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    runs = [json.loads(subprocess.run([sys.executable, "-c", VALIDATE_WRAPPER, str(folder)], capture_output=True,
                                      text=True, env=env, check=True).stdout) for _ in range(repeat)]
    return {**runs[0], "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
            "seconds": statistics.median(r["seconds"] for r in runs), "runs": len(runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="+", metavar="N", help="articles per release")
    parser.add_argument("--source", type=Path, default=REPO / "dataset", help="release whose articles are repeated")
    parser.add_argument("--src", type=Path, help="also validate with the newsfacts of this source tree (its src/)")
    parser.add_argument("--row-group-bytes", type=int, default=4 * 1024 * 1024)
    parser.add_argument("--shard-bytes", type=int, default=64 * 1024 * 1024)
    parser.add_argument("--repeat", type=int, default=1, help="validations per tree and size (medians reported)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"release-{n}"
            rows = write_copies(args.source, n, folder, args.row_group_bytes, args.shard_bytes)
            files = list((folder / "data").rglob("*.parquet"))
            size = sum(p.stat().st_size for p in files)
            result = {"rows": rows, "parquet_mb": round(size / 2**20, 1),
                      "uncompressed_mb": round(uncompressed_bytes(files) / 2**20),
                      "this tree": measure(folder, None, args.repeat)}
            if args.src is not None:
                result[str(args.src)] = measure(folder, args.src, args.repeat)
            results[n] = result
            print(json.dumps({n: result}), file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
