"""The two halves of an article cache key besides the document's own bytes: what the document is
(`document_identity`) and what processes it (`pipeline_fingerprint`), and a readable description of a
pipeline (`describe_pipeline`) kept beside its entries so `newsfacts cache info` can say what made them."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import sys
from pathlib import Path

from newsfacts import __version__
from newsfacts.documents import RawDocument


def document_identity(raw: RawDocument) -> bytes:
    """Every field of the document, canonically encoded: what the Article is computed from."""
    return json.dumps(dataclasses.asdict(raw), sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode("ascii")


@functools.lru_cache(maxsize=8)
def pipeline_fingerprint(model: str | None = None) -> str:
    """A hash of everything besides the document that `process` depends on (see `newsfacts.cache`)."""
    from newsfacts.annotate.spacy_model import model_name

    digest = hashlib.sha256()

    def add(label: str, value: bytes) -> None:
        digest.update(f"{label}\0{len(value)}\0".encode())
        digest.update(value)

    add("newsfacts", __version__.encode())
    add("python", sys.version.encode())
    for name, version in _dependency_versions():
        add(f"dependency:{name}", version.encode())
    package = Path(__file__).resolve().parent.parent  # newsfacts/, this module being newsfacts/cache/...
    for path in sorted(package.rglob("*"), key=lambda p: p.relative_to(package).as_posix()):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
            add(f"file:{path.relative_to(package).as_posix()}", path.read_bytes())
    name = model_name(model)
    add("model", name.encode())
    add("model-meta", _model_meta(name))
    return digest.hexdigest()


def _dependency_versions() -> list[tuple[str, str]]:
    try:
        requirements = importlib.metadata.requires("newsfacts") or []
    except importlib.metadata.PackageNotFoundError:
        requirements = []
    names = sorted({re.match(r"[A-Za-z0-9._-]+", r).group(0).lower() for r in requirements if "extra ==" not in r})
    versions = []
    for name in names:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    return versions


def _model_meta(name: str) -> bytes:
    """The model's meta.json (its name, version and spaCy version), without loading the model."""
    if os.path.isdir(name):
        folder = Path(name)
    else:
        # The folder `spacy.util.get_package_path` gives (the package's __file__'s), found without importing
        # the package: a model package's __init__ imports spaCy, which an up-to-date build never needs.
        try:
            spec = importlib.util.find_spec(name)
        except Exception:  # noqa: BLE001 - an unknown model is refused by the build itself
            spec = None
        if spec is None or not spec.has_location:  # not installed, or a namespace or built-in module: no file
            return b"unknown"
        folder = Path(spec.origin).parent
    try:
        return (folder / "meta.json").read_bytes()
    except OSError:
        return b"unknown"


def describe_pipeline(model: str | None) -> dict[str, str]:
    """What a person needs to recognise a pipeline's cache folder (its fingerprint is a bare hash): the newsfacts
    and Python versions and the spaCy model (`model`: as `newsfacts build --model` resolves it, or None when
    unknown). Not part of any key."""
    description = {"newsfacts": __version__, "python": platform.python_version()}
    if model is not None:
        description["model"] = model
        try:
            meta = json.loads(_model_meta(model))
            description["model_version"] = str(meta["version"])
        except (ValueError, KeyError, TypeError):
            pass
    return description
