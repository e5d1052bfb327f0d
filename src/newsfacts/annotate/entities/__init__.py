"""Entities: names of people, organisations and places, one entity per real-world thing.

    doc ─▶ ner_candidates ─▶ clean_candidate (boundaries) ─▶ drop_non_names ─▶ extend_person_names
        ─▶ drop_headline_guesses ─▶ relabel (evidence) ─▶ add_parenthetical_acronyms
        ─▶ apply_type_patterns (storms, works, diseases: type_patterns.py) ─▶ add_missed_mentions
        (+ description_mentions) ─▶ group_mentions (in-document coreference, knowledge-base links) ─▶ Entity

Conventions follow CoNLL-2003 boundaries with OntoNotes types (see eval/gold/entities/GUIDELINES.md): a
mention is the name only (no title, no leading "the", no possessive), so
``text[m.start:m.end] == m.text`` for every mention and other stages can look mentions up by offsets. A
work's title keeps its own article ("The Purple Rose of Cairo"); a storm keeps its cue ("Hurricane Irma").

The package, one step a module: `candidates.py` (1, boundaries), `labels.py` (2, names and types from
evidence), `type_patterns.py` (storms, works, diseases, teams), `missed.py` (3), `grouping.py` (4, with the
keys and ids of `names.py`); `lexicon.py` holds the word lists, `kb.py` the curated knowledge base and
`catalog.py` the release-wide entity catalog built from the articles' entities.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from newsfacts.annotate.doc_index import text_of
from newsfacts.annotate.entities.candidates import clean_candidate, drop_overlaps, ner_candidates
from newsfacts.annotate.entities.grouping import group_mentions, to_entity
from newsfacts.annotate.entities.kb import KnowledgeBase, load_kb
from newsfacts.annotate.entities.labels import (
    add_parenthetical_acronyms,
    drop_headline_guesses,
    drop_non_names,
    extend_person_names,
    relabel,
    title_case_lines,
)
from newsfacts.annotate.entities.lexicon import TYPE_OF_LABEL
from newsfacts.annotate.entities.missed import add_dateline_places, add_missed_mentions, description_mentions
from newsfacts.annotate.entities.type_patterns import apply_type_patterns
from newsfacts.models import Entity, KnownError, Span

__all__ = ["find_entities", "garbled_name_errors"]


def find_entities(doc: Doc, kb: KnowledgeBase | None = None) -> list[Entity]:
    """Entities of one parsed article, each with all its mentions, ordered by first mention."""
    kb = kb if kb is not None else load_kb()
    text = text_of(doc)
    cleaned = [piece for c in ner_candidates(doc) for piece in clean_candidate(text, c)]
    cleaned = drop_non_names(doc, drop_overlaps(cleaned))
    cleaned = extend_person_names(doc, cleaned)
    cleaned = drop_headline_guesses(text, cleaned, kb)
    labelled = relabel(text, cleaned, kb)
    labelled = add_dateline_places(text, labelled)
    labelled = add_parenthetical_acronyms(text, labelled)
    labelled = apply_type_patterns(doc, labelled, kb, title_case_lines(text))
    non_names = [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in TYPE_OF_LABEL]
    completed = add_missed_mentions(text, labelled, kb, non_names)
    described = description_mentions(text, kb)
    groups = group_mentions(text, completed + described, kb)
    entities = [to_entity(text, g, kb) for g in groups]
    return sorted(entities, key=lambda e: (e.mentions[0].start, e.id))


def garbled_name_errors(entities: Sequence[Entity], kb: KnowledgeBase | None = None) -> list[KnownError]:
    """Known errors for mentions that the knowledge base records as garbled forms of a name."""
    kb = kb if kb is not None else load_kb()
    return [
        KnownError(
            kind="garbled_name",
            message=f"{mention.text!r} is a garbled form of {entity.name} (knowledge base {entity.id})",
            span=Span(text=mention.text, start=mention.start, end=mention.end),
        )
        for entity in entities
        for mention in entity.mentions
        # A known error's span points into the article text; a caption's garbled name is not placed there.
        if mention.caption is None and kb.is_misspelling(entity.id, mention.text)
    ]
