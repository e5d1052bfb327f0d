"""Rewrite (or --check) the generated blocks of DATASHEET.md from a release folder (default: dataset/).

    .venv/bin/python scripts/datasheet.py            # after bash scripts/build.sh
    .venv/bin/python scripts/datasheet.py --check    # exit 1 when DATASHEET.md is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsfacts.release.datasheet import datasheet_blocks, render_blocks, update_datasheet

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("release", nargs="?", type=Path, default=REPO / "dataset")
    parser.add_argument("--datasheet", type=Path, default=REPO / "DATASHEET.md")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    markdown = args.datasheet.read_text(encoding="utf-8")
    blocks = render_blocks(args.release)
    if args.check:
        stale = sorted(name for name, body in datasheet_blocks(markdown).items() if blocks.get(name) != body)
        missing = sorted(set(blocks) - set(datasheet_blocks(markdown)))
        for name in stale + missing:
            print(f"{args.datasheet}: generated block {name!r} is out of date", file=sys.stderr)
        return 1 if stale or missing else 0
    args.datasheet.write_text(update_datasheet(markdown, blocks), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
