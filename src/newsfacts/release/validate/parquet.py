"""Reading the rows of an untrusted Parquet file in bounded memory.

What is held at once is bounded by validate's limit (`max_decoded_bytes`), never by the size of the file or
the release. Three guards, in order:

1. Before anything is decoded, every row group's declared uncompressed size must be within the limit (a zstd
   bomb declares its true size; a row group is the most the Parquet reader may decompress at once).
2. Record batches are read with few enough rows that rows as large as their row group's average still make
   about `BATCH_BYTES` (or less, under a small limit).
3. Each batch is turned into Python rows a slice at a time, each slice decoding to about the batch target,
   its size counted in Arrow first as if every dictionary were expanded, without expanding it (dictionary
   encoding can repeat one long value in every row, or many times in one row, without growing the declared
   size). A single row that decodes to more than the limit stops the reading of its file with a `limit`
   problem before it is decoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsfacts.release.validate.problems import Problem

BATCH_BYTES = 2 * 1024 * 1024  # about this much decoded data is read at a time from one file
MAX_BATCH_ROWS = 1024


class NotRead(Exception):
    """The rest of a file is not read; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def batch_target(limit: int) -> int:
    """Decoded bytes read at a time from one file: a fraction of the limit, as several configs are read side
    by side (the articles and their per-item rows) and Python rows take a few times their Arrow size."""
    return max(1, min(BATCH_BYTES, limit // 16))


def declared_size_problem(relative: str, parquet: pq.ParquetFile, limit: int) -> Problem | None:
    """A `limit` problem when a row group declares more uncompressed bytes than the limit (nothing is read)."""
    for number, size in enumerate(_declared_sizes(parquet)):
        if size > limit:
            return Problem(relative, "-", "", "limit",
                           f"row group {number} declares {size} bytes uncompressed, more than validate's limit of "
                           f"{limit} bytes held at once; not read")
    return None


def _declared_sizes(parquet: pq.ParquetFile) -> list[int]:
    metadata = parquet.metadata
    sizes = []
    for i in range(metadata.num_row_groups):
        group = metadata.row_group(i)
        sizes.append(max(group.total_byte_size,
                         sum(group.column(j).total_uncompressed_size for j in range(group.num_columns))))
    return sizes


def _batch_rows(parquet: pq.ParquetFile, target: int) -> int:
    metadata = parquet.metadata
    widest = 1
    for i, size in enumerate(_declared_sizes(parquet)):
        widest = max(widest, -(-size // max(1, metadata.row_group(i).num_rows)))
    return max(1, min(MAX_BATCH_ROWS, target // widest))


def file_rows(relative: str, parquet: pq.ParquetFile, limit: int) -> Iterator[tuple[dict[str, Any], int]]:
    """Every row of the file in order, with the decoded bytes it takes (its slice's average). Raises `NotRead`
    (a `limit` problem) when a row group declares, or a row decodes to, more than the limit. The declared
    sizes must have been checked (`declared_size_problem`)."""
    target = batch_target(limit)
    step = 1  # rows per slice: doubled while slices stay small, halved when one is too large
    number = 0
    for batch in parquet.iter_batches(batch_size=_batch_rows(parquet, target), use_threads=False):
        start = 0
        while start < batch.num_rows:
            piece = batch.slice(start, step)
            size = decoded_bytes(piece)
            if size > target and piece.num_rows > 1:
                step = max(1, piece.num_rows // 2)
                continue
            if size > limit:
                raise NotRead(Problem(relative, f"#{number}", "", "limit",
                                      f"row decodes to {size} bytes, more than validate's limit of {limit} bytes "
                                      f"held at once; the rest of the file is not read"))
            each = size // max(1, piece.num_rows)
            for row in piece.to_pylist():
                yield row, each
                number += 1
            start += piece.num_rows
            if size * 2 <= target and step < MAX_BATCH_ROWS:
                step *= 2


def decoded_bytes(batch: pa.RecordBatch) -> int:
    """Bytes of the batch with every dictionary-encoded column expanded, as turning it into rows would
    (a file may store its own Arrow schema asking for dictionary arrays, which look small)."""
    return sum(_plain_nbytes(column) for column in batch.columns)


def _plain_nbytes(array: pa.Array) -> int:
    """Bytes of `array` with every dictionary expanded, counted without expanding it: a dictionary can repeat
    one long value many times in a single row, and expanding it first would hold what the limit is for."""
    data_type = array.type
    if _plain_type(data_type) == data_type:
        return array.nbytes
    validity = (len(array) + 7) // 8
    if pa.types.is_dictionary(data_type):
        values = array.dictionary
        value_type = values.type
        if pa.types.is_string(value_type) or pa.types.is_binary(value_type):
            sizes, offsets = pc.binary_length(values), 4
        elif pa.types.is_large_string(value_type) or pa.types.is_large_binary(value_type):
            sizes, offsets = pc.binary_length(values), 8
        elif pa.types.is_fixed_width(value_type) and not pa.types.is_dictionary(value_type):
            return validity + len(array) * max(1, value_type.bit_width // 8)
        else:  # nested dictionary values, which Parquet readers do not make: expanded to be measured
            return array.cast(_plain_type(data_type)).nbytes
        return validity + len(array) * offsets + (pc.sum(pc.take(sizes, array.indices)).as_py() or 0)
    if pa.types.is_struct(data_type):
        return validity + sum(_plain_nbytes(child) for child in array.flatten())
    if pa.types.is_list(data_type) or pa.types.is_large_list(data_type):
        offsets = 8 if pa.types.is_large_list(data_type) else 4
        return validity + (len(array) + 1) * offsets + _plain_nbytes(array.flatten())
    return array.cast(_plain_type(data_type)).nbytes


def _plain_type(data_type):
    """`data_type` with every dictionary type replaced by its value type, at any depth."""
    if pa.types.is_dictionary(data_type):
        return _plain_type(data_type.value_type)
    if pa.types.is_struct(data_type):
        return pa.struct([data_type.field(i).with_type(_plain_type(data_type.field(i).type))
                          for i in range(data_type.num_fields)])
    if pa.types.is_large_list(data_type):
        return pa.large_list(data_type.value_field.with_type(_plain_type(data_type.value_type)))
    if pa.types.is_list(data_type):
        return pa.list_(data_type.value_field.with_type(_plain_type(data_type.value_type)))
    return data_type
