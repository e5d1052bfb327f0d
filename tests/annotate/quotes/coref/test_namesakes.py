"""People the entity step must tell apart before a pronoun can be resolved (annotate/entities/grouping.py): two
people of one surname. Shortened from cases of the PolNeAR train referents (eval/gold/polnear_referents_train/)."""

from __future__ import annotations

from newsfacts.annotate.entities import find_entities


def _entity_of(nlp, text: str, at: str, nth: int = 1) -> str:
    """The name of the entity the nth mention of the words `at` belongs to."""
    doc = nlp(text)
    start = -1
    for _ in range(nth):
        start = text.index(at, start + 1)
    return next(e.name for e in find_entities(doc) for m in e.mentions if m.start == start)


CLINTONS = (
    "The primary season moved south this week, and both campaigns turned to black voters in the cities.\n\n"
    "Hillary Clinton campaigned in Harlem on Tuesday, a week before the South Carolina primary. Her rival toured "
    "the state.\n\n"
)


def test_a_bare_surname_paragraphs_after_a_namesake_is_the_person_named_first(nlp):
    # Bill Clinton comes back by his full name; "Clinton" a paragraph later is the article's own Clinton.
    text = CLINTONS + (
        "Many older voters there still remember Bill Clinton's years in office with fondness.\n\n"
        "Speaking at a church, Clinton accused Sanders of arriving late to racial justice issues."
    )
    assert _entity_of(nlp, text, "Clinton accused") == "Hillary Clinton"


def test_a_headline_does_not_make_a_namesake_the_first_named(nlp):
    # "Classy Henman" in the headline is wordplay; the article's Henman is the one its body names first.
    text = (
        "Classy Henman makes winning start\n\n"
        "Tim Henman beat Ivo Minar in straight sets on Tuesday. His brother Paul Henman watched from the stands.\n\n"
        "Henman will face the seventh seed next."
    )
    assert _entity_of(nlp, text, "Henman will") == "Tim Henman"


def test_a_bare_surname_in_the_paragraph_of_a_namesake_is_that_namesake(nlp):
    text = CLINTONS + (
        "Bill Clinton spoke in Iowa the same day, and Clinton drew a large crowd of older voters there."
    )
    assert _entity_of(nlp, text, "Clinton drew") == "Bill Clinton"
