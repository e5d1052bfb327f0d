"""`newsfacts diff OLD NEW` on copies of the committed release (nothing is built here)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest

from newsfacts.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from newsfacts.models import CONFIGS
from newsfacts.release.compat import Level
from newsfacts.release.diff import diff_releases, diff_rows, version_bump
from newsfacts.release.write import parquet_path
from tests_paths import COMMITTED_RELEASE, REPO


@pytest.fixture
def old(tmp_path):
    return _copy(tmp_path / "old")


@pytest.fixture
def new(tmp_path):
    return _copy(tmp_path / "new")


def _copy(target):
    shutil.copytree(COMMITTED_RELEASE, target)
    return target


def declared(folder) -> str:
    return json.loads((folder / "build-report.json").read_text())["newsfacts_version"]


def set_version(folder, version):
    """Declare `version` everywhere a release declares it (card, marker, build report)."""
    current = declared(folder)
    for name in ("README.md", ".newsfacts-release", "build-report.json"):
        path = folder / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            text = re.sub(rf"\*\*{re.escape(current)}\*\*", f"**{version}**", text)
            text = re.sub(rf"^(# .*) {re.escape(current)}$", rf"\1 {version}", text, flags=re.MULTILINE)
            text = text.replace(f'"newsfacts_version": "{current}"', f'"newsfacts_version": "{version}"')
            path.write_text(text, encoding="utf-8")


def drop_field(folder, config, name, where=("json", "parquet")):
    if "json" in where:
        path = folder / "schema" / f"{config}.schema.json"
        schema = json.loads(path.read_text())
        del schema["properties"][name]
        schema["required"].remove(name)
        path.write_text(json.dumps(schema, indent=2))
    if "parquet" in where:
        path = folder / parquet_path(config)
        pq.write_table(pq.read_table(path).drop_columns([name]), path)


def edit_rows(folder, config, mutate):
    path = folder / parquet_path(config)
    table = pq.read_table(path)
    rows = table.to_pylist()
    mutate(rows)
    pq.write_table(table.from_pylist(rows, schema=table.schema), path)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def bumped(version: str, part: str) -> str:
    major, minor, patch = map(int, version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0",
            "patch": f"{major}.{minor}.{patch + 1}"}[part]


# The case: a removed field -------------------------------------------------------------------------

@pytest.mark.parametrize("where", [("json", "parquet"), ("json",), ("parquet",)])
def test_a_removed_field_without_a_major_bump_fails_and_names_the_field(capsys, old, new, where):
    drop_field(new, "articles", "cleaning", where)
    set_version(new, bumped(declared(old), "minor"))
    code, out, err = run(capsys, "diff", old, new)
    assert code == EXIT_PROBLEMS
    assert "major" in err and "/properties/cleaning" in err and "'cleaning' removed" in err
    assert "major  articles  /properties/cleaning  field 'cleaning' removed" in out
    assert "Traceback" not in out + err


def test_a_removed_field_with_a_major_bump_passes(capsys, old, new):
    drop_field(new, "quotes", "cue")
    set_version(new, bumped(declared(old), "major"))
    code, out, err = run(capsys, "diff", old, new)
    assert code == EXIT_OK, err
    assert "the changes need a major bump" in out


def test_a_new_field_needs_a_minor_bump(capsys, old, new):
    """OLD without a field NEW has: an addition, minor (whether or not every row carries the field)."""
    drop_field(old, "articles", "cleaning")
    set_version(new, bumped(declared(old), "patch"))
    code, _, err = run(capsys, "diff", old, new)
    assert code == EXIT_PROBLEMS and "need a minor bump" in err
    set_version(new, bumped(declared(old), "minor"))
    assert run(capsys, "diff", old, new)[0] == EXIT_OK


# Rows ----------------------------------------------------------------------------------------------------

def test_rows_added_removed_and_changed_are_counted_by_row_key(old, new):
    quotes = pq.read_table(new / parquet_path("quotes")).to_pylist()
    gone = f"{quotes[0]['article_id']}/{quotes[0]['index']}"
    edit_rows(new, "quotes", lambda rows: rows.pop(0))
    articles = pq.read_table(new / parquet_path("articles")).to_pylist()
    edit_rows(new, "articles", lambda rows: rows[1].update(title="A corrected title"))
    result = diff_releases(old, new)
    assert result.data["quotes"].removed == [gone] and result.data["quotes"].added == []
    assert result.data["articles"].changed == [articles[1]["id"]]
    assert result.data["articles"].changed_fields == {"title": 1}
    assert not result.data["figures"].any
    assert result.schema == [] and result.required == Level.PATCH


def test_changed_rows_need_a_patch_bump(capsys, old, new):
    edit_rows(new, "figures", lambda rows: rows.pop())
    code, out, err = run(capsys, "diff", old, new)
    assert code == EXIT_PROBLEMS and "need a patch bump" in err and "figures (0 added, 1 removed" in err
    set_version(new, bumped(declared(old), "patch"))
    code, out, _ = run(capsys, "diff", old, new)
    assert code == EXIT_OK and "1 removed" in out


def test_a_new_column_alone_does_not_change_every_row():
    old_rows = [{"id": "a", "text": "x", "nested": [{"start": 1}]}]
    new_rows = [{"id": "a", "text": "x", "nested": [{"start": 1, "caption": None}], "cleaning": {"m": 1}}]
    assert not diff_rows("articles", old_rows, new_rows).any
    new_rows[0]["nested"][0]["start"] = 2
    assert diff_rows("articles", old_rows, new_rows).changed_fields == {"nested": 1}


def test_the_same_release_has_no_changes_and_passes(capsys, old):
    code, out, _ = run(capsys, "diff", old, COMMITTED_RELEASE)
    assert code == EXIT_OK
    assert "schema: no changes" in out and "the changes need no bump" in out
    row_lines = [line for line in out.splitlines() if " rows: " in line]
    assert len(row_lines) == len(CONFIGS) and all(line.endswith("rows: unchanged") for line in row_lines)


def test_json_output_is_the_whole_diff(capsys, old, new):
    drop_field(new, "figures", "hedge")
    edit_rows(new, "quotes", lambda rows: rows.pop())
    code, out, _ = run(capsys, "diff", "--json", "--limit", "0", old, new)
    result = json.loads(out)
    assert code == EXIT_PROBLEMS and result["ok"] is False and result["required"] == "major"
    assert result["bump"] == "none" and "major bump" in result["reason"]
    assert {"config": "figures", "pointer": "/properties/hedge", "level": "major", "kind": "removed",
            "message": "field 'hedge' removed"} in result["schema"]
    assert result["data"]["quotes"]["removed"] == 1 and len(result["data"]["quotes"]["removed_ids"]) == 1
    assert result["old"]["version"] == result["new"]["version"] == declared(old)
    assert set(result["new"]["sources"]) == {"card", "marker", "build_report"}


# Versions ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("before, after, level", [
    ("1.0.0", "1.1.0", Level.MINOR), ("1.1.0", "2.0.0", Level.MAJOR), ("1.1.0", "1.1.1", Level.PATCH),
    ("1.1.0", "1.1.0", Level.NONE), ("1.1.0", "1.0.9", None), ("1.1.0", "unknown", None),
    ("2.0.0-rc.1", "2.0.0", Level.NONE), ("2.0.0-rc.2", "2.0.0-rc.10", Level.NONE), ("2.0.0", "2.0.0-rc.1", None),
    ("1.9.0", "2.0.0-rc.1", Level.MAJOR),
])
def test_version_bump(before, after, level):
    assert version_bump(before, after) == level


def test_below_one_a_minor_bump_may_break(capsys, old, new):
    set_version(old, "0.3.2")
    drop_field(new, "quotes", "cue")
    set_version(new, "0.4.0")
    assert run(capsys, "diff", old, new)[0] == EXIT_OK
    set_version(new, "0.3.3")
    assert run(capsys, "diff", old, new)[0] == EXIT_PROBLEMS


def test_the_card_version_is_the_declared_version(old, new):
    """A user's own dataset has its own version (the card's), distinct from the newsfacts that built it."""
    card = new / "README.md"
    card.write_text(re.sub(r"Dataset version: \*\*[^*]+\*\*", "Dataset version: **7.0.0**", card.read_text()))
    result = diff_releases(old, new)
    assert result.new.version == "7.0.0" and result.new.version_sources["marker"] == declared(old)


def test_a_lower_version_fails(capsys, old, new):
    edit_rows(new, "figures", lambda rows: rows.pop())
    set_version(new, "0.9.0")
    code, _, err = run(capsys, "diff", old, new)
    assert code == EXIT_PROBLEMS and "not above" in err


# Malformed input: problems, not crashes ----------------------------------------------------------------

def test_usage_errors_exit_2(capsys, old, tmp_path):
    assert run(capsys, "diff", old, tmp_path / "missing")[0] == EXIT_USAGE
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "diff", tmp_path / "empty", old)
    assert code == EXIT_USAGE and "not a newsfacts release" in err
    with pytest.raises(SystemExit) as exit_:
        main(["diff", str(old)])
    assert exit_.value.code == EXIT_USAGE


@pytest.mark.parametrize("damage", ["parquet", "schema", "ref", "marker", "card"])
def test_malformed_releases_are_problems_not_tracebacks(capsys, old, new, damage):
    if damage == "parquet":
        (new / parquet_path("quotes")).write_bytes(b"not parquet at all")
    elif damage == "schema":
        (new / "schema" / "figures.schema.json").write_text("{not json")
    elif damage == "ref":
        path = new / "schema" / "articles.schema.json"
        path.write_text(path.read_text().replace('"#/$defs/', '"#/$defs/Missing'))
    elif damage == "marker":
        (new / ".newsfacts-release").write_bytes(b"\xff\xfe")
        (new / "build-report.json").write_text("[]")
    else:
        (new / "README.md").write_bytes(b"\x00\xff binary")
    code, out, err = run(capsys, "diff", old, new)
    assert "Traceback" not in out + err
    if damage in ("marker", "card"):
        assert code == EXIT_OK  # the version is still declared by the other sources; nothing else changed
    else:
        assert code == EXIT_PROBLEMS and "could not be compared" in err and "problem:" in out


def test_a_release_that_declares_no_version_cannot_pass_a_change(capsys, old, new):
    for name in ("README.md", ".newsfacts-release"):
        (new / name).unlink()
    report = new / "build-report.json"
    report.write_text(report.read_text().replace('"newsfacts_version"', '"other"'))
    edit_rows(new, "figures", lambda rows: rows.pop())
    code, _, err = run(capsys, "diff", old, new)
    assert code == EXIT_PROBLEMS and "declares no version" in err


# CI: the committed release against the previous release in git history ---------------------------------

def _git(*args) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout


def previous_release_commit(current: str) -> str | None:
    """The newest commit whose dataset/ declares another version than `current` (in build-report.json)."""
    for commit in _git("log", "--format=%H", "--", "dataset").split():
        try:
            report = json.loads(_git("show", f"{commit}:dataset/build-report.json"))
        except (subprocess.CalledProcessError, ValueError):
            continue
        if report.get("newsfacts_version") not in (None, current):
            return commit
    return None


def test_the_committed_release_passes_against_the_previous_release(capsys, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        _git("rev-parse", "--git-dir")
        commit = previous_release_commit(declared(COMMITTED_RELEASE))
    except subprocess.CalledProcessError:
        pytest.skip("not a git checkout")
    if commit is None:
        pytest.skip("no earlier release in the git history (a shallow clone?)")
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "dataset"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive, check=True)
    code, out, err = run(capsys, "diff", tmp_path / "dataset", COMMITTED_RELEASE)
    assert code == EXIT_OK, f"{err}\n{out}"
    assert "Traceback" not in err
