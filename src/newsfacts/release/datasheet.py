"""The generated parts of DATASHEET.md: numbers and lists that come from a release, so they never go stale.

DATASHEET.md holds blocks between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``; the prose
around them is written by hand. `render_blocks(release)` makes the blocks from a release folder (its
articles and its build-report.json); `scripts/datasheet.py` rewrites them, and a test fails when the committed
datasheet differs from what the seed release gives.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from newsfacts.evaluation.curation import accuracy_table
from newsfacts.models import Article
from newsfacts.release.layout import config_files

_BLOCK = re.compile(r"(<!-- generated:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.DOTALL)


def _articles(release: Path) -> list[Article]:
    rows = [row for relative in config_files(release, "articles")
            for row in pq.read_table(release / relative).to_pylist()]
    return sorted((Article.model_validate(r) for r in rows), key=lambda a: (a.source.file, a.source.line or 0))


def _known_errors(articles: list[Article]) -> str:
    lines = []
    for a in articles:
        lines.append(f"**`{a.source.file}`** (article `{a.id}`)\n")
        for e in a.known_errors:
            where = f" at {e.span.start}:{e.span.end} ({e.span.text!r})" if e.span else ""
            related = f"; related article `{e.related_id}`" if e.related_id else ""
            curated = " *(curated)*" if e.curation else ""
            lines.append(f"- `{e.kind}`{curated}{where}: {e.message}{related}")
        if not a.known_errors:
            lines.append("- none")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def _curation_changes(report: dict) -> str:
    curation = report.get("curation") or {}
    changes = curation.get("changes", {})
    lines = ["| item | added | fixed | deleted |", "|---|---:|---:|---:|"]
    for item in ("quote", "figure", "entity", "mention", "known_error", "article"):
        counts = changes.get(item, {})
        lines.append(f"| {item} | {counts.get('added', 0)} | {counts.get('fixed', 0)} | {counts.get('deleted', 0)} |")
    statuses = curation.get("statuses", {})
    lines.append("")
    lines.append(f"{curation.get('corrections', 0)} corrections in `curation/{curation.get('file', '?')}` "
                 f"(curation format version {curation.get('curation_version', '?')}) over "
                 f"{curation.get('articles', 0)} articles; applied: {statuses.get('applied', 0)}, "
                 f"not applied: {sum(n for s, n in statuses.items() if s != 'applied')}.")
    return "\n".join(lines)


def _marks(articles: list[Article]) -> str:
    marks: Counter[tuple[str, str]] = Counter()
    for a in articles:
        for q in a.quotes:
            marks[("quotes", q.curation or "automatic")] += 1
        for f in a.figures:
            marks[("figures", f.curation or "automatic")] += 1
        for e in a.entities:
            marks[("entities", e.curation or "automatic")] += 1
            for m in e.mentions:
                marks[("entity mentions", m.curation or "automatic")] += 1
        for k in a.known_errors:
            marks[("known errors", k.curation or "automatic")] += 1
    lines = ["| rows | automatic | added | fixed |", "|---|---:|---:|---:|"]
    for what in ("quotes", "figures", "entities", "entity mentions", "known errors"):
        lines.append(f"| {what} | {marks[(what, 'automatic')]} | {marks[(what, 'added')]} | {marks[(what, 'fixed')]} |")
    return "\n".join(lines)


def render_blocks(release: Path) -> dict[str, str]:
    """The generated blocks of DATASHEET.md for the release in `release`."""
    release = Path(release)
    report = json.loads((release / "build-report.json").read_text(encoding="utf-8"))
    articles = _articles(release)
    accuracy = (report.get("curation") or {}).get("accuracy")
    return {
        "curation-accuracy": accuracy_table(accuracy) if accuracy else "No curation file was applied to this release.",
        "curation-changes": _curation_changes(report),
        "curation-marks": _marks(articles),
        "known-errors": _known_errors(articles),
    }


def datasheet_blocks(markdown: str) -> dict[str, str]:
    """The generated blocks found in a datasheet (name -> body, without the trailing newline)."""
    return {m["name"]: m["body"].rstrip("\n") for m in _BLOCK.finditer(markdown)}


def update_datasheet(markdown: str, blocks: dict[str, str]) -> str:
    """`markdown` with each generated block replaced by its new body (blocks it does not have are left out)."""
    def replace(match: re.Match) -> str:
        name = match["name"]
        body = blocks.get(name, match["body"].rstrip("\n"))
        return f"{match.group(1)}{body}\n{match.group(4)}"

    return _BLOCK.sub(replace, markdown)
