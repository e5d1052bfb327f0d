"""The pipeline: plain functions from one typed value to the next, composed for one document.

    RawDocument ──clean_document──▶ CleanDocument ──extract_metadata──▶ Metadata
                                          │
                                    nlp(text) once ──▶ find_entities ──▶ find_quotes / find_figures
                                          └──────────────────────────────────────────▶ assemble_article ──▶ Article

Executors (`newsfacts.engine`) only move documents through `process`; they hold no extraction logic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from newsfacts import __version__
from newsfacts.annotate.entities import find_entities, garbled_name_errors
from newsfacts.annotate.figures import find_figures
from newsfacts.annotate.nlp import load_nlp, model_label, parse
from newsfacts.annotate.quotes import find_quotes
from newsfacts.clean import clean_document
from newsfacts.documents import CleanDocument, Metadata, RawDocument
from newsfacts.meta import extract_metadata
from newsfacts.models import Article, Entity, Figure, KnownError, Quote, Source


@dataclass(frozen=True)
class Annotators:
    """What `process` needs besides the document: the loaded spaCy pipeline and knowledge base."""

    nlp: Any
    kb: Any
    name: str  # versioned pipeline name recorded in every row

    @classmethod
    def load(cls, model: str | None = None) -> Annotators:
        from newsfacts.annotate.kb import load_kb

        nlp = load_nlp(model)
        return cls(nlp=nlp, kb=load_kb(), name=f"newsfacts-{__version__}+{model_label(nlp)}")


def process(raw: RawDocument, annotators: Annotators) -> Article:
    clean = clean_document(raw)
    metadata = extract_metadata(clean)
    doc = parse(annotators.nlp, clean.text)  # in bounded pieces when the text is very long
    entities = find_entities(doc, annotators.kb)
    quotes = find_quotes(doc, entities)
    figures = find_figures(doc, entities) + caption_figures(clean, annotators, entities)
    found_errors = garbled_name_errors(entities, annotators.kb)
    metadata = replace(metadata, known_errors=(*metadata.known_errors, *found_errors))
    return assemble_article(raw, clean, metadata, entities, quotes, figures, annotators.name)


def caption_figures(clean: CleanDocument, annotators: Annotators, article_entities: list[Entity]) -> list[Figure]:
    """Figures printed only in photo captions ("1,500 more soldiers ... told lawmakers"). Captions are not
    article text, so these figures point into their caption's own text and say which caption."""
    known_ids = {entity.id for entity in article_entities}
    figures = []
    for index, caption in enumerate(clean.captions):
        doc = annotators.nlp(caption.text)
        for figure in find_figures(doc, find_entities(doc, annotators.kb)):
            claimant = figure.claimant
            if claimant and claimant.entity_id not in known_ids:
                # Ids must join with the article's `entities`; a caption-only entity has no row there.
                claimant = claimant.model_copy(update={"entity_id": None})
            figures.append(figure.model_copy(update={"caption": index, "claimant": claimant}))
    return figures


def assemble_article(
    raw: RawDocument,
    clean: CleanDocument,
    metadata: Metadata,
    entities: list[Entity],
    quotes: list[Quote],
    figures: list[Figure],
    pipeline_name: str,
) -> Article:
    return Article(
        id=raw.id,
        title=clean.title,
        text=clean.text,
        body_start=clean.body_start,
        language=metadata.language,
        translation=metadata.translation,
        source=Source(
            file=raw.path,
            sha256=raw.sha256,
            line=raw.line,
            format=raw.format,
            encoding=raw.encoding,
            url=raw.hints.url,
            url_method=raw.hints.url_method,
            retrieval=raw.hints.retrieval,
        ),
        outlet=metadata.outlet,
        original_source=metadata.original_source,
        credits=list(metadata.credits),
        date=metadata.date,
        quotes=quotes,
        figures=figures,
        entities=entities,
        captions=list(clean.captions),
        removed=list(clean.removed),
        repairs=list(clean.repairs),
        known_errors=[*_input_errors(raw), *metadata.known_errors],
        pipeline=pipeline_name,
    )


def _input_errors(raw: RawDocument) -> list[KnownError]:
    if raw.encoding in {"utf-8", "utf-8-sig"}:
        return []
    return [
        KnownError(
            kind="encoding_guessed",
            message=f"the file is not valid UTF-8; it was decoded as {raw.encoding} (detected), so rare "
            "characters may be wrong",
        )
    ]
