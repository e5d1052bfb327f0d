"""The evaluation gate: every development-set score must stay at or above its pinned baseline."""

from __future__ import annotations

import os

import pytest

from newsfacts import evaluation

TASKS = evaluation.tasks()


def test_baselines_exist():
    assert TASKS, "no baselines in eval/baseline/: the gate would check nothing"


@pytest.mark.parametrize("task", TASKS)
def test_no_regression(task):
    shared = evaluation.shared_dir()
    if not (shared / "devdata").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"development data not found at {shared} (set NEWSFACTS_SHARED)")
        pytest.skip(f"development data not found at {shared}")
    scores = evaluation.scorer_for(task)(shared)
    assert not evaluation.regressions(task, scores), evaluation.regressions(task, scores)
