"""One config's rows → Parquet shards, written as they fill, so a release of any size is written in bounded memory.

Rows arrive in their final order (by article id). They are turned into Arrow record batches of exactly
`batch_rows` rows (`BATCH_ROWS`; fewer for the large rows of `articles`); whenever the batches held reach `row_group_bytes` (Arrow bytes) they become one row group;
whenever a shard's row groups reach `shard_bytes` the shard is closed and the next begins. Every boundary is
a function of the row sequence alone (fixed row counts and the Arrow sizes they give), never of how the
build batched its work, so the bytes do not depend on batch size or job count. A config that fits in one row
group is written exactly as one `pq.write_table` of all its rows.

Shards are written under temporary names and renamed to the Hub's `train-0000K-of-0000N.parquet` once N is
known. The sizes suit the Hub's dataset viewer, which reads row groups one at a time (and gives up on row
groups of several hundred megabytes) and loads whole shards for some views: row groups of 64 MB and shards
of 512 MB of Arrow data (the files are zstd-compressed to a fraction of that).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts.release.layout import parquet_path

BATCH_ROWS = 256
ARTICLE_BATCH_ROWS = 64  # an article row holds the whole article: a batch of them is kept small
ROW_GROUP_BYTES = 64 * 1024 * 1024
SHARD_BYTES = 512 * 1024 * 1024

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "write_statistics": True,
    "write_page_index": True,
    # Content-defined chunking keeps page boundaries stable when rows are added, so a new release
    # re-uses most pages (deduplicating storage such as the Hub's Xet stores only what changed).
    "use_content_defined_chunking": True,
}


class ShardWriter:
    """Rows of one config → `data/<config>/` shards under `folder`. `add` rows in order, then `close`."""

    def __init__(self, folder: Path, config: str, schema: pa.Schema, *, row_group_bytes: int = ROW_GROUP_BYTES,
                 shard_bytes: int = SHARD_BYTES, batch_rows: int = BATCH_ROWS) -> None:
        if batch_rows < 1:
            raise ValueError(f"batch_rows must be positive (got {batch_rows})")
        self.folder = Path(folder)
        self.config = config
        self.schema = schema
        self.row_group_bytes = row_group_bytes
        self.shard_bytes = shard_bytes
        self.batch_rows = batch_rows
        self.rows = 0
        self.nbytes = 0  # Arrow bytes of everything written (the card's num_bytes)
        self.first_row: dict[str, Any] | None = None
        self._pending: list[dict[str, Any]] = []
        self._batches: list[pa.RecordBatch] = []
        self._batch_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._shard_bytes = 0
        self._temporary: list[Path] = []
        self.paths: list[str] = []  # release-relative shard paths, once closed

    def add(self, rows: list[dict[str, Any]]) -> None:
        if rows and self.first_row is None:
            self.first_row = rows[0]
        for row in rows:
            self._pending.append(row)
            if len(self._pending) == self.batch_rows:
                self._to_batch()

    def _to_batch(self) -> None:
        batch = pa.RecordBatch.from_pylist(self._pending, schema=self.schema)
        self._pending = []
        self.rows += batch.num_rows
        self._batches.append(batch)
        self._batch_bytes += batch.nbytes
        if self._batch_bytes >= self.row_group_bytes:
            self._write_row_group()

    def _write_row_group(self) -> None:
        if not self._batches:
            return
        # One contiguous table: the Parquet pages then depend only on the rows, not on the batches.
        table = pa.Table.from_batches(self._batches, schema=self.schema).combine_chunks()
        self._batches, self._batch_bytes = [], 0
        if self._writer is None:
            path = self.folder / f"{parquet_path(self.config)}.part{len(self._temporary):05d}"
            path.parent.mkdir(parents=True, exist_ok=True)
            self._temporary.append(path)
            self._writer = pq.ParquetWriter(path, self.schema, **PARQUET_OPTIONS)
        self._writer.write_table(table, row_group_size=max(1, table.num_rows))
        self.nbytes += table.nbytes
        self._shard_bytes += table.nbytes
        if self._shard_bytes >= self.shard_bytes:
            self._close_shard()

    def _close_shard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer, self._shard_bytes = None, 0

    def close(self) -> list[str]:
        """Write what is left and give the shards their final names; return their release-relative paths."""
        if self._pending:
            self._to_batch()
        self._write_row_group()
        if not self._temporary:  # no rows at all: one empty shard, so every config has its file
            path = self.folder / parquet_path(self.config)
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(self.schema.empty_table(), path, **PARQUET_OPTIONS)
            self.paths = [parquet_path(self.config)]
            return self.paths
        self._close_shard()
        total = len(self._temporary)
        self.paths = [parquet_path(self.config, k, total) for k in range(total)]
        for temporary, final in zip(self._temporary, self.paths):
            temporary.replace(self.folder / final)
        return self.paths

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
