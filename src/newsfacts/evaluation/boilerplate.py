"""Body extraction on article-bench: bag-of-words token precision/recall/F1 of the cleaned body against the
benchmark's hand-made article bodies, micro-averaged over pages, with the do-nothing baseline (whole dump).

Tokens are lowercase `\\w+` runs, compared as multisets (README of article-bench). The headline is not part of
the gold body, so the body is `text[body_start:]`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from newsfacts.clean import clean_document
from newsfacts.documents import Hints, RawDocument

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def bench_documents(shared_dir: Path) -> list[tuple[str, RawDocument]]:
    """(key, RawDocument) for every page of article-bench, with its URL as a sidecar hint."""
    bench = shared_dir / "devdata" / "article-bench"
    documents = []
    for path in sorted(bench.glob("*.txt")):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        url_file = path.with_suffix(".url")
        url = url_file.read_text(encoding="utf-8").strip() if url_file.exists() else None
        documents.append((path.stem, RawDocument(
            path=path.name, sha256=digest, id=digest[:16], format="txt", encoding="utf-8",
            raw=data.decode("utf-8"), hints=Hints(url=url, url_method="sidecar" if url else None),
        )))
    return documents


def overlap(predicted: Counter[str], gold: Counter[str]) -> tuple[int, int, int]:
    return sum((predicted & gold).values()), sum(predicted.values()), sum(gold.values())


def prf(common: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = common / predicted if predicted else 0.0
    recall = common / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def per_page(shared_dir: Path) -> list[dict]:
    gold = json.loads((shared_dir / "devdata" / "article-bench" / "ground-truth.json").read_text("utf-8"))
    rows = []
    for key, raw in bench_documents(shared_dir):
        clean = clean_document(raw)
        truth = tokens(gold[key]["articleBody"])
        rows.append({
            "key": key,
            "system": overlap(tokens(clean.text[clean.body_start:]), truth),
            "baseline": overlap(tokens(raw.raw), truth),
        })
    return rows


def score(shared_dir: Path) -> dict[str, float]:
    rows = per_page(shared_dir)
    totals = {name: [sum(r[name][k] for r in rows) for k in range(3)] for name in ("system", "baseline")}
    precision, recall, f1 = prf(*totals["system"])
    base_p, base_r, base_f1 = prf(*totals["baseline"])
    # Macro F1: every page counts the same, so one long page cannot hide many bad short ones.
    macro_f1 = sum(prf(*r["system"])[2] for r in rows) / len(rows)
    scores = {"precision": precision, "recall": recall, "f1": f1, "macro_f1": macro_f1,
              "baseline_precision": base_p, "baseline_recall": base_r, "baseline_f1": base_f1}
    # Two fixed halves (by the hash of the page key): a rule fitted on one half should hold on the other,
    # so a gap between them is a sign of rules that fit pages rather than page shapes (reported, not gated).
    for half in ("a", "b"):
        selected = [r for r in rows if page_half(r["key"]) == half]
        scores[f"half_{half}_macro_f1"] = sum(prf(*r["system"])[2] for r in selected) / len(selected)
        scores[f"half_{half}_f1"] = prf(*[sum(r["system"][k] for r in selected) for k in range(3)])[2]
    return scores


def page_half(key: str) -> str:
    return "a" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "b"
