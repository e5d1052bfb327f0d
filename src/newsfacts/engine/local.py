"""Run the pipeline over documents in this process or in a pool of local worker processes.

Documents travel in chunks: a chunk goes through `process_batch` (one `nlp.pipe` pass over its texts), and a
worker receives and returns a whole chunk per round trip. A chunk whose batch raises is processed again one
document at a time, so a failing document excludes only itself. Results come back in input order whatever
the chunk size or number of workers, and each article is the same as `process` gives for it alone.

A document that kills its worker process (a crash in native code, the OOM killer) breaks the whole pool: every
chunk in flight is lost with it. `_Workers` then starts a fresh pool and extracts the lost chunks' documents
one per task, so the innocent ones still get their articles and the one whose own task breaks the pool again
is excluded with the worker's exit code or signal; then the chunks go on. MOST_DEATHS_IN_A_ROW such documents
one after the other stop the run (`EngineFailed`): the workers are failing, not the documents.

A document that makes extraction hang (catastrophic backtracking in native code, a parser stuck in a loop) is
handled by the same machinery when the run has a time limit (`timeout`, seconds per document): a task that runs
longer than the limit times its number of documents, counted from when a worker started it, has the pool's
workers killed, which breaks the pool. Its documents are then extracted one per task like those of a dead
worker, and the one whose own task runs past the limit again is failed with the limit; it counts towards
MOST_DEATHS_IN_A_ROW like a death (documents in a row that all hang mean stuck or starved workers, not
pathological pages).
Python cannot interrupt native code in its own process, so a run with a limit always extracts in worker
processes, even with one job.
"""

from __future__ import annotations

import gc
import itertools
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_for
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.sharedctypes import RawArray

from newsfacts.documents import RawDocument
from newsfacts.engine import MOST_DEATHS_IN_A_ROW, EngineFailed
from newsfacts.models import Article

_ANNOTATORS = None  # one per worker process: the spaCy model is loaded once, not per document
_LOAD_FAILURE: BaseException | None = None  # why a pool worker could not load them (raised by its tasks)
_FROZEN = False  # whether this process's long-lived objects are out of the garbage collector's reach
# A pool worker's view of its pool's task start times (`_Workers`): when each task in flight started, by slot,
# as `time.monotonic()` (one clock for every process of the machine), 0.0 until a worker takes it up.
_STARTS = None

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


def _init_pool_worker(model: str | None, starts=None) -> None:
    """A pool worker's initializer. A failure to load the annotators is kept and raised by the worker's tasks,
    so the run fails with it as it does in one process: raised here, it would end the worker, which the pool
    cannot tell from a document killing it. `starts`: where its tasks report when they start (a run with a
    time limit)."""
    global _LOAD_FAILURE, _STARTS
    _STARTS = starts
    try:
        _init_worker(model)
    except BaseException as exc:  # noqa: BLE001 - re-raised by every task of this worker
        if is_interrupt(exc):
            raise
        _LOAD_FAILURE = exc


def is_interrupt(exc: BaseException) -> bool:
    """Whether `exc` is the user's Ctrl-C (KeyboardInterrupt, alone or in an exception group): it stops the run.
    Anything else a document's extraction raises fails only that document, `Exception` or not: a library may call
    `sys.exit()` on malformed input, or raise its own class derived from BaseException."""
    if isinstance(exc, BaseExceptionGroup):
        return exc.subgroup(KeyboardInterrupt) is not None
    return isinstance(exc, KeyboardInterrupt)


def process_or_fail(raw: RawDocument, annotators) -> Article | Failed:
    """One document through the pipeline; whatever it raises but Ctrl-C (`is_interrupt`) becomes `Failed` with
    where it was raised (every executor reports a failing document the same way)."""
    from newsfacts.pipeline import process

    try:
        return process(raw, annotators)
    except BaseException as exc:  # noqa: BLE001 - one bad document must never stop the others
        if is_interrupt(exc):
            raise
        return Failed(raw, failure_reason(exc))


def failure_reason(exc: BaseException) -> str:
    """The reason a failing document is excluded with, such as `extraction failed: SystemExit: 3 (at file.py:12)`:
    the exception, its message if it has one (GeneratorExit and a bare `sys.exit()` have none), and the line that
    raised it."""
    where = traceback.extract_tb(exc.__traceback__)[-1]
    message = str(exc)
    return (f"extraction failed: {type(exc).__name__}{': ' + message if message else ''} "
            f"(at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})")


def _process_chunk(raws: list[RawDocument], with_records: bool = False
                   ) -> tuple[list[Article | Failed], dict[str, dict] | None]:
    results = process_chunk(raws, _ANNOTATORS)
    records = None
    if with_records:
        from newsfacts.release.rows import worker_records

        records = {r.id: worker_records(r) for r in results if not isinstance(r, Failed)}
    freeze_long_lived_objects()
    return results, records


def _process_chunk_in_worker(raws: list[RawDocument], with_records: bool = False, slot: int | None = None
                             ) -> tuple[list[bytes | Failed], dict[str, dict] | None]:
    """`_process_chunk` in a pool worker: each article travels back as its JSON, which the worker writes and
    the build's process reads back (`_from_worker`) in half the time pickle takes for the model's objects. The
    build's process is the one every worker waits on. (JSON is also how the cache stores an article: it gives
    back the same article.) `slot`: where in `_STARTS` to note when the task started (a run with a time limit)."""
    if slot is not None and _STARTS is not None:
        _STARTS[slot] = time.monotonic()  # one aligned double: the build's process never reads half of it
    if _LOAD_FAILURE is not None:
        raise _LOAD_FAILURE
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
    except BaseException as exc:  # noqa: BLE001 - find the failing document(s); the others keep their articles
        if is_interrupt(exc):
            raise
        return [process_or_fail(raw, annotators) for raw in raws]


def chunks(documents: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    iterator = iter(documents)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def run(documents: Iterable[RawDocument], *, jobs: int = 1, model: str | None = None,
        chunk_size: int | None = None, records: dict[str, dict] | None = None,
        timeout: float | None = None) -> Iterator[Article | Failed]:
    """Yield one result per document, in input order, processed in chunks of `chunk_size` (default
    `CHUNK_SIZE`). An interrupted run loses only the chunks in flight. `records`: a dict the workers fill,
    before each article is yielded, with what the cross-document collectors keep of it and whether its rows
    pass the row checks (`release.rows.worker_records`, by article id), so the build's own process need not.
    With `jobs` > 1, a document that kills its worker process is `Failed` with how the worker ended, and
    MOST_DEATHS_IN_A_ROW of them in a row raise `EngineFailed` (see the module's docstring). `timeout`: the
    seconds one document may take (None or 0: no limit); a document that takes longer is `Failed` with the limit,
    and the run extracts in worker processes whatever `jobs` (at least one)."""
    with_records = records is not None
    chunk_size = chunk_size or CHUNK_SIZE
    if jobs <= 1 and not timeout:
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
    workers = _Workers(max(1, jobs), model, with_records, records, timeout or None)
    try:
        yield from workers.run(documents, chunk_size)
    finally:
        workers.close()


def _results(done: tuple[list[Article | Failed], dict[str, dict] | None], records: dict[str, dict] | None
             ) -> list[Article | Failed]:
    results, found = done
    if records is not None and found:
        records.update(found)
    return results


class _Workers:
    """A pool of `jobs` worker processes that outlives the death of one (see the module's docstring).

    ProcessPoolExecutor shapes the design: when a worker dies, the pool fails every task not finished (running or
    queued, on any worker) with BrokenProcessPool, terminates the other workers and takes no more tasks, and it
    does not say which task was on the dead worker.

    With a time limit, only the task whose results are due next (the head of the window) is timed, from the start
    its worker notes in a shared array (a slot per task in flight). A task behind it that hangs is timed when its
    turn comes, still from its own start (so at once if it is already past its limit): no task is ever stopped
    before its limit, and meanwhile the other workers finish the tasks behind it, which the kill then does not
    lose. Timing from when a task was queued, or from when the task before it finished, would count the wait for a
    busy worker or the model's loading in a fresh pool, and stop slow but sound documents on a busy machine."""

    def __init__(self, jobs: int, model: str | None, with_records: bool, records: dict[str, dict] | None,
                 timeout: float | None = None) -> None:
        self.jobs, self.model, self.with_records, self.records = jobs, model, with_records, records
        self.timeout = timeout
        self.window = jobs * CHUNKS_AHEAD_PER_WORKER  # tasks in flight
        # Documents yielded one after the other whose own task broke the pool or ran past the limit: counted in
        # input order, so documents extracted between two of them (even before the pool broke) break the row.
        self.deaths_in_a_row = 0
        # The slot in `self.starts` of each task of this pool not yet done with (slots go round: at most `window`
        # tasks are ever in flight, and they are the last ones submitted).
        self.slots: dict[Future, int] = {}
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        self.starts = RawArray("d", self.window) if self.timeout else None
        self.submitted = 0
        self.slots.clear()
        self.terminated = False  # whether this pool's workers were killed here (a task past its limit)
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_pool_worker,
                                   initargs=(self.model, self.starts))

    def close(self) -> None:
        if any(not future.done() for future in self.slots):  # stopped early: a task in flight may never end
            self._terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _terminate(self) -> None:
        """Kill the pool's workers: the pool breaks, and every task of it not finished fails with
        BrokenProcessPool."""
        self.terminated = True
        for process in self._processes():
            process.kill()  # SIGKILL: a process stuck in native code may be deaf to anything milder

    def _processes(self) -> list:
        """The pool's worker processes, a private attribute read defensively: without it a killed pool is only
        found broken later, and a dead worker's reason has no exit code."""
        return list((getattr(self.pool, "_processes", None) or {}).values())

    def run(self, documents: Iterable[RawDocument], chunk_size: int) -> Iterator[Article | Failed]:
        # A bounded window of chunks in flight, yielded in submission order (`pool.map` would read the whole
        # input up front).
        pending: deque[tuple[list[RawDocument], Future | None]] = deque()
        for chunk in chunks(documents, chunk_size):
            pending.append((chunk, self._submit(chunk)))
            if len(pending) >= self.window:
                yield from self._first_chunk(pending)
        while pending:
            yield from self._first_chunk(pending)

    def _submit(self, raws: list[RawDocument]) -> Future | None:
        """The task extracting `raws`, or None when the pool is found broken (the task never ran)."""
        slot = None
        if self.starts is not None:
            slot = self.submitted % self.window
            self.starts[slot] = 0.0
        try:
            future = self.pool.submit(_process_chunk_in_worker, raws, self.with_records, slot)
        except BrokenProcessPool:
            return None
        self.submitted += 1
        self.slots[future] = slot
        return future

    def _outcome(self, future: Future | None, documents: int):
        """What a task of `documents` documents returned; BrokenProcessPool when the pool broke before it
        finished or it was never submitted, `_TimedOut` when it ran past the limit (the pool's workers are then
        killed)."""
        if future is None:
            raise BrokenProcessPool("the task was not submitted: the pool was broken")
        if self.timeout is None:
            done = future.result()
            del self.slots[future]
            return done
        limit = self.timeout * documents
        slot = self.slots[future]
        while True:
            started = self.starts[slot]
            # Not started yet: it cannot be past its limit before `limit` from now.
            wait = limit if not started else started + limit - time.monotonic()
            if wait <= 0:
                break
            if wait_for([future], timeout=wait).done:
                del self.slots[future]
                return future.result()
        self._terminate()
        if future.exception() is None:  # it finished as its workers were killed: kept
            del self.slots[future]
            return future.result()
        raise _TimedOut(f"a task ran past its limit ({limit:g} s)")

    def _first_chunk(self, pending: deque[tuple[list[RawDocument], Future | None]]) -> Iterator[Article | Failed]:
        """Yield the results of the first chunk in flight, or, when the pool broke, those of every chunk in
        flight: a chunk finished before is kept, the documents of the others are extracted alone."""
        try:
            done = self._outcome(pending[0][1], len(pending[0][0]))
        except BrokenProcessPool as broken:
            self._restart()
            units: list[tuple[RawDocument, Article | Failed | _Killed | None]] = []
            if isinstance(broken, _TimedOut) and len(pending[0][0]) == 1:  # its own task ran past the limit
                units.append((pending[0][0][0], self._timed_out()))
                pending.popleft()
            for chunk, future in pending:
                finished = self._finished(future)
                units.extend(zip(chunk, finished) if finished is not None else ((raw, None) for raw in chunk))
            pending.clear()
            yield from self._alone(units, self.window)
            return
        pending.popleft()
        self.deaths_in_a_row = 0
        yield from _results(_from_worker(done), self.records)

    def _alone(self, units: list[tuple[RawDocument, Article | Failed | _Killed | None]], window: int
               ) -> Iterator[Article | Failed]:
        """Yield the results of `units` in order: (document, result) as it is, (document, None) extracted in a
        task of its own, at most `window` tasks in flight. When the pool breaks with one of them unfinished,
        that document killed its worker and is failed; with several, which one did is unknown, and they are
        extracted again with one task in flight at a time."""
        queued = deque(units)
        flight: deque[tuple[RawDocument, Future | Article | Failed | _Killed | None]] = deque()
        while queued or flight:
            while queued and len(flight) < window:
                raw, known = queued.popleft()
                flight.append((raw, known if known is not None else self._submit([raw])))
            raw, item = flight[0]
            if isinstance(item, _Killed):
                flight.popleft()
                yield self._killed(raw, item)
                continue
            if isinstance(item, (Article, Failed)):
                flight.popleft()
                self.deaths_in_a_row = 0
                yield item
                continue
            try:
                done = self._outcome(item, 1)
            except BrokenProcessPool as broken:
                terminated = self.terminated
                cause = self._restart()
                again, unfinished = self._left_by_broken_pool(flight)
                flight.clear()
                if terminated:  # killed here: the others in flight were lost with it, not by a death
                    if isinstance(broken, _TimedOut):
                        again[0] = (raw, self._timed_out())
                    queued.extendleft(reversed(again))
                    continue
                if len(unfinished) > 1:
                    yield from self._alone(again, 1)
                    continue
                if unfinished:
                    again[unfinished[0]] = (again[unfinished[0]][0], _Killed(cause))
                queued.extendleft(reversed(again))
                continue
            flight.popleft()
            self.deaths_in_a_row = 0
            yield from _results(_from_worker(done), self.records)

    def _left_by_broken_pool(self, flight: Iterable[tuple[RawDocument, Future | Article | Failed | _Killed | None]]
                             ) -> tuple[list[tuple[RawDocument, Article | Failed | _Killed | None]], list[int]]:
        """The documents in flight when the pool broke, each with its result if it has one (None: to extract
        again), and the positions of those whose task was lost unfinished (not those never submitted)."""
        again: list[tuple[RawDocument, Article | Failed | _Killed | None]] = []
        unfinished: list[int] = []
        for raw, item in flight:
            if isinstance(item, Future):
                finished = self._finished(item)
                if finished is None:
                    unfinished.append(len(again))
                again.append((raw, finished[0] if finished is not None else None))
            else:
                again.append((raw, item))
        return again, unfinished

    def _finished(self, future: Future | None) -> list[Article | Failed] | None:
        """The results of a task of a pool that broke if it finished before, else None (lost with the pool, or
        never submitted)."""
        if future is None or isinstance(future.exception(), BrokenProcessPool):
            return None
        return _results(_from_worker(future.result()), self.records)

    def _restart(self) -> str:
        """Replace the broken pool with a fresh one. Returns how its dead worker ended."""
        processes = self._processes()
        self.pool.shutdown(wait=True)  # the pool's thread has terminated and joined the other workers
        self.pool = self._start()
        return _exit_cause([process.exitcode for process in processes])

    def _timed_out(self) -> _Killed:
        """The stand-in for a document whose own task ran past the limit."""
        return _Killed(f"extraction took longer than {self.timeout:g} s (the limit, --timeout)", timed_out=True)

    def _killed(self, raw: RawDocument, killed: _Killed) -> Failed:
        """The result of a document whose own task broke the pool or ran past the limit, when its turn to be
        yielded comes; EngineFailed when it is the MOST_DEATHS_IN_A_ROW-th in a row."""
        self.deaths_in_a_row += 1
        if self.deaths_in_a_row >= MOST_DEATHS_IN_A_ROW:
            if killed.timed_out:
                raise EngineFailed(f"{self.deaths_in_a_row} documents in a row ran past the time limit or killed "
                                   f"the worker process extracting them alone (the last, {raw.path}: "
                                   f"{killed.cause}): the workers are stuck or starved, not the documents (a "
                                   f"machine too busy? try fewer --jobs or a longer --timeout)")
            raise EngineFailed(f"{self.deaths_in_a_row} documents in a row killed the worker process extracting "
                               f"them alone (the last, {raw.path}: {killed.cause}): the workers are failing, not "
                               f"the documents (out of memory? try fewer --jobs)")
        if killed.timed_out:
            return Failed(raw, killed.cause)
        return Failed(raw, f"extraction failed: the worker process extracting it died ({killed.cause})")


@dataclass(frozen=True)
class _Killed:
    """Stands for the result of a document whose own task broke the pool, or ran past the limit, until it is
    yielded (and counted)."""

    cause: str  # how its worker ended, or the reason it timed out
    timed_out: bool = False


class _TimedOut(BrokenProcessPool):
    """The task waited for ran past its limit: the pool's workers were killed."""


# Signals that end a process on a crash in its native code (by name: not every system has all of them).
_CRASH_SIGNALS = frozenset({"SIGSEGV", "SIGBUS", "SIGABRT", "SIGILL", "SIGFPE"})


def _exit_cause(exit_codes: list[int | None]) -> str:
    """How the worker that broke a pool ended ("exit code 70", "killed by SIGSEGV: a crash in native code"), from
    the exit codes of the pool's processes: the pool terminated the others (SIGTERM)."""
    ended = [code for code in exit_codes if code is not None]
    own = [code for code in ended if code != -signal.SIGTERM] or ended
    if not own:
        return "its exit status unknown"
    if own[0] >= 0:
        return f"exit code {own[0]}"
    try:
        killed_by = signal.Signals(-own[0])
    except ValueError:
        return f"killed by signal {-own[0]}"
    if killed_by.name == "SIGKILL":
        return "killed by SIGKILL: out of memory?"
    return f"killed by {killed_by.name}" + (": a crash in native code" if killed_by.name in _CRASH_SIGNALS else "")
