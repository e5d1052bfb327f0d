"""The per-article row builders (`newsfacts.release.rows`) give exactly the rows the row models would."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from newsfacts.models import Article, EntityRow, FigureRow, QuoteRow
from newsfacts.release.rows import entity_row, figure_row, quote_row


@pytest.fixture(scope="module")
def seed_articles(seed_release) -> list[Article]:
    table = pq.read_table(seed_release / "data" / "articles")
    return [Article.model_validate(row) for row in table.to_pylist()]


def test_item_rows_are_the_row_models_dumps_key_for_key(seed_articles):
    # the same keys in the same order (the dataset card shows an example row as JSON), the same values
    compared = 0
    for article in seed_articles:
        expected = {
            "quotes": [QuoteRow(article_id=article.id, index=i, **q.model_dump()).model_dump(mode="json")
                       for i, q in enumerate(article.quotes)],
            "figures": [FigureRow(article_id=article.id, index=i, **f.model_dump()).model_dump(mode="json")
                        for i, f in enumerate(article.figures)],
            "entities": [EntityRow(article_id=article.id, **e.model_dump()).model_dump(mode="json")
                         for e in article.entities],
        }
        made = {"quotes": quote_row(article), "figures": figure_row(article), "entities": entity_row(article)}
        for config, rows in expected.items():
            assert made[config] == rows, config
            assert [list(row) for row in made[config]] == [list(row) for row in rows], config
            compared += len(rows)
    assert compared > 100  # the seeds have quotes, figures and entities to compare
