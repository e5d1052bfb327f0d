"""The `newsfacts` command line's options: their checks (one line on stderr and exit 2 for a usage mistake),
their help, and the exit codes."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import NoReturn

from newsfacts import __version__
from newsfacts.engine import DEFAULT_TIMEOUT, ENGINES

OVERVIEW = """The `newsfacts` command line.

    newsfacts build --input seeds --output dataset     # build a release (atomically) from a folder of articles
    newsfacts validate dataset                         # check a release; non-zero exit with one line per problem
    newsfacts diff old-dataset dataset                 # what changed; non-zero exit if the version does not say so
    newsfacts extract page.txt                         # one document → Article JSON on stdout
    newsfacts schema --output schema                   # regenerate the JSON Schema files from the models
    newsfacts publish dataset --repo-id OWNER/NAME --dry-run  # verify a release, show what would be uploaded
    newsfacts report dataset --output report.html      # one self-contained HTML page of charts for a release
    newsfacts cache info                               # where the article cache is, its size per pipeline
    newsfacts cache prune --max-size 2G                # bound it (default: remove other pipelines' data)
"""

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130

EXIT_CODES = """exit codes:
  0    success
  1    problems found: inputs excluded under --strict, no article could be built, the release does not
       validate, a manifest or checksum list is invalid, `extract` input is not an article, `diff`: NEW's
       version does not rise by the level its changes need
  2    usage or environment error: a bad option, a missing input, an --output a build may not replace,
       an unknown --model, an unwritable output or a full disk (nothing was changed)
  130  interrupted (Ctrl-C; nothing was changed)"""

OUTPUT_HELP = (
    "the release folder to write. It may be a missing path, an empty folder, or a release written by an "
    "earlier build (recognised by its .newsfacts-release marker, holding nothing its CHECKSUMS.sha256 does "
    "not list); anything else (a file, your own folder, the input or a folder around it, the current "
    "directory) is refused with exit 2. The old release stays in place until the new one has validated, "
    "then they are swapped atomically"
)
INPUT_HELP = (
    "the folder of articles: .txt page dumps (with an optional NAME.url sidecar), .html pages and .jsonl "
    "files (one JSON object per line with a 'text' field and optional url, date, outlet, title); optional "
    "manifest.yaml and SHA256SUMS. The folder is a boundary: links leading outside it, links to folders, "
    "FIFOs and other special files are not read; every entry is listed in build-report.json with its fate"
)

EXTRACT_DETAILS = """\
No time limit, unlike `build --timeout`: the document is extracted in this process, and
Python cannot interrupt native code in its own process (a page that makes a parser hang
would hang it). To bound it, run it under timeout(1), which ends the whole process:
  timeout 300 newsfacts extract page.html    # exit 124 if it runs past 300 s
or put the pages in a folder and `newsfacts build --timeout SECONDS` them."""


class Parser(argparse.ArgumentParser):
    """Usage mistakes as one line on stderr (exit 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


_SIZE = re.compile(r"\s*(\d+)\s*([kmg]i?b?)?\s*", re.IGNORECASE)


def _byte_size(text: str) -> int:
    """A positive size in bytes: 1000000, or with a binary suffix: 64K, 10M, 1G."""
    match = _SIZE.fullmatch(text)
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive size in bytes such as 10000000 or 10M, got {text!r}")
    unit = (match.group(2) or " ")[0].lower()
    return int(match.group(1)) * {" ": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or a positive whole number, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected 0 or a positive number of seconds, got {text!r}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got {text!r}")
    return value


def make_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="newsfacts", description=OVERVIEW, epilog=EXIT_CODES,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"newsfacts {__version__}",
                        help="print the newsfacts version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     help="one of the commands below; `newsfacts COMMAND --help` explains its arguments")

    def command(name: str, help_text: str, details: str = "") -> argparse.ArgumentParser:
        description = help_text[:1].upper() + help_text[1:] + "." + (f"\n\n{details}" if details else "")
        return commands.add_parser(name, help=help_text, description=description, epilog=EXIT_CODES,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    build = command("build", "build a release from a folder of raw articles")
    build.add_argument("--input", required=True, type=Path, metavar="DIR", help=INPUT_HELP)
    build.add_argument("--output", required=True, type=Path, metavar="DIR", help=OUTPUT_HELP)
    build.add_argument("--name", default="unknown",
                       help="the release's name, for its dataset card (default: unknown)")
    build.add_argument("--license", default="unknown", metavar="ID",
                       help="the release's licence as a Hugging Face Hub licence identifier, e.g. cc-by-4.0 or "
                       "other (default: unknown)")
    build.add_argument("--version", dest="release_version", default="unknown", metavar="VERSION",
                       help="the release's version, to cite it by (default: unknown)")
    build.add_argument("--card-notes", type=Path, metavar="FILE",
                       help="a Markdown file appended as-is to the dataset card (licence terms, datasheet "
                       "pointer, ...)")
    build.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                       help="worker processes for extraction (default: the cores this process may use); the "
                       "output does not depend on it")
    build.add_argument("--engine", choices=ENGINES, default="local",
                       help="what extracts the documents: local (default: this machine's processes, --jobs of "
                       "them) or ray (--jobs Ray actors, on the cluster $RAY_ADDRESS names or a local Ray; needs "
                       "newsfacts[ray]); the output does not depend on it")
    build.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                       help=f"the longest one document may take to extract (default {DEFAULT_TIMEOUT:g}; 0: no "
                       "limit); one that takes longer, such as a page that makes a parser hang, is excluded with "
                       "the reason and the build goes on. Extraction then runs in worker processes even at "
                       "--jobs 1. Not applied by --engine ray"),
    build.add_argument("--model", metavar="NAME",
                       help="installed spaCy model package or model folder (default: $NEWSFACTS_SPACY_MODEL or "
                       "the pinned en_core_web_sm 3.8.0)")
    build.add_argument("--max-bytes", type=_byte_size, default=None, metavar="SIZE",
                       help="largest input file, or JSON line, to read, in bytes, or with a K/M/G suffix "
                       "(default 10M); larger ones are excluded with the reason")
    build.add_argument("--strict", action="store_true",
                       help="fail (exit 1, previous release kept) if any input is excluded")
    build.add_argument("--min-kept-share", type=_share, default=0.1, metavar="SHARE",
                       help="list in build-report.json (low_retention) and on stderr the articles whose text kept "
                       "less than this share of their input's words (default 0.1), for a look by hand")
    build.add_argument("--quiet", action="store_true",
                       help="no progress output, no summary line and no timings")
    cache = build.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, metavar="DIR",
                       help="the cache of extracted articles, keyed by each input and the pipeline's version, so "
                       "an unchanged input is not processed again and an interrupted build continues where it "
                       "stopped (default: $NEWSFACTS_CACHE_DIR, else $XDG_CACHE_HOME/newsfacts, else "
                       "~/.cache/newsfacts); the output does not depend on it")
    cache.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the cache: extract every input")
    build.add_argument("--curation", type=Path, metavar="FILE",
                       help="a curation file of hand corrections keyed by article id and span (see "
                       "curation/seeds.yaml), applied after extraction; each curated item is marked in the data, "
                       "and a correction whose span no longer matches the text is reported (build-report.json, "
                       "stderr) and skipped, or fails a --strict build")

    validate = command("validate", "validate a built release")
    validate.add_argument("folder", type=Path, metavar="DIR", help="the release folder to check")
    validate.add_argument("--format", choices=("text", "json", "github"), default=None,
                          help="text (default): one line per problem; json: the problems as a JSON list; github: "
                          "GitHub Actions workflow annotations (::error file=...), shown on the run and the pull "
                          "request")
    validate.add_argument("--json", action="store_true", help="print the problems as JSON (same as --format json)")
    validate.add_argument("--quiet", action="store_true", help="print nothing when the release is valid")
    validate.add_argument("--limit", type=_non_negative_int, default=200, metavar="N",
                          help="print at most N problems, then a count per file and rule (0: all; default 200)")

    diff = command("diff", "compare two releases: schema changes by semver level, declared versions, rows "
                   "added, removed and changed per config; exit 1 when NEW's version does not rise by the level "
                   "its changes need")
    diff.add_argument("old", type=Path, metavar="OLD", help="the earlier release folder")
    diff.add_argument("new", type=Path, metavar="NEW", help="the later release folder")
    diff.add_argument("--json", action="store_true", help="print the whole diff as JSON")
    diff.add_argument("--limit", type=_non_negative_int, default=10, metavar="N",
                      help="list at most N row ids per config and kind of change (0: all; default 10)")

    extract = command("extract", "run the pipeline on one document and print the Article as JSON", EXTRACT_DETAILS)
    extract.add_argument("file", metavar="FILE",
                         help="a page dump, HTML page or article text; '-' reads standard input. A FILE.url "
                         "sidecar beside FILE gives the page's URL unless --url is given")
    extract.add_argument("--url", help="the page's URL (overrides a FILE.url sidecar)")
    extract.add_argument("--model", metavar="NAME",
                         help="installed spaCy model package or model folder (default: $NEWSFACTS_SPACY_MODEL or "
                         "the pinned one)")

    schema = command("schema", "write the JSON Schema files generated from the models")
    schema.add_argument("--output", type=Path, default=Path("schema"), metavar="DIR",
                        help="folder to write the *.schema.json files into (default: schema)")

    publish = command("publish", "verify a release, then upload it to the Hugging Face Hub as one commit tagged "
                      "vX.Y.Z")
    publish.add_argument("folder", type=Path, metavar="DIR", help="the release folder to publish")
    publish.add_argument("--repo-id", required=True, metavar="OWNER/NAME",
                         help="the Hub dataset repository (created if it does not exist)")
    publish.add_argument("--input", type=Path, metavar="FOLDER",
                         help="the folder the release was built from: it is rebuilt into a temporary folder with the "
                         "release's name, licence and version, and must give the same bytes (without it this check "
                         "is skipped, and the output says so)")
    publish.add_argument("--card-notes", type=Path, metavar="FILE",
                         help="the --card-notes FILE the release was built with, for the rebuild")
    publish.add_argument("--curation", type=Path, metavar="FILE",
                         help="the --curation FILE the release was built with, for the rebuild")
    publish.add_argument("--dry-run", action="store_true",
                         help="verify, print the files (path, size, sha256), repository, commit message and tag, and "
                         "upload nothing (no network, no token needed)")
    publish.add_argument("--revision", default="main", metavar="BRANCH",
                         help="the branch to commit to (default: main; created if missing)")
    publish.add_argument("--private", action="store_true",
                         help="create the repository private if it does not exist (an existing one keeps its "
                         "visibility)")

    report = command("report", "write one self-contained HTML page (inline SVG charts, no network) showing a "
                     "release: its inputs (excluded and flagged ones with their reasons), claims by outlet and "
                     "date, quote clusters, entities named together, known errors")
    report.add_argument("folder", type=Path, metavar="DIR", help="the release folder to show")
    report.add_argument("--output", required=True, type=Path, metavar="FILE",
                        help="the HTML file to write; an existing file is replaced only if it is an earlier "
                        "newsfacts report")
    report.add_argument("--max-claims", type=_positive_int, default=40, metavar="N",
                        help="chart at most N claims, disagreements and those with the most outlets first "
                        "(default 40)")
    report.add_argument("--max-clusters", type=_positive_int, default=40, metavar="N",
                        help="chart at most N quote clusters, those with the most outlets first (default 40)")
    report.add_argument("--quiet", action="store_true", help="print nothing on success")

    cache_command = command("cache", "show the article cache `newsfacts build` keeps, and bound it")
    actions = cache_command.add_subparsers(dest="cache_action", required=True, metavar="ACTION",
                                   help="info, prune or clear; `newsfacts cache ACTION --help` explains each")
    cache_help = ("the cache folder (default, as for `newsfacts build`: $NEWSFACTS_CACHE_DIR, else "
                  "$XDG_CACHE_HOME/newsfacts, else ~/.cache/newsfacts)")
    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".",
                                  epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)

    info = action("info", "where the cache is, its size, and per pipeline its articles, release records, report "
                  "pages, size and last use")
    info.add_argument("--json", action="store_true", help="print it as JSON")
    prune = action("prune", "remove the data of the pipelines the installed newsfacts does not build with (left by "
                   "an upgrade, another dependency or model version), or with --max-size the least recently used "
                   "data of any pipeline; never the folder of a running build")
    prune.add_argument("--max-size", type=_byte_size, metavar="SIZE",
                       help="instead, remove the least recently used articles, release records and report pages of "
                       "any pipeline until the cache takes at most SIZE of disk (bytes, or with a K/M/G suffix: 2G)")
    clear = action("clear", "remove every pipeline's data, the installed one's too; never the folder of a running "
                   "build")
    for parser_of in (info, prune, clear):
        parser_of.add_argument("--cache", type=Path, metavar="DIR", help=cache_help)
    for parser_of in (prune, clear):
        parser_of.add_argument("--dry-run", action="store_true", help="print what would be removed; remove nothing")
    return parser
