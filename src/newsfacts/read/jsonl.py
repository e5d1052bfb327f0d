"""JSON Lines: one article per line, each line decoded, limited and validated on its own.

A bad line (undecodable, too large, invalid JSON, a 5,000-digit number, nesting too deep, no text, lone
surrogates, binary text, an invalid date) is excluded with its line number and reason; it never decides how
the other lines are read. Lines are split on b"\\n" only: U+2028 and U+2029 are characters inside a record.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Iterator
from typing import BinaryIO, Literal

from newsfacts.documents import Hints, RawDocument
from newsfacts.read.dates import iso_date_problem
from newsfacts.read.decode import NotText, decode, looks_binary
from newsfacts.read.lines import Line, StreamBroken, iter_lines

# Far beyond any real count or identifier; Python's own limit (4,300 digits) gives a less useful error.
MAX_NUMBER_DIGITS = 100
HINT_FIELDS = ("url", "date", "outlet", "title")
_DETECTION_LINES = 50


class BadRecord(ValueError):
    """One JSON line that cannot become a document; the message is the report's reason."""


def split_lines(data: bytes) -> list[bytes]:
    """The file's lines (without their b"\\r\\n"/b"\\n"), a UTF-8 byte order mark dropped from the first."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return [line[:-1] if line.endswith(b"\r") else line for line in data.split(b"\n")]


def looks_like_jsonl(lines: list[bytes], *, trusted_suffix: bool) -> bool:
    """JSON objects with a 'text' field, one per line. With a .jsonl/.ndjson name one good line among the first
    fifty is enough (the bad ones are then reported one by one); without it, the first five non-blank lines
    must all qualify."""
    candidates = [line for line in lines[: _DETECTION_LINES * 2] if line.strip()][:_DETECTION_LINES]
    if trusted_suffix:
        return any(_qualifies(line) for line in candidates)
    return bool(candidates) and all(_qualifies(line) for line in candidates[:5])


def _qualifies(line: bytes) -> bool:
    if not line.lstrip().startswith(b"{"):
        return False
    try:
        record = parse_record(line.decode("utf-8", errors="replace"))
    except BadRecord:
        return False
    return isinstance(record, dict) and "text" in record


def parse_record(line: str) -> object:
    """json.loads with the failures of hostile lines turned into BadRecord."""
    try:
        return json.loads(line, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise BadRecord("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # from _bounded_int, or any other conversion limit
        raise BadRecord(f"invalid JSON: {exc}") from None


def _bounded_int(digits: str) -> int:
    length = len(digits.lstrip("-"))
    if length > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number with {length} digits (at most {MAX_NUMBER_DIGITS} are accepted)")
    return int(digits)


class NotJsonLines:
    """Yielded alone, first, when a stream read with `detect=True` turns out not to be JSON Lines (no line
    among the first fifty non-blank ones is an object with a 'text' field): the caller reads it another way."""

    __slots__ = ()


NOT_JSON_LINES = NotJsonLines()


def read_jsonl(
    stream: BinaryIO, path: str, file_digest: str, max_bytes: int, *, detect: bool = False,
    encoding: str | None = None,
) -> Iterator[RawDocument | BadLine | NotJsonLines]:
    """One outcome per non-blank line of `stream` (plain or decompressed), read line by line: memory holds one
    line at a time, never more than `max_bytes` of it. A stream that breaks (truncated or corrupt
    compression, a read error) ends with one BadLine at the line where it broke; the lines before it stand.

    With `detect` (a .jsonl/.ndjson name), outcomes are held back until a line qualifies as a record (see
    `looks_like_jsonl`); if none of the first fifty does, only NOT_JSON_LINES is yielded. `encoding` is set
    when the lines were decoded as a whole file already (they are then UTF-8 re-encodings of that decoding)."""
    held: list[BadLine | RawDocument] | None = [] if detect else None
    non_blank = 0
    try:
        for line in iter_lines(stream, max_bytes):
            if line.data is not None and not line.data.strip():
                continue
            non_blank += 1
            outcome = _outcome(line, path, file_digest, max_bytes, encoding)
            if held is None:
                yield outcome
                continue
            held.append(outcome)
            if line.data is not None and _qualifies(line.data):
                yield from held
                held = None
            elif non_blank >= _DETECTION_LINES:
                yield NOT_JSON_LINES
                return
    except StreamBroken as exc:
        if held:
            yield from held
            held = None
        rest = ("this line and the rest of the file cannot be read (the lines before it are kept)" if exc.line > 1
                else "nothing in the file can be read")
        yield BadLine(exc.line, f"{exc.reason} at line {exc.line}: {rest}", None)
        return
    if held is not None:
        yield NOT_JSON_LINES


def _outcome(line: Line, path: str, file_digest: str, max_bytes: int, encoding: str | None) -> RawDocument | BadLine:
    if line.data is None:
        return BadLine(line.number, too_large(line.size, max_bytes), line.sha256)
    line_digest = hashlib.sha256(line.data).hexdigest()
    if len(line.data) > max_bytes:
        return BadLine(line.number, too_large(len(line.data), max_bytes), line_digest)
    try:
        text, line_encoding = _decode_line(line.data, encoding)
        return record_document(parse_record(text), line.data, path, line.number, file_digest, line_encoding)
    except BadRecord as exc:
        return BadLine(line.number, str(exc), line_digest)


def too_large(size: int, max_bytes: int, what: str = "line") -> str:
    return f"{what} too large ({size} bytes; the limit is {max_bytes}, see --max-bytes)"


class BadLine:
    """An excluded line (or row, or record): the caller turns it into its own outcome type."""

    __slots__ = ("line", "reason", "sha256")

    def __init__(self, line: int, reason: str, sha256: str | None):
        self.line, self.reason, self.sha256 = line, reason, sha256


def record_document(
    record: object, record_bytes: bytes, path: str, number: int, file_digest: str, encoding: str,
    url_method: Literal["jsonl"] = "jsonl",
) -> RawDocument:
    """One parsed record (a JSON line, a Parquet row) → a document, or BadRecord with the reason. The id and
    sha256 are those of `record_bytes`, the record as it was serialised."""
    if not isinstance(record, dict):
        raise BadRecord("JSON line is not an object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise BadRecord("missing or empty 'text' field")
    extra = {k: record[k] for k in HINT_FIELDS if isinstance(record.get(k), str) and record[k].strip()}
    for field, value in (("text", body), *extra.items()):
        _refuse_surrogates(field, value)
    binary = looks_binary(body.encode("utf-8"))
    if binary:
        raise BadRecord(f"'text' field is not text: {binary}")
    if "date" in extra:
        problem = iso_date_problem(extra["date"])
        if problem:
            raise BadRecord(f"'date' field: {problem}")
    hints = Hints(
        url=extra.get("url"),
        url_method=url_method if "url" in extra else None,
        outlet=extra.get("outlet"),
        date=extra.get("date"),
        title=extra.get("title"),
    )
    digest = hashlib.sha256(record_bytes).hexdigest()
    return RawDocument(
        path=path, sha256=digest, id=digest[:16], format="jsonl", encoding=encoding, raw=body, line=number,
        file_sha256=file_digest, hints=hints,
    )


def _decode_line(line_bytes: bytes, encoding: str | None) -> tuple[str, str]:
    try:
        return line_bytes.decode("utf-8"), encoding or "utf-8"
    except UnicodeDecodeError:
        pass
    # JSON is UTF-8 (RFC 8259); a line that is not is decoded on its own (and flagged `encoding_guessed`
    # downstream), so one stray byte never changes how the other lines read.
    try:
        return decode(line_bytes)
    except NotText as exc:
        raise BadRecord(str(exc)) from None


def _refuse_surrogates(field: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadRecord(
            f"'{field}' field holds a lone surrogate (\\u{ord(value[exc.start]):04x} at character {exc.start}), "
            "which is not Unicode text"
        ) from None
