"""What a build may replace, and the swap that never leaves the output path without a release."""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys
import textwrap

import pytest

from newsfacts.release import output
from newsfacts.release.output import (
    MARKER_FILE,
    OutputLocked,
    OutputRefused,
    check_output,
    lock_path,
    output_lock,
    previous_path,
    staged_release,
)
from newsfacts.release.write import write_checksums


def fake_release(folder, content="old"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER_FILE).write_text('{"format": 1, "newsfacts_version": "0"}\n')
    (folder / "data.txt").write_text(content)
    write_checksums(folder)
    return folder


def leftovers(parent):
    """Anything a build leaves beside its output besides the output itself."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


# --- refusals ------------------------------------------------------------------------------------------


def test_missing_and_empty_outputs_and_releases_may_be_replaced(tmp_path):
    assert check_output(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"
    (tmp_path / "empty").mkdir()
    assert check_output(tmp_path / "empty") == tmp_path / "empty"
    assert check_output(fake_release(tmp_path / "release")) == tmp_path / "release"


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: p.write_text("my notes"), "is a file"),
        (lambda p: (p.mkdir(), (p / "thesis.docx").write_text("x")), "not a newsfacts release (it holds thesis.docx)"),
        (lambda p: (fake_release(p), (p / "analysis.py").write_text("x")), "files that no build wrote (analysis.py)"),
        (lambda p: (fake_release(p), (p / MARKER_FILE).write_text("not json")), "not a newsfacts marker"),
        (lambda p: (fake_release(p), (p / "CHECKSUMS.sha256").unlink()), "CHECKSUMS.sha256 is missing"),
        (lambda p: (fake_release(p.parent / "elsewhere"), p.symlink_to(p.parent / "elsewhere")), "symbolic link"),
        (lambda p: os.mkfifo(p), "is not a folder"),
    ],
    ids=["file", "user-folder", "release-with-user-file", "bad-marker", "no-checksums", "symlink", "fifo"],
)
def test_anything_else_is_refused_and_left_as_it_was(tmp_path, make, why):
    target = tmp_path / "out"
    make(target)
    before = snapshot(tmp_path)
    with pytest.raises(OutputRefused, match=re.escape(why)) as info:
        with staged_release(target):
            pytest.fail("no work may start")
    assert str(target) in str(info.value) and "\n" not in str(info.value)
    assert snapshot(tmp_path) == before


def test_input_folder_and_folders_around_or_inside_it_are_refused(tmp_path):
    project = tmp_path / "proj"
    (project / "raw").mkdir(parents=True)
    (project / "analysis.py").write_text("x")
    raw = project / "raw"
    with pytest.raises(OutputRefused, match="is the input folder"):
        check_output(raw, raw)
    with pytest.raises(OutputRefused, match="contains the input folder"):
        check_output(project, raw)
    with pytest.raises(OutputRefused, match="contains the input folder"):
        check_output(tmp_path, raw)
    with pytest.raises(OutputRefused, match="inside the input folder"):
        check_output(raw / "dataset", raw)
    # The same folder reached through a link, or spelled with '..', is still the input.
    (tmp_path / "link").symlink_to(raw)
    with pytest.raises(OutputRefused, match="is the input folder"):
        check_output(tmp_path / "link" / ".." / "raw", tmp_path / "link")


def test_current_directory_is_refused_even_when_empty(tmp_path, monkeypatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    for spelled in (".", "./", "../here"):
        with pytest.raises(OutputRefused, match="current directory"):
            check_output(spelled)
    with pytest.raises(OutputRefused, match="current directory"):
        check_output("..")
    assert check_output("../sibling") == tmp_path / "sibling"


def test_filesystem_root_and_output_under_a_file_are_refused(tmp_path):
    with pytest.raises(OutputRefused, match="root"):
        check_output("/")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputRefused, match="is not a folder"):
        check_output(tmp_path / "afile" / "dataset")


def test_unwritable_parent_is_refused(tmp_path, monkeypatch):
    real_access = output.os.access
    monkeypatch.setattr(output.os, "access", lambda path, mode: str(path) != str(tmp_path) and real_access(path, mode))
    with pytest.raises(OutputRefused, match="cannot write in"):
        check_output(tmp_path / "dataset")


def test_a_release_written_before_the_marker_is_recognised(tmp_path):
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "build-report.json").write_text('{"newsfacts_version": "1.0.0"}')
    (legacy / "README.md").write_text("card")
    write_checksums(legacy)
    assert check_output(legacy) == legacy
    (legacy / "notes.md").write_text("mine")
    with pytest.raises(OutputRefused, match="notes.md"):
        check_output(legacy)


# --- the swap ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "fallback"])
def test_swap_replaces_a_release_and_leaves_nothing_beside_it(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(output, "_RENAMEAT2", None)
    elif output._RENAMEAT2 is None:
        pytest.skip("renameat2 is not available here")
    target = fake_release(tmp_path / "dataset", "old")
    with staged_release(target) as staging:
        fake_release(staging, "new")
    assert (target / "data.txt").read_text() == "new"
    assert leftovers(tmp_path) == []


def test_swap_into_an_empty_folder_and_a_missing_path(tmp_path):
    (tmp_path / "empty").mkdir()
    for name in ("empty", "missing"):
        with staged_release(tmp_path / name) as staging:
            fake_release(staging, name)
        assert (tmp_path / name / "data.txt").read_text() == name
    assert leftovers(tmp_path) == []


def test_the_output_path_always_holds_a_release_during_the_swap(tmp_path, monkeypatch):
    """Watch the path at every step of the swap: with renameat2 it always holds the old or the new release;
    with the fallback, the old one is at `.dataset.previous` in the one instant it is not (and a later build
    restores it from there)."""
    target = fake_release(tmp_path / "dataset", "old")
    previous = previous_path(target)
    real_rename, real_rmtree = os.rename, output.shutil.rmtree
    for exchange, content in ((True, "new"), (False, "newer")):
        if output._RENAMEAT2 is None and exchange:
            continue
        seen = []

        def observe():
            read = lambda folder: (folder / "data.txt").read_text() if (folder / "data.txt").exists() else None
            seen.append((read(target), read(previous)))

        if not exchange:
            monkeypatch.setattr(output, "_RENAMEAT2", None)
        monkeypatch.setattr(output.os, "rename", lambda a, b: (observe(), real_rename(a, b), observe()))
        monkeypatch.setattr(output.shutil, "rmtree", lambda p, **k: (observe(), real_rmtree(p, **k), observe()))
        with staged_release(target) as staging:
            fake_release(staging, content)
        monkeypatch.undo()
        observe()
        assert seen[-1] == (content, None)
        if exchange:
            assert all(at_target in ("old", "new") for at_target, _ in seen)
        else:
            assert all(at_target or at_previous for at_target, at_previous in seen)


def test_failed_write_leaves_the_old_release_and_no_staging(tmp_path):
    target = fake_release(tmp_path / "dataset", "old")
    with pytest.raises(OSError, match="No space left"):
        with staged_release(target) as staging:
            (staging / "half.parquet").write_bytes(b"PAR1")
            raise OSError(28, "No space left on device")
    assert (target / "data.txt").read_text() == "old"
    assert leftovers(tmp_path) == []


def test_a_build_killed_between_the_fallback_renames_is_recovered(tmp_path):
    target = tmp_path / "dataset"
    fake_release(previous_path(target), "old")  # the old release was moved aside, then the build died
    with staged_release(target) as staging:
        assert (target / "data.txt").read_text() == "old"  # restored before anything else
        raise_in_staging = staging
        fake_release(staging, "new")
    assert (target / "data.txt").read_text() == "new" and not raise_in_staging.exists()
    assert leftovers(tmp_path) == []


def test_a_failed_build_after_the_kill_keeps_the_restored_release(tmp_path):
    target = tmp_path / "dataset"
    fake_release(previous_path(target), "old")
    with pytest.raises(RuntimeError):
        with staged_release(target):
            raise RuntimeError("this build fails too")
    assert (target / "data.txt").read_text() == "old"
    assert leftovers(tmp_path) == []


def test_a_build_killed_after_the_swap_leaves_the_new_release(tmp_path):
    target = fake_release(tmp_path / "dataset", "new")
    fake_release(previous_path(target), "old")  # killed before the old copy was removed
    with staged_release(target) as staging:
        fake_release(staging, "newer")
    assert (target / "data.txt").read_text() == "newer" and leftovers(tmp_path) == []


def test_staging_of_a_killed_build_is_cleaned_by_the_next(tmp_path):
    target = fake_release(tmp_path / "dataset", "old")
    script = textwrap.dedent(f"""
        import os
        from newsfacts.release.output import staged_release
        with staged_release({str(target)!r}) as staging:
            (staging / "half.parquet").write_bytes(b"PAR1")
            os._exit(9)  # killed in the middle of writing
    """)
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    assert any(name.startswith(".dataset.staging-") for name in leftovers(tmp_path))
    assert (target / "data.txt").read_text() == "old"
    with staged_release(target) as staging:
        fake_release(staging, "new")
    assert leftovers(tmp_path) == [] and (target / "data.txt").read_text() == "new"


def test_staging_of_another_output_is_not_touched(tmp_path):
    other = tmp_path / ".dataset.staging-foo.staging-abcdefgh"  # staging of an output named 'dataset.staging-foo'
    other.mkdir()
    with staged_release(tmp_path / "dataset") as staging:
        fake_release(staging)
    assert other.exists()


# --- the lock ------------------------------------------------------------------------------------------


def _build_in_process(target, content, started, release_now):
    with staged_release(target, on_wait=lambda message: None) as staging:
        started.set()
        release_now.wait(10)
        fake_release(staging, content)


def test_concurrent_builds_of_one_output_wait_for_each_other(tmp_path):
    target = fake_release(tmp_path / "dataset", "old")
    context = multiprocessing.get_context("fork")
    events = [(context.Event(), context.Event()) for _ in range(3)]
    workers = [context.Process(target=_build_in_process, args=(target, f"build {i}", *events[i])) for i in range(3)]
    for worker in workers:
        worker.start()
    assert any(started.wait(10) for started, _ in events)
    running = [i for i, (started, _) in enumerate(events) if started.is_set()]
    assert len(running) == 1  # the others wait on the lock
    for _, release_now in events:
        release_now.set()
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    assert (target / "data.txt").read_text().startswith("build ")
    assert leftovers(tmp_path) == []


def test_a_held_lock_refuses_after_the_timeout(tmp_path):
    target = tmp_path / "dataset"
    with output_lock(target):
        with pytest.raises(OutputLocked, match="another build"):
            with staged_release(target, lock_timeout=0.2):
                pass
    assert not lock_path(target).exists()


def snapshot(folder):
    return sorted(
        (str(p.relative_to(folder)), p.read_bytes() if p.is_file() and not p.is_symlink() else None)
        for p in folder.rglob("*")
        if not p.is_fifo()
    )
