"""The accuracy of the automatic pipeline against a curated release, on a small synthetic case."""

from __future__ import annotations

from newsfacts.curation import CurationFile
from newsfacts.evaluation.curation import accuracy_table, score_curation, score_fields
from curation_cases import AID, make_article, span_of


def _by_field(scores):
    return {s.field: s for s in scores}


def test_identical_releases_score_perfectly():
    scores = _by_field(score_fields([make_article()], [make_article()]))
    assert scores["quotes"].precision == scores["quotes"].recall == 1.0
    assert scores["entities"].correct == 3
    assert scores["date"].automatic == scores["date"].curated == 0 and scores["date"].precision is None


def test_corrections_become_the_errors_of_the_automatic_pipeline():
    speaker = {"name": "John Smith", "mention": span_of("John Smith"), "kind": "name"}
    curation = CurationFile.model_validate({"curation_version": 1, "articles": {AID: {"corrections": [
        {"op": "fix", "item": "quote", "span": span_of("we will win"), "value": {"speaker": speaker}, "reason": "r"},
        {"op": "add", "item": "quote", "span": span_of("Officials counted 300 boats"), "value": {"kind": "unmarked"},
         "reason": "r"},
        {"op": "fix", "item": "figure", "span": span_of("300"), "value": {"unit": "boats", "kind": "count"},
         "reason": "r"},
        {"op": "fix", "item": "entity", "span": span_of("Paris"), "value": {"type": "PLACE"}, "reason": "r"},
        {"op": "delete", "item": "mention", "span": span_of("Smith", 1), "reason": "r"},
        {"op": "fix", "item": "article", "was": {"outlet": {"name": "Wrong Outlet"}},
         "value": {"outlet": {"name": "Right Outlet", "domain": "right.example"}}, "reason": "r"},
    ]}}})
    scores = _by_field(score_curation([make_article()], curation))
    # quotes: the automatic one has the wrong speaker (0 correct of 1), the curated release has 2
    assert (scores["quotes"].automatic, scores["quotes"].curated, scores["quotes"].correct) == (1, 2, 0)
    assert scores["figures"].precision == 0.0 and scores["figures"].recall == 0.0
    # entities: 3 automatic mentions; Paris retyped (wrong), one Smith deleted (false positive), John Smith right
    assert (scores["entities"].automatic, scores["entities"].curated, scores["entities"].correct) == (3, 2, 1)
    assert scores["entities"].precision == 1 / 3 and scores["entities"].recall == 0.5
    assert (scores["outlet"].correct, scores["title"].correct) == (0, 1)
    table = accuracy_table(score_curation([make_article()], curation))
    assert "| quotes | span + speaker | 1 | 2 | 0 | 0.0% | 0.0% |" in table
    assert "| date | ISO date | 0 | 0 | 0 | n/a | n/a |" in table


def test_articles_outside_the_curation_file_are_not_scored():
    other = make_article(id="fedcba9876543210")
    curation = CurationFile.model_validate({"curation_version": 1, "articles": {AID: {"corrections": []}}})
    assert _by_field(score_curation([make_article(), other], curation))["quotes"].automatic == 1
