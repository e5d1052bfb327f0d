"""A document that kills the worker process extracting it, for the engines' tests (tests/engine)."""

from __future__ import annotations

import os
import signal


class KillsItsWorker:
    """Stands in a document's `hints`: unpickled in a worker process (a local pool's worker or a Ray actor), it
    ends the process at once, as a crash in native code or the OOM killer would, before a line of the pipeline
    runs: with exit code 70, or by SIGKILL (what the OOM killer sends). Pickling it in the test's process is
    harmless."""

    def __init__(self, by_sigkill: bool = False) -> None:
        self.by_sigkill = by_sigkill

    def __reduce__(self):
        return (signal.raise_signal, (signal.SIGKILL,)) if self.by_sigkill else (os._exit, (70,))
