"""`newsfacts cache prune` and `clear`: other pipelines' data goes and the installed one's stays (a build
afterwards still hits), a size bound removes the least recently used first, a dry run removes nothing, and a
running build's folder is never removed under it."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from newsfacts.build import build
from newsfacts.cache import LAYOUT, ArticleCache, pipeline_fingerprint
from newsfacts.cache.inventory import ARTICLE, REPORT, scan
from newsfacts.cache.lock import hold_shared
from newsfacts.cache.prune import prune
from newsfacts.release.write import release_files
from tests_paths import SEED_CURATION, SEEDS, seed_release_info

DAY = 86400.0


def seed_build(output: Path, cache: Path):
    return build(SEEDS, output, progress=False, strict=True, release=seed_release_info(), curation=SEED_CURATION,
                 cache=cache, jobs=1, timeout=0)


def release_bytes(folder: Path) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in release_files(folder)}


def fake_entry(root: Path, fingerprint: str, name: str, *, size: int = 5000, age_days: float = 0.0,
               kind: str = ARTICLE) -> Path:
    """A file where a pipeline keeps an article entry (or a report page), last used `age_days` ago."""
    key = hashlib.sha256(name.encode()).hexdigest()
    folder = root / LAYOUT / fingerprint[:32]
    path = folder / key[:2] / f"{key}.json" if kind == ARTICLE else folder / "reports" / f"{key}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    used = time.time() - age_days * DAY
    os.utime(path, (used, used))
    return path


def every_file(root: Path) -> dict[Path, tuple[int, float]]:
    return {p: (p.stat().st_size, p.stat().st_mtime) for p in root.rglob("*") if p.is_file()}


def test_prune_removes_other_pipelines_and_a_build_afterwards_still_hits(tmp_path):
    root = tmp_path / "cache"
    first = seed_build(tmp_path / "first", root)
    assert first.cache.stored == 5
    installed = root / LAYOUT / pipeline_fingerprint()[:32]
    older = [fake_entry(root, "a" * 64, f"old {n}") for n in range(3)]
    newer = fake_entry(root, "b" * 64, "a newer newsfacts's article", kind=REPORT)
    (root / "notes.txt").write_text("the user's own file, not newsfacts'")
    before = scan(root)
    assert [p.installed for p in before.pipelines] == [p.folder == installed for p in before.pipelines]

    result = prune(root)
    assert sorted(r.pipeline.name for r in result.removals) == ["a" * 32, "b" * 32]
    assert all(r.whole for r in result.removals) and not result.skipped
    assert not any(p.exists() for p in [*older, newer]) and (root / "notes.txt").exists()
    assert sorted(p.name for p in (root / LAYOUT).iterdir()) == [installed.name]
    after = scan(root)
    assert result.freed == before.size - after.size > 0 and result.size_after == after.size
    assert prune(root).removals == []  # nothing left to remove

    again = seed_build(tmp_path / "second", root)
    assert (again.cache.hits, again.cache.misses, again.cache.stored) == (5, 0, 0)
    assert release_bytes(tmp_path / "second") == release_bytes(tmp_path / "first")


def test_the_folder_of_another_model_stays_while_that_model_is_installed(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "meta.json").write_text('{"name": "other", "version": "1.0.0"}')
    root = tmp_path / "cache"
    cache = ArticleCache.open(root, str(model))
    with cache.in_use():  # what a build does: the folder records the model it was built with
        pass
    fake_entry(root, cache.fingerprint, "an article of the other model")
    assert [p.installed for p in scan(root).pipelines] == [True]
    assert prune(root).removals == []
    (model / "meta.json").write_text('{"name": "other", "version": "1.0.1"}')  # the model was upgraded
    pipeline_fingerprint.cache_clear()
    try:
        assert [r.pipeline.folder for r in prune(root).removals] == [cache.folder]
    finally:
        pipeline_fingerprint.cache_clear()
    assert not cache.folder.exists()


def test_max_size_removes_the_least_recently_used_first_across_pipelines(tmp_path):
    root = tmp_path / "cache"
    installed = pipeline_fingerprint()
    old_pipeline = [fake_entry(root, "a" * 64, f"old {n}", age_days=30 + n) for n in range(3)]
    stale = fake_entry(root, installed, "not used for ten days", age_days=10)
    fresh = [fake_entry(root, installed, f"used today {n}", age_days=n / 24) for n in range(3)]
    page = fake_entry(root, installed, "a report page", kind=REPORT, size=60000, age_days=20)
    before = scan(root)
    sizes = {item.paths[0]: item.size for p in before.pipelines for item in p.items}
    # Room for everything but the old pipeline, the page and the entry unused for ten days:
    limit = before.size - sum(sizes[p] for p in [*old_pipeline, page]) - sizes[stale] // 2

    result = prune(root, max_size=limit)
    assert not any(p.exists() for p in [*old_pipeline, page, stale])
    assert all(p.exists() for p in fresh)
    assert not (root / LAYOUT / ("a" * 32)).exists()  # emptied: the folder went too
    assert result.size_before == before.size and scan(root).size <= limit
    assert result.size_after == scan(root).size
    # Within the limit: nothing more goes.
    assert prune(root, max_size=limit).removals == [] and all(p.exists() for p in fresh)


def test_a_use_renews_an_entrys_time_so_it_outlives_older_ones(tmp_path, seed_documents_and_articles):
    (raw, article), (other_raw, other_article) = seed_documents_and_articles[:2]
    root = tmp_path / "cache"
    cache = ArticleCache(root, "c" * 64)
    used, unused = cache.put(raw, article), cache.put(other_raw, other_article)
    for path, age in [(used, 20), (unused, 10)]:
        os.utime(path, (time.time() - age * DAY,) * 2)
    assert cache.has(raw)  # a build plans with it: marked as used now
    assert time.time() - used.stat().st_mtime < 60
    entry_size = scan(root).pipelines[0].items[0].size
    prune(root, max_size=scan(root).size - entry_size)
    assert used.exists() and not unused.exists()


def test_marking_a_use_writes_nothing_when_the_last_mark_is_recent(tmp_path, seed_documents_and_articles):
    raw, article = seed_documents_and_articles[0]
    cache = ArticleCache(tmp_path, "c" * 64)
    path = cache.put(raw, article)
    recent = time.time() - 600
    os.utime(path, (recent, recent))
    assert cache.has(raw) and path.stat().st_mtime == recent


@pytest.mark.parametrize("options", [{}, {"max_size": 1}, {"everything": True}])
def test_a_dry_run_removes_nothing_and_reports_the_same_choice(tmp_path, options):
    root = tmp_path / "cache"
    fake_entry(root, "a" * 64, "other", age_days=3)
    fake_entry(root, pipeline_fingerprint(), "installed", age_days=1)
    files = every_file(root)
    dry = prune(root, dry_run=True, **options)
    assert every_file(root) == files
    assert dry.freed > 0 and dry.removals
    real = prune(root, **options)
    assert [(r.pipeline.name, [i.paths for i in r.items], r.whole) for r in dry.removals] == \
        [(r.pipeline.name, [i.paths for i in r.items], r.whole) for r in real.removals]
    assert dry.freed == real.freed


def test_clear_removes_every_pipeline_but_not_the_users_files(tmp_path):
    root = tmp_path / "cache"
    fake_entry(root, "a" * 64, "other")
    fake_entry(root, pipeline_fingerprint(), "installed")
    (root / "mine.txt").write_text("not newsfacts'")
    result = prune(root, everything=True)
    assert len(result.removals) == 2 and list((root / LAYOUT).iterdir()) == []
    assert (root / "mine.txt").exists()


def test_a_missing_or_empty_cache_has_nothing_to_remove(tmp_path):
    for root in (tmp_path / "missing", tmp_path):
        for options in ({}, {"max_size": 1}, {"everything": True}):
            result = prune(root, **options)
            assert (result.removals, result.skipped, result.freed) == ([], [], 0)
    assert not (tmp_path / "missing").exists()  # looking creates nothing
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        prune(tmp_path / "file")


def test_a_prune_leaves_the_folder_of_a_running_build_alone(tmp_path):
    root = tmp_path / "cache"
    entry = fake_entry(root, "a" * 64, "written by a build of another installed version")
    lock = hold_shared(entry.parents[1])  # that build is running
    try:
        for options in ({}, {"max_size": 1}, {"everything": True}):
            result = prune(root, **options)
            assert [p.name for p in result.skipped] == ["a" * 32] and result.removals == []
            assert entry.exists()
        assert scan(root).pipelines[0].in_use
        assert [p.name for p in prune(root, dry_run=True).skipped] == ["a" * 32]
    finally:
        lock.release()
    assert not scan(root).pipelines[0].in_use
    assert [r.pipeline.name for r in prune(root).removals] == ["a" * 32] and not entry.exists()


def test_a_prune_during_a_build_neither_stops_it_nor_removes_its_entries(tmp_path, monkeypatch, seed_release):
    root = tmp_path / "cache"
    other = fake_entry(root, "a" * 64, "another pipeline's article")
    pruned = []
    real_put = ArticleCache.put

    def put_then_prune(self, raw, article, data=None):
        entry = real_put(self, raw, article, data)
        if not pruned:  # in the middle of the build, once its first entry is stored
            pruned.append((prune(root, everything=True), prune(root, max_size=1)))
        return entry

    monkeypatch.setattr(ArticleCache, "put", put_then_prune)
    result = seed_build(tmp_path / "out", root)
    (cleared, bounded), = pruned
    installed = pipeline_fingerprint()[:32]
    assert [p.name for p in cleared.skipped] == [p.name for p in bounded.skipped] == [installed]
    assert [r.pipeline.name for r in cleared.removals] == ["a" * 32] and not other.exists()
    assert (result.cache.stored, result.cache.write_failures) == (5, 0)
    assert release_bytes(tmp_path / "out") == release_bytes(seed_release)
    # Once the build is over, its folder may go.
    assert [r.pipeline.name for r in prune(root, everything=True).removals] == [installed]


def test_a_folder_removed_between_two_writes_is_made_again(tmp_path, monkeypatch, seed_documents_and_articles):
    from newsfacts.cache import store

    (raw, article), (other_raw, other_article) = seed_documents_and_articles[:2]
    warnings = []
    cache = ArticleCache(tmp_path, "c" * 64, on_warning=warnings.append)
    assert cache.put(raw, article) is not None
    real_write = store.write_atomically

    def pruned_first(path, data):  # a prune removes the whole folder between `mkdir` and the write
        shutil.rmtree(cache.folder)
        monkeypatch.setattr(store, "write_atomically", real_write)
        return real_write(path, data)

    monkeypatch.setattr(store, "write_atomically", pruned_first)
    assert cache.put(other_raw, other_article) is not None
    assert cache.get(other_raw) == other_article
    assert cache.get(raw) is None  # removed with the folder: a miss, extracted again
    assert (cache.stats.stored, cache.stats.write_failures, warnings) == (2, 0, [])


@pytest.fixture(scope="module")
def seed_documents_and_articles():
    from newsfacts.documents import RawDocument
    from newsfacts.pipeline import Annotators, process
    from newsfacts.read import read_folder

    documents = [o for o in read_folder(SEEDS) if isinstance(o, RawDocument)][:2]
    annotators = Annotators.load()
    return [(raw, process(raw, annotators)) for raw in documents]
