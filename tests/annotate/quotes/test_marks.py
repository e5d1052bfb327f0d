"""Quotation-mark pairing on plain text (no parse)."""

from __future__ import annotations

from newsfacts.annotate.quotes.marks import find_quoted_spans


def test_apostrophes_are_not_quotation_marks():
    text = "Trump's aides don't know the voters' mood in the '90s style."
    assert find_quoted_spans(text) == []
