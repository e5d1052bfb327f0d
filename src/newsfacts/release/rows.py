"""Articles → rows of each config (plain dicts in the JSON data model, validated by the row models).

Two kinds of config:

- **per article** (`ARTICLE_ROWS`): a function from one article to its rows (`articles`, `quotes`, `figures`,
  `entities`). The release writer calls it on each article as the articles stream by in id order.
- **cross-document** (`CROSS_DOCUMENT`): rows that depend on many articles (`entity_catalog`, `claims`,
  `quote_clusters`). Each is a factory of a `Collector`: the writer makes one per build, gives it every
  article once, in id order, with
  `add`, and writes what `rows()` returns at the end. A collector keeps what it needs in a compact form (the
  catalog: names, surface forms and counts per entity), never the articles themselves, so memory does not
  grow with the articles' size. A new cross-document config is a row model in `models.CONFIGS` plus a
  collector registered here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from newsfacts.crossdoc.records import RecordPool
from newsfacts.models import Article

Row = dict[str, Any]


class Collector(Protocol):
    """A cross-document config in the making: fed each article once (in id order), then asked for its rows
    (in the config's row order)."""

    def add(self, article: Article) -> None: ...

    def rows(self) -> Iterable[Row]: ...


def collector_records(article: Article) -> dict[str, Any]:
    """What the cross-document collectors with a `records(article)` function keep of `article`, by config:
    computed apart from `add` so that a build can do it while its workers extract, not in the serial write
    (`ReleaseWriter.add(..., records=...)`)."""
    return {config: collector.records(article) for config, collector in _record_functions().items()}


def shared_records(records: dict[str, Any], pool: RecordPool) -> dict[str, Any]:
    """`records` (from `collector_records` or `worker_records`) with each record passed through `pool`: copies
    of one figure or quote in many articles (a republished story) then share their fields while a build holds
    them, from extraction to the write."""
    return {config: pool.share_all(value) if config in _record_functions() else value
            for config, value in records.items()}


# The key under which `worker_records` says whether the article's rows passed the row checks.
ROWS_PASS = "rows_pass"
# The key under which `worker_records` gives the article's near-duplicate fingerprint (`dedup.fingerprint`).
NEAR_DUPLICATE_FINGERPRINT = "near_duplicate_fingerprint"


def worker_records(article: Article) -> dict[str, Any]:
    """What a worker computes besides the article: `collector_records`, under `ROWS_PASS` whether the
    article's rows pass the row checks (`validate.rows.article_rows_pass`), so the serial write can skip both,
    and under `NEAR_DUPLICATE_FINGERPRINT` its text's near-duplicate fingerprint."""
    from newsfacts.dedup import fingerprint
    from newsfacts.release.validate.rows import article_rows_pass

    rows = {config: build(article) for config, build in ARTICLE_ROWS.items()}
    return {**collector_records(article), ROWS_PASS: article_rows_pass(rows),
            NEAR_DUPLICATE_FINGERPRINT: fingerprint(article.text)}


def _record_functions() -> dict[str, Any]:
    from newsfacts.crossdoc import ClaimCollector, QuoteClusterCollector

    return {"claims": ClaimCollector, "quote_clusters": QuoteClusterCollector}


def article_row(article: Article) -> list[Row]:
    return [article.model_dump(mode="json")]


# A quote, figure or entity row is the item's JSON with its article's id (and its index) after the item's
# fields, in the order `QuoteRow`, `FigureRow` and `EntityRow` give them. The item was validated when its
# article was made and a build checks every row against its row model's JSON Schema (`release.validate.rows`),
# so the row is not validated once more on the way: for entities, that was nine tenths of the time to make
# their rows (0.62 ms an article on BBC news, now 0.05 ms).


def quote_row(article: Article) -> list[Row]:
    return [{**q.model_dump(mode="json"), "article_id": article.id, "index": i} for i, q in enumerate(article.quotes)]


def figure_row(article: Article) -> list[Row]:
    return [{**f.model_dump(mode="json"), "article_id": article.id, "index": i} for i, f in enumerate(article.figures)]


def entity_row(article: Article) -> list[Row]:
    return [{**e.model_dump(mode="json"), "article_id": article.id} for e in article.entities]


class CatalogRows:
    """The `entity_catalog` config: one row per canonical entity (see `newsfacts.annotate.entities.catalog`)."""

    def __init__(self) -> None:
        from newsfacts.annotate.entities.catalog import CatalogCollector

        self._catalog = CatalogCollector()

    def add(self, article: Article) -> None:
        self._catalog.add(article)

    def rows(self) -> Iterable[Row]:
        return (entity.model_dump(mode="json") for entity in self._catalog.entities())


ARTICLE_ROWS: dict[str, Callable[[Article], list[Row]]] = {
    "articles": article_row,
    "quotes": quote_row,
    "figures": figure_row,
    "entities": entity_row,
}
def _claims() -> Collector:
    from newsfacts.crossdoc import ClaimCollector

    return ClaimCollector()


def _quote_clusters() -> Collector:
    from newsfacts.crossdoc import QuoteClusterCollector

    return QuoteClusterCollector()


CROSS_DOCUMENT: dict[str, Callable[[], Collector]] = {
    "entity_catalog": CatalogRows,
    "claims": _claims,
    "quote_clusters": _quote_clusters,
}


def rows_of(config: str, articles: Sequence[Article]) -> list[Row]:
    """All rows of `config` for `articles` given in id order (held in memory: for tests and small lists)."""
    if config in ARTICLE_ROWS:
        return [row for article in articles for row in ARTICLE_ROWS[config](article)]
    collector = CROSS_DOCUMENT[config]()
    for article in articles:
        collector.add(article)
    return list(collector.rows())


def article_rows(articles: Sequence[Article]) -> list[Row]:
    return rows_of("articles", articles)


def quote_rows(articles: Sequence[Article]) -> list[Row]:
    return rows_of("quotes", articles)


def figure_rows(articles: Sequence[Article]) -> list[Row]:
    return rows_of("figures", articles)


def entity_rows(articles: Sequence[Article]) -> list[Row]:
    return rows_of("entities", articles)


def catalog_rows(articles: Sequence[Article]) -> list[Row]:
    return rows_of("entity_catalog", articles)


def claim_rows(articles: Sequence[Article]) -> list[Row]:
    return rows_of("claims", articles)


def quote_cluster_rows(articles: Sequence[Article]) -> list[Row]:
    return rows_of("quote_clusters", articles)


ROW_BUILDERS: dict[str, Callable[[Sequence[Article]], list[Row]]] = {
    "articles": article_rows,
    "quotes": quote_rows,
    "figures": figure_rows,
    "entities": entity_rows,
    "entity_catalog": catalog_rows,
    "claims": claim_rows,
    "quote_clusters": quote_cluster_rows,
}
