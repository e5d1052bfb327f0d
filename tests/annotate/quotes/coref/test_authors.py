"""The writer behind "I" (annotate/quotes/coref/authors.py): named by a letter's signature, a closing byline or a
book excerpt's credit line, and by nothing else."""

from __future__ import annotations

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp
from newsfacts.annotate.quotes import find_quotes


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def speaker_of(nlp, text: str, words: str):
    doc = nlp(text)
    quotes = [q for q in find_quotes(doc, find_entities(doc)) if words in q.text]
    assert quotes, "no quote found"
    return quotes[0].speaker


OP_ED = (
    "Programs for autistic adults vary from state to state.\n\n"
    "I met the governor last week to ask about housing. \"Your Honor,\" I said, \"our children need homes.\"\n\n"
    "Groundbreaking ideas cannot come too soon for my family.\n\n"
)


def test_a_closing_byline_names_the_writer(nlp):
    speaker = speaker_of(nlp, OP_ED + "Cindy Godwin is a retired marketing executive in Tucson.", "Your Honor")
    assert speaker.kind == "pronoun" and speaker.mention.text == "I"
    assert speaker.name == "Cindy Godwin"


def test_without_a_byline_i_stays_unnamed(nlp):
    speaker = speaker_of(nlp, OP_ED + "The deadline to compete is March 1.", "Your Honor")
    assert speaker.mention.text == "I" and speaker.name is None


def test_a_credit_line_names_the_author_of_an_excerpt(nlp):
    text = OP_ED + "From STEALING AMERICA by Dinesh Souza. Copyright 2015 by Dinesh Souza."
    speaker = speaker_of(nlp, text, "Your Honor")
    assert speaker.name == "Dinesh Souza"


def test_a_letter_is_signed_by_the_line_after_it(nlp):
    text = (
        "LETTERS.\n\n"
        "The attorney general is suing the university. \"You sell feelings,\" I wrote to the board last year.\n\n"
        "Martin Litwak.\n\n"
        "Olympia, Wash.\n\n"
        "Everyone can see this is a fraud.\n\n"
        "Ernie Helton."
    )
    speaker = speaker_of(nlp, text, "You sell feelings")
    assert speaker.name == "Martin Litwak"
