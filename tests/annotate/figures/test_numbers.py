"""Number reading: digits, words, fractions, scales and vague quantities, with exact offsets."""

from __future__ import annotations

import pytest

from newsfacts.annotate.figures.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,500", 1500),
        ("10 000", 10000),
        ("30616.16", 30616.16),
        ("-1e-3", -0.001),
        ("2.48×10−5", 2.48e-5),
        ("8x2^10", 8192),
        ("2 1/2", 2.5),
        ("½", 0.5),
        ("2½", 2.5),
        ("0.5k", 500),
        ("3.5bn", 3.5e9),
        ("1.5 million", 1.5e6),
        ("a hundred and two", 102),
        ("three million, two hundred & forty", 3000240),
        ("twenty-one", 21),
        ("two and a half", 2.5),
        ("one sixth", 1 / 6),
        ("two thirds", 2 / 3),
        ("three halves", 1.5),
        ("one-half", 0.5),
        ("a dozen", 12),
        ("five thousand", 5000),
        ("zero", 0),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("text", ["fifth", "the", "1/0", "I7", "hello"])
def test_not_a_number(text):
    assert parse_number(text) is None


def test_offsets_point_at_the_number():
    text = "North Korea has sent 1,500 more soldiers and about two thousand tanks."
    mentions = find_numbers(text)
    assert [text[m.start : m.end] for m in mentions] == ["1,500", "two thousand"]
    assert [m.value for m in mentions] == [1500, 2000]


def test_vague_quantities_are_marked_with_a_lower_bound():
    (mention,) = find_numbers("tens of thousands of people marched")
    assert mention.vague and mention.value == 20000


def test_space_grouping_does_not_join_separate_numbers():
    assert [m.value for m in find_numbers("245 23 yen")] == [245, 23]
    assert [m.value for m in find_numbers("0 490,607")] == [0, 490607]


def test_ordinal_word_is_not_a_number():
    assert find_numbers("NATO's fifth article on collective security") == []


def test_digits_glued_to_letters_are_not_read_from_the_middle():
    assert find_numbers("MACS J1149.5+6663") == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("half a million", 5e5),
        ("a quarter of a million", 2.5e5),
        ("two and a half million", 2.5e6),
        ("three quarters of a billion", 7.5e8),
        ("quarter million", 2.5e5),
        ("half a dozen", 6),
        ("12,34,567", 1234567),
        ("10,00,000", 1e6),
    ],
)
def test_fractions_of_scales_and_indian_grouping(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-9)


def test_half_is_a_number_only_as_a_share():
    assert [m.value for m in find_numbers("Half of voters agreed")] == [0.5]
    assert find_numbers("in the first half of the season") == []
    assert find_numbers("the company's half of the venture") == []


def test_ordinal_after_article_is_not_a_fraction():
    assert find_numbers("a third successive defeat") == []
    assert [m.value for m in find_numbers("a third of voters")] == [pytest.approx(1 / 3)]


def test_slash_numbers_that_are_not_fractions():
    assert find_numbers("his feature 06/05 and the 12/10 ruling") == []


def test_quarters_of_a_year_are_not_a_share():
    assert [m.value for m in find_numbers("over the next two quarters")] == [2]
    assert [m.value for m in find_numbers("three quarters of voters")] == [0.75]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.75 lakh crore", 1.75e12),
        ("Rs 500 crore", 5e9),
        ("2 lakh", 2e5),
        ("5 thousand crore", 5e10),
        ("two lakh crore", 2e12),
        ("a thousand million", 1e9),
        ("1.2bn", 1.2e9),
        ("3 mn", 3e6),
        ("4 trillion", 4e12),
    ],
)
def test_magnitude_words_of_every_numbering_system(text, value):
    (mention,) = [m for m in find_numbers(text) if m.end == len(text)]
    assert mention.value == pytest.approx(value)


def test_a_smaller_scale_after_a_larger_one_is_not_multiplied():
    assert parse_number("one million two thousand") == 1_002_000


@pytest.mark.parametrize(("text", "value"), [("dozens", 12), ("hundreds", 100), ("thousands", 1000), ("millions", 1e6), ("billions", 1e9)])
def test_approximate_plurals_are_vague_with_their_lower_bound(text, value):
    (mention,) = find_numbers(f"{text} of people")
    assert mention.vague and mention.value == value
