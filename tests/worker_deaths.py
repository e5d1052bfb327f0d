"""A document that kills the worker process extracting it, documents whose extraction hangs or is slow, and documents
whose extraction raises what is not an `Exception`, for the engines' tests (tests/engine, tests/test_cli.py)."""

from __future__ import annotations

import os
import signal
import sys
import time

from newsfacts import pipeline
from newsfacts.documents import Hints

# A document whose text holds HANGS hangs in its extraction (a minute, as good as forever for a test); one whose
# text holds SLOW takes SLOW_SECONDS more than it would.
HANGS = "Stuck Harbour"
SLOW = "Sluggish Harbour"
SLOW_SECONDS = 1.0


def hang_in_extraction(monkeypatch) -> None:
    """Patch the pipeline's quote finding so that documents with HANGS or SLOW in their text hang or are slow there:
    in the pipeline, after the worker has started the task (a pool's workers are forked, so they see the patch).
    A hint that sleeps when unpickled would hang before the task starts, which a time limit measured from the
    task's start does not cover."""
    find_quotes = pipeline.find_quotes

    def stalling(doc, entities):
        if HANGS in doc.text:
            time.sleep(60)
        if SLOW in doc.text:
            time.sleep(SLOW_SECONDS)
        return find_quotes(doc, entities)

    monkeypatch.setattr(pipeline, "find_quotes", stalling)


class KillsItsWorker:
    """Stands in a document's `hints`: unpickled in a worker process (a local pool's worker or a Ray actor), it
    ends the process at once, as a crash in native code or the OOM killer would, before a line of the pipeline
    runs: with exit code 70, or by SIGKILL (what the OOM killer sends). Pickling it in the test's process is
    harmless."""

    def __init__(self, by_sigkill: bool = False) -> None:
        self.by_sigkill = by_sigkill

    def __reduce__(self):
        return (signal.raise_signal, (signal.SIGKILL,)) if self.by_sigkill else (os._exit, (70,))


class Abort(BaseException):
    """What a third-party library may raise on malformed input: derived from BaseException directly, so
    `except Exception` lets it through."""


# A document whose text holds one of these raises, in its extraction, the exception it maps to: exceptions that are
# not `Exception`s (a library calling `sys.exit()`, a stray GeneratorExit, a third party's BaseException), and the
# user's Ctrl-C.
EXITS, CLOSES, ABORTS, INTERRUPTED = "Exiting Harbour", "Closing Harbour", "Aborting Harbour", "Interrupted Harbour"


def _raised(marker: str) -> BaseException:
    return {EXITS: SystemExit(3), CLOSES: GeneratorExit(), ABORTS: Abort("malformed input"),
            INTERRUPTED: KeyboardInterrupt()}[marker]


def raise_in_extraction(monkeypatch) -> None:
    """Patch the pipeline's quote finding so that documents with EXITS, CLOSES, ABORTS or INTERRUPTED in their text
    raise there what `_raised` maps it to (a pool's workers are forked, so they see the patch)."""
    find_quotes = pipeline.find_quotes

    def raising(doc, entities):
        for marker in (EXITS, CLOSES, ABORTS, INTERRUPTED):
            if marker in doc.text:
                raise _raised(marker)
        return find_quotes(doc, entities)

    monkeypatch.setattr(pipeline, "find_quotes", raising)


class ExitsInExtraction:
    """Stands in a document's `hints`, for a worker process the test cannot patch (a Ray actor): reading any hint
    calls `sys.exit(3)`, as a library may on malformed input, inside the pipeline. (The class must be importable
    where the document is unpickled.)"""

    def __getattribute__(self, name: str):
        if name in Hints.__dataclass_fields__:
            sys.exit(3)
        return object.__getattribute__(self, name)
