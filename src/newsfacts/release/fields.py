"""The columns of every config as a tree of described fields, generated from the pydantic models.

Both the Croissant metadata (`croissant.py`) and the dataset card's field tables (`card.py`) are written from
this tree, so a field added to `newsfacts.models` appears in both with its type and description. The column
order is the Parquet files' (`schema.arrow_schema`).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from newsfacts.models import CONFIGS
from newsfacts.release.schema import _strip_optional, arrow_schema


@dataclass(frozen=True)
class ColumnField:
    """One column, or one member of a struct column (`path` is dotted: 'speaker.mention.text')."""

    path: str
    kind: str  # 'text', 'integer', 'float', 'boolean' or 'struct'
    is_list: bool  # a list of `kind` (a list of structs for kind 'struct')
    nullable: bool
    description: str  # from the model's Field description, else the nested model's docstring; may be ''
    choices: tuple[str, ...] = ()  # the allowed values of a string enumeration (Literal)
    children: tuple[ColumnField, ...] = ()

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def walk(self) -> typing.Iterator[ColumnField]:
        yield self
        for child in self.children:
            yield from child.walk()


def config_fields(config: str) -> list[ColumnField]:
    """The top-level columns of `config` in Parquet order, each with its nested members."""
    model = CONFIGS[config]
    hints = typing.get_type_hints(model)
    return [_field(name, hints[name], model.model_fields[name], "") for name in arrow_schema(config).names]


def _field(name: str, annotation: Any, info: FieldInfo, prefix: str) -> ColumnField:
    path = f"{prefix}{name}"
    inner, nullable = _strip_optional(annotation)
    is_list = get_origin(inner) is list
    if is_list:
        (inner,) = get_args(inner)
        inner, _ = _strip_optional(inner)
    description = (info.description or "").strip()
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        hints = typing.get_type_hints(inner)
        children = tuple(_field(n, hints[n], f, f"{path}.") for n, f in inner.model_fields.items())
        return ColumnField(path, "struct", is_list, nullable, description or _docstring(inner), children=children)
    if get_origin(inner) is Literal:
        return ColumnField(path, "text", is_list, nullable, description, choices=tuple(get_args(inner)))
    kinds = {str: "text", int: "integer", float: "float", bool: "boolean"}
    if inner not in kinds:
        raise TypeError(f"{path}: no column kind for {inner!r}")
    return ColumnField(path, kinds[inner], is_list, nullable, description)


def _docstring(model: type[BaseModel]) -> str:
    doc = (model.__doc__ or "").strip()
    # pydantic gives undocumented models its own BaseModel docstring
    if not doc or doc == (BaseModel.__doc__ or "").strip():
        return ""
    return " ".join(doc.split("\n\n")[0].split())


def full_description(field: ColumnField) -> str:
    """The description with what the type says: allowed values, and whether it may be null."""
    parts = [field.description] if field.description else []
    if field.choices:
        parts.append("One of: " + ", ".join(f"'{c}'" for c in field.choices) + ".")
    if field.nullable:
        parts.append("May be null.")
    return " ".join(parts)
