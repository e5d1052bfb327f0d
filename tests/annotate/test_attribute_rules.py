"""The attribute ruler's faster matcher (newsfacts.annotate.attribute_rules) finds what spaCy's Matcher finds."""

from __future__ import annotations

import pytest
import spacy
from spacy.attrs import LEMMA, MORPH, POS, TAG

from newsfacts.annotate.attribute_rules import AttributeRuleMatcher, UnsupportedRule, speed_up_attribute_ruler
from newsfacts.annotate.nlp import model_name

TEXTS = [
    "I ain't gonna do it, you know. But we won't.  \n\n Y'all wanna go? He's gotta be there. 'Cause I said so.",
    "The minister said on Tuesday that about 1,500 more soldiers would be sent to the border by December.",
    "\"We will not give up,\" said Ana Costa, the union's leader, after 12 hours of talks in Lisbon.",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def model():
    return spacy.load(model_name())


def test_the_same_matches_and_annotations_as_the_matcher(model):
    ruler = model.get_pipe("attribute_ruler")
    fast = AttributeRuleMatcher(ruler)
    with model.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(model.pipe(TEXTS))
    for doc in docs:
        assert fast.match(doc) == ruler.match(doc)
        by_matcher, by_fast = doc.copy(), doc.copy()
        ruler.set_annotations(by_matcher, ruler.match(by_matcher))
        ruler.set_annotations(by_fast, fast.match(by_fast))
        assert (by_matcher.to_array([POS, TAG, MORPH]) == by_fast.to_array([POS, TAG, MORPH])).all()
    # the first text's exceptions are found at all ("ai" + "n't" -> be; "gon" "na")
    assert any(end - start == 2 for _, _, start, end in fast.match(docs[0]))


def test_a_sped_up_pipeline_annotates_as_before():
    plain = spacy.load(model_name())
    sped = spacy.load(model_name())
    assert speed_up_attribute_ruler(sped)
    for before, after in zip(plain.pipe(TEXTS), sped.pipe(TEXTS)):
        assert (before.to_array([POS, TAG, MORPH, LEMMA]) == after.to_array([POS, TAG, MORPH, LEMMA])).all()


def test_a_rule_it_cannot_read_keeps_the_matcher():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "can"}, {"LOWER": "not", "OP": "?"}]], {"LEMMA": "can"})
    with pytest.raises(UnsupportedRule):
        AttributeRuleMatcher(ruler)
    assert not speed_up_attribute_ruler(nlp)
    ruler2 = spacy.blank("en").add_pipe("attribute_ruler")
    ruler2.add([[{"LENGTH": 3}]], {"LEMMA": "x"})
    with pytest.raises(UnsupportedRule):
        AttributeRuleMatcher(ruler2)
