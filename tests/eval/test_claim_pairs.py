"""The hand-labelled claim pairs (eval/gold/claim_pairs): format, size, the seed cases, and the resolver."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[2] / "eval" / "gold" / "claim_pairs"


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location("claim_pairs_check", FOLDER / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pairs(check):
    return check.load_pairs()


def test_every_line_keeps_the_format(check, pairs):
    problems = [p for kind, rows in pairs.items() for n, pair in enumerate(rows, 1)
                for p in check.format_problems(kind, n, pair)]
    assert problems == []


def test_enough_pairs_and_positives(pairs):
    figures, quotes = pairs["figures"], pairs["quotes"]
    assert len(figures) >= 200 and sum(p["same"] for p in figures) >= 60
    assert len(quotes) >= 100 and sum(p["same"] for p in quotes) >= 35
    for rows in (figures, quotes):
        assert {p[side]["corpus"] for p in rows for side in "ab"} == {"seeds", "bbc"}


def test_no_pair_twice(pairs):
    for rows in pairs.values():
        keys = [frozenset((p[s]["file"], p[s]["start"], p[s]["end"], p[s].get("caption")) for s in "ab") for p in rows]
        assert len(keys) == len(set(keys))


def _label(rows, text_a, text_b):
    found = [p["same"] for p in rows if {p["a"]["text"], p["b"]["text"]} == {text_a, text_b}]
    assert len(found) == 1, (text_a, text_b)
    return found[0]


def test_the_seed_cases_of_issue_12(pairs):
    figures, quotes = pairs["figures"], pairs["quotes"]
    assert _label(figures, "10,000 soldiers", "around 12,000 soldiers") is True  # a disagreement
    assert _label(figures, "approximately 1,500 soldiers", "1,500 special forces") is True
    assert _label(figures, "at least 10,000 containers", "10,000 soldiers") is False
    assert _label(figures, "at least 10,000 containers", "around 12,000 soldiers") is False
    assert _label(quotes, "We call on the North Korean side not to contribute to this and to refrain from doing "
                          "anything in this direction", "not to contribute to this escalation") is True


def test_resolve_finds_an_item_by_span_then_by_text_nearby(check):
    item = {"start": 4, "end": 9, "text": "1,500"}
    assert check.resolve(item, "xxx 1,500 troops") == ("exact", 4)
    assert check.resolve(item, "now sent 1,500 troops") == ("moved", 9)
    assert check.resolve(item, "now sent 2,500 troops") == ("missing", None)
    far = "x" * (check.NEARBY + 20) + "1,500"
    assert check.resolve(item, far) == ("missing", None)
