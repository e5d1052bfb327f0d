"""Schema changes classified by the reader's rule, and the schema of each released major version."""

import copy
import json

import pyarrow as pa
import pytest

from newsfacts import __version__
from newsfacts.models import CONFIGS
from newsfacts.release.compat import (Level, SchemaUnreadable, arrow_as_json_schema, compare_schemas,
                                      major_compatibility_problems, released_majors)
from newsfacts.release.schema import arrow_schema, json_schema
from tests_paths import REPO

BASE = {
    "type": "object",
    "additionalProperties": False,
    "$defs": {
        "Span": {"type": "object", "description": "A span.",
                 "properties": {"start": {"type": "integer", "minimum": 0}, "text": {"type": "string"}},
                 "required": ["start", "text"]},
    },
    "properties": {
        "id": {"type": "string", "description": "The id."},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "title": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "spans": {"type": "array", "items": {"$ref": "#/$defs/Span"}},
    },
    "required": ["id", "kind", "title", "spans"],
}


def changed(edit):
    new = copy.deepcopy(BASE)
    edit(new)
    return compare_schemas("articles", BASE, new)


def only(changes):
    assert len(changes) == 1, changes
    return changes[0]


def test_identical_schemas_have_no_changes():
    assert compare_schemas("articles", BASE, copy.deepcopy(BASE)) == []


def test_a_removed_field_is_major_with_its_pointer():
    change = only(changed(lambda s: s["properties"].pop("kind")))
    assert (change.level, change.kind, change.pointer) == (Level.MAJOR, "removed", "/properties/kind")


def test_a_field_removed_inside_a_referenced_definition_is_found_where_readers_see_it():
    def edit(s):
        del s["$defs"]["Span"]["properties"]["text"]
        s["$defs"]["Span"]["required"].remove("text")

    change = only(changed(edit))
    assert change.level == Level.MAJOR and change.pointer == "/properties/spans/items/properties/text"


def test_a_rename_is_major():
    def edit(s):
        s["properties"]["identifier"] = s["properties"].pop("id")
        s["required"] = ["identifier", "kind", "title", "spans"]

    change = only(changed(edit))
    assert (change.level, change.kind) == (Level.MAJOR, "renamed") and "'identifier'" in change.message


def test_a_retyped_field_is_major():
    change = only(changed(lambda s: s["$defs"]["Span"]["properties"]["start"].update(type="number")))
    assert (change.level, change.kind) == (Level.MAJOR, "retyped")
    assert "integer to number" in change.message


def test_a_field_that_may_now_be_null_or_missing_is_major():
    nullable = only(changed(lambda s: s["properties"].update(
        id={"anyOf": [{"type": "string"}, {"type": "null"}], "description": "The id."})))
    assert (nullable.level, nullable.kind) == (Level.MAJOR, "nullable")
    optional = only(changed(lambda s: s["required"].remove("id")))
    assert (optional.level, optional.kind) == (Level.MAJOR, "optional")


def test_enum_values_removed_are_major_and_added_are_minor():
    removed = only(changed(lambda s: s["properties"]["kind"].update(enum=["a"])))
    assert removed.level == Level.MAJOR and "b" in removed.message
    added = only(changed(lambda s: s["properties"]["kind"].update(enum=["a", "b", "c"])))
    assert added.level == Level.MINOR and "c" in added.message


def test_a_new_field_is_minor_even_when_every_row_carries_it():
    """The reader's rule: a new column is additive for everyone who reads the release."""
    def edit(s):
        s["properties"]["cleaning"] = {"type": "object", "properties": {"method": {"type": "string"}},
                                       "required": ["method"]}
        s["required"].append("cleaning")

    change = only(changed(edit))
    assert (change.level, change.kind, change.pointer) == (Level.MINOR, "added", "/properties/cleaning")
    assert "in every row" in change.message


def test_a_field_made_required_or_never_null_is_minor():
    def edit(s):
        s["properties"]["title"] = {"type": "string"}

    assert only(changed(edit)).level == Level.MINOR


def test_words_only_are_patch_and_identity_is_ignored():
    def edit(s):
        s["properties"]["id"]["description"] = "The article id."
        s["$id"] = "https://example.org/2"
        s["x-newsfacts-schema-version"] = "9.9.9"

    change = only(changed(edit))
    assert (change.level, change.kind) == (Level.PATCH, "annotation")


def test_a_changed_constraint_is_minor():
    change = only(changed(lambda s: s["$defs"]["Span"]["properties"]["start"].update(minimum=1)))
    assert (change.level, change.kind) == (Level.MINOR, "constraint")


def test_broken_references_are_unreadable_not_crashes():
    with pytest.raises(SchemaUnreadable):
        changed(lambda s: s["properties"]["spans"]["items"].update({"$ref": "#/$defs/Nowhere"}))
    loop = copy.deepcopy(BASE)
    loop["$defs"]["Span"] = {"$ref": "#/$defs/Span"}
    with pytest.raises(SchemaUnreadable):
        compare_schemas("articles", BASE, loop)


@pytest.mark.parametrize("config", list(CONFIGS))
def test_json_and_arrow_schemas_of_the_models_describe_the_same_fields(config):
    """The diff reads both; they must agree on a release the package wrote, or every release would 'change'."""
    as_json = json_schema(config)
    as_arrow = arrow_as_json_schema(arrow_schema(config))
    assert compare_schemas(config, as_arrow, as_arrow) == []
    structural = [c for c in compare_schemas(config, as_json, as_arrow) if c.level == Level.MAJOR]
    assert structural == []


def test_arrow_column_dropped_is_major():
    schema = arrow_schema("quotes")
    dropped = pa.schema([f for f in schema if f.name != "text"])
    change = only(compare_schemas("quotes", arrow_as_json_schema(schema), arrow_as_json_schema(dropped)))
    assert (change.level, change.pointer) == (Level.MAJOR, "/properties/text")


# The schema of each released major version ----------------------------------------------------------------

def test_schema_keeps_the_schema_of_each_released_major_version():
    majors = released_majors(REPO / "schema")
    assert 1 in majors, "schema/v1 (the schema 1.0.0 was released with) is missing"
    for major, folder in majors.items():
        for config in CONFIGS:
            path = folder / f"{config}.schema.json"
            if path.is_file():
                assert json.loads(path.read_text())["x-newsfacts-schema-version"] == f"{major}.0.0", (
                    f"{path} must stay the schema released with {major}.0.0")
        assert (folder / "articles.schema.json").is_file()


def test_the_current_schema_keeps_the_promises_of_its_major_version():
    """A MAJOR difference from schema/vN without a new major version fails here."""
    current = {config: json_schema(config) for config in CONFIGS}
    assert major_compatibility_problems(REPO / "schema", __version__, current) == []


def test_a_major_difference_without_a_major_bump_is_caught(tmp_path):
    current = {config: json_schema(config) for config in CONFIGS}
    del current["articles"]["properties"]["cleaning"]  # not in v1 anyway: adding then removing is minor vs v1
    del current["quotes"]["properties"]["speaker"]
    problems = major_compatibility_problems(REPO / "schema", "1.2.0", current)
    assert len(problems) == 1 and "/properties/speaker" in problems[0] and "2.0.0" in problems[0]
    assert major_compatibility_problems(REPO / "schema", "2.0.0", current)[0].startswith(
        "version 2.0.0 has no snapshot schema/v2")
    (tmp_path / "v2").mkdir()
    for config, schema in current.items():
        schema = {**schema, "x-newsfacts-schema-version": "2.0.0"}
        (tmp_path / "v2" / f"{config}.schema.json").write_text(json.dumps(schema))
    assert major_compatibility_problems(tmp_path, "2.0.0", current) == []
