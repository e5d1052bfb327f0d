"""Lines of a binary stream, one at a time, each held whole only up to a size limit.

A line over the limit is skipped through (counted and hashed, never held), so one huge record costs no
memory. A stream that breaks while a line is read (truncated or corrupt compression, an I/O error) raises
`StreamBroken` naming that line; the lines before it have been handed out already.
"""

from __future__ import annotations

import codecs
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import zstandard

_SKIP_CHUNK = 1 << 20


class StreamBroken(Exception):
    """The stream could not be read past `line` (1-based); `reason` says how it broke."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"{reason} at line {line}")
        self.line, self.reason = line, reason


class TruncatedStream(EOFError):
    """A compressed stream that ends before its end-of-frame marker."""


# What reading a plain or decompressed stream can raise when its bytes are damaged or unreadable.
STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


def describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return f"the compressed stream ends early ({exc})" if str(exc) else "the compressed stream ends early"
    if isinstance(exc, zlib.error | zstandard.ZstdError) or type(exc).__name__ == "BadGzipFile":
        return f"the compressed stream is corrupt ({exc})"
    strerror = getattr(exc, "strerror", None)
    return f"the file could not be read ({strerror or exc})"


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    data: bytes | None  # without its b"\r\n"/b"\n"; None when the line is over the limit (not held)
    size: int  # bytes, without the line break
    sha256: str | None = None  # only for a line over the limit (the caller hashes `data` otherwise)


def iter_lines(stream: BinaryIO, max_bytes: int) -> Iterator[Line]:
    """Split on b"\\n" only (U+2028/U+2029 are characters inside a record); a UTF-8 byte order mark is
    dropped from the first line; a trailing b"\\r" is dropped from every line."""
    number = 0
    limit = max_bytes + 2  # room for b"\r\n": a line of exactly max_bytes is whole
    while True:
        number += 1
        try:
            chunk = stream.readline(limit)
        except STREAM_ERRORS as exc:
            raise StreamBroken(number, describe(exc)) from None
        if not chunk:
            return
        if number == 1 and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8):]
        if chunk.endswith(b"\n") or len(chunk) < limit:
            data = chunk[:-1] if chunk.endswith(b"\n") else chunk
            data = data[:-1] if data.endswith(b"\r") else data
            yield Line(number, data, len(data))
            if not chunk.endswith(b"\n"):
                return
            continue
        yield _skip_rest(stream, chunk, number)


def _skip_rest(stream: BinaryIO, head: bytes, number: int) -> Line:
    digest, size, last = hashlib.sha256(), 0, b""
    chunk = head
    while chunk:
        ended = chunk.endswith(b"\n")
        body = chunk[:-1] if ended else chunk
        # A b"\r" before the b"\n" belongs to the line break; hold back a chunk's final b"\r" until we know.
        if last:
            digest.update(last)
            size += 1
            last = b""
        if ended and body.endswith(b"\r"):
            body = body[:-1]
        elif body.endswith(b"\r"):
            body, last = body[:-1], b"\r"
        digest.update(body)
        size += len(body)
        if ended:
            break
        try:
            chunk = stream.readline(_SKIP_CHUNK)
        except STREAM_ERRORS as exc:
            raise StreamBroken(number, describe(exc)) from None
    if last and not chunk:
        digest.update(last)
        size += 1
    return Line(number, None, size, digest.hexdigest())
