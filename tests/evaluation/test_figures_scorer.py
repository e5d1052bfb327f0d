"""The figures scorer: value matching with tolerance, ranges as pairs, one match per gold, lenient units."""

from __future__ import annotations

from newsfacts.evaluation.figures import Gold, Predicted, gold_of, match, unit_matches


def test_value_tolerance_and_one_match_per_gold():
    golds = [Gold(1500, 1500, "dimensionless"), Gold(1500, 1500, "dimensionless")]
    counts = match(golds, [Predicted(1500.000001, 1500.000001, "count", "soldiers")], with_unit=False)
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 1)
    counts = match([Gold(1500, 1500, "dimensionless")], [Predicted(1501, 1501, "number", None)], with_unit=False)
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 1)


def test_ranges_are_pairs():
    gold = gold_of({"value": 12, "unit": "metre", "surface": "8- to 16-meter", "uncertainty": 4})
    assert (gold.low, gold.high) == (8, 16)
    assert match([gold], [Predicted(8, 16, "measure", "metre")], with_unit=True).tp == 1
    assert match([gold], [Predicted(8, 8, "measure", "metre")], with_unit=False).tp == 0
    plus_minus = gold_of({"value": 0.00983, "unit": "x", "surface": "9.83e-3 +/- 1e-5 km/s2", "uncertainty": 1e-5})
    assert plus_minus.low == plus_minus.high == 0.00983


def test_lenient_units_still_fail_on_wrong_units():
    assert unit_matches("dimensionless", Predicted(5, 5, "count", "soldiers"))
    assert not unit_matches("dimensionless", Predicted(5, 5, "measure", "kilometre"))
    assert unit_matches("percentage", Predicted(5, 5, "percent", "percent"))
    assert unit_matches("united states dollar", Predicted(5, 5, "money", "USD"))
    assert not unit_matches("euro", Predicted(5, 5, "money", "USD"))
    assert unit_matches("dollar per hour", Predicted(5, 5, "money", "USD per hour"))
    assert unit_matches("metre", Predicted(5, 5, "measure", "meter"))
    assert unit_matches("kilometre", Predicted(5, 5, "measure", "kilometre"))
    assert not unit_matches("kilometre", Predicted(5, 5, "measure", "mile"))
    assert unit_matches("cubic centimetre", Predicted(5, 5, "measure", "millilitre"))


def test_years_are_optional_and_dozens_are_numbers():
    year = gold_of({"value": 1979, "unit": "dimensionless", "surface": "1979"})
    assert year.optional
    counts = match([year], [], with_unit=False)
    assert (counts.tp, counts.fp, counts.fn) == (0, 0, 0)
    dozen = gold_of({"value": 1, "unit": "dozen", "surface": "a dozen"})
    assert (dozen.low, dozen.unit) == (12, "dimensionless")
