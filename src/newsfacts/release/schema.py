"""Everything schema-shaped is generated here from the pydantic models in `newsfacts.models`.

* JSON Schema (draft 2020-12) per config: what `newsfacts validate` and users' CI check rows against.
* Arrow schema per config: what the Parquet files are written with (and compared against on validation).
* `datasets.Features` per config: what the dataset card declares. `newsfacts validate` compares a card with
  the copy of them in `data/card_features.json` (`card_features_copy`) instead of importing datasets.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.metadata
import json
import types
import typing
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import pyarrow as pa
from pydantic import BaseModel

from newsfacts import __version__
from newsfacts.models import CONFIGS, ROW_KEY_FIELDS, SCHEMA_VERSION

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE_ID = "https://newsfacts.dev/schema"


def json_schema(config: str) -> dict[str, Any]:
    """The JSON Schema of one row of `config`. Every field is required (nullable ones may be null)."""
    model = CONFIGS[config]
    schema = model.model_json_schema(mode="serialization")
    schema = _require_all(schema)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{SCHEMA_BASE_ID}/{SCHEMA_VERSION}/{config}.schema.json",
        "title": f"newsfacts {config} row",
        "description": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else config,
        "x-newsfacts-schema-version": SCHEMA_VERSION,
        **{k: v for k, v in schema.items() if k not in {"title", "description"}},
    }


def _require_all(node: Any) -> Any:
    # Rows are written with every column present, so a missing key is an error, not a default.
    if isinstance(node, dict):
        node = {k: _require_all(v) for k, v in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node["required"] = sorted(node["properties"])
        return node
    if isinstance(node, list):
        return [_require_all(v) for v in node]
    return node


def arrow_schema(config: str) -> pa.Schema:
    model = CONFIGS[config]
    metadata = {b"newsfacts.config": config.encode(), b"newsfacts.schema_version": SCHEMA_VERSION.encode()}
    fields = _arrow_fields(model)
    fields.sort(key=lambda f: ROW_KEY_FIELDS.index(f.name) if f.name in ROW_KEY_FIELDS else len(ROW_KEY_FIELDS))
    return pa.schema(fields, metadata=metadata)


def _arrow_fields(model: type[BaseModel]) -> list[pa.Field]:
    hints = typing.get_type_hints(model)
    return [_arrow_field(name, hints[name]) for name in model.model_fields]


def _arrow_field(name: str, annotation: Any) -> pa.Field:
    inner, nullable = _strip_optional(annotation)
    return pa.field(name, _arrow_type(inner), nullable=nullable)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != len(get_args(annotation)):
            if len(args) != 1:
                raise TypeError(f"unsupported union {annotation!r}")
            return args[0], True
    return annotation, False


def _arrow_type(annotation: Any) -> pa.DataType:
    origin = get_origin(annotation)
    if annotation is str:
        return pa.string()
    if annotation is bool:
        return pa.bool_()
    if annotation is int:
        return pa.int64()
    if annotation is float:
        return pa.float64()
    if origin is Literal:
        if not all(isinstance(v, str) for v in get_args(annotation)):
            raise TypeError(f"only string literals are supported: {annotation!r}")
        return pa.string()
    if origin is list:
        (item,) = get_args(annotation)
        inner, nullable = _strip_optional(item)
        return pa.list_(pa.field("item", _arrow_type(inner), nullable=nullable))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(_arrow_fields(annotation))
    raise TypeError(f"no Arrow type for {annotation!r}")


def features(config: str):
    """The `datasets.Features` of one config, derived from its Arrow schema."""
    from datasets import Features

    return Features.from_arrow_schema(arrow_schema(config))


# The features each config's card declares, as datasets writes them (`features(config)._to_yaml_list()`), copied
# by scripts/card_features.py: importing datasets takes a command about half a second, which `newsfacts
# validate` (run in users' CI on every commit) and an up-to-date build otherwise spend on the card alone. The
# copy holds for one datasets version and for the Arrow schemas it was made from; tests/release/test_schema.py
# fails when it is out of date.
CARD_FEATURES_FILE = "card_features.json"


def arrow_schema_digest(config: str) -> str:
    """The sha256 of `config`'s Arrow schema as text (field names, types, nullability and metadata)."""
    text = arrow_schema(config).to_string(truncate_metadata=False, show_field_metadata=True, show_schema_metadata=True)
    return hashlib.sha256(text.encode()).hexdigest()


def card_features_copy() -> dict[str, Any]:
    """What data/card_features.json holds: the datasets version and, per config, its Arrow schema's digest and
    the features its card declares."""
    return {
        "datasets": importlib.metadata.version("datasets"),
        "configs": {config: {"arrow_schema": arrow_schema_digest(config), "features": features(config)._to_yaml_list()}
                    for config in CONFIGS},
    }


@functools.lru_cache(maxsize=1)
def _stored_card_features() -> dict[str, Any]:
    try:
        stored = json.loads(resources.files("newsfacts.data").joinpath(CARD_FEATURES_FILE).read_text("utf-8"))
        stored["installed"] = importlib.metadata.version("datasets")
    except (OSError, ValueError, TypeError, importlib.metadata.PackageNotFoundError):
        return {}
    return stored


def known_card_features(config: str) -> list | None:
    """`features(config)._to_yaml_list()` without importing datasets: the copy in data/card_features.json, or
    None when it does not hold (another datasets version is installed, or the config's schema changed since)."""
    stored = _stored_card_features()
    if not stored or stored.get("datasets") != stored.get("installed"):
        return None
    entry = stored.get("configs", {}).get(config)
    if not isinstance(entry, dict) or entry.get("arrow_schema") != arrow_schema_digest(config):
        return None
    return entry.get("features")


def card_features(config: str) -> list:
    """The features `config`'s dataset card declares: `features(config)._to_yaml_list()`, from the copy when it
    holds (a build that writes a release then needs datasets no more than validate does)."""
    known = known_card_features(config)
    return copy.deepcopy(known) if known is not None else features(config)._to_yaml_list()


def write_json_schemas(folder: Path) -> list[Path]:
    """Write one JSON Schema file per config into `folder` (the committed `schema/` or a release)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for config in CONFIGS:
        path = folder / f"{config}.schema.json"
        path.write_text(json.dumps(json_schema(config), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


def versions() -> dict[str, str]:
    return {"package": __version__, "dataset": __version__, "schema": SCHEMA_VERSION}
