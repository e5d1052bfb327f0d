"""Schema compatibility: every difference between two row schemas, classified by semver.

The rule is the dataset reader's: a release is read by people and programs that select columns, filter on
values and rely on a field being there with a value of its type. A change is

  MAJOR  when something a reader could rely on is gone or now means something else:
         a field removed or renamed (a removed field and an added one of the same shape count as a rename),
         a field retyped (integer -> number included), a field that may now be null or missing, an enum
         value removed, a config removed;
  MINOR  when the release offers more without taking anything away: a field added (whether or not every
         row carries it: for a reader a new column is additive; it is a break only for a program that
         *writes* rows against the schema, which the dataset's users do not), a field made required or
         never-null, an enum value added, a value constraint (minimum, maximum, pattern, ...) changed,
         a config added;
  PATCH  when only the words changed: description, title, default (annotations no reader's code depends on).

A schema is read from a release's `schema/*.schema.json` (JSON Schema, `$ref`s followed) or from a Parquet
file's Arrow schema (`arrow_as_json_schema`), so both compare in one vocabulary. Changes are reported with
the JSON pointer of the field in the schema with its references inlined, e.g. `/properties/cleaning` or
`/properties/entities/items/properties/mentions/items/properties/caption`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import pyarrow as pa


class Level(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class SchemaChange:
    config: str
    pointer: str
    level: Level
    kind: str  # removed, renamed, retyped, nullable, optional, enum, added, required, constraint, annotation, config
    message: str

    def __str__(self) -> str:
        return f"{self.config}: {self.level}: {self.pointer or '/'}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"config": self.config, "pointer": self.pointer, "level": str(self.level), "kind": self.kind,
                "message": self.message}


class SchemaUnreadable(ValueError):
    """A schema that cannot be compared (a `$ref` that leads nowhere, not an object, ...)."""


ANNOTATIONS = {"description", "title", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly"}
# Keywords that identify a schema document rather than describe rows; they change with every version.
IDENTITY = {"$id", "$schema", "$defs", "definitions", "x-newsfacts-schema-version"}
STRUCTURE = {"type", "anyOf", "oneOf", "properties", "required", "items", "additionalProperties", "enum",
             "const", "$ref"}
_MAX_DEPTH = 64


def compare_schemas(config: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """Every difference between two JSON Schemas of one config's rows, most severe first."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        raise SchemaUnreadable("a schema must be a JSON object")
    out: list[SchemaChange] = []
    _compare(_Node(old, old), _Node(new, new), "", config, out, 0)
    return sorted(set(out), key=lambda c: (-c.level, c.pointer, c.kind))


def highest_level(changes: list[SchemaChange]) -> Level:
    return max((c.level for c in changes), default=Level.NONE)


def released_majors(schema_root: Path) -> dict[int, Path]:
    """The `schema/vN` folders: the schema each major version N was released with (at N.0.0)."""
    found = {}
    for folder in Path(schema_root).glob("v*"):
        match = re.fullmatch(r"v(\d+)", folder.name)
        if match and folder.is_dir():
            found[int(match.group(1))] = folder
    return dict(sorted(found.items()))


def major_compatibility_problems(schema_root: Path, version: str, current: dict[str, dict[str, Any]]) -> list[str]:
    """Why `current` (config -> JSON Schema) may not carry `version`, judged against the schema its major
    version was released with (`schema/vN`); empty when it may.

    A MAJOR difference from `schema/vN` needs version N+1.0.0, released with a new `schema/vN+1` snapshot."""
    match = re.match(r"v?(\d+)\.\d+\.\d+", version)
    if not match:
        return [f"version {version!r} is not semver"]
    major = int(match.group(1))
    majors = released_majors(schema_root)
    if major not in majors:
        released = ", ".join(f"v{m}" for m in majors) or "none"
        return [f"version {version} has no snapshot {Path(schema_root).name}/v{major} (released: {released}); "
                f"releasing {major}.0.0 adds it: newsfacts schema --output {Path(schema_root).name}/v{major}"]
    problems = []
    for config, schema in current.items():
        path = majors[major] / f"{config}.schema.json"
        if not path.is_file():
            continue  # a config added in a minor version
        try:
            changes = compare_schemas(config, json.loads(path.read_text(encoding="utf-8")), schema)
        except (OSError, ValueError) as exc:
            problems.append(f"{path}: cannot compare: {exc}")
            continue
        problems += [f"{c} (not allowed in {major}.x: needs {major + 1}.0.0)"
                     for c in changes if c.level == Level.MAJOR]
    for path in sorted(majors[major].glob("*.schema.json")):
        config = path.name.removesuffix(".schema.json")
        if config not in current:
            problems.append(f"{config}: config released in v{major} is gone (not allowed in {major}.x)")
    return problems


@dataclass(frozen=True)
class _Node:
    """A schema node and the document its `$ref`s resolve in."""

    schema: Any
    root: dict[str, Any]

    def resolved(self, chain: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The node with `$ref`s inlined (sibling keywords win), `type: [X, null]` and `anyOf: [X, null]`
        folded into X plus `nullable`."""
        node = self.schema if isinstance(self.schema, dict) else {}
        for _ in range(_MAX_DEPTH):
            ref = node.get("$ref")
            if not isinstance(ref, str):
                break
            if ref in chain:
                raise SchemaUnreadable(f"$ref {ref} refers to itself")
            chain = chain | {ref}
            node = {**_pointer(self.root, ref), **{k: v for k, v in node.items() if k != "$ref"}}
        node = dict(node)
        nullable = False
        types = node.get("type")
        if isinstance(types, list) and "null" in types:
            rest = [t for t in types if t != "null"]
            node["type"] = rest[0] if len(rest) == 1 else rest
            nullable = True
        branches = node.get("anyOf", node.get("oneOf"))
        if isinstance(branches, list):
            views = [_Node(b, self.root).resolved(chain) for b in branches]
            others = [v for v in views if not (v.get("type") is None and v.get("nullable"))]
            nullable = nullable or len(others) < len(views)
            if len(others) == 1:
                node = {**others[0], **{k: v for k, v in node.items() if k not in {"anyOf", "oneOf"}}}
                nullable = nullable or others[0].get("nullable", False)
            else:
                node["anyOf"] = others
                node.pop("oneOf", None)
        if node.get("type") == "null":
            node.pop("type")
            nullable = True
        node["nullable"] = nullable
        return node


def _pointer(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#"):
        raise SchemaUnreadable(f"$ref {ref} is not inside the schema file")
    node: Any = root
    for part in [p for p in ref[1:].split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise SchemaUnreadable(f"$ref {ref} leads nowhere")
    if not isinstance(node, dict):
        raise SchemaUnreadable(f"$ref {ref} is not a schema")
    return node


def _type_name(node: dict[str, Any]) -> str:
    if "anyOf" in node:
        return "any of " + ", ".join(_type_name(b) for b in node["anyOf"])
    types = node.get("type")
    if isinstance(types, list):
        return " or ".join(sorted(str(t) for t in types))
    if types is None:
        return "object" if "properties" in node else "any"
    return str(types)


def _shape(node: _Node, depth: int = 0) -> Any:
    """The node's structure without annotations, references inlined: equal shapes are the same field."""
    view = node.resolved()
    if depth > _MAX_DEPTH:
        raise SchemaUnreadable("schema is nested too deeply")
    shape: dict[str, Any] = {}
    for key, value in sorted(view.items()):
        if key in ANNOTATIONS or key in IDENTITY:
            continue
        if key == "properties" and isinstance(value, dict):
            shape[key] = {k: _shape(_Node(v, node.root), depth + 1) for k, v in sorted(value.items())}
        elif key in {"items", "additionalProperties"} and isinstance(value, dict):
            shape[key] = _shape(_Node(value, node.root), depth + 1)
        elif key == "anyOf":
            shape[key] = [_shape(_Node(b, node.root), depth + 1) for b in value]
        else:
            shape[key] = value
    return shape


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _compare(old: _Node, new: _Node, pointer: str, config: str, out: list[SchemaChange], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise SchemaUnreadable("schema is nested too deeply")
    o, n = old.resolved(), new.resolved()

    def change(level: Level, kind: str, message: str, where: str = pointer) -> None:
        out.append(SchemaChange(config, where, level, kind, message))

    if _type_name(o) != _type_name(n) or ("anyOf" in o) != ("anyOf" in n):
        change(Level.MAJOR, "retyped", f"type changed from {_type_name(o)} to {_type_name(n)}")
        return
    if "anyOf" in o and _canonical(_shape(old)) != _canonical(_shape(new)):
        change(Level.MAJOR, "retyped", "the union of types changed")
        return
    if o["nullable"] != n["nullable"]:
        if n["nullable"]:
            change(Level.MAJOR, "nullable", "may now be null (readers that relied on a value break)")
        else:
            change(Level.MINOR, "nullable", "is never null now")
    old_enum, new_enum = _enum(o), _enum(n)
    if old_enum is not None and new_enum is not None:
        removed = sorted(old_enum.keys() - new_enum.keys())
        added = sorted(new_enum.keys() - old_enum.keys())
        if removed:
            change(Level.MAJOR, "enum", f"enum values removed: {', '.join(old_enum[k] for k in removed)}")
        if added:
            change(Level.MINOR, "enum", f"enum values added: {', '.join(new_enum[k] for k in added)}")
    elif (old_enum is None) != (new_enum is None):
        change(Level.MINOR, "constraint", "enum " + ("introduced" if new_enum is not None else "dropped"))
    for key in sorted((o.keys() | n.keys()) - STRUCTURE - IDENTITY - {"nullable"}):
        if _canonical(o.get(key)) == _canonical(n.get(key)):
            continue
        if key in ANNOTATIONS:
            change(Level.PATCH, "annotation", f"{key} changed")
        else:
            change(Level.MINOR, "constraint", f"{key} changed from {o.get(key)!r} to {n.get(key)!r}")
    _compare_properties(old, new, o, n, pointer, config, out, depth)
    for key in ("items", "additionalProperties"):
        ov, nv = o.get(key), n.get(key)
        if isinstance(ov, dict) and isinstance(nv, dict):
            _compare(_Node(ov, old.root), _Node(nv, new.root), f"{pointer}/{key}", config, out, depth + 1)
        elif _canonical(ov) != _canonical(nv) and key == "additionalProperties":
            change(Level.MINOR, "constraint", f"additionalProperties changed from {ov!r} to {nv!r}")
        elif _canonical(ov) != _canonical(nv):
            change(Level.MAJOR, "retyped", "the type of the items changed")


def _enum(node: dict[str, Any]) -> dict[str, str] | None:
    values = node["enum"] if isinstance(node.get("enum"), list) else [node["const"]] if "const" in node else None
    return None if values is None else {_canonical(v): _canonical(v) for v in values}


def _compare_properties(old: _Node, new: _Node, o: dict, n: dict, pointer: str, config: str,
                        out: list[SchemaChange], depth: int) -> None:
    op, np_ = o.get("properties"), n.get("properties")
    op = op if isinstance(op, dict) else {}
    np_ = np_ if isinstance(np_, dict) else {}
    o_required = set(o.get("required") or []) if isinstance(o.get("required"), list) else set()
    n_required = set(n.get("required") or []) if isinstance(n.get("required"), list) else set()
    removed = [k for k in op if k not in np_]
    added = [k for k in np_ if k not in op]
    added_shapes = {k: _canonical(_shape(_Node(np_[k], new.root))) for k in added}
    for name in removed:
        where = f"{pointer}/properties/{_escape(name)}"
        shape = _canonical(_shape(_Node(op[name], old.root)))
        twin = next((k for k in added if added_shapes.get(k) == shape), None)
        if twin is not None:
            added.remove(twin)
            out.append(SchemaChange(config, where, Level.MAJOR, "renamed",
                                    f"field {name!r} renamed to {twin!r} (removed, and added with the same type)"))
        else:
            out.append(SchemaChange(config, where, Level.MAJOR, "removed", f"field {name!r} removed"))
    for name in added:
        where = f"{pointer}/properties/{_escape(name)}"
        view = _Node(np_[name], new.root).resolved()
        presence = "in every row" if name in n_required else "optional"
        nulls = ", may be null" if view["nullable"] else ""
        out.append(SchemaChange(config, where, Level.MINOR, "added",
                                f"field {name!r} added ({_type_name(view)}, {presence}{nulls})"))
    for name in op:
        if name not in np_:
            continue
        where = f"{pointer}/properties/{_escape(name)}"
        if name in o_required and name not in n_required:
            out.append(SchemaChange(config, where, Level.MAJOR, "optional",
                                    f"field {name!r} may now be missing from a row"))
        elif name in n_required and name not in o_required:
            out.append(SchemaChange(config, where, Level.MINOR, "required", f"field {name!r} is now in every row"))
        _compare(_Node(op[name], old.root), _Node(np_[name], new.root), where, config, out, depth + 1)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def arrow_as_json_schema(schema: pa.Schema) -> dict[str, Any]:
    """A Parquet file's Arrow schema in JSON Schema terms (types, nullability, nesting; no enums or words)."""
    return {"type": "object", "properties": {f.name: _arrow_field(f) for f in schema},
            "required": sorted(schema.names)}


def _arrow_field(field: pa.Field) -> dict[str, Any]:
    node = _arrow_type(field.type)
    return {"anyOf": [node, {"type": "null"}]} if field.nullable else node


def _arrow_type(kind: pa.DataType) -> dict[str, Any]:
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return {"type": "string"}
    if pa.types.is_integer(kind):
        return {"type": "integer"}
    if pa.types.is_floating(kind):
        return {"type": "number"}
    if pa.types.is_boolean(kind):
        return {"type": "boolean"}
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return {"type": "array", "items": _arrow_field(kind.value_field)}
    if pa.types.is_struct(kind):
        fields = [kind.field(i) for i in range(kind.num_fields)]
        return {"type": "object", "properties": {f.name: _arrow_field(f) for f in fields},
                "required": sorted(f.name for f in fields)}
    return {"type": f"arrow:{kind}"}
