#!/usr/bin/env python3
"""Furniture left in the text of HTML pages, before and after a change to the HTML cleaner.

    .venv/bin/python scripts/measure_html_cleaning.py                         # this checkout only
    .venv/bin/python scripts/measure_html_cleaning.py --before-src ../main/src # and another checkout's src/

Pages: ../shared/devdata/web-dates/pages/*.html.gz (or $NEWSFACTS_SHARED). Both outputs are counted with
THIS checkout's patterns (data/furniture.yaml, caption rules, date stamps, site-name detection), so the
counts compare the cleaners, not the patterns. Also checks the audit trail: every removed block is
exactly raw[start:end], every caption's source reads as the caption.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def pages(shared: Path) -> list[Path]:
    return sorted((shared / "devdata" / "web-dates" / "pages").glob("*.html.gz"))


def dump(shared: Path) -> list[dict]:
    """What the installed `newsfacts` makes of each page (run under the checkout being measured)."""
    import trafilatura

    from newsfacts.clean import clean_document
    from newsfacts.documents import Hints, RawDocument

    rows = []
    for path in pages(shared):
        raw = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        url_file = path.with_name(path.name.replace(".html.gz", ".url"))
        url = url_file.read_text().strip() if url_file.exists() else None
        doc = clean_document(RawDocument(path=path.name, sha256="0" * 64, id="0" * 16, format="html",
                                         encoding="utf-8", raw=raw, hints=Hints(url=url)))
        metadata = trafilatura.extract_metadata(raw)
        rows.append({
            "page": path.name, "url": url, "title": doc.title, "sitename": metadata.sitename if metadata else None,
            "body": doc.text[doc.body_start:],
            "removed": [r.model_dump() for r in doc.removed], "captions": [c.model_dump() for c in doc.captions],
            "repairs": [r.model_dump() for r in doc.repairs],
            "raw_path": str(path),
        })
    return rows


def line_category(line: str) -> str | None:
    from newsfacts.clean.captions import MAX_CAPTION_CHARS, has_caption_lead
    from newsfacts.clean.furniture import furniture_kind
    from newsfacts.clean.html.captions import split_caption_credit
    from newsfacts.meta.dates import is_date_line

    if line.startswith("|"):
        return None  # a table row as trafilatura renders it
    if len(line) <= MAX_CAPTION_CHARS and (has_caption_lead(line) or split_caption_credit(line)[1]):
        return "caption"
    if is_date_line(line):
        return "dateline"
    kind = furniture_kind(line)
    return kind[0] if kind else None


def count(rows: list[dict]) -> dict:
    from newsfacts.clean.title import strip_site_name

    kinds: Counter[str] = Counter()
    duplicates = suffixed = empty = 0
    body_chars = 0
    for row in rows:
        lines = [p.strip() for p in row["body"].split("\n\n") if p.strip()]
        body_chars += len(row["body"])
        empty += not lines
        seen = set()
        for line in lines:
            category = line_category(line)
            if category:
                kinds[category] += 1
            key = " ".join(line.lower().split())
            if len(line) >= 40 and key in seen or (row["title"] and key == " ".join(row["title"].lower().split())):
                duplicates += 1
            seen.add(key)
        if row["title"] and strip_site_name(row["title"], [row["sitename"]], row["url"]):
            suffixed += 1
    return {"furniture_lines_in_text": dict(sorted(kinds.items())), "furniture_total": sum(kinds.values()),
            "repeated_paragraphs_in_text": duplicates, "titles_with_site_name": suffixed,
            "body_chars": body_chars, "empty_bodies": empty,
            "removed_blocks": sum(len(r["removed"]) for r in rows), "captions": sum(len(r["captions"]) for r in rows)}


def audit(rows: list[dict]) -> dict:
    exact = differs = broken = 0
    for row in rows:
        raw = gzip.decompress(Path(row["raw_path"]).read_bytes()).decode("utf-8", "replace")
        for block in row["removed"]:
            if raw[block["start"]:block["end"]] == block["text"]:
                exact += 1
            else:
                broken += 1
        for caption in row["captions"]:
            source = raw[caption["start"]:caption["end"]]
            if source == caption["text"]:
                exact += 1
            elif "".join(html.unescape(re.sub(r"<[^>]*>", "", source)).split()) == "".join(caption["text"].split()):
                differs += 1  # the caption's source holds markup or references; it reads as the caption
            else:
                broken += 1
    return {"exact": exact, "caption_source_with_markup": differs, "broken": broken}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before-src", help="src/ folder of the checkout to compare with")
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from newsfacts.evaluation import shared_dir

    shared = shared_dir()
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump(shared)), encoding="utf-8")
        return 0
    after = dump(shared)
    report = {"pages": len(after), "after": count(after), "audit_after": audit(after)}
    if args.before_src:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "before.json"
            env = {**os.environ, "PYTHONPATH": str(Path(args.before_src).resolve()), "NEWSFACTS_SHARED": str(shared)}
            subprocess.run([sys.executable, __file__, "--dump", str(out)], env=env, check=True)
            before = json.loads(out.read_text(encoding="utf-8"))
        report["before"] = count(before)
        report["audit_before"] = audit(before)
        ratios = [len(a["body"]) / len(b["body"]) for a, b in zip(after, before) if b["body"]]
        report["body_kept_share_min"] = round(min(ratios), 3) if ratios else None
        report["titles_before_after"] = [(b["title"], a["title"]) for a, b in zip(after, before) if a["title"] != b["title"]]
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
