"""Compact records: copies of one figure or quote share their fields (`RecordPool`)."""

from __future__ import annotations

import pickle

from newsfacts.crossdoc.records import ArticleInfo, QuoteRecord, RecordPool, content_signature


def quote(article_id: str, index: int = 0, *, outlet: str | None = None, date: str | None = None,
          text: str = "we will not stop now", words: tuple[str, ...] = ("minister", "said")) -> QuoteRecord:
    return QuoteRecord(ArticleInfo(article_id, outlet, date), index, text, "Ann Lee", "e1", ("e1",), "name",
                       tuple(w for w in words))


def test_signature_leaves_out_the_article_and_position_but_not_the_date():
    assert content_signature(quote("a" * 16, 0, outlet="X")) == content_signature(quote("b" * 16, 3, outlet="Y"))
    assert content_signature(quote("a" * 16)) != content_signature(quote("b" * 16, date="2024-10-01"))
    assert content_signature(quote("a" * 16)) != content_signature(quote("b" * 16, text="we will stop now"))


def test_copies_share_every_field_but_the_article():
    pool = RecordPool()
    # built apart, as two articles' records are: equal values, distinct objects
    first = pool.share(quote("a" * 16, words=tuple("minister said".split())))
    copy = pool.share(quote("b" * 16, 2, outlet="Y", words=tuple("minister said".split())))
    assert copy == quote("b" * 16, 2, outlet="Y")
    assert copy.words is first.words and copy.text is first.text and copy.context is first.context
    assert copy.article.article_id == "b" * 16 and copy.index == 2
    other = pool.share(quote("c" * 16, text="something else entirely"))
    assert other.text is not first.text
    assert pickle.loads(pickle.dumps(copy)) == copy  # records travel from the build's workers
