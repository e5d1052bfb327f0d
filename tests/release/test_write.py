"""Builds are deterministic and atomic."""

from __future__ import annotations

import pytest

from newsfacts.build import BuildError, build
from newsfacts.release.write import MARKER_FILE, release_files, staged_release, write_checksums
from tests_paths import SEED_CURATION, SEEDS, seed_release_info


def fake_release(folder, content="previous release"):
    """A folder a build may replace: the marker, one file, and the checksum list covering them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER_FILE).write_text('{"format": 1, "newsfacts_version": "0"}\n')
    (folder / "marker").write_text(content)
    write_checksums(folder)
    return folder


def test_two_builds_are_byte_identical(seed_release, tmp_path):
    again = tmp_path / "again"
    build(SEEDS, again, progress=False, strict=True, release=seed_release_info(), curation=SEED_CURATION)
    first = {name: path.read_bytes() for name, path in release_files(seed_release)}
    second = {name: path.read_bytes() for name, path in release_files(again)}
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == []


def test_parallel_build_gives_the_same_bytes(seed_release, tmp_path):
    parallel = tmp_path / "parallel"
    build(SEEDS, parallel, progress=False, strict=True, jobs=2, release=seed_release_info(),
          curation=SEED_CURATION)
    assert (parallel / "CHECKSUMS.sha256").read_bytes() == (seed_release / "CHECKSUMS.sha256").read_bytes()


def test_failed_build_leaves_previous_release_untouched(tmp_path):
    target = fake_release(tmp_path / "dataset")
    with pytest.raises(RuntimeError):
        with staged_release(target) as staging:
            (staging / "half-written.parquet").write_bytes(b"PAR1")
            raise RuntimeError("crash in the middle of writing")
    assert (target / "marker").read_text() == "previous release"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_build_with_nothing_usable_fails_cleanly(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    target = fake_release(tmp_path / "dataset", "previous")
    with pytest.raises(BuildError, match="no article"):
        build(inputs, target, progress=False)
    assert (target / "marker").read_text() == "previous"


def test_collector_records_computed_apart_give_the_same_rows(seed_release):
    """The build computes what the claims and quote-cluster collectors keep of each article while its workers
    extract (`collector_records`); fed back to `add`, the rows are those `add` alone gives."""
    import pyarrow.parquet as pq

    from newsfacts.models import Article
    from newsfacts.release.layout import parquet_path
    from newsfacts.release.rows import CROSS_DOCUMENT, collector_records

    rows = pq.read_table(seed_release / parquet_path("articles")).to_pylist()
    articles = sorted((Article.model_validate(r) for r in rows), key=lambda a: a.id)
    for config in ("claims", "quote_clusters"):
        alone, apart = CROSS_DOCUMENT[config](), CROSS_DOCUMENT[config]()
        for article in articles:
            alone.add(article)
            apart.add(article, collector_records(article)[config])
        rows = list(alone.rows())
        assert rows and list(apart.rows()) == rows
