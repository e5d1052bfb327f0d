"""`newsfacts validate DIR`: check a built release the way a user's CI would.

Checks, each reported as a Problem naming the file, the row id, the JSON pointer and the rule broken:
  release     the folder holds only regular files and folders: links and special files are reported, never
              followed or opened, so nothing outside the release is read
  card        the dataset card declares every config, its data files exist, its features match the Parquet
  schema      schema/<config>.schema.json is the JSON Schema this version generates
  arrow       each Parquet file's schema equals the Arrow schema generated from the models
  schema      each row validates against the generated JSON Schema (rule = the JSON Schema keyword)
  span        every text-coordinate span satisfies 0 <= start <= end <= len(text) and text[start:end] == span text
  join        per-item rows point to an existing article and agree with the article's nested items; every
              member of a claim or quote cluster is a row of `figures` or `quotes` with the same text
  unique      ids are unique; articles, claims and quote clusters come in increasing id order (as a build
              writes them)
  checksum    CHECKSUMS.sha256 is well formed and lists every file with its current hash
  limit       a file, a row group or a row is larger than validate will hold at once (memory stays bounded on
              hostile input), or a file has more problems than validate lists

The release is hostile input until proven otherwise: any malformed card, checksum list or Parquet file
gives problems, never an exception. Memory is bounded by `max_decoded_bytes`, not by the size of the
release: text files are read only up to a size limit; Parquet files are first checked against the
uncompressed sizes their metadata declares, then read in small slices, the per-article configs side by side
in article id order, so that each article is checked with its own rows and then let go (`stream.py`).

Modules: problems.py (what is reported), safe_files.py (reading without leaving the release), parquet.py (a
file's rows in bounded slices), stream.py (the rows checked article by article), spans.py (span and join
checks on the rows), members.py (members of the cross-document configs), rows.py (the JSON Schema of a row,
and the build's row checks); this module runs the checks and holds the card, Parquet and checksum rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow.parquet as pq
import yaml

from newsfacts.models import CONFIGS
from newsfacts.release.schema import arrow_schema, json_schema, known_card_features
from newsfacts.release.validate.parquet import declared_size_problem
from newsfacts.release.validate.problems import Problem, problems_as_json
from newsfacts.release.validate.safe_files import NotReadable, open_inside, read_text, sha256_inside, walk
from newsfacts.release.validate.spans import (
    RAW_COORDINATE_FIELDS, caption_span_problems, iter_text_spans, row_label, span_problems,
)
from newsfacts.release.validate.stream import ProblemLog, check_rows
from newsfacts.release.layout import CHECKSUM_FILE, DATA_DIR, config_glob, parquet_path, shard_paths
from newsfacts.release.validate.rows import RowChecker

__all__ = [
    "RAW_COORDINATE_FIELDS", "Problem", "RowChecker", "caption_span_problems", "iter_text_spans", "problems_as_json",
    "row_label", "span_problems", "validate_release",
]

# The marker a build writes into every release root (JSON); it may or may not be listed in the checksums.
RELEASE_MARKER = ".newsfacts-release"
CARD_FILE = "README.md"
SCHEMA_DIR = "schema"

# The most decoded (Arrow) bytes held at once: no row group may declare more, no row may decode to more, and
# rows are read a fraction of it at a time (`parquet.py`). The size of the release does not matter.
DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024
_SHA256_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")


def validate_release(folder: Path, *, max_decoded_bytes: int = DEFAULT_MAX_DECODED_BYTES,
                     rows_checked: dict[str, int] | None = None) -> list[Problem]:
    """Every problem of the release at `folder` (an empty list: it validates).

    `max_decoded_bytes` bounds what is held at once (`stream.py`, `parquet.py`), whatever the release size.

    `rows_checked` is for the build, which checks every row as it writes it (`RowChecker`: the same schema,
    span, join and uniqueness rules) and so need not decode its own Parquet again: config → the number of
    rows it checked. The files are then checked as always (card, Arrow schemas, JSON Schemas, checksums,
    marker) and each config's Parquet metadata must hold exactly that many rows; the rows are not decoded.
    Without it (`newsfacts validate`, anything untrusted) every row is read back and checked."""
    folder = Path(folder)
    try:
        root = folder.resolve(strict=True)  # the release path itself may be a link (to a versioned folder)
    except (OSError, RuntimeError):
        return [Problem(str(folder), "-", "", "release", "not a folder")]
    if not root.is_dir():
        return [Problem(str(folder), "-", "", "release", "not a folder")]
    problems: list[Problem] = []
    files = walk(root, problems)
    card = _guarded(problems, CARD_FILE, "card", lambda: _read_card(root, problems))  # None: unusable, reported
    readable: dict[str, list[str]] = {}  # config -> its files whose rows can be read
    joinable: set[str] = set()  # configs whose every file has the expected schema: their rows can be joined
    for config in CONFIGS:
        shards, wrong = shard_paths(config, list(files))
        problems.extend(Problem(f"{DATA_DIR}/{config}", "-", "", "arrow", message) for message in wrong)
        schema_ok = True
        stored = 0
        readable[config] = []
        for relative in shards:
            found = _guarded(problems, relative, "arrow", lambda: _check_config(
                root, config, relative, shards, card, problems, max_decoded_bytes, read_rows=rows_checked is None))
            if rows_checked is not None:
                schema_ok = schema_ok and found is not None
                stored += found or 0
                continue
            if found in {_SCHEMA_OK, _SCHEMA_DIFFERS}:
                readable[config].append(relative)
            schema_ok = schema_ok and found == _SCHEMA_OK
        if schema_ok:
            joinable.add(config)
        if rows_checked is not None and stored != rows_checked.get(config, 0):
            problems.append(Problem(f"{DATA_DIR}/{config}", "-", "", "arrow",
                                    f"the Parquet files hold {stored} rows, {rows_checked.get(config, 0)} were written"))
    if rows_checked is None:
        log = ProblemLog()
        _guarded(problems, DATA_DIR, "join", lambda: check_rows(root, readable, joinable, max_decoded_bytes, log))
        problems.extend(log.problems + log.summary())
    problems.extend(_guarded(problems, CHECKSUM_FILE, "checksum", lambda: _check_checksums(root, files)) or [])
    for config in CONFIGS:
        schema_file = f"{SCHEMA_DIR}/{config}.schema.json"
        _guarded(problems, schema_file, "schema", lambda: _check_schema_file(root, schema_file, config, problems))
    if RELEASE_MARKER in files:
        _guarded(problems, RELEASE_MARKER, "release", lambda: _check_marker(root, problems))
    return sorted(set(problems))


def _check_schema_file(root: Path, relative: str, config: str, problems: list[Problem]) -> None:
    """The release's JSON Schema of a config is JSON and is the schema this version generates (the one the
    rows were checked against)."""
    def problem(message: str) -> None:
        problems.append(Problem(relative, "-", "", "schema", message[:500]))

    try:
        schema = json.loads(read_text(root, relative))
    except NotReadable as exc:
        return problem(f"JSON Schema file {exc}")
    except (ValueError, RecursionError) as exc:
        return problem(f"JSON Schema file is not JSON: {exc}")
    if not isinstance(schema, dict):
        return problem(f"JSON Schema file holds {_kind(schema)}, expected a schema object")
    if schema != json_schema(config):
        problem(f"JSON Schema differs from the one newsfacts generates for {config!r}")


def _check_marker(root: Path, problems: list[Problem]) -> None:
    """The marker a build leaves in a release root is a JSON document."""
    try:
        json.loads(read_text(root, RELEASE_MARKER))
    except (NotReadable, ValueError, RecursionError) as exc:
        problems.append(Problem(RELEASE_MARKER, "-", "", "release", f"release marker is not readable JSON: {exc}"[:500]))


def _guarded(problems: list[Problem], file: str, rule: str, check: Callable[[], Any]) -> Any:
    """Run one check; an unforeseen failure on hostile input becomes a problem, never a traceback."""
    try:
        return check()
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - reported, with its type, as the file's problem
        problems.append(Problem(file, "-", "", rule, f"could not be checked: {type(exc).__name__}: {exc}"[:500]))
        return None


# ---- the card ---------------------------------------------------------------------------------------------


def _read_card(root: Path, problems: list[Problem]) -> dict[str, Any] | None:
    """The card's YAML metadata as a mapping, or None (with the problem reported) when there is none."""
    def problem(message: str, pointer: str = "") -> None:
        problems.append(Problem(CARD_FILE, "-", pointer, "card", message))
        return None

    try:
        text = read_text(root, CARD_FILE)
    except NotReadable as exc:
        return problem("the dataset card is missing" if str(exc) == "is missing" else f"the dataset card {exc}")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        return problem("no YAML metadata block at the top of the card")
    try:
        meta = yaml.safe_load(text[4 : text.index("\n---\n", 4)])
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - YAML errors, bad dates, nesting too deep
        return problem(f"YAML metadata does not parse: {type(exc).__name__}: {exc}"[:500])
    if not isinstance(meta, dict):
        return problem(f"YAML metadata is {_kind(meta)}, expected a mapping of card fields")
    return meta


def _kind(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number",
             bool: "a boolean", type(None): "empty"}
    return names.get(type(value), type(value).__name__)


def _listed(card: dict[str, Any], key: str, problems: list[Problem]) -> list[dict] | None:
    """card[key] as a list of mappings (entries of another kind are reported and skipped)."""
    value = card.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        problems.append(Problem(CARD_FILE, "-", f"/{key}", "card", f"{key} is {_kind(value)}, expected a list"))
        return []
    entries = []
    for i, entry in enumerate(value):
        if isinstance(entry, dict) and isinstance(entry.get("config_name"), str):
            entries.append(entry)
        else:
            problems.append(Problem(CARD_FILE, "-", f"/{key}/{i}", "card",
                                    f"entry is {_kind(entry)}, expected a mapping with a config_name"))
    return entries


def _check_card_config(config: str, card: dict[str, Any], schema, problems: list[Problem],
                       shards: list[str] | None = None) -> None:
    shards = shards or [parquet_path(config)]
    relative = shards[0] if len(shards) == 1 else config_glob(config)
    configs = _listed(card, "configs", problems) or []
    declared = {c["config_name"]: c for c in reversed(configs)}  # the first declaration wins
    if config not in declared:
        problems.append(Problem(CARD_FILE, "-", f"/configs/{config}", "card", f"config {config!r} is not declared"))
    else:
        data_files = declared[config].get("data_files", [])
        if not isinstance(data_files, list):
            problems.append(Problem(CARD_FILE, "-", f"/configs/{config}/data_files", "card",
                                    f"data_files is {_kind(data_files)}, expected a list of split and path"))
            data_files = []
        paths = [f.get("path") for f in data_files if isinstance(f, dict)]
        if relative not in paths:
            problems.append(Problem(CARD_FILE, "-", f"/configs/{config}/data_files", "card",
                                    f"expected data file {relative}, card lists {paths}"[:500]))
    if schema is None:
        return  # no readable Parquet schema to compare the declared features with
    infos = {i["config_name"]: i for i in reversed(_listed(card, "dataset_info", problems) or [])}
    if config not in infos:
        problems.append(Problem(CARD_FILE, "-", f"/dataset_info/{config}", "card", "no features declared"))
        return
    if _declares_generated_features(config, infos[config], schema):
        return  # datasets would read both as the same features
    from datasets import Features

    try:
        card_features = Features._from_yaml_list(infos[config]["features"])
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - any malformed feature list
        problems.append(Problem(CARD_FILE, "-", f"/dataset_info/{config}/features", "card",
                                f"features do not parse: {type(exc).__name__}: {exc}"[:500]))
        return
    try:
        matches = card_features == Features.from_arrow_schema(schema)
    except Exception as exc:  # noqa: BLE001 - a Parquet type with no datasets feature
        problems.append(Problem(relative, "-", "", "card", f"schema has no datasets features: {exc}"[:500]))
        return
    if not matches:
        problems.append(Problem(CARD_FILE, "-", f"/dataset_info/{config}/features", "card",
                                f"features declared for {config!r} differ from the Parquet file's schema"))


def _declares_generated_features(config: str, info: dict[str, Any], schema) -> bool:
    """Whether the card declares for `config` exactly the features this version writes (`known_card_features`,
    the same YAML, key order and types included) and the Parquet schema is exactly the generated one, without
    datasets features of its own in its metadata (`Features.from_arrow_schema` would read them): then the
    features match, as `datasets` would find, without importing it. Anything else is left to datasets."""
    known = known_card_features(config)
    if known is None or not _same_yaml(info.get("features"), known):
        return False
    if schema.metadata is not None and b"huggingface" in schema.metadata:
        return False
    return schema.equals(arrow_schema(config), check_metadata=False)


def _same_yaml(value: Any, expected: Any) -> bool:
    """`value == expected`, also in the order of mapping keys and in types (True is not 1 here)."""
    if type(value) is not type(expected):
        return False
    if isinstance(expected, dict):
        return list(value) == list(expected) and all(_same_yaml(value[key], expected[key]) for key in expected)
    if isinstance(expected, list):
        return len(value) == len(expected) and all(_same_yaml(v, e) for v, e in zip(value, expected))
    return value == expected


# ---- Parquet ---------------------------------------------------------------------------------------------


# What the first look at a Parquet file found (the rows are read later, by `stream.py`).
_SCHEMA_OK = "schema ok"
_SCHEMA_DIFFERS = "schema differs"  # its rows are checked against the JSON Schema, not joined


def _check_config(root: Path, config: str, relative: str, shards: list[str], card: dict[str, Any] | None,
                  problems: list[Problem], limit: int, *, read_rows: bool = True):
    """First look at one Parquet file of a config (`relative`, one of its `shards`): its footer, Arrow schema,
    card entry and declared sizes. Return whether its rows can be read and joined (`_SCHEMA_OK`), read only
    (`_SCHEMA_DIFFERS`) or not read at all (None: not Parquet, or larger than the limit). With `read_rows`
    false return instead the number of rows its metadata declares (None if its schema is not the expected
    one)."""
    try:
        handle = open_inside(root, relative)
    except NotReadable as exc:
        message = "Parquet file is missing" if str(exc) == "is missing" else f"Parquet file {exc}"
        problems.append(Problem(relative, "-", "", "arrow", message))
        if card is not None:
            _check_card_config(config, card, None, problems, shards)
        return None
    with handle:
        try:
            parquet = pq.ParquetFile(handle)
            schema = parquet.schema_arrow
        except Exception as exc:  # noqa: BLE001 - not Parquet, truncated, unreadable footer
            problems.append(Problem(relative, "-", "", "arrow", f"cannot read Parquet: {exc}"[:500]))
            if card is not None:
                _check_card_config(config, card, None, problems, shards)
            return None
        expected = arrow_schema(config)
        schema_ok = schema.equals(expected, check_metadata=False)
        if not schema_ok:
            problems.extend(_schema_differences(relative, schema, expected))
        if card is not None:
            _check_card_config(config, card, schema, problems, shards)
        if not read_rows:
            return parquet.metadata.num_rows if schema_ok else None
        over = declared_size_problem(relative, parquet, limit)
    if over is not None:
        problems.append(over)
        return None
    return _SCHEMA_OK if schema_ok else _SCHEMA_DIFFERS


def _schema_differences(file: str, actual, expected) -> list[Problem]:
    problems = []
    for field in expected:
        if field.name not in actual.names:
            problems.append(Problem(file, "-", f"/{field.name}", "arrow", "column is missing"))
        elif not actual.field(field.name).equals(field):
            problems.append(Problem(file, "-", f"/{field.name}", "arrow",
                                    f"column is {actual.field(field.name).type} (nullable={actual.field(field.name).nullable}), "
                                    f"expected {field.type} (nullable={field.nullable})"))
    for name in actual.names:
        if name not in expected.names:
            problems.append(Problem(file, "-", f"/{name}", "arrow", "unexpected column"))
    if not problems:
        problems.append(Problem(file, "-", "", "arrow", "column order differs from the generated schema"))
    return problems


def _check_checksums(root: Path, files: dict[str, Path]) -> list[Problem]:
    """CHECKSUMS.sha256 in `sha256sum` format lists every regular file of the release (the marker may be
    left out) with its current hash, and nothing else."""
    try:
        text = read_text(root, CHECKSUM_FILE)
    except NotReadable as exc:
        message = "checksum file is missing" if str(exc) == "is missing" else f"checksum file {exc}"
        return [Problem(CHECKSUM_FILE, "-", "", "checksum", message)]
    problems: list[Problem] = []
    listed: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _SHA256_LINE.fullmatch(line)
        if match is None:
            problems.append(Problem(CHECKSUM_FILE, f"line {number}", "", "checksum",
                                    f"not a '<sha256>  <file>' line: {line[:80]!r}"))
            continue
        digest, name = match.group(1).lower(), match.group(2)
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or name != path.as_posix():
            problems.append(Problem(CHECKSUM_FILE, f"line {number}", "", "checksum",
                                    f"{name[:80]!r} is not a plain path inside the release"))
            continue
        if name in listed:
            problems.append(Problem(CHECKSUM_FILE, f"line {number}", "", "checksum", f"{name[:80]!r} is listed twice"))
        listed[name] = digest
    present = {name: path for name, path in files.items() if name != CHECKSUM_FILE}
    for name in present:
        if name not in listed:
            if name != RELEASE_MARKER:
                problems.append(Problem(name, "-", "", "checksum", f"file is not listed in {CHECKSUM_FILE}"))
            continue
        try:
            actual = sha256_inside(root, name)
        except NotReadable as exc:
            problems.append(Problem(name, "-", "", "checksum", f"file {exc}"))
            continue
        if actual != listed[name]:
            problems.append(Problem(name, "-", "", "checksum", f"sha256 differs from {CHECKSUM_FILE}"))
    for name in listed:
        if name not in present and name != CHECKSUM_FILE:
            problems.append(Problem(name, "-", "", "checksum", f"listed in {CHECKSUM_FILE} but missing"))
    return problems
