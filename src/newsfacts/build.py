"""`newsfacts build`: input folder → validated release folder, atomically, with a report on every input."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from newsfacts import __version__
from newsfacts.dedup import find_near_duplicates
from newsfacts.documents import RawDocument
from newsfacts.engine.local import Failed, run
from newsfacts.models import Article, KnownError
from newsfacts.read import Auxiliary, Excluded, read_folder
from newsfacts.read.files import DEFAULT_MAX_BYTES
from newsfacts.read.manifest import ManifestError
from newsfacts.release.validate import validate_release
from newsfacts.release.write import staged_release, write_release


class BuildError(RuntimeError):
    """The build as a whole cannot produce a release; the previous release is left untouched."""


@dataclass(frozen=True)
class BuildResult:
    report: dict[str, Any]
    counts: dict[str, int]


def build(
    input_dir: Path,
    output_dir: Path,
    *,
    jobs: int = 1,
    model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = True,
    strict: bool = False,
) -> BuildResult:
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise BuildError(f"{input_dir}: input folder does not exist")
    try:
        outcomes = list(read_folder(input_dir, max_bytes=max_bytes))
    except ManifestError as exc:
        raise BuildError(str(exc)) from exc

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

    articles: list[Article] = []
    results = run(documents, jobs=jobs, model=model)
    for result in tqdm(results, total=len(documents), desc="extracting", unit="doc", disable=not progress):
        if isinstance(result, Failed):
            entries.append(_entry(result.raw.path, result.raw.line, "excluded", result.reason, sha256=result.raw.sha256))
        else:
            articles.append(result)

    articles = _flag_near_duplicates(articles)
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
        "input": input_dir.name,
        "counts": dict(sorted(counts.items())),
        "files": entries,
    }
    if strict and counts.get("excluded"):
        excluded = [f"{e['file']}{':' + str(e['line']) if e['line'] else ''}: {e['reason']}"
                    for e in entries if e["outcome"] == "excluded"]
        raise BuildError("strict build: inputs were excluded:\n  " + "\n  ".join(excluded))
    if not articles:
        raise BuildError(f"{input_dir}: no article could be built from {len(outcomes)} file(s)")

    with staged_release(Path(output_dir)) as staging:
        row_counts = write_release(articles, report, staging)
        problems = validate_release(staging)
        if problems:
            shown = "\n  ".join(str(p) for p in problems[:20])
            raise BuildError(f"the built release does not validate ({len(problems)} problems):\n  {shown}")
    return BuildResult(report=report, counts=row_counts)


def _flag_near_duplicates(articles: list[Article]) -> list[Article]:
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
