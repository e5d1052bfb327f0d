"""Text normalisation shared by claims and quote clusters: words, lemmas, content words, sentence bounds.

The cross-document step sees finished articles, not spaCy Docs, so it normalises with small rules: lowercase
words with typographic quotes and dashes folded, plural nouns singularised (irregular plurals are data), and
spaCy's English stop words as the function words. Sentence bounds come from spaCy's rule-based sentencizer on
a blank English pipeline (no model), applied to one paragraph at a time.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@cache
def settings() -> dict[str, Any]:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("claims.yaml").read_text("utf-8"))


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def words(text: str) -> list[str]:
    """Lowercase word tokens; "Korea's" and "Korea’s" are one token, punctuation is dropped."""
    found = _WORD.findall(text.translate(_FOLD).lower())
    return [w[:-2] if w.endswith("'s") else w.replace("'", "") for w in found]


@cache
def singular(word: str) -> str:
    """The singular of an English plural noun (a lemma for comparison, not for display)."""
    irregular = settings()["irregular_plurals"]
    if word in irregular:
        return irregular[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    return word[:-1]


def is_stop(word: str) -> bool:
    return word in _stop_words() or word.isdigit()


def lemmas(text: str) -> list[str]:
    return [singular(w) for w in words(text)]


def content_lemmas(text: str) -> list[str]:
    """Lemmas of the words that carry content (stop words and bare numbers left out)."""
    return [singular(w) for w in words(text) if not is_stop(w)]


def inverse_document_frequency(documents: list[tuple[str, ...]]) -> dict[str, float]:
    """log(N / df) of every word over a collection of word sets (here: the sentences of figures or quotes)."""
    from collections import Counter
    from math import log

    df = Counter(w for words_ in documents for w in set(words_))
    n = len(documents) + 1
    return {w: log(n / c) for w, c in df.items()}


def weighted_cosine(a: tuple[str, ...], b: tuple[str, ...], idf: dict[str, float]) -> tuple[float, list[str]]:
    """Cosine similarity of two word sets weighted by rarity, and the shared words, rarest first."""
    shared = set(a) & set(b)
    if not shared:
        return 0.0, []
    norm_a = sum(idf.get(w, 0.0) ** 2 for w in a) ** 0.5
    norm_b = sum(idf.get(w, 0.0) ** 2 for w in b) ** 0.5
    if not norm_a or not norm_b:
        return 0.0, []
    similarity = sum(idf.get(w, 0.0) ** 2 for w in shared) / (norm_a * norm_b)
    return similarity, sorted(shared, key=lambda w: (-idf.get(w, 0.0), w))


@cache
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


class SentenceIndex:
    """Sentence bounds of one text, computed per paragraph on demand."""

    def __init__(self, text: str):
        self.text = text
        self._paragraphs: dict[int, list[tuple[int, int]]] = {}

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the sentence holding text[start:end] (the paragraph's sentences it overlaps)."""
        p_start = self.text.rfind("\n", 0, start) + 1
        p_end = self.text.find("\n", end)
        p_end = len(self.text) if p_end < 0 else p_end
        if p_start not in self._paragraphs:
            doc = _sentencizer()(self.text[p_start:p_end])
            self._paragraphs[p_start] = [(p_start + s.start_char, p_start + s.end_char) for s in doc.sents]
        bounds = [b for b in self._paragraphs[p_start] if b[0] < max(end, start + 1) and b[1] > start]
        if not bounds:
            return p_start, p_end
        return bounds[0][0], bounds[-1][1]
