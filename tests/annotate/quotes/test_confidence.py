"""Quote.confidence lookups (annotate/quotes/confidence.py): cell, evidence, group, overall."""

from __future__ import annotations

from newsfacts.annotate.quotes import confidence


def test_evidence_groups():
    assert confidence.evidence_group("pronoun:unresolved") == "pronoun_unnamed"
    assert confidence.evidence_group("pronoun:object") == "pronoun_unnamed"
    assert confidence.evidence_group("pronoun:subject") == "other"
    assert confidence.evidence_group("name:resolved") == "other"
    assert confidence.evidence_group("none") == "none"


def test_lookup_falls_back_from_cell_to_evidence_to_group_to_overall(monkeypatch):
    table = {
        "overall": 0.9,
        "by_group": {"pronoun_unnamed": 0.2, "other": 0.95},
        "by_evidence": {"pronoun:subject": 0.85},
        "by_route_and_evidence": {"cue": {"pronoun:subject": 0.88}},
    }
    monkeypatch.setattr(confidence, "_confidence_table", lambda: table)
    assert confidence.speaker_confidence("cue", "pronoun:subject") == 0.88
    assert confidence.speaker_confidence("colon", "pronoun:subject") == 0.85
    # An unnamed pronoun's evidence never seen on train falls back on its group, not on the overall rate.
    assert confidence.speaker_confidence("cue", "pronoun:description") == 0.2
    assert confidence.speaker_confidence("cue", "none") == 0.9


def test_the_fitted_table_keeps_unnamed_pronouns_low():
    table = confidence._confidence_table()
    assert table["by_group"]["pronoun_unnamed"] < 0.5 < table["by_group"]["other"]
