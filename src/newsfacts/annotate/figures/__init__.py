"""Figures: the numbers an article states, with unit, hedge, change and the claimant the article names.

Conventions of a published `Figure`:

* `text`/`start`/`end` cover the whole figure phrase: hedge, currency, number, scale, unit and, for counts,
  the counted noun phrase ("around 12,000 soldiers", "at least 10,000 containers", "$2 billion").
* `kind`: money (a currency), percent, percentage_points, measure (a unit of measure, durations included),
  count (a number with the noun it counts), number (a bare number).
* `unit`: ISO 4217 code for money ("USD"; the currency's name for units without a code: "cent"),
  "percent", "percentage point", the SI-style unit name for measures ("kilometre", "square mile",
  "kilometre per hour"), and for counts the counted noun phrase in lower case as written, without proper
  modifiers or words like "more" ("1,500 more soldiers" -> "soldiers", "1,500 special forces" ->
  "special forces"). Plurals are kept: "special forces" is not "special force".
* `object`: for counts the full counted noun phrase as written ("North Korean special forces soldiers");
  otherwise the noun the figure measures when the parse gives one ("27-kilometre ring" -> "ring",
  "35% of voters" -> "voters").
* ranges ("25 to 40 miles", "between 10,000 and 12,000") give `value` (low) and `value_max` (high).
* vague quantities ("tens of thousands") set `vague` and give a lower bound as `value`; a plural scale
  alone is one of its scale ("dozens" 12, "millions" 1e6).
* magnitude words multiply ("$1.2bn", "Rs 500 crore"); a larger one after a smaller one compounds ("Rs 1.75
  lakh crore" is 1.75e12), and the currency is kept.
* `claimant` is a noun phrase that names someone: never a pronoun other than "he"/"she" (read as the person
  named last before it); a relative pronoun ("the report, which said") gives the clause's antecedent.

Not figures: calendar dates and years, clock times, ordinals, phone numbers, numbers inside names and
identifiers, ages and age brackets, distances that name a sporting event, counters and other page furniture,
and "one" without a scale word (`exclusions.py` decides, and says why).

The package, one concern a module: `numbers.py` reads numbers as written (digits, words, fractions, scales,
vague quantities); `lexicon.py` loads the data (units, currencies, hedges, furniture); `read.py` reads one
figure around a number, with `units.py` (units and currencies) and `nouns.py` (what a figure counts or
measures); `exclusions.py` drops what is not a figure; `neighbours.py` joins ranges and mixed units;
`hedges.py` reads hedges and changes; `claimants.py` finds who claims a figure; `context.py` holds the
per-article lookups they share. `find_figures` below runs them in that order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from newsfacts.annotate.doc_index import doc_index, overlap_test
from newsfacts.annotate.figures.claimants import Claims, EarlierClaims, NamedHeads, claim_for
from newsfacts.annotate.figures.context import Mentions, tokens_at
from newsfacts.annotate.figures.exclusions import (
    Lines,
    after_proper_name,
    age_after_name,
    capitalised_in_prose,
    excluded_spans,
    glued_identifier,
    in_date,
    in_name,
    is_calendar,
    is_furniture,
    model_numbers_of,
    names_event,
    refers_back,
    stands_as_figure,
)
from newsfacts.annotate.figures.hedges import best_hedge, change_before, hedge_after
from newsfacts.annotate.figures.lexicon import figure_lexicon
from newsfacts.annotate.figures.neighbours import drop_juxtaposed, join_mixed_units, merge_ranges
from newsfacts.annotate.figures.nouns import object_of
from newsfacts.annotate.figures.numbers import find_numbers
from newsfacts.annotate.figures.read import (
    Candidate,
    after_glued_currency,
    article_units,
    attach_counted_noun,
    elided_count,
    named_quantities,
    points_as_percentage,
    read_candidate,
)
from newsfacts.annotate.figures.units import currency_before
from newsfacts.models import Claimant, Entity, Figure, Span

__all__ = ["find_figures"]


def find_figures(doc: Doc, entities: Sequence[Entity]) -> list[Figure]:
    """All figures of an article, in text order. `doc` is the one spaCy parse of `clean.text`."""
    index = doc_index(doc)
    text = index.text
    lex = figure_lexicon()
    lines = Lines(index, lex)
    mentions = Mentions(entities)
    is_excluded = overlap_test(excluded_spans(text, lex))
    candidates: list[Candidate] = []
    model_numbers = model_numbers_of(text, doc, mentions)
    # A named quantity ("absolute zero") is read before the number word inside it ("zero").
    numbers = find_numbers(text) + article_units(text, lex) + named_quantities(text, lex) + after_glued_currency(text, lex)
    for number in sorted(numbers, key=lambda m: (m.start, -(m.end - m.start))):
        if is_excluded(number.start, number.end):
            continue
        if (glued_identifier(text, number) and currency_before(text, number.start, lex) is None) or is_furniture(text, number, lex, lines):
            continue
        if candidates and number.start < candidates[-1].end:
            continue  # already read as part of the figure before ("$2 a barrel")
        candidate = read_candidate(text, doc, number, lex, candidates[-1].end if candidates else 0)
        if candidate is None:
            continue
        if number.written == "words" and number.end - number.start <= 2 and candidate.kind == "number":
            continue  # "a"/"an" without a unit after it
        # A measure is in a name only when the name is longer than the whole figure: spaCy tags "5,000mAh" ORG.
        name_span = (candidate.start, candidate.end) if candidate.kind in ("measure", "percent") else (number.start, number.end)
        if candidate.kind != "money" and (in_name(doc, *name_span, mentions) or age_after_name(text, doc, number)):
            continue
        if number.written == "words" and capitalised_in_prose(doc, number.start):
            continue  # "the Six Nations", "BBC One", "One Direction"
        unit_word = re.match(r"[ \u00a0-]?([A-Z][a-z]{2,})\b", text[number.end : candidate.end]) if candidate.kind in ("money", "measure") else None
        first = tokens_at(doc, number.start, number.end)
        if unit_word and capitalised_in_prose(doc, number.end + unit_word.start(1)) and not (first is not None and len(first) and first[0].is_sent_start):
            continue  # "50 Cent", "the 2000 Millennium Declaration": a capitalised unit word inside a sentence is a name
        if candidate.kind in ("number",) and is_calendar(text, doc, number):
            continue
        if candidate.kind == "measure" and candidate.value_max is None and names_event(text, candidate.end, candidate.unit, lex):
            continue  # "the 100m final", "over 60m hurdles": the name of a race, not a length
        if candidate.kind == "number" and after_proper_name(doc, number):
            continue
        if candidate.kind == "number" and text[number.start : number.end] in model_numbers:
            continue  # "the new 777 in Seattle" after "Boeing 777" or "777-200LR" in the same article
        # Letters glued after the digits that are not a unit or scale: an identifier ("5G", "3D").
        if number.written == "digits" and candidate.end == number.end and re.match(r"[A-Za-z]", text[number.end : number.end + 1]):
            continue
        candidates.append(candidate)
    candidates = drop_juxtaposed(text, candidates)
    candidates = join_mixed_units(text, candidates, lex)
    candidates = merge_ranges(text, candidates, doc, lex)
    figures: list[Figure] = []
    claims = Claims(mentions, EarlierClaims(), NamedHeads(doc))
    before: Candidate | None = None
    for candidate in candidates:
        candidate = points_as_percentage(doc, attach_counted_noun(doc, candidate), lex)
        candidate = elided_count(text, candidate, before)
        if candidate.kind == "count" and candidate.number.plain_integer and 1000 <= candidate.value <= 2100 and in_date(doc, candidate.number.start, candidate.number.end):
            continue  # "Russia's 2022 invasion"
        if candidate.kind == "count" and candidate.unit and candidate.unit.split()[-1] in lex.counter_nouns:
            continue
        if refers_back(text, candidate, lex):
            continue
        if not stands_as_figure(candidate, text, lines):
            continue
        hedge = best_hedge(text, candidate.start, lex)
        start, end, hedge_name = candidate.start, candidate.end, None
        if hedge is not None:
            start, hedge_name = hedge
        else:
            after = hedge_after(text, end, lex)
            if after is not None:
                end, hedge_name = after
        change = change_before(doc, start, lex, candidate.kind)
        before = candidate
        obj = candidate.object if candidate.kind == "count" else object_of(doc, candidate.start, candidate.end)
        claim = claim_for(doc, candidate.start, candidate.end, claims)
        claimant = None
        if claim is not None:
            claims.earlier.append(claim)
            claimant = Claimant(
                name=claim.name,
                mention=Span(text=text[claim.start : claim.end], start=claim.start, end=claim.end),
                entity_id=claim.entity_id,
            )
        figures.append(
            Figure(
                text=text[start:end],
                start=start,
                end=end,
                value=candidate.value,
                value_max=candidate.value_max,
                kind=candidate.kind,
                unit=candidate.unit,
                object=obj,
                hedge=hedge_name,
                change=change,
                vague=candidate.vague,
                claimant=claimant,
            )
        )
    return figures
