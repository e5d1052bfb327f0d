"""Run the pipeline on Ray Data: documents go to a pool of actors, each loading the model once.

    documents ──window of WINDOW──▶ ray.data.from_items ──map_batches(Extractor, `jobs` actors)──▶ results
                                   (index, pickled RawDocument)      (index, Article JSON or failure reason)

The driver (the process that runs `newsfacts build`) reads the inputs, sends each document with its position,
and gets back the article as JSON or the reason it failed, then yields the results in input order. JSON, not
a pickled pydantic model: the round trip (`model_dump_json` on the actor, `model_validate_json` in the driver)
took 0.93 ms per BBC article against 1.21 ms for pickle (medians over 100 articles; pickle is 10% smaller),
it is the form the article cache stores, whose tests show the round trip exact. Everything else (cache,
cross-document steps, writing) stays in the driver, so the release bytes are the local engine's.

Ray is started here (a local instance with `jobs` CPUs) unless the process is already connected to one or
RAY_ADDRESS names a cluster to join; a Ray instance started here is shut down when the run ends.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

import pyarrow as pa
import ray
import ray.data

from newsfacts.documents import RawDocument
from newsfacts.engine import EngineFailed
from newsfacts.engine.local import Failed, freeze_long_lived_objects, process_chunk
from newsfacts.models import Article

# Documents per actor call. An article takes a tenth of a second or more, so a few per call amortise Ray's
# per-task overhead while keeping the actors evenly loaded at the end of a window.
BATCH_SIZE = 8
# Documents per Ray Data pipeline: the driver holds at most one window of documents (and their results)
# at a time, whatever the size of the corpus. Each window starts its actors anew (one model load each).
WINDOW = 4096


class Extractor:
    """The Ray Data actor: loads the annotators once, then extracts batches of documents."""

    def __init__(self, model: str | None) -> None:
        from newsfacts.pipeline import Annotators

        self.annotators = Annotators.load(model)

    def __call__(self, batch: pa.Table) -> pa.Table:
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
        quiet: bool = False, records: dict | None = None) -> Iterator[Article | Failed]:
    """Yield one result per document, in input order, extracted by `jobs` Ray actors. `records` is accepted
    for the local engine's signature and left empty: the build computes the collectors' records itself."""
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
    data_logger = logging.getLogger("ray.data")
    saved_level = data_logger.level
    if quiet:
        data_logger.setLevel(logging.ERROR)
    progress_logger = logging.getLogger("ray.data._internal.progress")
    progress_logger.addFilter(_bars_are_off)
    try:
        yield
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved
        data_logger.setLevel(saved_level)
        progress_logger.removeFilter(_bars_are_off)


def _bars_are_off(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Progress bars disabled")


def _run_window(window: list[RawDocument], jobs: int, model: str | None) -> Iterator[Article | Failed]:
    items = [{"index": index, "document": pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL)}
             for index, raw in enumerate(window)]
    actors = min(jobs, len(items))
    # One block per actor call, and at least one per actor, so every actor has work.
    blocks = max(actors, math.ceil(len(items) / BATCH_SIZE))
    dataset = ray.data.from_items(items, override_num_blocks=blocks)
    results = dataset.map_batches(Extractor, fn_constructor_args=(model,), batch_size=BATCH_SIZE,
                                  batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1)
    # Blocks come back in order (preserve_order); the index puts results in order even if they did not.
    waiting: dict[int, tuple[str | None, str | None]] = {}
    next_index = 0
    for batch in results.iter_batches(batch_format="pyarrow", batch_size=None):
        for index, article, failure in zip(batch.column("index").to_pylist(), batch.column("article").to_pylist(),
                                           batch.column("failure").to_pylist()):
            waiting[index] = (article, failure)
        while next_index in waiting:
            article, failure = waiting.pop(next_index)
            raw = window[next_index]
            yield Failed(raw, failure) if failure is not None else Article.model_validate_json(article)
            next_index += 1
    if next_index != len(window) or waiting:
        raise RuntimeError(f"Ray returned {next_index + len(waiting)} results for {len(window)} documents")
