"""A build over messy inputs: every input is accounted for, and one bad file never stops the others."""

from __future__ import annotations

import json
import shutil

import pytest

from newsfacts.build import BuildError, build
from newsfacts.cli import main
from tests_paths import SEEDS


@pytest.fixture(scope="module")
def messy_build(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("messy")
    shutil.copy(SEEDS / "004_a349b1ab514efdb2.txt", inputs / "good.txt")
    shutil.copy(SEEDS / "004_a349b1ab514efdb2.txt", inputs / "zz-copy-of-good.txt")
    near = (SEEDS / "004_a349b1ab514efdb2.txt").read_text(encoding="utf-8").replace("Post a Comment", "Comments closed")
    (inputs / "near.txt").write_text(near, encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (inputs / "latin1.txt").write_bytes(
        "Club writes off fee\n\nThe club has written off a £15.8m fee, its chairman said on Monday.".encode("cp1252")
    )
    (inputs / "lines.jsonl").write_text(
        json.dumps({"text": "Officials said 1,500 soldiers had arrived.", "url": "https://example.com/x"}) + "\nnot json\n",
        encoding="utf-8",
    )
    output = tmp_path_factory.mktemp("out") / "dataset"
    result = build(inputs, output, progress=False)
    return result, output


def by_file(report):
    return {(e["file"], e["line"]): e for e in report["files"]}


def test_every_input_is_in_the_report(messy_build):
    result, _ = messy_build
    entries = by_file(result.report)
    assert set(entries) == {("good.txt", None), ("zz-copy-of-good.txt", None), ("near.txt", None), ("empty.txt", None),
                            ("binary.txt", None), ("latin1.txt", None), ("lines.jsonl", 1), ("lines.jsonl", 2)}
    assert entries[("empty.txt", None)]["outcome"] == "excluded" and "empty" in entries[("empty.txt", None)]["reason"]
    assert "binary" in entries[("binary.txt", None)]["reason"]
    assert "invalid JSON" in entries[("lines.jsonl", 2)]["reason"]
    duplicate = entries[("zz-copy-of-good.txt", None)]
    assert duplicate["outcome"] == "excluded" and "exact duplicate of good.txt" in duplicate["reason"]
    assert entries[("good.txt", None)]["outcome"] in {"included", "flagged"}
    assert entries[("lines.jsonl", 1)]["article_id"]


def test_near_duplicate_and_guessed_encoding_are_flagged(messy_build):
    result, _ = messy_build
    entries = by_file(result.report)
    assert entries[("near.txt", None)]["outcome"] == "flagged" or entries[("good.txt", None)]["outcome"] == "flagged"
    flagged = [e for e in result.report["files"] if e["reason"] and "near_duplicate" in e["reason"]]
    assert len(flagged) == 1
    assert "encoding_guessed" in entries[("latin1.txt", None)]["reason"]


def test_messy_release_validates(messy_build):
    from newsfacts.release.validate import validate_release

    _, output = messy_build
    assert validate_release(output) == []
    report = json.loads((output / "build-report.json").read_text())
    assert report["counts"]["excluded"] == 4


def test_strict_build_refuses_exclusions(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "000_1bf7e7c3ea9bf00a.txt", inputs)
    (inputs / "empty.txt").write_bytes(b"")
    with pytest.raises(BuildError, match="empty.txt: empty file"):
        build(inputs, tmp_path / "out", progress=False, strict=True)
    assert not (tmp_path / "out").exists()


def test_cli_build_and_validate(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "000_1bf7e7c3ea9bf00a.txt", inputs)
    (inputs / "empty.txt").write_bytes(b"")
    assert main(["build", "--input", str(inputs), "--output", str(tmp_path / "out"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "excluded empty.txt: empty file" in captured.err
    assert main(["validate", str(tmp_path / "out"), "--quiet"]) == 0
    (tmp_path / "out" / "CHECKSUMS.sha256").write_text("")
    assert main(["validate", str(tmp_path / "out")]) == 1
    assert "[checksum]" in capsys.readouterr().out


def test_cli_build_reports_missing_input(tmp_path, capsys):
    assert main(["build", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "out")]) == 2
    assert "input folder does not exist" in capsys.readouterr().err


def test_extract_folder_has_the_builds_time_limit(tmp_path, monkeypatch):
    """`extract_folder` runs the documents through the build's executor, with the build's limit: by default
    DEFAULT_TIMEOUT, and a document that runs past it is left out while the others are extracted (in seconds, not
    the minute the document would hang)."""
    import inspect
    import time

    from newsfacts.build import BuildRefused, extract_folder
    from newsfacts.engine import DEFAULT_TIMEOUT
    from worker_deaths import HANGS, hang_in_extraction

    assert inspect.signature(extract_folder).parameters["timeout"].default == DEFAULT_TIMEOUT
    hang_in_extraction(monkeypatch)
    (tmp_path / "a.txt").write_text("Harbour news\n\nAbout 2,000 workers are building the bridge in Lisbon, the "
                                    "company said on Monday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{HANGS}\n\nThe {HANGS} was closed on Monday, officials said.", encoding="utf-8")
    started = time.monotonic()
    articles = extract_folder(tmp_path, timeout=2)
    assert time.monotonic() - started < 40
    assert [article.source.file for article in articles] == ["a.txt"]
    with pytest.raises(BuildRefused, match="--timeout must be 0"):
        extract_folder(tmp_path, timeout=-1)
