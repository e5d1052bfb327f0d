"""Writing a release folder: Parquet shards per config, dataset card, JSON Schemas, build report, checksums.

`ReleaseWriter` takes the articles one at a time in id order and writes as it goes: each article's rows go
to its configs' shard writers (`release/shards.py`), to the row checks (`validate/rows.py`), to the
statistics the card and Croissant are made from (`release/stats.py`) and to the cross-document collectors
(`release/rows.py`); `finish` writes the cross-document configs and the remaining files. Memory holds one
article, the shard writers' buffers and the compact collectors, whatever the number of articles.

Everything written is a function of the articles and the package version only (no clocks, no absolute
paths, stable row order), so two builds of the same inputs are byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts import __version__
from newsfacts.forking import frozen_for_fork
from newsfacts.models import CONFIGS, Article
from newsfacts.release.card import ReleaseInfo, example_row, render_card
from newsfacts.release.croissant import write_croissant
from newsfacts.release.layout import (
    CHECKSUM_FILE, DATA_DIR, MARKER_FILE, REPORT_FILE, SPLIT, parquet_path, release_files, sha256_file,
)
from newsfacts.release.output import marker_text, staged_release
from newsfacts.release.rows import ARTICLE_ROWS, CROSS_DOCUMENT
from newsfacts.release.schema import arrow_schema, write_json_schemas
from newsfacts.release.shards import (
    ARTICLE_BATCH_ROWS, BATCH_ROWS, PARQUET_OPTIONS, ROW_GROUP_BYTES, SHARD_BYTES, ShardWriter,
)
from newsfacts.release.stats import ReleaseStats
from newsfacts.release.validate.problems import Problem
from newsfacts.release.validate.rows import RowChecker

__all__ = ["CHECKSUM_FILE", "DATA_DIR", "MARKER_FILE", "REPORT_FILE", "SPLIT", "ReleaseWriter", "parquet_path",
           "release_files", "sha256_file", "staged_release", "write_release"]


# The collectors whose rows forked processes compute (`ReleaseWriter._collected_rows`): set before the fork,
# so each child holds them without their records being pickled.
_COLLECTORS: dict[str, Any] | None = None


def _rows_of_collector(config: str) -> list[dict[str, Any]]:
    return list(_COLLECTORS[config].rows())


def write_parquet(rows: list[dict[str, Any]], schema: pa.Schema, path: Path) -> int:
    """Write rows as one Parquet file; return the table's in-memory size."""
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **PARQUET_OPTIONS)
    return table.nbytes


class ReleaseWriter:
    """A release written into `folder` (empty or absent) from articles given one at a time, in id order.

    `check`: apply `newsfacts validate`'s row rules to every row as it is written (`problems` lists what they
    found), so the build need not read its own Parquet back. `row_group_bytes`, `shard_bytes`, `batch_rows`
    (None: the defaults per config): see `release/shards.py`."""

    def __init__(self, folder: Path, *, check: bool = True, row_group_bytes: int = ROW_GROUP_BYTES,
                 shard_bytes: int = SHARD_BYTES, batch_rows: int | None = None, checked_rows=None,
                 rendered_reports=None, jobs: int = 1) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.writers = {
            config: ShardWriter(self.folder, config, arrow_schema(config), row_group_bytes=row_group_bytes,
                                shard_bytes=shard_bytes,
                                batch_rows=batch_rows or (ARTICLE_BATCH_ROWS if config == "articles" else BATCH_ROWS))
            for config in CONFIGS}
        self.collectors = {config: CROSS_DOCUMENT[config]() for config in CONFIGS if config in CROSS_DOCUMENT}
        missing = [c for c in CONFIGS if c not in ARTICLE_ROWS and c not in CROSS_DOCUMENT]
        if missing:
            raise ValueError(f"no row builder for config(s) {missing}")
        self.stats = ReleaseStats()
        self.checker = RowChecker() if check else None
        # Where rows that passed the checks are noted by digest (`newsfacts.cache.CheckedRows`), or None.
        self.checked_rows = checked_rows
        # Report pages rendered before (`newsfacts.cache.RenderedReports`), or None.
        self.rendered_reports = rendered_reports
        self.jobs = jobs  # processes that may draw the report's charts and run the groupings
        self._last_id: str | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.checker.problems if self.checker is not None else []

    def add(self, article: Article, *, checked: bool = False, records: dict[str, Any] | None = None) -> bool:
        """Write one article's rows (after those of every article with a smaller id). `checked`: its rows are
        known to pass the row checks (the same article passed them before), so they are not checked again.
        `records`: `release.rows.collector_records(article)` when already computed (for this very article).
        Return whether its rows pass the row checks."""
        if self._last_id is not None and not article.id > self._last_id:
            raise ValueError(f"articles must come in increasing id order ({article.id} after {self._last_id})")
        self._last_id = article.id
        rows = {config: build(article) for config, build in ARTICLE_ROWS.items() if config in CONFIGS}
        passed = True
        if self.checker is not None and not checked:
            before = len(self.checker.problems)
            self.checker.article(rows)
            passed = len(self.checker.problems) == before
        for config, config_rows in rows.items():
            self.writers[config].add(config_rows)
        for config, collector in self.collectors.items():
            if records is not None and config in records:
                collector.add(article, records[config])
            else:
                collector.add(article)
        self.stats.add(article)
        return passed

    def finish(self, report: dict[str, Any], release: ReleaseInfo = ReleaseInfo()) -> dict[str, int]:
        """Write the cross-document configs, the card, Croissant, schemas, report, marker and checksums.
        Return the row count of each config."""
        for config, rows in self._collected_rows():
            if self.checker is not None:
                self._check_cross_document(config, rows)
            self.writers[config].add(rows)
            del rows  # one config's rows at a time: the next grouping runs without them
        counts, sizes = {}, {}
        for config, writer in self.writers.items():
            self.stats.shards[config] = writer.close()
            counts[config], sizes[config] = writer.rows, writer.nbytes
            if writer.first_row is not None:
                self.stats.examples[config] = example_row(config, writer.first_row)
        folder = self.folder
        write_json_schemas(folder / "schema")
        (folder / REPORT_FILE).write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                          "utf-8")
        (folder / "README.md").write_text(render_card(self.stats, counts, sizes, report, release), encoding="utf-8")
        digests: dict[str, str] = {}
        write_croissant(folder, self.stats, counts, report, release, digests)
        # The release shows itself: its inputs' fates, charts of its claims, quote clusters, entity network and
        # known errors, made from the Parquet and the build report just written (bounded: the top claims and
        # clusters, the first excluded and flagged inputs; deterministic bytes). Both are written before it:
        # the key of a page rendered before hashes the files present now.
        self._write_report(release.name)
        (folder / MARKER_FILE).write_text(marker_text(__version__), encoding="utf-8")
        write_checksums(folder, digests)
        return counts

    def _collected_rows(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Each cross-document config's rows, in `self.collectors` order; a collector is dropped once its rows
        are made (the writer takes no more articles). With more than one job, the groupings run side by side
        in forked processes (each a pure function of the records its collector holds, which the child
        inherits; only the rows come back); else one after the other, each while only its own rows are held."""
        if self.jobs <= 1 or len(self.collectors) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for config in list(self.collectors):
                rows = list(self.collectors.pop(config).rows())
                yield config, rows
                del rows
            return
        global _COLLECTORS
        _COLLECTORS = self.collectors
        try:
            context = multiprocessing.get_context("fork")
            with frozen_for_fork(), ProcessPoolExecutor(max_workers=min(self.jobs, len(self.collectors)),
                                                        mp_context=context) as pool:
                pending = {config: pool.submit(_rows_of_collector, config) for config in self.collectors}
                done = [(config, future.result()) for config, future in pending.items()]
        finally:
            _COLLECTORS = None
        self.collectors.clear()
        while done:
            yield done.pop(0)

    def _write_report(self, name: str | None) -> None:
        """report.html, from the files written so far (the Parquet, build-report.json); named by the release,
        not by the folder (a build writes into a staging folder of a random name). A page rendered before from
        the same files is reused."""
        from newsfacts.report import REPORT_FILE as REPORT_PAGE, write_report

        page_path = self.folder / REPORT_PAGE
        key = self.rendered_reports.key(self.folder, name) if self.rendered_reports is not None else None
        page = self.rendered_reports.get(key) if key is not None else None
        if page is not None:
            page_path.write_bytes(page)
            return
        write_report(self.folder, page_path, name=name, jobs=self.jobs)
        if key is not None:
            self.rendered_reports.put(key, page_path.read_bytes())

    def _check_cross_document(self, config: str, rows: list[dict[str, Any]]) -> None:
        """Check a cross-document config's rows, unless these very rows passed the checks before (the same
        rows and the same code give the same verdict)."""
        digest = None
        if self.checked_rows is not None:
            # row by row, not one string of them all (tens of MB in a large release)
            hashed = hashlib.sha256(json.dumps(config).encode("utf-8"))
            for row in rows:
                hashed.update(b"\n" + json.dumps(row, sort_keys=True, ensure_ascii=False,
                                                  separators=(",", ":")).encode("utf-8"))
            digest = hashed.hexdigest()
            if self.checked_rows.seen(digest):
                return
        before = len(self.checker.problems)
        self.checker.cross_document(config, rows)
        if digest is not None and len(self.checker.problems) == before:
            self.checked_rows.note(digest)

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.abort()


def write_release(
    articles: Sequence[Article], report: dict[str, Any], folder: Path, release: ReleaseInfo = ReleaseInfo(), *,
    row_group_bytes: int = ROW_GROUP_BYTES, shard_bytes: int = SHARD_BYTES, batch_rows: int | None = None,
) -> dict[str, int]:
    """Write a complete release of `articles` (any order) into `folder` (which must be empty or absent).
    Return row counts.

    `folder` gets the marker file that lets a later build recognise it as a release it may replace; the marker
    is listed in the checksums like every other file."""
    writer = ReleaseWriter(folder, check=False, row_group_bytes=row_group_bytes, shard_bytes=shard_bytes,
                           batch_rows=batch_rows)
    for article in sorted(articles, key=lambda a: a.id):
        writer.add(article)
    return writer.finish(report, release)


def write_checksums(folder: Path, digests: dict[str, str] | None = None) -> None:
    """CHECKSUMS.sha256 of every file of `folder`; `digests` holds the files hashed already (not rehashed)."""
    digests = digests or {}
    lines = [f"{digests.get(name) or sha256_file(path)}  {name}" for name, path in release_files(folder)
             if name != CHECKSUM_FILE]
    (folder / CHECKSUM_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
