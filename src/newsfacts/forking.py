"""Process pools forked from a process that holds much (the records of a whole build, a release's rows).

A forked child shares its parent's memory until either writes to a page. Python's cyclic garbage collector
writes to every object it examines, so the child's first full collection would copy, page by page, every
object the parent held: for a large build, most of its memory, and seconds of work in each child before its
first task is done. Objects frozen (`gc.freeze`) before the fork are never examined again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_for_fork() -> Iterator[None]:
    """Within the block, the objects alive on entry are out of the collector's reach (in this process and in
    every process forked from it); on exit they are back, unless they were frozen before (an in-process
    extraction keeps its long-lived objects frozen until the build ends, see `engine.local`)."""
    already_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not already_frozen:
            gc.unfreeze()
