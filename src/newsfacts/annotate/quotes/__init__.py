"""Quotes and their speakers: who said what, with offsets into the article text.

    quoted spans (marks.py) ────┐
    dash paragraphs ────────────┼─▶ attribution (cue verb + its subject, from the one spaCy parse)
    lost-mark sentences ────────┘        └─▶ speaker (coref.SpeakerResolver: name, pronoun, title...)

A quoted stretch is speech only when something attributes it: a cue verb that governs it in the parse
("…," X said / X said: "…" / calling it "…"), "according to X", an "X: "…"" label, the 'subject verb' clause
right after a quote closed by a comma ("…," Kelly charged), the speaker-like subject of a clause ending in a
colon (X issued a statement: "…"), a dash signature ("…" ― Name), or the speaker of the quote it continues. Quoted names and terms ("Storm Corps", "Necessary") and scare quotes that no speech
governs are left out. When cue verbs nest ("…, calling it 'a serious escalation', said Kirby") the outermost
one wins: the quoted words are what its subject said.

The package: `marks.py` pairs quotation marks (no parse); `marked.py` decides which quoted stretches are
speech and attributes them through `routes.py`, `speakers.py` and `coref.py` (speaker resolution), with
`attribution.py` holding what the routes share and `confidence.py` the calibrated confidence; `unmarked.py`
finds dash quotes and quotes whose marks were lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from newsfacts.annotate.doc_index import text_of
from newsfacts.annotate.quotes.attribution import inside_quote_mask
from newsfacts.annotate.quotes.coref import SpeakerResolver
from newsfacts.annotate.quotes.marked import continued_from, marked_quote
from newsfacts.annotate.quotes.marks import QuotedSpan, find_quoted_spans
from newsfacts.annotate.quotes.unmarked import dash_quotes, unmarked_quotes
from newsfacts.models import Entity, Quote

__all__ = ["find_quotes"]


def find_quotes(doc: Doc, entities: Sequence[Entity], keys: dict[tuple[int, int], tuple[str, str]] | None = None) -> list[Quote]:
    """All attributed quotes of the article, in text order. `keys`, when given, receives for each marked
    quote's (start, end) the (route, evidence) its confidence was looked up by (for fitting the table)."""
    text = text_of(doc)
    quoted = [q for q in find_quoted_spans(text) if not q.nested_in_double]
    resolver = SpeakerResolver(doc, list(entities), [(q.start, q.end) for q in quoted])
    inside = inside_quote_mask(doc, quoted)
    quotes: list[Quote] = []
    previous: Quote | None = None
    waiting: list[QuotedSpan] = []  # unattributed quoted paragraphs that the next quoted stretch continues
    for index, span in enumerate(quoted):
        quote = marked_quote(doc, span, quoted, index, inside, resolver, previous, keys)
        if quote is None:
            waiting = waiting + [span] if span.continued and (not waiting or waiting[-1] is quoted[index - 1]) else []
            continue
        # '"A. "B," he said': the paragraphs of a quote before the one its attribution follows are its words too.
        earlier = [continued_from(doc, w, quote) for w in waiting if quoted[index - 1] is waiting[-1]]
        quotes.extend(q for q in earlier if q is not None)
        waiting = []
        quotes.append(quote)
        previous = quote
        if quote.speaker is not None:
            resolver.note_speaker(quote.start, quote.speaker.entity_id)
    quotes.extend(dash_quotes(doc, inside, resolver))
    quotes.extend(unmarked_quotes(doc, inside, resolver, quotes))
    return sorted(quotes, key=lambda q: (q.start, q.end))
