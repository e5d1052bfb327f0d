"""The committed schema/ and the release card are generated from the models; drift fails here."""

import json

import pyarrow as pa
import pytest
from jsonschema import Draft202012Validator

from newsfacts.models import CONFIGS
from newsfacts.release.schema import arrow_schema, features, json_schema, write_json_schemas
from tests_paths import REPO


@pytest.mark.parametrize("config", list(CONFIGS))
def test_committed_json_schema_matches_models(config, tmp_path):
    write_json_schemas(tmp_path)
    committed = REPO / "schema" / f"{config}.schema.json"
    assert committed.is_file(), f"schema/{config}.schema.json missing: run `newsfacts schema --output schema`"
    assert json.loads(committed.read_text()) == json.loads((tmp_path / f"{config}.schema.json").read_text()), (
        f"schema/{config}.schema.json drifted from the models: run `newsfacts schema --output schema`"
    )


@pytest.mark.parametrize("config", list(CONFIGS))
def test_json_schema_is_valid_and_strict(config):
    schema = json_schema(config)
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])


def test_arrow_types_follow_the_models():
    schema = arrow_schema("articles")
    assert schema.field("id").type == pa.string() and not schema.field("id").nullable
    assert schema.field("title").nullable
    quotes = schema.field("quotes").type
    assert pa.types.is_list(quotes) and pa.types.is_struct(quotes.value_type)
    start = quotes.value_type.field("start")
    assert start.type == pa.int64() and not start.nullable
    assert arrow_schema("quotes").names[:2] == ["article_id", "index"]


def test_features_derive_from_arrow():
    from datasets import Features

    assert features("figures") == Features.from_arrow_schema(arrow_schema("figures"))
