"""What `newsfacts cache info` counts: per pipeline its articles (an entry and its row-check note together),
release records, report pages and the rest, sizes on disk, last use; a missing or empty cache; leftovers of an
interrupted prune; files that are not newsfacts'."""

from __future__ import annotations

import os
import time

from newsfacts.cache import LAYOUT, ROWS_CHECKED_SUFFIX, pipeline_fingerprint
from newsfacts.cache.inventory import ARTICLE, CHECKED, RELEASE, REPORT, TEMPORARY, scan
from newsfacts.cache.prune import prune


def test_a_missing_or_empty_cache(tmp_path):
    missing = scan(tmp_path / "missing")
    assert (missing.exists, missing.pipelines, missing.size) == (False, [], 0)
    assert not (tmp_path / "missing").exists()
    empty = scan(tmp_path)
    assert empty.exists and empty.pipelines == [] and empty.other_files == 0


def test_each_kind_is_counted_in_its_pipeline(tmp_path):
    folder = tmp_path / LAYOUT / pipeline_fingerprint()[:32]
    for relative in ["ab/" + "a" * 64 + ".json", "ab/" + "a" * 64 + ".json" + ROWS_CHECKED_SUFFIX,
                     "cd/" + "c" * 64 + ".json", "releases/" + "0" * 32 + ".release", "reports/" + "1" * 64 + ".html",
                     "checked-rows/" + "2" * 64, "cd/." + "c" * 64 + ".json.x1y2.tmp", ".lock", "pipeline.info"]:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(b"{}" * 3000)
    old = time.time() - 86400
    os.utime(folder / "cd" / ("c" * 64 + ".json"), (old, old))
    (tmp_path / LAYOUT / ".deleting-0123-abc").mkdir()
    (tmp_path / LAYOUT / ".deleting-0123-abc" / "x").write_bytes(b"x" * 10000)
    (tmp_path / "mine.txt").write_text("the user's")
    inventory = scan(tmp_path)
    (pipeline,) = inventory.pipelines
    assert pipeline.installed and not pipeline.in_use
    counts = {kind: pipeline.count(kind) for kind in (ARTICLE, RELEASE, REPORT, CHECKED, TEMPORARY)}
    assert counts == {ARTICLE: 2, RELEASE: 1, REPORT: 1, CHECKED: 1, TEMPORARY: 1}
    noted = next(item for item in pipeline.items if item.kind == ARTICLE and len(item.paths) == 2)
    assert noted.paths[0].name == "a" * 64 + ".json"  # the entry first, its note with it
    assert pipeline.items[0].used == old  # the least recently used first
    every_file = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert sum(item.size for item in pipeline.items) < pipeline.size  # the folders, lock and description too
    assert inventory.size >= sum(p.stat().st_size for p in every_file)
    assert inventory.leftovers_size >= 10000 and inventory.other_files == 1
    result = prune(tmp_path)  # the installed pipeline stays; an interrupted prune's folder goes
    assert result.removals == [] and result.leftovers == inventory.leftovers_size
    assert not (tmp_path / LAYOUT / ".deleting-0123-abc").exists() and (tmp_path / "mine.txt").exists()
