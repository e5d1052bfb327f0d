"""Run the pipeline only on the documents the article cache does not hold, in input order.

The cache is looked up first (so the number of documents left to extract, and with it the progress bar's
ETA, is known before any work); the misses go to the executor (the local one unless another `run` is given),
and each extracted article is stored as soon as it comes back, so an interrupted build loses at most the
articles still in flight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from newsfacts.cache import ArticleCache
from newsfacts.documents import RawDocument
from newsfacts.engine.local import Failed, run
from newsfacts.models import Article


@dataclass(frozen=True)
class Planned:
    """The documents split by the cache: `cached[i]` is the article of `documents[i]`, or None to extract."""

    documents: Sequence[RawDocument]
    cached: Sequence[Article | None]

    @property
    def to_extract(self) -> int:
        return sum(article is None for article in self.cached)


def plan(documents: Sequence[RawDocument], cache: ArticleCache | None) -> Planned:
    if cache is None:
        return Planned(documents, [None] * len(documents))
    return Planned(documents, [cache.get(raw) for raw in documents])


def run_planned(planned: Planned, cache: ArticleCache | None, *, jobs: int = 1, model: str | None = None,
                run: Callable[..., Iterator[Article | Failed]] = run) -> Iterator[tuple[Article | Failed, bool]]:
    """Yield (result, came from the cache) per document, in input order. Failed extractions are not cached
    (they are retried by the next build). The model is loaded only if something is left to extract, and by
    no more workers than there are documents to extract."""
    misses = [raw for raw, article in zip(planned.documents, planned.cached) if article is None]
    fresh = run(misses, jobs=max(1, min(jobs, len(misses))), model=model) if misses else iter(())
    for raw, article in zip(planned.documents, planned.cached):
        if article is not None:
            yield article, True
            continue
        result = next(fresh)
        if cache is not None and not isinstance(result, Failed):
            cache.put(raw, result)
        yield result, False
    for _ in fresh:  # exhausted: this ends the generator, and with it the worker pool
        raise AssertionError("the executor returned more results than documents")
