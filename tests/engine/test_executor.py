"""Choosing the engine: `executor(name)` and `newsfacts build --engine`, and a clear refusal when the engine
asked for is not installed."""

from __future__ import annotations

import sys

import pytest

from newsfacts.cli import EXIT_USAGE, main
from newsfacts.engine import EngineUnavailable, executor, local
from tests_paths import SEEDS


def test_the_local_engine_is_the_default():
    assert executor() is local.run
    assert executor("local", quiet=True) is local.run


def test_an_unknown_engine_is_refused():
    with pytest.raises(EngineUnavailable, match="no such engine"):
        executor("spark")


def test_build_with_ray_not_installed_exits_2_and_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if Ray were not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    status = main(["build", "--input", str(SEEDS), "--output", str(tmp_path / "out"), "--engine", "ray",
                   "--no-cache"])
    err = capsys.readouterr().err
    assert status == EXIT_USAGE
    assert "install newsfacts[ray]" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
