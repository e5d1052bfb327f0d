"""`newsfacts cache prune` and `clear`: remove what the installed newsfacts will not read again, or the least
recently used data down to a size, or everything; never what a running build uses.

- `prune(root)`: the folders of every pipeline the installed newsfacts does not build with (an older or newer
  newsfacts, another version of a dependency or of the model, Python, ...). The installed pipeline's data (with
  the default model and with each model recorded in a folder, as installed now) stays.
- `prune(root, max_size=N)`: instead, the least recently used items of any pipeline (an article's entry, a
  release record, a report page: each file's last use is its modification time, renewed when a build uses it),
  oldest first, until the cache takes at most N bytes of disk. Another installed version sharing the cache keeps
  what it used recently.
- `prune(root, everything=True)`: every pipeline's folder (`newsfacts cache clear`).

A folder is removed only under its exclusive lock (`lock`), taken without waiting: the folder of a running build
is skipped and reported. A whole folder is first renamed (`.deleting-...`), so nothing half-deleted is ever seen
under a pipeline's name, then deleted; one left by an interrupted prune is removed by the next. A dry run
removes and locks nothing and reports the same choices.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from newsfacts.cache.inventory import DELETING_PREFIX, Item, Pipeline, disk_usage, list_pipelines, scan, tree_usage
from newsfacts.cache.lock import FolderLock, try_exclusive


@dataclass
class Removal:
    """What was (in a dry run: would be) removed from one pipeline's folder: `items`, or the whole folder."""

    pipeline: Pipeline
    items: list[Item]
    whole: bool
    size: int  # bytes of disk freed


@dataclass
class PruneResult:
    root: Path
    dry_run: bool
    max_size: int | None
    size_before: int
    removals: list[Removal] = field(default_factory=list)
    skipped: list[Pipeline] = field(default_factory=list)  # a build holds them: left alone
    leftovers: int = 0  # bytes of folders interrupted prunes left, removed

    @property
    def freed(self) -> int:
        return self.leftovers + sum(r.size for r in self.removals)

    @property
    def size_after(self) -> int:
        return self.size_before - self.freed


def prune(root: Path, *, max_size: int | None = None, everything: bool = False, dry_run: bool = False
          ) -> PruneResult:
    """See the module docstring. Raises NotADirectoryError when `root` exists and is not a folder."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"{root}: not a folder")
    candidates = list_pipelines(root, probe_locks=dry_run)
    if max_size is None and not everything:
        candidates = [p for p in candidates if not p.installed]
    locks: dict[Path, FolderLock] = {}
    skipped: list[Pipeline] = []
    chosen: set[Path] = set()
    try:
        for pipeline in candidates:
            lock = None if dry_run else try_exclusive(pipeline.folder)
            if lock is not None or (dry_run and not pipeline.in_use):
                chosen.add(pipeline.folder)
                if lock is not None:
                    locks[pipeline.folder] = lock
            elif pipeline.folder.is_dir():  # (not merely removed meanwhile)
                skipped.append(pipeline)
        # Scanned once the folders are locked: what is counted is what is removed.
        inventory = scan(root, probe_locks=False)
        result = PruneResult(root, dry_run, max_size, inventory.size, skipped=skipped)
        for leftover in inventory.leftovers:
            result.leftovers += tree_usage(leftover)[1] - (0 if dry_run else _remove_tree(leftover))
        pipelines = [p for p in inventory.pipelines if p.folder in chosen]
        if max_size is None:
            for pipeline in pipelines:
                left = 0 if dry_run else _remove_folder(pipeline.folder)
                result.removals.append(Removal(pipeline, list(pipeline.items), True, pipeline.size - left))
        else:
            _remove_least_recently_used(pipelines, result, inventory.size - result.leftovers, max_size)
        return result
    finally:
        for lock in locks.values():
            lock.release()


def _remove_least_recently_used(pipelines: list[Pipeline], result: PruneResult, size: int, max_size: int) -> None:
    removed: dict[Path, list[Item]] = {p.folder: [] for p in pipelines}
    owner = {item.paths[0]: p for p in pipelines for item in p.items}
    for item in sorted((i for p in pipelines for i in p.items), key=lambda i: (i.used, i.paths)):
        if size <= max_size:
            break
        removed[owner[item.paths[0]].folder].append(item)
        size -= item.size
    for pipeline in pipelines:
        items = removed[pipeline.folder]
        if not items:
            continue
        if len(items) == len(pipeline.items):  # nothing left in it: the folder goes too
            left = 0 if result.dry_run else _remove_folder(pipeline.folder)
            result.removals.append(Removal(pipeline, items, True, pipeline.size - left))
            continue
        freed = sum(item.size for item in items)
        if not result.dry_run:
            freed = sum(_remove_item(item) for item in items) + _remove_empty_folders(items, pipeline.folder)
        result.removals.append(Removal(pipeline, items, False, freed))


def _remove_item(item: Item) -> int:
    """Remove the item's files; return the bytes freed."""
    freed = 0
    for path in item.paths:
        try:
            used = disk_usage(os.lstat(path))
            os.unlink(path)
            freed += used
        except FileNotFoundError:
            pass
    return freed


def _remove_empty_folders(items: list[Item], top: Path) -> int:
    freed = 0
    for folder in sorted({path.parent for item in items for path in item.paths}, reverse=True):
        while folder != top and top in folder.parents:
            try:
                used = disk_usage(os.lstat(folder))
                folder.rmdir()
            except OSError:  # not empty (or already gone)
                break
            freed += used
            folder = folder.parent
    return freed


def _remove_folder(folder: Path) -> int:
    """Rename `folder` out of the way, then delete it; return the bytes left behind (0 unless it failed)."""
    doomed = Path(tempfile.mkdtemp(prefix=f"{DELETING_PREFIX}{folder.name}-", dir=folder.parent))
    try:
        os.replace(folder, doomed)  # an empty folder is replaced by the renamed one
    except OSError:
        os.rmdir(doomed)
        return _remove_tree(folder)
    return _remove_tree(doomed)


def _remove_tree(path: Path) -> int:
    shutil.rmtree(path, ignore_errors=True)
    return tree_usage(path)[1]
