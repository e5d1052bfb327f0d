"""An external sort of the build's articles by id: bounded memory whatever the corpus size.

Articles come back from extraction in input order; the release lists them by id. Each article is added as a
small record: a reference to its article-cache entry when it has one (the cache already holds its JSON, so
nothing is copied), else its JSON itself. Records are buffered up to `run_size` articles (or `RUN_BYTES` of
JSON), sorted by id and written as a run file; `merged()` then reads the runs back in id order with a k-way
merge (runs are first merged in groups of `FAN_IN` when there are more, so few files are open at once). The
order and the articles that come out depend only on the articles put in, never on `run_size`.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from newsfacts.models import Article

RUN_SIZE = 1000
RUN_BYTES = 64 * 1024 * 1024
FAN_IN = 64
_CACHED, _INLINE = "c", "j"


class Spilled(NamedTuple):
    id: str
    article: Article
    entry: Path | None  # the article-cache entry it was read from, if any


class SpillError(RuntimeError):
    """A spilled article could not be read back (its cache entry vanished during the build)."""


class ArticleRuns:
    def __init__(self, folder: Path | None = None, *, run_size: int = RUN_SIZE) -> None:
        if run_size < 1:
            raise ValueError(f"run_size must be positive (got {run_size})")
        self._temporary = tempfile.TemporaryDirectory(prefix="newsfacts-runs-", dir=folder)
        self.folder = Path(self._temporary.name)
        self.run_size = run_size
        self.count = 0
        self._buffer: list[tuple[str, str, str]] = []
        self._buffered_bytes = 0
        self._runs: list[Path] = []

    def add(self, article_id: str, json: bytes | str | None = None, *, cached: Path | None = None) -> None:
        """One article: its cache entry (`cached`, a file holding its JSON), or its JSON."""
        if (json is None) == (cached is None):
            raise ValueError("give either the article's JSON or its cache entry")
        if cached is not None:
            record = (article_id, _CACHED, os.fspath(cached))
        else:
            record = (article_id, _INLINE, json.decode("utf-8") if isinstance(json, bytes) else json)
        if "\n" in record[2] or "\t" in article_id:
            raise ValueError("an article id or record with a line break cannot be spilled")
        self._buffer.append(record)
        self._buffered_bytes += len(record[2])
        self.count += 1
        if len(self._buffer) >= self.run_size or self._buffered_bytes >= RUN_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        self._buffer.sort()
        path = self.folder / f"run-{len(self._runs):06d}"
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(f"{a}\t{kind}\t{payload}\n" for a, kind, payload in self._buffer)
        self._runs.append(path)
        self._buffer, self._buffered_bytes = [], 0

    def merged(self) -> Iterator[Spilled]:
        """Every article added, in id order."""
        for line in self._merged_lines():
            article_id, kind, payload = line.rstrip("\n").split("\t", 2)
            if kind == _CACHED:
                try:
                    data = Path(payload).read_bytes()
                except OSError as exc:
                    raise SpillError(f"the cache entry {payload} of article {article_id} vanished during the build "
                                     f"({exc.strerror or exc})") from exc
            else:
                data = payload
            article = Article.model_validate_json(data)
            if article.id != article_id:
                raise SpillError(f"the cache entry {payload} changed during the build (it holds article {article.id})")
            yield Spilled(article_id, article, Path(payload) if kind == _CACHED else None)

    def _merged_lines(self) -> Iterator[str]:
        self._flush()
        runs = list(self._runs)
        level = 0
        while len(runs) > FAN_IN:
            merged = []
            for start in range(0, len(runs), FAN_IN):
                group = runs[start : start + FAN_IN]
                target = self.folder / f"merge-{level}-{start // FAN_IN:06d}"
                with target.open("w", encoding="utf-8") as out:
                    out.writelines(_merge(group))
                for path in group:
                    path.unlink()
                merged.append(target)
            runs, level = merged, level + 1
        yield from _merge(runs)

    def close(self) -> None:
        self._temporary.cleanup()

    def __enter__(self) -> ArticleRuns:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _merge(paths: list[Path]) -> Iterator[str]:
    handles = [path.open("r", encoding="utf-8") for path in paths]
    try:
        # Lines start with the id and a tab; ids are unique, so the line order is the id order.
        yield from heapq.merge(*handles, key=lambda line: line.split("\t", 1)[0])
    finally:
        for handle in handles:
            handle.close()
