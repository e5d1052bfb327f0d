"""Every command-line mistake is one line on stderr with a documented exit code, never a traceback."""

from __future__ import annotations

import argparse
import errno
import io
import json
import shutil
import sys

import pytest

from newsfacts.cli import EXIT_PROBLEMS, EXIT_USAGE, main, make_parser
from tests_paths import COMMITTED_RELEASE, SEEDS

SEED = SEEDS / "004_a349b1ab514efdb2.txt"


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse
        code = exc.code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.out, captured.err


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    return folder


def test_every_argument_of_every_command_is_explained():
    parser = make_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in [("newsfacts", parser), *subparsers.choices.items()]:
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, f"{name}: {action.dest} has no help"
        assert "exit codes:" in sub.format_help() and "130" in sub.format_help()


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (["--jobs", "0"], "argument --jobs: expected a positive whole number, got '0'"),
        (["--jobs", "-3"], "argument --jobs: expected a positive whole number, got '-3'"),
        (["--jobs", "two"], "argument --jobs: expected a positive whole number, got 'two'"),
        (["--max-bytes", "0"], "argument --max-bytes: expected a positive size"),
        (["--max-bytes", "-1"], "argument --max-bytes: expected a positive size"),
        (["--max-bytes", "lots"], "argument --max-bytes: expected a positive size"),
        (["--timeout", "-1"], "argument --timeout: expected 0 or a positive number of seconds, got '-1'"),
        (["--timeout", "soon"], "argument --timeout: expected 0 or a positive number of seconds, got 'soon'"),
        (["--timeout", "inf"], "argument --timeout: expected 0 or a positive number of seconds, got 'inf'"),
        (["--model", "no_such_model_pkg"], "--model no_such_model_pkg: no installed spaCy model package"),
        (["--card-notes", "/nonexistent/notes.md"], "--card-notes /nonexistent/notes.md: No such file"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_build_options_are_one_line_and_exit_2(capsys, inputs, tmp_path, argv, why):
    code, out, err = run(capsys, "build", "--input", str(inputs), "--output", str(tmp_path / "out"), *argv)
    assert code == EXIT_USAGE and why in err and len(err.strip().splitlines()) == 1 and out == ""
    assert not (tmp_path / "out").exists()


def test_max_bytes_takes_a_suffix(capsys, inputs, tmp_path):
    code, _, err = run(capsys, "build", "--input", str(inputs), "--output", str(tmp_path / "out"), "--quiet",
                       "--max-bytes", "1K")
    assert code == EXIT_PROBLEMS and "file too large" in err and "limit is 1024" in err


def _good_and_bad_inputs(tmp_path, marker: str):
    """An input folder: a.txt, an ordinary story, and b.txt, whose `marker` (worker_deaths.py) makes its extraction
    misbehave."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour news\n\nAbout 2,000 workers are building the bridge in Lisbon, the "
                                  "company said on Monday.", encoding="utf-8")
    (folder / "b.txt").write_text(f"{marker}\n\nThe {marker} was closed on Monday, officials said.", encoding="utf-8")
    return folder


def test_a_document_that_hangs_is_excluded_after_the_timeout(capsys, tmp_path, monkeypatch):
    """`--timeout` reaches the engine: at --jobs 1 too (a worker process), the hanging document is excluded with
    the limit and the build goes on; `--timeout 0` is no limit (the build would hang: not run here)."""
    from worker_deaths import HANGS, hang_in_extraction

    hang_in_extraction(monkeypatch)
    folder = _good_and_bad_inputs(tmp_path, HANGS)
    code, _, err = run(capsys, "build", "--input", str(folder), "--output", str(tmp_path / "out"), "--quiet",
                       "--no-cache", "--jobs", "1", "--timeout", "2")
    assert code == 0
    assert "excluded b.txt: extraction took longer than 2 s (the limit, --timeout)" in err
    assert make_parser().parse_args(["build", "--input", "i", "--output", "o", "--timeout", "0"]).timeout == 0


@pytest.mark.parametrize("options", [["--jobs", "1"], ["--jobs", "1", "--timeout", "0"]],
                         ids=["one-worker", "in-process"])
def test_a_document_whose_extraction_calls_sys_exit_is_excluded_and_the_build_goes_on(capsys, tmp_path, monkeypatch,
                                                                                       options):
    """A library's `sys.exit(3)` on malformed input ends neither the build nor the worker: the document is excluded
    with the reason, as one that raises an Exception is, and the release is written."""
    from worker_deaths import EXITS, raise_in_extraction

    raise_in_extraction(monkeypatch)
    folder = _good_and_bad_inputs(tmp_path, EXITS)
    code, _, err = run(capsys, "build", "--input", str(folder), "--output", str(tmp_path / "out"), "--quiet",
                       "--no-cache", *options)
    assert code == 0, err
    assert "excluded b.txt: extraction failed: SystemExit: 3 (at worker_deaths.py:" in err
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert {entry["file"]: entry["outcome"] for entry in report["files"]}["b.txt"] == "excluded"
    assert report["counts"]["excluded"] == 1


def test_extract_says_it_has_no_time_limit_and_how_to_bound_it(capsys):
    """`extract` runs in this process, where no limit could stop native code: its help says so instead of offering
    a --timeout it could not keep."""
    code, out, _ = run(capsys, "extract", "--help")
    assert code == 0
    assert "No time limit, unlike `build --timeout`" in out and "timeout 300 newsfacts extract page.html" in out
    assert "timeout" not in vars(make_parser().parse_args(["extract", "x"]))


def test_missing_input_and_file_input_are_usage_errors(capsys, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    for given, why in ((tmp_path / "nope", "input folder does not exist"), (tmp_path / "file.txt", "not a folder")):
        code, _, err = run(capsys, "build", "--input", str(given), "--output", str(tmp_path / "out"))
        assert code == EXIT_USAGE and why in err and len(err.strip().splitlines()) == 1


def test_unwritable_output_is_refused_before_any_work(capsys, inputs, tmp_path, monkeypatch):
    from newsfacts.release import output

    real_access = output.os.access
    monkeypatch.setattr(output.os, "access", lambda path, mode: str(path) != str(tmp_path) and real_access(path, mode))
    code, _, err = run(capsys, "build", "--input", str(inputs), "--output", str(tmp_path / "out"))
    assert code == EXIT_USAGE and "cannot write in" in err and len(err.strip().splitlines()) == 1


def test_a_full_disk_is_a_message_and_keeps_the_previous_release(capsys, inputs, tmp_path, monkeypatch):
    from newsfacts.release import shards

    out = tmp_path / "out"
    assert run(capsys, "build", "--input", str(inputs), "--output", str(out), "--quiet")[0] == 0
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shards.ShardWriter, "_write_row_group", full)  # where the Parquet shards are written
    # --no-cache: with the cache, the same build again would find the release up to date and write nothing
    code, _, err = run(capsys, "build", "--input", str(inputs), "--output", str(out), "--quiet", "--no-cache")
    assert code == EXIT_USAGE and "cannot write the release: No space left on device" in err
    assert len(err.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_validate_of_a_missing_folder_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope"))
    assert code == EXIT_USAGE and "not a folder" in err


def test_validate_format_github_prints_workflow_annotations(capsys, tmp_path):
    release = tmp_path / "dataset"
    shutil.copytree(COMMITTED_RELEASE, release)
    code, out, _ = run(capsys, "validate", str(release), "--format", "github", "--quiet")
    assert (code, out) == (0, "")
    with (release / "build-report.json").open("a") as handle:
        handle.write("\n")
    code, out, err = run(capsys, "validate", str(release), "--format", "github")
    assert code == EXIT_PROBLEMS and "1 problem(s)" in err
    assert out == (f"::error file={release}/build-report.json,title=newsfacts validate [checksum]::"
                   "/: sha256 differs from CHECKSUMS.sha256\n")
    code, out, _ = run(capsys, "validate", str(release), "--json")
    assert json.loads(out)[0]["rule"] == "checksum"
    assert run(capsys, "validate", str(release), "--format", "json")[1] == out
    code, _, err = run(capsys, "validate", str(release), "--json", "--format", "github")
    assert code == EXIT_USAGE and "disagree" in err


def test_github_annotations_escape_what_the_workflow_syntax_reserves():
    from pathlib import Path

    from newsfacts.cli import _github_annotation
    from newsfacts.release.validate import Problem

    line = _github_annotation(Path("my,data:set"), Problem("data/a.parquet", "ab/1", "/text", "span",
                                                           "100% wrong\nsecond line"))
    assert line == ("::error file=my%2Cdata%3Aset/data/a.parquet,title=newsfacts validate [span]::"
                    "row ab/1: /text: 100%25 wrong%0Asecond line")
    assert "\n" not in line


def test_extract_reads_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    code, out, _ = run(capsys, "extract", "-", "--url", "https://example.com/a")
    article = json.loads(out)
    assert code == 0 and article["source"]["file"] == "<stdin>" and article["source"]["url"] == "https://example.com/a"


def test_extract_honours_a_url_sidecar(capsys, tmp_path):
    shutil.copy(SEED, tmp_path / "page.txt")
    (tmp_path / "page.url").write_text("https://example.com/story\n")
    code, out, _ = run(capsys, "extract", str(tmp_path / "page.txt"))
    article = json.loads(out)
    assert code == 0 and article["source"]["url"] == "https://example.com/story"
    assert article["source"]["url_method"] == "caller"
    code, out, _ = run(capsys, "extract", str(tmp_path / "page.txt"), "--url", "https://example.com/given")
    assert json.loads(out)["source"]["url"] == "https://example.com/given"


@pytest.mark.parametrize(
    ("argv", "code", "why"),
    [
        (["/nonexistent/page.txt"], EXIT_USAGE, "No such file"),
        (["/"], EXIT_USAGE, "Is a directory"),
        ([str(SEED), "--model", "no_such_model_pkg"], EXIT_USAGE, "no_such_model_pkg"),
    ],
)
def test_extract_mistakes_are_messages(capsys, argv, code, why):
    got, _, err = run(capsys, "extract", *argv)
    assert got == code and why in err and len(err.strip().splitlines()) == 1


def test_extract_of_an_empty_file_is_a_problem(capsys, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = run(capsys, "extract", str(tmp_path / "empty.txt"))
    assert code == EXIT_PROBLEMS and "empty file" in err


# --- newsfacts cache ---------------------------------------------------------------------------------------


def test_cache_info_on_a_missing_and_an_empty_cache(capsys, tmp_path, private_cache_dir):
    missing = tmp_path / "missing"
    code, out, err = run(capsys, "cache", "info", "--cache", str(missing))
    assert code == 0 and err == "" and f"cache: {missing} (--cache)" in out and "no cache there yet" in out
    code, out, _ = run(capsys, "cache", "info", "--cache", str(missing), "--json")
    assert code == 0 and json.loads(out) == {"cache": str(missing), "exists": False, "size": 0, "pipelines": [],
                                             "interrupted_prunes_size": 0,
                                             "not_newsfacts": {"files": 0, "size": 0}}
    assert not missing.exists()
    (tmp_path / "empty").mkdir()
    code, out, _ = run(capsys, "cache", "info", "--cache", str(tmp_path / "empty"))
    assert code == 0 and "0 pipelines" in out
    code, out, _ = run(capsys, "cache", "info")  # the default folder, as `newsfacts build` finds it
    assert code == 0 and f"cache: {private_cache_dir} ($NEWSFACTS_CACHE_DIR)" in out


def test_cache_info_prune_and_clear_after_a_build(capsys, inputs, tmp_path):
    from newsfacts.cache import LAYOUT, pipeline_fingerprint

    cache = tmp_path / "cache"
    assert run(capsys, "build", "--input", str(inputs), "--output", str(tmp_path / "out"), "--cache", str(cache),
               "--jobs", "1", "--quiet")[0] == 0
    other = cache / LAYOUT / ("a" * 32) / "ab" / ("a" * 64 + ".json")
    other.parent.mkdir(parents=True)
    other.write_bytes(b"{}" * 5000)
    installed = pipeline_fingerprint()[:32]
    code, _, err = run(capsys, "build", "--input", str(inputs), "--output", str(tmp_path / "again"), "--cache",
                       str(cache), "--jobs", "1")
    assert code == 0 and "1 hits, 0 misses, 0 stored; it also holds 1 other pipeline's data" in err
    code, out, _ = run(capsys, "cache", "info", "--cache", str(cache))
    assert code == 0 and "2 pipelines" in out and f"{installed[:12]} *" in out and "aaaaaaaaaaaa " in out
    assert "`newsfacts cache prune` removes the other pipelines'" in out
    info = json.loads(run(capsys, "cache", "info", "--cache", str(cache), "--json")[1])
    assert [(p["folder"], p["installed"], p["items"]["article"]["count"]) for p in info["pipelines"]] == \
        sorted([("a" * 32, False, 1), (installed, True, 1)])
    assert info["pipelines"][[p["installed"] for p in info["pipelines"]].index(True)]["made_by"]["newsfacts"]

    code, out, _ = run(capsys, "cache", "prune", "--cache", str(cache), "--dry-run")
    assert code == 0 and f"would remove {other.parents[1]}" in out and "dry run: nothing was removed" in out
    assert other.exists()
    code, out, _ = run(capsys, "cache", "prune", "--cache", str(cache))
    assert code == 0 and f"removed {other.parents[1]}" in out and "freed " in out and not other.exists()
    assert "nothing to remove" in run(capsys, "cache", "prune", "--cache", str(cache))[1]
    code, out, _ = run(capsys, "cache", "prune", "--cache", str(cache), "--max-size", "1K")
    assert code == 0 and "installed" in out and list((cache / LAYOUT).iterdir()) == []
    code, out, _ = run(capsys, "cache", "clear", "--cache", str(cache))
    assert code == 0 and "nothing to remove" in out


def test_cache_mistakes_are_one_line_and_exit_2(capsys, tmp_path):
    (tmp_path / "file").write_text("not a cache")
    for argv in (["info"], ["prune"], ["clear", "--dry-run"]):
        code, out, err = run(capsys, "cache", *argv, "--cache", str(tmp_path / "file"))
        assert code == EXIT_USAGE and out == "" and err.strip() == f"newsfacts cache: error: {tmp_path / 'file'}: not a folder"
    code, _, err = run(capsys, "cache", "prune", "--max-size", "lots")
    assert code == EXIT_USAGE and "argument --max-size: expected a positive size" in err
    code, _, err = run(capsys, "cache")
    assert code == EXIT_USAGE and len(err.strip().splitlines()) == 1
