#!/usr/bin/env bash
# Build the release in dataset/ from the seed articles in seeds/ (extra arguments go to `newsfacts build`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/newsfacts build --input seeds --output dataset --strict "$@"
