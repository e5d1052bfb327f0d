"""Numbers that are not figures (dates, names, identifiers, furniture, events, references), and near misses that are."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "sentence",
    [
        "The summit took place on 21 October 2024 at 05:44 PM.",
        "Russia's 2022 invasion of Ukraine changed everything.",
        "Pyongyang and Moscow have been allies since World War II.",
        "This clause is reminiscent of NATO's fifth article on collective security.",
        "Call the newsroom on +44 20 7946 0958 for details.",
        "The F-16 jets flew over the border in the 1990s.",
    ],
)
def test_not_figures(figures_of, sentence):
    assert figures_of(sentence) == []


def test_furniture_numbers_are_not_figures(figures_of):
    text = "Tan KW\n0 490,607\nGood.\n\nViews: 0\n\n0\n\nShowing 0 of 0 comments\n\nSeoul sent 1,500 soldiers."
    assert [f.value for f in figures_of(text)] == [1500]


@pytest.mark.parametrize(
    "sentence",
    [
        "The 9/11 attacks changed air travel; the shop is open 24/7.",
        "The bill passed 52-48 in the Senate.",
        "The airline grounded its Boeing 737 Max fleet.",
        "It is one of the largest companies in the world.",
        "Visit https://example.com/story?id=305&page=2 for more.",
    ],
)
def test_more_not_figures(figures_of, sentence):
    assert figures_of(sentence) == []


def test_model_numbers_in_an_article_are_names(figures_of):
    figures = figures_of("Boeing unveils new 777 aircraft. The 777-200LR can carry as many as 300 passengers. The new 777 was rolled out in Seattle.")
    assert [f.value for f in figures] == [300]


@pytest.mark.parametrize(
    "sentence",
    [
        "The plane landed in Seattle at 2200 GMT.",
        "The tournament will take place from 9-15 January.",
        "A second reading could follow on 16 or 17 March.",
        "The single reached number two in the UK charts.",
        "Version 1.0 of the browser is available, and Firefox 1.0 is popular.",
        "Wales captain Gareth Thomas is out of the Six Nations.",
        "The highest-ranking rap act in the list was 50 Cent.",
        "Roddick won 6-7 (3-7) 6-3 6-3 in San Jose.",
        "Chelsea won 2-1 at Stamford Bridge.",
        "Readers had to go to a nearby internet caf&#233; to check e-mail.",
        "He and I were all class of '83.",
        "If I'd had a half-decent mark I would have stayed.",
        "The film entered the top 40 last week.",
        "Under-16s would not face the tests.",
        "The premiere of his last feature 06/05 was cancelled.",
        "The part number is 24703m212.",
        "Ministers called for action on the 2000 Millennium Declaration goals.",
        "The doubles rubber left Spain 2-1 ahead going into the final day.",
        "But from 0-2 down, Mirza broke serve twice.",
        "Wales twice threatened further scores but failed to find the line.",
    ],
)
def test_news_numbers_that_are_not_figures(figures_of, sentence):
    assert figures_of(sentence) == []


def test_small_counts_that_refer_back_are_not_figures(figures_of):
    assert figures_of("The two countries signed a pact, and all three leaders attended.") == []
    (troops,) = figures_of("The agency said two thousand troops had arrived.")
    assert troops.value == 2000
    (brigades,) = figures_of("Officials said two brigades had crossed the border.")
    assert brigades.value == 2 and brigades.unit == "brigades"


@pytest.mark.parametrize(
    "sentence",
    [
        "He joined the company in 2009 and left soon after.",
        "The 2009 election was close.",
        "She was secretary of state from 2009 to 2013.",
        "A twenty-something graduate from Leeds won the prize.",
        "The show is aimed at 30-somethings in cities.",
        "She finished fifth in the race.",
        "He was the 3rd to arrive.",
        "The meeting starts at 10:30 on Monday.",
        "The meeting ends at 3pm on Monday.",
        "She won gold over 60m hurdles in Birmingham.",
        "He reached the 100m final in Tokyo.",
        "She swam the 400m freestyle in Tokyo.",
        "She set a record in the 60m hurdles.",
    ],
)
def test_years_ages_ordinals_times_and_events_are_not_figures(figures_of, sentence):
    assert figures_of(sentence) == []


def test_a_length_is_still_a_figure_without_an_event_word(figures_of):
    (figure,) = figures_of("The wall is 60m long and runs over 100m of ground.")[:1]
    assert (figure.value, figure.unit) == (60, "metre")
    assert [f.hedge for f in figures_of("The fire spread over 60m of forest.")] == ["more_than"]
