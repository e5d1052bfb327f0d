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


def test_a_batch_gives_each_article_as_alone():
    from newsfacts.documents import RawDocument
    from newsfacts.pipeline import Annotators, process, process_batch
    from newsfacts.read import read_bytes

    texts = ["Bridge works\n\nAbout 1,000 workers from Asia are building the bridge in Lisbon, the company said.",
             "Regierung erhöht den Mindestlohn\n\nDie Bundesregierung hat am Dienstag in Berlin angekündigt, den "
             "Mindestlohn im nächsten Jahr um fünf Prozent zu erhöhen, sagte der Arbeitsminister in der Stadt.",
             "Talks\n\n\"We will not give up,\" said Ana Costa, the union's leader, after 12 hours of talks."]
    raws = [next(o for o in read_bytes(t.encode("utf-8"), f"doc-{i}.txt") if isinstance(o, RawDocument))
            for i, t in enumerate(texts)]
    annotators = Annotators.load()
    batch = process_batch(raws, annotators)
    assert [a.id for a in batch] == [r.id for r in raws]
    assert [a.model_dump_json() for a in batch] == [process(r, annotators).model_dump_json() for r in raws]
    assert batch[1].language == "de" and batch[1].quotes == [] and batch[0].figures
