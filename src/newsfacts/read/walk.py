"""The input folder is a boundary: list every entry below it, follow nothing that leads outside it, and open
only regular files (a FIFO would block the build; a device could be endless).

Every entry is returned with its fate: a regular file to read (`Entry.problem is None`), or the reason it is
not read (special file, link leading outside, broken or looping link, linked folder, unreadable folder).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


class Unreadable(OSError):
    """A file that cannot be read as a regular file; `reason` is one line for the build report."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Entry:
    relative: str  # '/'-separated, relative to the input folder, printable (undecodable bytes escaped)
    path: Path  # what to open: the file itself, or the real path of a link that stays inside the folder
    problem: str | None = None  # why the entry is not read; None for a regular file to read
    hidden: bool = False
    folder: bool = False  # the entry is a folder reported as a whole (hidden, linked or unreadable)


def printable(relative: str) -> str:
    """File names are bytes; names that are not UTF-8 come back with surrogates that no file can store."""
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


def walk(root: Path) -> Iterator[Entry]:
    """Yield every entry below `root` in sorted path order (without following links out of it)."""
    root = Path(root)
    yield from _walk(root, root.resolve(), "")


def _walk(directory: Path, real_root: Path, prefix: str) -> Iterator[Entry]:
    try:
        with os.scandir(directory) as listing:
            children = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        if prefix:  # the root itself is checked by the caller
            yield Entry(printable(prefix.rstrip("/")), directory, f"cannot read folder: {_why(exc)}", folder=True)
            return
        raise
    for child in children:
        relative = prefix + child.name
        shown = printable(relative)
        path = Path(child.path)
        hidden = child.name.startswith(".")
        try:
            mode = child.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            yield Entry(shown, path, f"vanished or unreadable while listing: {_why(exc)}")
            continue
        if stat.S_ISLNK(mode):
            yield _link(shown, path, real_root, hidden)
        elif stat.S_ISDIR(mode):
            if hidden:
                yield Entry(shown, path, hidden=True, folder=True)
            else:
                yield from _walk(path, real_root, relative + "/")
        elif stat.S_ISREG(mode):
            yield Entry(shown, path, hidden=hidden)
        else:
            yield Entry(shown, path, f"{_special_kind(mode)}, not read", hidden=hidden)


def _link(shown: str, path: Path, real_root: Path, hidden: bool) -> Entry:
    try:
        target_mode = os.stat(path).st_mode  # follows the link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Entry(shown, path, "symbolic link loop, not followed", hidden=hidden)
        if exc.errno == errno.ENOENT:
            return Entry(shown, path, "broken symbolic link (its target does not exist)", hidden=hidden)
        return Entry(shown, path, f"symbolic link that cannot be followed: {_why(exc)}", hidden=hidden)
    real = Path(os.path.realpath(path))
    # The target is not named: the report is published, and a link's target is outside information.
    if real != real_root and not real.is_relative_to(real_root):
        return Entry(shown, path, "symbolic link pointing outside the input folder, not followed", hidden=hidden)
    if stat.S_ISDIR(target_mode):
        return Entry(shown, path, "symbolic link to a folder, not followed", hidden=hidden, folder=True)
    if not stat.S_ISREG(target_mode):
        return Entry(shown, path, f"symbolic link to a {_special_kind(target_mode)}, not read", hidden=hidden)
    return Entry(shown, real, hidden=hidden)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    return "special file"


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading without following a final symlink and without blocking on a FIFO.

    Raises `Unreadable` with a one-line reason (vanished, not a regular file, permission...). The caller
    closes the returned binary file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise Unreadable("file vanished before it could be read") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("became a symbolic link before it could be read, not followed") from None
        raise Unreadable(f"cannot read file: {_why(exc)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"{_special_kind(info.st_mode)}, not read")
        return os.fdopen(fd, "rb", buffering=1 << 20)
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, max_bytes: int | None = None) -> bytes:
    """Read a regular file whole (see `open_regular`); over `max_bytes` raises `Unreadable`."""
    with open_regular(path) as file:
        try:
            size = os.fstat(file.fileno()).st_size
            if max_bytes is not None and size > max_bytes:
                raise Unreadable(f"file too large ({size} bytes; the limit is {max_bytes}, see --max-bytes)")
            data = file.read() if max_bytes is None else file.read(max_bytes + 1)
        except Unreadable:
            raise
        except OSError as exc:
            raise Unreadable(f"cannot read file: {_why(exc)}") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise Unreadable(f"file too large (over {max_bytes} bytes, see --max-bytes)")
    return data
