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

from newsfacts.documents import Hints, RawDocument
from newsfacts.read.dates import iso_date_problem
from newsfacts.read.decode import NotText, decode, looks_binary

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


def read_jsonl(
    lines: list[bytes], path: str, file_digest: str, max_bytes: int, *, encoding: str | None = None
) -> Iterator[RawDocument | BadLine]:
    """One outcome per non-blank line. `encoding` is set when the lines were decoded as a whole file already
    (they are then UTF-8 re-encodings of that decoding)."""
    for number, line_bytes in enumerate(lines, start=1):
        if not line_bytes.strip():
            continue
        line_digest = hashlib.sha256(line_bytes).hexdigest()
        try:
            yield _document(line_bytes, path, number, line_digest, file_digest, max_bytes, encoding)
        except BadRecord as exc:
            yield BadLine(number, str(exc), line_digest)


class BadLine:
    """An excluded line: the caller turns it into its own outcome type."""

    __slots__ = ("line", "reason", "sha256")

    def __init__(self, line: int, reason: str, sha256: str):
        self.line, self.reason, self.sha256 = line, reason, sha256


def _document(
    line_bytes: bytes, path: str, number: int, line_digest: str, file_digest: str, max_bytes: int,
    encoding: str | None,
) -> RawDocument:
    if len(line_bytes) > max_bytes:
        raise BadRecord(f"line too large ({len(line_bytes)} bytes; the limit is {max_bytes}, see --max-bytes)")
    line, line_encoding = _decode_line(line_bytes, encoding)
    record = parse_record(line)
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
        url_method="jsonl" if "url" in extra else None,
        outlet=extra.get("outlet"),
        date=extra.get("date"),
        title=extra.get("title"),
    )
    return RawDocument(
        path=path, sha256=line_digest, id=hashlib.sha256(line_bytes).hexdigest()[:16], format="jsonl",
        encoding=line_encoding, raw=body, line=number, file_sha256=file_digest, hints=hints,
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
