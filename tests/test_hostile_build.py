"""`newsfacts build` tried as a careless user and as an attacker would: it never deletes a user file, never
reads outside its input, never prints a traceback, never loses a good record and never leaves staging."""

from __future__ import annotations

import json
import os
import shutil
import socket

import pyarrow.parquet as pq
import pytest

from newsfacts.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from newsfacts.release.validate import validate_release
from newsfacts.release.write import MARKER_FILE, parquet_path
from tests_paths import COMMITTED_RELEASE, SEEDS

SECRET = "SECRET-PRIVATE-NOTES"
GOOD_RECORDS = [
    {"text": "Officials said on Monday that 1,500 soldiers had arrived in Vladivostok — by rail.",
     "title": "Troops | arrive\nnow"},
    {"text": "The minister said 20 ships had docked.\u2028A second paragraph follows.", "outlet": "Wire | Service"},
    {"text": "Prices rose 3.5% in October, the statistics office said.", "date": "2024-10-25"},
]


def cli(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def beside(output):
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}."))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    secret = root / "secret"
    secret.mkdir()
    (secret / "notes.txt").write_text(f"My notes\n\n{SECRET}: the source's phone number.", encoding="utf-8")
    (secret / "url.txt").write_text(f"https://{SECRET.lower()}.example/\n", encoding="utf-8")
    inputs = root / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "004_a349b1ab514efdb2.txt", inputs / "story | one\nline.txt")
    shutil.copy(SEEDS / "000_1bf7e7c3ea9bf00a.txt", inputs / "dated.txt")
    (inputs / "dated.url").symlink_to("../secret/url.txt")
    (inputs / "link.txt").symlink_to("../secret/notes.txt")
    (inputs / "folder-link").symlink_to(secret)
    (inputs / "broken.txt").symlink_to("nowhere.txt")
    (inputs / "loop.txt").symlink_to("loop.txt")
    os.mkfifo(inputs / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inputs / "sock.txt"))
    (inputs / "manifest.yaml").write_text("manifest_version: 1\ndocuments:\n  - file: dated.txt\n    date: 2024-10-25\n",
                                          encoding="utf-8")
    hostile_lines = [
        b'{"text": "a", "n": ' + b"9" * 5000 + b"}",
        b'{"text": "a", "n": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"text": "lone \\ud800 surrogate"}',
        b'{"text": "fine text", "title": "lone \\udc00"}',
        b'{"title": "no text"}',
        b'{"text": "The club wrote off a \xa315.8m fee, its chairman said."}',  # one stray cp1252 byte
    ]
    lines = [json.dumps(GOOD_RECORDS[0]).encode(), *hostile_lines[:3],
             json.dumps(GOOD_RECORDS[1], ensure_ascii=False).encode(), *hostile_lines[3:],
             json.dumps(GOOD_RECORDS[2]).encode()]
    (inputs / "batch.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    output = root / "release"
    return root, inputs, output, server


@pytest.fixture(scope="module")
def built(hostile):
    root, inputs, output, server = hostile
    code = main(["build", "--input", str(inputs), "--output", str(output), "--quiet",
                 "--name", "Desk | test", "--license", "cc-by-4.0", "--version", "0.1"])
    report = json.loads((output / "build-report.json").read_text())
    return code, report, output


def test_the_build_succeeds_and_validates(built):
    code, _, output = built
    assert code == EXIT_OK and validate_release(output) == []
    assert json.loads((output / MARKER_FILE).read_text())["format"] == 1
    assert beside(output) == []


def test_every_entry_is_reported_with_its_fate(built):
    _, report, _ = built
    fates = {(e["file"], e["line"]): (e["outcome"], e["reason"]) for e in report["files"]}
    outside = "symbolic link pointing outside the input folder, not followed"
    assert fates[("link.txt", None)] == ("excluded", outside)
    assert fates[("dated.url", None)] == ("excluded", outside)
    assert fates[("folder-link", None)] == ("excluded", outside)
    assert fates[("broken.txt", None)][1].startswith("broken symbolic link")
    assert fates[("loop.txt", None)][1] == "symbolic link loop, not followed"
    assert fates[("pipe.txt", None)][1] == "named pipe (FIFO), not read"
    assert fates[("sock.txt", None)][1] == "socket, not read"
    assert fates[("manifest.yaml", None)] == ("auxiliary", "manifest")
    assert "a number with 5000 digits" in fates[("batch.jsonl", 2)][1]
    assert "nested too deeply" in fates[("batch.jsonl", 3)][1]
    assert "lone surrogate" in fates[("batch.jsonl", 4)][1] and "lone surrogate" in fates[("batch.jsonl", 6)][1]
    assert fates[("batch.jsonl", 7)] == ("excluded", "missing or empty 'text' field")
    assert fates[("batch.jsonl", 8)][0] == "flagged" and "encoding_guessed" in fates[("batch.jsonl", 8)][1]


def test_no_good_record_is_lost(built):
    _, report, output = built
    articles = {(r["source"]["file"], r["source"]["line"]): r
                for r in pq.read_table(output / parquet_path("articles")).to_pylist()}
    assert {("batch.jsonl", 1), ("batch.jsonl", 5), ("batch.jsonl", 8), ("batch.jsonl", 9),
            ("story | one\nline.txt", None), ("dated.txt", None)} == set(articles)
    # U+2028 is a character of the record, not a line break of the file (the clean stage makes it a newline).
    assert "docked." in articles[("batch.jsonl", 5)]["text"] and "second paragraph" in articles[("batch.jsonl", 5)]["text"]
    assert articles[("dated.txt", None)]["date"]["value"] == "2024-10-25"  # the unquoted YAML date
    assert articles[("dated.txt", None)]["source"]["url"] is None  # the linked sidecar was not read
    assert articles[("batch.jsonl", 8)]["text"].endswith("a £15.8m fee, its chairman said.")
    assert "in Vladivostok — by rail." in articles[("batch.jsonl", 1)]["text"]  # UTF-8, not mojibake


def test_nothing_from_outside_the_input_reaches_the_release(built):
    _, _, output = built
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data and SECRET.lower().encode() not in data, path


def test_the_card_is_the_builders_and_its_tables_hold(built):
    _, _, output = built
    card = (output / "README.md").read_text()
    assert "# Desk \\| test 0.1" in card and "license: cc-by-4.0" in card and "CC BY 4.0" not in card
    table = card.split("## Articles")[1].split("## Build report")[0]
    rows = [line for line in table.strip().splitlines() if line.startswith("| `")]
    assert len(rows) == 6 and all(line.count(" | ") == 5 for line in rows)
    assert "story \\| one line.txt" in table and "Troops \\| arrive now" in table


def test_strict_refuses_the_hostile_input_and_keeps_the_release(hostile, built, capsys):
    _, inputs, output, _ = hostile
    before = snapshot(output)
    code, err = cli(capsys, "build", "--input", str(inputs), "--output", str(output), "--quiet", "--strict")
    assert code == EXIT_PROBLEMS and "pipe.txt: named pipe" in err and "link.txt: symbolic link pointing outside" in err
    assert snapshot(output) == before and beside(output) == []


# --- what a build may replace, end to end -------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    raw = tmp_path / "proj" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(SEEDS / "004_a349b1ab514efdb2.txt", raw / "a.txt")
    (tmp_path / "proj" / "analysis.py").write_text("print('mine')\n")
    return tmp_path


@pytest.mark.parametrize(
    ("output", "why"),
    [
        ("proj", "contains the input folder"),
        ("proj/raw", "is the input folder"),
        ("proj/raw/out", "is inside the input folder"),
        ("proj/analysis.py", "is a file"),
        ("mine", "not a newsfacts release (it holds thesis.docx)"),
        (".", "contains the input folder"),
        ("here", "current directory"),
    ],
)
def test_user_files_are_never_replaced(project, capsys, monkeypatch, output, why):
    (project / "mine").mkdir()
    (project / "mine" / "thesis.docx").write_bytes(b"years of work")
    (project / "here").mkdir()
    (project / "here" / "notes.txt").write_text("x")
    monkeypatch.chdir(project / "here" if output == "here" else project)
    before = snapshot(project)
    code, err = cli(capsys, "build", "--input", str(project / "proj" / "raw"),
                    "--output", "." if output == "here" else output)
    assert code == EXIT_USAGE and why in err and len(err.strip().splitlines()) == 1
    assert snapshot(project) == before
    assert not [p for p in project.rglob(".*") if ".staging-" in p.name or p.name.endswith(".lock")]


def test_a_release_is_replaced_and_the_committed_one_too(project, capsys):
    raw = project / "proj" / "raw"
    target = project / "out"
    assert cli(capsys, "build", "--input", str(raw), "--output", str(target), "--quiet")[0] == EXIT_OK
    shutil.copy(SEEDS / "000_1bf7e7c3ea9bf00a.txt", raw / "b.txt")
    assert cli(capsys, "build", "--input", str(raw), "--output", str(target), "--quiet")[0] == EXIT_OK
    counts = json.loads((target / "build-report.json").read_text())["counts"]
    assert counts.get("included", 0) + counts.get("flagged", 0) == 2
    # A copy of the committed release (written before the marker existed, or with it) is a release too.
    legacy = project / "legacy"
    shutil.copytree(COMMITTED_RELEASE, legacy)
    assert cli(capsys, "build", "--input", str(raw), "--output", str(legacy), "--quiet")[0] == EXIT_OK
    assert (legacy / MARKER_FILE).is_file()
    assert beside(target) == [] and beside(legacy) == []
