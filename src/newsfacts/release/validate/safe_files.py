"""Reading a release without leaving it: links and special files are reported, never followed or opened.

A release folder is untrusted input: a link inside it may point anywhere on the machine (a private file, a
device, a FIFO that blocks a reader forever). Every read goes through `open_inside`, which checks each
component of the path without following links and opens only regular files.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from newsfacts.release.validate.problems import Problem

MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024  # the card, the checksum list, the marker


def walk(root: Path, problems: list[Problem]) -> dict[str, Path]:
    """Every regular file of the release by relative path. Links and special files are problems and are
    neither followed nor opened (a link may point anywhere on the machine)."""
    files: dict[str, Path] = {}
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(relative_name(root, folder), "-", "", "release", f"folder cannot be listed: {exc.strerror}"))
            continue
        for entry in entries:
            name = relative_name(root, Path(entry.path))
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                problems.append(Problem(name, "-", "", "release", f"cannot be inspected: {exc.strerror}"))
                continue
            if stat.S_ISLNK(mode):
                problems.append(Problem(name, "-", "", "release", "is a symbolic link; validate does not follow links"))
            elif stat.S_ISDIR(mode):
                pending.append(Path(entry.path))
            elif stat.S_ISREG(mode):
                files[name] = Path(entry.path)
            else:
                problems.append(Problem(name, "-", "", "release", "is not a regular file (a FIFO, socket or device)"))
    return files


def relative_name(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else "."


class NotReadable(Exception):
    """A release file that validate will not or cannot read; the message says why."""


def open_inside(root: Path, relative: str) -> BinaryIO:
    """Open root/relative for reading only if every component is a real folder or file inside the release
    (no link anywhere on the way) and the file is a regular file."""
    current = root
    parts = PurePosixPath(relative).parts
    for i, part in enumerate(parts):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            raise NotReadable("is missing") from None
        except OSError as exc:
            raise NotReadable(f"cannot be inspected: {exc.strerror}") from None
        if stat.S_ISLNK(mode):
            where = "" if i == len(parts) - 1 else f" (its folder {'/'.join(parts[: i + 1])} is a link)"
            raise NotReadable(f"is a symbolic link{where}; validate does not follow links")
        if i < len(parts) - 1 and not stat.S_ISDIR(mode):
            raise NotReadable(f"{'/'.join(parts[: i + 1])} is not a folder")
    if not stat.S_ISREG(mode):
        raise NotReadable("is not a regular file")
    try:
        descriptor = os.open(current, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise NotReadable(f"cannot be opened: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # replaced between the check and the open
        os.close(descriptor)
        raise NotReadable("is not a regular file")
    return os.fdopen(descriptor, "rb")


def read_text(root: Path, relative: str) -> str:
    """A small UTF-8 text file of the release."""
    with open_inside(root, relative) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_TEXT_FILE_BYTES:
            raise NotReadable(f"is {size} bytes; validate reads text files up to {MAX_TEXT_FILE_BYTES} bytes")
        data = handle.read(MAX_TEXT_FILE_BYTES + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotReadable(f"is not UTF-8 text (invalid byte at offset {exc.start})") from None


def sha256_inside(root: Path, relative: str) -> str:
    digest = hashlib.sha256()
    with open_inside(root, relative) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
