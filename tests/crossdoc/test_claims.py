"""Figures of different articles grouped into claims: the cases that can go wrong."""

from __future__ import annotations

import random

from newsfacts.crossdoc import ClaimCollector
from newsfacts.crossdoc.claims import ClaimSettings, default_settings, interval
from newsfacts.crossdoc.records import figure_records

from crossdoc.builders import make_article

NIS = ("National Intelligence Service", "kb:org:nis")
PLACES = [("kb:place:north-korea", "North Korea"), ("kb:place:russia", "Russia")]


def soldiers_articles():
    """Three outlets report the spy agency's count (10,000; around 12,000; 10,000 undated), one of them next to
    10,000 containers of munitions, which a fourth outlet reports too."""
    a = make_article(
        "According to the National Intelligence Service, North Korea is sending troops to Russia, an estimated "
        "total of 10,000 soldiers.", outlet="Outlet A", date="2024-10-21", entities=PLACES,
        figures=[{"text": "10,000 soldiers", "value": 10000, "unit": "soldiers", "claimant": NIS}])
    b = make_article(
        "The National Intelligence Service estimated North Korea could send around 12,000 soldiers to Russia in "
        "total.", outlet="Outlet B", date="2024-10-22", entities=PLACES,
        figures=[{"text": "around 12,000 soldiers", "value": 12000, "unit": "soldiers", "hedge": "about",
                  "claimant": NIS}])
    c = make_article(
        "North Korea has 10,000 troops to deploy to Russia, the National Intelligence Service told lawmakers.\n\n"
        "North Korea has delivered at least 10,000 containers of munitions to Russia, the National "
        "Intelligence Service said.", outlet="Outlet C", entities=PLACES,
        figures=[{"text": "10,000 troops", "value": 10000, "unit": "troops", "claimant": NIS},
                 {"text": "at least 10,000 containers", "value": 10000, "unit": "containers", "hedge": "at_least",
                  "claimant": NIS}])
    d = make_article(
        "North Korea shipped 10,000 containers of munitions to Russia, the National Intelligence Service said.",
        outlet="Outlet D", date="2024-10-20", entities=PLACES,
        figures=[{"text": "10,000 containers", "value": 10000, "unit": "containers", "claimant": NIS}])
    return [a, b, c, d]


def claims_of(articles, cfg=None):
    collector = ClaimCollector(cfg)
    for article in articles:
        collector.add(article)
    return collector.claims()


def test_disputed_count_is_one_disagree_claim_without_the_containers():
    a, b, c, d = soldiers_articles()
    claims = claims_of([a, b, c, d])
    soldiers = [cl for cl in claims if cl.values == [10000.0, 12000.0]]
    assert len(soldiers) == 1
    claim = soldiers[0]
    assert claim.status == "disagree"
    assert claim.outlets == ["Outlet A", "Outlet B", "Outlet C"]
    assert {m.text for m in claim.members} == {"10,000 soldiers", "around 12,000 soldiers", "10,000 troops"}
    assert all(m.reasons for m in claim.members)
    assert any("claimant: National Intelligence Service" in r for m in claim.members for r in m.reasons)
    containers = [cl for cl in claims if cl is not claim]
    assert len(containers) == 1 and {m.text for m in containers[0].members} == {
        "at least 10,000 containers", "10,000 containers"}
    assert containers[0].status == "agree"  # one value, whatever the hedge


def test_undated_article_needs_strong_evidence():
    _, b, _, _ = soldiers_articles()
    weak = make_article("Some 12,000 soldiers marched in a parade.", outlet="Outlet E",
                        figures=[{"text": "12,000 soldiers", "value": 12000, "unit": "soldiers"}])
    assert claims_of([b, weak]) == []


def test_dates_outside_the_window_are_not_one_claim():
    a, b, _, _ = soldiers_articles()
    late = b.model_copy(update={"id": "f" * 16, "date": b.date.model_copy(update={"value": "2025-06-01"})})
    assert [cl.values for cl in claims_of([a, late])] == []
    assert [cl.values for cl in claims_of([a, b])] == [[10000.0, 12000.0]]


def test_counts_far_apart_are_different_claims():
    a, _, _, _ = soldiers_articles()
    first = make_article(
        "According to the National Intelligence Service, the first 1,500 soldiers of North Korea are in Russia.",
        outlet="Outlet F", date="2024-10-21", entities=PLACES,
        figures=[{"text": "1,500 soldiers", "value": 1500, "unit": "soldiers", "claimant": NIS}])
    assert claims_of([a, first]) == []


def pair(first: dict, second: dict, dates=("2024-10-21", "2024-10-21")):
    texts = []
    for spec, day, outlet in ((first, dates[0], "One"), (second, dates[1], "Two")):
        spec = {"unit": "soldiers", "claimant": NIS, **spec}
        texts.append(make_article(
            f"North Korea sent {spec['text']} to Russia, the National Intelligence Service said.", outlet=outlet,
            date=day, entities=PLACES, figures=[spec]))
    return claims_of(texts)


def test_status_agree_range_update_disagree():
    assert pair({"text": "1,500 soldiers", "value": 1500}, {"text": "about 1,500 soldiers", "value": 1500,
                                                             "hedge": "about"})[0].status == "agree"
    assert pair({"text": "about 12,000 soldiers", "value": 12000, "hedge": "about"},
                {"text": "10,000 to 12,000 soldiers", "value": 10000, "value_max": 12000})[0].status == "range"
    assert pair({"text": "10,000 soldiers", "value": 10000},
                {"text": "12,000 soldiers", "value": 12000}, dates=("2024-10-01", "2024-10-20"))[0].status == "update"
    assert pair({"text": "10,000 soldiers", "value": 10000},
                {"text": "12,000 soldiers", "value": 12000})[0].status == "disagree"


def test_update_needs_every_member_dated():
    claims = pair({"text": "10,000 soldiers", "value": 10000}, {"text": "12,000 soldiers", "value": 12000},
                  dates=("2024-10-01", None))
    assert [c.status for c in claims] == ["disagree"]


def test_hedge_intervals():
    (record,) = figure_records(make_article("About 100 people came.", figures=[
        {"text": "About 100 people", "value": 100, "unit": "people", "hedge": "about"}]))
    assert interval(record, 0.1) == (90.0, 110.0)


def test_rows_do_not_depend_on_input_order():
    articles = soldiers_articles()
    expected = ClaimCollector()
    for article in articles:
        expected.add(article)
    rows = expected.rows()
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        collector = ClaimCollector()
        for article in shuffled:
            collector.add(article)
        assert collector.rows() == rows
    assert rows == sorted(rows, key=lambda r: r["id"])


def test_thresholds_are_data():
    data = default_settings()
    strict = ClaimSettings(**{**data.__dict__, "join_score": 99.0, "undated_score": 99.0})
    assert claims_of(soldiers_articles(), strict) == []


def test_undated_articles_join_on_the_sentence_and_a_precise_value():
    """The same story in two undated articles: a precise amount, the same words around it."""
    yukos = [("kb:org:yukos", "Yukos")]
    one = make_article("Yukos was forced to sell its main unit to pay a $27.5bn back tax bill.", entities=yukos,
                       figures=[{"text": "$27.5bn", "value": 27.5e9, "kind": "money", "unit": "USD", "object": None}])
    two = make_article("The unit was auctioned to help pay off a $27.5bn back tax bill owed by Yukos.", entities=yukos,
                       figures=[{"text": "$27.5bn", "value": 27.5e9, "kind": "money", "unit": "USD", "object": None}])
    other = make_article("Shareholders of the airline approved a $27.5bn merger with its rival.",
                         figures=[{"text": "$27.5bn", "value": 27.5e9, "kind": "money", "unit": "USD", "object": None}])
    (claim,) = claims_of([one, two, other])
    assert {m.article_id for m in claim.members} == {one.id, two.id}
    assert claim.status == "agree" and claim.first_date is None
    assert any(r.startswith("sentence words:") for m in claim.members for r in m.reasons)
