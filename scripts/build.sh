#!/usr/bin/env bash
# Build the release in dataset/ from the seed articles in seeds/ (extra arguments go to `newsfacts build`).
# The seed release's own name, licence, version and card notes are passed here; a user's build states its own
# (or gets "unknown"). tests/tests_paths.py (SEED_RELEASE) builds with the same values.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
version="$(.venv/bin/python -c 'import newsfacts; print(newsfacts.__version__)')"
exec .venv/bin/newsfacts build --input seeds --output dataset --strict \
  --name newsfacts --license other --version "$version" --card-notes scripts/seed-card.md \
  --curation curation/seeds.yaml "$@"
