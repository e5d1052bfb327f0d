"""Publication dates against two gold sets. A wrong date is worse than an honest null, so precision on the
non-null answers is reported beside accuracy (null counts as right when the gold is null) and coverage.

- `eval/gold/dates.json`: hand-made for this project (article-bench pages with their URL as a sidecar hint,
  and the seeds). Metrics without a prefix; `heldout_` for the half labelled after the rules were written;
  `nourl_` for the same pages read as bare dumps.
- `devdata/web-dates`: 40 English web pages from other projects' evaluation data (htmldate, trafilatura),
  each scored three ways: the text dump with its URL (`web_text_url_`), the text dump alone
  (`web_text_nourl_`) and the HTML page with its URL (`web_html_`). The pages are split in two fixed halves
  by the sha256 of their id (`fit`: the half rules may be fitted on; `check`: the half they are checked on),
  reported separately so the gap between them shows how well a rule generalises.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from newsfacts.clean import clean_document
from newsfacts.documents import Hints, RawDocument
from newsfacts.evaluation import REPO_ROOT
from newsfacts.evaluation.boilerplate import bench_documents
from newsfacts.meta import extract_metadata

GOLD = REPO_ROOT / "eval" / "gold" / "dates.json"

Row = tuple[str, str, str | None, str | None]  # (section, item, gold date, predicted date)


def seed_document(path: Path) -> RawDocument:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return RawDocument(path=path.name, sha256=digest, id=digest[:16], format="txt", encoding="utf-8",
                       raw=data.decode("utf-8"))


def predicted_date(raw: RawDocument) -> str | None:
    return extract_metadata(clean_document(raw)).date.value


def predictions(shared_dir: Path, with_urls: bool = True) -> list[Row]:
    """(gold section, item, gold date, predicted date) for every gold item. Without URLs, the pages are
    read as bare dumps (no sidecar), the way many inputs arrive."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    rows = []
    bench = dict(bench_documents(shared_dir))
    for section in ("article-bench", "article-bench-heldout"):
        for key, value in sorted(gold[section].items()):
            raw = bench[key] if with_urls else dataclasses.replace(bench[key], hints=Hints())
            rows.append((section, key, value, predicted_date(raw)))
    for name, value in sorted(gold["seeds"].items()):
        raw = seed_document(shared_dir / "seeds" / name)
        rows.append(("seeds", name, value, predicted_date(raw)))
    return rows


def web_split(ids: list[str]) -> dict[str, str]:
    """Each id's half: the ids ordered by the sha256 of the id, the first half `fit`, the rest `check`.
    Fixed by the ids alone, so adding a page moves at most the pages around it."""
    ordered = sorted(ids, key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())
    half = (len(ordered) + 1) // 2
    return {i: ("fit" if n < half else "check") for n, i in enumerate(ordered)}


def _raw(path: str, data: bytes, fmt: str, url: str | None) -> RawDocument:
    digest = hashlib.sha256(data).hexdigest()
    return RawDocument(path=path, sha256=digest, id=digest[:16], format=fmt, encoding="utf-8",
                       raw=data.decode("utf-8", errors="replace"),
                       hints=Hints(url=url, url_method="sidecar" if url else None))


WEB_MODES: dict[str, Callable[[Path, str], RawDocument]] = {
    # The text dump with its URL as a sidecar hint, as a saved page usually arrives.
    "text_url": lambda pages, i: _raw(f"{i}.txt", (pages / f"{i}.txt").read_bytes(), "txt",
                                      (pages / f"{i}.url").read_text(encoding="utf-8").strip()),
    # The same dump alone: only what the visible text says.
    "text_nourl": lambda pages, i: _raw(f"{i}.txt", (pages / f"{i}.txt").read_bytes(), "txt", None),
    # The HTML page with its URL.
    "html": lambda pages, i: _raw(f"{i}.html", gzip.decompress((pages / f"{i}.html.gz").read_bytes()), "html",
                                  (pages / f"{i}.url").read_text(encoding="utf-8").strip()),
}


def web_predictions(shared_dir: Path, mode: str) -> list[Row]:
    """(half, id, gold date, predicted date) for every web-dates page read in `mode`."""
    folder = shared_dir / "devdata" / "web-dates"
    gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    halves = web_split([g["id"] for g in gold])
    make = WEB_MODES[mode]
    return [(halves[g["id"]], g["id"], g["date"], predicted_date(make(folder / "pages", g["id"])))
            for g in sorted(gold, key=lambda g: g["id"])]


def metrics(rows: list[Row], prefix: str = "") -> dict[str, float]:
    answered = [r for r in rows if r[3] is not None]
    dated = [r for r in rows if r[2] is not None]
    return {
        f"{prefix}accuracy": sum(r[2] == r[3] for r in rows) / len(rows),
        f"{prefix}precision_non_null": sum(r[2] == r[3] for r in answered) / len(answered) if answered else 0.0,
        f"{prefix}coverage": len(answered) / len(rows),
        f"{prefix}recall_dated": sum(r[2] == r[3] for r in dated) / len(dated) if dated else 0.0,
    }


def web_metrics(shared_dir: Path) -> dict[str, float]:
    """Accuracy, precision on non-null answers and coverage on web-dates, per mode, all pages and per half.
    Every gold date is non-null, so recall equals accuracy and is not repeated."""
    scores: dict[str, float] = {}
    for mode in WEB_MODES:
        rows = web_predictions(shared_dir, mode)
        for part, selected in (("", rows), ("fit_", [r for r in rows if r[0] == "fit"]),
                               ("check_", [r for r in rows if r[0] == "check"])):
            found = metrics(selected, f"web_{mode}_{part}")
            scores |= {k: v for k, v in found.items() if not k.endswith("recall_dated")}
    return scores


def score(shared_dir: Path) -> dict[str, float]:
    rows = predictions(shared_dir)
    bare = predictions(shared_dir, with_urls=False)
    # All items together, the held-out half alone (labelled after the rules were written), and the pages
    # without their URL: some gold dates come only from the URL, so there only precision is comparable.
    nourl = metrics(bare, "nourl_")
    return (metrics(rows) | metrics([r for r in rows if r[0] == "article-bench-heldout"], "heldout_")
            | {k: v for k, v in nourl.items() if k in ("nourl_precision_non_null", "nourl_coverage")}
            | web_metrics(shared_dir))
