"""The `newsfacts` command line.

    newsfacts build --input seeds --output dataset     # build a release (atomically) from a folder of articles
    newsfacts validate dataset                         # check a release; non-zero exit with one line per problem
    newsfacts extract page.txt                         # one document → Article JSON on stdout
    newsfacts schema --output schema                   # regenerate the JSON Schema files from the models
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from newsfacts import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsfacts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"newsfacts {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build a release from a folder of raw articles")
    build.add_argument("--input", required=True, type=Path, help="folder of .txt / .html / .jsonl files")
    build.add_argument("--output", required=True, type=Path, help="release folder (replaced atomically)")
    build.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    build.add_argument("--model", help="installed spaCy model package (default: $NEWSFACTS_SPACY_MODEL or the pinned one)")
    build.add_argument("--max-bytes", type=int, default=None, help="refuse input files larger than this")
    build.add_argument("--strict", action="store_true", help="fail (and keep the previous release) if any input is excluded")
    build.add_argument("--quiet", action="store_true", help="no progress output")

    validate = commands.add_parser("validate", help="validate a built release")
    validate.add_argument("folder", type=Path)
    validate.add_argument("--json", action="store_true", help="print problems as JSON")
    validate.add_argument("--quiet", action="store_true", help="print nothing when the release is valid")
    validate.add_argument("--limit", type=int, default=200,
                          help="print at most this many problems, then a count per file and rule (0: all)")

    extract = commands.add_parser("extract", help="run the pipeline on one file and print the Article as JSON")
    extract.add_argument("file", type=Path)
    extract.add_argument("--url")
    extract.add_argument("--model")

    schema = commands.add_parser("schema", help="write the JSON Schema files generated from the models")
    schema.add_argument("--output", type=Path, default=Path("schema"))

    args = parser.parse_args(argv)
    return {"build": _build, "validate": _validate, "extract": _extract, "schema": _schema}[args.command](args)


def _build(args) -> int:
    from newsfacts.build import BuildError, build
    from newsfacts.read.files import DEFAULT_MAX_BYTES

    try:
        result = build(args.input, args.output, jobs=args.jobs, model=args.model,
                       max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, progress=not args.quiet, strict=args.strict)
    except BuildError as exc:
        print(f"newsfacts build: error: {exc}", file=sys.stderr)
        print(f"newsfacts build: nothing written; {args.output} is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    for entry in result.report["files"]:
        if entry["outcome"] == "excluded":
            where = f"{entry['file']}:{entry['line']}" if entry["line"] else entry["file"]
            print(f"newsfacts build: excluded {where}: {entry['reason']}", file=sys.stderr)
    if not args.quiet:
        counts = ", ".join(f"{n} {k}" for k, n in result.report["counts"].items())
        rows = ", ".join(f"{n} {k}" for k, n in result.counts.items())
        print(f"built {args.output} (newsfacts {__version__}): inputs {counts}; rows {rows}")
    return EXIT_OK


def _validate(args) -> int:
    from newsfacts.release.validate import problems_as_json, validate_release

    problems = validate_release(args.folder)
    if args.json:
        print(problems_as_json(problems))
    else:
        shown = problems if args.limit <= 0 else problems[: args.limit]
        for problem in shown:
            print(f"{args.folder}/{problem}")
        if len(shown) < len(problems):
            print(f"... {len(problems) - len(shown)} more; all problems by file and rule:")
            for (file, rule), n in sorted(Counter((p.file, p.rule) for p in problems).items()):
                print(f"  {args.folder}/{file}: [{rule}] {n}")
        if not args.quiet or problems:
            print(f"{len(problems)} problem(s) in {args.folder}", file=sys.stderr if problems else sys.stdout)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _extract(args) -> int:
    from newsfacts.api import NotAnArticle, extract

    try:
        article = extract(args.file.read_bytes(), url=args.url, model=args.model, name=args.file.name)
    except NotAnArticle as exc:
        print(f"newsfacts extract: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"newsfacts extract: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(json.dumps(article.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return EXIT_OK


def _schema(args) -> int:
    from newsfacts.release.schema import write_json_schemas

    for path in write_json_schemas(args.output):
        print(path)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
