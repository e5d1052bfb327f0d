"""How `newsfacts cache info` and `prune` / `clear` print what they found and did: a table for people, JSON for
scripts (`info --json`)."""

from __future__ import annotations

import os
import time

from newsfacts.cache.inventory import ARTICLE, CHECKED, KINDS, OTHER, RELEASE, REPORT, TEMPORARY, Inventory, Pipeline
from newsfacts.cache.prune import PruneResult
from newsfacts.cache.store import CACHE_ENV, LAYOUT


def human_size(size: int) -> str:
    """Binary units, as `--max-size` reads them (10M is 10 MiB)."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError


def when(seconds: float | None) -> str:
    return "-" if seconds is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def made_by(pipeline: Pipeline) -> tuple[str, str]:
    """(newsfacts version, model) as recorded in the folder; '?' for a folder made before they were recorded."""
    description = pipeline.description
    model = description.get("model", "?")
    if description.get("model_version"):
        model = f"{model} {description['model_version']}"
    return str(description.get("newsfacts", "?")), str(model)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
            .rstrip() for row in rows]


def render_info(inventory: Inventory, source: str) -> str:
    lines = [f"cache: {inventory.root} ({source})"]
    if not inventory.exists:
        lines.append("no cache there yet: nothing was built with it")
        return "\n".join(lines)
    lines.append(f"size:  {human_size(inventory.size)} on disk, {_plural(len(inventory.pipelines), 'pipeline')} "
                 f"({LAYOUT}/)")
    if inventory.pipelines:
        rows = [["pipeline", "newsfacts", "model", "articles", "release records", "report pages", "size",
                 "last used", ""]]
        for pipeline in inventory.pipelines:
            version, model = made_by(pipeline)
            note = ["a build is using it"] if pipeline.in_use else []
            rows.append([pipeline.name[:12] + (" *" if pipeline.installed else ""), version, model,
                         f"{pipeline.count(ARTICLE):,}", f"{pipeline.count(RELEASE):,}",
                         f"{pipeline.count(REPORT):,} ({human_size(pipeline.size_of(REPORT))})",
                         human_size(pipeline.size), when(pipeline.last_used), ", ".join(note)])
        lines += [""] + _table(rows, right={3, 4, 5, 6})
        lines.append("* the installed newsfacts builds with it (with the default model or the model shown); it "
                     "never reads the others")
    if inventory.leftovers_size:
        lines.append(f"left by an interrupted prune: {human_size(inventory.leftovers_size)} (the next prune removes it)")
    if inventory.other_files:
        lines.append(f"not newsfacts' (never removed): {_plural(inventory.other_files, 'file')}, "
                     f"{human_size(inventory.other_size)}")
    others = sum(p.size for p in inventory.pipelines if not p.installed)
    lines.append("")
    if others:
        lines.append(f"`newsfacts cache prune` removes the other pipelines' {human_size(others)}; "
                     "`--max-size SIZE` instead removes the least recently used data of any pipeline")
    else:
        lines.append("`newsfacts cache prune --max-size SIZE` removes the least recently used data down to SIZE")
    return "\n".join(lines)


def info_as_dict(inventory: Inventory) -> dict:
    def pipeline(p: Pipeline) -> dict:
        return {"folder": p.name, "path": str(p.folder), "installed": p.installed, "in_use": p.in_use,
                "made_by": p.description, "size": p.size,
                "last_used": None if p.last_used is None else time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                            time.gmtime(p.last_used)),
                "items": {kind: {"count": p.count(kind), "size": p.size_of(kind)} for kind in KINDS}}

    return {"cache": str(inventory.root), "exists": inventory.exists, "size": inventory.size,
            "pipelines": [pipeline(p) for p in inventory.pipelines],
            "interrupted_prunes_size": inventory.leftovers_size,
            "not_newsfacts": {"files": inventory.other_files, "size": inventory.other_size}}


def _what(items, whole: bool) -> str:
    counted = {kind: sum(1 for item in items if item.kind == kind) for kind in KINDS}
    parts = [_plural(counted[kind], kind) for kind in (ARTICLE, RELEASE, REPORT, CHECKED, TEMPORARY, OTHER)
             if counted[kind]]
    text = ", ".join(parts) or "no entries"
    if whole:
        return f"the whole folder ({text})"
    return f"{text} last used before {when(max(item.used for item in items))}"


def render_prune(result: PruneResult) -> str:
    verb = "would remove" if result.dry_run else "removed"
    lines = []
    for removal in result.removals:
        version, model = made_by(removal.pipeline)
        label = f"newsfacts {version}, {model}" + (", installed" if removal.pipeline.installed else "")
        lines.append(f"{verb} {removal.pipeline.folder} ({label}): {_what(removal.items, removal.whole)}: "
                     f"{human_size(removal.size)}")
    if result.leftovers:
        lines.append(f"{verb} what interrupted prunes left: {human_size(result.leftovers)}")
    for pipeline in result.skipped:
        lines.append(f"skipped {pipeline.folder}: a build is using it (run the prune again once it is done)")
    takes = f"{'would take' if result.dry_run else 'now takes'} {human_size(result.size_after)}"
    if result.removals or result.leftovers:
        lines.append(f"{'would free' if result.dry_run else 'freed'} {human_size(result.freed)}; the cache {takes}")
    elif result.skipped:
        lines.append(f"the cache takes {human_size(result.size_after)}")
    else:
        lines.append(f"nothing to remove: the cache takes {human_size(result.size_after)}"
                     + (f", at most {human_size(result.max_size)} asked"
                        if result.max_size and result.size_after <= result.max_size else ""))
    if result.max_size is not None and result.size_after > result.max_size:
        why = ("the folders of running builds, skipped" if result.skipped
               else "the cache's own folders and files that are not newsfacts'")
        lines.append(f"more than the {human_size(result.max_size)} asked: what is left is {why}")
    if result.dry_run:
        lines.append("dry run: nothing was removed")
    return "\n".join(lines)


def describe_source(given: bool) -> str:
    """Where the cache folder's path came from (see `store.default_cache_dir`)."""
    if given:
        return "--cache"
    if os.environ.get(CACHE_ENV):
        return f"${CACHE_ENV}"
    if os.environ.get("XDG_CACHE_HOME"):
        return "$XDG_CACHE_HOME/newsfacts"
    return "the default, ~/.cache/newsfacts"
