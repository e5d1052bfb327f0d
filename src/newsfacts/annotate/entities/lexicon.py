"""The word lists behind entity finding, loaded once (`data/entity_lexicon.yaml`: titles, roles,
determiners, organisation and event heads...; `data/entity_places.yaml`: countries), and the map from spaCy's
labels to the published entity types."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import yaml

from newsfacts.annotate.entities.kb import alias_key


# spaCy OntoNotes labels -> published entity types. Numeric labels (DATE, CARDINAL, MONEY...) are figures,
# not entities.
TYPE_OF_LABEL = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "PRODUCT": "PRODUCT",
    "LAW": "LAW",
    "WORK_OF_ART": "WORK",
}


@dataclass(frozen=True)
class Lexicon:
    person_titles: frozenset[str]
    person_roles: frozenset[str]
    determiners: frozenset[str]
    name_particles: frozenset[str]
    org_heads: frozenset[str]
    event_heads: frozenset[str]
    party_names: frozenset[str]
    org_nouns: frozenset[str]
    person_nouns: frozenset[str]
    portfolio_roles: frozenset[str]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("entity_lexicon.yaml").read_text("utf-8"))
    return Lexicon(**{key: frozenset(str(w).lower() for w in data[key]) for key in Lexicon.__dataclass_fields__})


@functools.lru_cache(maxsize=1)
def title_genders() -> dict[str, str]:
    """Word -> 'male' / 'female' for the honorifics ("mr.", "mrs.") and the gendered role and kin words
    ("spokeswoman", "husband") of quote_lexicon.yaml: one list for the pronoun rules' gender evidence and for
    telling namesakes apart here."""
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("quote_lexicon.yaml").read_text("utf-8"))
    return {str(word).lower(): gender for section in ("honorifics", "gendered_words")
            for gender in ("male", "female") for word in data[section][gender]}


def title_gender_before(text: str, start: int) -> str | None:
    """'male' / 'female' when the word right before `start` is a gendered honorific or role word ("Mrs.
    Clinton", "her husband, Bill Clinton"), else None."""
    before = text[max(0, start - 25):start].lower().replace(",", " ").split()
    if not before:
        return None
    genders = title_genders()
    return genders.get(before[-1]) or genders.get(re.sub(r"[’']s?$", "", before[-1]))


def title_gender(text: str, starts: Iterable[int]) -> str | None:
    """The gender the words right before the mentions starting at `starts` give ("spokeswoman Jane Doe", "his
    wife, Soon-Yi Previn"), when they agree; None when absent or contradictory. Only the word right before
    counts: in "her daughter at Allen's apartment" the daughter is not Allen."""
    found = {title_gender_before(text, start) for start in starts} - {None}
    return found.pop() if len(found) == 1 else None


@functools.lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("entity_places.yaml").read_text("utf-8"))
    return frozenset(alias_key(name) for name in data["countries"])
