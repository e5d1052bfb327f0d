"""The dates scorer's split and metrics (no development data needed)."""

from __future__ import annotations

from newsfacts.evaluation.dates import metrics, web_split


def test_web_split_is_fixed_and_even():
    ids = [f"page-{n:03d}" for n in range(41)]
    halves = web_split(ids)
    assert halves == web_split(list(reversed(ids)))  # independent of input order
    assert sorted(halves.values()).count("fit") == 21 and sorted(halves.values()).count("check") == 20
    # Adding a page leaves the others where they were, or moves at most the pages around the boundary.
    grown = web_split(ids + ["page-new"])
    assert sum(grown[i] != halves[i] for i in ids) <= 1


def test_metrics_reward_an_honest_null_over_a_wrong_date():
    rows = [("fit", "a", "2020-01-02", "2020-01-02"), ("fit", "b", "2020-01-03", "2020-01-04"),
            ("fit", "c", "2020-01-05", None), ("fit", "d", None, None)]
    scores = metrics(rows, "x_")
    assert scores["x_accuracy"] == 0.5
    assert scores["x_precision_non_null"] == 0.5
    assert scores["x_coverage"] == 0.5
    assert scores["x_recall_dated"] == 1 / 3
