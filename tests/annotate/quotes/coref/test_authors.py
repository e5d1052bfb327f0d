"""The writer behind "I" (annotate/quotes/coref/authors.py): named by a letter's signature, a closing byline or a
book excerpt's credit line, and by nothing else."""

from __future__ import annotations


OP_ED = (
    "Programs for autistic adults vary from state to state.\n\n"
    "I met the governor last week to ask about housing. \"Your Honor,\" I said, \"our children need homes.\"\n\n"
    "Groundbreaking ideas cannot come too soon for my family.\n\n"
)


def test_a_closing_byline_names_the_writer(speaker_of):
    speaker = speaker_of(OP_ED + "Cindy Godwin is a retired marketing executive in Tucson.", "Your Honor")
    assert speaker.kind == "pronoun" and speaker.mention.text == "I"
    assert speaker.name == "Cindy Godwin"


def test_without_a_byline_i_stays_unnamed(speaker_of):
    speaker = speaker_of(OP_ED + "The deadline to compete is March 1.", "Your Honor")
    assert speaker.mention.text == "I" and speaker.name is None


def test_a_credit_line_names_the_author_of_an_excerpt(speaker_of):
    text = OP_ED + "From STEALING AMERICA by Dinesh Souza. Copyright 2015 by Dinesh Souza."
    speaker = speaker_of(text, "Your Honor")
    assert speaker.name == "Dinesh Souza"


def test_a_letter_is_signed_by_the_line_after_it(speaker_of):
    text = (
        "LETTERS.\n\n"
        "The attorney general is suing the university. \"You sell feelings,\" I wrote to the board last year.\n\n"
        "Martin Litwak.\n\n"
        "Olympia, Wash.\n\n"
        "Everyone can see this is a fraud.\n\n"
        "Ernie Helton."
    )
    speaker = speaker_of(text, "You sell feelings")
    assert speaker.name == "Martin Litwak"


def test_a_closing_byline_may_give_a_title_without_an_article(speaker_of):
    text = OP_ED + "Gabriel Arana is senior media editor at The Huffington Post."
    assert speaker_of(text, "Your Honor").name == "Gabriel Arana"


def test_a_closing_sentence_about_someone_doing_something_is_no_byline(speaker_of):
    # "is leading in" is what Trump does, not a title he holds: no writer named, "I" stays unnamed.
    speaker = speaker_of(OP_ED + "Donald Trump is leading in the polls.", "Your Honor")
    assert speaker.mention.text == "I" and speaker.name is None


def test_a_closing_sentence_opening_with_it_names_no_writer(speaker_of):
    speaker = speaker_of(OP_ED + "It is short of what the families of Tucson need.", "Your Honor")
    assert speaker.mention.text == "I" and speaker.name is None
