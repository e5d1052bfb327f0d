"""The evidence of gender and personhood the article itself gives (annotate/quotes/coref/gender.py)."""

from __future__ import annotations

from newsfacts.annotate.quotes.coref.gender import agreement_votes, merged_votes, possessive_votes


def _name_at(names: set[str]):
    return lambda token: token.text if token.text in names else None


def test_a_possessive_in_its_subjects_clause_votes_for_the_subject(nlp):
    doc = nlp("Fiorina threw her support behind the senator on Wednesday.")
    assert possessive_votes(doc, _name_at({"Fiorina"}), lambda i: False) == {"Fiorina": {"male": 0, "female": 1}}


def test_a_possessive_after_another_name_casts_no_vote(nlp):
    doc = nlp("Trump attacked Fiorina over her record in business.")
    assert possessive_votes(doc, _name_at({"Trump", "Fiorina"}), lambda i: False) == {}


def test_a_parenthetical_she_said_casts_no_agreement_vote(nlp):
    doc = nlp("Verizon just finished laying fiber downtown, she said, to make sure anyone can watch.")
    assert agreement_votes(doc, _name_at({"Verizon"}), lambda i: False, lambda s, e: False) == {}


def test_votes_merge_entity_by_entity():
    merged = merged_votes({"a": {"male": 1, "female": 0}}, {"a": {"male": 0, "female": 2}, "b": {"male": 1, "female": 0}})
    assert merged == {"a": {"male": 1, "female": 2}, "b": {"male": 1, "female": 0}}
