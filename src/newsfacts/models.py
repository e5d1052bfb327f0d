"""The data model of newsfacts: the single source of truth.

The JSON Schema in ``schema/``, the Arrow schema of every Parquet file and the ``datasets`` features in the
dataset card are all generated from these classes (see ``newsfacts.release.schema``); a test fails when a
committed copy drifts from them.

Two coordinate systems exist, and every span says which it lives in:

* ``text``: the cleaned article (title, blank line, body). Quotes, speaker mentions, figures and entity
  mentions always point here, and ``article.text[start:end] == span.text`` holds for all of them.
* ``raw``: the decoded input document before cleaning (code points). Removed page furniture and captions
  point here, so a removal can be audited against the file in ``seeds/`` and undone.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2.0"


class _Model(BaseModel):
    # Unknown fields are errors, not silently dropped: a typo in a producer must fail loudly.
    model_config = ConfigDict(extra="forbid")


# How an item was changed by hand review (the curation file, `curation/` in the repository): "added" by a
# reviewer (the pipeline missed it), "fixed" (the pipeline found it but a field was wrong); null when the item
# is the pipeline's output unchanged. Items a reviewer deleted are gone; the build report counts them.
CurationMark = Literal["added", "fixed"]

_CURATION_HELP = ("Null when the item is the automatic pipeline's output unchanged; 'added' when hand review added "
                  "it (the pipeline missed it); 'fixed' when hand review corrected one of its fields. The "
                  "correction and its reason are in the curation file named in build-report.json.")

# Columns that lead every per-item config, so a row reads "which article, which item, then the item".
ROW_KEY_FIELDS = ("article_id", "index")


class Span(_Model):
    """A run of characters in the article ``text``."""

    text: str = Field(description="Exactly text[start:end] of the article.")
    start: int = Field(ge=0, description="Start offset (Unicode code points) into the article text.")
    end: int = Field(ge=0, description="End offset (exclusive) into the article text.")


class Evidence(_Model):
    """Where a metadata value was read from."""

    where: Literal["text", "raw", "url", "manifest", "html", "jsonl"] = Field(
        description="Coordinate system of start/end: 'text' (article text), 'raw' (decoded input), or a "
        "source without offsets ('url', 'manifest', 'html' metadata, 'jsonl' field)."
    )
    text: str = Field(description="The evidence as it appears in its source.")
    start: int | None = Field(default=None, ge=0, description="Start offset in the coordinate system named by `where` (null for sources without offsets).")
    end: int | None = Field(default=None, ge=0, description="End offset (exclusive), like `start`.")


class Source(_Model):
    """Where an article row came from."""

    file: str = Field(description="Path of the input file, relative to the build input folder.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the input file's bytes.")
    line: int | None = Field(default=None, ge=1, description="For a file holding several articles: the line (JSON "
                             "Lines), row (Parquet) or record (WARC) number, counted from 1.")
    format: Literal["txt", "html", "jsonl"] = Field(
        description="How the text was read: txt, a plain-text page dump; html, an HTML page (also a WARC "
        "response); jsonl, article text given as a record (a JSON line or a Parquet row), used as it is.")
    encoding: str = Field(description="Encoding the bytes were decoded with.")
    url: str | None = Field(default=None, description="Original page URL, null when unknown.")
    url_method: Literal["manifest", "sidecar", "jsonl", "html", "text", "caller", "warc"] | None = Field(
        default=None, description="Where the URL was found."
    )
    retrieval: str | None = Field(default=None, description="Retrieval notes from the manifest.")


class Outlet(_Model):
    """The publisher. Members are null when unknown: never a guess dressed as a fact."""

    name: str | None = Field(default=None, description="The publisher's name, e.g. 'Daily Tribune'.")
    domain: str | None = Field(default=None, description="Registered domain, e.g. 'tribune.net.ph'.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 country code.")
    kind: Literal["newspaper", "agency", "broadcaster", "magazine", "blog", "aggregator", "government", "other"] | None = Field(
        default=None, description="What kind of publisher it is (from the registry of outlets).")
    method: Literal["manifest", "url", "text", "registry", "html", "jsonl"] | None = Field(
        default=None, description="How the outlet was identified."
    )
    evidence: Evidence | None = None


class Credit(_Model):
    """An author, wire agency or photo credit found on the page."""

    role: Literal["author", "wire", "photo", "source"] = Field(
        description="author: byline; wire: agency the copy comes from (AFP, AP, Reuters...); photo: picture "
        "credit; source: the page names another publication as its original."
    )
    name: str = Field(description="The name as credited on the page.")
    evidence: Evidence


class DateInfo(_Model):
    """Publication date with its provenance. ``value`` is null when no sound evidence exists."""

    value: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO 8601 date.")
    time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}(:\d{2})?$", description="Local time if stated.")
    timezone: str | None = Field(default=None, description="Time zone or UTC offset if stated.")
    method: Literal["byline", "dateline", "caption", "inferred", "url", "html", "manifest", "jsonl", "text"] | None = Field(
        default=None, description="How the date was found; 'inferred' means reasoned from a relative reference."
    )
    evidence: Evidence | None = None
    reason: str | None = Field(default=None, description="Why the value is null, or how an inference was made.")


class RemovedBlock(_Model):
    """Page furniture taken out of the article text, kept so the removal can be audited and undone."""

    kind: Literal[
        "consent", "navigation", "comments", "related", "counter", "credit", "caption", "byline", "dateline",
        "subscription", "share", "footer", "header", "advert", "duplicate", "references", "other",
    ] = Field(description="What the removed block was (by the pattern that named it, or by where it sat: header, "
              "footer, other).")
    text: str = Field(description="Exactly raw[start:end] of the decoded input.")
    start: int = Field(ge=0, description="Offset into the decoded input (raw coordinates).")
    end: int = Field(ge=0, description="End offset (exclusive) into the decoded input.")
    reason: str | None = Field(default=None, description="Which rule or score removed it.")


class Caption(_Model):
    """A photo caption: not body text, but it carries facts."""

    text: str = Field(description="Caption text, with any glued credit split off.")
    start: int = Field(ge=0, description="Offset into the decoded input (raw coordinates).")
    end: int = Field(ge=0, description="End offset (exclusive) into the decoded input.")
    credit: str | None = Field(default=None, description="Photo credit split from the caption, if any.")
    repeats: int = Field(default=1, ge=1, description="How often the caption appeared on the page.")


class Repair(_Model):
    """A change made to the text (encoding fix, normalisation, split of run-together words...)."""

    kind: Literal["unicode", "mojibake", "word_split", "whitespace", "duplicate_block", "other"] = Field(
        description="What was repaired: Unicode normalisation, mojibake, run-together words split, whitespace, a "
        "duplicated block dropped, or other (e.g. a site name cut from the title).")
    before: str = Field(description="The text before the repair.")
    after: str = Field(description="The text after the repair, as it stands in the article text.")
    start: int | None = Field(default=None, ge=0, description="Offset of `after` in the article text.")
    end: int | None = Field(default=None, ge=0, description="End offset (exclusive) of `after` in the article text.")


class KnownError(_Model):
    """A problem found in the source article or in its processing, for the datasheet."""

    kind: str = Field(description="Short machine-readable code, e.g. 'garbled_name', 'no_date', 'near_duplicate'.")
    message: str = Field(description="What is wrong, in words, with the evidence.")
    span: Span | None = Field(default=None, description="Where in the article text, when it has a place.")
    related_id: str | None = Field(default=None, description="Another article involved (e.g. the one duplicated).")
    curation: CurationMark | None = Field(
        default=None, description="Null when the pipeline found the error; 'added' when hand review recorded it."
    )


class Speaker(_Model):
    name: str | None = Field(default=None, description="Resolved full name; null for an unnamed speaker.")
    description: str | None = Field(default=None, description="How an unnamed speaker is described.")
    mention: Span | None = Field(default=None, description="The words in the text that attribute the quote.")
    kind: Literal["name", "pronoun", "title", "description", "organization"] | None = Field(
        default=None, description="How the text refers to the speaker: by name, pronoun, title, description or "
        "as an organisation.")
    entity_id: str | None = Field(default=None, description="Id of the matching entity in `entities`.")


class Quote(_Model):
    text: str = Field(description="The quoted words, without the quotation marks.")
    start: int = Field(ge=0, description="Start offset of the quoted words in the article text.")
    end: int = Field(ge=0, description="End offset (exclusive) of the quoted words.")
    kind: Literal["full", "partial", "unmarked", "dash"] = Field(
        description="full: a whole quoted statement; partial: a quoted phrase inside reported speech; "
        "unmarked: quotation marks lost but attribution explicit; dash: dash-introduced quote."
    )
    cue: Span | None = Field(default=None, description="The attribution verb or phrase (said, told, according to).")
    speaker: Speaker | None = Field(default=None, description="Who the article says spoke the words; null when no attribution was found.")
    confidence: float = Field(ge=0.0, le=1.0, default=1.0, description="How sure the extractor is of the quote and its speaker (0 to 1); lower for speakers found through pronouns or context.")
    curation: CurationMark | None = Field(default=None, description=_CURATION_HELP)


class Claimant(_Model):
    name: str = Field(description="Who the article says makes the claim.")
    mention: Span | None = None
    entity_id: str | None = Field(default=None, description="Id of the claimant's entity in `entities`, when it names one.")


class Figure(_Model):
    text: str = Field(description="The figure as written, e.g. 'around 12,000 soldiers'.")
    start: int = Field(ge=0, description="Start offset of the figure in the article text (or in its caption, see `caption`).")
    end: int = Field(ge=0, description="End offset (exclusive) of the figure.")
    value: float = Field(description="The number, scaled ('1.5 million' is 1500000; a percentage is its number of percent).")
    value_max: float | None = Field(default=None, description="Upper end of a range, else null.")
    kind: Literal["count", "money", "percent", "percentage_points", "measure", "number"] = Field(
        description="What sort of figure: a count of things, an amount of money, a percentage, a change in percentage "
        "points, a measure with a unit, or a bare number.")
    unit: str | None = Field(default=None, description="What is counted, or the currency / unit / 'percent'.")
    object: str | None = Field(default=None, description="What the figure is about, short and normalised.")
    hedge: Literal["about", "at_least", "at_most", "more_than", "less_than", "nearly", "exactly", "up_to"] | None = Field(
        default=None, description="How the article qualifies the value ('about 10,000', 'more than 1,500'); null when stated plainly.")
    change: Literal["increase", "decrease", "to"] | None = Field(default=None, description="rose by / fell to ...")
    vague: bool = Field(default=False, description="A vague quantity ('tens of thousands'): value is a lower bound.")
    claimant: Claimant | None = Field(default=None, description="Who the article says gives the figure; null when the text names no source for it.")
    caption: int | None = Field(
        default=None,
        ge=0,
        description="Null for a figure of the article text. For a figure read from a photo caption, the index "
        "into the article's `captions`: its offsets (and its claimant's) then point into that caption's text.",
    )
    curation: CurationMark | None = Field(default=None, description=_CURATION_HELP)


class Mention(Span):
    """One mention of an entity in the article text (or in one of its photo captions)."""

    kind: Literal["name", "description"] = Field(
        default="name",
        description="name: the entity's name as written ('Kim Jong Un', 'NIS'); description: a descriptive "
        "phrase the knowledge base links to it ('Seoul's spy agency').",
    )
    caption: int | None = Field(
        default=None,
        ge=0,
        description="Null for a mention in the article text. For a name printed in a photo caption, the index "
        "into the article's `captions`: its offsets then point into that caption's text.",
    )
    curation: CurationMark | None = Field(default=None, description=_CURATION_HELP)


class Entity(_Model):
    id: str = Field(description="Canonical id: a knowledge-base id, or a deterministic fallback id.")
    name: str = Field(description="Fullest name used for the entity in the article (or the KB name).")
    type: Literal["PERSON", "ORG", "PLACE", "NORP", "EVENT", "PRODUCT", "LAW", "WORK", "OTHER"] = Field(
        description="Entity type: person, organisation, place, nationality or group (NORP), event, product, law, work, or other.")
    ner_labels: list[str] = Field(default_factory=list, description="spaCy labels seen on the mentions.")
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+$", description="Wikidata QID from the knowledge base, when linked.")
    mentions: list[Mention]
    curation: CurationMark | None = Field(
        default=None,
        description=_CURATION_HELP + " An entity is 'fixed' when its name, type or id was corrected or a mention "
        "was added to it or deleted from it (the mention itself says which).",
    )


class Cleaning(_Model):
    """How the article text was separated from its input, so users can filter on it."""

    method: Literal["whole", "patterns", "density", "densest_prose", "html", "jsonl"] = Field(
        description="whole: article text without page furniture, kept as it is; patterns: article text less the "
        "lines that furniture patterns name; density: a page dump, separated by the density pass (jusText-style "
        "line scores, the densest stretch of prose); densest_prose: fallback when the density pass kept no "
        "sentence, the densest stretch of sentences and table rows; html: the HTML extractor (trafilatura) "
        "and furniture patterns; jsonl: text given as article text, kept as it is."
    )
    input_words: int = Field(ge=0, description="Words (letter or digit runs) in the input's visible text.")
    kept_words: int = Field(ge=0, description="Words of the input kept in the article text (title and body).")
    kept_share: float = Field(ge=0.0, le=1.0, description="kept_words / input_words (1.0 for an input without words).")


class Translation(_Model):
    evidence: Evidence
    reason: str = Field(description="Why the text reads as a translation.")


class Article(_Model):
    """One news article and the facts extracted from it."""

    id: str = Field(pattern=r"^[0-9a-f]{16}$", description="Stable id derived from the input bytes.")
    title: str | None = Field(description="The headline; null when none was found (see known error `no_title`).")
    text: str = Field(description="Cleaned title and body; every span offset points into this.")
    body_start: int = Field(ge=0, description="Offset in `text` where the body begins (after the title).")
    language: str | None = Field(description="ISO 639-1 code of the text's language.")
    translation: Translation | None = Field(default=None, description="Set when the text reads as a translation.")
    cleaning: Cleaning = Field(description="How the text was separated from the input and how much of it was kept.")
    source: Source
    outlet: Outlet
    original_source: str | None = Field(default=None, description="Wire/original publisher when republished.")
    credits: list[Credit] = Field(default_factory=list)
    date: DateInfo
    quotes: list[Quote] = Field(default_factory=list, description="Quotations in the text, in order; also one row each in the `quotes` config.")
    figures: list[Figure] = Field(default_factory=list, description="Figures in the text and captions; also one row each in the `figures` config.")
    entities: list[Entity] = Field(default_factory=list, description="People, organisations, places... with every mention; also one row each in the `entities` config.")
    captions: list[Caption] = Field(default_factory=list)
    removed: list[RemovedBlock] = Field(default_factory=list)
    repairs: list[Repair] = Field(default_factory=list)
    known_errors: list[KnownError] = Field(default_factory=list)
    curated_fields: list[Literal["title", "outlet", "date", "original_source"]] = Field(
        default_factory=list,
        description="Article metadata corrected by hand review (the curation file); empty when title, outlet, "
        "date and original_source are the pipeline's output.",
    )
    pipeline: str = Field(description="Versioned name of the extractor, e.g. 'newsfacts-1.0.0+en_core_web_sm-3.8.0'.")


# ---- flat rows of the per-item configs: one row per item, with the article id -------------------------


class QuoteRow(Quote):
    """One quote (row of the `quotes` config), with the id of its article."""

    article_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="Id of the article (row of `articles`) it comes from.")
    index: int = Field(ge=0, description="Position of the quote in its article.")


class FigureRow(Figure):
    """One figure (row of the `figures` config), with the id of its article."""

    article_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="Id of the article (row of `articles`) it comes from.")
    index: int = Field(ge=0, description="Position of the figure in its article.")


class EntityRow(Entity):
    """One entity of one article with all its mentions there (row of the `entities` config)."""

    article_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="Id of the article (row of `articles`) it comes from.")


class CatalogEntity(_Model):
    """One row per canonical entity across the release."""

    id: str = Field(description="Canonical entity id (joins `entities.id`, `speaker.entity_id`, `claimant.entity_id`).")
    name: str = Field(description="Canonical name: the knowledge base's, else the most used spelling.")
    type: Literal["PERSON", "ORG", "PLACE", "NORP", "EVENT", "PRODUCT", "LAW", "WORK", "OTHER"] = Field(description="Entity type (as in `entities.type`).")
    aliases: list[str] = Field(description="Other spellings seen in the release or known to the knowledge base.")
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+$", description="Wikidata QID, when linked.")
    in_knowledge_base: bool = Field(description="Whether the entity is in the curated knowledge base (else its id is a deterministic fallback).")
    article_count: int = Field(ge=0, description="How many articles of the release mention it.")
    mention_count: int = Field(ge=0, description="How many mentions it has across the release.")


# ---- cross-document configs: items of different articles grouped, every member pointing to its row ------

_ARTICLE_ID = r"^[0-9a-f]{16}$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class ClaimMember(_Model):
    """One figure of one article taking part in a claim; `figures` row (`article_id`, `index`) is its source."""

    article_id: str = Field(pattern=_ARTICLE_ID, description="Id of the article (row of `articles`).")
    figure_index: int = Field(ge=0, description="`index` of the figure in the `figures` config (with `article_id`).")
    text: str = Field(description="The figure as written (equal to the figure row's `text`).")
    outlet: str | None = Field(default=None, description="The article's outlet name, null when unknown.")
    date: str | None = Field(default=None, pattern=_ISO_DATE, description="The article's publication date, null when unknown.")
    claimant: str | None = Field(default=None, description="Who the article says gives the figure (the figure's claimant name).")
    claimant_entity_id: str | None = Field(default=None, description="Catalog id of the claimant, when it names an entity.")
    value: float = Field(description="The figure's value (as in `figures.value`).")
    value_max: float | None = Field(default=None, description="Upper end of a range, else null.")
    hedge: Literal["about", "at_least", "at_most", "more_than", "less_than", "nearly", "exactly", "up_to"] | None = Field(
        default=None, description="The figure's hedge (as in `figures.hedge`).")
    vague: bool = Field(default=False, description="A vague quantity: `value` is a lower bound.")
    reasons: list[str] = Field(description="Why the figure joined the claim, e.g. 'counted noun: worker', "
                               "'entity: Dagenham', 'claimant: Ford', 'same value'.")


class Claim(_Model):
    """Figures from different articles that count the same thing (row of the `claims` config).

    Only groups with members from at least two articles are rows: a figure reported once is in `figures` alone."""

    id: str = Field(pattern=_ARTICLE_ID, description="Stable id derived from the members' article ids and figure indexes.")
    statement: str = Field(description="A short statement of what is counted: the members' most common "
                           "object, then the context entities they share most, e.g. 'jobs (Ford, Dagenham)'.")
    kind: Literal["count", "money", "percent", "percentage_points", "measure", "number"] = Field(
        description="The members' figure kind (as in `figures.kind`).")
    unit: str | None = Field(default=None, description="What is counted, or the currency / unit / 'percent'.")
    entity_ids: list[str] = Field(default_factory=list, description="Catalog ids of the context shared by the members (who, where, which event).")
    values: list[float] = Field(description="The distinct values reported (lower ends of ranges), ascending.")
    value_min: float = Field(description="The smallest value (or range start) reported.")
    value_max: float = Field(description="The largest value (or range end) reported.")
    status: Literal["agree", "disagree", "range", "update"] = Field(
        description="'agree': every member reports the same value; 'range': the values nest in each other's ranges "
                    "and hedges; 'update': a later date revises an earlier value; 'disagree': otherwise.")
    first_date: str | None = Field(default=None, pattern=_ISO_DATE, description="Earliest member date, null when no member is dated.")
    last_date: str | None = Field(default=None, pattern=_ISO_DATE, description="Latest member date, null when no member is dated.")
    outlets: list[str] = Field(default_factory=list, description="The distinct outlets reporting it, sorted.")
    members: list[ClaimMember] = Field(description="The figures grouped, ordered by date, outlet and article id.")


class QuoteClusterMember(_Model):
    """One quote of one article in a cluster; `quotes` row (`article_id`, `index`) is its source."""

    article_id: str = Field(pattern=_ARTICLE_ID, description="Id of the article (row of `articles`).")
    quote_index: int = Field(ge=0, description="`index` of the quote in the `quotes` config (with `article_id`).")
    text: str = Field(description="The quoted words (equal to the quote row's `text`).")
    outlet: str | None = Field(default=None, description="The article's outlet name, null when unknown.")
    date: str | None = Field(default=None, pattern=_ISO_DATE, description="The article's publication date, null when unknown.")
    match: Literal["full", "partial", "variant"] = Field(
        description="How the quote renders the canonical wording: 'full' (the same words), 'partial' (a part of them), "
                    "'variant' (different wording of the same statement, e.g. another translation).")
    similarity: float = Field(ge=0.0, le=1.0, description="Word overlap with the canonical wording: the share of the "
                              "member's words found in it (0 to 1).")


class QuoteCluster(_Model):
    """The same statement quoted in different articles (row of the `quote_clusters` config).

    Only statements quoted in at least two articles are rows."""

    id: str = Field(pattern=_ARTICLE_ID, description="Stable id derived from the members' article ids and quote indexes.")
    canonical: str = Field(description="The canonical wording: the longest member, in words (ties: the "
                           "earliest).")
    speaker: str | None = Field(default=None, description="The speaker's name, when the members name one.")
    speaker_entity_id: str | None = Field(default=None, description="Catalog id of the speaker, when linked.")
    first_article_id: str = Field(pattern=_ARTICLE_ID, description="The article that carried it first (earliest date; ties by article id).")
    first_outlet: str | None = Field(default=None, description="The outlet that carried it first.")
    first_date: str | None = Field(default=None, pattern=_ISO_DATE, description="The earliest member date, null when no member is dated.")
    outlets: list[str] = Field(default_factory=list, description="The distinct outlets quoting it, sorted.")
    members: list[QuoteClusterMember] = Field(description="The quotes grouped, ordered by date, outlet and article id.")


# config name -> row model; 'articles' is the default config.
CONFIGS: dict[str, type[_Model]] = {
    "articles": Article,
    "quotes": QuoteRow,
    "figures": FigureRow,
    "entities": EntityRow,
    "entity_catalog": CatalogEntity,
    "claims": Claim,
    "quote_clusters": QuoteCluster,
}
