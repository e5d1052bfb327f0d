"""Articles → rows of each config (plain dicts in the JSON data model, validated by the row models)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from newsfacts.models import Article, EntityRow, FigureRow, QuoteRow


def article_rows(articles: Sequence[Article]) -> list[dict[str, Any]]:
    return [a.model_dump(mode="json") for a in articles]


def quote_rows(articles: Sequence[Article]) -> list[dict[str, Any]]:
    return [
        QuoteRow(article_id=a.id, index=i, **q.model_dump()).model_dump(mode="json")
        for a in articles
        for i, q in enumerate(a.quotes)
    ]


def figure_rows(articles: Sequence[Article]) -> list[dict[str, Any]]:
    return [
        FigureRow(article_id=a.id, index=i, **f.model_dump()).model_dump(mode="json")
        for a in articles
        for i, f in enumerate(a.figures)
    ]


def entity_rows(articles: Sequence[Article]) -> list[dict[str, Any]]:
    return [EntityRow(article_id=a.id, **e.model_dump()).model_dump(mode="json") for a in articles for e in a.entities]


def catalog_rows(articles: Sequence[Article]) -> list[dict[str, Any]]:
    from newsfacts.annotate.entities.catalog import build_catalog
    from newsfacts.annotate.entities.kb import load_kb

    return [c.model_dump(mode="json") for c in build_catalog(articles, load_kb())]


ROW_BUILDERS: dict[str, Callable[[Sequence[Article]], list[dict[str, Any]]]] = {
    "articles": article_rows,
    "quotes": quote_rows,
    "figures": figure_rows,
    "entities": entity_rows,
    "entity_catalog": catalog_rows,
}
