"""The optional manifest of an input folder (what is known about each file) and its checksum list.

``manifest.yaml``::

    manifest_version: 1
    documents:
      - file: 000_1bf7e7c3ea9bf00a.txt      # path relative to the folder
        sha256: 602b7f...                    # the build refuses a file whose bytes differ
        url: https://...                     # optional: the page the dump was taken from
        outlet: Daily Tribune                # optional: publisher, when known from outside the text
        date: 2024-10-25                     # optional: publication date known from outside the text (ISO;
                                             # quoted or not; an invalid date is refused with the entry named)
        retrieval: "text dump received ..."  # optional: how the file was obtained
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsfacts.read.dates import iso_date
from newsfacts.read.walk import Unreadable, read_regular

MANIFEST_FILES = {"manifest.yaml", "manifest.yml"}
CHECKSUM_FILES = {"SHA256SUMS", "sha256sums.txt"}
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


class _ManifestLoader(yaml.SafeLoader):
    """Safe YAML where timestamps stay strings: `date: 2024-13-45` unquoted is then refused by the date check
    with its entry named, instead of failing inside the YAML parser."""


_ManifestLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class ManifestError(ValueError):
    """The manifest itself is unreadable; the message names the file and the problem."""


class ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    url: str | None = None
    outlet: str | None = None
    date: str | None = None
    retrieval: str | None = None
    notes: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> str | None:
        return None if value is None else iso_date(value)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    manifest_version: int = Field(ge=1, le=1)
    description: str | None = None
    documents: list[ManifestEntry]


def load_manifest(folder: Path) -> dict[str, ManifestEntry]:
    path = _first_present(folder, MANIFEST_FILES)
    if path is None:
        return {}
    text = _read_text(path)
    try:
        data = yaml.load(text, Loader=_ManifestLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise ManifestError(f"{path}: not readable YAML: {' '.join(str(exc).split())}") from exc
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"/{_location(data, e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ManifestError(f"{path}: invalid manifest: {problems}") from exc
    entries: dict[str, ManifestEntry] = {}
    for entry in manifest.documents:
        if entry.file in entries:
            raise ManifestError(f"{path}: {entry.file} is listed twice")
        entries[entry.file] = entry
    return entries


def _location(data: Any, loc: tuple) -> str:
    """The error's path, with the entry's file name after its index (`documents/3 (a.txt)/date`)."""
    parts = []
    for i, part in enumerate(loc):
        parts.append(str(part))
        if i == 1 and loc[0] == "documents" and isinstance(part, int):
            try:
                name = data["documents"][part].get("file")
            except (AttributeError, IndexError, KeyError, TypeError):
                name = None
            if isinstance(name, str):
                parts[-1] += f" ({name})"
    return "/".join(parts)


def _first_present(folder: Path, names: set[str]) -> Path | None:
    for name in sorted(names):
        if os.path.lexists(folder / name):
            return folder / name
    return None


def _read_text(path: Path) -> str:
    """The manifest and checksum list are trusted for every file: they must be regular files in the folder."""
    if path.is_symlink():
        raise ManifestError(f"{path}: is a symbolic link; it must be a regular file in the input folder")
    try:
        return read_regular(path, MAX_MANIFEST_BYTES).decode("utf-8")
    except Unreadable as exc:
        raise ManifestError(f"{path}: {exc.reason}") from exc
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from exc


def load_checksums(folder: Path) -> dict[str, str]:
    """Parse a `sha256sum`-style file: '<hex>  <name>' per line."""
    sums: dict[str, str] = {}
    for name in sorted(CHECKSUM_FILES):
        path = folder / name
        if not os.path.lexists(path):
            continue
        for number, line in enumerate(_read_text(path).splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            digest, _, file_name = line.partition(" ")
            file_name = file_name.strip().lstrip("*")
            if len(digest) != 64 or not file_name:
                raise ManifestError(f"{path}:{number}: not a '<sha256>  <file>' line")
            sums[file_name] = digest.lower()
    return sums
