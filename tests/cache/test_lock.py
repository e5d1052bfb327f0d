"""The lock between builds and `newsfacts cache prune`: builds share it, a prune takes it alone without
waiting, a build that starts while a prune removes its folder waits, then makes the folder again."""

from __future__ import annotations

import threading

from newsfacts.cache.lock import LOCK_FILE, hold_shared, in_use, try_exclusive


def test_builds_share_the_lock_and_a_prune_cannot_take_it_meanwhile(tmp_path):
    folder = tmp_path / "pipeline"
    first, second = hold_shared(folder), hold_shared(folder)
    assert first is not None and second is not None and in_use(folder)
    assert try_exclusive(folder) is None
    first.release()
    assert try_exclusive(folder) is None  # the second build still runs
    second.release()
    assert not in_use(folder)
    lock = try_exclusive(folder)
    assert lock is not None and try_exclusive(folder) is None
    lock.release()


def test_a_build_waits_for_a_prune_then_makes_the_folder_it_removed_again(tmp_path):
    import shutil

    folder = tmp_path / "pipeline"
    folder.mkdir()
    prune = try_exclusive(folder)
    waited, held = [], []
    build = threading.Thread(target=lambda: held.append(hold_shared(folder, on_wait=waited.append)))
    build.start()
    build.join(0.5)
    assert build.is_alive() and waited  # blocked behind the prune, and said so
    shutil.rmtree(folder)  # the prune removes the folder, its lock file with it
    prune.release()
    build.join(10)
    assert not build.is_alive() and held[0] is not None
    assert (folder / LOCK_FILE).is_file() and in_use(folder)  # a lock on the new file, not on the removed one
    assert try_exclusive(folder) is None
    held[0].release()


def test_an_unwritable_cache_gives_no_lock_and_looking_creates_nothing(tmp_path):
    (tmp_path / "file").write_text("a file where the cache should be")
    assert hold_shared(tmp_path / "file" / "pipeline") is None
    assert not in_use(tmp_path / "missing") and not (tmp_path / "missing").exists()
    assert try_exclusive(tmp_path / "missing") is None and not (tmp_path / "missing").exists()
