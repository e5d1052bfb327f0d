"""The two-step row check: the fast validator must reject every row the full `jsonschema` check rejects."""

from __future__ import annotations

import copy
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfacts.models import CONFIGS
from newsfacts.release.validate.rows import RowSchema, row_schema_problems

DATASET = Path(__file__).resolve().parents[3] / "dataset"

# Values of every JSON type (and a few Python values the rows can hold), to put where another type belongs.
REPLACEMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False), st.text(max_size=20),
    st.just([]), st.just({}), st.lists(st.integers(), max_size=2), st.just({"start": "0"}),
    st.just("not-a-hex-id"), st.just("2024-13-45"), st.just(1.5), st.just(-1),
)


def first_rows(config: str) -> list[dict]:
    rows = []
    for shard in sorted((DATASET / "data" / config).glob("*.parquet")):
        rows.extend(pq.read_table(shard).to_pylist())
        if len(rows) >= 3:
            break
    return rows[:3]


def paths(value, prefix=()):
    """Every (path, value) inside a row: dict keys and list positions."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            yield from paths(item, prefix + (index,))


def assign(row, path, value, delete=False):
    target = row
    for step in path[:-1]:
        target = target[step]
    if delete:
        del target[path[-1]]
    elif isinstance(target, list) or path[-1] in target:
        target[path[-1]] = value
    return row


@pytest.mark.parametrize("config", CONFIGS)
def test_the_committed_rows_pass_both_checks(config):
    schema = RowSchema(config)
    for number, row in enumerate(first_rows(config)):
        assert schema.fast.is_valid(row)
        assert row_schema_problems(schema.full, "f", config, row, number) == []


@pytest.mark.parametrize("config", CONFIGS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_broken_row_gets_the_full_checks_problems(config, data):
    rows = first_rows(config)
    if not rows:
        pytest.skip(f"the committed release has no {config} rows")
    row = copy.deepcopy(data.draw(st.sampled_from(rows)))
    path, _ = data.draw(st.sampled_from([p for p in paths(row) if p[0]]))
    action = data.draw(st.sampled_from(["replace", "delete", "extra"]))
    if action == "delete" and not isinstance(path[-1], int):
        assign(row, path, None, delete=True)
    elif action == "extra":
        parent = row
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict):
            parent["unexpected_field"] = 1
    else:
        assign(row, path, data.draw(REPLACEMENTS))
    schema = RowSchema(config)
    expected = row_schema_problems(schema.full, "f", config, row, 0)
    # never more lenient than the full check, and a rejected row gets exactly the full check's problems
    assert schema.problems("f", row, 0) == expected
    if expected:
        assert not schema.fast.is_valid(row)


def test_a_worker_finds_an_article_whose_rows_break_a_rule():
    """`article_rows_pass`: the rules of `RowChecker.article` but the order of ids, for a worker's article."""
    from newsfacts.release.rows import ARTICLE_ROWS
    from newsfacts.release.validate.rows import article_rows_pass

    articles = first_rows("articles")
    if not articles:
        pytest.skip("the committed release has no articles")
    from newsfacts.models import Article

    article = Article.model_validate(articles[0])
    rows = {config: build(article) for config, build in ARTICLE_ROWS.items()}
    assert article_rows_pass(rows)
    broken = copy.deepcopy(rows)
    broken["quotes"][0]["text"] = broken["quotes"][0]["text"] + " (edited)"  # no longer the text at its offsets
    assert not article_rows_pass(broken)
    broken = copy.deepcopy(rows)
    broken["figures"][0]["value"] = "many"  # not a number
    assert not article_rows_pass(broken)
