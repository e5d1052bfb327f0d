"""Executors: move documents through `newsfacts.pipeline.process_batch`. They hold no extraction logic, and the
release bytes do not depend on which one ran (rows are sorted by id before writing).

Every executor is a `run(documents, *, jobs, model)` that yields one `Article` or `Failed` per document, in
input order: `local` (this process or a pool of local worker processes) and `ray` (Ray Data actors, on this
machine or a cluster; the optional extra `newsfacts[ray]`). `executor(name)` returns the one asked for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfacts.engine.local import Failed
    from newsfacts.models import Article

    Run = Callable[..., Iterator[Article | Failed]]

ENGINES = ("local", "ray")
# Documents extracted alone that kill their worker process one after the other before an engine gives the run
# up (`EngineFailed`): past that, the workers are failing (a broken installation, a machine out of memory), not
# the documents. Every engine isolates a document that kills its worker by extracting the documents lost with
# it one at a time, and counts this way.
MOST_DEATHS_IN_A_ROW = 8
# Seconds one document may take to extract before the build excludes it (`newsfacts build --timeout`; 0: no
# limit). A news article takes well under a second; a page that makes extraction hang (catastrophic
# backtracking in native code, a parser stuck in a loop) would otherwise stall the build forever. Generous:
# a slow machine or a very long page must not be taken for a hang.
DEFAULT_TIMEOUT = 300.0


class EngineUnavailable(RuntimeError):
    """The engine asked for is unknown or not installed (a usage problem: nothing was done)."""


class EngineFailed(RuntimeError):
    """The engine itself failed (a worker could not start or was lost for good), not one document: the
    build cannot go on. The message says what the worker raised."""


def executor(name: str = "local", *, quiet: bool = False) -> Run:
    """The `run(documents, *, jobs=1, model=None)` of engine `name`. `quiet`: the engine prints nothing of
    its own (the local engine never does; Ray's start-up and worker logs are silenced)."""
    if name == "local":
        from newsfacts.engine.local import run

        return run
    if name == "ray":
        try:
            import ray.data  # noqa: F401 - only to know Ray Data is there before any work
        except ImportError:
            raise EngineUnavailable("--engine ray needs Ray Data, which is not installed: install newsfacts[ray] "
                                    "(pip install 'newsfacts[ray]')") from None
        from newsfacts.engine import ray as ray_engine

        return functools.partial(ray_engine.run, quiet=quiet)
    raise EngineUnavailable(f"--engine {name}: no such engine (one of {', '.join(ENGINES)})")
