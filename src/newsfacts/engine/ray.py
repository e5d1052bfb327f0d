"""Run the pipeline on Ray Data: documents go to a pool of actors, each loading the model once.

    documents ──window of WINDOW──▶ ray.data.from_items ──map_batches(Extractor, `jobs` actors)──▶ results
                                   (index, pickled RawDocument)      (index, Article JSON or failure reason)

The driver (the process that runs `newsfacts build`) reads the inputs, sends each document with its position,
and gets back the article as JSON or the reason it failed, then yields the results in input order. JSON, not
a pickled pydantic model: the round trip (`model_dump_json` on the actor, `model_validate_json` in the driver)
took 0.93 ms per BBC article against 1.21 ms for pickle (medians over 100 articles; pickle is 10% smaller),
it is the form the article cache stores, whose tests show the round trip exact. Everything else (cache,
cross-document steps, writing) stays in the driver, so the release bytes are the local engine's.

A document whose extraction raises comes back as the reason (`local.process_chunk`), whatever it raises but
Ctrl-C (a `sys.exit()` in a library, let out of the task, would have Ray end the actor's process). A document
that kills its actor's process (a crash in native code, the OOM killer) is excluded too, never retried forever:
Ray Data retries the batch once on the restarted actor, then drops it from the run, and the driver extracts
each document of a dropped batch alone (`_extract_alone`), so only the one that kills its worker again is
excluded, with the reason Ray gives.

Ray is started here (a local instance with `jobs` CPUs) unless the process is already connected to one or
RAY_ADDRESS names a cluster to join; a Ray instance started here is shut down when the run ends.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

import pyarrow as pa
import ray
import ray.data

from newsfacts.documents import RawDocument
from newsfacts.engine import MOST_DEATHS_IN_A_ROW, EngineFailed
from newsfacts.engine.local import Failed, freeze_long_lived_objects, process_chunk
from newsfacts.models import Article

# Documents per actor call. An article takes a tenth of a second or more, so a few per call amortise Ray's
# per-task overhead while keeping the actors evenly loaded at the end of a window.
BATCH_SIZE = 8
# Documents per Ray Data pipeline: the driver holds at most one window of documents (and their results)
# at a time, whatever the size of the corpus. Each window starts its actors anew (one model load each).
WINDOW = 4096
# Ray Data's actor pools restart a dead actor and retry its batch without limit unless told otherwise
# (max_restarts and max_task_retries -1): a document that kills its worker would be retried forever. A batch
# whose actor died is tried this many more times on the restarted actor (a worker lost to something else, such
# as a node leaving the cluster, costs one retry), then dropped from the run and its documents extracted alone.
TASK_RETRIES = 1


class Extractor:
    """The Ray Data actor: loads the annotators once, then extracts batches of documents."""

    def __init__(self, model: str | None) -> None:
        from newsfacts.pipeline import Annotators

        self.annotators = Annotators.load(model)

    def __call__(self, batch: pa.Table) -> pa.Table:
        return self.extract(batch)

    def ready(self) -> bool:
        """Returns once the actor is constructed (the model loaded): a death after that is a document's."""
        return True

    def extract(self, batch: pa.Table) -> pa.Table:
        """(index, pickled RawDocument) rows → (index, Article JSON or None, failure reason or None) rows."""
        articles: list[str | None] = []
        failures: list[str | None] = []
        raws = [pickle.loads(blob) for blob in batch.column("document").to_pylist()]
        results = process_chunk(raws, self.annotators)  # one nlp.pipe pass per batch
        freeze_long_lived_objects()  # the actor's process lives for the window: see the function
        for result in results:
            if isinstance(result, Failed):
                articles.append(None)
                failures.append(result.reason)
            else:
                articles.append(result.model_dump_json())
                failures.append(None)
        return pa.table({"index": batch.column("index"),
                         "article": pa.array(articles, pa.large_string()),
                         "failure": pa.array(failures, pa.large_string())})


def run(documents: Iterable[RawDocument], *, jobs: int = 1, model: str | None = None,
        quiet: bool = False, records: dict | None = None, timeout: float | None = None) -> Iterator[Article | Failed]:
    """Yield one result per document, in input order, extracted by `jobs` Ray actors. `records` is accepted
    for the local engine's signature and left empty: the build computes the collectors' records itself.
    `timeout` is accepted for the local engine's signature and not applied: Ray Data's `map_batches` has no
    per-batch time limit (ray-project/ray#45661), and a batch it runs cannot be stopped on its own (README)."""
    iterator = iter(documents)
    window = list(islice(iterator, WINDOW))
    if not window:
        return
    started_here = connect(jobs, quiet=quiet)
    try:
        with _data_options(quiet):
            while window:
                yield from _run_window(window, jobs, model)
                window = list(islice(iterator, WINDOW))
    except ray.exceptions.RayError as exc:  # not a document's failure (those come back as `Failed`)
        raise EngineFailed(f"a Ray worker failed: {_root_cause(exc)}") from exc
    finally:
        if started_here:
            ray.shutdown()


def connect(jobs: int, *, quiet: bool = False) -> bool:
    """Connect to Ray: nothing to do when this process already is; the cluster RAY_ADDRESS names when it is
    set; else a new local instance with `jobs` CPUs (never a cluster left running on this machine by someone
    else). Returns whether a Ray instance was started here."""
    if ray.is_initialized():
        return False
    options = {"log_to_driver": not quiet, "logging_level": logging.ERROR if quiet else logging.WARNING}
    if os.environ.get("RAY_ADDRESS"):
        ray.init(**options)
        return False
    ray.init(address="local", num_cpus=jobs, include_dashboard=False, **options)
    return True


def _root_cause(exc: BaseException) -> str:
    """The last line of a Ray error's text: the exception the worker raised, with its message."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[-1].strip() if lines else type(exc).__name__


@contextmanager
def _data_options(quiet: bool):
    """Ray Data settings for the run, restored after it: blocks keep their order (results stream back in
    input order, so the driver buffers little); no progress bars of Ray's own (the build has one, counting
    documents), nor the warning that they are off; with `quiet`, no Ray Data log lines."""
    context = ray.data.DataContext.get_current()
    saved = (context.execution_options.preserve_order, context.enable_progress_bars)
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    saved_errored = context.max_errored_blocks
    # A batch whose actor died on every try is dropped, not the run: its documents are extracted alone after
    # it (`_run_window` sees which are missing). Unlimited, because Ray Data counts the errors of a lost batch
    # (two or more), not the batches; what bounds the run is TASK_RETRIES and MOST_DEATHS_IN_A_ROW.
    context.max_errored_blocks = -1
    data_logger = logging.getLogger("ray.data")
    saved_level = data_logger.level
    if quiet:
        data_logger.setLevel(logging.ERROR)
    progress_logger = logging.getLogger("ray.data._internal.progress")
    progress_logger.addFilter(_bars_are_off)
    errors_logger = logging.getLogger("ray.data._internal.execution.streaming_executor_state")
    if quiet:  # the lost batch's documents are reported by the build, as excluded or extracted
        errors_logger.addFilter(_not_a_dropped_batch)
    try:
        yield
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved
        context.max_errored_blocks = saved_errored
        data_logger.setLevel(saved_level)
        progress_logger.removeFilter(_bars_are_off)
        errors_logger.removeFilter(_not_a_dropped_batch)


def _bars_are_off(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Progress bars disabled")


def _not_a_dropped_batch(record: logging.LogRecord) -> bool:
    return "Ignoring this exception" not in record.getMessage()


def _run_window(window: list[RawDocument], jobs: int, model: str | None) -> Iterator[Article | Failed]:
    blobs = [pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL) for raw in window]
    items = [{"index": index, "document": blob} for index, blob in enumerate(blobs)]
    actors = min(jobs, len(items))
    # One block per actor call, and at least one per actor, so every actor has work.
    blocks = max(actors, math.ceil(len(items) / BATCH_SIZE))
    dataset = ray.data.from_items(items, override_num_blocks=blocks)
    del items
    # A fixed pool never replaces an actor that is out of restarts: it would wait for it forever
    # (ray-project/ray#62746, still so in Ray 2.60). So an actor may restart as often as the window's batches
    # can kill it, each at most TASK_RETRIES + 1 times.
    results = dataset.map_batches(Extractor, fn_constructor_args=(model,), batch_size=BATCH_SIZE,
                                  batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
                                  max_restarts=blocks * (TASK_RETRIES + 1), max_task_retries=TASK_RETRIES)
    # Blocks come back in order (preserve_order); the index puts results in order even if they did not. A
    # batch dropped with its actor leaves a gap: what follows it waits (at most the window) until the end.
    waiting: dict[int, tuple[str | None, str | None]] = {}
    next_index = 0
    for batch in results.iter_batches(batch_format="pyarrow", batch_size=None):
        for index, article, failure in zip(batch.column("index").to_pylist(), batch.column("article").to_pylist(),
                                           batch.column("failure").to_pylist()):
            waiting[index] = (article, failure)
        while next_index in waiting:
            yield _result(window[next_index], *waiting.pop(next_index))
            next_index += 1
    lost = [index for index in range(next_index, len(window)) if index not in waiting]
    if lost:
        waiting.update(_extract_alone(lost, blobs, model))
    while next_index in waiting:
        yield _result(window[next_index], *waiting.pop(next_index))
        next_index += 1
    if next_index != len(window) or waiting:
        raise RuntimeError(f"Ray returned {next_index + len(waiting)} results for {len(window)} documents")


def _result(raw: RawDocument, article: str | None, failure: str | None) -> Article | Failed:
    return Failed(raw, failure) if failure is not None else Article.model_validate_json(article)


def _extract_alone(indices: list[int], blobs: list[bytes], model: str | None
                   ) -> dict[int, tuple[str | None, str | None]]:
    """The documents of batches Ray Data dropped (their actor died on every try), each extracted alone on an
    actor of its own that is never restarted: a document that kills it is failed with the reason Ray gives, and
    a new actor takes the next one. (index → (Article JSON, None) or (None, failure reason).) Raises
    `EngineFailed` when MOST_DEATHS_IN_A_ROW documents in a row kill their actor."""
    alone = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(Extractor)
    done: dict[int, tuple[str | None, str | None]] = {}
    actor = None
    deaths = 0
    try:
        for index in indices:
            if actor is None:
                actor = alone.remote(model)
                ray.get(actor.ready.remote())  # an actor that cannot start is the engine's failure (`run`)
            batch = pa.table({"index": pa.array([index], pa.int64()),
                              "document": pa.array([blobs[index]], pa.binary())})
            try:
                extracted = ray.get(actor.extract.remote(batch))
            except ray.exceptions.RayActorError as exc:
                actor = None
                deaths += 1
                if deaths >= MOST_DEATHS_IN_A_ROW:
                    raise EngineFailed(f"{deaths} documents in a row killed the Ray worker extracting them alone, "
                                       f"the last with: {_death_cause(exc)}") from exc
                done[index] = (None, f"extraction failed: the Ray worker extracting it died ({_death_cause(exc)})")
                continue
            deaths = 0
            done[index] = (extracted.column("article")[0].as_py(), extracted.column("failure")[0].as_py())
    finally:
        if actor is not None:
            ray.kill(actor)
    return done


def _death_cause(exc: BaseException) -> str:
    """What Ray says of a dead actor's worker: its exit type and detail when it gives them (without its list
    of common causes), else the last line of its message."""
    text = " ".join(str(exc).split())
    found = re.search(r"Worker exit type: (\S+) Worker exit detail: (.+?)(?: Some common causes|$)", text)
    return f"{found[1]}: {found[2]}" if found else _root_cause(exc)
