"""Pinning rules of the evaluation gate, on a throw-away baseline folder."""

import json

import pytest

from newsfacts import evaluation


@pytest.fixture
def baseline_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(evaluation, "BASELINE_DIR", tmp_path)
    (tmp_path / "demo.json").write_text(json.dumps({"scorer": "x:y", "scores": {"f1": 0.5}, "history": []}))
    return tmp_path


def read(baseline_dir):
    return json.loads((baseline_dir / "demo.json").read_text())


def test_raise_rounds_down_and_keeps_history(baseline_dir):
    evaluation.pin("demo", {"f1": 0.97509, "informative": 0.3}, reason=None)
    baseline = read(baseline_dir)
    assert baseline["scores"] == {"f1": 0.975}
    assert baseline["history"][-1]["scores"] == {"f1": 0.5}
    assert evaluation.regressions("demo", {"f1": 0.97509}) == []


def test_lowering_needs_a_reason(baseline_dir):
    with pytest.raises(ValueError, match="needs --reason"):
        evaluation.pin("demo", {"f1": 0.4}, reason=None)
    evaluation.pin("demo", {"f1": 0.4}, reason="new tokenizer splits differently")
    assert read(baseline_dir)["history"][-1]["reason"] == "new tokenizer splits differently"


def test_a_drop_is_a_regression(baseline_dir):
    assert evaluation.regressions("demo", {"f1": 0.49}) and not evaluation.regressions("demo", {"f1": 0.5})
    assert "no longer reports" in evaluation.regressions("demo", {"other": 1.0})[0]
