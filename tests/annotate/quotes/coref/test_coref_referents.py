"""Pronoun speakers (annotate/quotes/coref/): which person a "he said" / "she said" puts the words in the mouth of.

Each text is synthetic and states one rule; the rule's comment in coref.py says why it holds in news copy."""

from __future__ import annotations

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp
from newsfacts.annotate.quotes import find_quotes


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def speaker(nlp, text: str, fragment: str):
    doc = nlp(text)
    quotes = [q for q in find_quotes(doc, find_entities(doc)) if fragment in q.text]
    assert quotes, f"no quote containing {fragment!r}"
    found = quotes[0].speaker
    assert found is not None and found.kind == "pronoun", found
    assert text[found.mention.start : found.mention.end] == found.mention.text
    return found


def test_the_main_clause_subject_not_the_one_it_reports_on(nlp):
    # "X said Y had ...": X speaks next, though Y is the later subject.
    text = 'Jane Roe said Mary Poe had misled the voters.\n\n"It was a disgrace," she said.'
    assert speaker(nlp, text, "disgrace").name == "Jane Roe"


def test_a_name_that_only_modifies_the_subject_is_not_the_subject(nlp):
    # "Bill Jones's campaign called it reckless": the campaign is the subject, not Bill Jones.
    text = (
        'Tom Smith criticised the plan on Monday. Bill Jones\'s campaign called it reckless.\n\n'
        '"It will fail," he said.'
    )
    assert speaker(nlp, text, "It will fail").name == "Tom Smith"


def test_a_chain_of_pronouns_leads_back_to_the_name(nlp):
    text = (
        'Don Fowler spoke to reporters after the debate.\n\n'
        'He added that Clinton had been right about the economy.\n\n'
        '"It is something you would be a fool not to prepare for," he said.'
    )
    assert speaker(nlp, text, "a fool not to").name == "Don Fowler"


def test_gender_learned_from_the_articles_own_he_and_she(nlp):
    # No honorific says who Pat Morgan is; "Pat Morgan says she will run" does.
    text = (
        'Pat Morgan says she will run for the Senate next year. Pat Morgan met Chris Lane on Tuesday.\n\n'
        '"We talked about the budget," he said.'
    )
    assert speaker(nlp, text, "talked about the budget").name == "Chris Lane"


def test_a_definite_description_is_the_person_introduced_with_all_its_words(nlp):
    text = (
        'Republican presidential nominee Donald Trump spoke in Ohio on Monday.\n\n'
        'Democratic vice presidential nominee Tim Kaine spoke in Virginia on the same day.\n\n'
        'The Republican nominee also outlined his plan for the military.\n\n'
        '"It will be the strongest military ever," he said.'
    )
    assert speaker(nlp, text, "strongest military").name == "Donald Trump"


def test_according_to_names_who_the_sentence_is_attributed_to(nlp):
    text = (
        'Officials met on Monday.\n\n'
        'According to Norman Ham, the administration has shuffled through its military leaders.\n\n'
        '"We are on our fourth secretary of defense," he said.'
    )
    assert speaker(nlp, text, "fourth secretary").name == "Norman Ham"


def test_an_unnamed_person_as_subject_leaves_the_pronoun_unnamed(nlp):
    # "My mother ... she said": never the earlier named person.
    text = (
        'Tom Reed wrote to the newspaper last week.\n\n'
        'My mother laughed at the idea.\n\n'
        '"We are not all meant to be equal," she said.'
    )
    found = speaker(nlp, text, "meant to be equal")
    assert found.name is None and found.mention.text == "she"


def test_the_subject_of_a_relative_clause_on_a_name(nlp):
    text = (
        'Lily Batchelder said the plan was flawed.\n\n'
        'It has become an issue in the campaign, with Hillary Clinton, who has called for higher taxes on the '
        'rich, attacking the plan.\n\n'
        '"It is trickle-down economics all over again," she said.'
    )
    assert speaker(nlp, text, "trickle-down").name == "Hillary Clinton"
