"""The `newsfacts` command line; `parser.OVERVIEW`, the top of `newsfacts --help`, lists its commands.

    parser.py    the options, their checks and help, and the exit codes
    commands.py  one function per command, from parsed options to an exit code
    __main__.py  `python -m newsfacts.cli`
"""

from __future__ import annotations

import sys

from newsfacts.cli.commands import COMMANDS, _github_annotation
from newsfacts.cli.parser import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, make_parser

__all__ = ["EXIT_INTERRUPTED", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "_github_annotation", "main", "make_parser"]


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    handler = COMMANDS[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print(f"newsfacts {args.command}: interrupted; nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED
