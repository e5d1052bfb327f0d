"""Run the pipeline over documents in this process or in a pool of local worker processes."""

from __future__ import annotations

import os
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
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


def _process_one(raw: RawDocument) -> Article | Failed:
    from newsfacts.pipeline import process

    try:
        return process(raw, _ANNOTATORS)
    except Exception as exc:  # noqa: BLE001 - one bad document must never stop the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Failed(raw, f"extraction failed: {type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})")


# Documents go to the workers in chunks (fewer round trips), and at most this many chunks per worker are
# submitted ahead of the results read back: documents are read lazily and memory stays bounded.
CHUNK = 4
CHUNKS_AHEAD_PER_WORKER = 4


def _process_chunk(chunk: list[RawDocument]) -> list[Article | Failed]:
    return [_process_one(raw) for raw in chunk]


def run(documents: Iterable[RawDocument], *, jobs: int = 1, model: str | None = None) -> Iterator[Article | Failed]:
    """Yield one result per document, in input order. `documents` is consumed lazily, a bounded number of
    documents ahead of the results; the model is loaded only when a first document arrives."""
    documents = iter(documents)
    if jobs <= 1:
        loaded = False
        for raw in documents:
            if not loaded:
                _init_worker(model)
                loaded = True
            yield _process_one(raw)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(model,)) as pool:
        pending: deque = deque()
        while chunk := list(islice(documents, CHUNK)):
            pending.append(pool.submit(_process_chunk, chunk))
            while len(pending) >= jobs * CHUNKS_AHEAD_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
