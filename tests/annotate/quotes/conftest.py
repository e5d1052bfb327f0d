"""Fixtures for the quote and coreference tests: the pinned model, and the speaker of a quote with its
mention checked."""

from __future__ import annotations

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp
from newsfacts.annotate.quotes import find_quotes


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def speaker_of(nlp):
    """The speaker of the first quote of `text` holding `words`; its mention must point at its own text."""
    def run(text: str, words: str):
        doc = nlp(text)
        quotes = [q for q in find_quotes(doc, find_entities(doc)) if words in q.text]
        assert quotes, "no quote found"
        speaker = quotes[0].speaker
        assert speaker is not None and speaker.mention is not None
        assert text[speaker.mention.start : speaker.mention.end] == speaker.mention.text
        return speaker

    return run
