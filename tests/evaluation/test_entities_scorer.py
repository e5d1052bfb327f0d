"""The entity scorer: its arithmetic, its gold, and the targets of the entities issue."""

from __future__ import annotations

import json

import pytest

from newsfacts.evaluation import entities as scorer


def test_prf():
    assert scorer.prf(0, 0, 0) == (0.0, 0.0, 0.0)
    p, r, f = scorer.prf(3, 4, 6)
    assert (p, r) == (0.75, 0.5) and f == pytest.approx(0.6)


def test_exact_partial_and_document_levels():
    doc = scorer.GoldDocument("d", "Mark Rutte met Rutte in Seoul", ((0, 10, "PERSON"), (15, 20, "PERSON"), (24, 29, "PLACE")))
    predicted = [(5, 10, "PERSON"), (15, 20, "PERSON"), (24, 29, "ORG")]
    s = scorer.score_system([doc], [predicted], "")
    assert s["mention_precision"] == pytest.approx(1 / 3) and s["mention_recall"] == pytest.approx(1 / 3)
    assert s["mention_partial_f1"] == pytest.approx(2 / 3)  # 'Rutte' overlaps 'Mark Rutte'; Seoul has the wrong type
    # document level: {(PERSON, rutte)} predicted twice counts once; gold has mark rutte, rutte, seoul
    assert s["document_precision"] == pytest.approx(1 / 2) and s["document_recall"] == pytest.approx(1 / 3)


def test_gold_is_exact_and_covers_the_agreed_documents():
    docs = scorer.load_gold()
    ids = [d.id for d in docs]
    assert sum(i.startswith("seed-") for i in ids) == 5
    bbc = [i for i in ids if i.startswith("bbc-")]
    assert len(bbc) >= 30 and {i.split("-")[1] for i in bbc} == {"business", "entertainment", "politics", "sport", "tech"}
    for d in docs:
        assert d.mentions, d.id
        assert all(t in scorer.SCORED for _, _, t in d.mentions)
        spans = sorted(d.mentions)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), f"{d.id}: overlapping gold mentions"
    raw = json.loads((scorer.GOLD_DIR / "seed-004.json").read_text(encoding="utf-8"))
    assert "Good Articles to Share" not in raw["text"] and "Tan KW" not in raw["text"]


def test_targets_of_the_issue():
    scores = scorer.score()
    assert scores["mention_f1"] >= scores["spacy_mention_f1"] + 0.08
    assert scores["document_f1"] > scores["spacy_document_f1"]
    assert scores["seeds_mention_f1"] > scores["spacy_seeds_mention_f1"]
