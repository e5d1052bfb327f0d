"""`newsfacts diff OLD NEW`: what changed between two releases, and whether NEW's version says so.

Three things are compared:

* the schema of every config, from each release's own `schema/CONFIG.schema.json` and its Parquet file's
  Arrow schema, each difference classified by `newsfacts.release.compat` (the reader's rule: something a
  reader relied on removed, renamed, retyped or made nullable is MAJOR; something added is MINOR, a new
  field included, even one every row carries; words only are PATCH);
* the version each release declares: the dataset card's "Dataset version" (or the version in its `# `
  heading), else the `.newsfacts-release` marker's `newsfacts_version`, else `build-report.json`'s;
* the rows of every config, by row key (articles and the catalog by `id`, quotes and figures by
  `article_id/index`, entities by `article_id/id`: `validate.row_label`): added, removed, changed.
  Rows are compared on the fields both releases have, so a new column alone does not change every row.

Any change to the rows needs at least a PATCH bump (a version names one set of rows); the release needs
the highest level among its changes. NEW passes when its version rises by at least that level, or when
nothing changed. Semver's own exceptions apply: below 1.0.0 a minor bump may break (0.y.z), and between
pre-releases of one version (2.0.0-rc.1 -> 2.0.0) anything may change.

Malformed input is reported as problems, never as a crash; a diff with problems does not pass.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newsfacts.models import CONFIGS
from newsfacts.release.compat import (Level, SchemaChange, SchemaUnreadable, arrow_as_json_schema, compare_schemas,
                                      highest_level)
from newsfacts.release.output import MARKER_FILE
from newsfacts.release.validate import row_label
from newsfacts.release.layout import REPORT_FILE, config_files

CARD_FILE = "README.md"
SCHEMA_DIR = "schema"
_SEMVER = re.compile(r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")
_CARD_VERSION = re.compile(r"^- Dataset version: \*\*(?P<v>[^*]+)\*\*", re.MULTILINE)
_CARD_HEADING = re.compile(r"^# .*?(?P<v>\S+)[ \t]*$", re.MULTILINE)
_MAX_METADATA_BYTES = 16 * 1024 * 1024


class NotARelease(ValueError):
    """OLD or NEW is not a release folder (a usage error: exit 2)."""


@dataclass
class Release:
    folder: Path
    version: str | None = None
    version_sources: dict[str, str] = field(default_factory=dict)


@dataclass
class RowDiff:
    config: str
    old_rows: int = 0
    new_rows: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    changed_fields: Counter = field(default_factory=Counter)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def as_dict(self, limit: int | None) -> dict[str, Any]:
        return {"old_rows": self.old_rows, "new_rows": self.new_rows, "added": len(self.added),
                "removed": len(self.removed), "changed": len(self.changed),
                "changed_fields": dict(sorted(self.changed_fields.items())),
                "added_ids": self.added[:limit], "removed_ids": self.removed[:limit],
                "changed_ids": self.changed[:limit]}


@dataclass
class ReleaseDiff:
    old: Release
    new: Release
    schema: list[SchemaChange]
    data: dict[str, RowDiff]
    problems: list[str]

    @property
    def required(self) -> Level:
        """The version bump the changes need."""
        data_level = Level.PATCH if any(d.any for d in self.data.values()) else Level.NONE
        return max(highest_level(self.schema), data_level)

    @property
    def bump(self) -> Level | None:
        """How NEW's version rises over OLD's; None when it does not parse or falls."""
        return version_bump(self.old.version, self.new.version)

    @property
    def verdict(self) -> str | None:
        """None when NEW's version is right for its changes; otherwise why not, in one sentence."""
        if self.problems:
            return f"the releases could not be compared completely ({len(self.problems)} problem(s))"
        required = self.required
        if required is Level.NONE:
            return None
        for release, name in ((self.old, "OLD"), (self.new, "NEW")):
            if release.version is None:
                return f"{name} ({release.folder}) declares no version"
        bump = self.bump
        if bump is None:
            return f"NEW's version {self.new.version} is not above OLD's {self.old.version}"
        if bump >= required or _lenient(self.old.version, self.new.version, bump, required):
            return None
        reasons = [c for c in self.schema if c.level == required] if required > Level.PATCH else []
        why = "; ".join(f"{c.config} {c.pointer}: {c.message}" for c in reasons[:5])
        if not why:
            why = "rows changed: " + ", ".join(f"{c} ({len(d.added)} added, {len(d.removed)} removed, "
                                                 f"{len(d.changed)} changed)" for c, d in self.data.items() if d.any)
        return (f"{self.old.version} -> {self.new.version} is a {bump} bump, but the changes need a {required} bump"
                f" ({why}{'; ...' if len(reasons) > 5 else ''})")

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        return {
            "old": {"folder": str(self.old.folder), "version": self.old.version, "sources": self.old.version_sources},
            "new": {"folder": str(self.new.folder), "version": self.new.version, "sources": self.new.version_sources},
            "bump": str(self.bump) if self.bump is not None else None,
            "required": str(self.required),
            "ok": self.verdict is None,
            "reason": self.verdict,
            "schema": [c.as_dict() for c in self.schema],
            "data": {config: d.as_dict(limit) for config, d in self.data.items()},
            "problems": self.problems,
        }


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    """Compare two release folders. Raises NotARelease when either is not one."""
    old_release, new_release = _open(Path(old)), _open(Path(new))
    problems: list[str] = []
    schema: list[SchemaChange] = []
    data: dict[str, RowDiff] = {}
    extra = (_configs(old_release.folder) | _configs(new_release.folder)) - set(CONFIGS)
    for config in [*CONFIGS, *sorted(extra)]:
        old_schema = _schemas(old_release.folder, config, "OLD", problems)
        new_schema = _schemas(new_release.folder, config, "NEW", problems)
        schema.extend(_schema_changes(config, old_schema, new_schema, problems))
        old_rows = _rows(old_release.folder, config, "OLD", problems)
        new_rows = _rows(new_release.folder, config, "NEW", problems)
        if old_rows is not None or new_rows is not None:
            data[config] = diff_rows(config, old_rows or [], new_rows or [])
    return ReleaseDiff(old_release, new_release, sorted(schema, key=lambda c: (-c.level, c.config, c.pointer)),
                       data, problems)


def _open(folder: Path) -> Release:
    if not folder.is_dir():
        raise NotARelease(f"{folder}: not a folder")
    markers = [MARKER_FILE, REPORT_FILE, SCHEMA_DIR, "data"]
    if not any((folder / name).exists() for name in markers[:2]) and not all(
            (folder / name).is_dir() for name in markers[2:]):
        raise NotARelease(f"{folder}: not a newsfacts release (no {MARKER_FILE}, {REPORT_FILE}, or schema/ and data/)")
    release = Release(folder)
    card = _read_text(folder / CARD_FILE)
    if card is not None:
        for pattern in (_CARD_VERSION, _CARD_HEADING):
            match = pattern.search(card)
            if match and _SEMVER.fullmatch(match.group("v").replace("\\", "")):
                release.version_sources["card"] = match.group("v").replace("\\", "")
                break
    for name, source in ((MARKER_FILE, "marker"), (REPORT_FILE, "build_report")):
        text = _read_text(folder / name)
        try:
            value = json.loads(text)["newsfacts_version"] if text is not None else None
        except (ValueError, TypeError, KeyError):
            value = None
        if isinstance(value, str) and _SEMVER.fullmatch(value):
            release.version_sources[source] = value
    release.version = next(iter(release.version_sources.values()), None)
    return release


def _read_text(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_METADATA_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _configs(folder: Path) -> set[str]:
    """Configs present in a release besides the known ones (a config from another version of the model)."""
    found = {p.name for p in (folder / "data").glob("*") if p.is_dir()} if (folder / "data").is_dir() else set()
    found |= {p.name.removesuffix(".schema.json") for p in (folder / SCHEMA_DIR).glob("*.schema.json")}
    return found


def _schemas(folder: Path, config: str, side: str, problems: list[str]) -> dict[str, Any]:
    """The config's JSON Schema and Parquet Arrow schema (as JSON Schema), those that exist and parse."""
    found: dict[str, Any] = {}
    path = folder / SCHEMA_DIR / f"{config}.schema.json"
    if path.is_file():
        try:
            found["json"] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{side} {SCHEMA_DIR}/{config}.schema.json: cannot read: {exc}")
    first = config_files(folder, config)[0]  # `validate` checks that every shard has the same schema
    parquet = folder / first
    if parquet.is_file():
        try:
            found["parquet"] = arrow_as_json_schema(pq.read_schema(parquet))
        except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable file
            problems.append(f"{side} {first}: cannot read the Parquet schema: {exc}")
    return found


def _schema_changes(config: str, old: dict[str, Any], new: dict[str, Any], problems: list[str]) -> list[SchemaChange]:
    if not old and not new:
        return []
    if not old:
        return [SchemaChange(config, "", Level.MINOR, "config", f"config {config!r} added")]
    if not new:
        return [SchemaChange(config, "", Level.MAJOR, "config", f"config {config!r} removed")]
    changes: dict[tuple[str, str], SchemaChange] = {}
    for source in ("json", "parquet"):  # the JSON Schema says more (enums, words); Parquet is what is read
        if source not in old or source not in new:
            continue
        try:
            found = compare_schemas(config, old[source], new[source])
        except (SchemaUnreadable, TypeError, AttributeError, KeyError, RecursionError) as exc:
            # a hand-edited or foreign schema file can hold anything: a problem to report, not a crash
            problems.append(f"{config}: the {source} schemas cannot be compared: {exc or type(exc).__name__}")
            continue
        for change in found:
            key = (change.pointer, change.kind)
            if key not in changes and not any(change.pointer.startswith(p + "/") and c.level == Level.MAJOR
                                              for (p, _), c in changes.items()):
                changes[key] = change
    if not changes and ("json" in old) != ("json" in new):
        problems.append(f"{config}: only one release has {SCHEMA_DIR}/{config}.schema.json; compared by Parquet")
    return list(changes.values())


def _rows(folder: Path, config: str, side: str, problems: list[str]) -> list[dict[str, Any]] | None:
    rows: list[dict[str, Any]] = []
    for relative in config_files(folder, config):
        path = folder / relative
        if not path.is_file():
            return None
        try:
            rows.extend(pq.read_table(path).to_pylist())
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{side} {relative}: cannot read: {exc}")
            return None
    return rows


def diff_rows(config: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> RowDiff:
    """Rows added, removed and changed between two lists of one config's rows, by row key."""
    result = RowDiff(config, len(old), len(new))
    old_by_key = _by_key(config, old)
    new_by_key = _by_key(config, new)
    result.added = sorted(new_by_key.keys() - old_by_key.keys())
    result.removed = sorted(old_by_key.keys() - new_by_key.keys())
    for key in sorted(old_by_key.keys() & new_by_key.keys()):
        before, after = _common(old_by_key[key], new_by_key[key])
        if _canonical(before) != _canonical(after):
            result.changed.append(key)
            fields = before.keys() if isinstance(before, dict) else [""]
            result.changed_fields.update(f for f in fields if _canonical(before[f]) != _canonical(after[f]))
    return result


def _by_key(config: str, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keyed: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows):
        key = row_label(config, row, number) if isinstance(row, dict) else f"#{number}"
        while key in keyed:  # a duplicate key (validate reports it): keep both rows apart
            key += "'"
        keyed[key] = row
    return keyed


def _common(before: Any, after: Any) -> tuple[Any, Any]:
    """Both values restricted to the fields both have, recursively (a new field is a schema change)."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [k for k in before if k in after]
        pairs = {k: _common(before[k], after[k]) for k in keys}
        return {k: p[0] for k, p in pairs.items()}, {k: p[1] for k, p in pairs.items()}
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        pairs = [_common(b, a) for b, a in zip(before, after)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    return before, after


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def parse_version(text: str | None) -> tuple[int, int, int, str | None] | None:
    match = _SEMVER.fullmatch(text or "")
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3)), match.group(4)


def version_bump(old: str | None, new: str | None) -> Level | None:
    """MAJOR/MINOR/PATCH: the highest part of the version that rose; NONE: the same; None: lower or unknown."""
    before, after = parse_version(old), parse_version(new)
    if before is None or after is None:
        return None
    if after[:3] == before[:3]:
        if after[3] == before[3]:
            return Level.NONE
        return Level.NONE if _prerelease_order(after[3]) > _prerelease_order(before[3]) else None
    if after[:3] < before[:3]:
        return None
    for level, index in ((Level.MAJOR, 0), (Level.MINOR, 1)):
        if after[index] != before[index]:
            return level
    return Level.PATCH


def _prerelease_order(tag: str | None) -> tuple:
    """Semver precedence of a pre-release tag (a release, no tag, comes after all of them)."""
    if tag is None:
        return (1,)
    return (0, *[(0, int(p), "") if p.isdigit() else (1, 0, p) for p in tag.split(".")])


def _lenient(old: str | None, new: str | None, bump: Level, required: Level) -> bool:
    """Semver's exceptions: 0.y.z may break in a minor bump; pre-releases of one version promise nothing."""
    before, after = parse_version(old), parse_version(new)
    if before is None or after is None:
        return False
    if before[3] is not None and before[:3] == after[:3]:
        return True
    return before[0] == 0 and after[0] == 0 and required == Level.MAJOR and bump == Level.MINOR


def render_text(diff: ReleaseDiff, limit: int | None = 10) -> list[str]:
    """The diff as lines of text for a terminal or a CI log."""
    def version(release: Release) -> str:
        return release.version or "no version"

    lines = [f"OLD {diff.old.folder}: {version(diff.old)}", f"NEW {diff.new.folder}: {version(diff.new)}", "",
             "schema:" if diff.schema else "schema: no changes"]
    for change in diff.schema:
        lines.append(f"  {change.level!s:<5}  {change.config}  {change.pointer or '/'}  {change.message}")
    lines += ["", "rows:"]
    for config, rows in diff.data.items():
        summary = (f"{len(rows.added)} added, {len(rows.removed)} removed, {len(rows.changed)} changed"
                   if rows.any else "unchanged")
        lines.append(f"  {config}: {rows.old_rows} -> {rows.new_rows} rows: {summary}")
        for name, keys in (("added", rows.added), ("removed", rows.removed), ("changed", rows.changed)):
            if keys:
                shown = keys if limit is None else keys[:limit]
                more = f" (+{len(keys) - len(shown)} more)" if len(shown) < len(keys) else ""
                lines.append(f"    {name}: {', '.join(shown)}{more}")
        if rows.changed_fields:
            fields = ", ".join(f"{f or '(row)'} {n}" for f, n in sorted(rows.changed_fields.items()))
            lines.append(f"    changed fields: {fields}")
    for problem in diff.problems:
        lines.append(f"problem: {problem}")
    bump = diff.bump
    bump_text = ("not a rise" if bump is None else "no bump" if bump is Level.NONE else f"a {bump} bump")
    lines += ["", f"version: {version(diff.old)} -> {version(diff.new)} ({bump_text}); "
              f"the changes need {'no bump' if diff.required is Level.NONE else f'a {diff.required} bump'}"]
    return lines
