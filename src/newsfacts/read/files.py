"""Walk an input folder and turn every file into RawDocuments or a reasoned outcome."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
import io
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from newsfacts.documents import Hints, InputFormat, RawDocument
from newsfacts.read.compressed import Compression, decompressed
from newsfacts.read.decode import NotText, decode
from newsfacts.read.jsonl import NOT_JSON_LINES, BadLine, looks_like_jsonl, read_jsonl, split_lines
from newsfacts.read.lines import STREAM_ERRORS, describe
from newsfacts.read.manifest import CHECKSUM_FILES, MANIFEST_FILES, ManifestEntry, load_checksums, load_manifest
from newsfacts.read.outcomes import Auxiliary, Excluded, Outcome
from newsfacts.read.walk import Entry, Unreadable, open_regular, read_regular, walk

# A news page, even as full HTML, is well under this; anything larger is almost surely not one article and
# would make a worker hold a huge string. Configurable with --max-bytes.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ARTICLE_SUFFIXES = {"": None, ".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
                    ".jsonl": "jsonl", ".ndjson": "jsonl"}
# Files read as a stream of records (never whole): the name decides, since a compressed or binary container
# cannot be sniffed as text. Each record is limited by --max-bytes on its own, not the file.
RECORD_SUFFIXES: dict[str, tuple[str, Compression | None]] = {
    ".jsonl": ("jsonl", None), ".ndjson": ("jsonl", None),
    ".jsonl.gz": ("jsonl", "gzip"), ".ndjson.gz": ("jsonl", "gzip"),
    ".jsonl.zst": ("jsonl", "zstd"), ".ndjson.zst": ("jsonl", "zstd"),
    ".parquet": ("parquet", None), ".warc": ("warc", None), ".warc.gz": ("warc", None),
}
SUPPORTED = ".txt, .html, .jsonl/.ndjson (also .gz, .zst), .parquet, .warc or .warc.gz"
_HASH_CHUNK = 1 << 20
SIDECAR_SUFFIXES = {".url"}
DOCUMENTATION_NAMES = {"readme", "readme.md", "readme.txt", "license", "license.txt", "license.md"}


def document_id(data: bytes) -> str:
    """Stable article id: derived from the document's bytes alone (not from a path, counter or clock)."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_folder(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Outcome]:
    """Yield an outcome for every entry below `folder`, in sorted path order.

    The folder is a boundary (see `newsfacts.read.walk`): links leading outside it, special files, and
    unreadable or vanished entries are excluded with the reason, never followed or opened."""
    folder = Path(folder)
    manifest = load_manifest(folder)
    checksums = load_checksums(folder)
    entries = list(walk(folder))
    sidecars = {e.relative: e for e in entries if PurePosixPath(e.relative).suffix.lower() in SIDECAR_SUFFIXES}
    for entry in entries:
        relative = entry.relative
        suffix = input_suffix(relative)
        name = PurePosixPath(relative).name
        if entry.hidden:
            yield Auxiliary(relative + ("/" if entry.folder else ""),
                            "hidden folder, ignored" if entry.folder else "hidden file, ignored")
        elif entry.problem:
            yield Excluded(relative + ("/" if entry.folder else ""), entry.problem)
        elif name in MANIFEST_FILES:
            yield Auxiliary(relative, "manifest")
        elif name in CHECKSUM_FILES:
            yield Auxiliary(relative, "checksums")
        elif suffix in SIDECAR_SUFFIXES:
            yield Auxiliary(relative, "url sidecar")
        elif name.lower() in DOCUMENTATION_NAMES:
            yield Auxiliary(relative, "documentation")
        elif suffix in RECORD_SUFFIXES:
            yield from _read_records(entry, suffix, manifest.get(relative), checksums.get(relative), max_bytes)
        elif suffix not in ARTICLE_SUFFIXES:
            yield Excluded(relative, f"unsupported file type {suffix!r} (expected {SUPPORTED})")
        else:
            sidecar = sidecars.get(str(PurePosixPath(relative).with_suffix(".url")))
            yield from _read_file(entry, manifest.get(relative), checksums.get(relative), sidecar, max_bytes)


def _read_file(
    entry: Entry, manifest_entry: ManifestEntry | None, expected_sha: str | None, sidecar: Entry | None,
    max_bytes: int,
) -> Iterator[Outcome]:
    relative = entry.relative
    try:
        data = read_regular(entry.path, max_bytes)
    except Unreadable as exc:
        yield Excluded(relative, exc.reason)
        return
    digest = hashlib.sha256(data).hexdigest()
    mismatch = _checksum_mismatch(relative, digest, expected_sha, manifest_entry)
    if mismatch:
        yield mismatch
        return
    hints = _hints_for(manifest_entry, sidecar)
    yield from read_bytes(data, relative, hints=hints, max_bytes=max_bytes, suffix=input_suffix(relative))


def input_suffix(name: str) -> str:
    """The suffix that decides how a file is read: a compound one (".jsonl.gz", ".warc.gz") when it is one."""
    lowered = PurePosixPath(name).name.lower()
    for compound in RECORD_SUFFIXES:
        if compound.count(".") == 2 and lowered.endswith(compound):
            return compound
    return PurePosixPath(lowered).suffix


def _checksum_mismatch(relative: str, digest: str, expected_sha: str | None,
                       manifest_entry: ManifestEntry | None) -> Excluded | None:
    for expected, where in ((expected_sha, "SHA256SUMS"), (manifest_entry.sha256 if manifest_entry else None, "manifest")):
        if expected and expected != digest:
            return Excluded(relative, f"sha256 mismatch: {where} says {expected}, file is {digest}", sha256=digest)
    return None


def _read_records(entry: Entry, suffix: str, manifest_entry: ManifestEntry | None, expected_sha: str | None,
                  max_bytes: int) -> Iterator[Outcome]:
    """A file of records, streamed: hashed in a first pass (its checksum is checked before any record is
    used), then read record by record from the same open file."""
    relative = entry.relative
    kind, compression = RECORD_SUFFIXES[suffix]
    try:
        file = open_regular(entry.path)
    except Unreadable as exc:
        yield Excluded(relative, exc.reason)
        return
    with file:
        try:
            digest = _sha256_of(file)
        except OSError as exc:
            yield Excluded(relative, f"cannot read file: {exc.strerror or exc}")
            return
        mismatch = _checksum_mismatch(relative, digest, expected_sha, manifest_entry)
        if mismatch:
            yield mismatch
            return
        file.seek(0)
        # Their readers load pyarrow and warcio (a quarter of a second together): only for such a file.
        if kind == "parquet":
            from newsfacts.read.parquet import read_parquet

            yield from read_parquet(file, relative, digest, max_bytes)
        elif kind == "warc":
            from newsfacts.read.warc import read_warc

            yield from read_warc(file, relative, digest, max_bytes)
        else:
            yield from _read_jsonl_file(file, relative, digest, max_bytes, compression, suffix)


def _sha256_of(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := file.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _read_jsonl_file(file: BinaryIO, relative: str, digest: str, max_bytes: int, compression: Compression | None,
                     suffix: str) -> Iterator[Outcome]:
    outcomes = read_jsonl(decompressed(file, compression) if compression else file, relative, digest, max_bytes,
                          detect=True)
    first = next(outcomes)
    if first is not NOT_JSON_LINES:
        yield from _jsonl_outcomes([first], relative)
        for outcome in outcomes:
            yield from _jsonl_outcomes([outcome], relative)
        return
    # Named JSON Lines but none of the first lines is a record: read the content whole, as any text file (a
    # page saved under the wrong name, JSON Lines in UTF-16), within the file size limit.
    file.seek(0)
    try:
        data = (decompressed(file, compression) if compression else file).read(max_bytes + 1)
    except STREAM_ERRORS as exc:
        yield Excluded(relative, f"not JSON Lines, and {describe(exc)}", sha256=digest)
        return
    if len(data) > max_bytes:
        yield Excluded(relative, "not JSON Lines (none of the first lines is an object with a 'text' field), and "
                                 f"too large to read as one document (over {max_bytes} bytes, see --max-bytes)",
                       sha256=digest)
        return
    yield from read_bytes(data, relative, max_bytes=max_bytes, suffix=".jsonl")


MAX_SIDECAR_BYTES = 64 * 1024


def read_sidecar_url(path: Path) -> str | None:
    """The URL in a `.url` sidecar: its first non-blank line (a regular file only; None if unusable)."""
    try:
        data = read_regular(path, MAX_SIDECAR_BYTES)
    except Unreadable:
        return None
    for line in data.decode("utf-8", errors="replace").splitlines():
        if line.strip():
            return line.strip()
    return None


def _hints_for(entry: ManifestEntry | None, sidecar: Entry | None) -> Hints:
    if entry and entry.url:
        return Hints(url=entry.url, url_method="manifest", outlet=entry.outlet, date=entry.date,
                     retrieval=entry.retrieval)
    # A sidecar that is a link outside the folder (or otherwise unreadable) has `problem` set and is not read;
    # it is reported as excluded on its own line.
    url = read_sidecar_url(sidecar.path) if sidecar is not None and sidecar.problem is None else None
    return Hints(
        url=url,
        url_method="sidecar" if url else None,
        outlet=entry.outlet if entry else None,
        date=entry.date if entry else None,
        retrieval=entry.retrieval if entry else None,
    )


def read_bytes(
    data: bytes, path: str, *, hints: Hints = Hints(), max_bytes: int = DEFAULT_MAX_BYTES, suffix: str = ""
) -> list[RawDocument | Excluded]:
    """Turn one file's bytes into documents (one, or one per JSONL line) or an Excluded outcome."""
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        return [Excluded(path, "empty file (0 bytes)", sha256=digest)]
    trusted = suffix in RECORD_SUFFIXES and RECORD_SUFFIXES[suffix][0] == "jsonl"
    lines = split_lines(data)
    if looks_like_jsonl(lines, trusted_suffix=trusted):
        return _jsonl_outcomes(read_jsonl(io.BytesIO(data), path, digest, max_bytes), path)
    try:
        text, encoding = decode(data)
    except NotText as exc:
        return [Excluded(path, str(exc), sha256=digest)]
    if not text.strip():
        return [Excluded(path, "no text (whitespace only)", sha256=digest)]
    fmt = detect_format(text, suffix)
    if fmt == "jsonl":  # JSON Lines in a legacy encoding: lines re-encoded from the whole-file decoding
        reencoded = io.BytesIO("\n".join(line.rstrip("\r") for line in text.split("\n")).encode("utf-8"))
        return _jsonl_outcomes(read_jsonl(reencoded, path, digest, max_bytes, encoding=encoding), path)
    return [
        RawDocument(path=path, sha256=digest, id=document_id(data), format=fmt, encoding=encoding, raw=text,
                    hints=hints)
    ]


def _jsonl_outcomes(outcomes, path: str) -> list[RawDocument | Excluded]:
    return [o if isinstance(o, RawDocument) else Excluded(path, o.reason, o.line, o.sha256)
            for o in outcomes if isinstance(o, RawDocument | BadLine)]


def detect_format(text: str, suffix: str = "") -> InputFormat:
    """Sniff the content; the suffix only breaks ties."""
    head = text.lstrip()[:1024].lower()
    if head.startswith(("<!doctype html", "<html")) or (suffix in {".html", ".htm", ".xhtml"} and head.startswith("<")):
        return "html"
    if head.startswith("{") and _looks_like_jsonl(text, trust_first_line=suffix in {".jsonl", ".ndjson"}):
        return "jsonl"
    return "txt"


def _looks_like_jsonl(text: str, *, trust_first_line: bool) -> bool:
    return looks_like_jsonl([line.encode("utf-8", errors="replace") for line in text.split("\n")],
                            trusted_suffix=trust_first_line)
