"""What a figure counts: the counted noun phrase."""

from __future__ import annotations

import pytest


def test_counted_noun_through_of_skips_modifiers(figures_of):
    (figure,) = figures_of("The hackers stole millions of government e-mails.")
    assert (figure.text, figure.kind, figure.value, figure.vague) == ("millions of government e-mails", "count", 1e6, True)
    assert figure.unit == "government e-mails" and figure.object == "government e-mails"


def test_a_hyphenated_counted_noun_is_one_word(figures_of):
    (figure,) = figures_of("He sent 300 e-mails to staff.")
    assert (figure.text, figure.unit) == ("300 e-mails", "e-mails")


@pytest.mark.parametrize(
    ("phrase", "value"),
    [("Dozens of", 12), ("Hundreds of", 100), ("Thousands of", 1000), ("Millions of", 1e6), ("Billions of", 1e9)],
)
def test_approximate_plurals_are_vague_lower_bounds(figures_of, phrase, value):
    (figure,) = figures_of(f"{phrase} people were affected by the floods.")
    assert (figure.value, figure.vague, figure.kind, figure.unit) == (value, True, "count", "people")
