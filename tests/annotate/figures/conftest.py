"""Fixtures for the figure tests: the pinned model, and figures of a text with every span checked."""

from __future__ import annotations

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.figures import find_figures
from newsfacts.annotate.nlp import load_nlp


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def figures_of(nlp):
    def run(text):
        doc = nlp(text)
        figures = find_figures(doc, find_entities(doc))
        for figure in figures:
            assert text[figure.start : figure.end] == figure.text
        return figures

    return run
