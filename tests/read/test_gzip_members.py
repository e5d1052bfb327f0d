"""Gzip members handed out only once zlib has checked each one whole."""

from __future__ import annotations

import gzip
import io

import pytest

import newsfacts.read.gzip_members as gzip_members
from newsfacts.read.gzip_members import CheckedGzipMembers, DamagedGzip

FIRST, SECOND, THIRD = b"first member\n" * 50, b"second member\n" * 70, b"third\n"


def member(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def read_in_steps(stream: CheckedGzipMembers, size: int) -> list[bytes]:
    reads = []
    while chunk := stream.read(size):
        reads.append(chunk)
    return reads


def test_members_read_back_in_order_and_a_read_stops_at_a_members_end():
    data = member(FIRST) + member(b"") + member(SECOND) + member(THIRD)
    reads = read_in_steps(CheckedGzipMembers(io.BytesIO(data)), 500)
    assert b"".join(reads) == FIRST + SECOND + THIRD
    assert [len(r) for r in reads] == [500, len(FIRST) - 500, 500, len(SECOND) - 500, len(THIRD)]


def test_no_byte_of_a_damaged_member_is_handed_out():
    first = member(FIRST)
    second = bytearray(member(SECOND))
    second[len(second) // 2] ^= 0x01
    stream = CheckedGzipMembers(io.BytesIO(first + bytes(second) + member(THIRD)))
    assert stream.read(1 << 20) == FIRST  # all of the first member, none of the second
    with pytest.raises(DamagedGzip) as raised:
        stream.read(1 << 20)
    assert raised.value.offset == len(first)
    with pytest.raises(DamagedGzip) as again:  # and it stays broken
        stream.read(1)
    assert again.value is raised.value


def with_trailer(data: bytes, crc: int | None = None, size: int | None = None) -> bytes:
    """A member of `data` whose CRC32 or ISIZE field is replaced."""
    whole = member(data)
    crc_field = whole[-8:-4] if crc is None else crc.to_bytes(4, "little")
    size_field = whole[-4:] if size is None else size.to_bytes(4, "little")
    return whole[:-8] + crc_field + size_field


CUT, BAD_CRC, BAD_SIZE = member(SECOND)[:-3], with_trailer(SECOND, crc=0x12345678), with_trailer(SECOND, size=1)


@pytest.mark.parametrize("after_first, kept, damaged_at, reason", [
    (CUT, b"", 0, "the file ends inside this member (it is cut short)"),
    (BAD_CRC, b"", 0, "its CRC32 does not match its data"),
    (BAD_SIZE, b"", 0, "its stored length (ISIZE) does not match its data"),
    (member(SECOND) + b"x", SECOND, len(member(SECOND)),
     "data after the last complete member that is not a gzip member (starts with b'x')"),
    (member(SECOND) + bytes(9) + b"GARBAGE", SECOND, len(member(SECOND)) + 9,
     "data after the last complete member that is not a gzip member (starts with b'GARBAGE')"),
], ids=["cut short", "CRC32", "ISIZE", "a stray byte", "garbage after padding"])
def test_how_a_file_breaks_is_said(after_first, kept, damaged_at, reason):
    first = member(FIRST)
    stream = CheckedGzipMembers(io.BytesIO(first + after_first))
    handed_out = []
    with pytest.raises(DamagedGzip) as raised:
        while chunk := stream.read(1 << 20):
            handed_out.append(chunk)
    assert b"".join(handed_out) == FIRST + kept
    assert raised.value.offset == len(first) + damaged_at and raised.value.reason == reason
    assert str(raised.value) == f"gzip member at byte {len(first) + damaged_at}: {reason}"


def test_not_gzip_at_all():
    with pytest.raises(DamagedGzip) as raised:
        CheckedGzipMembers(io.BytesIO(b"WARC/1.0\r\n")).read(10)
    assert raised.value.offset == 0 and raised.value.reason.startswith("not a gzip file")


def test_an_empty_file_and_zero_padding_are_no_bytes():
    assert CheckedGzipMembers(io.BytesIO(b"")).read() == b""
    padded = bytes(3) + member(FIRST) + bytes(1000) + member(THIRD) + bytes(1 << 17)
    assert CheckedGzipMembers(io.BytesIO(padded)).read() == FIRST + THIRD


def test_a_highly_compressed_member_spills_to_disk_in_bounded_steps(monkeypatch):
    """Zeros compress a thousandfold: one chunk of input is decompressed in steps of at most _OUTPUT_STEP bytes,
    into a spool that moves to disk past SPOOL_BYTES."""
    big = bytes(16 << 20)
    spools, writes = [], []

    class RecordingSpool(gzip_members.tempfile.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            spools.append(self)

        def write(self, data):
            writes.append(len(data))
            return super().write(data)

    monkeypatch.setattr(gzip_members, "SPOOL_BYTES", 4 << 20)
    monkeypatch.setattr(gzip_members.tempfile, "SpooledTemporaryFile", RecordingSpool)
    stream = CheckedGzipMembers(io.BytesIO(member(big) + member(THIRD)))
    assert sum(len(chunk) for chunk in read_in_steps(stream, 1 << 20)) == len(big) + len(THIRD)
    assert [spool._rolled for spool in spools] == [True, False]
    assert max(writes) == gzip_members._OUTPUT_STEP and sum(writes) == len(big) + len(THIRD)
