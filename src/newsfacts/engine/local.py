"""Run the pipeline over documents in this process or in a pool of local worker processes.

Documents travel in chunks: a chunk goes through `process_batch` (one `nlp.pipe` pass over its texts), and a
worker receives and returns a whole chunk per round trip. A chunk whose batch raises is processed again one
document at a time, so a failing document excludes only itself. Results come back in input order whatever
the chunk size or number of workers, and each article is the same as `process` gives for it alone.
"""

from __future__ import annotations

import gc
import itertools
import os
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from newsfacts.documents import RawDocument
from newsfacts.models import Article

_ANNOTATORS = None  # one per worker process: the spaCy model is loaded once, not per document
_FROZEN = False  # whether this process's long-lived objects are out of the garbage collector's reach

# Documents per batch. spaCy's per-call overhead is paid once per batch, and a worker round trip carries a
# whole batch; small enough that a pool's workers finish together and the last batch does not run alone.
CHUNK_SIZE = 16
# Chunks submitted to the pool ahead of the one being yielded, per worker: keeps every worker busy without
# holding the whole input in flight.
CHUNKS_AHEAD_PER_WORKER = 2
# Each worker runs on one core: native thread pools (BLAS, OpenMP) sized to the machine would have the
# workers' threads compete for the same cores.
_SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                      "NUMEXPR_NUM_THREADS")


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


def _process_chunk(raws: list[RawDocument], with_records: bool = False
                   ) -> tuple[list[Article | Failed], dict[str, dict] | None]:
    results = process_chunk(raws, _ANNOTATORS)
    records = None
    if with_records:
        from newsfacts.release.rows import worker_records

        records = {r.id: worker_records(r) for r in results if not isinstance(r, Failed)}
    freeze_long_lived_objects()
    return results, records


def _process_chunk_in_worker(raws: list[RawDocument], with_records: bool = False
                             ) -> tuple[list[bytes | Failed], dict[str, dict] | None]:
    """`_process_chunk` in a pool worker: each article travels back as its JSON, which the worker writes and
    the build's process reads back (`_from_worker`) in half the time pickle takes for the model's objects. The
    build's process is the one every worker waits on. (JSON is also how the cache stores an article: it gives
    back the same article.)"""
    results, records = _process_chunk(raws, with_records)
    return [r if isinstance(r, Failed) else r.model_dump_json().encode("utf-8") for r in results], records


def _from_worker(done: tuple[list[bytes | Failed], dict[str, dict] | None]
                 ) -> tuple[list[Article | Failed], dict[str, dict] | None]:
    results, records = done
    return [r if isinstance(r, Failed) else Article.model_validate_json(r) for r in results], records


def freeze_long_lived_objects() -> None:
    """Once per process, after its first chunk: collect, then move every object still alive out of reach of the
    garbage collector (`gc.freeze`).

    What is alive then is what the worker keeps: the spaCy model, the knowledge base, the word lists and
    patterns loaded on first use (several hundred thousand objects). Each full collection walked them all
    again; that was 7% of a one-job build. Reference counting still frees them; only a cycle among them
    would outlive its use. `unfreeze_long_lived_objects` undoes it in a process that goes on with other work.
    """
    global _FROZEN
    if not _FROZEN:
        gc.collect()
        gc.freeze()
        _FROZEN = True


def unfreeze_long_lived_objects() -> None:
    global _FROZEN
    if _FROZEN:
        gc.unfreeze()
        _FROZEN = False


def process_chunk(raws: list[RawDocument], annotators) -> list[Article | Failed]:
    """The results of a chunk, in order: one batch (one `nlp.pipe` pass), or one by one when the batch raises
    (every executor processes its chunks this way)."""
    from newsfacts.pipeline import process_batch

    try:
        return list(process_batch(raws, annotators))
    except Exception:  # noqa: BLE001 - find the failing document(s); the others keep their articles
        return [process_or_fail(raw, annotators) for raw in raws]


def chunks(documents: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    iterator = iter(documents)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def run(documents: Iterable[RawDocument], *, jobs: int = 1, model: str | None = None,
        chunk_size: int | None = None, records: dict[str, dict] | None = None) -> Iterator[Article | Failed]:
    """Yield one result per document, in input order, processed in chunks of `chunk_size` (default
    `CHUNK_SIZE`). An interrupted run loses only the chunks in flight. `records`: a dict the workers fill,
    before each article is yielded, with what the cross-document collectors keep of it and whether its rows
    pass the row checks (`release.rows.worker_records`, by article id), so the build's own process need not."""
    with_records = records is not None
    chunk_size = chunk_size or CHUNK_SIZE
    if jobs <= 1:
        loaded = False
        # In this process the objects stay frozen until the caller is done (`newsfacts.build.build` unfreezes
        # them when the release is written): writing the release allocates as much as extracting did.
        for chunk in chunks(documents, chunk_size):
            if not loaded:  # the model is loaded only when a first document arrives
                _init_worker(model)
                loaded = True
            yield from _results(_process_chunk(chunk, with_records), records)
        return
    for name in _SINGLE_THREAD_ENV:  # inherited by the workers, read when their native libraries start
        os.environ.setdefault(name, "1")
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(model,)) as pool:
        # A bounded window of chunks in flight, yielded in submission order (`pool.map` would read the
        # whole input up front).
        pending: deque = deque()
        for chunk in chunks(documents, chunk_size):
            pending.append(pool.submit(_process_chunk_in_worker, chunk, with_records))
            if len(pending) >= jobs * CHUNKS_AHEAD_PER_WORKER:
                yield from _results(_from_worker(pending.popleft().result()), records)
        while pending:
            yield from _results(_from_worker(pending.popleft().result()), records)


def _results(done: tuple[list[Article | Failed], dict[str, dict] | None], records: dict[str, dict] | None
             ) -> list[Article | Failed]:
    results, found = done
    if records is not None and found:
        records.update(found)
    return results
