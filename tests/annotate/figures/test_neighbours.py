"""Figures next to each other: ranges, mixed units, a change and a new level."""

from __future__ import annotations

import pytest


def test_ranges(figures_of):
    (miles,) = figures_of("The missiles can travel 25 to 40 miles.")
    assert (miles.value, miles.value_max, miles.unit) == (25, 40, "mile")
    (troops,) = figures_of("Officials expect between 10,000 and 12,000 troops.")
    assert (troops.value, troops.value_max, troops.text) == (10000, 12000, "between 10,000 and 12,000 troops")


def test_scale_of_a_range_applies_to_both_ends(figures_of):
    (pounds,) = figures_of("The repairs will cost £2-3m.")
    assert (pounds.value, pounds.value_max, pounds.unit) == (2e6, 3e6, "GBP")
    (rupiah,) = figures_of("Banks may freeze 20-30bn rupiah in payments.")
    assert (rupiah.value, rupiah.value_max, rupiah.unit) == (20e9, 30e9, "IDR")


def test_mixed_units_are_one_amount(figures_of):
    (height,) = figures_of("Vieira is 6ft 4in and towers over his team-mates.")
    assert (height.text, height.unit) == ("6ft 4in", "foot") and height.value == pytest.approx(6 + 4 / 12)
    (time,) = figures_of("She won in two hours 18 minutes 15 seconds.")
    assert time.unit == "hour" and time.value == pytest.approx(2 + 18 / 60 + 15 / 3600)


def test_change_and_new_level_are_two_figures(figures_of):
    figures = figures_of("The number out of work rose 32,000 to 1.41 million, and the claimant count fell 11,000 to 813,200.")
    assert [(f.value, f.value_max) for f in figures] == [(32000, None), (1.41e6, None), (11000, None), (813200, None)]
    (range_,) = figures_of("The missiles can travel 25 to 40 miles.")
    assert (range_.value, range_.value_max) == (25, 40)


def test_the_second_year_of_a_range_keeps_a_counted_noun(figures_of):
    (figure,) = figures_of("Sales rose from 1,500 to 2000 units.")
    assert (figure.value, figure.value_max, figure.unit) == (1500, 2000, "units")
