"""Synthetic articles for the cross-document tests: spans are found in the text, so they always match it."""

from __future__ import annotations

import hashlib
import re

from newsfacts.models import (
    Article, Claimant, Cleaning, DateInfo, Entity, Figure, Mention, Outlet, Quote, Source, Speaker,
)


def make_article(text: str, *, outlet: str | None = None, date: str | None = None, figures=(), quotes=(),
                 entities=()) -> Article:
    """`figures`: dicts with `text` (found in `text`), value, unit and optional value_max, object, hedge, kind,
    vague, claimant (name, entity id). `quotes`: (words, speaker name, speaker entity id). `entities`:
    (id, name): every occurrence of the name is a mention."""
    digest = hashlib.sha256(f"{text}|{outlet}|{date}".encode()).hexdigest()
    made_figures = []
    for spec in figures:
        start = text.index(spec["text"])
        claimant = spec.get("claimant")
        made_figures.append(Figure(
            text=spec["text"], start=start, end=start + len(spec["text"]), value=spec["value"],
            value_max=spec.get("value_max"), kind=spec.get("kind", "count"), unit=spec.get("unit"),
            object=spec.get("object", spec.get("unit")), hedge=spec.get("hedge"), vague=spec.get("vague", False),
            claimant=Claimant(name=claimant[0], entity_id=claimant[1]) if claimant else None,
        ))
    made_quotes = []
    for words, name, entity_id in quotes:
        start = text.index(words)
        speaker = Speaker(name=name, entity_id=entity_id, kind="name") if name else None
        made_quotes.append(Quote(text=words, start=start, end=start + len(words), kind="full", speaker=speaker))
    made_entities = []
    for entity_id, name in entities:
        mentions = [Mention(text=name, start=m.start(), end=m.end()) for m in re.finditer(re.escape(name), text)]
        made_entities.append(Entity(id=entity_id, name=name, type="PLACE", mentions=mentions))
    return Article(
        id=digest[:16], title=None, text=text, body_start=0, language="en",
        source=Source(file=f"{digest[:8]}.txt", sha256=digest, format="txt", encoding="utf-8"),
        outlet=Outlet(name=outlet), date=DateInfo(value=date), pipeline="test",
        cleaning=Cleaning(method="jsonl", input_words=0, kept_words=0, kept_share=1.0),
        figures=made_figures, quotes=made_quotes, entities=made_entities,
    )
