"""Writing a release folder: Parquet per config, dataset card, JSON Schemas, build report, checksums.

Everything written is a function of the articles and the package version only (no clocks, no absolute
paths, stable row order), so two builds of the same inputs are byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts import __version__
from newsfacts.models import CONFIGS, Article
from newsfacts.release.card import ReleaseInfo, render_card
from newsfacts.release.croissant import write_croissant
from newsfacts.release.output import CHECKSUM_FILE, MARKER_FILE, marker_text, staged_release
from newsfacts.release.rows import ROW_BUILDERS
from newsfacts.release.schema import arrow_schema, write_json_schemas

__all__ = ["CHECKSUM_FILE", "MARKER_FILE", "parquet_path", "release_files", "sha256_file", "staged_release",
           "write_release"]
REPORT_FILE = "build-report.json"
DATA_DIR = "data"
SPLIT = "train"


def parquet_path(config: str) -> str:
    """Release-relative path of a config's (single) Parquet shard, in the Hub's naming convention."""
    return f"{DATA_DIR}/{config}/{SPLIT}-00000-of-00001.parquet"


def write_parquet(rows: list[dict[str, Any]], schema: pa.Schema, path: Path) -> int:
    """Write rows as one Parquet file; return the table's in-memory size (the card's `num_bytes`)."""
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=9,
        write_statistics=True,
        write_page_index=True,
        # Content-defined chunking keeps page boundaries stable when rows are added, so a new release
        # re-uses most pages (deduplicating storage such as the Hub's Xet stores only what changed).
        use_content_defined_chunking=True,
    )
    return table.nbytes


def write_release(
    articles: Sequence[Article], report: dict[str, Any], folder: Path, release: ReleaseInfo = ReleaseInfo()
) -> dict[str, int]:
    """Write a complete release into `folder` (which must be empty or absent). Return row counts.

    `folder` gets the marker file that lets a later build recognise it as a release it may replace; the marker
    is listed in the checksums like every other file."""
    articles = sorted(articles, key=lambda a: a.id)
    counts: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for config in CONFIGS:
        rows = ROW_BUILDERS[config](articles)
        counts[config] = len(rows)
        sizes[config] = write_parquet(rows, arrow_schema(config), folder / parquet_path(config))
    write_json_schemas(folder / "schema")
    (folder / REPORT_FILE).write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    (folder / "README.md").write_text(render_card(articles, counts, sizes, report, release), encoding="utf-8")
    write_croissant(folder, articles, counts, report, release)
    # The release shows itself: charts of its claims, quote clusters, entity network and known errors, made
    # from the Parquet just written (deterministic, so the release stays byte-identical).
    from newsfacts.report import REPORT_FILE as REPORT_PAGE, write_report

    write_report(folder, folder / REPORT_PAGE)
    (folder / MARKER_FILE).write_text(marker_text(__version__), encoding="utf-8")
    write_checksums(folder)
    return counts


def write_checksums(folder: Path) -> None:
    lines = [f"{sha256_file(path)}  {name}" for name, path in release_files(folder) if name != CHECKSUM_FILE]
    (folder / CHECKSUM_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def release_files(folder: Path) -> list[tuple[str, Path]]:
    return sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
