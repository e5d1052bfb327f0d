"""Paths of the repository, for tests (importable through `pythonpath` in pyproject.toml)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
COMMITTED_RELEASE = REPO / "dataset"
SEED_CURATION = REPO / "curation" / "seeds.yaml"  # scripts/build.sh passes it to the seed build


def seed_release_info():
    """What scripts/build.sh says about the seed release (name, licence, version, card notes)."""
    from newsfacts import __version__
    from newsfacts.release.card import ReleaseInfo

    notes = (REPO / "scripts" / "seed-card.md").read_text(encoding="utf-8")
    return ReleaseInfo(name="newsfacts", license="other", version=__version__, notes=notes)
