"""DATASHEET.md: its generated blocks (accuracy, corrections, marks, known errors) equal a fresh build's."""

from __future__ import annotations

import pyarrow.parquet as pq

from newsfacts.release.datasheet import datasheet_blocks, render_blocks, update_datasheet
from newsfacts.release.write import parquet_path
from tests_paths import REPO


def test_generated_blocks_of_the_datasheet_equal_a_fresh_build(seed_release):
    committed = datasheet_blocks((REPO / "DATASHEET.md").read_text(encoding="utf-8"))
    fresh = render_blocks(seed_release)
    assert set(committed) == set(fresh)
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"run `.venv/bin/python scripts/datasheet.py` after `bash scripts/build.sh`: {stale} differ"


def test_the_published_accuracy_is_the_scorers(seed_release):
    import json

    from newsfacts.evaluation.curation import accuracy_table

    report = json.loads((seed_release / "build-report.json").read_text())
    table = accuracy_table(report["curation"]["accuracy"])
    assert table in (REPO / "DATASHEET.md").read_text(encoding="utf-8")


def test_every_known_error_kind_of_a_fresh_build_is_explained(seed_release):
    documented = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    kinds = {e["kind"] for row in pq.read_table(seed_release / parquet_path("articles")).to_pylist()
             for e in row["known_errors"]}
    assert {"figure_disagreement", "factual_slip", "reposted_copy"} <= kinds  # the curated ones are there
    assert not sorted(k for k in kinds if f"| `{k}` |" not in documented)


def test_update_replaces_only_the_generated_blocks():
    markdown = "intro\n<!-- generated:a -->\nold\n<!-- /generated:a -->\nprose\n<!-- generated:b -->\n<!-- /generated:b -->\n"
    updated = update_datasheet(markdown, {"a": "new\nlines", "b": "B"})
    assert updated == ("intro\n<!-- generated:a -->\nnew\nlines\n<!-- /generated:a -->\nprose\n"
                       "<!-- generated:b -->\nB\n<!-- /generated:b -->\n")
    assert datasheet_blocks(updated) == {"a": "new\nlines", "b": "B"}
