"""The pipeline: plain functions from one typed value to the next, composed for one document.

    RawDocument ──clean_document──▶ CleanDocument ──extract_metadata──▶ Metadata
                                          │
                                 nlp.pipe(texts) ──▶ find_entities ──▶ find_quotes / find_figures
                                          └──────────────────────────────────────────▶ assemble_article ──▶ Article

`process_batch` runs a batch of documents: each is cleaned and its metadata read, the texts of all of them
go through spaCy's `nlp.pipe` together (batched, cheaper per text than one call each), then each is annotated.
`process` is a batch of one. Executors (`newsfacts.engine`) only move documents through these; they hold no
extraction logic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc

from newsfacts import __version__
from newsfacts.annotate.entities import find_entities, garbled_name_errors
from newsfacts.annotate.figures import find_figures
from newsfacts.annotate.nlp import load_nlp, model_label, parse_many
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
        from newsfacts.annotate.entities.kb import load_kb

        nlp = load_nlp(model)
        return cls(nlp=nlp, kb=load_kb(), name=f"newsfacts-{__version__}+{model_label(nlp)}")


# The annotators (entities, quotes, figures) read the text through an English model: a text in another
# language keeps its text and metadata, and says why it carries no annotations.
ANNOTATED_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class _Prepared:
    """A document cleaned and its metadata read, before the model reads it."""

    raw: RawDocument
    clean: CleanDocument
    metadata: Metadata

    @property
    def annotated(self) -> bool:
        return self.metadata.language is None or self.metadata.language in ANNOTATED_LANGUAGES

    @property
    def texts(self) -> list[str]:
        """What the model parses for this document: its text, then each caption's."""
        if not self.annotated:
            return []
        return [self.clean.text, *(caption.text for caption in self.clean.captions)]


def process(raw: RawDocument, annotators: Annotators) -> Article:
    return process_batch([raw], annotators)[0]


def process_batch(raws: Sequence[RawDocument], annotators: Annotators) -> list[Article]:
    """The articles of `raws`, in order: each document cleaned and its metadata read, then the texts of all of
    them (and their captions) parsed in one `nlp.pipe` pass, then each document annotated. The articles are
    the same as `process` gives one by one. An exception in any document propagates (the engine then
    processes that batch one by one, so a failing document excludes only itself)."""
    prepared = [_prepare(raw) for raw in raws]
    docs = iter(parse_many(annotators.nlp, [text for p in prepared for text in p.texts]))
    return [_annotate(p, [next(docs) for _ in p.texts], annotators) for p in prepared]


def _prepare(raw: RawDocument) -> _Prepared:
    clean = clean_document(raw)
    metadata = extract_metadata(clean)
    if metadata.language is not None and metadata.language not in ANNOTATED_LANGUAGES:
        error = KnownError(kind="language_not_annotated",
                           message=f"the text is in language {metadata.language!r}; entities, quotes and figures "
                                   "are extracted with an English model only, so none were extracted")
        metadata = replace(metadata, known_errors=(*metadata.known_errors, error))
    return _Prepared(raw, clean, metadata)


def _annotate(prepared: _Prepared, docs: list[Doc], annotators: Annotators) -> Article:
    """The article of a prepared document from its parsed text and captions (`docs`, as `prepared.texts`)."""
    raw, clean, metadata = prepared.raw, prepared.clean, prepared.metadata
    if not prepared.annotated:
        return assemble_article(raw, clean, metadata, [], [], [], annotators.name)
    doc, caption_docs = docs[0], docs[1:]
    entities = find_entities(doc, annotators.kb)
    quotes = find_quotes(doc, entities)
    figures = find_figures(doc, entities)
    entities, more_figures = annotate_captions(caption_docs, annotators, entities)
    found_errors = garbled_name_errors(entities, annotators.kb)
    metadata = replace(metadata, known_errors=(*metadata.known_errors, *found_errors))
    return assemble_article(raw, clean, metadata, entities, quotes, figures + more_figures, annotators.name)


def annotate_captions(caption_docs: Sequence[Doc], annotators: Annotators, article_entities: list[Entity]
                      ) -> tuple[list[Entity], list[Figure]]:
    """Names and figures printed in photo captions ("Kim Jong Un inspects ...", "1,500 more soldiers ...").
    Captions are not article text, so their mentions and figures point into their caption's own text and
    say which caption (`caption_docs` are the parses of the captions, in order). A caption name joins the article's entity with the same id (or becomes a new one)."""
    entities = {entity.id: entity for entity in article_entities}
    figures: list[Figure] = []
    for index, doc in enumerate(caption_docs):
        found = find_entities(doc, annotators.kb)
        for entity in found:
            mentions = [m.model_copy(update={"caption": index}) for m in entity.mentions]
            if entity.id in entities:
                known = entities[entity.id]
                entities[entity.id] = known.model_copy(update={
                    "mentions": [*known.mentions, *mentions],
                    "ner_labels": sorted({*known.ner_labels, *entity.ner_labels}),
                })
            else:
                entities[entity.id] = entity.model_copy(update={"mentions": mentions})
        for figure in find_figures(doc, found):
            claimant = figure.claimant
            if claimant and claimant.entity_id is not None and claimant.entity_id not in entities:
                # Ids must join with the article's `entities`.
                claimant = claimant.model_copy(update={"entity_id": None})
            figures.append(figure.model_copy(update={"caption": index, "claimant": claimant}))
    return list(entities.values()), figures


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
        cleaning=clean.cleaning,
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
