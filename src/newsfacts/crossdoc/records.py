"""Compact per-article records: what the cross-document grouping keeps of an article as it streams by.

A collector sees each article once; it keeps only these small records (a figure's value, unit, hedge,
claimant and the entities of its sentence; a quote's words and speaker), never the article text, so memory
grows with the number of figures and quotes, not with the size of the articles. A story republished by many
outlets gives records that differ only in their article: `RecordPool` makes such copies share every field
but the article, so each costs one small object.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TypeVar

from newsfacts.crossdoc.text import SentenceIndex, content_lemmas
from newsfacts.models import Article


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    article_id: str
    outlet: str | None
    date: str | None


@dataclass(frozen=True, slots=True)
class FigureRecord:
    article: ArticleInfo
    index: int
    text: str
    value: float
    value_max: float | None
    kind: str
    unit: str | None
    object: str | None
    hedge: str | None
    vague: bool
    claimant: str | None
    claimant_entity_id: str | None
    context: tuple[str, ...]  # ids of the entities named in the figure's sentence, sorted
    words: tuple[str, ...] = ()  # content lemmas of the figure's sentence (the figure's own words left out), sorted

    @property
    def key(self) -> tuple[str, int]:
        return self.article.article_id, self.index


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    article: ArticleInfo
    index: int
    text: str
    speaker: str | None
    speaker_entity_id: str | None
    context: tuple[str, ...]  # ids of the entities named in the quote's sentence (speaker included), sorted
    speaker_kind: str | None = None  # how the text names the speaker: name, pronoun, title, description, ...
    words: tuple[str, ...] = ()  # content lemmas of the quote's sentence outside the quote, sorted

    @property
    def key(self) -> tuple[str, int]:
        return self.article.article_id, self.index


Record = TypeVar("Record", FigureRecord, QuoteRecord)


def content_signature(record: FigureRecord | QuoteRecord) -> tuple[Hashable, ...]:
    """Everything of a record that the grouping compares or reports, except which article it is in (id,
    outlet) and where: equal signatures are copies of one figure or quote (a republished story). The date is
    part of it, since it decides which other records a record may join."""
    return (type(record).__name__, record.article.date) + tuple(
        getattr(record, field.name) for field in dataclasses.fields(record) if field.name not in ("article", "index"))


class RecordPool:
    """Makes copies share: `share(record)` returns the record itself the first time its content signature is
    seen, and after that an equal record whose fields (strings, word tuples) are those of the first one. A
    pool holds one record per distinct signature."""

    def __init__(self) -> None:
        # by the hash of the signature, not the signature itself (a tuple of every field: some 200 bytes a
        # record, where most records of a corpus of distinct stories have no copy); equality is checked on use
        self._first: dict[int, FigureRecord | QuoteRecord] = {}

    def share(self, record: Record) -> Record:
        signature = content_signature(record)
        first = self._first.get(hash(signature))
        if first is None:
            self._first[hash(signature)] = record = _interned(record)
            return record
        if content_signature(first) != signature:  # another record of the same hash: not shared
            return record
        if first.article is record.article or first.article == record.article:
            return first if first.index == record.index else dataclasses.replace(first, index=record.index)
        return dataclasses.replace(first, article=record.article, index=record.index)

    def share_all(self, records: list[Record]) -> list[Record]:
        return [self.share(r) for r in records]


def _interned(record: Record) -> Record:
    """`record` with its words and entity ids as interned strings: a word is stored once however many
    records use it."""
    return dataclasses.replace(record, words=tuple(sys.intern(w) for w in record.words),
                               context=tuple(sys.intern(e) for e in record.context))


def article_info(article: Article) -> ArticleInfo:
    return ArticleInfo(article.id, article.outlet.name, article.date.value)


def _mentions_by_place(article: Article) -> dict[int | None, list[tuple[int, int, str]]]:
    """Entity mentions per coordinate system: None for the article text, i for caption i."""
    places: dict[int | None, list[tuple[int, int, str]]] = {}
    for entity in article.entities:
        for mention in entity.mentions:
            places.setdefault(mention.caption, []).append((mention.start, mention.end, entity.id))
    return places


def _context(index: SentenceIndex, mentions: list[tuple[int, int, str]], start: int, end: int) -> tuple[str, ...]:
    s_start, s_end = index.sentence(start, end)
    return tuple(sorted({eid for m_start, m_end, eid in mentions if m_start < s_end and m_end > s_start}))


def entity_names(article: Article) -> dict[str, str]:
    return {entity.id: entity.name for entity in article.entities}


def figure_records(article: Article) -> list[FigureRecord]:
    info = article_info(article)
    mentions = _mentions_by_place(article)
    indexes: dict[int | None, SentenceIndex] = {}
    records = []
    for i, figure in enumerate(article.figures):
        place = figure.caption
        if place is None:
            text = article.text
        elif 0 <= place < len(article.captions):
            text = article.captions[place].text
        else:
            continue
        index = indexes.setdefault(place, SentenceIndex(text))
        s_start, s_end = index.sentence(figure.start, figure.end)
        sentence = text[s_start:figure.start] + " " + text[figure.end:s_end]
        claimant = figure.claimant
        records.append(FigureRecord(
            info, i, figure.text, figure.value, figure.value_max, figure.kind, figure.unit, figure.object,
            figure.hedge, figure.vague, claimant.name if claimant else None, claimant.entity_id if claimant else None,
            _context(index, mentions.get(place, []), figure.start, figure.end),
            tuple(sorted(set(content_lemmas(sentence)))),
        ))
    return records


def quote_records(article: Article) -> list[QuoteRecord]:
    info = article_info(article)
    index = SentenceIndex(article.text)
    mentions = _mentions_by_place(article).get(None, [])
    records = []
    for i, quote in enumerate(article.quotes):
        speaker = quote.speaker
        s_start, s_end = index.sentence(quote.start, quote.end)
        outside = article.text[s_start:quote.start] + " " + article.text[quote.end:s_end]
        records.append(QuoteRecord(
            info, i, quote.text, speaker.name if speaker else None, speaker.entity_id if speaker else None,
            _context(index, mentions, quote.start, quote.end), speaker.kind if speaker else None,
            tuple(sorted(set(content_lemmas(outside)))),
        ))
    return records
