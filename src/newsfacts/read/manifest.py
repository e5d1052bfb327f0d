"""The optional manifest of an input folder (what is known about each file) and its checksum list.

``manifest.yaml``::

    manifest_version: 1
    documents:
      - file: 000_1bf7e7c3ea9bf00a.txt      # path relative to the folder
        sha256: 602b7f...                    # the build refuses a file whose bytes differ
        url: https://...                     # optional: the page the dump was taken from
        outlet: Daily Tribune                # optional: publisher, when known from outside the text
        date: 2024-10-25                     # optional: publication date known from outside the text
        retrieval: "text dump received ..."  # optional: how the file was obtained
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

MANIFEST_FILES = {"manifest.yaml", "manifest.yml"}
CHECKSUM_FILES = {"SHA256SUMS", "sha256sums.txt"}


class ManifestError(ValueError):
    """The manifest itself is unreadable; the message names the file and the problem."""


class ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    url: str | None = None
    outlet: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    retrieval: str | None = None
    notes: str | None = None


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    manifest_version: int = Field(ge=1, le=1)
    description: str | None = None
    documents: list[ManifestEntry]


def load_manifest(folder: Path) -> dict[str, ManifestEntry]:
    for name in sorted(MANIFEST_FILES):
        path = folder / name
        if path.is_file():
            break
    else:
        return {}
    try:
        manifest = Manifest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not readable YAML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"/{'/'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ManifestError(f"{path}: invalid manifest: {problems}") from exc
    entries: dict[str, ManifestEntry] = {}
    for entry in manifest.documents:
        if entry.file in entries:
            raise ManifestError(f"{path}: {entry.file} is listed twice")
        entries[entry.file] = entry
    return entries


def load_checksums(folder: Path) -> dict[str, str]:
    """Parse a `sha256sum`-style file: '<hex>  <name>' per line."""
    sums: dict[str, str] = {}
    for name in sorted(CHECKSUM_FILES):
        path = folder / name
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            digest, _, file_name = line.partition(" ")
            file_name = file_name.strip().lstrip("*")
            if len(digest) != 64 or not file_name:
                raise ManifestError(f"{path}:{number}: not a '<sha256>  <file>' line")
            sums[file_name] = digest.lower()
    return sums
