"""Where a release may be written, and how it replaces the previous one without ever destroying user files.

A build may replace only:
- a path that does not exist (its missing parent folders are created),
- an empty folder,
- a newsfacts release: a folder holding the marker file `.newsfacts-release` (written into every release)
  and nothing that its own `CHECKSUMS.sha256` does not list.

Anything else is refused before any work with an `OutputRefused` that names the path and why.

The swap keeps either the old or the new release at the output path at every instant: on Linux the staging
folder and the old release are exchanged with one `renameat2(RENAME_EXCHANGE)` call; elsewhere the old
release is first renamed to `.NAME.previous`, and a build that finds `.NAME.previous` without `NAME` (a build
killed between the two renames) restores it before anything else. A lock (`flock` on `.NAME.lock` beside the
output) serialises the write-and-swap of concurrent builds of one output; staging folders only exist while
that lock is held, so the next build removes the staging left by a killed one.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER_FILE = ".newsfacts-release"
MARKER_FORMAT = 1
CHECKSUM_FILE = "CHECKSUMS.sha256"
LEGACY_REPORT_FILE = "build-report.json"
# Bound what is read from a folder that claims to be a release (it may be anything).
_MAX_METADATA_BYTES = 16 * 1024 * 1024


class OutputRefused(ValueError):
    """The output path is not something a build may replace; the message names it and says why."""


class OutputLocked(RuntimeError):
    """Another build of the same output holds the lock and did not finish within the timeout."""


def marker_text(newsfacts_version: str) -> str:
    """The marker's content: deterministic (no clock, no path), so releases stay byte-identical."""
    return json.dumps({"format": MARKER_FORMAT, "newsfacts_version": newsfacts_version}, sort_keys=True) + "\n"


def output_target(output: str | os.PathLike) -> Path:
    """The absolute output path as the system sees it: its folder resolved (links and `..` followed as the
    kernel does), the last component kept as given (so a link at the output path is seen as one)."""
    path = Path(os.fspath(output))
    target = path.resolve() if path.name in ("", "..") else path.absolute().parent.resolve() / path.name
    if target == Path(target.anchor):
        raise OutputRefused(f"{output}: refusing to write a release at the filesystem root")
    return target


def check_output(output: str | os.PathLike, input_dir: str | os.PathLike | None = None) -> Path:
    """Return the absolute path a build may replace, or raise OutputRefused (before any work is done)."""
    target = output_target(output)
    shown = os.fspath(output)
    if input_dir is not None:
        source = Path(input_dir).resolve()
        if target == source:
            raise OutputRefused(f"{shown}: is the input folder; choose another --output")
        if source.is_relative_to(target):
            raise OutputRefused(f"{shown}: contains the input folder {input_dir}; choose another --output")
        if target.is_relative_to(source):
            raise OutputRefused(f"{shown}: is inside the input folder {input_dir}; choose another --output")
    cwd = Path.cwd().resolve()
    if cwd == target or cwd.is_relative_to(target):
        raise OutputRefused(
            f"{shown}: is the current directory (or contains it); a build replaces its output folder as a whole, "
            f"so name it from outside, e.g. --output ../{target.name}"
        )
    if target.is_symlink():
        raise OutputRefused(f"{shown}: is a symbolic link; give the folder itself as --output")
    if not os.path.lexists(target):
        _check_writable_ancestor(target, shown)
        return target
    mode = os.lstat(target).st_mode
    if not stat.S_ISDIR(mode):
        kind = "a file" if stat.S_ISREG(mode) else "not a folder"
        raise OutputRefused(f"{shown}: is {kind}; a build writes a folder and never replaces a file")
    reason = not_a_release(target)
    if reason:
        raise OutputRefused(
            f"{shown}: {reason}; a build replaces only a missing path, an empty folder or a newsfacts release "
            "(nothing was changed)"
        )
    _check_writable(target.parent, shown)
    return target


def not_a_release(folder: Path) -> str | None:
    """None if `folder` is empty or a release a build may replace; otherwise why it is not."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        return f"cannot list the folder ({exc.strerror or exc})"
    if not names:
        return None
    marked = _read_marker(folder)
    if marked is not None and marked is not True:
        return marked
    if marked is None and not _is_legacy_release(folder):
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        return f"is a non-empty folder that is not a newsfacts release (it holds {shown})"
    listed = _listed_files(folder)
    if listed is None:
        return f"is marked as a newsfacts release but its {CHECKSUM_FILE} is missing or unreadable"
    foreign = [name for name in _all_entries(folder) if name not in listed]
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        return f"is a newsfacts release holding files that no build wrote ({shown}); move them out first"
    return None


def _read_marker(folder: Path) -> str | bool | None:
    """True for a valid marker, None for no marker, a reason for a marker that is not ours."""
    path = folder / MARKER_FILE
    if not os.path.lexists(path):
        return None
    try:
        data = json.loads(_read_small_regular(path))
    except (OSError, ValueError) as exc:
        return f"has a {MARKER_FILE} that is not a newsfacts marker ({exc})"
    if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
        return f"has a {MARKER_FILE} of an unknown format"
    return True


def _is_legacy_release(folder: Path) -> bool:
    """A release written before the marker existed: a build report naming newsfacts and a checksum list.
    (`not_a_release` then also requires that the checksum list covers every file in the folder.)"""
    try:
        report = json.loads(_read_small_regular(folder / LEGACY_REPORT_FILE))
    except (OSError, ValueError):
        return False
    return isinstance(report, dict) and "newsfacts_version" in report and (folder / CHECKSUM_FILE).is_file()


def _listed_files(folder: Path) -> set[str] | None:
    try:
        text = _read_small_regular(folder / CHECKSUM_FILE).decode("utf-8", errors="replace")
    except OSError:
        return None
    listed = {line.split("  ", 1)[1] for line in text.splitlines() if "  " in line}
    return listed | {CHECKSUM_FILE, MARKER_FILE}


def _all_entries(folder: Path) -> Iterator[str]:
    """Every file, link or special file below `folder` (folders themselves are implied by their files)."""
    for directory, subdirectories, files in os.walk(folder, followlinks=False):
        relative = Path(directory).relative_to(folder)
        for name in sorted(files):
            yield (relative / name).as_posix()
        for name in sorted(subdirectories):
            path = Path(directory) / name
            if path.is_symlink():
                yield (relative / name).as_posix()
            elif not os.listdir(path):
                yield (relative / name).as_posix() + "/"


def _read_small_regular(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(_MAX_METADATA_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > _MAX_METADATA_BYTES:
        raise OSError(errno.EFBIG, "too large")
    return data


def _check_writable_ancestor(target: Path, shown: str) -> None:
    ancestor = target.parent
    while not os.path.lexists(ancestor):
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputRefused(f"{shown}: cannot be created: {ancestor} is not a folder")
    _check_writable(ancestor, shown)


def _check_writable(folder: Path, shown: str) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputRefused(f"{shown}: cannot write in {folder} (permission denied)")


# --- the lock -------------------------------------------------------------------------------------------


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextmanager
def output_lock(
    target: Path, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on `target`'s lock file; wait for it (forever, or `timeout` seconds).

    The lock file is removed on release. A waiter may then hold a lock on the removed file, so after locking
    it checks that the path still names the file it locked, and starts over if not.
    """
    path = lock_path(target)
    deadline = None if timeout is None else time.monotonic() + timeout
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        try:
            _acquire(fd, deadline)
        except BlockingIOError:
            os.close(fd)
            raise OutputLocked(
                f"{target}: another build of this output is still running (lock {path.name}); try again later"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
        if not told and on_wait:
            told = True
            on_wait(f"waiting for another build of {target} to finish")
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)


def _acquire(fd: int, deadline: float | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    if deadline is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


# --- staging, recovery and the swap ---------------------------------------------------------------------


def staging_prefix(target: Path) -> str:
    return f".{target.name}.staging-"


def previous_path(target: Path) -> Path:
    return target.parent / f".{target.name}.previous"


def _is_staging_of(name: str, target: Path) -> bool:
    # mkdtemp's suffix is 8 characters of [a-z0-9_]; matching it exactly keeps another output's names safe.
    return re.fullmatch(re.escape(staging_prefix(target)) + r"[a-z0-9_]{8}", name) is not None


def recover(target: Path) -> None:
    """Undo what a killed build left beside `target` (call with the lock held)."""
    previous = previous_path(target)
    if os.path.lexists(previous):
        if not os.path.lexists(target):
            os.rename(previous, target)  # killed between the two renames of the fallback swap: restore
        else:
            shutil.rmtree(previous)  # killed after the swap, before the old release was removed
    for entry in os.scandir(target.parent):
        if _is_staging_of(entry.name, target) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2_function():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2_function()


def exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two existing paths. False when the system or filesystem cannot."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(first), None, os.fspath(second))


def swap_into_place(staging: Path, target: Path) -> None:
    """Put `staging` at `target`; the old release (if any) is removed once the new one is in place."""
    if not os.path.lexists(target):
        os.rename(staging, target)
    elif exchange(staging, target):
        shutil.rmtree(staging)  # now the old release
    else:
        previous = previous_path(target)
        os.rename(target, previous)
        os.rename(staging, target)
        shutil.rmtree(previous)


@contextmanager
def staged_release(
    output: str | os.PathLike,
    *,
    input_dir: str | os.PathLike | None = None,
    lock_timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Yield an empty staging folder beside the output; on success, swap it into place.

    Raises OutputRefused if the output may not be replaced, OutputLocked if another build holds it past
    `lock_timeout`. On any exception the staging folder is removed and the output is untouched.
    """
    target = check_output(output, input_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(target, timeout=lock_timeout, on_wait=on_wait):
        recover(target)
        target = check_output(output, input_dir)  # again, under the lock: another build may have run meanwhile
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target), dir=target.parent))
        try:
            staging.chmod(0o755)  # mkdtemp makes it private; a published release is world-readable
            yield staging
            swap_into_place(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
