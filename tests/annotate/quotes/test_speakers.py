"""Who speaks (annotate/quotes/speakers.py): cases from the PolNeAR train sample of issue 14."""

from __future__ import annotations


def test_a_relative_pronoun_parsed_as_a_second_subject_does_not_speak(speaker_of):
    # spaCy gives "said" two subjects, "which" and "she": "which" belongs to "represented", "she" says it.
    text = (
        "Hillary Clinton served as secretary of state.\n\n"
        "The documents included 44 emails that were not among some 55,000 pages of emails that Mrs. Clinton had "
        "previously given to the State Department, which she said represented all her ''work-related'' emails. The "
        "document release centers on discussions."
    )
    speaker = speaker_of(text, "work-related")
    assert speaker.mention.text == "she"  # not "State Department"


def test_that_said_opening_a_clause_reports_nothing(speaker_of):
    text = (
        'At a rally this spring, Melania Trump described him as a man with a "great heart." (That said, she also '
        'noted, "When you attack him, he will punch back 10 times harder.")'
    )
    speaker = speaker_of(text, "punch back")
    assert speaker.mention.text == "she" and speaker.name == "Melania Trump"


def test_all_she_could_do_was_is_said_by_her(speaker_of):
    text = (
        "Jennifer Shanklin has worked at the plant for 14 years.\n\n"
        'And when she saw the candidate talking about the plant on the news, all she could do was shout "Yessss!" '
        "at the TV."
    )
    speaker = speaker_of(text, "Yessss")
    assert speaker.mention.text == "she" and speaker.name == "Jennifer Shanklin"


def test_a_sentence_ending_in_a_colon_attributes_the_quote_after_it_not_before(speaker_of):
    text = (
        "But his wife, Jane Sanders, offered a preview of the candidate's thinking in an interview.\n\n"
        '"If he\'s president, he wants to keep this movement going," she said. "If he\'s not president, he\'ll have '
        'to keep this movement going for a lot more reasons." Asked what that might look like, she said: "We\'ll '
        'figure that out, if and when."'
    )
    speaker = speaker_of(text, "not president")
    assert speaker.name == "Jane Sanders"  # continued from "she said", not "that" of "look like"
