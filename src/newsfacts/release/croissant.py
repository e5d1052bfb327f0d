"""`croissant.json`: the release described in MLCommons Croissant 1.1, with the Responsible-AI vocabulary.

* One `cr:FileObject` per config's Parquet file (its sha256 read from the written bytes) and one
  `cr:RecordSet` per config, with a `cr:Field` per column, generated from the models (`release.fields`).
* Struct columns are `subField`s read with a `jsonPath` transform from their column; lists are `isArray`. A
  list of structs (e.g. an article's `quotes`) is an array field whose subFields read one member of each item.
  Croissant can say all of it, so nothing is flattened into JSON text. (mlcroissant 1.1.1 reads every record
  set; it returns members nested deeper than one level under their own key rather than inside their parent, and
  cannot read a list inside a list of structs, i.e. `articles.entities.mentions`: the `entities` record set has
  those mentions, one level down, and reads them.)
* Joins are `references`: every `article_id` (and `known_errors.related_id`) points at `articles/id`, every
  entity id (`entities.id`, `speaker.entity_id`, `claimant.entity_id`) at `entity_catalog/id`.
* Like every file of a release it depends only on the articles, the build report and `ReleaseInfo`: no clock
  (so no `datePublished`), sorted keys, stable order. The Responsible-AI texts describe this build from what
  the build knows (inputs, outlets, dates, model, known errors), in words that hold for any build.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsfacts import __version__
from newsfacts.models import CONFIGS, Article
from newsfacts.release.card import UNKNOWN, ReleaseInfo, bibtex
from newsfacts.release.fields import ColumnField, config_fields, full_description
from newsfacts.release.layout import config_glob, parquet_path, sha256_file
from newsfacts.release.stats import ReleaseStats

CROISSANT_FILE = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET_FORMAT = "application/x-parquet"

# The Croissant 1.1 JSON-LD context (as mlcroissant writes it), plus the RAI prefix.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

DATA_TYPES = {"text": "sc:Text", "integer": "sc:Integer", "float": "sc:Float", "boolean": "sc:Boolean"}

# Which column identifies a row of each config (a composite key for the per-item configs).
RECORD_KEYS = {
    "articles": ("id",),
    "quotes": ("article_id", "index"),
    "figures": ("article_id", "index"),
    "entities": ("article_id", "id"),
    "entity_catalog": ("id",),
    "claims": ("id",),
    "quote_clusters": ("id",),
}

# Joins: a column (by its name, wherever it is nested) → the field it references. The catalog's own `id` is
# the target, so it references nothing.
REFERENCES = {
    "article_id": "articles/id",
    "first_article_id": "articles/id",
    "entity_id": "entity_catalog/id",
    "claimant_entity_id": "entity_catalog/id",
    "speaker_entity_id": "entity_catalog/id",
}
ENTITY_ID_PATHS = {("entities", "id"), ("articles", "entities.id")}


def file_object_id(config: str) -> str:
    return f"parquet-{config}"


def croissant_metadata(
    articles: Sequence[Article] | ReleaseStats,
    counts: dict[str, int],
    report: dict[str, Any],
    parquet: dict[str, tuple[str, str, int] | list[tuple[str, str, int]]],
    release: ReleaseInfo = ReleaseInfo(),
) -> dict[str, Any]:
    """The Croissant document. `parquet`: config → (release-relative path, sha256, size in bytes) of its shard,
    or a list of them when it has several. `articles`: the articles, or the statistics collected from them."""
    stats = articles if isinstance(articles, ReleaseStats) else ReleaseStats.of(articles)
    metadata: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": release.name if release.name != UNKNOWN else "untitled-newsfacts-release",
        "description": _description(counts),
        "citeAs": bibtex(release),
        "license": release.license,
        "inLanguage": sorted(stats.named_languages) or ["en"],
        "keywords": ["news", "quotes", "attribution", "named entities", "quantities", "provenance"],
        "isAccessibleForFree": True,
        "isBasedOn": {"@type": "sc:SoftwareApplication", "name": "newsfacts", "softwareVersion": __version__},
        "distribution": [entry for config in CONFIGS for entry in _distribution(config, parquet[config])],
        "recordSet": [_record_set(config, counts.get(config, 0), _sharded(parquet[config])) for config in CONFIGS],
        **_responsible_ai(stats, report, release),
    }
    if release.version != UNKNOWN:
        metadata["version"] = release.version
    coverage = _temporal_coverage(stats)
    if coverage:
        metadata["temporalCoverage"] = coverage
    return metadata


def write_croissant(
    folder: Path, articles: Sequence[Article] | ReleaseStats, counts: dict[str, int], report: dict[str, Any],
    release: ReleaseInfo = ReleaseInfo(), digests: dict[str, str] | None = None,
) -> Path:
    """Write `croissant.json` into a release folder whose Parquet files are already written. `digests`:
    release path → sha256 of files already hashed (each file is hashed once per build)."""
    stats = articles if isinstance(articles, ReleaseStats) else ReleaseStats.of(articles)
    digests = digests if digests is not None else {}
    parquet: dict[str, list[tuple[str, str, int]]] = {}
    for config in CONFIGS:
        parquet[config] = []
        for relative in stats.shards.get(config) or [parquet_path(config)]:
            path = folder / relative
            if relative not in digests:
                digests[relative] = sha256_file(path)
            parquet[config].append((relative, digests[relative], path.stat().st_size))
    articles = stats
    target = folder / CROISSANT_FILE
    document = croissant_metadata(articles, counts, report, parquet, release)
    target.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def _description(counts: dict[str, int]) -> str:
    return (
        "What the news said, as data: the outlet and date of each article with the evidence they were read from, "
        "who was quoted saying what, which figures were reported, and which people, organisations and places are "
        "named. Every quote, speaker mention, figure and entity mention carries start/end character offsets into "
        "the article's text. "
        + "; ".join(f"{config}: {counts.get(config, 0)} rows" for config in CONFIGS)
        + f". Built with newsfacts {__version__}."
    )


def _distribution(config: str, files: tuple[str, str, int] | list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """A config's one Parquet file as a FileObject (with its checksum); several shards as a FileSet (their
    checksums are in CHECKSUMS.sha256)."""
    if isinstance(files, tuple):
        files = [files]
    if len(files) == 1:
        return [_file_object(config, *files[0])]
    return [{
        "@type": "cr:FileSet",
        "@id": file_object_id(config),
        "name": file_object_id(config),
        "description": f"The `{config}` config (split train) as {len(files)} Parquet shards.",
        "encodingFormat": PARQUET_FORMAT,
        "includes": config_glob(config),
    }]


def _file_object(config: str, path: str, sha256: str, size: int) -> dict[str, Any]:
    return {
        "@type": "cr:FileObject",
        "@id": file_object_id(config),
        "name": file_object_id(config),
        "description": f"The `{config}` config (split train) as one Parquet file.",
        "contentUrl": path,
        "contentSize": f"{size} B",
        "encodingFormat": PARQUET_FORMAT,
        "sha256": sha256,
    }


def _sharded(files: tuple[str, str, int] | list[tuple[str, str, int]]) -> bool:
    return isinstance(files, list) and len(files) > 1


def _record_set(config: str, rows: int, sharded: bool = False) -> dict[str, Any]:
    model = CONFIGS[config]
    doc = " ".join((model.__doc__ or config).strip().split("\n\n")[0].split())
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": f"{doc} {rows} rows in this release.",
        "key": [{"@id": f"{config}/{name}"} for name in RECORD_KEYS[config]],
        "field": [_field(config, column, column, None, sharded) for column in config_fields(config)],
    }


def _field(config: str, field: ColumnField, column: ColumnField, array_parent: ColumnField | None,
           sharded: bool = False) -> dict[str, Any]:
    """A Field for `field`, read from top-level `column`. Members of a struct are read from the column with a
    jsonPath; members of a list of structs with a jsonPath relative to one item."""
    node: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{config}/{field.path.replace('.', '/')}",
        "name": field.name,
        "description": full_description(field) or field.name,
    }
    if field.is_list:
        node["isArray"] = True
    if field.kind == "struct":
        # A struct is described by its members; the data comes from the leaves.
        inner_parent = field if field.is_list else array_parent
        node["subField"] = [_field(config, child, column, inner_parent, sharded) for child in field.children]
        return node
    node["dataType"] = DATA_TYPES[field.kind]
    source: dict[str, Any] = {"fileSet" if sharded else "fileObject": {"@id": file_object_id(config)},
                              "extract": {"column": column.path}}
    if field is not column:
        # Bracket notation (RFC 9535): member names such as `where` are keywords of some JSONPath parsers.
        relative = field.path[len((array_parent or column).path) + 1:].split(".")
        source["transform"] = {"jsonPath": "$" + "".join(f"['{name}']" for name in relative)}
    node["source"] = source
    target = _reference(config, field)
    if target:
        node["references"] = {"field": {"@id": target}}
    return node


def _reference(config: str, field: ColumnField) -> str | None:
    if (config, field.path) in ENTITY_ID_PATHS:
        return "entity_catalog/id"
    return REFERENCES.get(field.name)


def _temporal_coverage(stats: ReleaseStats) -> str | None:
    first, last = stats.first_date, stats.last_date
    if first is None or last is None:
        return None
    return first if first == last else f"{first}/{last}"


# ---- Responsible AI (http://mlcommons.org/croissant/RAI/) ------------------------------------------------


def _responsible_ai(stats: ReleaseStats, report: dict[str, Any], release: ReleaseInfo) -> dict[str, Any]:
    n = stats.articles
    formats = stats.formats
    outlets = sorted(stats.outlets)
    no_outlet = stats.no_outlet
    no_date = stats.no_date
    languages = stats.languages
    retrieval = sorted(stats.retrieval)
    with_url = stats.with_url
    errors = stats.known_errors
    pipelines = sorted(stats.pipelines)
    outcomes = report.get("counts", {})
    coverage = _temporal_coverage(stats)
    who = f"'{release.name}'" if release.name != UNKNOWN else "this release"

    collection = (
        f"{n} news article(s) given to `newsfacts build` as files "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(formats.items()))}); the build read every file of its input "
        f"folder and recorded each in build-report.json ({', '.join(f'{k}: {v}' for k, v in sorted(outcomes.items()))}). "
        f"{with_url} of {n} came with their page URL. "
        + (f"Retrieval notes from the input manifest: {'; '.join(retrieval)}. " if retrieval else
           "No retrieval notes were given: how and when the pages were fetched is not recorded here. ")
        + (f"Outlets identified: {', '.join(outlets)}" if outlets else "No outlet could be identified")
        + (f" ({no_outlet} article(s) without an identified outlet)." if no_outlet else ".")
        + (f" Publication dates range over {coverage}" if coverage else " No publication date was found")
        + (f" ({no_date} article(s) without a date)." if no_date else ".")
    )
    preprocessing = [
        "Decoding: the input bytes are decoded (the encoding is recorded per article); files that are empty, binary, "
        "undecodable, too large or exact duplicates are excluded with their reason; near duplicates are flagged.",
        "Cleaning: page furniture (consent banners, navigation, comment forms, counters, bylines, captions) is "
        "removed from the article text by patterns and a text-density pass; every removed block is kept in "
        "`removed` with its offsets into the input, and every change to the text in `repairs`, so that cleaning "
        "can be audited and undone. `cleaning.kept_share` gives the share of the input's words kept.",
        "Metadata: title, outlet (registry of outlets, URLs, footers), publication date (bylines, datelines, "
        "captions, sound inferences marked as such) and credits, each with the evidence it was read from; null with "
        "a reason when there is no sound evidence.",
        f"Annotation: automatic, by {', '.join(pipelines) or 'the newsfacts pipeline'}: spaCy named-entity "
        "recognition grouped into entities and linked to a hand-curated knowledge base, rule-based quote attribution "
        "(quotation marks, cue verbs) and rule-based figure extraction (numbers, units, hedges, claimants). Every "
        "span carries offsets with text[start:end] equal to its text.",
    ]
    limitations = [
        f"Annotations are automatic and contain errors: missed or wrong entities, speakers and figures. "
        f"{sum(errors.values())} known error(s) are recorded in `known_errors`"
        + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(errors.items()))})." if errors else "."),
        "Entities, quotes and figures need the English spaCy model: articles in another language keep their text "
        "and metadata but carry the known error `language_not_annotated` instead of annotations. Languages here: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(languages.items())) + ".",
        "Facts are what the articles say, not verified facts: a figure or quote is attributed to the article and "
        "its claimant, and outlets may disagree with each other or misreport.",
        f"{n} article(s): too few and too selected to represent any outlet, topic or period.",
    ]
    biases = [
        "The articles were chosen by whoever built the release; their outlets, topics, languages and points of view "
        "reflect that choice and the outlets' own editorial lines, not news coverage at large.",
        "The English model and the English cue verbs and patterns work best on English wire-style prose; machine "
        "translated or unusual text is annotated less reliably.",
        "The knowledge base that links entities to canonical ids is curated by hand and covers some names better "
        "than others; unlinked entities get a deterministic fallback id.",
    ]
    personal = [
        "The articles are published news: they name people (mostly public figures, officials and journalists in "
        "bylines) and quote them. The release extracts those names, quotes and their attribution; it adds no "
        "personal information beyond what the articles printed.",
        "Removed page furniture (comment forms, author boxes) is kept with its offsets for auditing and may contain "
        "what the page showed there.",
    ]
    use_cases = [
        "Querying and comparing what news articles report: who is quoted saying what, which figures are cited and "
        "by whom, which people, organisations and places are named, with every item traceable to its characters.",
        "Fact-checking and media research: finding disagreements between outlets on the same figure or quote.",
        "Evaluating or training extraction systems only with care: the annotations are automatic, not a gold "
        "standard, except where marked as curated.",
    ]
    social_impact = (
        f"{who} makes the claims in news articles inspectable and comparable, which supports accountability of "
        "reporting; it also republishes article text, which belongs to its publishers, and automatic attribution "
        "errors could misattribute a quote or figure to a person: check a row against the article text before "
        "relying on it."
    )
    return {
        "rai:dataCollection": collection,
        "rai:dataCollectionType": _collection_types(formats),
        "rai:dataPreprocessingProtocol": preprocessing,
        "rai:dataAnnotationProtocol": [
            "Machine annotation only; no crowd or paid annotators. Hand-curated corrections, where a release has "
            "them, are marked as curated."
        ],
        "rai:machineAnnotationTools": pipelines or ["newsfacts"],
        "rai:dataLimitations": limitations,
        "rai:dataBiases": biases,
        "rai:personalSensitiveInformation": personal,
        "rai:dataUseCases": use_cases,
        "rai:dataSocialImpact": social_impact,
        "rai:dataReleaseMaintenancePlan": (
            "Each release is versioned (semver, shared by the dataset and the newsfacts package that built it) and "
            "verifiable with CHECKSUMS.sha256 and `newsfacts validate`; a new release is built from the same inputs "
            "with a newer newsfacts."
        ),
    }



def _collection_types(formats: Counter) -> list[str]:
    # Values from the RAI vocabulary's list: articles are published documents, analysed after the fact; an HTML
    # input is a page taken from the web. How a text dump or JSON Lines record was obtained is not known here.
    types = ["Document Analysis", "Secondary Data Analysis"]
    return types + (["Web Scraping"] if formats.get("html") else [])
