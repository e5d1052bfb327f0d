"""A gzip file's decompressed bytes, handed out one whole, checked member at a time (for `.warc.gz`).

zlib (and so gzip.GzipFile, and warcio's own reader) hands over a member's decompressed bytes as it goes and
checks the member's CRC32 and length (ISIZE) only at its end: a reader that parses as it decompresses has
already parsed a cut or corrupted member's garbage when the error comes (warcio even stops silently). Here a
member is decompressed whole (`zlib.decompressobj(wbits=31)`: gzip header, deflate data, then the CRC32 and
ISIZE trailer checked by zlib), and its bytes are handed out only once zlib has reached its end; the next
member starts in the decompressor's `unused_data`. A damaged member raises `DamagedGzip` when its bytes are
first asked for, after every byte of the members before it has been handed out.

Memory stays bounded: a member's bytes go into a `tempfile.SpooledTemporaryFile` held in memory up to
`SPOOL_BYTES` (32 MiB) and moved to a temporary file past that. WARC writers put one record in each member
(kilobytes, at most a few MB for a large page), which stays in memory; a WARC compressed whole as one member
(`gzip crawl.warc`) is decompressed to a temporary file as large as the decompressed WARC before its first
record is read. Each zlib call also produces at most `_OUTPUT_STEP` bytes, so a highly compressed chunk
(a run of zeros expands a thousandfold) never lands in memory at once.

As gzip(1) and Python's gzip module do, zero bytes between or after members (padding) are skipped. Anything
else after a member that is not a gzip member (trailing garbage) is reported as damage, not dropped.
"""

from __future__ import annotations

import io
import tempfile
import zlib
from typing import BinaryIO

SPOOL_BYTES = 32 << 20
_INPUT_CHUNK = 1 << 16
_OUTPUT_STEP = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
# zlib's words for a failed trailer check, in the terms of the gzip format.
_ZLIB_REASONS = {"incorrect data check": "its CRC32 does not match its data",
                 "incorrect length check": "its stored length (ISIZE) does not match its data"}


class DamagedGzip(Exception):
    """The gzip member starting at compressed byte `offset` cannot be used; `reason` says why.

    Deliberately not an OSError/ValueError/EOFError: those are what warcio and the payload decoders catch as
    "this payload does not decode" or "end of the file", and a damaged member is neither."""

    def __init__(self, offset: int, reason: str):
        super().__init__(f"gzip member at byte {offset}: {reason}")
        self.offset, self.reason = offset, reason


class CheckedGzipMembers(io.RawIOBase):
    """The decompressed bytes of the gzip stream `raw` (which stays owned by the caller), member by member,
    each member's bytes handed out only after its CRC32 and length have been checked.

    A read returns fewer bytes than asked at the end of a member, and b"" at the end of the file; once a
    member is found damaged, every later read raises the same `DamagedGzip`."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._pending = b""  # compressed bytes read from `raw` and not yet decompressed
        self._pending_offset = 0  # where `_pending` starts in the compressed file
        self._member: tempfile.SpooledTemporaryFile | None = None  # the checked member being handed out
        self._error: DamagedGzip | None = None
        self._finished = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        while True:
            if self._member is not None:
                data = self._member.read(size)
                if data or size == 0:
                    return data
                self._member.close()
                self._member = None
            if self._finished:
                return b""
            self._member = self._next_member()

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._member is not None:
            self._member.close()
            self._member = None
        super().close()

    def _next_member(self) -> tempfile.SpooledTemporaryFile | None:
        """The next member's bytes, checked, from its start; None at the end of the file."""
        if self._error is not None:
            raise self._error
        try:
            return self._decompress_member()
        except DamagedGzip as exc:
            self._error = exc
            raise

    def _decompress_member(self) -> tempfile.SpooledTemporaryFile | None:
        if not self._skip_padding():
            self._finished = True
            return None
        start = self._pending_offset
        if not self._pending.startswith(_GZIP_MAGIC):
            what = "not a gzip file" if start == 0 else "data after the last complete member that is not a gzip member"
            raise DamagedGzip(start, f"{what} (starts with {self._pending[:8]!r})")
        decompressor = zlib.decompressobj(wbits=31)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        data, fed = self._pending, len(self._pending)
        try:
            while not decompressor.eof:
                if not data:
                    data = self._raw.read(_INPUT_CHUNK)
                    if not data:
                        raise DamagedGzip(start, "the file ends inside this member (it is cut short)")
                    fed += len(data)
                spool.write(decompressor.decompress(data, _OUTPUT_STEP))
                data = decompressor.unconsumed_tail
        except zlib.error as exc:
            spool.close()
            raise DamagedGzip(start, _zlib_reason(exc)) from None
        except BaseException:
            spool.close()
            raise
        self._pending = decompressor.unused_data
        self._pending_offset = start + fed - len(self._pending)
        spool.seek(0)
        return spool

    def _skip_padding(self) -> bool:
        """Skip zero bytes up to the next member; False when the file ends first. At least two bytes of the
        next member (its magic number) are in `_pending` after it, when the file has them."""
        while True:
            stripped = self._pending.lstrip(b"\0")
            self._pending_offset += len(self._pending) - len(stripped)
            self._pending = stripped
            if len(self._pending) >= len(_GZIP_MAGIC):
                return True
            more = self._raw.read(_INPUT_CHUNK)
            if not more:
                return bool(self._pending)
            self._pending += more


def _zlib_reason(exc: zlib.error) -> str:
    message = str(exc).split(": ", 1)[-1]
    return _ZLIB_REASONS.get(message, message)
