"""Run the pipeline only on the documents the article cache does not hold, streaming.

Documents come from `source`, a function that yields the build's documents afresh each time it is called
(always the same ones, in the same order: the build replays them from memory or re-reads its input), so that
no list of documents or articles is ever held. `plan` counts what the cache holds (a file lookup per
document, so the progress bar's total and ETA are known before any work); `run_cached` then yields the
cached articles first, then sends the rest to the executor, lazily, and stores each extracted article as
soon as it comes back, so an interrupted build loses at most the articles still in flight.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfacts.cache import ArticleCache
from newsfacts.documents import RawDocument
from newsfacts.engine.local import Failed, run
from newsfacts.models import Article

Source = Callable[[], Iterable[RawDocument]]


@dataclass(frozen=True)
class Extracted:
    """One document's result: the article (or why extraction failed), whether it came from the cache, and
    its cache entry (None when the build runs without a cache or the entry could not be written)."""

    raw: RawDocument
    result: Article | Failed
    cached: bool
    entry: Path | None = None


@dataclass(frozen=True)
class Plan:
    """Which documents (by position in the source) have a cache entry."""

    in_cache: list[bool]

    @property
    def to_extract(self) -> int:
        return self.in_cache.count(False)


def plan(documents: Iterable[RawDocument], cache: ArticleCache | None) -> Plan:
    return Plan([cache is not None and cache.has(raw) for raw in documents])


def run_cached(source: Source, planned: Plan, cache: ArticleCache | None, *, jobs: int = 1,
               model: str | None = None, on_extract_total: Callable[[int], None] | None = None,
               run: Callable[..., Iterator[Article | Failed]] = run, records: dict | None = None,
               timeout: float | None = None) -> Iterator[Extracted]:
    """Yield every document's result: first those the cache holds, then the others as the executor returns
    them (in source order within each group). An entry that turns out unreadable is extracted with the
    others. Failed extractions are not cached (the next build retries them). The model is loaded only if
    something is left to extract, and by no more workers than there are documents to extract;
    `on_extract_total` is told how many that is before the first one starts. `run`: the executor (the local
    one unless another is given, see `newsfacts.engine.executor`); `records`, `timeout`: given to it (see
    `local.run`)."""
    damaged: set[int] = set()
    if cache is not None:
        for position, raw in enumerate(source()):
            if not planned.in_cache[position]:
                continue
            found = cache.lookup(raw)
            if found is None:
                damaged.add(position)
            else:
                yield Extracted(raw, found[0], True, found[1])
    left = planned.to_extract + len(damaged)
    if cache is not None:
        cache.stats.misses += planned.to_extract  # looked up by `plan`, found missing (damaged ones counted by get)
    if on_extract_total is not None:
        on_extract_total(left)
    if not left:
        return
    sent: deque[RawDocument] = deque()

    def misses() -> Iterator[RawDocument]:
        for position, raw in enumerate(source()):
            if not planned.in_cache[position] or position in damaged:
                sent.append(raw)
                yield raw

    for result in run(misses(), jobs=max(1, min(jobs, left)), model=model,
                      **({"records": records} if records is not None else {}),
                      **({"timeout": timeout} if timeout else {})):
        raw = sent.popleft()
        entry = None
        if cache is not None and not isinstance(result, Failed):
            entry = cache.put(raw, result)
        yield Extracted(raw, result, False, entry)
    if sent:
        raise AssertionError("the executor returned fewer results than documents")
