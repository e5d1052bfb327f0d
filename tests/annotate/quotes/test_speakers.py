"""Who speaks (annotate/quotes/speakers.py): cases from the PolNeAR train sample of issue 14."""

from __future__ import annotations

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp
from newsfacts.annotate.quotes import find_quotes


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_a_relative_pronoun_parsed_as_a_second_subject_does_not_speak(nlp):
    # spaCy gives "said" two subjects, "which" and "she": "which" belongs to "represented", "she" says it.
    text = (
        "Hillary Clinton served as secretary of state.\n\n"
        "The documents included 44 emails that were not among some 55,000 pages of emails that Mrs. Clinton had "
        "previously given to the State Department, which she said represented all her ''work-related'' emails. The "
        "document release centers on discussions."
    )
    doc = nlp(text)
    quotes = [q for q in find_quotes(doc, find_entities(doc)) if "work-related" in q.text]
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.mention.text == "she"  # not "State Department"


def test_that_said_opening_a_clause_reports_nothing(nlp):
    text = (
        'At a rally this spring, Melania Trump described him as a man with a "great heart." (That said, she also '
        'noted, "When you attack him, he will punch back 10 times harder.")'
    )
    doc = nlp(text)
    quotes = [q for q in find_quotes(doc, find_entities(doc)) if "punch back" in q.text]
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.mention.text == "she" and quotes[0].speaker.name == "Melania Trump"


def test_all_she_could_do_was_is_said_by_her(nlp):
    text = (
        "Jennifer Shanklin has worked at the plant for 14 years.\n\n"
        'And when she saw the candidate talking about the plant on the news, all she could do was shout "Yessss!" '
        "at the TV."
    )
    doc = nlp(text)
    quotes = [q for q in find_quotes(doc, find_entities(doc)) if "Yessss" in q.text]
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.mention.text == "she" and quotes[0].speaker.name == "Jennifer Shanklin"


def test_a_sentence_ending_in_a_colon_attributes_the_quote_after_it_not_before(nlp):
    text = (
        "But his wife, Jane Sanders, offered a preview of the candidate's thinking in an interview.\n\n"
        '"If he\'s president, he wants to keep this movement going," she said. "If he\'s not president, he\'ll have '
        'to keep this movement going for a lot more reasons." Asked what that might look like, she said: "We\'ll '
        'figure that out, if and when."'
    )
    doc = nlp(text)
    quotes = [q for q in find_quotes(doc, find_entities(doc)) if "not president" in q.text]
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.name == "Jane Sanders"  # continued from "she said", not "that" of "look like"
