"""The build applies a curation file: marks in the released rows, the report, and stale corrections."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import yaml

from newsfacts.build import BuildError, BuildRefused, build
from newsfacts.cli import main
from newsfacts.release.write import parquet_path
from tests_paths import SEED_CURATION


def _rows(release, config):
    return pq.read_table(release / parquet_path(config)).to_pylist()


def test_curated_items_are_marked_in_every_config(seed_release):
    quotes = _rows(seed_release, "quotes")
    assert {q["curation"] for q in quotes} == {None, "fixed"}
    # The quote review once had to add is the pipeline's own since 1.2.0 ("fears" is a cue).
    assert any(q["text"] == "destabilize the Korean Peninsula" and q["curation"] is None for q in quotes)
    figures = _rows(seed_release, "figures")
    fixed = [f for f in figures if f["curation"] == "fixed"]
    assert any(f["text"] == "10,000" and f["unit"] == "troops" for f in fixed)
    entities = _rows(seed_release, "entities")
    assert any(e["id"] == "kb:place:brussels" and e["curation"] == "added" for e in entities)
    assert not any(e["name"] == "FILES" for e in entities)  # deleted
    mentions = [m for e in entities for m in e["mentions"] if m["curation"] == "added"]
    assert {m["text"] for m in mentions} >= {"Putin", "North Korean", "BRUSSELS"}
    articles = {a["source"]["file"][:3]: a for a in _rows(seed_release, "articles")}
    assert articles["000"]["curated_fields"] == ["outlet", "original_source"]
    assert articles["000"]["outlet"]["name"] is None
    assert articles["004"]["outlet"]["name"] == "Good Articles to Share"
    assert "no_outlet" not in {e["kind"] for e in articles["004"]["known_errors"]}
    # the catalog follows the curated entities
    catalog = {c["id"] for c in _rows(seed_release, "entity_catalog")}
    assert "kb:place:brussels" in catalog and not any(c.startswith("nf:org:files") for c in catalog)


def test_the_build_report_says_what_each_correction_did(seed_release):
    report = json.loads((seed_release / "build-report.json").read_text())
    curation = report["curation"]
    assert curation["file"] == "seeds.yaml" and curation["curation_version"] == 1
    assert curation["not_applied"] == [] and curation["statuses"] == {"applied": curation["corrections"]}
    assert curation["changes"]["entity"]["deleted"] == 1
    assert {row["field"] for row in curation["accuracy"]} == {"quotes", "figures", "entities", "title", "outlet", "date"}


@pytest.fixture
def stale_curation(tmp_path):
    """The seed curation with one span moved by one character, as if the article text had changed."""
    data = yaml.safe_load(SEED_CURATION.read_text(encoding="utf-8"))
    article_id, entry = next(iter(data["articles"].items()))
    correction = next(c for c in entry["corrections"] if "span" in c)
    correction["span"]["start"] += 1
    correction["span"]["end"] += 1
    data["articles"] = {article_id: {"corrections": [correction]}}
    path = tmp_path / "stale.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_stale_correction_fails_a_strict_build_and_is_reported_otherwise(tmp_path, stale_curation, capsys):
    from tests_paths import SEEDS

    with pytest.raises(BuildError, match="stale"):
        build(SEEDS, tmp_path / "strict", progress=False, strict=True, curation=stale_curation)
    assert not (tmp_path / "strict").exists()
    assert main(["build", "--input", str(SEEDS), "--output", str(tmp_path / "lenient"), "--quiet",
                 "--curation", str(stale_curation)]) == 0
    assert "curation not applied (stale)" in capsys.readouterr().err
    report = json.loads((tmp_path / "lenient" / "build-report.json").read_text())
    [problem] = report["curation"]["not_applied"]
    assert problem["status"] == "stale" and "the correction says" in problem["detail"]


def test_an_invalid_curation_file_is_refused_before_any_work(tmp_path):
    from tests_paths import SEEDS

    bad = tmp_path / "bad.yaml"
    bad.write_text("curation_version: 1\narticles: {nothex: {corrections: []}}\n")
    with pytest.raises(BuildRefused, match="invalid curation file"):
        build(SEEDS, tmp_path / "out", progress=False, curation=bad)
