"""Names in one article: the words of the quote lexicon and an index of person mentions by name word."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources

import yaml

from newsfacts.models import Entity


@functools.lru_cache(maxsize=1)
def quote_lexicon() -> dict:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("quote_lexicon.yaml").read_text("utf-8"))


def _norm(word: str) -> str:
    return word.lower().strip(".,'’\"")


def _similar(a: str, b: str) -> bool:
    """Same name token, allowing a transliteration variant (Zinovyev/Zinoviev) on longer names."""
    a, b = _norm(a), _norm(b)
    if a == b:
        return True
    return len(a) >= 5 and len(b) >= 5 and a[:3] == b[:3] and SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass(frozen=True)
class _Occurrence:
    start: int
    end: int
    entity: Entity


class _NameIndex:
    """Person mentions by the words of their entity's name, for matching a surname in log time.

    `_similar` accepts the same word, or for words of five letters or more a variant sharing the first three
    letters; so candidate words are looked up by the word itself and by its first three letters."""

    def __init__(self, occurrences: list[_Occurrence]):
        # Each person entity's mentions in text order, and its name words both ways the rules split them.
        self.mentions: dict[str, list[_Occurrence]] = {}
        self.entities: dict[str, Entity] = {}
        for occurrence in occurrences:
            if occurrence.entity.type == "PERSON":
                self.mentions.setdefault(occurrence.entity.id, []).append(occurrence)
                self.entities.setdefault(occurrence.entity.id, occurrence.entity)
        self.order = {id(o): i for i, o in enumerate(occurrences)}
        self.hyphen_split = self._words(lambda e: e.name.replace("-", " - ").split() if len(e.name.split()) >= 2 else [])
        self.space_split = self._words(lambda e: e.name.split())
        self._cache: dict[tuple[bool, str], list[str]] = {}

    def _words(self, split) -> tuple[dict[str, set[str]], dict[str, dict[str, set[str]]]]:
        exact: dict[str, set[str]] = {}
        by_prefix: dict[str, dict[str, set[str]]] = {}
        for entity_id, entity in self.entities.items():
            for word in split(entity):
                word = _norm(word)
                exact.setdefault(word, set()).add(entity_id)
                if len(word) >= 5:
                    by_prefix.setdefault(word[:3], {}).setdefault(word, set()).add(entity_id)
        return exact, by_prefix

    def _matching(self, surname: str, hyphen: bool) -> list[str]:
        """Ids of the person entities having a name word `_similar` to `surname`."""
        key = (hyphen, surname)
        if key not in self._cache:
            exact, by_prefix = self.hyphen_split if hyphen else self.space_split
            word = _norm(surname)
            found = set(exact.get(word, ()))
            if len(word) >= 5:
                for other, ids in by_prefix.get(word[:3], {}).items():
                    if not ids <= found and _similar(word, other):
                        found |= ids
            self._cache[key] = sorted(found)
        return self._cache[key]

    def latest_before(self, surname: str, offset: int, accept: Callable[[Entity], bool] | None = None
                      ) -> _Occurrence | None:
        """The mention starting last before `offset` of a person with a two-word name or longer containing
        `surname` (on equal starts, the first in mention order); `accept`: only such persons."""
        best: _Occurrence | None = None
        for entity_id in self._matching(surname, hyphen=True):
            if accept is not None and not accept(self.entities[entity_id]):
                continue
            mentions = self.mentions[entity_id]
            position = bisect.bisect_left(mentions, offset, key=lambda o: o.start) - 1
            if position < 0:
                continue
            first_at = bisect.bisect_left(mentions, mentions[position].start, key=lambda o: o.start)
            candidate = mentions[first_at]
            if best is None or (candidate.start, -self.order[id(candidate)]) > (best.start, -self.order[id(best)]):
                best = candidate
        return best

    def first_anywhere(self, surname: str) -> _Occurrence | None:
        """The first mention, in mention order, of a person with a name word similar to `surname`."""
        firsts = [self.mentions[i][0] for i in self._matching(surname, hyphen=False)]
        return min(firsts, key=lambda o: self.order[id(o)], default=None)
