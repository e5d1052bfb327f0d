"""Walk an input folder and turn every file into RawDocuments or a reasoned outcome."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfacts.documents import Hints, InputFormat, RawDocument
from newsfacts.read.decode import NotText, decode
from newsfacts.read.manifest import CHECKSUM_FILES, MANIFEST_FILES, ManifestEntry, load_checksums, load_manifest

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
    """Yield an outcome for every file below `folder`, in sorted path order."""
    folder = Path(folder)
    manifest = load_manifest(folder)
    checksums = load_checksums(folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        name = path.name.lower()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            yield Auxiliary(relative, "hidden file, ignored")
        elif path.name in MANIFEST_FILES:
            yield Auxiliary(relative, "manifest")
        elif path.name in CHECKSUM_FILES:
            yield Auxiliary(relative, "checksums")
        elif path.suffix.lower() in SIDECAR_SUFFIXES:
            yield Auxiliary(relative, "url sidecar")
        elif name in DOCUMENTATION_NAMES:
            yield Auxiliary(relative, "documentation")
        elif path.suffix.lower() not in ARTICLE_SUFFIXES:
            yield Excluded(relative, f"unsupported file type {path.suffix!r} (expected .txt, .html or .jsonl)")
        else:
            yield from _read_file(path, relative, manifest.get(relative), checksums.get(relative), max_bytes)


def _read_file(
    path: Path, relative: str, entry: ManifestEntry | None, expected_sha: str | None, max_bytes: int
) -> Iterator[Outcome]:
    size = path.stat().st_size
    if size > max_bytes and ARTICLE_SUFFIXES[path.suffix.lower()] != "jsonl":
        yield Excluded(relative, f"file too large ({size} bytes; the limit is {max_bytes}, see --max-bytes)")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Excluded(relative, f"cannot read file: {exc.strerror or exc}")
        return
    digest = hashlib.sha256(data).hexdigest()
    for expected, where in ((expected_sha, "SHA256SUMS"), (entry.sha256 if entry else None, "manifest")):
        if expected and expected != digest:
            yield Excluded(relative, f"sha256 mismatch: {where} says {expected}, file is {digest}", sha256=digest)
            return
    hints = _hints_for(path, entry)
    yield from read_bytes(data, relative, hints=hints, max_bytes=max_bytes, suffix=path.suffix.lower())


def _hints_for(path: Path, entry: ManifestEntry | None) -> Hints:
    if entry and entry.url:
        return Hints(url=entry.url, url_method="manifest", outlet=entry.outlet, date=entry.date,
                     retrieval=entry.retrieval)
    sidecar = path.with_suffix(".url")
    url = None
    if sidecar.is_file():
        url = sidecar.read_text(encoding="utf-8", errors="replace").strip() or None
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
    try:
        text, encoding = decode(data)
    except NotText as exc:
        return [Excluded(path, str(exc), sha256=digest)]
    if not text.strip():
        return [Excluded(path, "no text (whitespace only)", sha256=digest)]
    fmt = detect_format(text, suffix)
    if fmt == "jsonl":
        return list(_read_jsonl(text, encoding, path, digest, max_bytes))
    return [
        RawDocument(path=path, sha256=digest, id=document_id(data), format=fmt, encoding=encoding, raw=text,
                    hints=hints)
    ]


def detect_format(text: str, suffix: str = "") -> InputFormat:
    """Sniff the content; the suffix only breaks ties."""
    head = text.lstrip()[:1024].lower()
    if head.startswith(("<!doctype html", "<html")) or (suffix in {".html", ".htm", ".xhtml"} and head.startswith("<")):
        return "html"
    if head.startswith("{") and _looks_like_jsonl(text, trust_first_line=suffix in {".jsonl", ".ndjson"}):
        return "jsonl"
    return "txt"


def _looks_like_jsonl(text: str, *, trust_first_line: bool) -> bool:
    """JSON objects with a 'text' field, one per line. With a .jsonl name the first line decides (later bad
    lines are then reported one by one); without it, the first five lines must all qualify."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][: 1 if trust_first_line else 5]
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            return False
        if not isinstance(record, dict) or "text" not in record:
            return False
    return bool(lines)


_JSONL_HINT_FIELDS = {"url", "date", "outlet", "title"}


def _read_jsonl(text: str, encoding: str, path: str, file_digest: str, max_bytes: int) -> Iterator[RawDocument | Excluded]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        line_bytes = line.rstrip("\r").encode("utf-8")
        line_digest = hashlib.sha256(line_bytes).hexdigest()
        if len(line_bytes) > max_bytes:
            yield Excluded(path, f"line too large ({len(line_bytes)} bytes; limit {max_bytes})", number, line_digest)
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Excluded(path, f"invalid JSON: {exc.msg} at column {exc.colno}", number, line_digest)
            continue
        if not isinstance(record, dict):
            yield Excluded(path, "JSON line is not an object", number, line_digest)
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield Excluded(path, "missing or empty 'text' field", number, line_digest)
            continue
        extra = {k: record[k] for k in _JSONL_HINT_FIELDS if isinstance(record.get(k), str) and record[k].strip()}
        hints = Hints(
            url=extra.get("url"),
            url_method="jsonl" if "url" in extra else None,
            outlet=extra.get("outlet"),
            date=extra.get("date"),
            title=extra.get("title"),
        )
        yield RawDocument(
            path=path, sha256=line_digest, id=document_id(line_bytes), format="jsonl", encoding=encoding, raw=body,
            line=number, file_sha256=file_digest, hints=hints,
        )
