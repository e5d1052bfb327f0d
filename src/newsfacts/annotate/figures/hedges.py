"""Hedges and changes around a figure: the hedge phrase before or after it ("around", "at least", "or more")
and the change it reports ("rose by 5%" -> increase, "fell to 3%" -> to). The phrases and verbs are data
(`data/figure_hedges.yaml`).
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc

from newsfacts.annotate.figures.context import last_tokens_before
from newsfacts.annotate.figures.lexicon import FigureLexicon


@functools.lru_cache(maxsize=None)  # one pattern per hedge phrase of the lexicon, compiled once
def _hedge_before_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"(?:^|(?<=[\s(\"“'—–-]))({re.escape(phrase)})" + (r"\s+$" if phrase[-1:].isalnum() else r"\s*$"))


@functools.lru_cache(maxsize=None)
def _hedge_after_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"\s*{re.escape(phrase)}(?![\w])")


def best_hedge(text: str, start: int, lex: FigureLexicon) -> tuple[int, str] | None:
    """The longest hedge phrase ending right before `start` ('more than' beats 'than')."""
    window = text[max(0, start - 40) : start].lower()
    best: tuple[int, str] | None = None
    for name, sides in lex.hedges.items():
        for phrase in sides.get("before", ()):
            m = _hedge_before_pattern(phrase).search(window)
            if m:
                begin = start - (len(window) - m.start(1))
                if best is None or begin < best[0]:
                    best = (begin, name)
    return best


def hedge_after(text: str, end: int, lex: FigureLexicon) -> tuple[int, str] | None:
    following = text[end : end + 20].lower()
    for name, sides in lex.hedges.items():
        for phrase in sides.get("after", ()):
            m = _hedge_after_pattern(phrase).match(following)
            if m:
                return end + m.end(), name
    return None


def change_before(doc: Doc, start: int, lex: FigureLexicon, kind: str) -> str | None:
    """'rose by 5%' -> increase, 'fell to 3%' -> to, 'up 3%' -> increase."""
    before = last_tokens_before(doc, start, 3)
    if not before:
        return None
    last = before[-1]
    if last.lower_ in ("by", "to", "at") and len(before) >= 2:
        # the word before, or the verb the preposition hangs on ("rose by 2.5 points to 7%")
        for verb in (before[-2], last.head):
            for kind, lemmas in lex.change.items():
                if verb.lemma_.lower() in lemmas:
                    return kind if last.lower_ == "by" else "to"
        return None
    if kind == "count":
        return None  # "lost 300,000 troops" is a count of losses, not a change of a level
    for kind, lemmas in lex.change.items():
        if last.lemma_.lower() in lemmas and last.pos_ in ("VERB", "ADV", "ADP") and last.lower_ in ("up", "down", "rose", "fell", "jumped", "dropped", "climbed", "slipped", "gained", "lost", "rises", "falls", "grew", "shrank", "plunged", "soared", "surged", "declined", "increased", "decreased", "doubled", "halved"):
            return kind
    return None
