"""WARC inputs: HTTP 200 HTML / plain-text responses become documents; every other record is accounted for."""

from __future__ import annotations

import hashlib
import io
import itertools

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfacts.documents import RawDocument
from newsfacts.read import Auxiliary, Excluded, read_folder
from newsfacts.read.files import document_id

PAGE = ("<!doctype html><html><head><title>Troops arrive</title></head><body><article><h1>Troops arrive</h1>"
        "<p>Officials said on Monday that 1,500 soldiers had arrived in Vladivostok.</p></article></body></html>")
CRAWLED = "2024-10-21T08:15:00Z"


def response(writer, uri, body: bytes, *, status="200 OK", content_type="text/html; charset=utf-8", date=CRAWLED):
    http = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                     warc_headers_dict={"WARC-Date": date})


class ReproducibleWriter(WARCWriter):
    """warcio's writer with fixed record ids and dates: the same bytes every run, so a test that cuts a compressed
    record in half cuts the same bytes (random ids made the cut decompress to garbage in some runs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ids = itertools.count(1)

    def _make_warc_id(self):
        return f"<urn:uuid:00000000-0000-4000-8000-{next(self._ids):012d}>"

    def _make_warc_date(self, use_micros=False):
        return CRAWLED


def make_warc(gz: bool, extra=()) -> bytes:
    out = io.BytesIO()
    writer = ReproducibleWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example.com")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://news.example.com/a", "request", payload=io.BytesIO(b""),
                                                  http_headers=request))
    writer.write_record(response(writer, "https://news.example.com/a", PAGE.encode()))
    writer.write_record(response(writer, "https://news.example.com/gone", b"<html>gone</html>", status="404 Not Found"))
    writer.write_record(response(writer, "https://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00",
                                 content_type="image/png"))
    writer.write_record(response(writer, "https://news.example.com/brief.txt",
                                 "Minister said 20 ships had docked at Wonsan, £15m.".encode("cp1252"),
                                 content_type="text/plain; charset=windows-1252"))
    writer.write_record(writer.create_warc_record("https://news.example.com/a", "metadata",
                                                  payload=io.BytesIO(b"via: test\n"),
                                                  warc_content_type="application/warc-fields"))
    for record in extra:
        writer.write_record(record(writer))
    return out.getvalue()


def read_file(tmp_path, name, data, **kwargs):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return [o for o in read_folder(folder, **kwargs) if o.path == name]


@pytest.mark.parametrize("name, gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_every_record_has_its_fate(tmp_path, name, gz):
    data = make_warc(gz)
    page, gone, logo, brief, summary = read_file(tmp_path, name, data)
    assert isinstance(page, RawDocument) and page.format == "html" and page.line == 3
    assert page.raw == PAGE and page.encoding == "utf-8" and page.id == document_id(PAGE.encode())
    assert page.hints.url == "https://news.example.com/a" and page.hints.url_method == "warc"
    # The crawl date is when the page was fetched, not published: a retrieval note, never the date.
    assert page.hints.date is None and page.hints.retrieval == f"crawled {CRAWLED}"
    assert page.file_sha256 == hashlib.sha256(data).hexdigest()
    assert isinstance(gone, Excluded) and gone.line == 4 and gone.reason.startswith("HTTP status 404")
    assert isinstance(logo, Excluded) and logo.line == 5 and "payload is image/png" in logo.reason
    assert isinstance(brief, RawDocument) and brief.format == "txt" and brief.line == 6
    assert brief.encoding == "cp1252" and "£15m" in brief.raw  # the HTTP charset decoded it
    assert isinstance(summary, Auxiliary)
    assert summary.role == ("WARC file, 7 records: 2 response(s) became documents, 2 excluded (listed by record "
                            "number); not articles, skipped: 1 metadata, 1 request, 1 warcinfo")


def test_a_payload_over_max_bytes_is_excluded_alone(tmp_path):
    big = lambda w: response(w, "https://news.example.com/big", b"<html><body>" + b"<p>word</p>" * 2000 + b"</body></html>")
    found = read_file(tmp_path, "big.warc.gz", make_warc(True, [big]), max_bytes=5000)
    (too_big,) = [o for o in found if isinstance(o, Excluded) and o.line == 8]
    assert "payload too large (over 5000 bytes" in too_big.reason and "--max-bytes" in too_big.reason
    assert sum(isinstance(o, RawDocument) for o in found) == 2


def test_a_damaged_warc_keeps_the_records_before_it(tmp_path):
    data = make_warc(True)
    members, offset = [], 0
    while offset < len(data):  # one gzip member per record
        size = len(data) - offset - len(_unused(data[offset:]))
        members.append(data[offset:offset + size])
        offset += size
    damaged = b"".join(members[:4]) + members[4][: len(members[4]) // 2] + b"\x00" * 40 + b"".join(members[5:])
    found = read_file(tmp_path, "cut.warc.gz", damaged)
    assert [type(o).__name__ for o in found[:3]] == ["RawDocument", "Excluded", "Excluded"]
    broken = found[2]
    assert isinstance(broken, Excluded) and broken.line == 5 and "damaged at record 5" in broken.reason
    assert isinstance(found[-1], Auxiliary) and len(found) == 4  # nothing after the damage is read


def test_a_cut_off_warc_excludes_the_cut_record(tmp_path):
    data = make_warc(False)
    end = data.index(PAGE.encode()) + len(PAGE) // 2
    page, summary = read_file(tmp_path, "cut.warc", data[:end])
    assert isinstance(page, Excluded) and page.line == 3 and page.reason.startswith("record cut off")
    assert isinstance(summary, Auxiliary)


def _unused(data: bytes) -> bytes:
    import zlib

    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    decompressor.decompress(data)
    return decompressor.unused_data


def test_not_a_warc_file(tmp_path):
    broken, summary = read_file(tmp_path, "notes.warc", b"just some notes\n")
    assert isinstance(broken, Excluded) and broken.line == 1 and "damaged at record 1" in broken.reason
    assert isinstance(summary, Auxiliary) and "0 records" in summary.role
