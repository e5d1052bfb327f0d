"""Who claims a figure: cue verbs, "according to", relative pronouns, he/she, and what is never a claimant."""

from __future__ import annotations

import pytest


def test_claimant_subject_of_cue_verb(figures_of):
    (figure,) = figures_of("North Korea has sent 1,500 more soldiers to Russia, Seoul's spy agency told lawmakers.")
    assert figure.unit == "soldiers" and figure.claimant.name == "Seoul's spy agency"
    assert figure.claimant.mention.text == "Seoul's spy agency"


def test_claimant_according_to(figures_of):
    (figure,) = figures_of("According to Reuters, the army lost 300 tanks.")
    assert figure.claimant.name == "Reuters"


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("The report, which said 3.3 per cent of workers were affected, was published on Monday.", "The report"),
        ("Mr Smith, who said 3.3 per cent was too high, resigned.", "Mr Smith"),
    ],
)
def test_a_relative_pronoun_claimant_is_its_antecedent(figures_of, sentence, claimant):
    (figure,) = figures_of(sentence)
    assert figure.claimant is not None and figure.claimant.name == claimant
    assert figure.claimant.mention.text == claimant


@pytest.mark.parametrize(
    "sentence",
    [
        "Growth reached 3.3 per cent, which was strong.",
        "Growth reached 3.3 per cent, which they said was strong.",
        "According to them, inflation hit 3.3 per cent.",
        "He said inflation would hit 3.3 per cent.",  # no one named before "he"
    ],
)
def test_a_pronoun_alone_is_never_a_claimant(figures_of, sentence):
    (figure,) = figures_of(sentence)
    assert figure.claimant is None


def test_he_is_the_person_named_before(figures_of):
    (figure,) = figures_of("John Smith left on Friday. He said inflation would hit 3.3 per cent.")
    assert figure.claimant.name == "John Smith" and figure.claimant.mention.text == "He"


def test_a_figure_describing_the_subject_is_not_its_claim(figures_of):
    (figure,) = figures_of("The veteran, who has set world records on 18 occasions, said he was ready.")
    assert figure.value == 18 and figure.claimant is None
