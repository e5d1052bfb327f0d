"""`newsfacts build`: input folder → validated release folder, atomically, with a report on every input.

What a build may replace and how it swaps the release into place: `newsfacts.release.output`. What it reads
(the input folder as a boundary): `newsfacts.read.walk`. Errors: `BuildError` (the inputs gave no valid
release: exit 1) and its subclass `BuildRefused` (a usage or environment problem: exit 2); neither leaves
anything changed at the output.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from newsfacts import __version__
from newsfacts.annotate.nlp import ModelNotInstalled, model_name
from newsfacts.cache import ArticleCache, CacheStats
from newsfacts.curation import CurationError, LoadedCuration, apply_curation, load_curation
from newsfacts.dedup import find_near_duplicates
from newsfacts.documents import RawDocument
from newsfacts.engine import EngineFailed, EngineUnavailable, executor
from newsfacts.engine.cached import plan, run_planned
from newsfacts.engine.local import Failed, run
from newsfacts.models import Article, KnownError
from newsfacts.read import Auxiliary, Excluded, read_folder
from newsfacts.read.files import DEFAULT_MAX_BYTES
from newsfacts.read.manifest import ManifestError
from newsfacts.release.card import ReleaseInfo
from newsfacts.release.output import OutputLocked, OutputRefused, check_output, staged_release
from newsfacts.release.validate import validate_release
from newsfacts.release.write import write_release


# Below this share of the input's words kept, an article is listed in the build report for a look by hand.
LOW_KEPT_SHARE = 0.1


class BuildError(RuntimeError):
    """The build as a whole cannot produce a release; the previous release is left untouched."""


class BuildRefused(BuildError):
    """The build cannot start or cannot write: a usage or environment problem (bad output, input, option or
    model; an unwritable or full disk). Nothing at the output was changed."""


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote (`report` is build-report.json, `counts` the rows per config) and how it went:
    `cache` (None when the build ran without one) and `timings` (seconds per stage) are not in the release,
    whose bytes do not depend on them."""

    report: dict[str, Any]
    counts: dict[str, int]
    cache: CacheStats | None = None
    timings: dict[str, float] = field(default_factory=dict)


def build(
    input_dir: Path,
    output_dir: Path,
    *,
    jobs: int = 1,
    model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = True,
    strict: bool = False,
    release: ReleaseInfo = ReleaseInfo(),
    lock_timeout: float | None = None,
    min_kept_share: float = LOW_KEPT_SHARE,
    curation: Path | LoadedCuration | None = None,
    cache: Path | ArticleCache | None = None,
    engine: str = "local",
) -> BuildResult:
    """Build a release of the articles in `input_dir` at `output_dir`.

    Everything that can be checked before any work is checked first (options, input, output, model); the
    output is replaced only by a release that validates, and only if it is missing, empty or a release.
    `lock_timeout`: seconds to wait for another build of the same output (None: wait as long as it takes).
    `curation`: a curation file (see `newsfacts.curation`) applied after extraction; what happened to each
    correction is in the report, and a correction that could not be applied fails a `strict` build.
    `cache`: a folder for the article cache (`newsfacts.cache`), or None (the default here; the command line
    turns it on): an input extracted by the same pipeline before is read from it instead of being processed.
    The release is byte-identical with or without it.
    `engine`: what extracts the documents (`newsfacts.engine`: "local", or "ray" with the newsfacts[ray]
    extra); the release is byte-identical whichever runs.
    """
    input_dir = Path(input_dir)
    if not isinstance(jobs, int) or jobs < 1:
        raise BuildRefused(f"--jobs must be a positive number of worker processes (got {jobs})")
    if not 0.0 <= min_kept_share <= 1.0:
        raise BuildRefused(f"--min-kept-share must be between 0 and 1 (got {min_kept_share})")
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise BuildRefused(f"--max-bytes must be a positive number of bytes (got {max_bytes})")
    if not os.path.lexists(input_dir):
        raise BuildRefused(f"{input_dir}: input folder does not exist")
    if not input_dir.is_dir():
        raise BuildRefused(f"{input_dir}: input is not a folder")
    if not os.access(input_dir, os.R_OK | os.X_OK):
        raise BuildRefused(f"{input_dir}: input folder cannot be read (permission denied)")
    try:
        check_output(output_dir, input_dir)
    except OutputRefused as exc:
        raise BuildRefused(str(exc)) from None
    _check_model(model)
    try:
        extract = executor(engine, quiet=not progress)
    except EngineUnavailable as exc:
        raise BuildRefused(str(exc)) from None
    if curation is not None and not isinstance(curation, LoadedCuration):
        try:
            curation = load_curation(Path(curation))
        except CurationError as exc:
            raise BuildRefused(f"--curation {exc}") from None
    if cache is not None and not isinstance(cache, ArticleCache):
        cache = ArticleCache.open(Path(cache), model, on_warning=_say if progress else None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        outcomes = list(read_folder(input_dir, max_bytes=max_bytes))
    except ManifestError as exc:
        raise BuildError(str(exc)) from exc
    except OSError as exc:  # the folder itself vanished or became unreadable
        raise BuildRefused(f"{input_dir}: cannot read the input folder: {exc.strerror or exc}") from exc

    entries: list[dict[str, Any]] = []
    documents: list[RawDocument] = []
    first_of_id: dict[str, RawDocument] = {}
    for outcome in outcomes:
        if isinstance(outcome, Auxiliary):
            entries.append(_entry(outcome.path, None, "auxiliary", outcome.role))
        elif isinstance(outcome, Excluded):
            entries.append(_entry(outcome.path, outcome.line, "excluded", outcome.reason, sha256=outcome.sha256))
        elif outcome.id in first_of_id:
            original = first_of_id[outcome.id]
            entries.append(_entry(outcome.path, outcome.line, "excluded",
                                  f"exact duplicate of {_where(original)} (article {outcome.id})", sha256=outcome.sha256))
        else:
            first_of_id[outcome.id] = outcome
            documents.append(outcome)

    timings["read"] = _lap(started)

    started = time.perf_counter()
    articles: list[Article] = []
    planned = plan(documents, cache)
    if progress and cache is not None:
        _say(f"{len(documents) - planned.to_extract} of {len(documents)} documents from the cache {cache.root}")
    # The bar counts only the documents extracted, so its rate (documents per second) and ETA are the work's.
    bar = tqdm(total=planned.to_extract, desc="extracting", unit="doc", disable=not progress or not planned.to_extract)
    try:
        for result, cached in run_planned(planned, cache, jobs=jobs, model=model, run=extract):
            if not cached:
                bar.update()
            if isinstance(result, Failed):
                entries.append(_entry(result.raw.path, result.raw.line, "excluded", result.reason, sha256=result.raw.sha256))
            else:
                articles.append(result)
    except ModelNotInstalled as exc:
        raise BuildRefused(str(exc)) from exc
    except BrokenProcessPool as exc:
        raise BuildRefused("a worker process died (out of memory? try fewer --jobs)") from exc
    except EngineFailed as exc:
        raise BuildRefused(str(exc)) from exc
    finally:
        bar.close()
    timings["extract"] = _lap(started)

    started = time.perf_counter()
    articles = flag_near_duplicates(articles)
    curation_report = None
    if curation is not None:
        articles, curation_report = _curate(articles, curation)
    by_id = {a.id: a for a in articles}
    for raw in documents:
        article = by_id.get(raw.id)
        if article is None:
            continue
        kinds = sorted({e.kind for e in article.known_errors})
        outcome = "flagged" if kinds else "included"
        entries.append(_entry(raw.path, raw.line, outcome, ", ".join(kinds) or None, sha256=raw.sha256, article_id=raw.id))

    entries.sort(key=lambda e: (e["file"], e["line"] or 0))
    counts = Counter(e["outcome"] for e in entries)
    report = {
        "newsfacts_version": __version__,
        "input": input_dir.resolve().name,
        "counts": dict(sorted(counts.items())),
        "files": entries,
        "low_retention": low_retention(articles, min_kept_share),
    }
    if curation_report is not None:
        report["curation"] = curation_report
    not_applied = [f"{p['article_id']} correction {p['correction']} ({p['op']} {p['item']}): {p['status']}: "
                   f"{p['detail']}" for p in (curation_report or {}).get("not_applied", [])]
    if strict and not_applied:
        raise BuildError("strict build: curation corrections could not be applied:\n  " + "\n  ".join(not_applied))
    excluded = [f"{e['file']}{':' + str(e['line']) if e['line'] else ''}: {e['reason']}"
                for e in entries if e["outcome"] == "excluded"]
    if strict and excluded:
        raise BuildError("strict build: inputs were excluded:\n  " + "\n  ".join(excluded))
    if not articles:
        shown = "".join(f"\n  {line}" for line in excluded[:20])
        raise BuildError(f"{input_dir}: no article could be built from {len(outcomes)} input(s){shown}")
    timings["cross_document"] = _lap(started)

    try:
        with staged_release(output_dir, input_dir=input_dir, lock_timeout=lock_timeout,
                            on_wait=_say if progress else None) as staging:
            started = time.perf_counter()
            row_counts = write_release(articles, report, staging, release)
            timings["write"] = _lap(started)
            started = time.perf_counter()
            problems = validate_release(staging)
            timings["validate"] = _lap(started)
            if problems:
                shown = "\n  ".join(str(p) for p in problems[:20])
                raise BuildError(f"the built release does not validate ({len(problems)} problems):\n  {shown}")
    except (OutputRefused, OutputLocked) as exc:
        raise BuildRefused(str(exc)) from None
    except OSError as exc:  # full disk, permissions changed under us, ...: the staging folder is already removed
        raise BuildRefused(f"{output_dir}: cannot write the release: {exc.strerror or exc}") from exc
    return BuildResult(report=report, counts=row_counts, cache=cache.stats if cache is not None else None,
                       timings=timings)


def _lap(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def low_retention(articles: list[Article], threshold: float) -> dict[str, Any]:
    """The articles whose text kept less than `threshold` of their input's words, for an audit by hand: a
    page with a large menu can keep a tenth of its words and be right, an article can lose text and be wrong."""
    rows = [{"article_id": a.id, "file": a.source.file, "line": a.source.line, "method": a.cleaning.method,
             "kept_share": a.cleaning.kept_share}
            for a in sorted(articles, key=lambda a: (a.source.file, a.source.line or 0))
            if a.cleaning.kept_share < threshold]
    return {"threshold": threshold, "articles": rows}


def _say(message: str) -> None:
    print(f"newsfacts build: {message}", file=sys.stderr)


def _check_model(model: str | None) -> None:
    """Refuse an unknown spaCy model before any work (a package name or a model folder)."""
    name = model_name(model)
    if os.path.isdir(name):
        return
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise BuildRefused(f"--model {name}: no installed spaCy model package or model folder of that name")


def extract_folder(input_dir: Path, *, jobs: int = 1, model: str | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """The articles of `input_dir` as the pipeline extracts them, near duplicates flagged, without curation
    and without writing anything (for scoring the pipeline against a curation file)."""
    documents, seen = [], set()
    for outcome in read_folder(Path(input_dir), max_bytes=max_bytes):
        if isinstance(outcome, RawDocument) and outcome.id not in seen:
            seen.add(outcome.id)
            documents.append(outcome)
    return flag_near_duplicates([r for r in run(documents, jobs=jobs, model=model) if not isinstance(r, Failed)])


def _curate(articles: list[Article], loaded: LoadedCuration) -> tuple[list[Article], dict[str, Any]]:
    """Apply the curation file; the report says what happened to each correction and how accurate the
    automatic pipeline was on the reviewed articles."""
    from newsfacts.evaluation.curation import score_fields

    curated, outcome = apply_curation(articles, loaded.curation)
    reviewed = [a for a in curated if a.id in loaded.curation.articles]
    report = {"file": loaded.name, "sha256": loaded.sha256, "curation_version": loaded.curation.curation_version,
              "articles": len(reviewed), **outcome.as_dict(),
              "accuracy": [s.as_dict() for s in score_fields(articles, reviewed)]}
    return curated, report


def flag_near_duplicates(articles: list[Article]) -> list[Article]:
    duplicates = find_near_duplicates([(a.id, a.text) for a in articles])
    flagged = []
    for article in articles:
        if article.id in duplicates:
            original, similarity = duplicates[article.id]
            error = KnownError(
                kind="near_duplicate",
                message=f"{similarity:.0%} of its word 5-grams are shared with article {original}",
                related_id=original,
            )
            article = article.model_copy(update={"known_errors": [*article.known_errors, error]})
        flagged.append(article)
    return flagged


def _where(raw: RawDocument) -> str:
    return f"{raw.path}:{raw.line}" if raw.line else raw.path


def _entry(file: str, line: int | None, outcome: str, reason: str | None, *, sha256: str | None = None,
           article_id: str | None = None) -> dict[str, Any]:
    return {"file": file, "line": line, "outcome": outcome, "reason": reason, "sha256": sha256,
            "article_id": article_id}
