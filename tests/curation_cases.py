"""A small hand-made article for the curation and curation-scorer tests (importable through `pythonpath`)."""

from __future__ import annotations

from newsfacts.models import Article

TEXT = 'Title here\n\nJohn Smith said "we will win" in Paris. Officials counted 300 boats, Smith said.'
AID = "0123456789abcdef"


def span_of(text: str, nth: int = 0, base: str = TEXT) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = base.index(text, start + 1)
    return {"start": start, "end": start + len(text), "text": text}


def make_article(**update) -> Article:
    data = {
        "id": AID, "title": "Title here", "text": TEXT, "body_start": 12, "language": "en",
        "cleaning": {"method": "whole", "input_words": 15, "kept_words": 15, "kept_share": 1.0},
        "source": {"file": "a.txt", "sha256": "0" * 64, "format": "txt", "encoding": "utf-8"},
        "outlet": {"name": "Wrong Outlet", "domain": "wrong.example"},
        "date": {"value": None, "reason": "none stated"},
        "quotes": [{"text": "we will win", **{k: v for k, v in span_of("we will win").items() if k != "text"},
                    "kind": "full", "cue": span_of("said"),
                    "speaker": {"name": "Paris", "mention": span_of("Paris"), "kind": "name"}}],
        "figures": [{**span_of("300"), "value": 300.0, "kind": "number"}],
        "entities": [
            {"id": "p:john", "name": "John Smith", "type": "PERSON",
             "mentions": [{**span_of("John Smith")}, {**span_of("Smith", 1)}]},
            {"id": "p:paris", "name": "Paris", "type": "PERSON", "mentions": [{**span_of("Paris")}]},
        ],
        "known_errors": [{"kind": "no_date", "message": "no date"}],
        "pipeline": "test",
    }
    data.update(update)
    return Article.model_validate(data)
