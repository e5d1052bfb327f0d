"""Parquet inputs: one document per row of `text`, rows named by number, read by record batch."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts.documents import RawDocument
from newsfacts.read import Auxiliary, Excluded, read_folder
from newsfacts.read.parquet import BATCH_ROWS, canonical_record


def read_file(tmp_path, name, table=None, data=None, **kwargs):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    if table is not None:
        pq.write_table(table, folder / name, row_group_size=100)
    else:
        (folder / name).write_bytes(data)
    return [o for o in read_folder(folder, **kwargs) if o.path == name]


def test_rows_become_documents_named_by_row(tmp_path):
    table = pa.table({
        "text": ["Officials said 1,500 soldiers arrived.", None, "  ", "Prices rose 3.5% in October."],
        "url": ["https://example.com/a", None, None, "https://example.com/d"],
        "date": ["2024-10-25", None, None, "2024-13-45"],
        "title": ["Troops", None, None, None],
        "other": [1, 2, 3, 4],
    })
    first, no_text, blank, bad_date = read_file(tmp_path, "rows.parquet", table)
    assert isinstance(first, RawDocument) and first.line == 1 and first.format == "jsonl"
    assert (first.hints.url, first.hints.date, first.hints.title) == ("https://example.com/a", "2024-10-25", "Troops")
    assert [(o.line, o.reason) for o in (no_text, blank)] == [(2, "missing or empty 'text' field")] * 1 + [
        (3, "missing or empty 'text' field")]
    assert isinstance(bad_date, Excluded) and bad_date.line == 4 and "'date' field: invalid date" in bad_date.reason


def test_a_row_has_the_id_of_its_canonical_json_line(tmp_path):
    record = {"title": "Zürich", "text": "Café owners said 20 tables were full.", "url": "https://example.ch/x"}
    (row,) = read_file(tmp_path, "one.parquet", pa.table({k: [v] for k, v in record.items()}))
    line = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert canonical_record(record) == line
    folder = tmp_path / "in"
    (folder / "same.jsonl").write_bytes(line + b"\n")
    as_line = next(o for o in read_folder(folder) if o.path == "same.jsonl")
    assert row.id == as_line.id and row.sha256 == as_line.sha256


def test_a_file_without_text_column_is_excluded_whole(tmp_path):
    (found,) = read_file(tmp_path, "no-text.parquet", pa.table({"body": ["a"], "url": ["u"]}))
    assert isinstance(found, Excluded) and found.line is None
    assert found.reason == "Parquet file without a 'text' column (its columns: body, url)"
    (found,) = read_file(tmp_path, "int-text.parquet", pa.table({"text": [1, 2]}))
    assert isinstance(found, Excluded) and "'text' column holds int64, not strings" in found.reason


def test_non_string_hint_columns_are_ignored_and_said_so(tmp_path):
    table = pa.table({"text": ["Body one."], "date": pa.array([0], pa.timestamp("s"))})
    note, document = read_file(tmp_path, "typed.parquet", table)
    assert isinstance(note, Auxiliary) and "'date' (timestamp[ms], not strings)" in note.role
    assert isinstance(document, RawDocument) and document.hints.date is None


def test_max_bytes_applies_per_row(tmp_path):
    table = pa.table({"text": ["Short one.", "word " * 5000, "Short three."]})
    found = read_file(tmp_path, "big.parquet", table, max_bytes=1000)
    assert [type(o).__name__ for o in found] == ["RawDocument", "Excluded", "RawDocument"]
    assert found[1].line == 2 and "row too large" in found[1].reason and "--max-bytes" in found[1].reason


def test_many_batches_keep_row_numbers(tmp_path):
    count = BATCH_ROWS * 2 + 17
    table = pa.table({"text": [f"Report {n}: the minister spoke." for n in range(1, count + 1)]})
    found = read_file(tmp_path, "many.parquet", table)
    assert [o.line for o in found] == list(range(1, count + 1))
    assert all(o.raw == f"Report {o.line}: the minister spoke." for o in found)


def test_not_parquet_and_truncated_parquet_are_excluded(tmp_path):
    (found,) = read_file(tmp_path, "fake.parquet", data=b'{"text": "not parquet"}\n')
    assert isinstance(found, Excluded) and found.reason.startswith("not a readable Parquet file")
    table = pa.table({"text": [f"Report {n}." for n in range(1000)]})
    pq.write_table(table, tmp_path / "whole.parquet")
    data = (tmp_path / "whole.parquet").read_bytes()
    (found,) = read_file(tmp_path, "cut.parquet", data=data[: len(data) // 2])
    assert isinstance(found, Excluded) and found.reason.startswith("not a readable Parquet file")


def test_a_damaged_row_group_keeps_the_rows_before_it(tmp_path):
    table = pa.table({"text": [f"Report {n}: " + "x" * (n % 97) for n in range(1, 1001)]})
    pq.write_table(table, tmp_path / "whole.parquet", row_group_size=400, compression="none")
    data = bytearray((tmp_path / "whole.parquet").read_bytes())
    meta = pq.ParquetFile(tmp_path / "whole.parquet").metadata
    second = meta.row_group(1).column(0)
    start = second.data_page_offset
    data[start:start + 64] = b"\xff" * 64  # the second of three row groups: its page header
    found = read_file(tmp_path, "damaged.parquet", data=bytes(data))
    kept = [o for o in found if isinstance(o, RawDocument)]
    assert [o.line for o in kept] == [*range(1, 401), *range(801, 1001)]
    (broken,) = [o for o in found if isinstance(o, Excluded)]
    assert broken.line == 401 and "damaged at row 401" in broken.reason and "rows 401 to 800 (row group 2)" in broken.reason
