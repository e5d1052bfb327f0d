"""Figures on news sentences and on the seed articles."""

from __future__ import annotations

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.figures import find_figures
from newsfacts.annotate.nlp import load_nlp
from newsfacts.evaluation import shared_dir

SEEDS = shared_dir() / "seeds"


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def figures_of(nlp):
    def run(text):
        doc = nlp(text)
        figures = find_figures(doc, find_entities(doc))
        for figure in figures:
            assert text[figure.start : figure.end] == figure.text
        return figures

    return run


def one(figures, value):
    matches = [f for f in figures if f.value == value]
    assert len(matches) == 1, figures
    return matches[0]


def test_count_with_counted_noun_and_hedge(figures_of):
    (figure,) = figures_of("The agency estimated the North could send around 12,000 soldiers in total.")
    assert (figure.text, figure.value, figure.kind, figure.unit, figure.hedge) == (
        "around 12,000 soldiers", 12000, "count", "soldiers", "about")


def test_money_with_scale_and_currency(figures_of):
    figures = figures_of("The firm raised $2 billion, €3.5m in Europe and 2 trillion won in Seoul.")
    assert [(f.value, f.kind, f.unit) for f in figures] == [(2e9, "money", "USD"), (3.5e6, "money", "EUR"), (2e12, "money", "KRW")]


def test_percent_and_percentage_points(figures_of):
    figures = figures_of("Unemployment rose by 2.5 percentage points to 7%.")
    points, percent = figures
    assert (points.value, points.kind, points.change) == (2.5, "percentage_points", "increase")
    assert (percent.value, percent.kind, percent.change) == (7, "percent", "to")


def test_ranges(figures_of):
    (miles,) = figures_of("The missiles can travel 25 to 40 miles.")
    assert (miles.value, miles.value_max, miles.unit) == (25, 40, "mile")
    (troops,) = figures_of("Officials expect between 10,000 and 12,000 troops.")
    assert (troops.value, troops.value_max, troops.text) == (10000, 12000, "between 10,000 and 12,000 troops")


def test_measures_and_negative_values(figures_of):
    figures = figures_of("Temperatures fell to -18 °C along a 300 km front, and 5,000 tonnes of grain were lost.")
    assert [(f.value, f.unit) for f in figures] == [(-18, "degree Celsius"), (300, "kilometre"), (5000, "tonne")]


def test_vague_quantity(figures_of):
    (figure,) = figures_of("Tens of thousands of people marched through the capital.")
    assert figure.vague and figure.value == 20000 and figure.unit == "people"


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


def test_claimant_subject_of_cue_verb(figures_of):
    (figure,) = figures_of("North Korea has sent 1,500 more soldiers to Russia, Seoul's spy agency told lawmakers.")
    assert figure.unit == "soldiers" and figure.claimant.name == "Seoul's spy agency"
    assert figure.claimant.mention.text == "Seoul's spy agency"


def test_claimant_according_to(figures_of):
    (figure,) = figures_of("According to Reuters, the army lost 300 tanks.")
    assert figure.claimant.name == "Reuters"


# ---- seeds (furniture stripped as the cleaning stage will) -------------------------------------------


def _seed_body(name: str, first: str, last: str) -> str:
    raw = next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return raw[raw.index(first) : raw.index(last) + len(last)]


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not found")


@needs_seeds
def test_seed_001(figures_of):
    figures = figures_of(_seed_body("001", "North Korea has sent", "deployed by December."))
    soldiers = one(figures, 1500)
    assert soldiers.unit == "soldiers" and soldiers.claimant.name == "Seoul's spy agency"
    assert one(figures, 10000).unit == "troops"


@needs_seeds
def test_seed_002(figures_of):
    figures = figures_of(_seed_body("002", "The West accused", "collective agreement”."))
    containers = one(figures, 10000)
    assert (containers.hedge, containers.unit) == ("at_least", "containers")
    assert "Defense Minister of South Korea" in containers.claimant.mention.text
    assert len(figures) == 1  # "fifth article" is an ordinal


@needs_seeds
def test_seed_003(figures_of):
    body = _seed_body("003", "Moscow, October 21, 2024", "regional instability.") + "\n\nViews: 0\n\n0\n"
    figures = figures_of(body)
    assert [f.value for f in figures] == [10000, 1500, 10000, 2]  # 2: "the two countries"
    estimate, first, _, _ = figures
    assert estimate.unit == "soldiers" and estimate.claimant.mention.text == "NIS analysis"
    assert (first.hedge, first.unit) == ("about", "soldiers")


@needs_seeds
def test_seed_004(figures_of):
    text = _seed_body("004", "Publish date:", "the embassy said in a statement.")
    figures = figures_of(text)
    assert not any(f.value in (0, 490607, 2022, 5, 44) for f in figures)
    special = [f for f in figures if f.value == 1500]
    assert special[0].unit == "special forces" and special[0].claimant.name == "Seoul's spy agency"
    around = one(figures, 12000)
    assert around.hedge == "about" and around.claimant.mention.text == "The agency"
    assert around.claimant.name == "Seoul's spy agency"
    about = next(f for f in special if f.text.startswith("About"))
    assert about.hedge == "about" and about.text == "About 1,500 North Korean special forces soldiers"


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


def test_glued_temperature_and_article_units(figures_of):
    figures = figures_of("Temperatures hit 40C in London, and oil rose $2 a barrel, a gallon of petrol cost $4.")
    assert [(f.value, f.unit) for f in figures] == [(40, "degree Celsius"), (2, "USD per barrel"), (1, "gallon"), (4, "USD")]


def test_frequency_and_change_on_counts(figures_of):
    (times,) = figures_of("The trains run four times per week.")
    assert (times.value, times.unit) == (4, "times per week")
    (troops,) = figures_of("Russia has lost more than 300,000 troops, according to British intelligence.")
    assert troops.change is None and troops.hedge == "more_than" and troops.claimant.name == "British intelligence"
