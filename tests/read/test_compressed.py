"""Compressed JSON Lines (.jsonl.gz, .ndjson.gz, .jsonl.zst): read as a stream, line by line, with the
per-line rules of plain JSON Lines; a damaged stream keeps the lines before the damage."""

from __future__ import annotations

import gzip
import hashlib
import io
import json

import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.documents import RawDocument
from newsfacts.read import Excluded, read_folder
from newsfacts.read.compressed import decompressed
from read.test_jsonl import HOSTILE, good_line


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(write_checksum=True).compress(data)


COMPRESSORS = {".jsonl.gz": gz, ".ndjson.gz": gz, ".jsonl.zst": zst, ".ndjson.zst": zst}


def read_file(tmp_path, name, data, **kwargs):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return [o for o in read_folder(folder, **kwargs) if o.path == name]


def varied_lines() -> list[bytes]:
    """Lines varied enough that half the stream holds whole compressed blocks (zstd emits 128 kB ones)."""
    return [json.dumps({"text": f"Report {n}: officials said {n * 7919 % 10007} troops arrived. " * 8}).encode()
            for n in range(1, 3001)]


def summary(outcomes):
    return [(type(o).__name__, o.line, o.raw if isinstance(o, RawDocument) else o.reason) for o in outcomes]


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_compressed_lines_are_the_plain_lines(tmp_path, suffix):
    lines = [good_line(1), HOSTILE["not JSON"][0], b"", good_line(4), HOSTILE["no text field"][0], good_line(6)]
    data = b"\n".join(lines) + b"\n"
    plain = read_file(tmp_path, "plain.jsonl", data)
    packed = read_file(tmp_path, "packed" + suffix, COMPRESSORS[suffix](data))
    assert summary(packed) == summary(plain)
    assert [o.line for o in packed] == [1, 2, 4, 5, 6]
    documents = [o for o in packed if isinstance(o, RawDocument)]
    assert [d.id for d in documents] == [d.id for d in plain if isinstance(d, RawDocument)]
    # The file's sha256 is that of the bytes on disk (what SHA256SUMS lists), not of the decompressed text.
    assert documents[0].file_sha256 == hashlib.sha256(COMPRESSORS[suffix](data)).hexdigest()


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_a_truncated_stream_keeps_the_lines_before_it(tmp_path, suffix):
    lines = varied_lines()
    packed = COMPRESSORS[suffix](b"\n".join(lines) + b"\n")
    found = read_file(tmp_path, "cut" + suffix, packed[: len(packed) // 2])
    *documents, broken = found
    assert documents and all(isinstance(o, RawDocument) for o in documents)
    assert [o.line for o in documents] == list(range(1, len(documents) + 1))
    assert isinstance(broken, Excluded) and broken.line == len(documents) + 1
    assert f"at line {broken.line}" in broken.reason and "ends early" in broken.reason
    assert "the lines before it are kept" in broken.reason


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_corrupt_bytes_end_the_stream_with_the_line_where_it_broke(tmp_path, suffix):
    lines = varied_lines()
    packed = bytearray(COMPRESSORS[suffix](b"\n".join(lines) + b"\n"))
    for offset in range(len(packed) // 2, len(packed) // 2 + 64):
        packed[offset] ^= 0x5A
    found = read_file(tmp_path, "bad" + suffix, bytes(packed))
    last = found[-1]
    assert isinstance(last, Excluded) and last.line is not None and f"line {last.line}" in last.reason
    assert "corrupt" in last.reason or "ends early" in last.reason
    assert isinstance(found[0], RawDocument) and found[0].line == 1
    assert found[0].raw == json.loads(lines[0])["text"]


def test_not_a_compressed_file_is_excluded_with_the_reason(tmp_path):
    (found,) = read_file(tmp_path, "fake.jsonl.gz", good_line(1) + b"\n")
    assert isinstance(found, Excluded) and found.line == 1
    assert "Not a gzipped file" in found.reason and "nothing in the file can be read" in found.reason


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_max_bytes_applies_per_decompressed_line(tmp_path, suffix):
    huge = json.dumps({"text": "word " * 100_000}).encode()  # 500 kB, compresses to almost nothing
    data = b"\n".join([good_line(1), huge, good_line(3)])
    found = read_file(tmp_path, "big" + suffix, COMPRESSORS[suffix](data), max_bytes=10_000)
    assert [type(o).__name__ for o in found] == ["RawDocument", "Excluded", "RawDocument"]
    assert found[1].line == 2 and f"line too large ({len(huge)} bytes; the limit is 10000" in found[1].reason
    assert found[1].sha256 == hashlib.sha256(huge).hexdigest()


def test_zstd_frames_are_read_across(tmp_path):
    data = zst(good_line(1) + b"\n") + zst(good_line(2) + b"\n")
    assert [o.line for o in read_file(tmp_path, "two.jsonl.zst", data)] == [1, 2]


def test_decompressed_stream_reads_in_bounded_chunks():
    data = b"".join(good_line(n) + b"\n" for n in range(5000))
    stream = decompressed(io.BytesIO(zst(data)), "zstd")
    assert stream.readline() == good_line(0) + b"\n"
    assert stream.read() == data[len(good_line(0)) + 1:]


_line = st.one_of(
    st.integers(0, 10_000).map(good_line),
    st.sampled_from([line for line, _ in HOSTILE.values()]),
    st.binary(max_size=80).filter(lambda b: b"\n" not in b),
    st.just(b""),
)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(_line, min_size=1, max_size=10), crlf=st.booleans())
def test_any_line_mix_reads_the_same_compressed_or_not(tmp_path_factory, lines, crlf):
    tmp_path = tmp_path_factory.mktemp("mix")
    lines.insert(0, good_line(-1))  # a .jsonl name needs one record among the first lines to read as JSON Lines
    data = (b"\r\n" if crlf else b"\n").join(lines)
    expected = summary(read_file(tmp_path, "plain.jsonl", data))
    assert summary(read_file(tmp_path, "a.jsonl.gz", gz(data))) == expected
    assert summary(read_file(tmp_path, "a.jsonl.zst", zst(data))) == expected
