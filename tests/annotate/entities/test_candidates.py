"""Step 1 of entity finding: mentions cut to the name itself (CoNLL-2003 boundaries), with exact offsets."""

from __future__ import annotations

import json

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.entities.candidates import Candidate, clean_candidate
from newsfacts.annotate.nlp import load_nlp
from tests_paths import REPO

GOLD = REPO / "eval" / "gold" / "entities" / "docs"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _clean(text, start, end, entity_type="PLACE"):
    return [text[c.start:c.end] for c in clean_candidate(text, Candidate(start, end, entity_type, ("GPE",)))]


def test_span_across_paragraph_break_keeps_the_name():
    text = "He posted on X.\n\nSeoul's spy agency said"
    start = text.index("X.")
    assert _clean(text, start, text.index("'s") + 2) == ["Seoul"]


def test_determiner_possessive_and_quotes_are_trimmed():
    text = 'as "the White House\'s" view'
    assert _clean(text, text.index('"'), text.index(" view"), "ORG") == ["White House"]


def test_title_is_not_part_of_a_person_name():
    text = "said President Vladimir Putin today"
    assert _clean(text, text.index("President"), text.index(" today"), "PERSON") == ["Vladimir Putin"]


def test_dash_and_bracket_split_two_names():
    text = "Alan Milburn - the man, and Partridge (Motherwell), played"
    assert _clean(text, 0, text.index(" man"), "PERSON") == ["Alan Milburn"]
    start = text.index("Partridge")
    assert _clean(text, start, text.index("),"), "ORG") == ["Partridge", "Motherwell"]


def test_mentions_are_exact_offsets_in_every_gold_text(nlp):
    for path in sorted(GOLD.glob("*.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        for entity in find_entities(nlp(text)):
            for m in entity.mentions:
                assert text[m.start:m.end] == m.text, (path.name, m)
                assert m.text == m.text.strip() and "\n" not in m.text
