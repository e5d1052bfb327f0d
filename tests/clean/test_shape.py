"""What the cleaner reads from a text's shape before removing anything (newsfacts.clean.shape)."""

from __future__ import annotations

import pytest

from newsfacts.clean.blocks import split_blocks
from newsfacts.clean.shape import (
    is_headline_line,
    is_place_dateline,
    is_table_row,
    menu_lines,
    read_shape,
)


@pytest.mark.parametrize("line", [
    "Lotte 6 Hyundai 2",
    "1. Jesper Ronnback ( Sweden ) 25.76 points",
    "Haitai 64 2 43 .596 -",
    "1\tKyle Busch\t5040\t5\t1\t17\t27",
])
def test_table_rows(line):
    assert is_table_row(line)


@pytest.mark.parametrize("line", [
    "October 2019 (1)",  # an archive link
    "1 - 5",
    "The minister said 12 people were hurt on Friday in the capital of the region .",
    "Home",
])
def test_not_table_rows(line):
    assert not is_table_row(line)


@pytest.mark.parametrize("line", ["LONDON 1996-08-30", "AL-AIN , United Arab Emirates 1996-12-06",
                                  "ST. LOUIS 1996-08-30"])
def test_place_datelines(line):
    assert is_place_dateline(line)


@pytest.mark.parametrize("line", ["Updated 1996-08-30", "November 20, 2019", "Published 11:11 PM EST Nov 19, 2019",
                                  "The talks ended on 1996-08-30 without a deal ."])
def test_not_place_datelines(line):
    assert not is_place_dateline(line)


def test_menu_run_is_furniture_but_fixtures_are_not():
    menu = split_blocks("Home\nWorld\nBusiness\nSport\nCulture\nOpinion\n\nThe story starts here and goes on.")
    assert menu_lines(menu) == {0, 1, 2, 3, 4, 5}
    fixtures = split_blocks("Burnley v Liverpool\nWatford v Fulham\nIpswich v Bolton\nCoventry v Crewe\nRotherham v Yeovil")
    assert menu_lines(fixtures) == set()


def test_shape_of_article_text_and_of_a_page():
    story = split_blocks("Headline of the story\n\nThe first paragraph says what happened.\n\nA second one.")
    assert not read_shape(story).has_furniture
    page = split_blocks("Home\nNews\nSport\nWeather\nVideo\n\nA headline of several words\n\nThe story says what happened.\n\n"
                        "Share this article\n\nAccept cookies\n\nPrivacy policy")
    shape = read_shape(page)
    assert shape.is_page and shape.menu_lines == 5 and shape.pattern_lines >= 3


def test_headline_lines():
    blocks = split_blocks("SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .\nAL-AIN , United Arab Emirates 1996-12-06\n"
                          "Japan began the defence of their Asian Cup title with a lucky 2-1 win .")
    assert is_headline_line(blocks[0], blocks[1])
    sentence = split_blocks("The talks ended without a deal.\n\nBoth sides will meet again.")
    assert not is_headline_line(sentence[0], sentence[1])
    wire = split_blocks("Canada government cash balances fall in week .\nOTTAWA 1996-08-30\nThe balances fell .")
    assert is_headline_line(wire[0], wire[1])
