"""Parquet inputs: one document per row of a `text` column, read batch by batch.

Optional string columns `url`, `date`, `outlet` and `title` are hints, as the same fields of a JSON line.
`line` is the row number (1-based), so reports name the row. A row's id and sha256 are those of its
canonical JSON encoding: the known columns' non-null values as an object with sorted keys, no whitespace
between tokens and non-ASCII characters unescaped (`json.dumps(fields, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))`, RFC 8785 style), so a row has the id of the same record written as that JSON line.
Other columns are not part of the document (nor of its id).

Memory holds one record batch (`BATCH_ROWS` rows of the columns used) and the column chunks pyarrow is
decoding (one row group's). A damaged row group is reported with its rows; the other row groups are read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts.read.jsonl import HINT_FIELDS, BadRecord, record_document, too_large
from newsfacts.read.outcomes import Auxiliary, Excluded, Outcome

BATCH_ROWS = 256
_READ_ERRORS = (pa.ArrowException, OSError, EOFError, ValueError)


def canonical_record(fields: dict[str, str]) -> bytes:
    """The bytes a row's id and sha256 are derived from (see the module docstring)."""
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8", errors="surrogatepass")


def read_parquet(file: BinaryIO, path: str, file_digest: str, max_bytes: int) -> Iterator[Outcome]:
    try:
        parquet = pq.ParquetFile(file, pre_buffer=False)
        schema = parquet.schema_arrow
    except _READ_ERRORS as exc:
        yield Excluded(path, f"not a readable Parquet file ({_first_line(exc)})", sha256=file_digest)
        return
    if "text" not in schema.names:
        shown = ", ".join(schema.names[:20]) or "none"
        yield Excluded(path, f"Parquet file without a 'text' column (its columns: {shown})", sha256=file_digest)
        return
    if not _is_string(schema.field("text").type):
        yield Excluded(path, f"the 'text' column holds {schema.field('text').type}, not strings", sha256=file_digest)
        return
    hints = [name for name in HINT_FIELDS if name in schema.names and _is_string(schema.field(name).type)]
    ignored = [f"'{name}' ({schema.field(name).type}, not strings)" for name in HINT_FIELDS
               if name in schema.names and name not in hints]
    if ignored:
        yield Auxiliary(path, f"Parquet columns ignored: {', '.join(ignored)}")
    columns = ["text", *hints]
    first_row = 1
    # Row group by row group: a damaged one loses its own rows (named in the report), never the others'.
    for group in range(parquet.num_row_groups):
        group_rows = parquet.metadata.row_group(group).num_rows
        row = first_row - 1
        try:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group], columns=columns,
                                              use_threads=False):
                values = {name: _values(batch.column(name)) for name in columns}
                for index in range(batch.num_rows):
                    row += 1
                    yield _row(row, {name: values[name][index] for name in columns}, path, file_digest, max_bytes)
        except _READ_ERRORS as exc:
            last = first_row + group_rows - 1
            yield Excluded(path, f"the Parquet file is damaged at row {row + 1} ({_first_line(exc)}): rows "
                                 f"{row + 1} to {last} (row group {group + 1}) cannot be read, the other rows are "
                                 "kept", line=row + 1)
        first_row += group_rows


def _row(number: int, row: dict[str, object], path: str, file_digest: str, max_bytes: int) -> Outcome:
    undecodable = [name for name, value in row.items() if isinstance(value, _Undecodable)]
    if undecodable:
        return Excluded(path, f"'{undecodable[0]}' value is not valid UTF-8", line=number)
    fields = {name: value for name, value in row.items() if value is not None}
    record = canonical_record(fields)  # type: ignore[arg-type]
    if len(record) > max_bytes:
        return Excluded(path, too_large(len(record), max_bytes, "row"), line=number)
    try:
        return record_document(fields, record, path, number, file_digest, "utf-8")
    except BadRecord as exc:
        return Excluded(path, str(exc), line=number, sha256=hashlib.sha256(record).hexdigest())


class _Undecodable:
    """A cell whose bytes are not UTF-8 (Arrow strings are not validated on read)."""


def _values(column: pa.Array) -> list[object]:
    try:
        return column.to_pylist()
    except (UnicodeDecodeError, pa.ArrowException):
        values: list[object] = []
        for index in range(len(column)):
            try:
                values.append(column[index].as_py())
            except (UnicodeDecodeError, pa.ArrowException):
                values.append(_Undecodable())
        return values


def _is_string(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
