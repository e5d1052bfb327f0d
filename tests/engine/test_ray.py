"""The Ray engine (`newsfacts build --engine ray`): the same release bytes as the local engine, results in
input order, a failing document reported exactly as the local engine reports it, a document that kills its
worker process excluded with the reason instead of a build that hangs. Ray runs locally, one session for the
whole module (starting Ray costs seconds)."""

from __future__ import annotations

import dataclasses
import json
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from newsfacts.build import build  # noqa: E402
from newsfacts.cli import EXIT_OK, main  # noqa: E402
from newsfacts.documents import RawDocument  # noqa: E402
from newsfacts.engine import EngineFailed, executor  # noqa: E402
from newsfacts.engine import local  # noqa: E402
from newsfacts.engine import ray as ray_engine  # noqa: E402
from newsfacts.engine.local import Failed  # noqa: E402
from newsfacts.read import read_folder  # noqa: E402
from newsfacts.release.write import release_files, sha256_file  # noqa: E402
from tests_paths import SEED_CURATION, SEEDS, seed_release_info  # noqa: E402
import worker_deaths  # noqa: E402
from worker_deaths import ExitsInExtraction, KillsItsWorker  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def ray_session():
    """A local Ray instance with this machine's two cores (never a cluster RAY_ADDRESS may name); the engine
    finds it initialised, uses it and leaves it running for the next test. Its workers import the tests' helpers
    as the tests do (documents carry `worker_deaths` objects), from the folder `pythonpath` names in pyproject."""
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(Path(worker_deaths.__file__).parent)}})
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


def test_the_command_line_excludes_the_failing_documents_with_their_reasons(tmp_path, monkeypatch, capsys):
    """`newsfacts build --engine ray`: the document that fails on a Ray actor is excluded with the reason the
    actor gave, the one that kills its actor with the reason Ray gave, and the others are built. (The three
    share a batch: the one whose actor died, whose documents are then extracted alone.)"""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in sorted(SEEDS.glob("00[012]_*.txt")):
        (inputs / seed.name).write_bytes(seed.read_bytes())
    real = read_folder

    def two_failing(folder, **options):
        for outcome in real(folder, **options):
            if isinstance(outcome, RawDocument) and outcome.path.startswith("001_"):
                outcome = dataclasses.replace(outcome, hints=None)  # the pipeline cannot read it
            elif isinstance(outcome, RawDocument) and outcome.path.startswith("002_"):
                outcome = dataclasses.replace(outcome, hints=KillsItsWorker())
            yield outcome

    monkeypatch.setattr("newsfacts.build.read_folder", two_failing)
    with deadline(300):
        status = main(["build", "--input", str(inputs), "--output", str(tmp_path / "out"), "--engine", "ray",
                       "--jobs", "1", "--no-cache", "--quiet"])
    assert status == EXIT_OK, capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    outcomes = {entry["file"][:3]: entry for entry in report["files"]}
    assert outcomes["000"]["outcome"] in {"included", "flagged"}
    assert outcomes["001"]["outcome"] == "excluded"
    assert outcomes["001"]["reason"].startswith("extraction failed: AttributeError:")
    assert outcomes["002"]["outcome"] == "excluded"
    assert outcomes["002"]["reason"].startswith("extraction failed: the Ray worker extracting it died (")
    err = capsys.readouterr().err
    assert f"excluded {outcomes['001']['file']}: extraction failed: AttributeError" in err
    assert f"excluded {outcomes['002']['file']}: extraction failed: the Ray worker extracting it died" in err


@contextmanager
def deadline(seconds: int):
    """Fail the test instead of hanging it (Ray Data's defaults retried a batch whose actor died forever)."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_document_that_kills_its_worker_is_excluded_and_the_others_are_extracted(seed_documents, monkeypatch):
    """The batch the document is in is lost with its actor, once more on the restarted actor, then each of its
    documents is extracted alone: the one that kills its worker again is excluded with Ray's reason, the others
    (in its batch and after it) get their articles, in input order. The retries Ray Data is given are bounded."""
    killer = dataclasses.replace(seed_documents[1], id="0" * 16, hints=KillsItsWorker())
    # Two batches, one per actor: the killer's (with the document before it) and the two after it.
    documents = [seed_documents[0], killer, *seed_documents[1:3]]
    calls = []
    real = ray.data.Dataset.map_batches

    def recorded(self, *args, **kwargs):
        calls.append(kwargs)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ray.data.Dataset, "map_batches", recorded)
    with deadline(300):
        results = list(executor("ray", quiet=True)(documents, jobs=2))

    assert [type(r).__name__ for r in results] == ["Article", "Failed", "Article", "Article"]
    assert [r.id for r in results if not isinstance(r, Failed)] == [raw.id for raw in seed_documents[:3]]
    assert results[1].raw is killer
    assert results[1].reason.startswith("extraction failed: the Ray worker extracting it died (")
    assert [(c["max_task_retries"], c["max_restarts"] >= 0) for c in calls] == [(ray_engine.TASK_RETRIES, True)]
    assert 0 <= ray_engine.TASK_RETRIES <= 3


def test_documents_that_each_kill_their_worker_one_after_the_other_stop_the_run(seed_documents, monkeypatch):
    """Past MOST_DEATHS_IN_A_ROW, the workers are taken to be failing, not the documents: the engine fails
    with Ray's reason instead of excluding every document one model load at a time."""
    monkeypatch.setattr(ray_engine, "MOST_DEATHS_IN_A_ROW", 2)
    monkeypatch.setattr(ray_engine, "TASK_RETRIES", 0)  # the batch is dropped at the first death (faster)
    killers = [dataclasses.replace(raw, id=f"{n}" * 16, hints=KillsItsWorker())
               for n, raw in enumerate(seed_documents[:2])]
    with deadline(300), pytest.raises(EngineFailed, match="2 documents in a row killed the Ray worker"):
        list(executor("ray", quiet=True)(killers, jobs=1))


def test_a_document_whose_extraction_calls_sys_exit_is_excluded_and_the_actor_goes_on(seed_documents, monkeypatch):
    """A library's `sys.exit()` on malformed input, on a Ray actor: the document is excluded with the reason the
    local engine gives, and the same actor extracts the documents after it (one batch each). (Ray ends a worker
    whose task raises SystemExit: the batch was lost with its actor, retried, then each of its documents extracted
    alone on a new one, and the document excluded as one that kills its worker.)"""
    exiting = dataclasses.replace(seed_documents[1], id="0" * 16, hints=ExitsInExtraction())
    documents = [seed_documents[0], exiting, *seed_documents[1:3]]
    monkeypatch.setattr(ray_engine, "BATCH_SIZE", 1)
    alone = []
    extract_alone = ray_engine._extract_alone

    def recorded(indices, blobs, model):
        alone.extend(indices)
        return extract_alone(indices, blobs, model)

    monkeypatch.setattr(ray_engine, "_extract_alone", recorded)
    with deadline(300):
        results = list(executor("ray", quiet=True)(documents, jobs=1))

    assert [type(r).__name__ for r in results] == ["Article", "Failed", "Article", "Article"]
    assert [r.id for r in results if not isinstance(r, Failed)] == [raw.id for raw in seed_documents[:3]]
    assert results[1].reason.startswith("extraction failed: SystemExit: 3 (at worker_deaths.py:"), results[1].reason
    assert not alone
    # The local engine's wrapper on the same document (the hints are read before the annotators are needed).
    assert results[1] == local.process_or_fail(exiting, None)
