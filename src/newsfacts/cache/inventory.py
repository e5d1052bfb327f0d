"""What the article cache holds, per pipeline: `newsfacts cache info`, and what `prune` chooses from.

Sizes are disk usage (blocks allocated, as `du` counts them, folders included), since that is what a user
bounds. Each thing a prune may remove is an `Item` with its size and its last use: the modification time, which
a build renews when it uses the file (`store.mark_used`). An article's entry and its row-check note are one
item.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from newsfacts.cache import fingerprint as fingerprints
from newsfacts.cache.lock import LOCK_FILE, in_use
from newsfacts.cache.store import (
    CHECKED_ROWS_FOLDER, DESCRIPTION_FILE, LAYOUT, PIPELINE_FOLDER_DIGITS, RELEASES_FOLDER, REPORTS_FOLDER,
    ROWS_CHECKED_SUFFIX, TEMPORARY_SUFFIX, pipeline_folder_name,
)

ARTICLE, RELEASE, REPORT, CHECKED, TEMPORARY, OTHER = (
    "article", "release record", "report page", "row-check note", "temporary file", "other file")
KINDS = (ARTICLE, RELEASE, REPORT, CHECKED, TEMPORARY, OTHER)
# A pipeline folder's name (`store.pipeline_folder_name`).
PIPELINE_NAME = re.compile(rf"[0-9a-f]{{{PIPELINE_FOLDER_DIGITS}}}")
# What a prune renames a folder to before deleting it; one left behind was interrupted and is removed next time.
DELETING_PREFIX = ".deleting-"
_TEMPORARY = re.compile(rf"\..+{re.escape(TEMPORARY_SUFFIX)}")  # `store.write_atomically`'s temporary files


@dataclass(frozen=True)
class Item:
    """Files a prune removes together: `size` bytes of disk, last used at `used` (seconds since the epoch)."""

    kind: str
    paths: tuple[Path, ...]
    size: int
    used: float


@dataclass
class Pipeline:
    """One pipeline's folder. `installed`: the installed newsfacts builds with it (with the default model, or
    the model recorded in the folder, as it is installed now); `in_use`: a build holds it now."""

    folder: Path
    description: dict
    installed: bool
    in_use: bool
    items: list[Item] = field(default_factory=list)
    overhead: int = 0  # the folders themselves, the lock file and the description

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def size(self) -> int:
        return self.overhead + sum(item.size for item in self.items)

    @property
    def last_used(self) -> float | None:
        return max((item.used for item in self.items), default=None)

    def count(self, kind: str) -> int:
        return sum(1 for item in self.items if item.kind == kind)

    def size_of(self, kind: str) -> int:
        return sum(item.size for item in self.items if item.kind == kind)


@dataclass
class Inventory:
    root: Path
    exists: bool
    pipelines: list[Pipeline]
    leftovers: list[Path]  # folders an interrupted prune was deleting
    leftovers_size: int
    other_files: int  # anything else under the root, not newsfacts' (never removed)
    other_size: int
    overhead: int  # the root and layout folders

    @property
    def size(self) -> int:
        return self.overhead + self.leftovers_size + self.other_size + sum(p.size for p in self.pipelines)


def disk_usage(status: os.stat_result) -> int:
    blocks = getattr(status, "st_blocks", None)
    return blocks * 512 if blocks is not None else status.st_size


def tree_usage(path: Path) -> tuple[int, int]:
    """(files, bytes of disk) of everything under `path`, itself included; links are not followed."""
    try:
        status = os.lstat(path)
    except OSError:
        return 0, 0
    if not stat.S_ISDIR(status.st_mode):
        return 1, disk_usage(status)
    files, size = 0, disk_usage(status)
    try:
        children = list(os.scandir(path))
    except OSError:
        return files, size
    for child in children:
        more, used = tree_usage(Path(child.path))
        files, size = files + more, size + used
    return files, size


def read_description(folder: Path) -> dict:
    try:
        description = json.loads((folder / DESCRIPTION_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return description if isinstance(description, dict) else {}


def installed_names(descriptions: list[dict]) -> set[str]:
    """The folder names of the pipelines the installed newsfacts builds with: the default model's, and each
    recorded model's as that model is installed now (a model since upgraded or removed gives another name)."""
    from newsfacts.annotate.spacy_model import model_name

    models = {model_name(None)} | {d["model"] for d in descriptions if isinstance(d.get("model"), str)}
    return {pipeline_folder_name(fingerprints.pipeline_fingerprint(model)) for model in sorted(models)}


def list_pipelines(root: Path, *, probe_locks: bool = True) -> list[Pipeline]:
    """The pipeline folders under `root`, described but not yet scanned (`scan_pipeline`)."""
    layout = Path(root) / LAYOUT
    try:
        folders = sorted(Path(e.path) for e in os.scandir(layout)
                         if PIPELINE_NAME.fullmatch(e.name) and e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    descriptions = [read_description(folder) for folder in folders]
    installed = installed_names(descriptions)
    return [Pipeline(folder, description, folder.name in installed, probe_locks and in_use(folder))
            for folder, description in zip(folders, descriptions)]


def other_pipelines(root: Path, fingerprint: str) -> int:
    """How many pipeline folders besides `fingerprint`'s the cache holds (a listing, nothing scanned)."""
    try:
        return sum(1 for e in os.scandir(Path(root) / LAYOUT)
                   if PIPELINE_NAME.fullmatch(e.name) and e.name != pipeline_folder_name(fingerprint))
    except OSError:
        return 0


def scan_pipeline(pipeline: Pipeline) -> Pipeline:
    """Fill `pipeline.items` and `overhead` from its folder."""
    articles: dict[Path, list] = {}  # entry path -> [paths, size, used]
    items: list[Item] = []
    overhead = 0

    def walk(folder: Path, relative: tuple[str, ...]) -> None:
        nonlocal overhead
        try:
            children = list(os.scandir(folder))
            overhead += disk_usage(os.lstat(folder))
        except OSError:
            return
        for child in children:
            path = Path(child.path)
            try:
                status = child.stat(follow_symlinks=False)
            except OSError:
                continue
            if child.is_dir(follow_symlinks=False):
                walk(path, relative + (child.name,))
                continue
            size, used, where = disk_usage(status), status.st_mtime, relative + (child.name,)
            kind = _kind(where)
            if kind is None:
                overhead += size
            elif kind == ARTICLE:
                entry = path.with_name(child.name[: -len(ROWS_CHECKED_SUFFIX)]) if child.name.endswith(
                    ROWS_CHECKED_SUFFIX) else path
                record = articles.setdefault(entry, [[], 0, 0.0, False])
                record[0].append(path)
                record[1] += size
                if path == entry:  # the entry's own time: a note is written once, the entry marked at each use
                    record[2], record[3] = used, True
            else:
                items.append(Item(kind, (path,), size, used))

    walk(pipeline.folder, ())
    for entry, (paths, size, used, whole) in articles.items():
        if whole:
            items.append(Item(ARTICLE, tuple(sorted(paths, key=lambda p: p != entry)), size, used))
        else:  # a note whose entry is gone
            items.extend(Item(CHECKED, (path,), size, os.lstat(path).st_mtime) for path in paths)
    pipeline.items = sorted(items, key=lambda item: (item.used, item.paths))
    pipeline.overhead = overhead
    return pipeline


def _kind(where: tuple[str, ...]) -> str | None:
    """What the file at `where` (its path inside the pipeline folder) is; None for the folder's own files."""
    name = where[-1]
    if where in ((LOCK_FILE,), (DESCRIPTION_FILE,)):
        return None
    if _TEMPORARY.fullmatch(name):
        return TEMPORARY
    if len(where) == 2:
        if re.fullmatch(r"[0-9a-f]{2}", where[0]) and (name.endswith(".json") or name.endswith(ROWS_CHECKED_SUFFIX)):
            return ARTICLE
        if where[0] == RELEASES_FOLDER and name.endswith(".release"):
            return RELEASE
        if where[0] == REPORTS_FOLDER and name.endswith(".html"):
            return REPORT
        if where[0] == CHECKED_ROWS_FOLDER:
            return CHECKED
    return OTHER


def scan(root: Path, *, probe_locks: bool = True) -> Inventory:
    """Everything under `root`: each pipeline scanned, leftovers of interrupted prunes, anything else."""
    root = Path(root)
    if not root.is_dir():
        return Inventory(root, False, [], [], 0, 0, 0, 0)
    pipelines = [scan_pipeline(p) for p in list_pipelines(root, probe_locks=probe_locks)]
    known = {p.folder for p in pipelines}
    leftovers, leftovers_size, other_files, other_size = [], 0, 0, 0
    overhead = disk_usage(os.lstat(root))
    for child in sorted(os.scandir(root), key=lambda e: e.name):
        path = Path(child.path)
        if child.name == LAYOUT and child.is_dir(follow_symlinks=False):
            overhead += disk_usage(os.lstat(path))
            for inner in sorted(os.scandir(path), key=lambda e: e.name):
                inner_path = Path(inner.path)
                if inner_path in known:
                    continue
                files, used = tree_usage(inner_path)
                if inner.name.startswith(DELETING_PREFIX):
                    leftovers.append(inner_path)
                    leftovers_size += used
                else:
                    other_files, other_size = other_files + files, other_size + used
        else:
            files, used = tree_usage(path)
            other_files, other_size = other_files + files, other_size + used
    return Inventory(root, True, pipelines, leftovers, leftovers_size, other_files, other_size, overhead)
