#!/usr/bin/env python3
"""Write src/newsfacts/data/card_features.json: the features each config's dataset card declares, as the
installed datasets writes them, with its version and the digest of each config's Arrow schema.
`newsfacts validate` compares a card with this copy instead of importing datasets (about half a second of
every run); the copy is used only with that datasets version and those schemas, else validate asks datasets.
tests/release/test_schema.py fails when the copy is out of date: run this after changing the models or the
datasets pin.

    .venv/bin/python scripts/card_features.py
"""

from __future__ import annotations

import json
from pathlib import Path

from newsfacts.release.schema import CARD_FEATURES_FILE, card_features_copy

TARGET = Path(__file__).resolve().parents[1] / "src" / "newsfacts" / "data" / CARD_FEATURES_FILE


def render() -> str:
    return json.dumps(card_features_copy(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(TARGET)
