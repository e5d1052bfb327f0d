#!/usr/bin/env python3
"""Choose the 30 BBC articles of the attribution development set and write ``articles.tsv``.

Deterministic, by path only (never by content):

1. every ``bbc/<category>/<NNN>.txt`` of ``corpora/bbc-2225.tar.gz``, in name order;
2. drop the articles earlier sessions looked at:
   * the first 300 paths in name order (``scripts/bench.py --limit``),
   * the first 60 of each category in name order (``scripts/bench_cache.py``'s 300, taken round-robin),
   * every 4th article of each category in name order (index 0, 4, 8, ...: the retention gate,
     ``newsfacts.evaluation.retention.BBC_SAMPLE_EVERY``; it covers the entity gold's 001, 033, 065, ...),
   * any path named in a file under ``eval/gold/`` (the entity gold);
3. order the rest of each category by the sha256 of the path string (UTF-8) and take the first 6;
4. number them 1-30 interleaving categories in name order: article ``i`` is rank ``(i-1)//5`` of category
   ``(i-1)%5`` (business, entertainment, politics, sport, tech), so 1-15 (annotator A) and 16-30
   (annotator B) each hold three articles of every category.

``articles.tsv`` records each file's sha256 of its bytes, so a changed corpus is detected.

    python eval/gold/bbc30/select.py [SHARED_DIR]      # default: ../shared beside the repository
"""

from __future__ import annotations

import hashlib
import re
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
PER_CATEGORY = 6
BENCH_FIRST = 300
BENCH_CACHE_PER_CATEGORY = 60
RETENTION_EVERY = 4


def earlier_gold_paths() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "eval" / "gold").rglob("*"):
        if path.is_file() and HERE not in path.parents:
            found.update(re.findall(r"bbc/[a-z]+/\d{3}\.txt", path.read_text("utf-8", errors="replace")))
    return found


def select(archive_path: Path) -> list[tuple[int, str, str]]:
    """(number, path, sha256 of the bytes) for the 30 articles."""
    with tarfile.open(archive_path) as archive:
        members = {m.name: m for m in archive.getmembers()
                   if m.isfile() and m.name.endswith(".txt") and "README" not in m.name.upper()}
        names = sorted(members)
        excluded = set(names[:BENCH_FIRST]) | earlier_gold_paths()
        by_category: dict[str, list[str]] = {}
        for name in names:
            by_category.setdefault(name.split("/")[1], []).append(name)
        for paths in by_category.values():
            excluded.update(paths[:BENCH_CACHE_PER_CATEGORY])
            excluded.update(paths[::RETENTION_EVERY])
        chosen: dict[str, list[str]] = {}
        for category, paths in sorted(by_category.items()):
            rest = [p for p in paths if p not in excluded]
            chosen[category] = sorted(rest, key=lambda p: hashlib.sha256(p.encode("utf-8")).hexdigest())[:PER_CATEGORY]
        categories = sorted(chosen)
        rows = []
        for i in range(PER_CATEGORY * len(categories)):
            path = chosen[categories[i % len(categories)]][i // len(categories)]
            digest = hashlib.sha256(archive.extractfile(members[path]).read()).hexdigest()
            rows.append((i + 1, path, digest))
        return rows


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else REPO.parent / "shared"
    rows = select(shared / "corpora" / "bbc-2225.tar.gz")
    lines = ["number\tpath\tsha256\tannotator"]
    lines += [f"{n}\t{path}\t{digest}\t{'A' if n <= 15 else 'B'}" for n, path, digest in rows]
    (HERE / "articles.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
