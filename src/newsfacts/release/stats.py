"""What the card and croissant.json say about a release's articles, collected as the articles stream by.

`ReleaseStats` keeps counters, a few sets and one table line per article (the card lists every article),
never the articles: it is fed each article once, in id order, by the release writer (`release/write.py`), and
the card and Croissant are rendered from it at the end. `ReleaseStats.of(articles)` does the same for a list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsfacts.models import Article
from newsfacts.release.markdown import markdown_inline


def article_line(article: Article) -> str:
    """The article's line in the card's table of articles."""
    date = article.date.value or "unknown"
    method = f" ({article.date.method})" if article.date.method else ""
    cells = [f"`{article.id}`", markdown_inline(article.source.file), markdown_inline(article.outlet.name or "unknown"),
             markdown_inline(f"{date}{method}"),
             f"{article.cleaning.method} ({article.cleaning.kept_share:.0%})", markdown_inline(article.title or "")]
    return "| " + " | ".join(cells) + " |"


@dataclass
class ReleaseStats:
    articles: int = 0
    first_pipeline: str | None = None  # the pipeline of the first article by id
    pipelines: set[str] = field(default_factory=set)
    article_lines: list[str] = field(default_factory=list)  # the card's table, one line per article, by id
    known_errors: Counter[str] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)
    url_methods: Counter[str] = field(default_factory=Counter)
    retrieval: set[str] = field(default_factory=set)
    languages: Counter[str] = field(default_factory=Counter)  # "unknown" for an article without one
    named_languages: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    no_outlet: int = 0
    no_date: int = 0
    with_url: int = 0
    first_date: str | None = None
    last_date: str | None = None
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)  # config → its first row
    shards: dict[str, list[str]] = field(default_factory=dict)  # config → its Parquet shards (release paths)

    @classmethod
    def of(cls, articles: Iterable[Article]) -> ReleaseStats:
        stats = cls()
        for article in sorted(articles, key=lambda a: a.id):
            stats.add(article)
        return stats

    def add(self, article: Article) -> None:
        self.articles += 1
        if self.first_pipeline is None:
            self.first_pipeline = article.pipeline
        self.pipelines.add(article.pipeline)
        self.article_lines.append(article_line(article))
        self.known_errors.update(error.kind for error in article.known_errors)
        self.formats[article.source.format] += 1
        self.url_methods[article.source.url_method or "none"] += 1
        if article.source.retrieval:
            self.retrieval.add(article.source.retrieval)
        self.languages[article.language or "unknown"] += 1
        if article.language:
            self.named_languages.add(article.language)
        if article.outlet.name:
            self.outlets.add(article.outlet.name)
        else:
            self.no_outlet += 1
        date = article.date.value
        if date:
            self.first_date = date if self.first_date is None else min(self.first_date, date)
            self.last_date = date if self.last_date is None else max(self.last_date, date)
        else:
            self.no_date += 1
        if article.source.url:
            self.with_url += 1
