"""WARC inputs (`.warc`, `.warc.gz`): every HTTP 200 `response` record with an HTML or plain-text payload
becomes a document, read record by record with warcio.

The record's WARC-Target-URI is the URL hint (`url_method` "warc"). Its WARC-Date is when the page was
crawled, not when it was published: it goes into the `retrieval` note ("crawled ..."), never into the date.
A response that is not a 200, has another payload type, is over --max-bytes or is not text is excluded with
its record number (`line`); other record types (request, metadata, warcinfo, revisit, ...) are not articles
and are counted, per type, in one auxiliary line per file, so the report accounts for every record.

A `.warc.gz` is read through gzip_members.py: each gzip member is checked whole (CRC32, length) before warcio
parses any of it, so a damaged member, or trailing data that is not gzip, is one exclusion "the WARC file is
damaged at record N" (the records before it are kept), never records parsed from its garbage.
"""

from __future__ import annotations

import codecs
import hashlib
from collections import Counter
from collections.abc import Iterator
from email.message import Message
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsfacts.documents import Hints, InputFormat, RawDocument
from newsfacts.read.decode import NotText, decode, looks_binary
from newsfacts.read.gzip_members import CheckedGzipMembers, DamagedGzip
from newsfacts.read.lines import STREAM_ERRORS
from newsfacts.read.outcomes import Auxiliary, Excluded, Outcome

PAYLOAD_FORMATS: dict[str, InputFormat] = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt"}
# Labels the web treats as windows-1252 (WHATWG Encoding Standard), as decode() does for stray high bytes.
_WINDOWS_1252 = {"ascii", "latin-1", "iso8859-1", "cp1252"}
_READ_ERRORS = (ArchiveLoadFailed, ValueError, DamagedGzip, *STREAM_ERRORS)
_DRAIN_CHUNK = 1 << 16


def read_warc(file: BinaryIO, path: str, file_digest: str, max_bytes: int) -> Iterator[Outcome]:
    skipped: Counter[str] = Counter()
    documents = excluded = number = 0
    in_record = False
    # warcio reads gzip members itself but parses a member's bytes before zlib has checked them, and treats a
    # damaged member as the end of the file, silently: it is handed members already checked whole instead, so
    # that a damaged one stops the reading at the record it holds, and none of its bytes is ever parsed.
    stream = CheckedGzipMembers(file) if path.lower().endswith(".gz") else file
    records = ArchiveIterator(stream)
    try:
        for record in records:
            number += 1
            in_record = True
            outcome = _response(record, number, path, file_digest, max_bytes) if record.rec_type == "response" else None
            # The rest of the record's block is read here (warcio would read it when moving on), so that damage
            # inside it is this record's, and the record is kept only when all of it could be read.
            while record.raw_stream.read(_DRAIN_CHUNK):
                pass
            in_record = False
            if outcome is None:
                skipped[record.rec_type or "untyped"] += 1
            else:
                documents += isinstance(outcome, RawDocument)
                excluded += isinstance(outcome, Excluded)
                yield outcome
    except _READ_ERRORS as exc:
        broken = number if in_record else number + 1
        excluded += 1
        yield Excluded(path, f"the WARC file is damaged at record {broken} ({_first_line(exc)}): this record and "
                             "the rest of the file cannot be read (the records before it are kept)", line=broken)
    finally:
        if stream is not file:
            stream.close()  # its spooled member (the caller closes `file`)
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
    yield Auxiliary(path, f"WARC file, {number} records: {documents} response(s) became documents, {excluded} "
                          f"excluded (listed by record number); not articles, skipped: {kinds or 'none'}")


def _response(record, number: int, path: str, file_digest: str, max_bytes: int) -> Outcome:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    crawled = record.rec_headers.get_header("WARC-Date")
    where = f" ({uri})" if uri else ""
    http = record.http_headers
    if http is None or not http.get_statuscode():
        return Excluded(path, f"response record without HTTP headers{where}", line=number)
    status = http.get_statuscode()
    if status != "200":
        return Excluded(path, f"HTTP status {status}{where}, not a page", line=number)
    content_type = http.get_header("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    fmt = PAYLOAD_FORMATS.get(mime)
    if fmt is None:
        return Excluded(path, f"payload is {mime or 'of no declared type'}{where}, not HTML or plain text", line=number)
    try:
        payload = record.content_stream().read(max_bytes + 1)
    except (*STREAM_ERRORS, ValueError) as exc:  # a Content-Encoding that does not decode
        return Excluded(path, f"payload cannot be decoded ({_first_line(exc)}){where}", line=number)
    if len(payload) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
        return Excluded(path, f"record cut off (shorter than its Content-Length){where}", line=number)
    if len(payload) > max_bytes:
        return Excluded(path, f"payload too large (over {max_bytes} bytes, see --max-bytes){where}", line=number)
    digest = hashlib.sha256(payload).hexdigest()
    try:
        text, encoding = _decode(payload, _charset(content_type))
    except NotText as exc:
        return Excluded(path, f"{exc}{where}", line=number, sha256=digest)
    if not text.strip():
        return Excluded(path, f"no text (empty or whitespace only){where}", line=number, sha256=digest)
    hints = Hints(url=uri or None, url_method="warc" if uri else None,
                  retrieval=f"crawled {crawled}" if crawled else None)
    return RawDocument(path=path, sha256=digest, id=digest[:16], format=fmt, encoding=encoding, raw=text,
                       line=number, file_sha256=file_digest, hints=hints)


def _charset(content_type: str) -> str | None:
    """The HTTP Content-Type's charset as a Python codec name, or None when absent or unknown."""
    message = Message()
    message["content-type"] = content_type
    label = message.get_content_charset()
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252 else name


def _decode(payload: bytes, charset: str | None) -> tuple[str, str]:
    """The HTTP charset decides when it decodes the payload (a byte order mark wins over it, as in browsers);
    otherwise the usual detection."""
    if charset and not payload.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        binary = looks_binary(payload) if not charset.startswith("utf-16") else None
        if binary:
            raise NotText(binary)
        try:
            return payload.decode(charset), charset
        except UnicodeDecodeError:
            pass
    return decode(payload)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
