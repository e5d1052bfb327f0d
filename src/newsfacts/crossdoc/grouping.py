"""What claims and quote clusters share: classes of copies, constrained grouping of scored pairs, stable ids,
member order."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from newsfacts.crossdoc.records import FigureRecord, QuoteRecord, content_signature

Item = TypeVar("Item")
Record = TypeVar("Record", FigureRecord, QuoteRecord)


def days_between(a: str | None, b: str | None) -> int | None:
    """Days between two ISO dates, None when either is unknown."""
    if not a or not b:
        return None
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def stable_id(keys: Iterable[tuple[str, int]]) -> str:
    """A 16-hex id from the members' (article id, index) keys: the same members give the same id."""
    text = "\n".join(f"{article_id}/{index}" for article_id, index in sorted(keys))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def date_order(article_id: str, outlet: str | None, day: str | None, index: int) -> tuple:
    """Members ordered by date (undated last), outlet, article id, then position in the article."""
    return (day is None, day or "", outlet or "", article_id, index)


def dumped(models: list[BaseModel]) -> list[dict[str, Any]]:
    """The rows of `models` (emptied as they are dumped: a large release never holds both at once)."""
    models.reverse()
    rows = []
    while models:
        rows.append(models.pop().model_dump(mode="json"))
    return rows


def most_common(values: Iterable[str | None]) -> str | None:
    """The most frequent non-null value, ties broken by the value itself (independent of input order)."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


class ConstrainedGroups(Generic[Item]):
    """Single-link grouping over scored pairs, where every pair inside a group must be `compatible`.

    Pairs are merged strongest first (ties by key, so the result does not depend on input order); a merge
    that would put two incompatible items into one group is skipped. This keeps chains from joining
    things that do not belong together (10,000 → 12,000 → 15,000 → 20,000)."""

    def __init__(self, items: Sequence[Item], key: Callable[[Item], Hashable],
                 compatible: Callable[[Item, Item], bool]):
        self.items = list(items)
        self._key = key
        self._compatible = compatible
        self._group = {key(item): i for i, item in enumerate(self.items)}
        self._members: dict[int, list[Item]] = {i: [item] for i, item in enumerate(self.items)}

    def merge(self, a: Item, b: Item) -> bool:
        ga, gb = self._group[self._key(a)], self._group[self._key(b)]
        if ga == gb:
            return True
        left, right = self._members[ga], self._members[gb]
        if not all(self._compatible(x, y) for x in left for y in right):
            return False
        if len(left) < len(right):
            ga, gb, left, right = gb, ga, right, left
        left.extend(right)
        for item in right:
            self._group[self._key(item)] = ga
        del self._members[gb]
        return True

    def groups(self) -> list[list[Item]]:
        return [sorted(members, key=self._key) for members in self._members.values()]

    def group_of(self, item: Item) -> int:
        return self._group[self._key(item)]


def copy_classes(records: Iterable[Record], joins: Callable[[Record, Record], bool]) -> list[list[Record]]:
    """The records grouped into classes of copies, each class sorted by key, the classes by their first key.

    Copies are records of equal content signature (`records.content_signature`: the same words, value,
    speaker, sentence and date) in different articles: a story republished by many outlets. Every pair of
    copies compares alike with any third record, so the grouping treats a class as one item; this keeps its
    cost in the number of distinct figures and quotes, not in the number of copies (a wire story in 200
    papers would otherwise be 19,900 pairs, each scored). Copies join each other only when the grouping
    would join them (`joins` on two of them); otherwise each copy is a class of its own. Two equal records of
    one article (the same sentence twice) go to different classes, as the grouping never pairs records of
    one article."""
    # by the hash of the signature (the signatures themselves would hold every field again); a class takes a
    # record only if their signatures are equal
    classes: dict[int, list[list[Record]]] = {}
    for record in sorted(records, key=lambda r: r.key):
        signature = content_signature(record)
        open_classes = classes.setdefault(hash(signature), [])
        # records come in key order, so those of one article come together: a class already holds a record of
        # this article only if its last member is one
        for members in open_classes:
            if (members[-1].article.article_id != record.article.article_id
                    and content_signature(members[0]) == signature):
                members.append(record)
                break
        else:
            open_classes.append([record])
    found: list[list[Record]] = []
    for open_classes in classes.values():
        for members in open_classes:
            if len(members) > 1 and not joins(members[0], members[1]):
                found.extend([member] for member in members)
            else:
                found.append(members)
    return sorted(found, key=lambda members: members[0].key)


def one_article(a: Sequence[FigureRecord | QuoteRecord], b: Sequence[FigureRecord | QuoteRecord]) -> bool:
    """Whether two classes of copies hold no pair of records of different articles (then they are never
    compared): only two single records of one article. A class of two or more spans as many articles."""
    return len(a) == 1 and len(b) == 1 and a[0].article.article_id == b[0].article.article_id
