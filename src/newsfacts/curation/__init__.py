"""Hand curation of a release: a versioned file of corrections applied by the build after extraction.

The pipeline is never tuned to particular articles; when a reviewed article is extracted wrongly, the
correction goes in a curation file (`curation/seeds.yaml` for the seed release), keyed by article id and the
exact span, with a reason. See `newsfacts.curation.format` for the file and `newsfacts.curation.apply` for
how corrections are applied, marked and reported.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from newsfacts.curation.apply import APPLIED, CurationReport, Outcome, apply_curation
from newsfacts.curation.format import CURATION_VERSION, Correction, CurationFile, SpanRef

__all__ = ["APPLIED", "CURATION_VERSION", "Correction", "CurationError", "CurationFile", "CurationReport",
           "LoadedCuration", "Outcome", "SpanRef", "apply_curation", "load_curation"]


class CurationError(ValueError):
    """The curation file cannot be read or is not a valid curation file."""


class LoadedCuration:
    """A curation file with where it came from (name and sha256 of its bytes, for the build report)."""

    def __init__(self, curation: CurationFile, name: str, sha256: str):
        self.curation, self.name, self.sha256 = curation, name, sha256


def load_curation(path: Path) -> LoadedCuration:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CurationError(f"{path}: cannot read the curation file: {exc.strerror or exc}") from exc
    try:
        raw = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CurationError(f"{path}: not a UTF-8 YAML file: {exc}") from exc
    if isinstance(raw, dict) and raw.get("curation_version") not in (None, CURATION_VERSION):
        raise CurationError(f"{path}: curation_version {raw.get('curation_version')!r} is not supported "
                            f"(this newsfacts reads version {CURATION_VERSION})")
    try:
        curation = CurationFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'/'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10])
        raise CurationError(f"{path}: invalid curation file: {problems}") from exc
    return LoadedCuration(curation, path.name, hashlib.sha256(data).hexdigest())
