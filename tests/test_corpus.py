"""Robustness on real news at scale: a fixed sample of the BBC corpus (test input only, never released)."""

from __future__ import annotations

import os
import tarfile

import pytest

from newsfacts import evaluation
from newsfacts.build import build
from newsfacts.release.validate import validate_release

CORPUS = evaluation.shared_dir() / "corpora" / "bbc-2225.tar.gz"
NOT_UTF8 = "bbc/sport/199.txt"  # the corpus' one file that is not valid UTF-8
EVERY = 15  # a fixed, category-spanning sample: every 15th file in sorted order


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    if not CORPUS.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"corpus not found at {CORPUS}")
        pytest.skip(f"corpus not found at {CORPUS}")
    inputs = tmp_path_factory.mktemp("bbc")
    with tarfile.open(CORPUS) as archive:
        members = sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")), key=lambda m: m.name)
        chosen = [m for i, m in enumerate(members) if i % EVERY == 0 or m.name == NOT_UTF8]
        for member in chosen:
            target = inputs / member.name.replace("/", "_")
            target.write_bytes(archive.extractfile(member).read())
    output = tmp_path_factory.mktemp("bbc-out") / "dataset"
    result = build(inputs, output, progress=False, jobs=2)
    return result, output, len(chosen)


def test_every_sampled_article_is_accounted_for(corpus_build):
    result, _, sampled = corpus_build
    files = {e["file"]: e for e in result.report["files"]}
    assert len(files) == sampled
    excluded = {f: e["reason"] for f, e in files.items() if e["outcome"] == "excluded"}
    # Exact duplicates are the only acceptable exclusions in this corpus of real articles.
    assert all("exact duplicate" in reason for reason in excluded.values()), excluded


def test_the_non_utf8_article_is_decoded_and_flagged(corpus_build):
    result, _, _ = corpus_build
    entry = {e["file"]: e for e in result.report["files"]}[NOT_UTF8.replace("/", "_")]
    assert entry["outcome"] == "flagged" and "encoding_guessed" in entry["reason"]


def test_corpus_release_validates_and_has_content(corpus_build):
    result, output, _ = corpus_build
    assert validate_release(output) == []
    assert result.counts["quotes"] > result.counts["articles"]
    assert result.counts["figures"] > result.counts["articles"]
    assert result.counts["entities"] > 5 * result.counts["articles"]
