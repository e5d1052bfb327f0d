"""Run the pipeline over documents in this process or in a pool of local worker processes."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from newsfacts.documents import RawDocument
from newsfacts.models import Article

_ANNOTATORS = None  # one per worker process: the spaCy model is loaded once, not per document


@dataclass(frozen=True)
class Failed:
    """A document whose extraction raised; the build reports it as excluded with this reason."""

    raw: RawDocument
    reason: str


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(model: str | None) -> None:
    global _ANNOTATORS
    from newsfacts.pipeline import Annotators

    _ANNOTATORS = Annotators.load(model)


def process_or_fail(raw: RawDocument, annotators) -> Article | Failed:
    """One document through the pipeline; an exception becomes `Failed` with where it was raised (every
    executor reports a failing document the same way)."""
    from newsfacts.pipeline import process

    try:
        return process(raw, annotators)
    except Exception as exc:  # noqa: BLE001 - one bad document must never stop the others
        return Failed(raw, failure_reason(exc))


def failure_reason(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"extraction failed: {type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})"


def _process_one(raw: RawDocument) -> Article | Failed:
    return process_or_fail(raw, _ANNOTATORS)


def run(documents: Iterable[RawDocument], *, jobs: int = 1, model: str | None = None) -> Iterator[Article | Failed]:
    """Yield one result per document, in input order."""
    if jobs <= 1:
        _init_worker(model)
        for raw in documents:
            yield _process_one(raw)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(model,)) as pool:
        yield from pool.map(_process_one, documents, chunksize=4)
