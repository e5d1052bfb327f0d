"""Where things are in a release folder: the names every writer and reader of a release agrees on.

A config's rows are one or more Parquet shards named the Hub's way, `data/<config>/train-0000K-of-0000N.parquet`
(N shards, K from 0); a small release has exactly one shard per config, `train-00000-of-00001.parquet`. This
module imports nothing else of the release package, so the card, the writer and the validator can all use it
without importing each other.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from newsfacts.release.output import CHECKSUM_FILE, MARKER_FILE

__all__ = ["CHECKSUM_FILE", "DATA_DIR", "MARKER_FILE", "REPORT_FILE", "SPLIT", "config_files", "config_glob", "parquet_path",
           "release_files", "sha256_file", "shard_number", "shard_paths"]

REPORT_FILE = "build-report.json"
DATA_DIR = "data"
SPLIT = "train"
_SHARD = re.compile(rf"{SPLIT}-(\d{{5}})-of-(\d{{5}})\.parquet")


def parquet_path(config: str, shard: int = 0, shards: int = 1) -> str:
    """Release-relative path of shard `shard` of `shards` of a config (by default the only one)."""
    if not 0 <= shard < shards:
        raise ValueError(f"shard {shard} of {shards}")
    return f"{DATA_DIR}/{config}/{SPLIT}-{shard:05d}-of-{shards:05d}.parquet"


def config_glob(config: str) -> str:
    """The pattern that matches every shard of a config (for the card's data_files and DuckDB)."""
    return f"{DATA_DIR}/{config}/{SPLIT}-*.parquet"


def shard_number(name: str) -> tuple[int, int] | None:
    """(K, N) of a shard file name `train-0000K-of-0000N.parquet`, or None for any other name."""
    match = _SHARD.fullmatch(name)
    return (int(match.group(1)), int(match.group(2))) if match else None


def shard_paths(config: str, names: list[str]) -> tuple[list[str], list[str]]:
    """The release-relative shard paths of `config` among the release-relative file `names`, in shard order,
    and what is wrong with them (a gap, a shard count that differs between files, a stray file). With no
    well-named shard at all, the single-shard path is returned, so that a reader reports it missing."""
    folder = f"{DATA_DIR}/{config}/"
    found: dict[int, int] = {}
    wrong: list[str] = []
    for name in sorted(names):
        if not name.startswith(folder) or "/" in name[len(folder):]:
            continue
        number = shard_number(name[len(folder):])
        if number is None:
            if name.endswith(".parquet"):
                wrong.append(f"{name} is not named {SPLIT}-0000K-of-0000N.parquet")
            continue
        found[number[0]] = number[1]
    if not found:
        return [parquet_path(config)], wrong
    totals = sorted(set(found.values()))
    total = max(totals)
    if len(totals) > 1:
        wrong.append(f"shards of {config!r} disagree on their number: {', '.join(map(str, totals))}")
    missing = [k for k in range(total) if k not in found]
    if missing:
        wrong.append(f"shard(s) {', '.join(str(k) for k in missing[:10])} of {total} of {config!r} are missing")
    extra = [k for k in found if k >= total]
    if extra:
        wrong.append(f"shard number(s) {', '.join(map(str, extra[:10]))} of {config!r} are not below {total}")
    return [parquet_path(config, k, total) for k in range(total) if k in found and found[k] == total], wrong


def config_files(folder: Path, config: str) -> list[str]:
    """The release-relative shard paths of `config` in the release at `folder`, in shard order (the
    single-shard path when there are none, which may then not exist)."""
    data = Path(folder) / DATA_DIR / config
    names = [f"{DATA_DIR}/{config}/{p.name}" for p in data.iterdir()] if data.is_dir() else []
    return shard_paths(config, names)[0]


def release_files(folder: Path) -> list[tuple[str, Path]]:
    """Every file of a release folder as (release-relative path, path), sorted."""
    return sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
