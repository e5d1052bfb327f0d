"""The claims scorer: items found by span (or text nearby), pairs judged against the grouping's output."""

from __future__ import annotations

import json

import pytest

from newsfacts.evaluation import claims as scorer


@pytest.fixture(scope="module")
def seed_articles():
    pairs = [scorer.Pair("figures", {"corpus": "seeds", "file": "x"}, {"corpus": "seeds", "file": "x"}, True)]
    return scorer.extract(scorer.documents(pairs, scorer.shared_dir()))


def item(articles, needle, kind="figures", shift=0):
    for (corpus, name), article in sorted(articles.items()):
        spans = article.figures if kind == "figures" else article.quotes
        for span in spans:
            if span.text == needle and getattr(span, "caption", None) is None:
                return {"corpus": corpus, "file": name, "start": span.start + shift, "end": span.end + shift,
                        "text": span.text, "context": ""}
    raise AssertionError(f"{needle!r} not in the seeds")


def write_pairs(folder, kind, pairs):
    folder.mkdir(exist_ok=True)
    (folder / f"{kind}.jsonl").write_text("".join(json.dumps({"a": a, "b": b, "same": same, "note": ""}) + "\n"
                                                  for a, b, same in pairs), encoding="utf-8")


def test_seed_pairs_scored_with_an_unresolved_item(seed_articles, tmp_path):
    soldiers = item(seed_articles, "10,000 soldiers")
    around = item(seed_articles, "around 12,000 soldiers")
    containers = item(seed_articles, "at least 10,000 containers")
    moved = item(seed_articles, "around 12,000 soldiers", shift=3)  # found by its text nearby
    lost = {**containers, "start": 0, "end": 5, "text": "no such figure"}
    write_pairs(tmp_path / "pairs", "figures", [(soldiers, around, True), (soldiers, containers, False),
                                                (moved, soldiers, True), (lost, soldiers, False)])
    statement = item(seed_articles, "not to contribute to this escalation", "quotes")
    full = item(seed_articles, "We call on the North Korean side not to contribute to this and to refrain from doing "
                "anything in this direction", "quotes")
    other = item(seed_articles, "This, of course, might change.", "quotes")
    write_pairs(tmp_path / "pairs", "quotes", [(statement, full, True), (statement, other, False)])
    pairs = scorer.load_pairs(tmp_path / "pairs")
    scores = scorer.metrics(scorer.judge(pairs, seed_articles))
    assert scores["figures_precision"] == scores["figures_recall"] == 1.0
    assert scores["figures_pairs"] == 3 and scores["figures_unresolved"] == 1
    assert scores["quotes_f1"] == 1.0 and scores["quotes_unresolved"] == 0
    assert {"figures_half_a_f1", "figures_half_b_f1", "quotes_half_a_recall"} <= set(scores)


def test_a_missed_pair_lowers_recall(seed_articles, tmp_path):
    soldiers = item(seed_articles, "10,000 soldiers")
    containers = item(seed_articles, "at least 10,000 containers")
    write_pairs(tmp_path / "pairs", "figures", [(soldiers, containers, True)])
    scores = scorer.metrics(scorer.judge(scorer.load_pairs(tmp_path / "pairs"), seed_articles))
    assert scores["figures_recall"] == 0.0 and scores["figures_precision"] == 0.0
