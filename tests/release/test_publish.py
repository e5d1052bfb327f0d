"""`newsfacts publish`: verification, the dry-run listing, the Hub calls (mocked: no network), token secrecy."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest

import newsfacts.release.publish as publish
from newsfacts import __version__
from newsfacts.cli import main
from newsfacts.release.card import ReleaseInfo, render_card
from newsfacts.release.write import CHECKSUM_FILE, MARKER_FILE, sha256_file, write_checksums
from tests_paths import REPO, SEED_CURATION, SEEDS

FAKE_TOKEN = "hf_FAKEtokenThatMustNeverBeShown0123456789"
TAG = f"v{__version__}"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def checksum_listing(folder: Path) -> dict[str, str]:
    lines = (folder / CHECKSUM_FILE).read_text(encoding="utf-8").splitlines()
    listed = {name: digest for digest, _, name in (line.partition("  ") for line in lines)}
    return listed | {CHECKSUM_FILE: sha256_file(folder / CHECKSUM_FILE)}


def set_card_version(folder: Path, version_line: str) -> None:
    """Rewrite the card's version line (and the checksums, so the copy still validates)."""
    card = folder / "README.md"
    text = card.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("- Dataset version:"))
    card.write_text(text.replace(old, version_line), encoding="utf-8")
    (folder / CHECKSUM_FILE).unlink()
    write_checksums(folder)


class Hub:
    """Records every call the publish command makes on its HfApi; the repository's state is configurable."""

    def __init__(self, tags=(), branches=("main",), files=(".gitattributes",), fail_on=None, error=""):
        self.tags, self.branches, self.files = list(tags), list(branches), list(files)
        self.fail_on, self.error = fail_on, error
        self.calls: list[tuple[str, dict]] = []
        self.constructed: list[tuple[tuple, dict]] = []

    def api_class(self):
        hub = self

        class FakeHfApi:
            def __init__(self, *args, **kwargs):
                hub.constructed.append((args, kwargs))

            def __getattr__(self, name):
                def call(**kwargs):
                    hub.calls.append((name, kwargs))
                    if name == hub.fail_on:
                        raise RuntimeError(hub.error)
                    return getattr(hub, f"_{name}", lambda **_: None)(**kwargs)
                return call

        return FakeHfApi

    def _list_repo_refs(self, **_):
        return SimpleNamespace(tags=[SimpleNamespace(name=t, target_commit="f" * 40) for t in self.tags],
                               branches=[SimpleNamespace(name=b, target_commit="e" * 40) for b in self.branches])

    def _create_branch(self, branch, **_):
        self.branches.append(branch)

    def _list_repo_files(self, **_):
        return list(self.files)

    def _create_commit(self, repo_id, **_):
        return SimpleNamespace(oid=COMMIT, commit_url=f"https://huggingface.co/datasets/{repo_id}/commit/{COMMIT}")

    def named(self, name):
        return [kwargs for called, kwargs in self.calls if called == name]


@pytest.fixture
def token_env(monkeypatch):
    """A (fake) token in HF_TOKEN; no saved login, no OIDC."""
    monkeypatch.setenv("HF_TOKEN", FAKE_TOKEN)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    monkeypatch.delenv("HF_OIDC_RESOURCE", raising=False)


@pytest.fixture
def no_token(monkeypatch, tmp_path):
    import huggingface_hub.constants

    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_TOKEN_PATH", str(tmp_path / "no-saved-token"))


@pytest.fixture
def hub(monkeypatch):
    hub = Hub()
    monkeypatch.setattr(publish, "HfApi", hub.api_class())
    return hub


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- dry run ---------------------------------------------------------------------------------------------------

def test_dry_run_lists_exactly_the_checksum_files_and_the_tag(seed_release, hub, no_token, offline, capsys):
    code = main(["publish", str(seed_release), "--repo-id", "news-org/newsfacts", "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0, err
    listed = {}
    for line in out.splitlines():
        if line.startswith("  "):
            path, size, digest = line.split()
            listed[path] = (int(size), digest)
    expected = checksum_listing(seed_release)
    assert listed == {name: ((seed_release / name).stat().st_size, digest) for name, digest in expected.items()}
    assert MARKER_FILE in listed and CHECKSUM_FILE in listed
    assert f"tag:        {TAG}" in out
    assert "repository: news-org/newsfacts" in out
    assert f"'Release {TAG} of newsfacts'" in out
    assert "rebuild: not checked (no --input)" in out
    assert out.rstrip().endswith("dry run: nothing was uploaded")
    assert hub.constructed == [] and hub.calls == []


def test_dry_run_with_the_input_rebuilds_byte_identically(seed_release, hub, offline, capsys):
    code = main(["publish", str(seed_release), "--repo-id", "news-org/newsfacts", "--dry-run", "--input", str(SEEDS),
                 "--card-notes", str(REPO / "scripts" / "seed-card.md"), "--curation", str(SEED_CURATION)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "rebuild from seeds: byte-identical" in out


def test_a_rebuild_without_the_curation_differs_and_says_why(seed_release, hub, offline, capsys):
    code = main(["publish", str(seed_release), "--repo-id", "news-org/newsfacts", "--dry-run", "--input", str(SEEDS),
                 "--card-notes", str(REPO / "scripts" / "seed-card.md")])
    assert code == 1
    assert "--curation FILE" in capsys.readouterr().err
    assert hub.calls == []


def test_a_rebuild_without_the_card_notes_differs_and_says_why(seed_release, hub, capsys):
    code = main(["publish", str(seed_release), "--repo-id", "news-org/newsfacts", "--dry-run", "--input", str(SEEDS)])
    _, err = capsys.readouterr()
    assert code == 1
    assert f"{seed_release}/README.md: differs from the rebuild" in err
    assert "--card-notes" in err and "nothing was uploaded" in err
    assert hub.constructed == []


def test_a_rebuild_with_other_data_is_refused(seed_release):
    def rebuild_with_other_data(input_dir, output, *, release, **options):
        shutil.copytree(seed_release, output)
        quotes = output / "data" / "quotes" / "train-00000-of-00001.parquet"
        quotes.write_bytes(quotes.read_bytes() + b"\0")
        (output / CHECKSUM_FILE).unlink()
        write_checksums(output)
        assert release.version == __version__ and release.license == "other" and release.name == "newsfacts"
        assert options["min_kept_share"] == 0.1  # the threshold the report records

    with pytest.raises(publish.PublishFailed) as failure:
        publish.plan_publish(seed_release, "a/b", input_dir=SEEDS, rebuild=rebuild_with_other_data)
    assert failure.value.reasons[0] == f"{seed_release}/data/quotes/train-00000-of-00001.parquet: differs from the rebuild"
    assert any("--model" in reason for reason in failure.value.reasons)


def test_a_failed_rebuild_is_a_verification_failure(seed_release, tmp_path, hub, capsys):
    empty = tmp_path / "empty-input"
    empty.mkdir()
    code = main(["publish", str(seed_release), "--repo-id", "a/b", "--input", str(empty)])
    _, err = capsys.readouterr()
    assert code == 1
    assert "rebuild from" in err and "no article could be built" in err
    assert hub.constructed == []


# --- refusals ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("repo_id", ["newsfacts", "a/b/c", "-org/name", "org/name-", "org/na--me", "org/n..a", "/name",
                                     "org/", "org/na me", "org/" + "n" * 97])
def test_a_bad_repo_id_is_a_usage_error(seed_release, hub, repo_id, capsys):
    assert main(["publish", str(seed_release), f"--repo-id={repo_id}", "--dry-run"]) == 2
    _, err = capsys.readouterr()
    assert "expected OWNER/NAME" in err and len(err.splitlines()) == 2  # the reason, then "nothing was uploaded"


def test_good_repo_ids_are_accepted():
    for repo_id in ("news-org/newsfacts", "a/b", "User_1/news.quotes-2024", "o/" + "n" * 96):
        assert publish.check_repo_id(repo_id) == repo_id


def test_a_missing_folder_is_a_usage_error(tmp_path, hub, capsys):
    assert main(["publish", str(tmp_path / "nowhere"), "--repo-id", "a/b"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_a_missing_input_folder_is_a_usage_error(seed_release, tmp_path, hub, capsys):
    assert main(["publish", str(seed_release), "--repo-id", "a/b", "--input", str(tmp_path / "nowhere")]) == 2
    assert "--input" in capsys.readouterr().err


def test_unreadable_card_notes_are_a_usage_error(seed_release, tmp_path, hub, capsys):
    assert main(["publish", str(seed_release), "--repo-id", "a/b", "--card-notes", str(tmp_path / "nowhere.md")]) == 2
    assert "--card-notes" in capsys.readouterr().err


def test_an_unknown_version_cannot_be_tagged(release_copy, hub, capsys):
    set_card_version(release_copy, "- Dataset version: unknown (not given by whoever built it)")
    assert main(["publish", str(release_copy), "--repo-id", "a/b", "--dry-run"]) == 2
    _, err = capsys.readouterr()
    assert "version is unknown" in err and "--version X.Y.Z" in err
    assert hub.constructed == []


def test_a_version_that_is_not_semver_cannot_be_tagged(release_copy, hub, capsys):
    set_card_version(release_copy, "- Dataset version: **2024-06** (cite this); built with newsfacts 1.1.0.")
    assert main(["publish", str(release_copy), "--repo-id", "a/b", "--dry-run"]) == 2
    assert "not a semantic version" in capsys.readouterr().err


def test_a_release_that_does_not_validate_is_not_uploaded(release_copy, hub, token_env, capsys):
    figures = release_copy / "data" / "figures" / "train-00000-of-00001.parquet"
    figures.write_bytes(figures.read_bytes()[:-10])
    assert main(["publish", str(release_copy), "--repo-id", "a/b"]) == 1
    _, err = capsys.readouterr()
    assert "does not validate" in err and "data/figures/train-00000-of-00001.parquet" in err
    assert "nothing was uploaded" in err
    assert hub.constructed == [] and hub.calls == []


def test_a_file_the_checksums_do_not_list_is_refused(release_copy, hub, capsys):
    (release_copy / ".secret-notes").write_text("not part of the release")
    assert main(["publish", str(release_copy), "--repo-id", "a/b", "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "/.secret-notes: " in err and "[checksum] file is not listed in CHECKSUMS.sha256" in err


def test_a_symbolic_link_in_the_release_is_refused(release_copy, tmp_path, hub, capsys):
    outside = tmp_path / "outside.md"
    shutil.move(release_copy / "README.md", outside)
    (release_copy / "README.md").symlink_to(outside)  # same bytes, so the checksums still match
    assert main(["publish", str(release_copy), "--repo-id", "a/b", "--dry-run"]) == 1
    assert "README.md: a symbolic link" in capsys.readouterr().err


# --- upload (mocked Hub) -------------------------------------------------------------------------------------------

def test_upload_is_one_commit_with_exactly_the_release_then_the_tag(seed_release, hub, token_env, capsys):
    hub.files = [".gitattributes", "README.md", "data/old_config/train-00000-of-00001.parquet"]
    code = main(["publish", str(seed_release), "--repo-id", "news-org/newsfacts"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert [name for name, _ in hub.calls] == ["create_repo", "list_repo_refs", "list_repo_files", "create_commit",
                                               "create_tag"]
    assert hub.named("create_repo") == [{"repo_id": "news-org/newsfacts", "repo_type": "dataset", "private": False,
                                         "exist_ok": True}]
    (commit,) = hub.named("create_commit")
    assert commit["repo_type"] == "dataset" and commit["revision"] == "main" and commit["parent_commit"] == "e" * 40
    assert TAG in commit["commit_message"]
    adds = [op for op in commit["operations"] if isinstance(op, publish.CommitOperationAdd)]
    deletes = [op.path_in_repo for op in commit["operations"] if isinstance(op, publish.CommitOperationDelete)]
    expected = checksum_listing(seed_release)
    assert sorted(op.path_in_repo for op in adds) == sorted(expected)
    for op in adds:  # the bytes uploaded are the bytes the checksums list
        assert Path(op.path_or_fileobj) == seed_release / op.path_in_repo
        assert op.upload_info.sha256.hex() == expected[op.path_in_repo]
    assert deletes == ["data/old_config/train-00000-of-00001.parquet"]  # .gitattributes is the Hub's, kept
    assert hub.named("create_tag") == [{"repo_id": "news-org/newsfacts", "repo_type": "dataset", "tag": TAG,
                                        "tag_message": commit["commit_message"], "revision": COMMIT}]
    assert f"tag {TAG}" in out and COMMIT in out
    assert "deleted data/old_config/train-00000-of-00001.parquet" in out


def test_private_and_a_new_branch(seed_release, hub, token_env, capsys):
    code = main(["publish", str(seed_release), "--repo-id", "a/b", "--private", "--revision", "releases"])
    assert code == 0, capsys.readouterr().err
    assert hub.named("create_repo")[0]["private"] is True
    assert hub.named("create_branch") == [{"repo_id": "a/b", "repo_type": "dataset", "branch": "releases",
                                           "exist_ok": True}]
    assert hub.named("create_commit")[0]["revision"] == "releases"


def test_an_existing_tag_is_refused_before_any_commit(seed_release, hub, token_env, capsys):
    hub.tags = [TAG]
    assert main(["publish", str(seed_release), "--repo-id", "a/b"]) == 1
    _, err = capsys.readouterr()
    assert f"tag {TAG} exists already" in err and "--version" in err
    assert hub.named("create_commit") == [] and hub.named("create_tag") == []


def test_a_hub_refusal_is_one_line_and_exit_1(seed_release, hub, token_env, capsys):
    hub.fail_on, hub.error = "create_commit", "403 Forbidden:\nyou may not write to a/b"
    assert main(["publish", str(seed_release), "--repo-id", "a/b"]) == 1
    _, err = capsys.readouterr()
    assert err.splitlines() == ["newsfacts publish: error: the Hub refused or could not be reached: 403 Forbidden: "
                                "you may not write to a/b"]
    assert hub.named("create_tag") == []


def test_a_tag_refused_after_the_commit_says_the_commit_was_made(seed_release, hub, token_env, capsys):
    hub.fail_on, hub.error = "create_tag", "409 Conflict: tag exists"
    assert main(["publish", str(seed_release), "--repo-id", "a/b"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert f"committed (https://huggingface.co/datasets/a/b/commit/{COMMIT})" in line
    assert f"tag {TAG} could not be created: 409 Conflict: tag exists" in line


def test_without_a_token_nothing_is_attempted(seed_release, hub, no_token, capsys):
    assert main(["publish", str(seed_release), "--repo-id", "a/b"]) == 2
    assert "set HF_TOKEN" in capsys.readouterr().err
    assert hub.constructed == []


# --- the token ---------------------------------------------------------------------------------------------------

def written_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("fail_on", [None, "create_commit", "create_tag"])
def test_the_token_is_never_printed_or_written(release_copy, tmp_path, monkeypatch, hub, token_env, capsys, fail_on):
    # A Hub error that quotes the token (as a misconfigured proxy might) is shown redacted.
    hub.fail_on, hub.error = fail_on, f"401 Unauthorized: bad token {FAKE_TOKEN}"
    monkeypatch.chdir(tmp_path)
    before = written_files(tmp_path)
    main(["publish", str(release_copy), "--repo-id", "a/b", "--dry-run"])
    main(["publish", str(release_copy), "--repo-id", "a/b", "--input", str(tmp_path / "nowhere")])
    main(["publish", str(release_copy), "--repo-id", "a/b"])
    out, err = capsys.readouterr()
    assert FAKE_TOKEN not in out and FAKE_TOKEN not in err
    assert ("***" in err) == (fail_on is not None)
    assert all(args == () and kwargs == {} for args, kwargs in hub.constructed)  # huggingface_hub reads it itself
    assert FAKE_TOKEN not in repr(hub.calls)
    after = written_files(tmp_path)
    assert after == before  # nothing written in the working folder or the release
    assert not any(FAKE_TOKEN.encode() in data for data in after.values())


def test_the_token_is_not_printed_by_the_command_line_process(seed_release, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "HF_TOKEN": FAKE_TOKEN, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-m", "newsfacts.cli", "publish", str(seed_release), "--repo-id", "a/b",
                             "--dry-run"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert FAKE_TOKEN not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


# --- what the card says ----------------------------------------------------------------------------------------------

def test_the_release_info_is_read_back_from_the_card(tmp_path):
    stated = ReleaseInfo(name="My *news* [quotes]_", license="cc-by-4.0", version="2.0.0-rc.1+build.5",
                         notes="## Terms\n\n- Dataset version: **9.9.9** (not this one)")
    (tmp_path / "README.md").write_text(render_card([], {}, {}, {}, stated), encoding="utf-8")
    assert publish.declared_release(tmp_path) == ReleaseInfo(name=stated.name, license=stated.license,
                                                             version=stated.version)


def test_the_seed_release_states_its_version(seed_release):
    assert publish.declared_release(seed_release) == ReleaseInfo(name="newsfacts", license="other", version=__version__)


def test_an_unknown_release_is_read_as_unknown(tmp_path):
    (tmp_path / "README.md").write_text(render_card([], {}, {}, {}, ReleaseInfo()), encoding="utf-8")
    assert publish.declared_release(tmp_path) == ReleaseInfo()
