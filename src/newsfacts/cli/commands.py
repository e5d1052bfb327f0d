"""The `newsfacts` commands, one function each: parsed options in, an exit code out. Heavy modules are imported
inside each function, so that `newsfacts cache` or `--help` loads no model."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from newsfacts import __version__
from newsfacts.cli.parser import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

def _build(args) -> int:
    from newsfacts.build import BuildError, BuildRefused, build
    from newsfacts.cache import default_cache_dir, pipeline_fingerprint
    from newsfacts.cache.inventory import other_pipelines
    from newsfacts.engine.local import available_cores
    from newsfacts.read.files import DEFAULT_MAX_BYTES
    from newsfacts.release.card import ReleaseInfo

    notes = None
    if args.card_notes is not None:
        try:
            notes = args.card_notes.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            print(f"newsfacts build: error: --card-notes {args.card_notes}: {reason}", file=sys.stderr)
            return EXIT_USAGE
    release = ReleaseInfo(name=args.name, license=args.license, version=args.release_version, notes=notes)
    cache = None if args.no_cache else (args.cache or default_cache_dir())
    try:
        result = build(args.input, args.output, jobs=args.jobs or available_cores(), model=args.model,
                       max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, progress=not args.quiet, strict=args.strict,
                       release=release, min_kept_share=args.min_kept_share, curation=args.curation, cache=cache,
                       engine=args.engine, timeout=args.timeout)
    except BuildRefused as exc:
        print(f"newsfacts build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BuildError as exc:
        print(f"newsfacts build: error: {exc}", file=sys.stderr)
        print(f"newsfacts build: nothing written; {args.output} is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    for entry in result.report["files"]:
        if entry["outcome"] == "excluded":
            where = f"{entry['file']}:{entry['line']}" if entry["line"] else entry["file"]
            print(f"newsfacts build: excluded {where}: {entry['reason']}", file=sys.stderr)
    for row in result.report["low_retention"]["articles"]:
        where = f"{row['file']}:{row['line']}" if row["line"] else row["file"]
        print(f"newsfacts build: low retention {where}: kept {row['kept_share']:.0%} of its words "
              f"({row['method']})", file=sys.stderr)
    for problem in result.report.get("curation", {}).get("not_applied", []):
        print(f"newsfacts build: curation not applied ({problem['status']}): article {problem['article_id']} "
              f"correction {problem['correction']}: {problem['detail']}", file=sys.stderr)
    if not args.quiet:
        if result.up_to_date:
            print(f"newsfacts build: {args.output} is up to date: the same inputs, options and pipeline built it, "
                  "and its files are as its checksums say; nothing written", file=sys.stderr)
        counts = ", ".join(f"{n} {k}" for k, n in result.report["counts"].items())
        rows = ", ".join(f"{n} {k}" for k, n in result.counts.items())
        print(f"built {args.output} (newsfacts {__version__}): inputs {counts}; rows {rows}")
        timings = ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in result.timings.items())
        print(f"newsfacts build: time per stage: {timings}", file=sys.stderr)
        if result.cache is not None:
            stats = result.cache
            unreadable = f" ({stats.unreadable} unreadable entries)" if stats.unreadable else ""
            # Never pruned here: one cache may serve several installed versions (see `newsfacts cache prune`).
            count = other_pipelines(cache, pipeline_fingerprint(args.model))
            whose = "1 other pipeline's" if count == 1 else f"{count} other pipelines'"
            others = f"; it also holds {whose} data (`newsfacts cache info`)" if count else ""
            print(f"newsfacts build: cache {cache}: {stats.hits} hits, {stats.misses} misses{unreadable}, "
                  f"{stats.stored} stored{others}", file=sys.stderr)
    return EXIT_OK


def _cache(args) -> int:
    from newsfacts.cache import default_cache_dir
    from newsfacts.cache.inventory import scan
    from newsfacts.cache.prune import prune
    from newsfacts.cache.show import describe_source, info_as_dict, render_info, render_prune

    root = args.cache or default_cache_dir()
    if root.exists() and not root.is_dir():
        print(f"newsfacts cache: error: {root}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    if args.cache_action == "info":
        inventory = scan(root)
        print(json.dumps(info_as_dict(inventory), indent=2) if args.json
              else render_info(inventory, describe_source(args.cache is not None)))
        return EXIT_OK
    try:
        result = prune(root, max_size=getattr(args, "max_size", None), everything=args.cache_action == "clear",
                       dry_run=args.dry_run)
    except OSError as exc:
        print(f"newsfacts cache: error: {root}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(render_prune(result))
    return EXIT_OK


def _report(args) -> int:
    from newsfacts.report import ReportRefused, write_report

    if not args.folder.is_dir():
        print(f"newsfacts report: error: {args.folder}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = write_report(args.folder, args.output, max_claims=args.max_claims, max_clusters=args.max_clusters)
    except (ReportRefused, FileNotFoundError) as exc:  # not a place to write, not a release
        print(f"newsfacts report: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"newsfacts report: error: {args.output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print(f"wrote {summary.path}: {summary.charts} charts")
    return EXIT_OK


def _validate(args) -> int:
    from newsfacts.release.validate import problems_as_json, validate_release

    if not args.folder.is_dir():
        print(f"newsfacts validate: error: {args.folder}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    output_format = args.format or ("json" if args.json else "text")
    if args.json and output_format != "json":
        print(f"newsfacts validate: error: --json and --format {output_format} disagree", file=sys.stderr)
        return EXIT_USAGE
    problems = validate_release(args.folder)
    if output_format == "json":
        print(problems_as_json(problems))
    elif output_format == "github":
        shown = problems if args.limit <= 0 else problems[: args.limit]
        for problem in shown:
            print(_github_annotation(args.folder, problem))
        if len(shown) < len(problems):
            print(f"::error title=newsfacts validate::{len(problems) - len(shown)} more problem(s) not shown "
                  "(raise --limit, 0 shows all)")
        if not args.quiet or problems:
            print(f"{len(problems)} problem(s) in {args.folder}", file=sys.stderr if problems else sys.stdout)
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


def _github_annotation(folder: Path, problem) -> str:
    """One problem as a GitHub Actions workflow command: an error annotation on the file it is about."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    path = (folder / problem.file).as_posix()
    where = f"row {problem.row}: {problem.pointer or '/'}" if problem.row != "-" else problem.pointer or "/"
    return (f"::error file={prop(path)},title={prop(f'newsfacts validate [{problem.rule}]')}::"
            f"{data(f'{where}: {problem.message}')}")


def _diff(args) -> int:
    from newsfacts.release.diff import NotARelease, diff_releases, render_text

    try:
        result = diff_releases(args.old, args.new)
    except NotARelease as exc:
        print(f"newsfacts diff: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    limit = None if args.limit == 0 else args.limit
    verdict = result.verdict
    if args.json:
        print(json.dumps(result.as_dict(limit), indent=2, ensure_ascii=False))
    else:
        print("\n".join(render_text(result, limit)))
    if verdict is not None:
        print(f"newsfacts diff: {verdict}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _extract(args) -> int:
    from newsfacts.annotate.spacy_model import ModelNotInstalled
    from newsfacts.api import NotAnArticle, extract
    from newsfacts.read.files import read_sidecar_url

    try:
        if args.file == "-":
            data, name, url = sys.stdin.buffer.read(), "<stdin>", args.url
        else:
            path = Path(args.file)
            data, name = path.read_bytes(), path.name
            url = args.url or read_sidecar_url(path.with_suffix(".url"))
        article = extract(data, url=url, model=args.model, name=name)
    except NotAnArticle as exc:
        print(f"newsfacts extract: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except ModelNotInstalled as exc:
        print(f"newsfacts extract: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"newsfacts extract: error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(article.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return EXIT_OK


def _schema(args) -> int:
    from newsfacts.release.schema import write_json_schemas

    try:
        for path in write_json_schemas(args.output):
            print(path)
    except OSError as exc:
        print(f"newsfacts schema: error: {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _publish(args) -> int:
    from newsfacts.release.publish import PublishFailed, PublishRefused, describe, plan_publish, upload

    def fail(exc: Exception, code: int) -> int:
        print(f"newsfacts publish: error: {exc}", file=sys.stderr)
        for reason in getattr(exc, "reasons", []):
            print(f"  {reason}", file=sys.stderr)
        print("newsfacts publish: nothing was uploaded", file=sys.stderr)
        return code

    notes = None
    if args.card_notes is not None:
        try:
            notes = args.card_notes.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return fail(f"--card-notes {args.card_notes}: {getattr(exc, 'strerror', None) or exc}", EXIT_USAGE)
    try:
        plan = plan_publish(args.folder, args.repo_id, input_dir=args.input, card_notes=notes,
                            curation=args.curation, revision=args.revision, private=args.private)
    except PublishRefused as exc:
        return fail(exc, EXIT_USAGE)
    except PublishFailed as exc:
        return fail(exc, EXIT_PROBLEMS)
    print(describe(plan, dry_run=args.dry_run))
    if args.dry_run:
        return EXIT_OK
    try:
        published = upload(plan)
    except PublishRefused as exc:
        return fail(exc, EXIT_USAGE)
    except PublishFailed as exc:
        print(f"newsfacts publish: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for name in published.deleted:
        print(f"deleted {name} (not in this release)")
    print(f"published {args.folder} to {args.repo_id}: commit {published.commit_url}, tag {published.tag}")
    return EXIT_OK


# The function behind each command (`newsfacts.cli.main` dispatches on the parsed command's name).
COMMANDS = {"build": _build, "validate": _validate, "diff": _diff, "extract": _extract, "schema": _schema,
            "publish": _publish, "report": _report, "cache": _cache}
