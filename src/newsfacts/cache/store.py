"""The article cache's store: one pipeline's entries (`ArticleCache`), the notes and pages kept beside them
(`CheckedRows`, `RenderedReports`, `rows_checked`) and the atomic write they all use. See `newsfacts.cache`."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from newsfacts.cache import fingerprint as fingerprints
from newsfacts.cache.fingerprint import document_identity
from newsfacts.cache.lock import hold_shared
from newsfacts.documents import RawDocument
from newsfacts.models import Article

CACHE_ENV = "NEWSFACTS_CACHE_DIR"
# The layout of the cache folder; a new layout goes in a new folder rather than reading the old one.
LAYOUT = "articles-v1"
# Beside a pipeline's entries: what made them (`fingerprint.describe_pipeline`), for `newsfacts cache info`.
DESCRIPTION_FILE = "pipeline.info"  # JSON, not named .json: the suffix of the article entries
# The folders beside the entries (`CheckedRows`, `RenderedReports`, `newsfacts.up_to_date.ReleaseRecords`), named
# here with the rest of the layout, which `newsfacts cache info` and `prune` read (`inventory`).
CHECKED_ROWS_FOLDER, REPORTS_FOLDER, RELEASES_FOLDER = "checked-rows", "reports", "releases"
# What `write_atomically`'s temporary files end with (they start with "." and the name they will take).
TEMPORARY_SUFFIX = ".tmp"
# A file's modification time is its last use (`mark_used`), renewed at most this often: a warm build then
# costs no metadata write per entry, and `newsfacts cache prune --max-size` still removes the least recently
# used data first, to the hour.
USE_MARK_INTERVAL = 3600.0


# A pipeline's folder under `LAYOUT` is named by the first this many hex digits of its fingerprint.
PIPELINE_FOLDER_DIGITS = 32


def pipeline_folder_name(fingerprint: str) -> str:
    return fingerprint[:PIPELINE_FOLDER_DIGITS]


def default_cache_dir() -> Path:
    """`$NEWSFACTS_CACHE_DIR`, else `$XDG_CACHE_HOME/newsfacts`, else `~/.cache/newsfacts`."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "newsfacts"
    return Path.home() / ".cache" / "newsfacts"


@dataclass
class CacheStats:
    """What one build did with the cache (never written into the release: its bytes must not depend on it)."""

    hits: int = 0
    misses: int = 0
    stored: int = 0
    unreadable: int = 0  # entries that existed but could not be read or parsed (counted as misses, replaced)
    write_failures: int = 0


class ArticleCache:
    """Articles extracted by one pipeline (`fingerprint`), stored under `root`. `model`: the spaCy model the
    pipeline uses, as resolved (recorded in the folder's description)."""

    def __init__(self, root: Path, fingerprint: str, *, on_warning=None, model: str | None = None) -> None:
        self.root = Path(root)
        self.fingerprint = fingerprint
        self.folder = self.root / LAYOUT / pipeline_folder_name(fingerprint)
        self.model = model
        self.stats = CacheStats()
        self._on_warning = on_warning
        self._writable = True

    @classmethod
    def open(cls, root: Path, model: str | None = None, *, on_warning=None) -> ArticleCache:
        from newsfacts.annotate.spacy_model import model_name

        return cls(root, fingerprints.pipeline_fingerprint(model), on_warning=on_warning, model=model_name(model))

    @contextmanager
    def in_use(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Mark this pipeline's folder as used by a running build for the duration (a shared lock: several
        builds at once are fine), so `newsfacts cache prune` and `clear` leave it alone; wait while one of them
        is removing it. A cache that cannot be written is used without the mark."""
        lock = hold_shared(self.folder, on_wait=on_wait)
        try:
            if lock is not None:
                self._describe()
            yield
        finally:
            if lock is not None:
                lock.release()

    def _describe(self) -> None:
        path = self.folder / DESCRIPTION_FILE
        if path.is_file():
            return
        description = {"fingerprint": self.fingerprint, **fingerprints.describe_pipeline(self.model),
                       "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        try:
            write_atomically(path, json.dumps(description, indent=1, sort_keys=True).encode())
        except OSError:
            pass  # only `newsfacts cache info` reads it

    def key(self, raw: RawDocument) -> str:
        return hashlib.sha256(self.fingerprint.encode("ascii") + b"\0" + document_identity(raw)).hexdigest()

    def path(self, raw: RawDocument) -> Path:
        key = self.key(raw)
        return self.folder / key[:2] / f"{key}.json"

    def has(self, raw: RawDocument) -> bool:
        """Whether `raw` has an entry (not counted; `get` still decides whether it is sound). An entry found is
        marked as used now (`mark_used`)."""
        return mark_used(self.path(raw))

    def get(self, raw: RawDocument) -> Article | None:
        """The cached article for `raw`, or None (counted as a hit or a miss)."""
        found = self.lookup(raw)
        return found[0] if found is not None else None

    def lookup(self, raw: RawDocument) -> tuple[Article, Path] | None:
        """The cached article for `raw` and the entry it was read from, or None (counted as a hit or a miss)."""
        path = self.path(raw)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except OSError:
            data = None
        article = None
        if data is not None:
            try:
                article = Article.model_validate_json(data)
            except (ValidationError, ValueError):
                article = None
        # A sound entry is the article of this very document; anything else is damage.
        if article is None or article.id != raw.id or article.source.sha256 != raw.sha256:
            self.stats.unreadable += 1
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return article, path

    def put(self, raw: RawDocument, article: Article, data: bytes | None = None) -> Path | None:
        """Store `article` (`data`: its JSON, when already serialised) for `raw` atomically; return the entry,
        or None when it could not be written (reported once, never raised)."""
        if not self._writable:
            return None
        path = self.path(raw)
        data = data if data is not None else article.model_dump_json().encode("utf-8")
        try:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(path, data)
            except FileNotFoundError:
                # The folder was deleted between the two calls (by hand, or by a prune that did not see this
                # build): make it again, once.
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(path, data)
        except OSError as exc:
            self.stats.write_failures += 1
            self._writable = False
            if self._on_warning is not None:
                self._on_warning(f"cannot write to the cache {self.root} ({exc.strerror or exc}); "
                                 "this build goes on without storing its articles")
            return None
        self.stats.stored += 1
        return path


def mark_used(path: Path) -> bool:
    """Whether `path` is a file; if it is, note that it was used now by setting its modification time, unless
    that was done within `USE_MARK_INTERVAL` (a cache that cannot be written keeps the old time)."""
    try:
        status = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode):
        return False
    if time.time() - status.st_mtime > USE_MARK_INTERVAL:
        try:
            os.utime(path)
        except OSError:
            pass
    return True


# Next to an entry, a build notes that the release rows made from that very article passed the row checks
# (`newsfacts.release.validate.rows`). The rows are a function of the article and the code, and the entry's
# folder is the code's (the pipeline fingerprint covers every file of the package, the schemas' generator
# included), so the same article gives the same rows and the same verdict: a rebuild need not check them again.
ROWS_CHECKED_SUFFIX = ".rows-checked"


class CheckedRows:
    """The same note for rows that do not belong to one cached article (a cross-document config's rows),
    keyed by the sha256 of the rows themselves, in the pipeline's cache folder."""

    def __init__(self, cache: ArticleCache) -> None:
        self.folder = cache.folder / CHECKED_ROWS_FOLDER

    def _path(self, digest: str) -> Path:
        return self.folder / digest

    def seen(self, digest: str) -> bool:
        return mark_used(self._path(digest))

    def note(self, digest: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._path(digest), b"")
        except OSError:
            pass


class RenderedReports:
    """Report pages (`report.html`) rendered before, in the pipeline's cache folder, keyed by the sha256 of every
    file the page is made from (the release's files written before it: the Parquet and `build-report.json`,
    whose excluded and flagged inputs the page lists) and the release's name.

    Drawing the charts is most of a rebuild that extracts nothing; the page is a function of those files and of
    the code, which the pipeline's fingerprint (the folder) covers. An entry that cannot be read is a miss."""

    def __init__(self, cache: ArticleCache) -> None:
        self.folder = cache.folder / REPORTS_FOLDER

    @staticmethod
    def key(release: Path, name: str | None) -> str:
        digest = hashlib.sha256(f"name={name!r}\n".encode())
        for path in sorted(p for p in Path(release).rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(release).as_posix()}\n".encode())
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        path = self.folder / f"{key}.html"
        try:
            page = path.read_bytes()
        except OSError:
            return None
        mark_used(path)
        return page

    def put(self, key: str, page: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.folder / f"{key}.html", page)
        except OSError:
            pass  # the next build renders it again


def rows_checked(entry: Path) -> bool:
    return entry.with_name(entry.name + ROWS_CHECKED_SUFFIX).is_file()


def note_rows_checked(entry: Path) -> None:
    """Note that the rows of the article in `entry` passed the row checks (a failure to write is ignored:
    the next build checks them again)."""
    try:
        write_atomically(entry.with_name(entry.name + ROWS_CHECKED_SUFFIX), b"")
    except OSError:
        pass


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either no file or the whole file, never a part of it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
