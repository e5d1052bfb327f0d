"""WARC inputs: HTTP 200 HTML / plain-text responses become documents; every other record is accounted for."""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import tempfile
import zlib

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsfacts.read.gzip_members as gzip_members_module
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
    folder.mkdir(parents=True, exist_ok=True)
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
    members = gzip_members(make_warc(True))
    damaged = b"".join(members[:4]) + members[4][: len(members[4]) // 2] + b"\x00" * 40 + b"".join(members[5:])
    found = read_file(tmp_path, "cut.warc.gz", damaged)
    assert [type(o).__name__ for o in found[:3]] == ["RawDocument", "Excluded", "Excluded"]
    broken = found[2]
    assert isinstance(broken, Excluded) and broken.line == 5 and "damaged at record 5" in broken.reason
    assert isinstance(found[-1], Auxiliary) and len(found) == 4  # nothing after the damage is read


# What the records before the brief.txt response (record 6, member 6) come to, and the summary when the file
# breaks at it: any garbage parsed from the damaged member would add an outcome, a reason or a record type.
BEFORE_BRIEF = [("RawDocument", 3, None),
                ("Excluded", 4, "HTTP status 404 (https://news.example.com/gone), not a page"),
                ("Excluded", 5, "payload is image/png (https://news.example.com/logo.png), not HTML or plain text")]
SUMMARY_AT_BRIEF = ("WARC file, 5 records: 1 response(s) became documents, 3 excluded (listed by record number); "
                    "not articles, skipped: 1 request, 1 warcinfo")


def assert_damaged_at_brief(outcomes, why=""):
    *before, broken, summary = outcomes
    assert [(type(o).__name__, o.line, getattr(o, "reason", None)) for o in before] == BEFORE_BRIEF
    assert isinstance(broken, Excluded) and broken.line == 6
    assert broken.reason.startswith("the WARC file is damaged at record 6 (gzip member at byte ")
    assert why in broken.reason
    assert isinstance(summary, Auxiliary) and summary.role == SUMMARY_AT_BRIEF


@pytest.mark.parametrize("then", ["rest of the file", "end of the file"])
def test_a_member_cut_anywhere_is_damage_at_its_record(tmp_path, then):
    """zlib hands out a member's bytes before checking it: a cut member once came out as records with garbage
    URIs or types, or (cut at the end of the file) as nothing at all. Every cut of record 6's member, one file
    each, read in one pass."""
    members = gzip_members(make_warc(True))
    folder = tmp_path / "in"
    folder.mkdir()
    cut_member = members[5]
    for cut in range(1, len(cut_member)):
        rest = b"".join(members[6:]) if then == "rest of the file" else b""
        (folder / f"cut{cut:04d}.warc.gz").write_bytes(b"".join(members[:5]) + cut_member[:cut] + rest)
    by_file = group_by_path(read_folder(folder))
    assert len(by_file) == len(cut_member) - 1
    for outcomes in by_file.values():
        assert_damaged_at_brief(outcomes)


def test_a_member_with_a_changed_byte_is_damage_at_its_record(tmp_path):
    """Every byte of record 6's member after its header fields zlib does not check (mtime, flags, OS), each
    flipped in a file of its own: deflate data, CRC32 and ISIZE."""
    members = gzip_members(make_warc(True))
    folder = tmp_path / "in"
    folder.mkdir()
    member = members[5]
    for at in range(10, len(member)):
        flipped = member[:at] + bytes([member[at] ^ 0xFF]) + member[at + 1:]
        (folder / f"flip{at:04d}.warc.gz").write_bytes(b"".join(members[:5]) + flipped + b"".join(members[6:]))
    by_file = group_by_path(read_folder(folder))
    assert len(by_file) == len(member) - 10
    for outcomes in by_file.values():
        assert_damaged_at_brief(outcomes)
    assert_damaged_at_brief(by_file[f"flip{len(member) - 8:04d}.warc.gz"], "its CRC32 does not match its data")
    assert_damaged_at_brief(by_file[f"flip{len(member) - 1:04d}.warc.gz"], "its stored length (ISIZE) does not match")


def test_a_whole_file_gzip_reads_every_record(tmp_path, monkeypatch):
    """`gzip crawl.warc` makes one member of the whole file: all its records are read, as from the plain WARC,
    also when the member is past the in-memory limit and spills to a temporary file."""
    plain = [summarize(o) for o in read_file(tmp_path, "crawl.warc", make_warc(False))]
    whole = gzip.compress(make_warc(False), mtime=0)
    assert len(gzip_members(whole)) == 1
    assert [summarize(o) for o in read_file(tmp_path, "crawl.warc.gz", whole)] == plain
    spooled = []
    monkeypatch.setattr(gzip_members_module, "SPOOL_BYTES", 1024)
    monkeypatch.setattr(gzip_members_module.tempfile, "SpooledTemporaryFile", recording(spooled))
    assert [summarize(o) for o in read_file(tmp_path / "spilled", "crawl.warc.gz", whole)] == plain
    assert [spool._rolled for spool in spooled] == [True]  # on disk, not in memory


def test_a_damaged_whole_file_gzip_keeps_nothing(tmp_path):
    """One member holds every record: none of its bytes has been checked when it breaks, so none is used."""
    whole = gzip.compress(make_warc(False), mtime=0)
    broken, summary = read_file(tmp_path, "crawl.warc.gz", whole[: len(whole) // 2])
    assert isinstance(broken, Excluded) and broken.line == 1
    assert "damaged at record 1 (gzip member at byte 0: the file ends inside this member" in broken.reason
    assert isinstance(summary, Auxiliary) and "0 records" in summary.role


PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
photo = lambda w: response(w, "https://news.example.com/photo.png", PHOTO, content_type="image/png")


@pytest.mark.parametrize("needle, record, summary", [
    (PAGE.encode(), 3, "WARC file, 3 records: 0 response(s) became documents, 1 excluded"),
    # An image's payload is never read for its outcome: the damage is still found in it, and it is not kept.
    (PHOTO, 8, "WARC file, 8 records: 2 response(s) became documents, 3 excluded")], ids=["page", "image"])
def test_members_that_split_records_report_damage_at_the_record_it_falls_in(tmp_path, needle, record, summary):
    """Blocks of a fixed size, each a member (as bgzip writes): a record spans members. A damaged member in a
    record's payload stops the reading at that record, which is not kept."""
    plain = make_warc(False, [photo])
    blocks = [gzip.compress(plain[at:at + 200], mtime=0) for at in range(0, len(plain), 200)]
    assert [summarize(o) for o in read_file(tmp_path, "blocks.warc.gz", b"".join(blocks))] == \
        [summarize(o) for o in read_file(tmp_path, "crawl.warc", plain)]
    inside = (plain.index(needle) + len(needle) // 2) // 200
    blocks[inside] = blocks[inside][:-8] + bytes(8)  # its CRC32 and ISIZE zeroed
    *kept, broken, last = read_file(tmp_path, "damaged.warc.gz", b"".join(blocks))
    assert all(o.line < record for o in kept)
    assert isinstance(broken, Excluded) and broken.line == record and f"damaged at record {record}" in broken.reason
    assert "its CRC32 does not match its data" in broken.reason
    assert last.role.startswith(summary)


def test_trailing_garbage_after_the_last_member_is_reported(tmp_path):
    data = make_warc(True)
    *records, broken, summary = read_file(tmp_path, "crawl.warc.gz", data + b"<html>not gzip</html>")
    assert [summarize(o) for o in records] == [summarize(o) for o in read_file(tmp_path, "ok.warc.gz", data)][:-1]
    assert isinstance(broken, Excluded) and broken.line == 8
    assert f"damaged at record 8 (gzip member at byte {len(data)}: data after the last complete member" in broken.reason
    assert isinstance(summary, Auxiliary) and "7 records" in summary.role


def test_zero_padding_after_the_last_member_is_not_damage(tmp_path):
    """gzip(1) and Python's gzip module skip zero bytes between and after members (block-device padding)."""
    data = make_warc(True)
    padded = read_file(tmp_path, "padded.warc.gz", data + bytes(512))
    assert [summarize(o) for o in padded] == [summarize(o) for o in read_file(tmp_path, "crawl.warc.gz", data)]
    assert not any("damaged" in getattr(o, "reason", "") for o in padded)


def test_a_cut_off_warc_excludes_the_cut_record(tmp_path):
    data = make_warc(False)
    end = data.index(PAGE.encode()) + len(PAGE) // 2
    page, summary = read_file(tmp_path, "cut.warc", data[:end])
    assert isinstance(page, Excluded) and page.line == 3 and page.reason.startswith("record cut off")
    assert isinstance(summary, Auxiliary)


def gzip_members(data: bytes) -> list[bytes]:
    members, offset = [], 0
    while offset < len(data):
        decompressor = zlib.decompressobj(wbits=31)
        decompressor.decompress(data[offset:])
        size = len(data) - offset - len(decompressor.unused_data)
        members.append(data[offset:offset + size])
        offset += size
    return members


def group_by_path(outcomes) -> dict[str, list]:
    by_path: dict[str, list] = {}
    for outcome in outcomes:
        by_path.setdefault(outcome.path, []).append(outcome)
    return by_path


def summarize(outcome) -> tuple:
    """What an outcome says about its record, without the file's name and checksum."""
    if isinstance(outcome, RawDocument):
        return "document", outcome.line, outcome.raw, outcome.hints.url
    if isinstance(outcome, Excluded):
        return "excluded", outcome.line, outcome.reason
    return "summary", outcome.role


def recording(spools: list):
    class RecordingSpool(tempfile.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            spools.append(self)

    return RecordingSpool


def test_not_a_warc_file(tmp_path):
    broken, summary = read_file(tmp_path, "notes.warc", b"just some notes\n")
    assert isinstance(broken, Excluded) and broken.line == 1 and "damaged at record 1" in broken.reason
    assert isinstance(summary, Auxiliary) and "0 records" in summary.role
