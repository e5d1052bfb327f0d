"""What the report shows, read from a release folder's Parquet files (and, for the Inputs section, its
`build-report.json`: see inputs.py) into plain values.

The report reads only the release (never the inputs), so it can be made for any release, including one
downloaded from the Hub. Configs a release does not have (`claims` and `quote_clusters` appeared in 1.2.0)
are reported as absent, not as empty.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newsfacts.models import CONFIGS
from newsfacts.release import layout
from newsfacts.release.layout import DATA_DIR, MARKER_FILE, REPORT_FILE
from newsfacts.report.inputs import Inputs, InputsUnknown, load_inputs


@dataclass(frozen=True)
class KnownErrorExample:
    kind: str
    article_id: str
    message: str
    title: str | None


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
    articles: int
    claims: list[dict[str, Any]] | None  # None: the release has no `claims` config; else the top ones, ranked
    claim_count: int
    quote_clusters: list[dict[str, Any]] | None
    quote_cluster_count: int
    entity_pairs: list[EntityPair]
    entity_types: dict[str, str]  # entity id -> type, for the network's colours
    known_errors: Counter[str]  # kind -> occurrences
    error_articles: Counter[str]  # kind -> articles carrying it
    inputs: Inputs | InputsUnknown  # what became of every input (the build report), or why that is unknown
    error_examples: dict[str, list[KnownErrorExample]] = field(default_factory=dict)


def config_files(release: Path, config: str) -> list[Path]:
    """The Parquet shards of one config that exist, in shard order; empty for a config the release does not
    have (an older release: no `claims`)."""
    return [path for name in layout.config_files(release, config) if (path := release / name).is_file()]


def iter_rows(release: Path, config: str, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one config, shard by shard and batch by batch: memory is bounded by a batch, not the release."""
    for path in config_files(release, config):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024, columns=columns):
            yield from batch.to_pylist()


def release_version(release: Path) -> str | None:
    """The newsfacts version that built the release: its marker's (a few bytes), else its build report's."""
    for name in (MARKER_FILE, REPORT_FILE):
        try:
            version = json.loads((release / name).read_text(encoding="utf-8")).get("newsfacts_version")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(version, str):
            return version
    return None


def claim_rank(claim: dict[str, Any]) -> tuple:
    """Disagreements first, then the claims reported by the most outlets and members (ties: by id)."""
    return (claim["status"] != "disagree", -len(set(claim["outlets"])), -len(claim["members"]), claim["id"])


def cluster_rank(cluster: dict[str, Any]) -> tuple:
    return (-len(set(cluster["outlets"])), -len(cluster["members"]), cluster["id"])


def load_report_data(release: Path, *, name: str | None = None, top_pairs: int = 20, examples_per_error: int = 3,
                     max_claims: int = 40, max_clusters: int = 40, network_entities: int = 200) -> ReportData:
    """What the report shows, read in bounded memory: the top `max_claims` claims and `max_clusters` clusters,
    the co-mention pairs among the `network_entities` entities named in the most articles, and per error kind
    its counts and first examples. `name`: the release's name (default: its folder's)."""
    release = Path(release)
    if not config_files(release, "articles"):
        raise FileNotFoundError(f"{release}: not a newsfacts release (no {DATA_DIR}/articles/*.parquet)")
    known_errors: Counter[str] = Counter()
    error_articles: Counter[str] = Counter()
    examples: dict[str, list[KnownErrorExample]] = defaultdict(list)
    articles = 0
    for row in iter_rows(release, "articles", ["id", "title", "known_errors"]):
        articles += 1
        error_articles.update({error["kind"] for error in row["known_errors"] or []})
        for error in row["known_errors"] or []:
            known_errors[error["kind"]] += 1
            if len(examples[error["kind"]]) < examples_per_error:
                examples[error["kind"]].append(KnownErrorExample(error["kind"], row["id"], error["message"], row["title"]))

    catalog = {row["id"]: row for row in iter_rows(release, "entity_catalog", ["id", "name", "type"])}
    pairs, types = co_mentions(lambda: iter_rows(release, "entities", ["article_id", "id", "name", "type"]),
                               catalog, top_pairs, network_entities)
    claims, claim_count = _top(release, "claims", claim_rank, max_claims)
    clusters, cluster_count = _top(release, "quote_clusters", cluster_rank, max_clusters)
    counts = {}
    for config in CONFIGS:
        files = config_files(release, config)
        if files:
            counts[config] = sum(pq.ParquetFile(path).metadata.num_rows for path in files)
    return ReportData(
        release_name=name or release.resolve().name,
        version=release_version(release),
        counts=counts,
        articles=articles,
        claims=claims,
        claim_count=claim_count,
        quote_clusters=clusters,
        quote_cluster_count=cluster_count,
        entity_pairs=pairs,
        entity_types=types,
        known_errors=known_errors,
        error_articles=error_articles,
        inputs=load_inputs(release),
        error_examples=dict(examples),
    )


def _top(release: Path, config: str, rank, limit: int) -> tuple[list[dict[str, Any]] | None, int]:
    """The `limit` best rows of `config` by `rank` (None when the release lacks the config) and how many."""
    if not config_files(release, config):
        return None, 0
    count, best = 0, []
    for row in iter_rows(release, config):
        count += 1
        best.append(row)
        if len(best) > 2 * limit:  # keep memory bounded: prune to the best `limit` now and then
            best = heapq.nsmallest(limit, best, key=rank)
    return sorted(best, key=rank)[:limit], count


def co_mentions(rows: Callable[[], Iterable[dict[str, Any]]], catalog: dict[str, dict[str, Any]], top: int,
                network_entities: int) -> tuple[list[EntityPair], dict[str, str]]:
    """The `top` pairs of entities named together in the most articles (ties: by names), with their types.

    Counting articles, not mentions, keeps one long article from dominating the network. Two passes over the
    rows (grouped by article, as the `entities` config is ordered): the entities named in the most articles
    first, then the pairs among the `network_entities` most named, so memory does not grow with the release."""
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    reach: Counter[str] = Counter()
    for article in _by_article(rows()):
        for row in article:
            known = catalog.get(row["id"])
            names.setdefault(row["id"], known["name"] if known else row["name"])
            types.setdefault(row["id"], known["type"] if known else row["type"])
        reach.update({row["id"] for row in article})
    kept = {entity_id for entity_id, _ in sorted(reach.items(), key=lambda item: (-item[1], item[0]))[:network_entities]}
    together: Counter[tuple[str, str]] = Counter()
    for article in _by_article(rows()):
        together.update(itertools.combinations(sorted({row["id"] for row in article} & kept), 2))
    ranked = sorted(together.items(), key=lambda item: (-item[1], names[item[0][0]], names[item[0][1]], item[0]))
    pairs = [EntityPair(a, names[a], b, names[b], n) if (names[a], a) <= (names[b], b) else
             EntityPair(b, names[b], a, names[a], n) for (a, b), n in ranked[:top]]
    shown = {p.a_id for p in pairs} | {p.b_id for p in pairs}
    return pairs, {entity_id: types[entity_id] for entity_id in sorted(shown)}


def _by_article(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Consecutive rows of one article (the per-article configs are written in article id order)."""
    group: list[dict[str, Any]] = []
    for row in rows:
        if group and row["article_id"] != group[0]["article_id"]:
            yield group
            group = []
        group.append(row)
    if group:
        yield group
