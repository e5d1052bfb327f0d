"""Parquet shards written as they fill: Hub names, rollover at the configured size, the same bytes however
the rows arrive, and releases of several shards that validate and read back whole."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsfacts.models import CONFIGS, Article
from newsfacts.release.layout import parquet_path, shard_paths
from newsfacts.release.shards import BATCH_ROWS, ShardWriter
from newsfacts.release.validate import validate_release
from newsfacts.release.write import release_files, write_release

SCHEMA = pa.schema([pa.field("id", pa.string(), nullable=False), pa.field("text", pa.string())])


def rows(n: int) -> list[dict]:
    return [{"id": f"{i:08d}", "text": "x" * (100 + i % 7)} for i in range(n)]


def written(folder, rows_in, *, pieces: int, **sizes) -> ShardWriter:
    writer = ShardWriter(folder, "things", SCHEMA, **sizes)
    step = max(1, len(rows_in) // pieces)
    for start in range(0, len(rows_in), step):
        writer.add(rows_in[start : start + step])
    writer.close()
    return writer


def test_small_data_is_one_shard_named_the_hub_way(tmp_path):
    writer = written(tmp_path, rows(10), pieces=3)
    assert writer.paths == ["data/things/train-00000-of-00001.parquet"]
    assert pq.read_table(tmp_path / writer.paths[0]).to_pylist() == rows(10)
    assert sorted(p.name for p in (tmp_path / "data" / "things").iterdir()) == ["train-00000-of-00001.parquet"]


def test_shards_roll_over_at_the_configured_size(tmp_path):
    data = rows(BATCH_ROWS * 10)
    one_batch = pa.RecordBatch.from_pylist(data[:BATCH_ROWS], schema=SCHEMA).nbytes
    # a row group per batch, a shard per three row groups: ten batches make four shards (3 + 3 + 3 + 1)
    writer = written(tmp_path, data, pieces=7, row_group_bytes=1, shard_bytes=3 * one_batch)
    assert writer.paths == [parquet_path("things", k, 4) for k in range(4)]
    assert [pq.ParquetFile(tmp_path / p).metadata.num_row_groups for p in writer.paths] == [3, 3, 3, 1]
    read = [row for p in writer.paths for row in pq.read_table(tmp_path / p).to_pylist()]
    assert read == data and writer.rows == len(data)
    assert not list((tmp_path / "data" / "things").glob("*.part*"))


def test_the_bytes_do_not_depend_on_how_the_rows_arrive(tmp_path):
    data = rows(BATCH_ROWS * 5 + 17)
    one_batch = pa.RecordBatch.from_pylist(data[:BATCH_ROWS], schema=SCHEMA).nbytes
    outputs = []
    for pieces in (1, 5, len(data)):
        folder = tmp_path / str(pieces)
        written(folder, data, pieces=pieces, row_group_bytes=2 * one_batch, shard_bytes=4 * one_batch)
        outputs.append({name: path.read_bytes() for name, path in release_files(folder)})
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) == 2


def test_an_empty_config_still_has_its_file(tmp_path):
    writer = written(tmp_path, [], pieces=1)
    assert writer.paths == [parquet_path("things")]
    assert pq.read_table(tmp_path / writer.paths[0]).num_rows == 0


@pytest.fixture(scope="module")
def seed_articles(seed_release) -> list[Article]:
    return [Article.model_validate(r) for r in pq.read_table(seed_release / parquet_path("articles")).to_pylist()]


def test_a_release_of_many_shards_validates_and_reads_back_whole(seed_release, seed_articles, tmp_path):
    report = {"counts": {"included": len(seed_articles)}}
    sharded = tmp_path / "sharded"
    write_release(seed_articles, report, sharded, row_group_bytes=1, shard_bytes=1, batch_rows=2)
    names = [name for name, _ in release_files(sharded)]
    assert validate_release(sharded) == []
    for config in CONFIGS:
        paths, wrong = shard_paths(config, names)
        assert not wrong
        expected = pq.read_table(seed_release / parquet_path(config)).to_pylist()
        assert len(paths) == max(1, (len(expected) + 1) // 2)  # a shard per batch of two rows
        assert [row for p in paths for row in pq.read_table(sharded / p).to_pylist()] == expected
    card = (sharded / "README.md").read_text(encoding="utf-8")
    assert "path: data/articles/train-*.parquet" in card


def test_a_missing_shard_is_reported(seed_articles, tmp_path):
    sharded = tmp_path / "sharded"
    write_release(seed_articles, {"counts": {}}, sharded, row_group_bytes=1, shard_bytes=1, batch_rows=1)
    paths, _ = shard_paths("articles", [name for name, _ in release_files(sharded)])
    assert len(paths) == len(seed_articles) > 1
    (sharded / paths[1]).unlink()
    problems = validate_release(sharded)
    assert any(p.rule == "arrow" and "missing" in p.message and p.file == "data/articles" for p in problems)
