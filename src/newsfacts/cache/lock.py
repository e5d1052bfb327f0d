"""The lock that keeps `newsfacts cache prune` and `clear` from deleting what a running build uses.

A build does not only write its pipeline's entries: it reads them back when it writes the release (the sorted
runs refer to the entries instead of copying them, `newsfacts.spill`), so an entry deleted in the middle of a
build stops that build. Each pipeline folder holds a lock file (`.lock`, `flock`): a build holds a shared lock
on it from start to end (several builds of one pipeline run side by side), and a prune takes an exclusive lock
without waiting, skipping the folder when a build holds it. A build that starts while a prune removes its
folder waits for the prune, then makes the folder again.

Removing a folder removes its lock file, so whoever waited on that file holds a lock on a file no longer
there: after locking, each side checks that the path still names the file it locked, and starts over if not.
`flock` locks belong to the open file, which worker processes forked by the build share: the lock is released
explicitly (`LOCK_UN`), not by closing this process's descriptor.

Builds by newsfacts 1.3.4 and earlier take no lock: do not prune a shared cache while one of them runs.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

LOCK_FILE = ".lock"


class FolderLock:
    """A lock held on a pipeline folder's lock file."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            _release(self._fd)
            self._fd = None


def hold_shared(folder: Path, *, on_wait: Callable[[str], None] | None = None) -> FolderLock | None:
    """A build's shared lock on `folder` (made if missing); waits while a prune holds it. None when the folder
    or its lock file cannot be made (an unwritable cache: the build goes on without storing)."""
    told = False
    while True:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = _open(folder / LOCK_FILE, create=True)
        except OSError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None and not told:
                    told = True
                    on_wait(f"waiting for `newsfacts cache` to finish with {folder}")
                fcntl.flock(fd, fcntl.LOCK_SH)
        except BaseException:
            os.close(fd)
            raise
        if _still_named(fd, folder / LOCK_FILE):
            return FolderLock(fd)
        _release(fd)  # the folder was removed while we waited: make it again


def try_exclusive(folder: Path) -> FolderLock | None:
    """An exclusive lock on `folder`, taken without waiting; None when a build (or another prune) holds it,
    or when the folder is gone."""
    while folder.is_dir():
        try:
            fd = _open(folder / LOCK_FILE, create=True)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        if _still_named(fd, folder / LOCK_FILE):
            return FolderLock(fd)
        _release(fd)
    return None


def in_use(folder: Path) -> bool:
    """Whether a build (or a prune) holds `folder`'s lock now. Creates nothing."""
    try:
        fd = _open(folder / LOCK_FILE, create=False)
    except OSError:
        return False  # no lock file: no build that takes the lock has used this folder since it was made
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return True
    _release(fd)
    return False


def _open(path: Path, *, create: bool) -> int:
    flags = os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
    return os.open(path, flags, 0o644)


def _still_named(fd: int, path: Path) -> bool:
    try:
        return os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
    except OSError:
        return False


def _release(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
