"""One document through every stage (newsfacts.pipeline)."""

from __future__ import annotations

import pytest

from newsfacts.api import extract


@pytest.fixture(scope="module")
def german_article():
    text = ("Regierung erhöht den Mindestlohn\n\n"
            "Die Bundesregierung hat am Dienstag in Berlin angekündigt, den Mindestlohn im nächsten Jahr um fünf "
            "Prozent zu erhöhen. „Das ist ein wichtiger Schritt“, sagte der Arbeitsminister. Die Gewerkschaften "
            "begrüßten die Entscheidung, die Arbeitgeber kritisierten sie als zu teuer für kleine Betriebe.")
    return text, extract(text, url="https://www.example.de/2024/10/22/mindestlohn.html")


def test_an_article_in_another_language_keeps_its_text_and_metadata(german_article):
    text, article = german_article
    assert article.language == "de"
    assert article.title == "Regierung erhöht den Mindestlohn"
    assert article.text[article.body_start:] in text
    assert article.date.value == "2024-10-22" and article.date.method == "url"
    assert article.cleaning.method == "whole" and article.cleaning.kept_share == 1.0


def test_an_article_in_another_language_says_why_it_has_no_annotations(german_article):
    _, article = german_article
    assert article.entities == [] and article.quotes == [] and article.figures == []
    assert [e.kind for e in article.known_errors if e.kind == "language_not_annotated"] == ["language_not_annotated"]


def test_a_one_sentence_article_is_annotated():
    article = extract("About 1,000 workers from Asia are building the bridge in Lisbon, the company said.")
    assert article.text.startswith("About 1,000 workers")
    assert any(f.value == 1000 for f in article.figures)
    assert any(e.type == "PLACE" for e in article.entities)
