"""The Ray engine (`newsfacts build --engine ray`): the same release bytes as the local engine, results in
input order, a failing document reported exactly as the local engine reports it. Ray runs locally, one
session for the whole module (starting Ray costs seconds)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from newsfacts.build import build  # noqa: E402
from newsfacts.cli import EXIT_OK, main  # noqa: E402
from newsfacts.documents import RawDocument  # noqa: E402
from newsfacts.engine import executor  # noqa: E402
from newsfacts.engine import local  # noqa: E402
from newsfacts.engine import ray as ray_engine  # noqa: E402
from newsfacts.engine.local import Failed  # noqa: E402
from newsfacts.read import read_folder  # noqa: E402
from newsfacts.release.write import release_files, sha256_file  # noqa: E402
from tests_paths import SEED_CURATION, SEEDS, seed_release_info  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def ray_session():
    """A local Ray instance with this machine's two cores (never a cluster RAY_ADDRESS may name); the engine
    finds it initialised, uses it and leaves it running for the next test."""
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def seed_documents() -> list[RawDocument]:
    return [o for o in read_folder(SEEDS) if isinstance(o, RawDocument)]


def checksums(folder: Path) -> dict[str, str]:
    return {name: sha256_file(path) for name, path in release_files(folder)}


def test_the_seed_release_built_on_ray_has_the_local_engines_bytes(seed_release, tmp_path):
    output = tmp_path / "dataset"
    build(SEEDS, output, progress=False, strict=True, release=seed_release_info(), curation=SEED_CURATION,
          engine="ray", jobs=2)
    built, expected = checksums(output), checksums(seed_release)
    assert any(name.endswith(".parquet") for name in expected)
    assert built == expected


def test_results_come_back_in_input_order_and_a_failing_document_as_the_local_engine_reports_it(
        seed_documents, monkeypatch):
    broken = dataclasses.replace(seed_documents[1], raw=None, id="0" * 16)  # cleaning cannot read it
    documents = [*seed_documents[:3], broken, *seed_documents[3:]]
    # One document per Ray Data block, so the two actors finish blocks out of order and the engine must
    # put them back in order.
    monkeypatch.setattr(ray_engine, "BATCH_SIZE", 1)
    results = list(executor("ray", quiet=True)(documents, jobs=2))

    assert [type(r).__name__ for r in results] == ["Article"] * 3 + ["Failed"] + ["Article"] * 2
    assert [r.id for r in results if not isinstance(r, Failed)] == [raw.id for raw in seed_documents]
    # The local engine's wrapper on the same document (cleaning fails before the annotators are needed).
    assert results[3] == local.process_or_fail(broken, None)
    assert results[3].reason.startswith("extraction failed: AttributeError:")


def test_the_command_line_excludes_the_failing_document_with_its_reason(tmp_path, monkeypatch, capsys):
    """`newsfacts build --engine ray`: the document that fails on a Ray actor is excluded with the reason the
    actor gave, and the others are built."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in sorted(SEEDS.glob("00[01]_*.txt")):
        (inputs / seed.name).write_bytes(seed.read_bytes())
    real = read_folder

    def one_unreadable(folder, **options):
        for outcome in real(folder, **options):
            if isinstance(outcome, RawDocument) and outcome.path.startswith("001_"):
                outcome = dataclasses.replace(outcome, hints=None)  # the pipeline cannot read it
            yield outcome

    monkeypatch.setattr("newsfacts.build.read_folder", one_unreadable)
    status = main(["build", "--input", str(inputs), "--output", str(tmp_path / "out"), "--engine", "ray",
                   "--jobs", "1", "--no-cache", "--quiet"])
    assert status == EXIT_OK, capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    outcomes = {entry["file"][:3]: entry for entry in report["files"]}
    assert outcomes["000"]["outcome"] in {"included", "flagged"}
    assert outcomes["001"]["outcome"] == "excluded"
    assert outcomes["001"]["reason"].startswith("extraction failed: AttributeError:")
    assert f"excluded {outcomes['001']['file']}: extraction failed: AttributeError" in capsys.readouterr().err
