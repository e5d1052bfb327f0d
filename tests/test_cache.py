"""The article cache: exact round trips, keys that cover every input of an Article, invalidation by the
pipeline fingerprint, damaged entries, atomic writes, and builds that are byte-identical with or without it
and continue where an interrupted build stopped."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from newsfacts.cache import fingerprint as fingerprint_module
from newsfacts.build import build
from newsfacts.cache import ArticleCache, default_cache_dir, pipeline_fingerprint
from newsfacts.cli import main
from newsfacts.documents import RawDocument
from newsfacts.engine import local
from newsfacts.release.write import release_files
from tests_paths import SEED_CURATION, SEEDS, seed_release_info


@pytest.fixture(scope="module")
def seed_documents() -> list[RawDocument]:
    from newsfacts.read import read_folder

    return [o for o in read_folder(SEEDS) if isinstance(o, RawDocument)]


@pytest.fixture(scope="module")
def seed_articles(seed_documents):
    from newsfacts.pipeline import Annotators, process

    annotators = Annotators.load()
    return [process(raw, annotators) for raw in seed_documents]


def seed_build(output: Path, **options):
    return build(SEEDS, output, progress=False, strict=True, release=seed_release_info(), curation=SEED_CURATION,
                 **options)


def release_bytes(folder: Path) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in release_files(folder)}


def entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if p.is_file())


# --- the cache on its own ---------------------------------------------------------------------------------


def test_a_cached_article_equals_the_fresh_one_field_for_field(tmp_path, seed_documents, seed_articles):
    cache = ArticleCache(tmp_path, "f" * 64)
    for raw, article in zip(seed_documents, seed_articles):
        assert cache.get(raw) is None
        cache.put(raw, article)
        again = cache.get(raw)
        assert again == article
        assert again.model_dump() == article.model_dump()
        assert again.model_dump_json() == article.model_dump_json()
    n = len(seed_documents)
    assert dataclasses.asdict(cache.stats) == {"hits": n, "misses": n, "stored": n, "unreadable": 0,
                                                "write_failures": 0}


def test_the_key_covers_every_field_that_reaches_the_article(seed_documents):
    cache = ArticleCache(Path("unused"), "f" * 64)
    raw = seed_documents[0]
    variants = [
        dataclasses.replace(raw, path="elsewhere/" + raw.path),  # source.file
        dataclasses.replace(raw, line=7),  # source.line
        dataclasses.replace(raw, hints=dataclasses.replace(raw.hints, url="https://example.com/other")),
        dataclasses.replace(raw, hints=dataclasses.replace(raw.hints, date="2001-01-01")),
        dataclasses.replace(raw, encoding="cp1252"),
        dataclasses.replace(raw, raw=raw.raw + " "),
    ]
    keys = {cache.key(raw), *(cache.key(v) for v in variants)}
    assert len(keys) == 1 + len(variants)
    assert cache.key(dataclasses.replace(raw)) == cache.key(raw)  # equal documents, equal keys


def test_another_pipeline_fingerprint_misses(tmp_path, seed_documents, seed_articles):
    ArticleCache(tmp_path, "a" * 64).put(seed_documents[0], seed_articles[0])
    other = ArticleCache(tmp_path, "b" * 64)
    assert other.get(seed_documents[0]) is None and other.stats.misses == 1


def test_the_fingerprint_follows_code_data_and_model(monkeypatch, tmp_path):
    fingerprint = pipeline_fingerprint()
    assert fingerprint == pipeline_fingerprint() and len(fingerprint) == 64
    # Another model (here: a model folder that is not the default package) is another pipeline.
    model = tmp_path / "model"
    model.mkdir()
    (model / "meta.json").write_text('{"name": "other", "version": "1.0.0"}')
    assert pipeline_fingerprint(str(model)) != fingerprint
    # A changed package file (code or data) is another pipeline.
    package = tmp_path / "newsfacts"
    (package / "cache").mkdir(parents=True)
    (package / "cache" / "fingerprint.py").write_text("# a copy\n")
    monkeypatch.setattr(fingerprint_module, "__file__", str(package / "cache" / "fingerprint.py"))
    pipeline_fingerprint.cache_clear()
    first = pipeline_fingerprint()
    (package / "data.yaml").write_text("changed: true\n")
    pipeline_fingerprint.cache_clear()
    assert pipeline_fingerprint() != first
    pipeline_fingerprint.cache_clear()


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"id": "x"}', "an article of another document"])
def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path, seed_documents, seed_articles, damage):
    cache = ArticleCache(tmp_path, "f" * 64)
    raw = seed_documents[0]
    path = cache.path(raw)
    path.parent.mkdir(parents=True)
    if damage == "an article of another document":
        damage = seed_articles[1].model_dump_json().encode()
    path.write_bytes(damage)
    assert cache.get(raw) is None
    assert (cache.stats.misses, cache.stats.unreadable) == (1, 1)
    cache.put(raw, seed_articles[0])
    assert cache.get(raw) == seed_articles[0]


def test_an_unreadable_entry_is_a_miss(tmp_path, seed_documents):
    cache = ArticleCache(tmp_path, "f" * 64)
    cache.path(seed_documents[0]).mkdir(parents=True)  # reading a folder fails with an OSError
    assert cache.get(seed_documents[0]) is None and cache.stats.unreadable == 1


def test_a_write_interrupted_before_the_rename_leaves_no_entry_and_no_debris(tmp_path, monkeypatch, seed_documents,
                                                                          seed_articles):
    cache = ArticleCache(tmp_path, "f" * 64)
    raw = seed_documents[0]

    def killed(source, target):
        raise KeyboardInterrupt  # the process dies between writing the temporary file and renaming it

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        cache.put(raw, seed_articles[0])
    monkeypatch.undo()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert cache.get(raw) is None
    # An entry being replaced stays whole until the new one is complete.
    cache.put(raw, seed_articles[0])
    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        cache.put(raw, seed_articles[0])
    monkeypatch.undo()
    assert entries(tmp_path) == [cache.path(raw)] and cache.get(raw) == seed_articles[0]


def test_an_unwritable_cache_warns_once_and_never_fails(tmp_path, seed_documents, seed_articles):
    root = tmp_path / "cache"
    root.write_text("a file where the cache folder should be")
    warnings = []
    cache = ArticleCache(root, "f" * 64, on_warning=warnings.append)
    for raw, article in zip(seed_documents, seed_articles):
        cache.put(raw, article)
    assert cache.stats.write_failures == 1 and cache.stats.stored == 0
    assert len(warnings) == 1 and "cannot write to the cache" in warnings[0]


def test_the_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSFACTS_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("NEWSFACTS_CACHE_DIR")
    assert default_cache_dir() == tmp_path / "xdg" / "newsfacts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "newsfacts"


def test_the_tests_never_use_the_real_cache_dir(private_cache_dir):
    assert default_cache_dir() == private_cache_dir
    assert os.environ["NEWSFACTS_CACHE_DIR"] == str(private_cache_dir)


# --- builds -----------------------------------------------------------------------------------------------


def test_builds_with_a_cold_and_a_warm_cache_are_byte_identical_to_one_without(seed_release, tmp_path, monkeypatch):
    root = tmp_path / "cache"
    cold = seed_build(tmp_path / "cold", cache=root)
    assert (cold.cache.hits, cold.cache.misses, cold.cache.stored) == (0, 5, 5)
    assert len(entries(root)) == 5

    def no_extraction(*args, **kwargs):
        raise AssertionError("a warm rebuild extracted a document")

    monkeypatch.setattr("newsfacts.engine.cached.run", no_extraction)

    def no_report(*args, **kwargs):
        raise AssertionError("a warm rebuild drew the report again")

    monkeypatch.setattr("newsfacts.report.write_report", no_report)  # the page of the cold build is reused
    warm = seed_build(tmp_path / "warm", cache=root)
    assert (warm.cache.hits, warm.cache.misses, warm.cache.stored) == (5, 0, 0)
    expected = release_bytes(seed_release)  # the session's build, made without a cache
    assert release_bytes(tmp_path / "cold") == expected
    assert release_bytes(tmp_path / "warm") == expected
    assert warm.report == cold.report  # build-report.json holds no cache statistics
    assert set(warm.timings) == {"read", "extract", "cross_document", "write", "validate"}


def test_a_report_page_is_reused_only_for_the_same_files_and_name(tmp_path):
    from newsfacts.cache import RenderedReports

    release = tmp_path / "release"
    (release / "data").mkdir(parents=True)
    (release / "data" / "a.parquet").write_bytes(b"one")
    reports = RenderedReports(ArticleCache.open(tmp_path / "cache"))
    key = reports.key(release, "news")
    assert reports.get(key) is None
    reports.put(key, b"<html>page</html>")
    assert reports.get(reports.key(release, "news")) == b"<html>page</html>"
    assert reports.key(release, "other") != key
    (release / "data" / "a.parquet").write_bytes(b"two")
    assert reports.key(release, "news") != key
    (release / "data" / "a.parquet").write_bytes(b"one")
    (release / "README.md").write_text("card")
    assert reports.key(release, "news") != key


def test_a_new_pipeline_fingerprint_extracts_everything_again(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    seed_build(tmp_path / "first", cache=root, jobs=1)
    monkeypatch.setattr(fingerprint_module, "pipeline_fingerprint", lambda model=None: "0" * 64)
    again = seed_build(tmp_path / "second", cache=root, jobs=1)
    assert (again.cache.hits, again.cache.misses, again.cache.stored) == (0, 5, 5)
    assert release_bytes(tmp_path / "first") == release_bytes(tmp_path / "second")


def test_a_half_filled_cache_extracts_only_the_rest(seed_release, tmp_path, seed_documents, seed_articles):
    root = tmp_path / "cache"
    cache = ArticleCache.open(root)
    for raw, article in list(zip(seed_documents, seed_articles))[::2]:
        cache.put(raw, article)
    result = seed_build(tmp_path / "out", cache=root, jobs=1)
    assert (result.cache.hits, result.cache.misses, result.cache.stored) == (3, 2, 2)
    assert release_bytes(tmp_path / "out") == release_bytes(seed_release)


def test_an_interrupted_build_continues_where_it_stopped(seed_release, tmp_path, monkeypatch):
    root = tmp_path / "cache"
    real = local._process_chunk
    calls = []

    def killed_at_the_third(raws, *args):
        calls.append(raws)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(raws, *args)

    monkeypatch.setattr(local, "CHUNK_SIZE", 1)  # what is in flight is one chunk: here one document
    monkeypatch.setattr(local, "_process_chunk", killed_at_the_third)
    with pytest.raises(KeyboardInterrupt):
        seed_build(tmp_path / "out", cache=root, jobs=1, timeout=0)  # extracted in this process
    assert not (tmp_path / "out").exists()
    assert len(entries(root)) == 2  # each article was stored as soon as it was extracted
    monkeypatch.undo()
    resumed = seed_build(tmp_path / "out", cache=root, jobs=1)
    assert (resumed.cache.hits, resumed.cache.misses) == (2, 3)
    assert release_bytes(tmp_path / "out") == release_bytes(seed_release)


def test_the_command_line_caches_by_default_and_not_with_no_cache(tmp_path, capsys, private_cache_dir):
    import shutil

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "000_1bf7e7c3ea9bf00a.txt", inputs)
    mine = tmp_path / "mine"
    assert main(["build", "--input", str(inputs), "--output", str(tmp_path / "a"), "--no-cache", "--jobs", "1"]) == 0
    assert main(["build", "--input", str(inputs), "--output", str(tmp_path / "b"), "--cache", str(mine),
                 "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "cache " + str(mine) + ": 0 hits, 1 misses, 1 stored" in err and "time per stage: read" in err
    assert len(entries(mine)) == 1
    assert main(["build", "--input", str(inputs), "--output", str(tmp_path / "c"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert len(entries(private_cache_dir)) >= 1  # the default: $NEWSFACTS_CACHE_DIR, set by conftest.py
    assert release_bytes(tmp_path / "a") == release_bytes(tmp_path / "b") == release_bytes(tmp_path / "c")


def test_jobs_defaults_to_the_cores_this_process_may_use():
    from newsfacts.cli import make_parser

    args = make_parser().parse_args(["build", "--input", "in", "--output", "out"])
    assert args.jobs is None and args.cache is None and not args.no_cache
    cores = local.available_cores()
    assert cores >= 1
    if hasattr(os, "sched_getaffinity"):
        assert cores == len(os.sched_getaffinity(0))
    with pytest.raises(SystemExit):
        make_parser().parse_args(["build", "--input", "in", "--output", "out", "--cache", "x", "--no-cache"])
