"""Applying a curation file: add / delete / fix / known errors, marks, and corrections that no longer fit."""

from __future__ import annotations

import pytest

from newsfacts.curation import CurationError, CurationFile, apply_curation, load_curation
from newsfacts.models import Article
from curation_cases import AID, make_article, span_of

def _curate(*corrections: dict, article: Article | None = None):
    curation = CurationFile.model_validate(
        {"curation_version": 1, "articles": {AID: {"corrections": [{"reason": "test", **c} for c in corrections]}}})
    articles, report = apply_curation([article or make_article()], curation)
    return articles[0], report


def test_fix_quote_speaker_marks_the_quote_fixed():
    speaker = {"name": "John Smith", "mention": span_of("John Smith"), "kind": "name", "entity_id": "p:john"}
    article, report = _curate({"op": "fix", "item": "quote", "span": span_of("we will win"),
                               "value": {"speaker": speaker}})
    assert report.problems == []
    assert article.quotes[0].speaker.name == "John Smith"
    assert article.quotes[0].curation == "fixed"
    assert article.quotes[0].text == "we will win"  # untouched fields kept


def test_add_figure_and_quote_are_marked_added_and_inserted_in_reading_order():
    article, report = _curate(
        {"op": "fix", "item": "figure", "span": span_of("300"), "value": {"kind": "count", "unit": "boats"}},
        {"op": "add", "item": "quote", "span": span_of("Officials counted 300 boats"),
         "value": {"kind": "unmarked", "cue": span_of("said", 1),
                   "speaker": {"name": "John Smith", "mention": span_of("Smith", 1), "kind": "name"}}},
    )
    assert report.problems == [], report.problems
    assert [q.curation for q in article.quotes] == [None, "added"]
    assert article.figures[0].unit == "boats" and article.figures[0].curation == "fixed"
    assert report.counts[("quote", "added")] == 1 and report.counts[("figure", "fixed")] == 1


def test_delete_entity_and_add_entity_and_mention():
    article, report = _curate(
        {"op": "delete", "item": "entity", "span": span_of("Paris")},
        {"op": "add", "item": "entity", "span": span_of("Paris"), "value": {"name": "Paris", "type": "PLACE"}},
        {"op": "add", "item": "mention", "entity": "p:john", "span": span_of("John")},
    )
    # "John" overlaps no mention span exactly: it is added to John Smith
    assert report.problems == [], report.problems
    paris = next(e for e in article.entities if e.name == "Paris")
    assert paris.type == "PLACE" and paris.curation == "added" and paris.id.startswith("nf:place:paris:")
    john = next(e for e in article.entities if e.id == "p:john")
    assert john.curation == "fixed"
    assert [(m.text, m.curation) for m in john.mentions] == [("John Smith", None), ("John", "added"), ("Smith", None)]
    assert report.counts[("entity", "deleted")] == 1


def test_delete_quote_and_figure():
    article, report = _curate({"op": "delete", "item": "quote", "span": span_of("we will win")},
                              {"op": "delete", "item": "figure", "span": span_of("300")})
    assert report.problems == [] and article.quotes == [] and article.figures == []


def test_known_errors_added_with_span_and_deleted():
    article, report = _curate(
        {"op": "add_known_error", "span": span_of("Paris"), "value": {"kind": "factual_slip", "message": "not Paris"}},
        {"op": "delete", "item": "known_error", "value": {"kind": "no_date"}},
    )
    assert report.problems == []
    [error] = article.known_errors
    assert (error.kind, error.curation, error.span.text) == ("factual_slip", "added", "Paris")


def test_fix_article_metadata_records_curated_fields():
    article, report = _curate({"op": "fix", "item": "article", "was": {"outlet": {"domain": "wrong.example"}},
                               "value": {"outlet": {"name": None, "domain": None}, "original_source": "AFP"}})
    assert report.problems == []
    assert article.outlet.name is None and article.original_source == "AFP"
    assert article.curated_fields == ["outlet", "original_source"]


def test_a_correction_whose_span_no_longer_matches_the_text_is_stale_and_not_applied():
    moved = {"start": 0, "end": 11, "text": "we will win"}  # the text at 0:11 is "Title here\n"
    article, report = _curate({"op": "delete", "item": "quote", "span": moved})
    [problem] = report.problems
    assert problem.status == "stale" and "'Title here\\n'" in problem.detail
    assert len(article.quotes) == 1  # untouched


def test_a_nested_span_that_does_not_match_is_stale():
    bad_mention = {"start": 0, "end": 5, "text": "Smith"}
    _, report = _curate({"op": "fix", "item": "quote", "span": span_of("we will win"),
                         "value": {"speaker": {"name": "John Smith", "mention": bad_mention, "kind": "name"}}})
    assert [p.status for p in report.problems] == ["stale"]


def test_corrections_the_output_no_longer_needs_or_fits_are_reported():
    _, report = _curate(
        {"op": "add", "item": "quote", "span": span_of("we will win"), "value": {"kind": "full"}},  # already there
        {"op": "delete", "item": "figure", "span": span_of("boats")},  # no figure there
        {"op": "fix", "item": "article", "was": {"outlet": {"domain": "other.example"}}, "value": {"title": "T"}},
        {"op": "fix", "item": "figure", "span": span_of("300"), "value": {"kind": "nonsense"}},
    )
    assert [p.status for p in report.problems] == ["redundant", "unmatched", "unmatched", "invalid"]


def test_unknown_article_is_stale():
    curation = CurationFile.model_validate({"curation_version": 1, "articles": {"f" * 16: {"corrections": [
        {"op": "add_known_error", "value": {"kind": "x", "message": "y"}, "reason": "r"}]}}})
    _, report = apply_curation([make_article()], curation)
    assert [p.status for p in report.problems] == ["stale"]


@pytest.mark.parametrize("correction, message", [
    ({"op": "fix", "item": "quote", "value": {"kind": "full"}, "reason": "r"}, "needs a span"),
    ({"op": "add", "item": "article", "value": {}, "reason": "r"}, "does not apply"),
    ({"op": "delete", "item": "quote", "span": {"start": 0, "end": 3, "text": "ab"}, "reason": "r"}, "characters long"),
    ({"op": "delete", "item": "quote", "span": {"start": 0, "end": 2, "text": "ab"}}, "reason"),
])
def test_invalid_curation_files_are_refused(tmp_path, correction, message):
    import yaml

    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"curation_version": 1, "articles": {AID: {"corrections": [correction]}}}))
    with pytest.raises(CurationError, match=message):
        load_curation(path)


def test_unsupported_curation_version_is_refused(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("curation_version: 2\narticles: {}\n")
    with pytest.raises(CurationError, match="not supported"):
        load_curation(path)
