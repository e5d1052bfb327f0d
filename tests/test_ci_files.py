"""The pre-commit hook and the example GitHub Actions workflow run commands this newsfacts understands."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
import yaml

from newsfacts.cli import EXIT_OK, main, make_parser
from tests_paths import COMMITTED_RELEASE, REPO

WORKFLOW = REPO / "examples" / "github-actions" / "validate-dataset.yml"


def newsfacts_commands(script: str) -> list[list[str]]:
    """Every `newsfacts ...` command line in a shell script, split as the shell would (variables kept)."""
    return [shlex.split(line.strip())[1:] for line in script.splitlines() if line.strip().startswith("newsfacts ")]


def test_pre_commit_hook_validates_the_dataset_folder(capsys, tmp_path, monkeypatch):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "newsfacts-validate"]
    assert {"id", "name", "entry", "language"} <= hook.keys() and hook["pass_filenames"] is False
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["newsfacts", "validate"]
    assert re.search(hook["files"], "dataset/data/articles/train-00000-of-00001.parquet")
    assert not re.search(hook["files"], "src/newsfacts/cli/__init__.py")
    # pre-commit runs `entry args...` from the repository root
    shutil.copytree(COMMITTED_RELEASE, tmp_path / "dataset")
    monkeypatch.chdir(tmp_path)
    assert main([*entry[1:], *hook["args"]]) == EXIT_OK
    (tmp_path / "dataset" / "README.md").write_text("no card")
    assert main([*entry[1:], *hook["args"]]) == 1
    capsys.readouterr()


def test_workflow_validates_with_annotations_and_diffs_against_the_previous_release():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [c for step in steps if "run" in step for c in newsfacts_commands(step["run"])]
    assert [c[0] for c in commands] == ["validate", "diff"]
    parser = make_parser()
    for command in commands:
        parser.parse_args(command)  # exits 2 on an option this version does not have
    validate, diff = (parser.parse_args(c) for c in commands)
    assert validate.format == "github" and str(validate.folder) == "$DATASET"
    assert str(diff.new) == "$DATASET"
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "the diff reads the previous release from the git history"


@pytest.mark.parametrize("path", [".pre-commit-hooks.yaml", "examples/github-actions/validate-dataset.yml"])
def test_readme_documents_the_ci_files(path):
    assert path in (REPO / "README.md").read_text()
