"""Classes of copies: the records of a republished story grouped as one."""

from __future__ import annotations

from newsfacts.crossdoc.grouping import copy_classes, one_article
from newsfacts.crossdoc.records import ArticleInfo, QuoteRecord


def quote(article: str, index: int = 0, text: str = "we will not stop now") -> QuoteRecord:
    return QuoteRecord(ArticleInfo(article * 16, None, None), index, text, None, None, (), None, ())


def keys(classes):
    return [[(r.article.article_id[0], r.index) for r in members] for members in classes]


def test_copies_in_different_articles_are_one_class_in_key_order():
    records = [quote("c"), quote("a"), quote("b", 1), quote("a", 1, "something else")]
    assert keys(copy_classes(records, lambda a, b: True)) == [[("a", 0), ("b", 1), ("c", 0)], [("a", 1)]]


def test_the_same_sentence_twice_in_one_article_is_two_classes():
    records = [quote("a", 0), quote("a", 1), quote("b", 0)]
    assert keys(copy_classes(records, lambda a, b: True)) == [[("a", 0), ("b", 0)], [("a", 1)]]


def test_copies_that_would_not_join_stay_apart():
    records = [quote("a"), quote("b"), quote("c")]
    assert keys(copy_classes(records, lambda a, b: False)) == [[("a", 0)], [("b", 0)], [("c", 0)]]


def test_only_two_single_records_of_one_article_are_never_compared():
    a0, a1, b0 = quote("a", 0), quote("a", 1, "other words here"), quote("b", 0)
    assert one_article([a0], [a1])
    assert not one_article([a0], [b0])
    assert not one_article([a0, b0], [a1])  # b0 and a1 are of different articles
