"""The streaming build: the same bytes whatever the batch size, job count or shard layout's inputs; a release
of several shards when the size calls for it; the cross-document hook gives the catalog."""

from __future__ import annotations

import pyarrow.parquet as pq

from newsfacts.annotate.entities.catalog import build_catalog
from newsfacts.build import build
from newsfacts.models import Article
from newsfacts.release import rows as release_rows
from newsfacts.release.layout import parquet_path, shard_paths
from newsfacts.release.validate import validate_release
from newsfacts.release.write import release_files
from tests_paths import SEED_CURATION, SEEDS, seed_release_info


def seed_build(output, **options):
    return build(SEEDS, output, progress=False, strict=True, release=seed_release_info(), curation=SEED_CURATION,
                 **options)


def release_bytes(folder) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in release_files(folder)}


def test_the_bytes_do_not_depend_on_batch_size_or_jobs(seed_release, tmp_path):
    # runs of one article, two worker processes, and the input read again instead of kept in memory
    seed_build(tmp_path / "tiny", batch_size=1, jobs=2, retain_bytes=0)
    assert release_bytes(tmp_path / "tiny") == release_bytes(seed_release)


def test_a_sharded_build_is_the_same_whatever_the_batch_size(seed_release, tmp_path, monkeypatch):
    # Arrow batches of one row, a row group per batch and a shard per row group: a shard per row
    monkeypatch.setattr("newsfacts.release.write.ARTICLE_BATCH_ROWS", 1)
    monkeypatch.setattr("newsfacts.release.write.BATCH_ROWS", 1)
    sizes = {"row_group_bytes": 1, "shard_bytes": 1}
    seed_build(tmp_path / "one", batch_size=1, **sizes)
    seed_build(tmp_path / "many", batch_size=1000, **sizes)
    assert release_bytes(tmp_path / "one") == release_bytes(tmp_path / "many")
    assert validate_release(tmp_path / "one") == []
    names = [name for name, _ in release_files(tmp_path / "one")]
    articles, wrong = shard_paths("articles", names)
    assert not wrong and articles == [parquet_path("articles", k, 5) for k in range(5)]
    rows = [row for p in articles for row in pq.read_table(tmp_path / "one" / p).to_pylist()]
    assert rows == pq.read_table(seed_release / parquet_path("articles")).to_pylist()


def test_the_collector_hook_gives_the_catalog(seed_release):
    articles = [Article.model_validate(r) for r in pq.read_table(seed_release / parquet_path("articles")).to_pylist()]
    collector = release_rows.CROSS_DOCUMENT["entity_catalog"]()
    for article in sorted(articles, key=lambda a: a.id):
        collector.add(article)
    from_hook = list(collector.rows())
    assert from_hook == [c.model_dump(mode="json") for c in build_catalog(sorted(articles, key=lambda a: a.id))]
    assert from_hook == pq.read_table(seed_release / parquet_path("entity_catalog")).to_pylist()


def test_a_cross_document_collector_sees_each_article_once_in_id_order(tmp_path, monkeypatch):
    seen: list[str] = []

    class Recording(release_rows.CatalogRows):
        def add(self, article):
            seen.append(article.id)
            super().add(article)

    monkeypatch.setitem(release_rows.CROSS_DOCUMENT, "entity_catalog", Recording)
    seed_build(tmp_path / "out", batch_size=2)
    assert seen == sorted(set(seen)) and len(seen) == 5


def test_rows_of_unchanged_cached_articles_are_checked_once(tmp_path, monkeypatch):
    from newsfacts.cache import ROWS_CHECKED_SUFFIX
    from newsfacts.release.rows import CROSS_DOCUMENT
    from newsfacts.release.validate.rows import RowChecker

    checked: list[str] = []
    original = RowChecker.article

    def counting(self, rows):
        checked.append(rows["articles"][0]["id"])
        return original(self, rows)

    monkeypatch.setattr(RowChecker, "article", counting)
    from newsfacts.release.validate import rows as row_rules

    original_worker = row_rules.article_rows_pass

    def counting_worker(rows):  # the worker's check of the article it extracted (`release.rows.worker_records`)
        checked.append(rows["articles"][0]["id"])
        return original_worker(rows)

    monkeypatch.setattr(row_rules, "article_rows_pass", counting_worker)
    cross: list[str] = []
    original_cross = RowChecker.cross_document

    def counting_cross(self, config, rows):
        cross.append(config)
        return original_cross(self, config, rows)

    monkeypatch.setattr(RowChecker, "cross_document", counting_cross)
    cache = tmp_path / "cache"
    build(SEEDS, tmp_path / "cold", progress=False, cache=cache, timeout=0)  # in this process
    flagged = {row["id"] for row in pq.read_table(tmp_path / "cold" / parquet_path("articles")).to_pylist()
               if any(e["kind"] == "near_duplicate" for e in row["known_errors"])}
    # every article checked by the worker; a flagged one (no longer the article the worker saw) again as written
    assert len(set(checked)) == 5 and len(checked) == 5 + len(flagged)
    assert sorted(cross) == sorted(CROSS_DOCUMENT)
    # a flagged article is not the cached one (its known errors differ): no note
    assert len(list(cache.rglob(f"*{ROWS_CHECKED_SUFFIX}"))) == 5 - len(flagged)
    checked.clear()
    cross.clear()
    build(SEEDS, tmp_path / "warm", progress=False, cache=cache, timeout=0)
    assert sorted(checked) == sorted(flagged)  # only those are checked again
    assert cross == []  # the same cross-document rows passed before
    assert release_bytes(tmp_path / "warm") == release_bytes(tmp_path / "cold")
    checked.clear()
    seed_build(tmp_path / "curated", cache=cache, timeout=0)  # the seed curation corrects all five: all checked
    assert len(checked) == 5
