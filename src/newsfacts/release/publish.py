"""`newsfacts publish`: verify a release folder, then upload it to the Hugging Face Hub as one commit and a tag.

Verification comes first and decides everything: the release validates (`validate_release`, which includes
the checksums), every file to upload is a regular file inside the folder, and, when the input folder is given,
a rebuild into a temporary folder with the release's own name, licence and version is byte-identical
(same `CHECKSUMS.sha256`). Nothing is uploaded unless all of it holds.

What is uploaded is exactly `CHECKSUMS.sha256` and the files it lists (the marker `.newsfacts-release`
included), in one commit on the Hub's dataset repository; files of an earlier release that this one does not
have are deleted in the same commit (the Hub's own `.gitattributes` is kept), so the tagged commit holds this
release and nothing else. The commit is then tagged `vX.Y.Z` with the release's version; a tag that exists
already is refused, since a published version never changes.

The token is huggingface_hub's business: `HF_TOKEN` or a saved login, read by huggingface_hub itself. This
module never reads it into its own messages and redacts it from any error text shown to the user.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, get_token

from newsfacts import __version__
from newsfacts.release.card import UNKNOWN, ReleaseInfo
from newsfacts.release.output import CHECKSUM_FILE, LEGACY_REPORT_FILE
from newsfacts.release.validate import validate_release

REPO_TYPE = "dataset"
DEFAULT_REVISION = "main"
HUB_KEEPS = frozenset({".gitattributes"})  # the Hub writes it (LFS rules); a release never contains one

# OWNER/NAME as the Hub accepts them: letters, digits, '-', '_', '.', no leading or trailing '-' or '.', no '--'
# or '..', at most 96 characters each.
_HUB_NAME = r"(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
_REPO_ID = re.compile(rf"{_HUB_NAME}/{_HUB_NAME}")
# The versions a tag can carry: semantic versions (https://semver.org), tagged as vX.Y.Z.
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
# How the dataset card states the version (release/card.py): "**1.2.0** (cite this)" or "unknown (...)".
_CARD_VERSION = re.compile(r"^- Dataset version: (?:\*\*((?:\\.|[^*\\])+)\*\*|(unknown)\b)", re.MULTILINE)
_MARKDOWN_ESCAPE = re.compile(r"\\(.)")


class PublishRefused(ValueError):
    """A usage problem: the command cannot be carried out as asked (exit 2). Nothing was uploaded."""


class PublishFailed(RuntimeError):
    """Verification failed or the Hub refused (exit 1). `reasons` holds one line each."""

    def __init__(self, summary: str, reasons: list[str] | None = None):
        super().__init__(summary)
        self.reasons = reasons or []


@dataclass(frozen=True)
class ReleaseFile:
    path: str  # relative to the release folder, '/'-separated; the same path in the Hub repository
    size: int  # bytes
    sha256: str


@dataclass(frozen=True)
class Plan:
    """Everything an upload does, decided before any network call (what --dry-run prints)."""

    folder: Path
    repo_id: str
    revision: str
    private: bool
    release: ReleaseInfo
    files: tuple[ReleaseFile, ...]
    verification: tuple[str, ...]  # what was checked, one line each

    @property
    def tag(self) -> str:
        return f"v{self.release.version}"

    @property
    def commit_message(self) -> str:
        named = f" of {self.release.name}" if self.release.name != UNKNOWN else ""
        return f"Release {self.tag}{named}"

    @property
    def commit_description(self) -> str:
        return f"Built with newsfacts {__version__}. Verified before upload: " + "; ".join(self.verification) + "."


def check_repo_id(repo_id: str) -> str:
    if not _REPO_ID.fullmatch(repo_id):
        raise PublishRefused(f"--repo-id {repo_id!r}: expected OWNER/NAME, e.g. my-org/news-quotes (letters, "
                             "digits, '-', '_' and '.')")
    return repo_id


def declared_release(folder: Path) -> ReleaseInfo:
    """The name, licence and version the release's card states (as given to `newsfacts build`).

    The card is generated from `ReleaseInfo`, so reading it back gives what the build was told; the notes cannot
    be told apart from the generated text and are not read (`publish --card-notes` gives them for the rebuild).
    """
    card = folder / "README.md"
    try:
        text = card.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishFailed(f"{card}: cannot read the dataset card: {getattr(exc, 'strerror', None) or exc}") from exc
    header = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    try:
        metadata = yaml.safe_load(header.group(1)) if header else None
    except yaml.YAMLError:
        metadata = None
    if not isinstance(metadata, dict):
        raise PublishFailed(f"{card}: the dataset card has no YAML metadata block")
    version = _CARD_VERSION.search(text)
    if version is None:
        raise PublishFailed(f"{card}: the dataset card does not state the dataset version")
    stated = UNKNOWN if version.group(2) else _MARKDOWN_ESCAPE.sub(r"\1", version.group(1))
    return ReleaseInfo(name=str(metadata.get("pretty_name", UNKNOWN)), license=str(metadata.get("license", UNKNOWN)),
                       version=stated)


def upload_files(folder: Path) -> tuple[ReleaseFile, ...]:
    """`CHECKSUMS.sha256` and every file it lists, with sizes and hashes (the checksum file's own hash is
    computed), sorted by path. Call after `validate_release` found no problems: the list and the files agree."""
    from newsfacts.release.layout import sha256_file

    listed: list[tuple[str, str]] = []
    for line in (folder / CHECKSUM_FILE).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed.append((name, digest))
    listed.append((CHECKSUM_FILE, sha256_file(folder / CHECKSUM_FILE)))
    root = folder.resolve()
    files = []
    for name, digest in sorted(listed):
        path = folder / name
        # A release is plain files: a link could upload something from outside the folder.
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root) or ".." in name.split("/"):
            raise PublishFailed(f"{folder}/{name}: not a regular file inside the release; refusing to upload it")
        files.append(ReleaseFile(path=name, size=path.stat().st_size, sha256=digest))
    return tuple(files)


def _symlinks(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_symlink())


def plan_publish(
    folder: Path,
    repo_id: str,
    *,
    input_dir: Path | None = None,
    card_notes: str | None = None,
    curation: Path | None = None,
    revision: str = DEFAULT_REVISION,
    private: bool = False,
    rebuild: Callable[..., object] | None = None,
) -> Plan:
    """Verify the release in `folder` and return what publishing it does. Raises PublishRefused (usage) or
    PublishFailed (verification) with every reason found; touches no network and writes only a temporary
    folder (the rebuild, removed afterwards)."""
    folder = Path(folder)
    check_repo_id(repo_id)
    if not revision.strip() or revision != revision.strip():
        raise PublishRefused(f"--revision {revision!r}: expected a branch name")
    if not folder.is_dir():
        raise PublishRefused(f"{folder}: not a folder")
    if input_dir is not None and not Path(input_dir).is_dir():
        raise PublishRefused(f"--input {input_dir}: not a folder")

    reasons = [f"{folder}/{p}" for p in validate_release(folder)]
    reasons += [f"{folder}/{name}: a symbolic link; a release holds plain files only" for name in _symlinks(folder)]
    if reasons:
        raise PublishFailed(f"{folder}: the release does not validate ({len(reasons)} problem(s))", reasons)
    files = upload_files(folder)
    release = declared_release(folder)
    if release.version == UNKNOWN:
        raise PublishRefused(f"{folder}: the release's version is unknown and cannot be tagged; build it with "
                             "`newsfacts build --version X.Y.Z` (and --name, --license) first")
    if not _SEMVER.fullmatch(release.version):
        raise PublishRefused(f"{folder}: the release's version {release.version!r} is not a semantic version "
                             "(X.Y.Z); it is tagged vX.Y.Z, so build it with `newsfacts build --version X.Y.Z`")
    verification = ["validate: no problems", f"checksums: {len(files) - 1} files match {CHECKSUM_FILE}"]
    if input_dir is None:
        verification.append("rebuild: not checked (no --input)")
    else:
        release = ReleaseInfo(name=release.name, license=release.license, version=release.version, notes=card_notes)
        verification.append(_check_rebuild(folder, Path(input_dir), release, rebuild, curation))
    return Plan(folder=folder, repo_id=repo_id, revision=revision, private=private, release=release, files=files,
                verification=tuple(verification))


def _check_rebuild(folder: Path, input_dir: Path, release: ReleaseInfo, rebuild: Callable[..., object] | None,
                   curation: Path | None = None) -> str:
    """Rebuild from `input_dir` into a temporary folder; the checksum lists must be byte-identical."""
    import json

    from newsfacts.build import BuildError, build

    rebuild = rebuild or build
    threshold = None
    try:  # the one build option the report records; the others (--model, --max-bytes) are the defaults
        threshold = json.loads((folder / LEGACY_REPORT_FILE).read_text(encoding="utf-8"))["low_retention"]["threshold"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    options: dict[str, object] = {"min_kept_share": threshold} if isinstance(threshold, (int, float)) else {}
    if curation is not None:
        options["curation"] = Path(curation)
    with tempfile.TemporaryDirectory(prefix="newsfacts-publish-") as scratch:
        again = Path(scratch) / "release"
        try:
            rebuild(input_dir, again, progress=False, release=release, **options)
        except BuildError as exc:
            raise PublishFailed(f"rebuild from {input_dir} failed: {str(exc).splitlines()[0]}") from exc
        ours, theirs = (_checksum_lines(f / CHECKSUM_FILE) for f in (folder, again))
    if ours == theirs:
        return f"rebuild from {input_dir.name}: byte-identical"
    differing = sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))
    reasons = [f"{folder}/{name}: " + ("differs from the rebuild" if name in ours and name in theirs else
                                        "not in the rebuild" if name in ours else "missing (the rebuild has it)")
               for name in differing]
    if "README.md" in differing:
        reasons.append("the dataset card differs: if the release was built with --card-notes FILE, pass the same "
                       "--card-notes FILE to publish")
    if differing != ["README.md"] and curation is None:
        reasons.append("if the release was built with --curation FILE, pass the same --curation FILE to publish")
    if differing != ["README.md"]:
        reasons.append(f"the rebuild used newsfacts {__version__} with the default --model and --max-bytes: "
                       "a release built otherwise cannot be checked this way")
    raise PublishFailed(f"{folder}: a rebuild from {input_dir} is not byte-identical", reasons)


def _checksum_lines(path: Path) -> dict[str, str]:
    return {name: digest for digest, _, name in (line.partition("  ") for line in path.read_text("utf-8").splitlines())}


def describe(plan: Plan, *, dry_run: bool) -> str:
    """What publishing does, in full: the verification, repository, commit, tag and every file."""
    total = sum(f.size for f in plan.files)
    width = max(len(str(f.size)) for f in plan.files)
    path_width = max(len(f.path) for f in plan.files)
    visibility = "private" if plan.private else "public"
    lines = [
        f"verified {plan.folder}: " + "; ".join(plan.verification),
        f"repository: {plan.repo_id} (Hugging Face Hub dataset; created {visibility} if it does not exist)",
        f"branch:     {plan.revision}",
        f"commit:     {plan.commit_message!r} (one commit; files on the branch that this release does not have "
        "are deleted, .gitattributes is kept)",
        f"tag:        {plan.tag} (refused if it exists)",
        f"files:      {len(plan.files)} ({total} bytes), path, size in bytes, sha256:",
        *[f"  {f.path:<{path_width}}  {f.size:>{width}}  {f.sha256}" for f in plan.files],
    ]
    if dry_run:
        lines.append("dry run: nothing was uploaded")
    return "\n".join(lines)


@dataclass(frozen=True)
class Published:
    commit_url: str
    commit: str
    tag: str
    deleted: tuple[str, ...]


def upload(plan: Plan, api_class: type | None = None) -> Published:
    """Create the repository if needed, upload the release as one commit, tag it. Raises PublishRefused when
    there is no token, PublishFailed when the tag exists or the Hub refuses; every message is token-free."""
    token = get_token()
    if not token:
        raise PublishRefused("no Hugging Face token: set HF_TOKEN or log in with `hf auth login`")
    try:
        return _upload(plan, (api_class or HfApi)())
    except (PublishFailed, PublishRefused) as exc:
        exc.args = tuple(redact(str(a), token) for a in exc.args)
        raise
    except Exception as exc:  # the network boundary: any refusal or failure becomes one line, without the token
        message = redact(" ".join(str(exc).split()) or type(exc).__name__, token)
        raise PublishFailed(f"the Hub refused or could not be reached: {message}") from None


def _upload(plan: Plan, api) -> Published:
    repo = {"repo_id": plan.repo_id, "repo_type": REPO_TYPE}
    api.create_repo(**repo, private=plan.private, exist_ok=True)
    refs = api.list_repo_refs(**repo)
    if any(ref.name == plan.tag for ref in refs.tags):
        raise PublishFailed(f"{plan.repo_id}: tag {plan.tag} exists already; a published version never changes: "
                            "build the release with a new --version")
    branch = _branch(refs, plan.revision)
    if branch is None:  # a new branch starts from the default one; its files are then replaced like any others
        api.create_branch(**repo, branch=plan.revision, exist_ok=True)
        branch = _branch(api.list_repo_refs(**repo), plan.revision)
    stale: list[str] = []
    if branch is not None:
        present = api.list_repo_files(**repo, revision=branch.target_commit)
        stale = sorted(set(present) - {f.path for f in plan.files} - HUB_KEEPS)
    operations = [CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=str(plan.folder / f.path)) for f in plan.files]
    operations += [CommitOperationDelete(path_in_repo=name) for name in stale]
    commit = api.create_commit(**repo, operations=operations, commit_message=plan.commit_message,
                               commit_description=plan.commit_description, revision=plan.revision,
                               parent_commit=branch.target_commit if branch is not None else None)
    try:
        api.create_tag(**repo, tag=plan.tag, tag_message=plan.commit_message, revision=commit.oid)
    except Exception as exc:  # the commit is on the Hub: say so, since "nothing was uploaded" would be false
        raise PublishFailed(f"the release was committed ({commit.commit_url}) but the tag {plan.tag} could not be "
                            f"created: {' '.join(str(exc).split()) or type(exc).__name__}; run the same command "
                            "again to tag it") from None
    return Published(commit_url=commit.commit_url, commit=commit.oid, tag=plan.tag, deleted=tuple(stale))


def _branch(refs, name: str):
    return next((ref for ref in refs.branches if ref.name == name), None)


def redact(text: str, token: str | None) -> str:
    return text.replace(token, "***") if token else text


__all__ = ["Plan", "PublishFailed", "PublishRefused", "Published", "ReleaseFile", "check_repo_id",
           "declared_release", "describe", "plan_publish", "upload", "upload_files"]
