"""The committed release in dataset/: equal to a fresh build, valid, and readable by the users' tools."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from newsfacts.models import CONFIGS
from newsfacts.release.validate import validate_release
from newsfacts.release.write import parquet_path, release_files
from tests_paths import COMMITTED_RELEASE, REPO


def test_committed_release_equals_a_fresh_build(seed_release):
    fresh = {name: path.read_bytes() for name, path in release_files(seed_release)}
    committed = {name: path.read_bytes() for name, path in release_files(COMMITTED_RELEASE)}
    assert sorted(committed) == sorted(fresh), "rebuild with scripts/build.sh and commit dataset/"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"dataset/ is stale ({stale}): rebuild with scripts/build.sh and commit it"


def test_committed_release_validates():
    problems = validate_release(COMMITTED_RELEASE)
    assert not problems, "\n".join(map(str, problems))


def test_span_invariant_over_the_whole_dataset():
    # Independent of the validator: read the Parquet files and check every span directly.
    articles = {r["id"]: r for r in pq.read_table(COMMITTED_RELEASE / parquet_path("articles")).to_pylist()}
    checked = 0
    def source_text(article, item):
        # A figure or entity mention read from a photo caption points into that caption's text.
        return article["captions"][item["caption"]]["text"] if item.get("caption") is not None else article["text"]

    for article in articles.values():
        text = article["text"]
        spans = [(text, s) for s in article["quotes"]]
        spans += [(source_text(article, m), m) for e in article["entities"] for m in e["mentions"]]
        spans += [(text, q["speaker"]["mention"]) for q in article["quotes"] if q["speaker"] and q["speaker"]["mention"]]
        spans += [(text, q["cue"]) for q in article["quotes"] if q["cue"]]
        spans += [(source_text(article, f), f) for f in article["figures"]]
        spans += [(source_text(article, f), f["claimant"]["mention"]) for f in article["figures"]
                  if f["claimant"] and f["claimant"]["mention"]]
        for source, span in spans:
            assert source[span["start"] : span["end"]] == span["text"], (article["id"], span)
            checked += 1
    for config in ("quotes", "figures"):
        for row in pq.read_table(COMMITTED_RELEASE / parquet_path(config)).to_pylist():
            assert source_text(articles[row["article_id"]], row)[row["start"] : row["end"]] == row["text"]
            checked += 1
    for row in pq.read_table(COMMITTED_RELEASE / parquet_path("entities")).to_pylist():
        for mention in row["mentions"]:
            assert source_text(articles[row["article_id"]], mention)[mention["start"]:mention["end"]] == mention["text"]
            checked += 1
    assert any(m["caption"] is not None for a in articles.values() for e in a["entities"] for m in e["mentions"])
    assert checked > 100


@pytest.mark.parametrize("config", list(CONFIGS))
def test_load_dataset_round_trip(config, tmp_path):
    from datasets import load_dataset

    # A private cache: the shared one can hold an older build of the same paths.
    dataset = load_dataset(str(COMMITTED_RELEASE), config, split="train", cache_dir=str(tmp_path))
    table = pq.read_table(COMMITTED_RELEASE / parquet_path(config))
    assert dataset.num_rows == table.num_rows > 0
    assert dataset.to_list() == table.to_pylist()


def test_articles_is_the_default_config(tmp_path):
    from datasets import load_dataset

    assert load_dataset(str(COMMITTED_RELEASE), split="train", cache_dir=str(tmp_path)).column_names[0] == "id"


def test_duckdb_and_pandas_read_the_parquet():
    import duckdb
    import pandas as pd

    quotes = pd.read_parquet(COMMITTED_RELEASE / parquet_path("quotes"))
    assert {"article_id", "text", "speaker"} <= set(quotes.columns)
    joined = duckdb.sql(
        f"SELECT a.id, count(*) AS n FROM '{COMMITTED_RELEASE / parquet_path('quotes')}' q "
        f"JOIN '{COMMITTED_RELEASE / parquet_path('articles')}' a ON a.id = q.article_id GROUP BY a.id"
    ).fetchall()
    assert sum(n for _, n in joined) == len(quotes)


def test_versions_agree():
    import tomllib

    import newsfacts

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["version"] == newsfacts.__version__
    assert f"# newsfacts {newsfacts.__version__}" in (COMMITTED_RELEASE / "README.md").read_text()


def test_every_known_error_kind_is_explained_in_the_datasheet():
    documented = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    kinds = {
        error["kind"]
        for row in pq.read_table(COMMITTED_RELEASE / parquet_path("articles")).to_pylist()
        for error in row["known_errors"]
    }
    undocumented = sorted(k for k in kinds if f"| `{k}` |" not in documented)
    assert not undocumented, f"explain these known_errors kinds in DATASHEET.md: {undocumented}"
