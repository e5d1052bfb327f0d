"""What the figure reader asks of the article around a number, answered in log time or once per sentence:
the entity mentions by offset (`Mentions`), the tokens of a character span, the last tokens before an
offset, and a per-document cache for facts computed once per sentence or token."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Doc, Span as SpacySpan, Token

from newsfacts.annotate.doc_index import doc_index
from newsfacts.models import Entity


class Mentions:
    """The entity mentions of an article sorted by start, for finding those around an offset in log time."""

    def __init__(self, entities: Sequence[Entity]):
        # (start, end, entity order, mention order, entity): the last two keep the order of `entities`.
        self.items = sorted(
            (m.start, m.end, i, j, e) for i, e in enumerate(entities) for j, m in enumerate(e.mentions)
        )
        self.starts = [item[0] for item in self.items]
        self.longest = max((item[1] - item[0] for item in self.items), default=0)
        people = sorted(((m.end, i, j, e) for i, e in enumerate(entities) if e.type == "PERSON"
                         for j, m in enumerate(e.mentions)), key=lambda item: item[:3])
        self.people_ends = [item[0] for item in people]
        self.people = people

    def near(self, start: int, end: int) -> list[tuple]:
        """Mentions that may overlap or lie inside [start, end), in the order of `entities`."""
        first = bisect.bisect_left(self.starts, start - self.longest)
        last = bisect.bisect_left(self.starts, end)
        return sorted(self.items[first:last], key=lambda item: (item[2], item[3]))

    def contains(self, start: int, end: int) -> bool:
        """Is [start, end) inside a longer mention?"""
        first = bisect.bisect_left(self.starts, end - self.longest)
        last = bisect.bisect_right(self.starts, start)
        return any(m_end >= end and m_end - m_start > end - start for m_start, m_end, *_ in self.items[first:last])

    def last_person_before(self, offset: int) -> Entity | None:
        """The person with the latest mention ending at or before `offset` (the first such in entity order)."""
        count = bisect.bisect_right(self.people_ends, offset)
        if not count:
            return None
        latest = self.people_ends[count - 1]
        first = bisect.bisect_left(self.people_ends, latest)
        return min(self.people[first:count], key=lambda item: item[1])[3]


def doc_cache(doc: Doc, name: str) -> dict:
    """A per-document dictionary for facts computed once per sentence or token, kept in the doc's user_data
    (ints and tuples only: a Token or Span there would make a reference cycle through the doc)."""
    caches = doc.user_data.setdefault("newsfacts.figures.sentences", {})
    return caches.setdefault(name, {})


def tokens_at(doc: Doc, start: int, end: int) -> SpacySpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


def last_tokens_before(doc: Doc, start: int, count: int) -> list[Token]:
    """The last `count` tokens that end at or before `start`."""
    ending = doc_index(doc).tokens_ending_by(start)
    return list(doc[max(0, ending - count) : ending])
