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


def test_the_card_features_copy_is_what_datasets_writes():
    """data/card_features.json lets `newsfacts validate` check a card without importing datasets."""
    from datasets import Features

    from newsfacts.release.schema import CARD_FEATURES_FILE, card_features, card_features_copy, known_card_features

    stored = json.loads((REPO / "src" / "newsfacts" / "data" / CARD_FEATURES_FILE).read_text("utf-8"))
    assert stored == card_features_copy(), (
        f"src/newsfacts/data/{CARD_FEATURES_FILE} is out of date: run `python scripts/card_features.py`")
    for config in CONFIGS:
        copied = known_card_features(config)
        assert copied == features(config)._to_yaml_list() == card_features(config)
        # what validate relies on: datasets reads the copy back as the features of the Arrow schema
        assert Features._from_yaml_list(copied) == Features.from_arrow_schema(arrow_schema(config))


def test_the_card_features_copy_holds_only_for_its_datasets_version_and_schemas(monkeypatch):
    from newsfacts.release import schema

    assert schema.known_card_features("figures") is not None
    stored = dict(schema._stored_card_features())
    monkeypatch.setattr(schema, "_stored_card_features", lambda: {**stored, "installed": "0.0.1"})
    assert schema.known_card_features("figures") is None
    monkeypatch.setattr(schema, "_stored_card_features", lambda: stored)
    monkeypatch.setattr(schema, "arrow_schema_digest", lambda config: "another schema")
    assert schema.known_card_features("figures") is None
