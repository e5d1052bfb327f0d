"""The input folder is a boundary: nothing outside it is read, nothing special is opened, every entry gets a fate."""

from __future__ import annotations

import os
import signal
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfacts.documents import RawDocument
from newsfacts.read import Auxiliary, Excluded, read_folder
from newsfacts.read import files as files_module
from newsfacts.read import walk as walk_module

SECRET = "SECRET-PRIVATE-NOTES"
BODY = "Officials met\n\nThe minister said on Monday that 1,500 soldiers had arrived."


@pytest.fixture(autouse=True)
def never_block():
    """Opening a FIFO would block forever: fail the test instead of hanging the suite."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading the input folder blocked"))
    signal.alarm(20)
    yield
    signal.alarm(0)


@pytest.fixture
def folders(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "notes.txt").write_text(f"My notes\n\n{SECRET} about my sources.", encoding="utf-8")
    (secret / "page.url").write_text(f"https://{SECRET.lower()}.example/\n", encoding="utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(BODY, encoding="utf-8")
    return inputs, secret


def outcomes(folder, **kwargs):
    return {o.path: o for o in read_folder(folder, **kwargs)}


def assert_nothing_secret(found):
    for outcome in found.values():
        assert SECRET not in repr(outcome) and SECRET.lower() not in repr(outcome)


def test_links_outside_the_folder_are_not_followed(folders):
    inputs, secret = folders
    (inputs / "link.txt").symlink_to("../secret/notes.txt")
    (inputs / "absolute.txt").symlink_to(secret / "notes.txt")
    (inputs / "good.url").symlink_to("../secret/page.url")
    found = outcomes(inputs)
    for name in ("link.txt", "absolute.txt", "good.url"):
        assert isinstance(found[name], Excluded)
        assert found[name].reason == "symbolic link pointing outside the input folder, not followed"
    assert found["good.txt"].hints.url is None  # the sidecar link was not read either
    assert_nothing_secret(found)


def test_a_link_inside_the_folder_is_read(folders):
    inputs, _ = folders
    (inputs / "alias.txt").symlink_to("good.txt")
    (inputs / "good.url").write_text("https://example.com/story\n")
    found = outcomes(inputs)
    assert isinstance(found["alias.txt"], RawDocument) and found["alias.txt"].id == found["good.txt"].id
    assert found["good.txt"].hints.url == "https://example.com/story"


def test_special_files_and_odd_links_are_reported_never_opened(folders, tmp_path):
    inputs, _ = folders
    os.mkfifo(inputs / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inputs / "sock.txt"))
    (inputs / "sub").mkdir()
    (inputs / "sub" / "inner.txt").write_text(BODY + " Inner.", encoding="utf-8")
    (inputs / "linked-inside").symlink_to("sub")
    (inputs / "linked-outside").symlink_to(tmp_path / "secret")
    (inputs / "broken.txt").symlink_to("missing.txt")
    (inputs / "loop.txt").symlink_to("loop.txt")
    (inputs / "pipe-link.txt").symlink_to("pipe.txt")
    (inputs / ".git").mkdir()
    (inputs / ".git" / "config").write_text("x")
    try:
        found = outcomes(inputs)
    finally:
        server.close()
    reasons = {path: (type(o).__name__, getattr(o, "reason", getattr(o, "role", None))) for path, o in found.items()}
    assert reasons["pipe.txt"] == ("Excluded", "named pipe (FIFO), not read")
    assert reasons["sock.txt"] == ("Excluded", "socket, not read")
    assert reasons["linked-inside/"] == ("Excluded", "symbolic link to a folder, not followed")
    assert reasons["linked-outside"] == ("Excluded", "symbolic link pointing outside the input folder, not followed")
    assert reasons["broken.txt"] == ("Excluded", "broken symbolic link (its target does not exist)")
    assert reasons["loop.txt"] == ("Excluded", "symbolic link loop, not followed")
    assert reasons["pipe-link.txt"] == ("Excluded", "symbolic link to a named pipe (FIFO), not read")
    assert reasons[".git/"] == ("Auxiliary", "hidden folder, ignored")
    assert isinstance(found["sub/inner.txt"], RawDocument)
    assert_nothing_secret(found)


def test_unreadable_folder_and_file_are_reported(folders, monkeypatch):
    inputs, _ = folders
    (inputs / "locked").mkdir()
    (inputs / "locked" / "a.txt").write_text(BODY)
    (inputs / "private.txt").write_text(BODY + " Private.")
    real_scandir, real_open = os.scandir, os.open

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def open_(path, flags, *args):
        if str(path).endswith("private.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(walk_module.os, "scandir", scandir)
    monkeypatch.setattr(walk_module.os, "open", open_)
    found = outcomes(inputs)
    assert found["locked/"].reason == "cannot read folder: Permission denied"
    assert found["private.txt"].reason == "cannot read file: Permission denied"
    assert isinstance(found["good.txt"], RawDocument)


def test_a_file_vanished_between_listing_and_reading_is_reported(folders, monkeypatch):
    inputs, _ = folders
    (inputs / "gone.txt").write_text(BODY + " Gone.")
    real_walk = files_module.walk

    def walk_then_delete(folder):
        entries = list(real_walk(folder))
        (inputs / "gone.txt").unlink()
        return entries

    monkeypatch.setattr(files_module, "walk", walk_then_delete)
    found = outcomes(inputs)
    assert found["gone.txt"].reason == "file vanished before it could be read"
    assert isinstance(found["good.txt"], RawDocument)


def test_a_file_replaced_by_a_link_after_listing_is_not_followed(folders, monkeypatch):
    inputs, secret = folders
    real_walk = files_module.walk

    def walk_then_swap(folder):
        entries = list(real_walk(folder))
        (inputs / "good.txt").unlink()
        (inputs / "good.txt").symlink_to(secret / "notes.txt")
        return entries

    monkeypatch.setattr(files_module, "walk", walk_then_swap)
    found = outcomes(inputs)
    assert "not followed" in found["good.txt"].reason
    assert_nothing_secret(found)


def test_a_manifest_that_is_a_link_is_refused(folders):
    from newsfacts.read.manifest import ManifestError

    inputs, secret = folders
    (secret / "manifest.yaml").write_text("manifest_version: 1\ndocuments: []\n")
    (inputs / "manifest.yaml").symlink_to(secret / "manifest.yaml")
    with pytest.raises(ManifestError, match="symbolic link"):
        list(read_folder(inputs))


def test_a_manifest_that_is_a_fifo_is_refused_without_blocking(folders):
    from newsfacts.read.manifest import ManifestError

    inputs, _ = folders
    os.mkfifo(inputs / "SHA256SUMS")
    with pytest.raises(ManifestError, match="not read"):
        list(read_folder(inputs))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b
                                                                 and b not in (b".", b"..")),
                      min_size=1, max_size=6, unique=True))
def test_any_file_names_are_reported_printably(tmp_path_factory, names):
    inputs = tmp_path_factory.mktemp("names")
    for name in names:
        with open(os.path.join(os.fsencode(inputs), name), "wb") as handle:
            handle.write(BODY.encode())
    found = list(read_folder(inputs))
    assert len({o.path for o in found}) == len(names)
    for outcome in found:
        outcome.path.encode("utf-8")  # printable: no surrogates reach the report or the Parquet files
        assert isinstance(outcome, RawDocument | Excluded | Auxiliary)
