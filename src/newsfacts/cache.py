"""A content-addressed cache of extracted articles: an unchanged input is not processed again.

An entry holds what `newsfacts.pipeline.process` returned for one document (before the cross-document steps:
near duplicates and curation run on every build), as the Article's pydantic JSON, which round-trips exactly.

Its key is the sha256 of two things:

- **the document**: every field of its `RawDocument` (path, line, bytes' sha256, decoded text, format,
  encoding, hints such as url and date), since each can change the Article (`source.file`, `source.line`,
  `source.url`, the id, ...). A field a reader adds later is part of the key without a change here.
- **the pipeline fingerprint**: the newsfacts version, a hash of every file of the installed package (its
  code and its data files in `newsfacts/data/`), the spaCy model's name and `meta.json` (name, version), the
  installed versions of newsfacts' dependencies (spaCy, trafilatura, ...) and the Python version. Any change
  to code, data, model or dependencies invalidates every entry: coarse, but never stale.

Entries are written as soon as each article is extracted, each atomically (a temporary file, then
`os.replace`), so a killed build leaves only whole entries and the next build continues where it stopped.
An entry that cannot be read or does not parse is a miss (and is replaced); a cache that cannot be written
is reported once and the build goes on without storing. The cache is not bounded in size; entries of an
older pipeline live in their own folder (`articles/<fingerprint>/`) and may be deleted at any time.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from newsfacts import __version__
from newsfacts.documents import RawDocument
from newsfacts.models import Article

CACHE_ENV = "NEWSFACTS_CACHE_DIR"
# The layout of the cache folder; a new layout goes in a new folder rather than reading the old one.
LAYOUT = "articles-v1"


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
    """Articles extracted by one pipeline (`fingerprint`), stored under `root`."""

    def __init__(self, root: Path, fingerprint: str, *, on_warning=None) -> None:
        self.root = Path(root)
        self.fingerprint = fingerprint
        self.folder = self.root / LAYOUT / fingerprint[:32]
        self.stats = CacheStats()
        self._on_warning = on_warning
        self._writable = True

    @classmethod
    def open(cls, root: Path, model: str | None = None, *, on_warning=None) -> ArticleCache:
        return cls(root, pipeline_fingerprint(model), on_warning=on_warning)

    def key(self, raw: RawDocument) -> str:
        return hashlib.sha256(self.fingerprint.encode("ascii") + b"\0" + document_identity(raw)).hexdigest()

    def path(self, raw: RawDocument) -> Path:
        key = self.key(raw)
        return self.folder / key[:2] / f"{key}.json"

    def has(self, raw: RawDocument) -> bool:
        """Whether `raw` has an entry (not counted; `get` still decides whether it is sound)."""
        return self.path(raw).is_file()

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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, data if data is not None else article.model_dump_json().encode("utf-8"))
        except OSError as exc:
            self.stats.write_failures += 1
            self._writable = False
            if self._on_warning is not None:
                self._on_warning(f"cannot write to the cache {self.root} ({exc.strerror or exc}); "
                                 "this build goes on without storing its articles")
            return None
        self.stats.stored += 1
        return path


# Next to an entry, a build notes that the release rows made from that very article passed the row checks
# (`newsfacts.release.validate.rows`). The rows are a function of the article and the code, and the entry's
# folder is the code's (the pipeline fingerprint covers every file of the package, the schemas' generator
# included), so the same article gives the same rows and the same verdict: a rebuild need not check them again.
ROWS_CHECKED_SUFFIX = ".rows-checked"


class CheckedRows:
    """The same note for rows that do not belong to one cached article (a cross-document config's rows),
    keyed by the sha256 of the rows themselves, in the pipeline's cache folder."""

    def __init__(self, cache: ArticleCache) -> None:
        self.folder = cache.folder / "checked-rows"

    def _path(self, digest: str) -> Path:
        return self.folder / digest

    def seen(self, digest: str) -> bool:
        return self._path(digest).is_file()

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
        self.folder = cache.folder / "reports"

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
        try:
            return (self.folder / f"{key}.html").read_bytes()
        except OSError:
            return None

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
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def document_identity(raw: RawDocument) -> bytes:
    """Every field of the document, canonically encoded: what the Article is computed from."""
    return json.dumps(dataclasses.asdict(raw), sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode("ascii")


@functools.lru_cache(maxsize=8)
def pipeline_fingerprint(model: str | None = None) -> str:
    """A hash of everything besides the document that `process` depends on (see the module docstring)."""
    from newsfacts.annotate.spacy_model import model_name

    digest = hashlib.sha256()

    def add(label: str, value: bytes) -> None:
        digest.update(f"{label}\0{len(value)}\0".encode())
        digest.update(value)

    add("newsfacts", __version__.encode())
    add("python", sys.version.encode())
    for name, version in _dependency_versions():
        add(f"dependency:{name}", version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*"), key=lambda p: p.relative_to(package).as_posix()):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
            add(f"file:{path.relative_to(package).as_posix()}", path.read_bytes())
    name = model_name(model)
    add("model", name.encode())
    add("model-meta", _model_meta(name))
    return digest.hexdigest()


def _dependency_versions() -> list[tuple[str, str]]:
    try:
        requirements = importlib.metadata.requires("newsfacts") or []
    except importlib.metadata.PackageNotFoundError:
        requirements = []
    names = sorted({re.match(r"[A-Za-z0-9._-]+", r).group(0).lower() for r in requirements if "extra ==" not in r})
    versions = []
    for name in names:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    return versions


def _model_meta(name: str) -> bytes:
    """The model's meta.json (its name, version and spaCy version), without loading the model."""
    if os.path.isdir(name):
        folder = Path(name)
    else:
        # The folder `spacy.util.get_package_path` gives (the package's __file__'s), found without importing
        # the package: a model package's __init__ imports spaCy, which an up-to-date build never needs.
        try:
            spec = importlib.util.find_spec(name)
        except Exception:  # noqa: BLE001 - an unknown model is refused by the build itself
            spec = None
        if spec is None or not spec.has_location:  # not installed, or a namespace or built-in module: no file
            return b"unknown"
        folder = Path(spec.origin).parent
    try:
        return (folder / "meta.json").read_bytes()
    except OSError:
        return b"unknown"
