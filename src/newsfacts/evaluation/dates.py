"""Publication dates against the hand-made gold file `eval/gold/dates.json` (article-bench pages with their
URL as a sidecar hint, and the seeds). A wrong date is worse than an honest null, so precision on the
non-null answers is reported beside accuracy (null counts as right when the gold is null).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from newsfacts.clean import clean_document
from newsfacts.documents import Hints, RawDocument
from newsfacts.evaluation import REPO_ROOT
from newsfacts.evaluation.boilerplate import bench_documents
from newsfacts.meta import extract_metadata

GOLD = REPO_ROOT / "eval" / "gold" / "dates.json"


def seed_document(path: Path) -> RawDocument:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return RawDocument(path=path.name, sha256=digest, id=digest[:16], format="txt", encoding="utf-8",
                       raw=data.decode("utf-8"))


def predictions(shared_dir: Path, with_urls: bool = True) -> list[tuple[str, str, str | None, str | None]]:
    """(gold section, item, gold date, predicted date) for every gold item. Without URLs, the pages are
    read as bare dumps (no sidecar), the way many inputs arrive."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    rows = []
    bench = dict(bench_documents(shared_dir))
    for section in ("article-bench", "article-bench-heldout"):
        for key, value in sorted(gold[section].items()):
            raw = bench[key] if with_urls else dataclasses.replace(bench[key], hints=Hints())
            rows.append((section, key, value, extract_metadata(clean_document(raw)).date.value))
    for name, value in sorted(gold["seeds"].items()):
        raw = seed_document(shared_dir / "seeds" / name)
        rows.append(("seeds", name, value, extract_metadata(clean_document(raw)).date.value))
    return rows


def metrics(rows: list[tuple[str, str, str | None, str | None]], prefix: str = "") -> dict[str, float]:
    answered = [r for r in rows if r[3] is not None]
    dated = [r for r in rows if r[2] is not None]
    return {
        f"{prefix}accuracy": sum(r[2] == r[3] for r in rows) / len(rows),
        f"{prefix}precision_non_null": sum(r[2] == r[3] for r in answered) / len(answered) if answered else 0.0,
        f"{prefix}coverage": len(answered) / len(rows),
        f"{prefix}recall_dated": sum(r[2] == r[3] for r in dated) / len(dated) if dated else 0.0,
    }


def score(shared_dir: Path) -> dict[str, float]:
    rows = predictions(shared_dir)
    bare = predictions(shared_dir, with_urls=False)
    # All items together, the held-out half alone (labelled after the rules were written), and the pages
    # without their URL: some gold dates come only from the URL, so there only precision is comparable.
    nourl = metrics(bare, "nourl_")
    return (metrics(rows) | metrics([r for r in rows if r[0] == "article-bench-heldout"], "heldout_")
            | {k: v for k, v in nourl.items() if k in ("nourl_precision_non_null", "nourl_coverage")})
