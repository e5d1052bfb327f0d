"""The local executor (newsfacts.engine.local): batches, workers, order, and failures that exclude only
their own document, even one that kills its worker process or hangs."""

from __future__ import annotations

import dataclasses
import re
import sys
import time

import pytest

from newsfacts import pipeline
from newsfacts.documents import RawDocument
from newsfacts.engine import EngineFailed, local
from newsfacts.engine.local import Failed, chunks, run
from newsfacts.read import read_bytes
from newsfacts.read import read_folder
from tests_paths import SEEDS
from worker_deaths import (
    ABORTS,
    CLOSES,
    EXITS,
    HANGS,
    INTERRUPTED,
    SLOW,
    SLOW_SECONDS,
    Abort,
    ExitsInExtraction,
    KillsItsWorker,
    hang_in_extraction,
    raise_in_extraction,
)

POISON = "Poisoned Harbour"


def _document(name: str, text: str) -> RawDocument:
    return next(o for o in read_bytes(text.encode("utf-8"), name) if isinstance(o, RawDocument))


@pytest.fixture(scope="module")
def documents() -> list[RawDocument]:
    seeds = [o for o in read_folder(SEEDS) if isinstance(o, RawDocument)]
    extra = [_document(f"extra-{i}.txt", f"Harbour news {i}\n\nAbout {i + 2},000 workers are building the "
                                         f"bridge in Lisbon, the company said on Monday. \"It is going well,\" "
                                         f"said Ana Costa.") for i in range(5)]
    return [*seeds, *extra]


@pytest.fixture(scope="module")
def one_by_one(documents):
    annotators = pipeline.Annotators.load()
    return [pipeline.process(raw, annotators).model_dump_json() for raw in documents]


def _dump(results) -> list[str]:
    return [r.model_dump_json() if not isinstance(r, Failed) else f"failed {r.raw.id}" for r in results]


def test_chunks_cover_the_input_in_order():
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []


@pytest.mark.parametrize("chunk_size", [1, 3, 64])
def test_a_batch_gives_the_articles_one_by_one_gives(documents, one_by_one, chunk_size):
    assert _dump(run(documents, jobs=1, chunk_size=chunk_size)) == one_by_one


def test_two_workers_give_the_same_articles_in_input_order(documents, one_by_one):
    assert _dump(run(documents, jobs=2, chunk_size=2)) == one_by_one


@pytest.fixture
def poisoned(monkeypatch, documents):
    """One more document whose quote finding raises (the workers are forked, so they see the patch)."""
    find_quotes = pipeline.find_quotes

    def failing(doc, entities):
        if POISON in doc.text:
            raise ValueError("poisoned document")
        return find_quotes(doc, entities)

    monkeypatch.setattr(pipeline, "find_quotes", failing)
    bad = _document("poisoned.txt", f"{POISON}\n\nThe {POISON} was closed on Monday, officials said.")
    return [*documents[:3], bad, *documents[3:]], bad


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_document_excludes_only_itself(poisoned, one_by_one, jobs):
    inputs, bad = poisoned
    results = list(run(inputs, jobs=jobs, chunk_size=4))
    assert len(results) == len(inputs)
    failed = results[3]
    assert isinstance(failed, Failed) and failed.raw.id == bad.id
    assert "ValueError: poisoned document" in failed.reason
    assert _dump(results[:3] + results[4:]) == one_by_one


def test_an_in_process_run_freezes_the_loaded_objects_until_the_build_unfreezes_them(documents, tmp_path):
    """After its first chunk a one-job run moves the model and what else stays alive out of the collector's
    reach (`gc.freeze`); the build gives the caller's process back as it found it."""
    import gc

    from newsfacts.build import build
    from newsfacts.engine.local import unfreeze_long_lived_objects

    unfreeze_long_lived_objects()
    assert gc.get_freeze_count() == 0
    results = run(documents[:2], jobs=1)
    next(results)
    assert gc.get_freeze_count() > 0
    results.close()
    unfreeze_long_lived_objects()
    assert gc.get_freeze_count() == 0
    build(SEEDS, tmp_path / "out", jobs=1, progress=False)
    assert gc.get_freeze_count() == 0


def test_workers_fill_the_collector_records_with_the_articles(documents):
    """`run(..., records=...)`: each article's `collector_records`, computed by the worker that extracted it,
    is in the dict before the article is yielded, and equals what the build would compute itself."""
    from newsfacts.dedup import fingerprint
    from newsfacts.release.rows import NEAR_DUPLICATE_FINGERPRINT, ROWS_PASS, collector_records

    for jobs in (1, 2):
        records: dict = {}
        for result in run(documents, jobs=jobs, records=records):
            if not isinstance(result, Failed):
                found = dict(records[result.id])
                assert found.pop(ROWS_PASS) is True  # the worker checked the article's rows
                assert found.pop(NEAR_DUPLICATE_FINGERPRINT) == fingerprint(result.text)
                assert found == collector_records(result)
        assert len(records) == len(documents)


def _killer(raw: RawDocument, n: int = 0, by_sigkill: bool = False) -> RawDocument:
    return dataclasses.replace(raw, id=f"{n}" * 16, hints=KillsItsWorker(by_sigkill))


KILLED = "extraction failed: the worker process extracting it died (exit code 70)"
KILLED_BY_SIGKILL = "extraction failed: the worker process extracting it died (killed by SIGKILL: out of memory?)"


def test_a_document_that_kills_its_worker_is_failed_and_the_others_get_their_articles(documents, one_by_one,
                                                                                       monkeypatch):
    """The pool breaks with four chunks in flight: those finished are kept, the documents of the others are
    extracted one per task on a fresh pool (one task in flight at a time once the killer breaks a pool with
    others in flight), the killer is failed with its worker's exit code, and the chunks go on after it."""
    killer = _killer(documents[-1])
    inputs = [*documents[:3], killer, *documents[3:]]
    assert len(inputs) > 2 * local.CHUNKS_AHEAD_PER_WORKER * 2  # documents left for the chunks after it
    submitted: list[int] = []
    submit = local._Workers._submit

    def recorded(self, raws):
        submitted.append(len(raws))
        return submit(self, raws)

    monkeypatch.setattr(local._Workers, "_submit", recorded)
    records: dict = {}
    results = list(run(inputs, jobs=2, chunk_size=2, records=records))
    assert len(results) == len(inputs)
    assert results[3] == Failed(killer, KILLED)
    assert _dump(results[:3] + results[4:]) == one_by_one
    assert set(records) == {r.id for r in results if not isinstance(r, Failed)}
    assert submitted[:4] == [2, 2, 2, 2] and 2 in submitted[submitted.index(1):]  # chunks again after the killer


def test_documents_that_kill_their_worker_one_after_the_other_stop_the_run(documents, monkeypatch):
    """Past MOST_DEATHS_IN_A_ROW in input order the workers are taken to be failing, not the documents; a document
    extracted between two killers (whenever it was extracted) breaks the row."""
    monkeypatch.setattr(local, "MOST_DEATHS_IN_A_ROW", 2)
    tiny = documents[-2:]  # the shortest documents
    first, second = _killer(tiny[0], 1), _killer(tiny[0], 2, by_sigkill=True)
    results = list(run([first, tiny[0], second, tiny[1]], jobs=2, chunk_size=2))
    assert [r.reason if isinstance(r, Failed) else r.id for r in results] == [KILLED, tiny[0].id, KILLED_BY_SIGKILL,
                                                                             tiny[1].id]
    with pytest.raises(EngineFailed, match=r"^2 documents in a row killed the worker process extracting them alone "
                                           r"\(the last, extra-3.txt: killed by SIGKILL: out of memory\?\)"):
        list(run([tiny[0], first, second, tiny[1]], jobs=2, chunk_size=2))


def test_a_worker_that_cannot_load_the_annotators_fails_the_run_with_the_reason(documents, monkeypatch):
    """Not taken for documents killing their worker: the workers' tasks raise what loading raised."""

    def cannot_load(model):
        raise OSError("model files damaged")

    monkeypatch.setattr(local, "_init_worker", cannot_load)
    with pytest.raises(OSError, match="model files damaged"):
        list(run(documents[:4], jobs=2, chunk_size=2))


def _hanging(n: int) -> RawDocument:
    return _document(f"hangs-{n}.txt", f"{HANGS} {n}\n\nThe {HANGS} was closed on Monday, officials said.")


def _slow(n: int) -> RawDocument:
    return _document(f"slow-{n}.txt", f"{SLOW} {n}\n\nThe {SLOW} was opened on Monday, officials said.")


TIMED_OUT = "extraction took longer than 2 s (the limit, --timeout)"


def test_a_document_that_hangs_is_failed_with_the_limit_and_the_others_get_their_articles(documents,
                                                                                         monkeypatch):
    """Its chunk runs past its limit (2 s a document): the workers are killed, the chunk's documents are
    extracted alone, and the one whose own task runs past the limit again is failed; the others, before and
    after it, in its chunk or lost with the pool, get the articles they get without a limit. In seconds, not
    the minute the document would hang."""
    hang_in_extraction(monkeypatch)
    tiny = documents[-5:]  # the shortest documents: a tenth of the limit even on a busy machine
    inputs = [*tiny[:3], _hanging(1), *tiny[3:], *tiny[:2]]
    expected = _dump(run(inputs[:3] + inputs[4:], jobs=1))
    started = time.monotonic()
    records: dict = {}
    results = list(run(inputs, jobs=2, chunk_size=2, timeout=2, records=records))
    assert time.monotonic() - started < 40
    assert [r.raw.id for r in results if isinstance(r, Failed)] == [inputs[3].id]
    assert results[3].reason == TIMED_OUT
    assert _dump(results[:3] + results[4:]) == expected
    assert set(records) == {r.id for r in results if not isinstance(r, Failed)}


def test_a_limit_applies_at_one_job_in_a_worker_process(documents, monkeypatch):
    """Python cannot interrupt the extraction in its own process: with a limit, one job is one worker."""
    hang_in_extraction(monkeypatch)
    tiny = documents[-2:]
    results = list(run([tiny[0], _hanging(1), tiny[1]], jobs=1, chunk_size=1, timeout=2))
    assert [r.reason if isinstance(r, Failed) else r.id for r in results] == [tiny[0].id, TIMED_OUT, tiny[1].id]


def test_a_task_is_timed_from_when_a_worker_starts_it(one_by_one, monkeypatch):
    """Slow documents under the limit are never failed, however long they waited: each takes SLOW_SECONDS (1 s)
    of a 1.6 s limit, and one worker has two tasks in flight, so each task after the first waited about a second
    in the queue before it started (timed from when it was queued, it would run past the limit). (`one_by_one`:
    this process has loaded what the pipeline loads on first use, so the forked worker's first task is not
    slower than the others.)"""
    hang_in_extraction(monkeypatch)
    assert local.CHUNKS_AHEAD_PER_WORKER >= 2 and SLOW_SECONDS == 1.0
    results = list(run([_slow(n) for n in range(3)], jobs=1, chunk_size=1, timeout=1.6))
    assert not [r for r in results if isinstance(r, Failed)]


def test_documents_that_hang_one_after_the_other_stop_the_run(documents, monkeypatch):
    """They count towards MOST_DEATHS_IN_A_ROW as deaths do: documents in a row that all hang mean stuck or
    starved workers."""
    hang_in_extraction(monkeypatch)
    monkeypatch.setattr(local, "MOST_DEATHS_IN_A_ROW", 2)
    tiny = documents[-1]
    with pytest.raises(EngineFailed, match=r"^2 documents in a row ran past the time limit or killed the worker "
                                           r"process extracting them alone \(the last, hangs-2.txt: extraction "
                                           r"took longer than 1 s"):
        list(run([tiny, _hanging(1), _hanging(2), tiny], jobs=2, chunk_size=1, timeout=1))


def _raising(marker: str) -> RawDocument:
    return _document(f"{marker.split()[0].lower()}.txt", f"{marker}\n\nThe {marker} was closed on Monday, officials "
                                                         f"said.")


# The reasons of documents whose extraction raises what is not an `Exception` (`worker_deaths.raise_in_extraction`).
NOT_AN_EXCEPTION = {EXITS: r"extraction failed: SystemExit: 3 \(at worker_deaths\.py:\d+\)",
                    CLOSES: r"extraction failed: GeneratorExit \(at worker_deaths\.py:\d+\)",
                    ABORTS: r"extraction failed: Abort: malformed input \(at worker_deaths\.py:\d+\)"}


# Every executor of the local engine: in this process, a pool, one worker process (a time limit).
@pytest.mark.parametrize(("jobs", "timeout"), [(1, None), (2, None), (1, 60)], ids=["in-process", "pool", "one-worker"])
def test_a_document_that_raises_what_is_not_an_exception_excludes_only_itself_but_ctrl_c_stops_the_run(
        documents, monkeypatch, jobs, timeout):
    """`sys.exit()` in a library, a stray GeneratorExit, a third party's BaseException: the document is failed with
    the reason, as for an Exception, and the others, in its chunk and after it, get their articles. In a pool the
    worker does not die of it (the pool is never restarted): it goes on with the next documents. KeyboardInterrupt
    is the user's Ctrl-C, not the document's: it still stops the run."""
    raise_in_extraction(monkeypatch)
    restarts: list[int] = []
    restart = local._Workers._restart

    def recorded(self):
        restarts.append(1)
        return restart(self)

    monkeypatch.setattr(local._Workers, "_restart", recorded)
    tiny = documents[-4:]  # the shortest documents
    inputs = [tiny[0], _raising(EXITS), tiny[1], _raising(CLOSES), _raising(ABORTS), *tiny[2:]]
    expected = _dump(run(tiny, jobs=1))
    results = list(run(inputs, jobs=jobs, chunk_size=2, timeout=timeout))
    failed = [(i, r.reason) for i, r in enumerate(results) if isinstance(r, Failed)]
    assert [i for i, _ in failed] == [1, 3, 4]
    for (_, reason), marker in zip(failed, (EXITS, CLOSES, ABORTS)):
        assert re.fullmatch(NOT_AN_EXCEPTION[marker], reason), reason
    assert _dump([r for r in results if not isinstance(r, Failed)]) == expected
    assert not restarts
    with pytest.raises(KeyboardInterrupt):
        list(run([tiny[0], _raising(INTERRUPTED), tiny[1]], jobs=jobs, chunk_size=2, timeout=timeout))


def test_process_or_fail_fails_every_exception_but_ctrl_c(documents):
    """The wrapper every executor runs a document in (the Ray actors too): a document with hints that call
    `sys.exit(3)` when read is failed with the reason; Ctrl-C, alone or in an exception group, goes through."""
    annotators = pipeline.Annotators.load()
    exiting = dataclasses.replace(documents[-1], hints=ExitsInExtraction())
    failed = local.process_or_fail(exiting, annotators)
    assert isinstance(failed, Failed)
    assert re.fullmatch(NOT_AN_EXCEPTION[EXITS], failed.reason), failed.reason
    assert local.process_chunk([documents[-2], exiting], annotators)[1] == failed
    for interrupt in (KeyboardInterrupt(), BaseExceptionGroup("tasks", [Abort("x"), KeyboardInterrupt()])):
        def interrupted(raws, annotators, interrupt=interrupt):
            raise interrupt

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pipeline, "process_batch", interrupted)
            with pytest.raises(type(interrupt)):
                local.process_or_fail(documents[-1], annotators)
            with pytest.raises(type(interrupt)):
                local.process_chunk(documents[-2:], annotators)


@pytest.mark.parametrize(("jobs", "timeout"), [(2, None), (1, 60)], ids=["pool", "one-worker"])
def test_a_worker_that_exits_while_loading_the_annotators_fails_the_run_as_in_one_process(documents, monkeypatch,
                                                                                           jobs, timeout):
    """A `sys.exit()` while the model loads is the run's failure, not the documents': a pool's tasks raise it as
    one process does, instead of the pool taking the worker's end for documents killing it."""

    def exits(model):
        sys.exit(4)

    monkeypatch.setattr(local, "_init_worker", exits)
    with pytest.raises(SystemExit) as raised:
        list(run(documents[:4], jobs=jobs, chunk_size=2, timeout=timeout))
    assert raised.value.code == 4
