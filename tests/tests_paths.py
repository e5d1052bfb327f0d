"""Paths of the repository, for tests (importable through `pythonpath` in pyproject.toml)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
COMMITTED_RELEASE = REPO / "dataset"
