"""People the entity step must tell apart before a pronoun can be resolved (annotate/entities/: grouping.py,
labels.py): two people of one surname, and a person's name typed as an organisation. Shortened from cases of
the PolNeAR train referents (eval/gold/polnear_referents_train/)."""

from __future__ import annotations

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.entities.candidates import Candidate
from newsfacts.annotate.entities.kb import load_kb
from newsfacts.annotate.entities.labels import relabel


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


def test_a_bare_surname_in_the_paragraph_of_a_namesake_is_that_namesake(nlp):
    text = CLINTONS + (
        "Bill Clinton spoke in Iowa the same day, and Clinton drew a large crowd of older voters there."
    )
    assert _entity_of(nlp, text, "Clinton drew") == "Bill Clinton"


def _types(text: str, spans: list[tuple[str, str]]) -> dict[str, str]:
    """The type relabel gives each (surface, spaCy type) candidate, by surface (first occurrence each)."""
    candidates, position = [], 0
    for surface, kind in spans:
        start = text.index(surface, position)
        candidates.append(Candidate(start, start + len(surface), kind, (kind,)))
        position = start + len(surface)
    return {text[c.start:c.end]: c.type for c in relabel(text, candidates, load_kb())}


def test_a_name_the_article_shortens_to_its_last_word_is_a_person():
    text = "Carly Fiorina said Monday that Trump is on solid ground. Fiorina told the hosts it is not the way to win."
    assert _types(text, [("Carly Fiorina", "ORG"), ("Fiorina", "ORG")]) == {
        "Carly Fiorina": "PERSON", "Fiorina": "PERSON"}


def test_an_organisation_named_for_a_place_stays_an_organisation():
    # "France" alone is the country, not a surname: "Air France" keeps its type.
    text = "Air France cut flights on Monday. France said the strike would end soon."
    assert _types(text, [("Air France", "ORG"), ("France", "GPE")])["Air France"] == "ORG"
