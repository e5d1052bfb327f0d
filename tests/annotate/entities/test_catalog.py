"""build_catalog: one row per canonical entity, joinable with the per-article entities."""

from __future__ import annotations

import hashlib
import json

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.entities.catalog import build_catalog
from newsfacts.annotate.entities.kb import alias_key, load_kb
from newsfacts.annotate.nlp import load_nlp
from newsfacts.models import Article, Cleaning, DateInfo, Entity, Mention, Outlet, Source
from tests_paths import REPO

GOLD = REPO / "eval" / "gold" / "entities" / "docs"


def make_article(text: str, entities: list[Entity]) -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(
        id=digest[:16], title=None, text=text, body_start=0, language="en",
        source=Source(file="x.txt", sha256=digest, format="txt", encoding="utf-8"),
        outlet=Outlet(), date=DateInfo(), entities=entities, pipeline="test",
        cleaning=Cleaning(method="jsonl", input_words=0, kept_words=0, kept_share=1.0),
    )


@pytest.fixture(scope="module")
def seed_articles():
    nlp = load_nlp()
    articles = []
    for path in sorted(GOLD.glob("seed-*.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        articles.append(make_article(text, find_entities(nlp(text))))
    return articles


def test_one_row_per_id_with_counts(seed_articles):
    catalog = build_catalog(seed_articles, load_kb())
    ids = [row.id for row in catalog]
    assert ids == sorted(set(ids))
    for row in catalog:
        holders = [a for a in seed_articles if any(e.id == row.id for e in a.entities)]
        assert row.article_count == len(holders)
        assert row.mention_count == sum(len(e.mentions) for a in holders for e in a.entities if e.id == row.id)
    russia = next(row for row in catalog if row.id == "kb:place:russia")
    assert russia.article_count == 5 and russia.wikidata == "Q159" and russia.in_knowledge_base


def test_seed_catalog_has_no_duplicate_and_no_furniture(seed_articles):
    catalog = build_catalog(seed_articles, load_kb())
    keys = [(row.type, alias_key(row.name)) for row in catalog]
    assert len(keys) == len(set(keys))
    # no name of one row is an alias of another row of the same type
    by_type: dict[str, dict[str, str]] = {}
    for row in catalog:
        for form in [row.name, *row.aliases]:
            owner = by_type.setdefault(row.type, {}).setdefault(alias_key(form), row.id)
            assert owner == row.id, (form, owner, row.id)
    names = {alias_key(row.name) for row in catalog}
    assert not names & {"good articles to share", "tan kw", "daily tribune", "comment"}


def test_every_article_entity_joins_a_catalog_row(seed_articles):
    catalog_ids = {row.id for row in build_catalog(seed_articles)}
    assert {e.id for a in seed_articles for e in a.entities} == catalog_ids


def test_fallback_rows_take_the_most_used_name_and_keep_spellings():
    text = "Acme Widgets and Acme Widgets Ltd"
    e1 = Entity(id="nf:org:acme:1", name="Acme Widgets", type="ORG", mentions=[Mention(text="Acme Widgets", start=0, end=12)])
    e2 = Entity(id="nf:org:acme:1", name="Acme Widgets Ltd", type="ORG",
                mentions=[Mention(text="Acme Widgets Ltd", start=17, end=33)])
    catalog = build_catalog([make_article(text, [e1]), make_article(text + ".", [e2]), make_article(text + "!", [e1])])
    (row,) = catalog
    assert row.name == "Acme Widgets" and row.aliases == ["Acme Widgets Ltd"]
    assert (row.article_count, row.mention_count, row.in_knowledge_base) == (3, 3, False)
