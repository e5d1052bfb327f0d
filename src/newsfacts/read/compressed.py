"""Decompressing readers for `.gz` and `.zst` inputs, as binary streams read in bounded chunks.

gzip (standard library) raises on a truncated or corrupt stream by itself. zstandard's stream reader returns
a truncated frame's bytes without complaint, so zstd is read through a decompression object that checks the
frame reached its end (and verifies the frame's checksum when the writer stored one, as the zstd tool does).
"""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO, Literal

import zstandard

from newsfacts.read.lines import TruncatedStream

Compression = Literal["gzip", "zstd"]
# Compressed bytes fed per step: the output of one step is bounded by this times the frame's ratio (a few
# times for text; a hostile all-zeros frame reaches a few thousand, so tens of MB at most).
_CHUNK = 1 << 13
_BUFFER = 1 << 20


def decompressed(raw: BinaryIO, compression: Compression) -> BinaryIO:
    """A buffered binary stream of `raw`'s decompressed bytes (which stay owned by the caller)."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return io.BufferedReader(_ZstdRaw(raw), buffer_size=_BUFFER)


class _ZstdRaw(io.RawIOBase):
    """Concatenated zstd frames (as `zstd`/`pzstd` write them) decompressed chunk by chunk."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._decompressor = zstandard.ZstdDecompressor()
        self._frame = self._decompressor.decompressobj()
        self._pending = b""
        self._offset = 0
        self._started = False  # a frame has begun and not ended
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._pending) and not self._done:
            self._pending, self._offset = b"", 0
            self._fill()
        size = min(len(buffer), len(self._pending) - self._offset)
        buffer[:size] = self._pending[self._offset:self._offset + size]
        self._offset += size
        return size

    def _fill(self) -> None:
        data = self._raw.read(_CHUNK)
        if not data:
            if self._started:
                raise TruncatedStream("a zstd frame is cut off")
            self._done = True
            return
        while data:
            self._started = True
            self._pending += self._frame.decompress(data)
            if not self._frame.eof:
                return
            self._started = False
            data = self._frame.unused_data
            self._frame = self._decompressor.decompressobj()
