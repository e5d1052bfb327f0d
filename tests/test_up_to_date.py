"""A build whose output already holds the release it would write does nothing (newsfacts.up_to_date)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from newsfacts.build import build
from newsfacts.cli import main
from newsfacts.release.write import release_files
from tests_paths import SEED_CURATION, SEEDS, seed_release_info


def seed_build(output: Path, cache: Path, **options):
    options = {"release": seed_release_info(), "curation": SEED_CURATION, **options}
    return build(SEEDS, output, progress=False, strict=True, cache=cache, **options)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {name: (path.read_bytes(), path.stat().st_mtime_ns) for name, path in release_files(folder)}


def no_writing(*args, **kwargs):
    raise AssertionError("an up-to-date build wrote a release")


def test_the_same_build_again_writes_nothing_and_reports_the_same(tmp_path, monkeypatch, seed_release):
    first = seed_build(tmp_path / "out", tmp_path / "cache")
    assert not first.up_to_date
    before = snapshot(tmp_path / "out")
    monkeypatch.setattr("newsfacts.build.staged_release", no_writing)
    again = seed_build(tmp_path / "out", tmp_path / "cache")
    assert again.up_to_date
    assert snapshot(tmp_path / "out") == before
    assert again.report == first.report and again.counts == first.counts
    assert again.cache.hits == 5 and again.cache.misses == 0
    assert {n: b for n, (b, _) in before.items()} == {n: p.read_bytes() for n, p in release_files(seed_release)}


def test_a_changed_file_option_or_input_builds_again(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    seed_build(out, cache)
    expected = {n: b for n, (b, _) in snapshot(out).items()}
    # a file of the release changed by hand: rebuilt, and the release is whole again
    card = out / "README.md"
    card.write_text(card.read_text("utf-8") + "\nedited\n", "utf-8")
    repaired = seed_build(out, cache)
    assert not repaired.up_to_date
    assert {n: b for n, (b, _) in snapshot(out).items()} == expected
    assert seed_build(out, cache).up_to_date
    # other release information, another option, or no curation: a different release
    assert not seed_build(out, cache, release=dataclasses.replace(seed_release_info(), name="other")).up_to_date
    assert not seed_build(out, cache, min_kept_share=0.2).up_to_date
    assert not seed_build(out, cache, curation=None).up_to_date
    # one input more: extracted, so built
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in SEEDS.iterdir():
        if path.is_file():
            (inputs / path.name).write_bytes(path.read_bytes())
    built = build(inputs, tmp_path / "out2", progress=False, cache=cache)
    assert not built.up_to_date and build(inputs, tmp_path / "out2", progress=False, cache=cache).up_to_date
    (inputs / "extra.txt").write_text("Harbour news\n\nAbout 2,000 workers are building the bridge in Lisbon, "
                                      "the company said on Monday.", "utf-8")
    assert not build(inputs, tmp_path / "out2", progress=False, cache=cache).up_to_date


def test_a_deleted_record_or_no_cache_builds_again(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    seed_build(out, cache)
    records = list(cache.rglob("*.release"))
    assert len(records) == 1
    os.unlink(records[0])
    assert not seed_build(out, cache).up_to_date
    assert not build(SEEDS, out, progress=False, strict=True, release=seed_release_info(), curation=SEED_CURATION,
                     cache=None).up_to_date


def test_the_command_line_says_the_release_is_up_to_date(tmp_path, capsys):
    command = ["build", "--input", str(SEEDS), "--output", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    assert main(command) == 0
    capsys.readouterr()
    assert main(command) == 0
    captured = capsys.readouterr()
    assert "is up to date" in captured.err and "nothing written" in captured.err
    assert f"built {tmp_path / 'out'}" in captured.out
