"""Fixtures shared across the suite: the repo layout and one build of the seeds per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tests_paths import SEED_CURATION, SEEDS, seed_release_info

# Property tests explore the same examples on every run (CI included): a failure is reproducible, never a
# coin toss; new examples are found by raising max_examples or running with HYPOTHESIS_PROFILE=explore.
settings.register_profile("reproducible", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory) -> Path:
    """The command line caches extracted articles in the user's cache folder by default: point it, for the
    whole session and every subprocess it starts, at a temporary folder, so no test reads or writes the real
    one. (The library's `build()` uses no cache unless given one.)"""
    folder = tmp_path_factory.mktemp("newsfacts-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSFACTS_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory) -> Path:
    """A fresh build of seeds/ with the seed curation, as scripts/build.sh makes it (built once per session;
    tests must not modify it)."""
    from newsfacts.build import build

    output = tmp_path_factory.mktemp("release") / "dataset"
    build(SEEDS, output, progress=False, strict=True, release=seed_release_info(), curation=SEED_CURATION)
    return output


@pytest.fixture
def release_copy(seed_release, tmp_path) -> Path:
    """A private copy of the seed release that a test may corrupt."""
    import shutil

    target = tmp_path / "dataset"
    shutil.copytree(seed_release, target)
    return target


@pytest.fixture(scope="session")
def clean_seeds():
    """The five seeds after the clean stage, keyed by their number ('000' ... '004')."""
    from newsfacts.clean import clean_document
    from newsfacts.documents import RawDocument
    from newsfacts.read import read_folder

    documents = [o for o in read_folder(SEEDS) if isinstance(o, RawDocument)]
    return {doc.path[:3]: clean_document(doc) for doc in documents}
