"""Whether a release at the output is already what a build would write: nothing changed since it was built.

A build with a cache records, after it swapped its release into place, a *build key* for the output folder:
the sha256 of everything the release bytes are a function of (the pipeline's fingerprint: code, data files,
model and dependency versions; every document's identity in reading order; what the input listing excluded and
why; the input folder's name; the curation file; the release information and the options that shape the
files), with the row counts and the sha256 of the release's `CHECKSUMS.sha256`. The next build with the same key,
every document in the cache and the output's files still exactly those checksums (`newsfacts validate`'s file
checks, rows not decoded) has nothing to do: it reports the release up to date instead of writing the same
bytes again. Any other case builds as always. Records live in the pipeline's cache folder (`releases/`), one
per output path; deleting them only costs a full rebuild.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsfacts.cache import ArticleCache, mark_used, write_atomically
from newsfacts.cache.store import RELEASES_FOLDER
from newsfacts.documents import RawDocument
from newsfacts.release.layout import CHECKSUM_FILE
from newsfacts.release.validate import validate_release

RECORD_FORMAT = 1


def build_key(cache: ArticleCache, documents: Iterable[RawDocument], entries: list[dict[str, Any]], *,
              input_name: str, curation: tuple[str, str] | None, release: Any, options: dict[str, Any]) -> str:
    """The sha256 of what a build's release bytes depend on. `curation`: (name, sha256 of its bytes) or None;
    `release`: the ReleaseInfo dataclass; `options`: the build options that change the files."""
    digest = hashlib.sha256(f"newsfacts build key {RECORD_FORMAT}\0{cache.fingerprint}\0".encode())
    head = {"input": input_name, "entries": entries, "curation": curation, "release": dataclasses.asdict(release),
            "options": options}
    digest.update(json.dumps(head, sort_keys=True, default=str).encode())
    for raw in documents:
        digest.update(b"\0" + cache.key(raw).encode("ascii"))
    return digest.hexdigest()


class ReleaseRecords:
    """The build key, row counts and checksum digest of the last release a build wrote at each output path."""

    def __init__(self, cache: ArticleCache) -> None:
        self.folder = cache.folder / RELEASES_FOLDER

    def _path(self, output: Path) -> Path:
        # JSON, named ".release": ".json" is the suffix of the article entries
        return self.folder / (hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:32] + ".release")

    def record(self, output: Path, key: str, counts: dict[str, int]) -> None:
        """Note the release just written at `output` (a failure to write is ignored: the next build is full)."""
        try:
            checksums = hashlib.sha256((Path(output) / CHECKSUM_FILE).read_bytes()).hexdigest()
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._path(output), json.dumps(
                {"format": RECORD_FORMAT, "key": key, "counts": counts, "checksums": checksums}).encode())
        except OSError:
            pass

    def unchanged(self, output: Path, key: str) -> dict[str, int] | None:
        """The row counts of the release at `output` when it is the one built with `key` and every file of it is
        as its checksums say; else None."""
        try:
            record = json.loads(self._path(output).read_text("utf-8"))
            if record.get("format") != RECORD_FORMAT or record.get("key") != key:
                return None
            checksums = hashlib.sha256((Path(output) / CHECKSUM_FILE).read_bytes()).hexdigest()
        except (OSError, ValueError, AttributeError):
            return None
        counts = record.get("counts")
        if checksums != record.get("checksums") or not isinstance(counts, dict):
            return None
        if validate_release(Path(output), rows_checked=counts):  # any problem: build again
            return None
        mark_used(self._path(output))  # its last use, for `newsfacts cache prune --max-size`
        return counts
