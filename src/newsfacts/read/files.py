"""Walk an input folder and turn every file into RawDocuments or a reasoned outcome."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsfacts.documents import Hints, InputFormat, RawDocument
from newsfacts.read.decode import NotText, decode
from newsfacts.read.jsonl import looks_like_jsonl, read_jsonl, split_lines
from newsfacts.read.manifest import CHECKSUM_FILES, MANIFEST_FILES, ManifestEntry, load_checksums, load_manifest
from newsfacts.read.walk import Entry, Unreadable, read_regular, walk

# A news page, even as full HTML, is well under this; anything larger is almost surely not one article and
# would make a worker hold a huge string. Configurable with --max-bytes.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ARTICLE_SUFFIXES = {"": None, ".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
                    ".jsonl": "jsonl", ".ndjson": "jsonl"}
SIDECAR_SUFFIXES = {".url"}
DOCUMENTATION_NAMES = {"readme", "readme.md", "readme.txt", "license", "license.txt", "license.md"}


@dataclass(frozen=True)
class Excluded:
    """An input that does not become an article, and why."""

    path: str
    reason: str
    line: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Auxiliary:
    """A file that is not an article but is read for what it says about the articles (or documentation)."""

    path: str
    role: str


Outcome = RawDocument | Excluded | Auxiliary


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
        suffix = PurePosixPath(relative).suffix.lower()
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
        elif suffix not in ARTICLE_SUFFIXES:
            yield Excluded(relative, f"unsupported file type {suffix!r} (expected .txt, .html or .jsonl)")
        else:
            sidecar = sidecars.get(str(PurePosixPath(relative).with_suffix(".url")))
            yield from _read_file(entry, manifest.get(relative), checksums.get(relative), sidecar, max_bytes)


def _read_file(
    entry: Entry, manifest_entry: ManifestEntry | None, expected_sha: str | None, sidecar: Entry | None,
    max_bytes: int,
) -> Iterator[Outcome]:
    relative = entry.relative
    is_jsonl = ARTICLE_SUFFIXES[PurePosixPath(relative).suffix.lower()] == "jsonl"
    try:
        # JSON Lines are limited per record, not per file.
        data = read_regular(entry.path, None if is_jsonl else max_bytes)
    except Unreadable as exc:
        yield Excluded(relative, exc.reason)
        return
    digest = hashlib.sha256(data).hexdigest()
    for expected, where in ((expected_sha, "SHA256SUMS"), (manifest_entry.sha256 if manifest_entry else None, "manifest")):
        if expected and expected != digest:
            yield Excluded(relative, f"sha256 mismatch: {where} says {expected}, file is {digest}", sha256=digest)
            return
    hints = _hints_for(manifest_entry, sidecar)
    yield from read_bytes(data, relative, hints=hints, max_bytes=max_bytes, suffix=PurePosixPath(relative).suffix.lower())


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
    trusted = suffix in {".jsonl", ".ndjson"}
    lines = split_lines(data)
    if looks_like_jsonl(lines, trusted_suffix=trusted):
        return _jsonl_outcomes(read_jsonl(lines, path, digest, max_bytes), path)
    try:
        text, encoding = decode(data)
    except NotText as exc:
        return [Excluded(path, str(exc), sha256=digest)]
    if not text.strip():
        return [Excluded(path, "no text (whitespace only)", sha256=digest)]
    fmt = detect_format(text, suffix)
    if fmt == "jsonl":  # JSON Lines in a legacy encoding: lines re-encoded from the whole-file decoding
        lines = [line.rstrip("\r").encode("utf-8") for line in text.split("\n")]
        return _jsonl_outcomes(read_jsonl(lines, path, digest, max_bytes, encoding=encoding), path)
    return [
        RawDocument(path=path, sha256=digest, id=document_id(data), format=fmt, encoding=encoding, raw=text,
                    hints=hints)
    ]


def _jsonl_outcomes(outcomes, path: str) -> list[RawDocument | Excluded]:
    return [o if isinstance(o, RawDocument) else Excluded(path, o.reason, o.line, o.sha256) for o in outcomes]


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
