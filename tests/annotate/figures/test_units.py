"""Units and currencies around a number: symbols, products of units, currency codes, scales, pounds."""

from __future__ import annotations

import pytest


def test_glued_temperature_and_article_units(figures_of):
    figures = figures_of("Temperatures hit 40C in London, and oil rose $2 a barrel, a gallon of petrol cost $4.")
    assert [(f.value, f.unit) for f in figures] == [(40, "degree Celsius"), (2, "USD per barrel"), (1, "gallon"), (4, "USD")]


@pytest.mark.parametrize(
    "sentence, value, unit",
    [
        ("The wind farm produced 7.3 MWh on its first day.", 7.3, "megawatt hour"),
        ("Each home used 9 kW·h last winter.", 9, "kilowatt hour"),
        ("The engine delivers 400 Nm of torque.", 400, "newton metre"),
        ("The phone has a 5,000mAh battery.", 5000, "milliampere hour"),
        ("The action is measured at 45 Js.", 45, "joule second"),
        ("The village is 20 kms from the border.", 20, "kilometre"),
        ("Trains will run at 160 km/h on the new line.", 160, "kilometre per hour"),
        ("Homes were offered 50Mbps broadband.", 50, "megabit per second"),
        ("Samsung showed a 7-megapixel phone at the fair.", 7, "megapixel"),
        ("Matter at absolute zero has no thermal motion.", 0, "kelvin"),
    ],
)
def test_compound_and_named_units(figures_of, sentence, value, unit):
    (figure,) = figures_of(sentence)
    assert (figure.value, figure.kind, figure.unit) == (value, "measure", unit)


def test_lower_case_word_is_not_a_product_of_symbols(figures_of):
    (figure,) = figures_of("A man who set up two sham weddings was jailed.")
    assert (figure.kind, figure.unit) == ("count", "sham weddings")


def test_pounds_are_money_or_mass_by_context(figures_of):
    (money,) = figures_of("The club paid 50 million pounds for the striker.")
    assert (money.kind, money.unit) == ("money", "GBP")
    (mass,) = figures_of("Police seized 200 pounds of cocaine at the port.")
    assert (mass.kind, mass.unit) == ("measure", "pound")
    (weight,) = figures_of("She lost 25 pounds after changing her diet.")
    assert (weight.kind, weight.unit) == ("measure", "pound")


@pytest.mark.parametrize(
    "sentence, value, unit",
    [
        ("Net profit was 143m euros in the quarter.", 143e6, "EUR"),
        ("The fund is worth RM5 billion.", 5e9, "MYR"),
        ("The project will cost Rs500 crore.", 5e9, "INR"),
        ("Losses in excess of 30 MUSD were reported.", 30e6, "USD"),
        ("They paid 75 USD million for the stake.", 75e6, "USD"),
        ("The ticket cost 10 rmb.", 10, "CNY"),
        ("The loan came to 12,34,567 rupees.", 1234567, "INR"),
        ("The government will spend 1bn CFA francs a month.", 1e9, "XAF per month"),
        ("It cost half a million dollars.", 5e5, "USD"),
        ("A quarter of a million pounds was raised.", 2.5e5, "GBP"),
        ("The coffee cost 3 dollars 50 cents.", 3.5, "USD"),
    ],
)
def test_currencies(figures_of, sentence, value, unit):
    (figure,) = figures_of(sentence)
    assert (figure.kind, figure.unit) == ("money", unit) and figure.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("The government announced a package of Rs 1.75 lakh crore for farmers.", "Rs 1.75 lakh crore", 1.75e12, "INR"),
        ("The state will spend Rs 500 crore on roads.", "Rs 500 crore", 5e9, "INR"),
        ("Each school gets Rs 2 lakh this year.", "Rs 2 lakh", 2e5, "INR"),
        ("The company raised $1.2bn from investors.", "$1.2bn", 1.2e9, "USD"),
        ("The club was fined £3m by the league.", "£3m", 3e6, "GBP"),
        ("The debt reached $4 trillion last year.", "$4 trillion", 4e12, "USD"),
        ("Donors gave 4 thousand dollars.", "4 thousand dollars", 4e3, "USD"),
        ("It will cost two lakh crore rupees.", "two lakh crore rupees", 2e12, "INR"),
    ],
)
def test_magnitude_words_keep_the_currency(figures_of, sentence, text, value, unit):
    (figure,) = figures_of(sentence)
    assert (figure.text, figure.kind, figure.unit) == (text, "money", unit)
    assert figure.value == pytest.approx(value)
