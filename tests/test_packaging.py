"""The sdist and the wheel built from it install and run `newsfacts validate` without the repository.

Built as `python -m build` does (the sdist first, then the wheel from the unpacked sdist, so a file missing from
the sdist is missing from the wheel too), without build isolation: the setuptools of the test environment is
used and nothing is downloaded. The installed copy is imported from a folder of its own, from a working
directory outside the repository; its dependencies come from the current environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from newsfacts import __version__
from tests_paths import REPO

# Not the repository's own build artefacts, environments or caches.
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                     ".hypothesis", ".bench", "tmp")


def run(*command, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The sdist, the wheel built from it, and the wheel installed into a folder of its own."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"  # a copy, so the build writes nothing into the repository
    shutil.copytree(REPO, source, ignore=_NOT_SOURCE, symlinks=True)
    dist = work / "dist"
    dist.mkdir()
    run(sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(dist)!r})", cwd=source)
    (sdist,) = dist.glob("newsfacts-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "unpacked", filter="data")
    (unpacked,) = (work / "unpacked").iterdir()
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
        "--wheel-dir", str(dist), str(unpacked), cwd=work)
    (wheel,) = dist.glob("newsfacts-*.whl")
    site = work / "site"
    run(sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(site), str(wheel),
        cwd=work)
    return {"work": work, "sdist": sdist, "wheel": wheel, "site": site}


def package_data() -> list[str]:
    return sorted(p.name for p in (REPO / "src" / "newsfacts" / "data").iterdir() if p.suffix == ".yaml")


def test_the_sdist_holds_the_package_data_and_the_schema(built):
    prefix = f"newsfacts-{__version__}/"
    with tarfile.open(built["sdist"]) as archive:
        names = {name.removeprefix(prefix) for name in archive.getnames()}
    assert {f"src/newsfacts/data/{name}" for name in package_data()} <= names
    committed_schema = {f"schema/{p.name}" for p in (REPO / "schema").glob("*.schema.json")}
    assert committed_schema and committed_schema <= names
    assert {"pyproject.toml", "README.md", "MANIFEST.in", "src/newsfacts/cli/__init__.py",
            "src/newsfacts/release/publish.py"} <= names


def test_the_wheel_holds_the_package_data_and_the_command(built):
    with zipfile.ZipFile(built["wheel"]) as archive:
        names = set(archive.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        assert "newsfacts = newsfacts.cli:main" in archive.read(entry_points).decode()
    assert {f"newsfacts/data/{name}" for name in package_data()} <= names
    assert not any(name.startswith(("tests/", "schema/", "dataset/")) for name in names)


def test_the_installed_package_validates_a_release_outside_the_repository(built, release_copy, tmp_path):
    release = release_copy
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(built["site"]), "PYTHONSAFEPATH": "1"}
    where = run(sys.executable, "-c", "import newsfacts.cli, newsfacts.data; print(newsfacts.cli.__file__); "
                "print(newsfacts.__version__)", cwd=elsewhere, env=env).stdout.split()
    assert Path(where[0]).resolve().is_relative_to(built["site"].resolve())
    assert where[1] == __version__

    result = run(sys.executable, "-m", "newsfacts.cli", "validate", str(release), cwd=elsewhere, env=env)
    assert result.stdout.strip() == f"0 problem(s) in {release}"
    # The console script installed with the wheel runs the same command.
    script = built["site"] / "bin" / "newsfacts"
    result = run(sys.executable, str(script), "validate", "--quiet", str(release), cwd=elsewhere, env=env)
    assert result.stdout == ""

    # ... and finds a problem the same way the repository's copy does.
    card = release / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    broken = subprocess.run([sys.executable, "-m", "newsfacts.cli", "validate", str(release)], cwd=elsewhere,
                            env=env, capture_output=True, text=True, timeout=300)
    assert broken.returncode == 1
    assert "README.md" in broken.stdout and "[checksum]" in broken.stdout
