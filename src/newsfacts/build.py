"""`newsfacts build`: input folder → validated release folder, atomically, with a report on every input.

What a build may replace and how it swaps the release into place: `newsfacts.release.output`. What it reads
(the input folder as a boundary): `newsfacts.read.walk`. Errors: `BuildError` (the inputs gave no valid
release: exit 1) and its subclass `BuildRefused` (a usage or environment problem: exit 2); neither leaves
anything changed at the output.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from newsfacts import __version__
from newsfacts.annotate.spacy_model import ModelNotInstalled, model_name
from newsfacts.cache import ArticleCache, CacheStats, CheckedRows, RenderedReports, note_rows_checked, rows_checked
from newsfacts.curation import CurationError, LoadedCuration, load_curation
from newsfacts.crossdoc.records import RecordPool
from newsfacts.curation.apply import StreamingCuration
from newsfacts.dedup import NearDuplicateIndex, find_near_duplicates
from newsfacts.documents import RawDocument
from newsfacts.engine import DEFAULT_TIMEOUT, EngineFailed, EngineUnavailable, executor
from newsfacts.engine.cached import plan, run_cached
from newsfacts.engine.local import Failed, run, unfreeze_long_lived_objects
from newsfacts.models import Article, KnownError
from newsfacts.read import Auxiliary, Excluded, read_folder
from newsfacts.read.files import DEFAULT_MAX_BYTES
from newsfacts.read.manifest import ManifestError
from newsfacts.release.card import ReleaseInfo
from newsfacts.release.output import OutputLocked, OutputRefused, check_output, staged_release
from newsfacts.release.shards import ROW_GROUP_BYTES, SHARD_BYTES
from newsfacts.release.validate import validate_release
from newsfacts.release.layout import REPORT_FILE
from newsfacts.release.rows import NEAR_DUPLICATE_FINGERPRINT, ROWS_PASS, collector_records, shared_records
from newsfacts.release.write import ReleaseWriter
from newsfacts.spill import RUN_SIZE, ArticleRuns, SpillError
from newsfacts.up_to_date import ReleaseRecords, build_key


# Below this share of the input's words kept, an article is listed in the build report for a look by hand.
LOW_KEPT_SHARE = 0.1
# The documents of a build are kept in memory between listing the input and extracting it while their decoded
# text takes less than this; a larger input is read again instead.
RETAIN_BYTES = 64 * 1024 * 1024


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
    # The release at the output was already the one this build would write: nothing was written
    # (`newsfacts.up_to_date`).
    up_to_date: bool = False


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
    batch_size: int = RUN_SIZE,
    retain_bytes: int = RETAIN_BYTES,
    row_group_bytes: int = ROW_GROUP_BYTES,
    shard_bytes: int = SHARD_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
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
    `timeout`: the seconds one document may take to extract (0: no limit); a document that takes longer is
    excluded with the reason. With the local engine the documents are then extracted in worker processes even
    at one job (Python cannot interrupt native code in its own process); the Ray engine does not apply it.

    The build streams: the input is listed, then its documents are extracted (or read from the cache) and
    spilled to sorted runs of `batch_size` articles (`newsfacts.spill`), keeping only compact signatures for
    near duplicates; the runs are merged in id order and each article is flagged, curated, checked and
    written at once (`release.write.ReleaseWriter`: Parquet shards of `shard_bytes`, row groups of
    `row_group_bytes` Arrow bytes). Memory does not grow with the articles; the bytes written depend neither
    on `batch_size` nor on `jobs`. `retain_bytes`: see RETAIN_BYTES.
    """
    input_dir = Path(input_dir)
    if not isinstance(jobs, int) or jobs < 1:
        raise BuildRefused(f"--jobs must be a positive number of worker processes (got {jobs})")
    _check_timeout(timeout)
    if not 0.0 <= min_kept_share <= 1.0:
        raise BuildRefused(f"--min-kept-share must be between 0 and 1 (got {min_kept_share})")
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise BuildRefused(f"--max-bytes must be a positive number of bytes (got {max_bytes})")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise BuildRefused(f"--batch-size must be a positive number of articles (got {batch_size})")
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
    # The pipeline's cache folder is locked against `newsfacts cache prune` for the whole build: the spilled
    # runs refer to its entries until the release is written.
    with cache.in_use(on_wait=_say if progress else None) if cache is not None else nullcontext():
        return _build(input_dir, output_dir, jobs=jobs, model=model, max_bytes=max_bytes, progress=progress,
                      strict=strict, release=release, lock_timeout=lock_timeout, min_kept_share=min_kept_share,
                      curation=curation, cache=cache, extract=extract, batch_size=batch_size,
                      retain_bytes=retain_bytes, row_group_bytes=row_group_bytes, shard_bytes=shard_bytes,
                      timeout=timeout)


def _build(input_dir: Path, output_dir: Path, *, jobs: int, model: str | None, max_bytes: int, progress: bool,
           strict: bool, release: ReleaseInfo, lock_timeout: float | None, min_kept_share: float,
           curation: LoadedCuration | None, cache: ArticleCache | None, extract, batch_size: int, retain_bytes: int,
           row_group_bytes: int, shard_bytes: int, timeout: float) -> BuildResult:
    """`build` once its options are checked and its cache (if any) is locked."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    inputs = _Inputs(input_dir, max_bytes, retain_bytes)
    try:
        entries, documents = inputs.scan()
    except ManifestError as exc:
        raise BuildError(str(exc)) from exc
    except OSError as exc:  # the folder itself vanished or became unreadable
        raise BuildRefused(f"{input_dir}: cannot read the input folder: {exc.strerror or exc}") from exc
    planned = plan(inputs.documents(), cache)
    key = None
    if cache is not None:
        key = build_key(cache, inputs.documents(), entries, input_name=input_dir.resolve().name,
                        curation=(curation.name, curation.sha256) if curation is not None else None, release=release,
                        options={"min_kept_share": min_kept_share, "row_group_bytes": row_group_bytes,
                                 "shard_bytes": shard_bytes, "strict": strict})
        counts = ReleaseRecords(cache).unchanged(output_dir, key) if not planned.to_extract else None
        if counts is not None:
            timings["read"] = _lap(started)
            cache.stats.hits += documents
            report = json.loads((Path(output_dir) / REPORT_FILE).read_text("utf-8"))
            return BuildResult(report=report, counts=counts, cache=cache.stats, timings=timings, up_to_date=True)
    timings["read"] = _lap(started)

    started = time.perf_counter()
    if progress and cache is not None:
        _say(f"{documents - planned.to_extract} of {documents} documents from the cache {cache.root}")
    # The bar counts only the documents extracted, so its rate (documents per second) and ETA are the work's.
    bar = tqdm(total=planned.to_extract, desc="extracting", unit="doc", disable=not progress or not planned.to_extract)

    def extract_total(total: int) -> None:
        if total != bar.total:
            bar.total = total
            bar.refresh()

    duplicates = NearDuplicateIndex()
    runs = ArticleRuns(run_size=batch_size)
    # What the cross-document collectors keep of each article, computed by the local workers with the article
    # (else here, as the articles arrive) rather than in the serial write after extraction. Compact (the
    # collectors keep it all anyway); used for an article written as it was extracted.
    records: dict[str, dict[str, Any]] = {}
    pool = RecordPool()
    try:
        try:
            for done in run_cached(inputs.documents, planned, cache, jobs=jobs, model=model,
                                   on_extract_total=extract_total, run=extract, timeout=timeout,
                                   # in one process the worker's row check would only build the rows twice
                                   records=records if jobs > 1 or timeout else None):
                if not done.cached:
                    bar.update()
                raw, result = done.raw, done.result
                if isinstance(result, Failed):
                    entries.append(_entry(raw.path, raw.line, "excluded", result.reason, sha256=raw.sha256))
                    continue
                if result.id not in records:  # a cached article, or an engine whose workers do not compute them
                    records[result.id] = collector_records(result)
                found = records[result.id].pop(NEAR_DUPLICATE_FINGERPRINT, None)
                if found is not None:
                    duplicates.add_fingerprint(result.id, found)
                else:
                    duplicates.add(result.id, result.text)
                records[result.id] = shared_records(records[result.id], pool)
                if done.entry is not None:
                    runs.add(result.id, cached=done.entry)
                else:
                    runs.add(result.id, result.model_dump_json())
        except ModelNotInstalled as exc:
            raise BuildRefused(str(exc)) from exc
        except EngineFailed as exc:
            raise BuildRefused(str(exc)) from exc
        except InputChanged as exc:
            raise BuildError(str(exc)) from exc
        finally:
            bar.close()
        timings["extract"] = _lap(started)

        started = time.perf_counter()
        near_duplicates = duplicates.find()
        duplicates.close()
        excluded = [f"{e['file']}{':' + str(e['line']) if e['line'] else ''}: {e['reason']}"
                    for e in entries if e["outcome"] == "excluded"]
        if strict and excluded:
            raise BuildError("strict build: inputs were excluded:\n  " + "\n  ".join(sorted(excluded)))
        if not runs.count:
            shown = "".join(f"\n  {line}" for line in sorted(excluded)[:20])
            raise BuildError(f"{input_dir}: no article could be built from {inputs.outcomes} input(s){shown}")
        timings["cross_document"] = _lap(started)

        try:
            with staged_release(output_dir, input_dir=input_dir, lock_timeout=lock_timeout,
                                on_wait=_say if progress else None) as staging:
                started = time.perf_counter()
                row_counts, report, problems = _write(
                    runs, near_duplicates, curation, inputs, entries, staging, release, cache, records, jobs=jobs,
                    strict=strict,
                    min_kept_share=min_kept_share, row_group_bytes=row_group_bytes, shard_bytes=shard_bytes)
                timings["write"] = _lap(started)
                started = time.perf_counter()
                problems = problems + validate_release(staging, rows_checked=row_counts)
                timings["validate"] = _lap(started)
                if problems:
                    shown = "\n  ".join(str(p) for p in problems[:20])
                    raise BuildError(f"the built release does not validate ({len(problems)} problems):\n  {shown}")
        except (OutputRefused, OutputLocked) as exc:
            raise BuildRefused(str(exc)) from None
        except SpillError as exc:
            raise BuildError(str(exc)) from exc
        except OSError as exc:  # full disk, permissions changed under us, ...: the staging folder is already removed
            raise BuildRefused(f"{output_dir}: cannot write the release: {exc.strerror or exc}") from exc
    finally:
        runs.close()
        duplicates.close()
        unfreeze_long_lived_objects()  # frozen by an in-process extraction (`--jobs 1`)
    if key is not None:
        ReleaseRecords(cache).record(output_dir, key, row_counts)
    return BuildResult(report=report, counts=row_counts, cache=cache.stats if cache is not None else None,
                       timings=timings)


def _write(runs: ArticleRuns, near_duplicates: dict[str, tuple[str, float]], curation: LoadedCuration | None,
           inputs: _Inputs, entries: list[dict[str, Any]], staging: Path, release: ReleaseInfo,
           cache: ArticleCache | None, records: dict[str, dict[str, Any]], *, jobs: int, strict: bool,
           min_kept_share: float, row_group_bytes: int, shard_bytes: int
           ) -> tuple[dict[str, int], dict[str, Any], list]:
    """The articles in id order, each flagged if a near duplicate and curated, into a release at `staging`;
    the build report gets each article's outcome. Return the row counts, the report and the row problems."""
    writer = ReleaseWriter(staging, row_group_bytes=row_group_bytes, shard_bytes=shard_bytes,
                           checked_rows=CheckedRows(cache) if cache is not None else None,
                           rendered_reports=RenderedReports(cache) if cache is not None else None, jobs=jobs)
    curating = StreamingCuration(curation.curation) if curation is not None else None
    low: list[dict[str, Any]] = []
    try:
        for spilled in runs.merged():
            article = flag_near_duplicate(spilled.article, near_duplicates)
            if curating is not None:
                article = curating.apply(article)
            # An article read unchanged from a cache entry whose rows passed the checks in an earlier build
            # gives the same rows (see `newsfacts.cache.rows_checked`): they are not checked again.
            unchanged = spilled.entry is not None and article is spilled.article
            path, line, sha256 = inputs.source_of(article.id)
            kinds = sorted({e.kind for e in article.known_errors})
            entries.append(_entry(path, line, "flagged" if kinds else "included", ", ".join(kinds) or None,
                                  sha256=sha256, article_id=article.id))
            if article.cleaning.kept_share < min_kept_share:
                low.append(_low_retention_row(article))
            # The records computed on arrival describe the article as extracted: not one flagged or curated since.
            kept = records.pop(article.id, None)
            if article is not spilled.article:
                kept = None
            noted = unchanged and rows_checked(spilled.entry)
            # or the worker checked these very rows (`release.rows.worker_records`)
            checked = noted or bool(kept is not None and kept.get(ROWS_PASS))
            if writer.add(article, checked=checked, records=kept) and unchanged and not noted:
                note_rows_checked(spilled.entry)
        curation_report = _curation_report(curation, curating) if curating is not None else None
        report = _report(inputs, entries, min_kept_share, low, curation_report)
        not_applied = [f"{p['article_id']} correction {p['correction']} ({p['op']} {p['item']}): {p['status']}: "
                       f"{p['detail']}" for p in (curation_report or {}).get("not_applied", [])]
        if strict and not_applied:
            raise BuildError("strict build: curation corrections could not be applied:\n  " + "\n  ".join(not_applied))
        counts = writer.finish(report, release)
    except BaseException:
        writer.abort()
        raise
    return counts, report, writer.problems


def _report(inputs: _Inputs, entries: list[dict[str, Any]], min_kept_share: float, low: list[dict[str, Any]],
            curation_report: dict[str, Any] | None) -> dict[str, Any]:
    entries.sort(key=lambda e: (e["file"], e["line"] or 0))
    counts = Counter(e["outcome"] for e in entries)
    low.sort(key=lambda row: (row["file"], row["line"] or 0))
    report = {
        "newsfacts_version": __version__,
        "input": inputs.folder.resolve().name,
        "counts": dict(sorted(counts.items())),
        "files": entries,
        "low_retention": {"threshold": min_kept_share, "articles": low},
    }
    if curation_report is not None:
        report["curation"] = curation_report
    return report


class InputChanged(RuntimeError):
    """The input folder changed while the build was reading it."""


class _Inputs:
    """The build's input folder, read once to list what it holds and then as often as the extraction needs
    its documents. The documents are kept from the first reading while they take less than `retain_bytes`
    of decoded text; beyond that they are read again (and must be the same: else `InputChanged`)."""

    def __init__(self, folder: Path, max_bytes: int, retain_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.retain_bytes = retain_bytes
        self.outcomes = 0
        self._retained: list[RawDocument] | None = []
        self._sources: dict[str, tuple[str, int | None, str]] = {}  # id → (path, line, sha256)
        self._order: list[str] = []  # document ids in reading order

    def scan(self) -> tuple[list[dict[str, Any]], int]:
        """The report entries of everything that is not a document to extract (auxiliary files, excluded
        inputs, exact duplicates) and the number of documents."""
        entries: list[dict[str, Any]] = []
        retained_bytes = 0
        for outcome in read_folder(self.folder, max_bytes=self.max_bytes):
            self.outcomes += 1
            if isinstance(outcome, Auxiliary):
                entries.append(_entry(outcome.path, None, "auxiliary", outcome.role))
            elif isinstance(outcome, Excluded):
                entries.append(_entry(outcome.path, outcome.line, "excluded", outcome.reason, sha256=outcome.sha256))
            elif outcome.id in self._sources:
                path, line, _ = self._sources[outcome.id]
                where = f"{path}:{line}" if line else path
                entries.append(_entry(outcome.path, outcome.line, "excluded",
                                      f"exact duplicate of {where} (article {outcome.id})", sha256=outcome.sha256))
            else:
                self._sources[outcome.id] = (outcome.path, outcome.line, outcome.sha256)
                self._order.append(outcome.id)
                if self._retained is not None:
                    retained_bytes += len(outcome.raw)
                    self._retained.append(outcome)
                    if retained_bytes > self.retain_bytes:
                        self._retained = None
        return entries, len(self._order)

    def documents(self) -> Iterator[RawDocument]:
        """The documents to extract, in reading order, each once."""
        if self._retained is not None:
            yield from self._retained
            return
        position = 0
        for outcome in read_folder(self.folder, max_bytes=self.max_bytes):
            if not isinstance(outcome, RawDocument) or self._sources.get(outcome.id, (None,))[0] != outcome.path \
                    or self._sources[outcome.id][1] != outcome.line:
                continue  # not a document, or an exact duplicate of an earlier one
            if position >= len(self._order) or self._order[position] != outcome.id:
                raise InputChanged(f"{self.folder}: the input changed during the build ({outcome.path}); build again")
            position += 1
            yield outcome
        if position != len(self._order):
            raise InputChanged(f"{self.folder}: the input changed during the build (documents vanished); build again")

    def source_of(self, article_id: str) -> tuple[str, int | None, str]:
        return self._sources[article_id]


def _lap(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def low_retention(articles: list[Article], threshold: float) -> dict[str, Any]:
    """The articles whose text kept less than `threshold` of their input's words, for an audit by hand: a
    page with a large menu can keep a tenth of its words and be right, an article can lose text and be wrong."""
    rows = [_low_retention_row(a) for a in sorted(articles, key=lambda a: (a.source.file, a.source.line or 0))
            if a.cleaning.kept_share < threshold]
    return {"threshold": threshold, "articles": rows}


def _low_retention_row(a: Article) -> dict[str, Any]:
    return {"article_id": a.id, "file": a.source.file, "line": a.source.line, "method": a.cleaning.method,
            "kept_share": a.cleaning.kept_share}


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


def _check_timeout(timeout: float) -> None:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 <= timeout < float("inf"):
        raise BuildRefused(f"--timeout must be 0 (no limit) or a positive number of seconds (got {timeout})")


def extract_folder(input_dir: Path, *, jobs: int = 1, model: str | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT) -> list[Article]:
    """The articles of `input_dir` as the pipeline extracts them, near duplicates flagged, without curation
    and without writing anything (for scoring the pipeline against a curation file). A document whose
    extraction fails, or takes longer than `timeout` seconds (0: no limit; as `build`'s), is left out."""
    _check_timeout(timeout)
    documents, seen = [], set()
    for outcome in read_folder(Path(input_dir), max_bytes=max_bytes):
        if isinstance(outcome, RawDocument) and outcome.id not in seen:
            seen.add(outcome.id)
            documents.append(outcome)
    try:
        articles = [r for r in run(documents, jobs=jobs, model=model, timeout=timeout) if not isinstance(r, Failed)]
    finally:
        unfreeze_long_lived_objects()  # frozen by an in-process run
    return flag_near_duplicates(articles)


def _curation_report(loaded: LoadedCuration, curating: StreamingCuration) -> dict[str, Any]:
    """What happened to each correction and how accurate the automatic pipeline was on the reviewed articles."""
    from newsfacts.evaluation.curation import score_fields

    outcome = curating.finish()
    return {"file": loaded.name, "sha256": loaded.sha256, "curation_version": loaded.curation.curation_version,
            "articles": len(curating.curated), **outcome.as_dict(),
            "accuracy": [s.as_dict() for s in score_fields(curating.automatic, curating.curated)]}


def flag_near_duplicates(articles: list[Article]) -> list[Article]:
    duplicates = find_near_duplicates([(a.id, a.text) for a in articles])
    return [flag_near_duplicate(article, duplicates) for article in articles]


def flag_near_duplicate(article: Article, duplicates: dict[str, tuple[str, float]]) -> Article:
    """`article` with the known error `near_duplicate` when `duplicates` (id → original, similarity) lists it."""
    if article.id not in duplicates:
        return article
    original, similarity = duplicates[article.id]
    error = KnownError(
        kind="near_duplicate",
        message=f"{similarity:.0%} of its word 5-grams are shared with article {original}",
        related_id=original,
    )
    return article.model_copy(update={"known_errors": [*article.known_errors, error]})


def _entry(file: str, line: int | None, outcome: str, reason: str | None, *, sha256: str | None = None,
           article_id: str | None = None) -> dict[str, Any]:
    return {"file": file, "line": line, "outcome": outcome, "reason": reason, "sha256": sha256,
            "article_id": article_id}
