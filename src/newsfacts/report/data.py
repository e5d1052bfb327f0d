"""What the report shows, read from a release folder's Parquet files into plain values.

The report reads only the release (never the inputs), so it can be made for any release, including one
downloaded from the Hub. Configs a release does not have (`claims` and `quote_clusters` appeared in 1.2.0)
are reported as absent, not as empty.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newsfacts.release.output import MARKER_FILE

DATA_DIR = "data"


@dataclass(frozen=True)
class ArticleInfo:
    id: str
    title: str | None
    outlet: str | None
    date: str | None


@dataclass(frozen=True)
class KnownErrorExample:
    kind: str
    article_id: str
    message: str


@dataclass(frozen=True)
class EntityPair:
    """Two canonical entities named in the same articles: how many, and which."""

    a_id: str
    a_name: str
    b_id: str
    b_name: str
    articles: int


@dataclass
class ReportData:
    release_name: str
    version: str | None
    counts: dict[str, int]
    articles: dict[str, ArticleInfo]
    claims: list[dict[str, Any]] | None  # None: the release has no `claims` config
    quote_clusters: list[dict[str, Any]] | None
    entity_pairs: list[EntityPair]
    entity_types: dict[str, str]  # entity id -> type, for the network's colours
    known_errors: Counter[str]  # kind -> occurrences
    error_articles: Counter[str]  # kind -> articles carrying it
    error_examples: dict[str, list[KnownErrorExample]] = field(default_factory=dict)


def config_files(release: Path, config: str) -> list[Path]:
    """The Parquet shards of one config, in name order (the Hub's `train-0000K-of-0000N` naming sorts)."""
    folder = release / DATA_DIR / config
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def read_rows(release: Path, config: str, columns: list[str] | None = None) -> list[dict[str, Any]] | None:
    files = config_files(release, config)
    if not files:
        return None
    rows: list[dict[str, Any]] = []
    for path in files:
        rows.extend(pq.read_table(path, columns=columns).to_pylist())
    return rows


def release_version(release: Path) -> str | None:
    """The newsfacts version that built the release: its build report's, else its marker's."""
    for name in ("build-report.json", MARKER_FILE):
        try:
            version = json.loads((release / name).read_text(encoding="utf-8")).get("newsfacts_version")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(version, str):
            return version
    return None


def load_report_data(release: Path, *, top_pairs: int = 20, examples_per_error: int = 3) -> ReportData:
    release = Path(release)
    article_rows = read_rows(release, "articles", ["id", "title", "outlet", "date", "known_errors"])
    if article_rows is None:
        raise FileNotFoundError(f"{release}: not a newsfacts release (no {DATA_DIR}/articles/*.parquet)")
    articles = {
        row["id"]: ArticleInfo(id=row["id"], title=row["title"], outlet=(row["outlet"] or {}).get("name"),
                               date=(row["date"] or {}).get("value"))
        for row in article_rows
    }
    known_errors: Counter[str] = Counter()
    error_articles: Counter[str] = Counter()
    examples: dict[str, list[KnownErrorExample]] = defaultdict(list)
    for row in sorted(article_rows, key=lambda r: r["id"]):
        error_articles.update({error["kind"] for error in row["known_errors"] or []})
        for error in row["known_errors"] or []:
            known_errors[error["kind"]] += 1
            if len(examples[error["kind"]]) < examples_per_error:
                examples[error["kind"]].append(KnownErrorExample(error["kind"], row["id"], error["message"]))

    entity_rows = read_rows(release, "entities", ["article_id", "id", "name", "type"]) or []
    catalog = {row["id"]: row for row in read_rows(release, "entity_catalog", ["id", "name", "type"]) or []}
    pairs, types = co_mentions(entity_rows, catalog, top_pairs)

    counts = {}
    for config in ("articles", "quotes", "figures", "entities", "entity_catalog", "claims", "quote_clusters"):
        files = config_files(release, config)
        if files:
            counts[config] = sum(pq.ParquetFile(path).metadata.num_rows for path in files)
    return ReportData(
        release_name=release.resolve().name,
        version=release_version(release),
        counts=counts,
        articles=articles,
        claims=read_rows(release, "claims"),
        quote_clusters=read_rows(release, "quote_clusters"),
        entity_pairs=pairs,
        entity_types=types,
        known_errors=known_errors,
        error_articles=error_articles,
        error_examples=dict(examples),
    )


def co_mentions(entity_rows: list[dict[str, Any]], catalog: dict[str, dict[str, Any]], top: int
                ) -> tuple[list[EntityPair], dict[str, str]]:
    """The `top` pairs of entities named together in the most articles (ties: by names), with their types.

    Counting articles, not mentions, keeps one long article from dominating the network."""
    by_article: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    for row in entity_rows:
        by_article[row["article_id"]].add(row["id"])
        known = catalog.get(row["id"])
        names.setdefault(row["id"], known["name"] if known else row["name"])
        types.setdefault(row["id"], known["type"] if known else row["type"])
    together: Counter[tuple[str, str]] = Counter()
    for ids in by_article.values():
        together.update(itertools.combinations(sorted(ids), 2))
    ranked = sorted(together.items(), key=lambda item: (-item[1], names[item[0][0]], names[item[0][1]], item[0]))
    pairs = [EntityPair(a, names[a], b, names[b], n) if (names[a], a) <= (names[b], b) else
             EntityPair(b, names[b], a, names[a], n) for (a, b), n in ranked[:top]]
    shown = {p.a_id for p in pairs} | {p.b_id for p in pairs}
    return pairs, {entity_id: types[entity_id] for entity_id in sorted(shown)}
