"""The dataset card (`README.md` of a release): Hub YAML metadata generated from the models, then prose.

The card describes the build it belongs to: its name, licence and version are the builder's (`ReleaseInfo`,
from `newsfacts build --name/--license/--version`), "unknown" when not given; anything from the inputs (file
names, outlet names, titles) is escaped before it goes into Markdown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from newsfacts import __version__
from newsfacts.models import CONFIGS, SCHEMA_VERSION, Article
from newsfacts.release.layout import SPLIT, config_glob, parquet_path
from newsfacts.release.markdown import markdown_inline
from newsfacts.release.stats import ReleaseStats, article_line

__all__ = ["CONFIG_DESCRIPTIONS", "ReleaseInfo", "article_line", "bibtex", "card_metadata", "code_block",
           "example_row", "example_rows", "markdown_inline", "render_card"]

DEFAULT_CONFIG = "articles"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class ReleaseInfo:
    """What the builder says about their release; nothing here is guessed."""

    name: str = UNKNOWN
    license: str = UNKNOWN  # a Hugging Face Hub licence identifier (e.g. cc-by-4.0, other, unknown)
    version: str = UNKNOWN
    notes: str | None = None  # the builder's own Markdown, appended to the card as given

CONFIG_DESCRIPTIONS = {
    "articles": "one row per article: cleaned text, metadata with provenance, and nested quotes, figures, "
    "entities, captions, removed furniture, repairs and known errors",
    "quotes": "one row per quote, with `article_id`",
    "figures": "one row per figure, with `article_id`",
    "entities": "one row per entity per article (all its mentions in that article), with `article_id`",
    "entity_catalog": "one row per canonical entity across the release (id, name, type, aliases, Wikidata QID, counts)",
    "claims": "one row per claim: figures of different articles that count the same thing, with the values seen, "
    "a status (agree, range, update, disagree) and one member per figure (`article_id`, `figure_index`)",
    "quote_clusters": "one row per statement quoted in different articles: canonical wording, speaker, first "
    "carrier, one member per quote (`article_id`, `quote_index`)",
}


def data_files_path(config: str, shards: dict[str, list[str]] | None) -> str:
    """The card's data_files path of a config: its only shard, or the pattern matching all of its shards."""
    paths = (shards or {}).get(config) or [parquet_path(config)]
    return paths[0] if len(paths) == 1 else config_glob(config)


def card_metadata(counts: dict[str, int], sizes: dict[str, int], release: ReleaseInfo = ReleaseInfo(),
                  shards: dict[str, list[str]] | None = None) -> dict[str, Any]:
    from newsfacts.release.schema import card_features

    return {
        "pretty_name": release.name,
        "language": ["en"],
        "license": release.license,
        # The rows are token-level annotations of news text (entity mentions, quote and figure spans with offsets).
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "source_datasets": ["original"],
        "tags": ["news", "quotes", "attribution", "named-entities", "quantities", "provenance"],
        "size_categories": [_size_category(counts.get(DEFAULT_CONFIG, 0))],
        "configs": [
            {
                "config_name": config,
                **({"default": True} if config == DEFAULT_CONFIG else {}),
                "data_files": [{"split": SPLIT, "path": data_files_path(config, shards)}],
            }
            for config in CONFIGS
        ],
        "dataset_info": [
            {
                "config_name": config,
                "features": card_features(config),
                "splits": [{"name": SPLIT, "num_bytes": sizes.get(config, 0), "num_examples": counts.get(config, 0)}],
            }
            for config in CONFIGS
        ],
    }


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return label
    return "100K<n<1M"


def render_card(
    articles: Sequence[Article] | ReleaseStats,
    counts: dict[str, int],
    sizes: dict[str, int],
    report: dict[str, Any],
    release: ReleaseInfo = ReleaseInfo(),
) -> str:
    """The card of a release, from its articles or from the statistics collected while they were written."""
    stats = articles if isinstance(articles, ReleaseStats) else ReleaseStats.of(articles)
    if not isinstance(articles, ReleaseStats):
        stats.examples = example_rows(articles)
    header = yaml.safe_dump(card_metadata(counts, sizes, release, stats.shards), sort_keys=False, allow_unicode=True,
                            width=120)
    return f"---\n{header}---\n\n{_body(stats, counts, report, release)}"


def _heading(release: ReleaseInfo) -> str:
    name = markdown_inline(release.name) if release.name != UNKNOWN else "Untitled newsfacts release"
    return f"# {name} {markdown_inline(release.version)}" if release.version != UNKNOWN else f"# {name}"


def _version_line(release: ReleaseInfo) -> str:
    if release.version == UNKNOWN:
        return (f"- Dataset version: unknown (not given by whoever built it: `newsfacts build --version`); "
                f"built with newsfacts {__version__}.")
    return f"- Dataset version: **{markdown_inline(release.version)}** (cite this); built with newsfacts {__version__}."


def _license_lines(release: ReleaseInfo) -> list[str]:
    if release.license == UNKNOWN:
        stated = ("Not stated: whoever built this release gave no licence (`newsfacts build --license`); ask them "
                  "before reusing it.")
    else:
        stated = f"`{markdown_inline(release.license).replace('`', '')}`, as stated by whoever built this release."
    return [stated, "", "The article texts belong to their publishers. The code that builds the dataset "
            "(newsfacts) is MIT-licensed."]


def _body(stats: ReleaseStats, counts: dict[str, int], report: dict[str, Any], release: ReleaseInfo) -> str:
    lines = [
        _heading(release),
        "",
        "What the news said, as data: the outlet and date of each article (with the evidence they were read "
        "from), who was quoted saying what, which figures were reported, and which people, organisations and "
        "places are named. Every quote, speaker mention, figure and entity mention carries `start`/`end` "
        "character offsets into the article's `text`, and `text[start:end]` equals the span's text.",
        "",
        _version_line(release),
        f"- Schema version: {SCHEMA_VERSION} (JSON Schema files in `schema/`).",
        f"- Pipeline: `{stats.first_pipeline or 'n/a'}`.",
        "- Integrity: `CHECKSUMS.sha256` (`sha256sum -c CHECKSUMS.sha256`); `newsfacts validate <folder>` checks "
        "rows, schema, card and span offsets.",
        "",
        "## Configs",
        "",
        "| config | rows | content |",
        "|---|---:|---|",
        *[f"| `{c}` | {counts.get(c, 0)} | {CONFIG_DESCRIPTIONS[c]} |" for c in CONFIGS],
        "",
        "## Loading",
        "",
        "```python",
        "from datasets import load_dataset",
        'articles = load_dataset("path/to/dataset", "articles", split="train")',
        'quotes = load_dataset("path/to/dataset", "quotes", split="train")',
        "```",
        "",
        "```sql",
        "-- DuckDB: who is quoted, per article",
        "SELECT a.title, q.speaker.name, q.text",
        "FROM 'data/quotes/*.parquet' q JOIN 'data/articles/*.parquet' a ON a.id = q.article_id;",
        "```",
        "",
        "## Articles",
        "",
        "| id | file | outlet | date (method) | cleaning (words kept) | title |",
        "|---|---|---|---|---|---|",
        *stats.article_lines,
        "",
        "## Build report",
        "",
        *[f"- {outcome}: {n}" for outcome, n in sorted(report.get("counts", {}).items())],
        "",
        "Every input file appears in `build-report.json` as included, flagged (included, with known errors) or "
        "excluded, with its reason; `low_retention` lists the articles whose text kept less than "
        f"{report.get('low_retention', {}).get('threshold', 0.1):.0%} of their input's words "
        f"({len(report.get('low_retention', {}).get('articles', []))} in this release).",
        "",
        "## Known errors",
        "",
        "Problems found in the source articles or in their processing are listed per article in "
        "`known_errors`. In this release:",
        "",
        *_known_error_lines(stats),
        "",
        *_cross_document_lines(),
        *_provenance_lines(stats, report),
        *_limitation_lines(),
        *_example_lines(stats.examples),
        *_field_lines(),
        "## How to cite",
        "",
        *_citation_lines(release),
        "",
        "## License",
        "",
        *_license_lines(release),
        "",
    ]
    if release.notes and release.notes.strip():
        lines += [release.notes.strip(), ""]
    return "\n".join(lines)


def _known_error_lines(stats: ReleaseStats) -> list[str]:
    kinds = stats.known_errors
    if not kinds:
        return ["- none recorded"]
    return [f"- `{kind}`: {n}" for kind, n in sorted(kinds.items())]


def _cross_document_lines() -> list[str]:
    return [
        "## Claims and quote clusters (across articles)",
        "",
        "`claims` groups figures of different articles that count the same thing: the same kind of figure, the "
        "same counted noun or one of its class (soldiers, troops), values within a factor of each other, dates "
        "within a window, and enough shared evidence (the entities named in the figure's sentence, the claimant, "
        "the noun's qualifiers, the same value); an article without a date joins only on stronger evidence. A row "
        "is one claim: a short `statement`, `unit`, the `values` seen, `value_min`/`value_max`, and a `status`: "
        "`agree` (one value), `range` (the values nest in each other's ranges and hedges: 'about 12,000' and "
        "'10,000 to 12,000'), `update` (a later date revises an earlier value) or `disagree`. Each member is one "
        "figure, with its outlet, date, claimant, value, hedge and `reasons` (why it joined). Only groups that "
        "span two articles or more are rows.",
        "",
        "`quote_clusters` groups quotes of different articles that render one statement: `full` (the same "
        "words), `partial` (one inside the other, or a long shared run of words) or `variant` (other words for "
        "the same statement by the same speaker, such as two translations). A row has the `canonical` wording "
        "(the longest member), the `speaker` and its catalog id, the article and outlet that carried it first "
        "(earliest date, ties by article id) and one member per quote with its `match` and `similarity`.",
        "",
        "Members point to their rows: (`article_id`, `figure_index`) is the `figures` row (`article_id`, "
        "`index`), (`article_id`, `quote_index`) the `quotes` row; `newsfacts validate` checks that every member "
        "exists and that its `text` is that row's.",
        "",
        "```sql",
        "-- DuckDB: every claim outlets disagree on, one line per figure, with its sentence's offsets",
        "SELECT c.statement, m.outlet, m.date, m.value, m.hedge, m.claimant, f.start, f.\"end\"",
        "FROM 'data/claims/*.parquet' c, UNNEST(c.members) AS u(m)",
        "JOIN 'data/figures/*.parquet' f ON f.article_id = m.article_id AND f.index = m.figure_index",
        "WHERE c.status = 'disagree' ORDER BY c.id, m.date;",
        "",
        "-- which outlet carried a statement first, and who repeated it",
        "SELECT q.canonical, q.speaker, q.first_outlet, q.first_date, len(q.members) AS quoted, q.outlets",
        "FROM 'data/quote_clusters/*.parquet' q ORDER BY quoted DESC;",
        "```",
        "",
        "The grouping is automatic and scored against hand-labelled pairs of figures and quotes (same claim or "
        "not); see the package's `eval/baseline/claims.json` for its precision and recall.",
        "",
    ]


# ---- provenance, limitations, examples, fields, citation ------------------------------------------------


def _provenance_lines(stats: ReleaseStats, report: dict[str, Any]) -> list[str]:
    formats = stats.formats
    url_methods = stats.url_methods
    retrieval = sorted(stats.retrieval)
    pipelines = sorted(stats.pipelines)
    lines = [
        "## Provenance",
        "",
        f"- Input: the folder `{markdown_inline(str(report.get('input', 'unknown'))).replace('`', '')}` given to "
        "`newsfacts build`; every file in it is listed in `build-report.json` with its sha256 and what became of it.",
        "- Input formats of the articles: " + (", ".join(f"{k}: {v}" for k, v in sorted(formats.items())) or "none") + ".",
        "- Where each article's URL came from: " + (", ".join(f"{k}: {v}" for k, v in sorted(url_methods.items()))
                                                     or "none") + " (`source.url_method`; `none`: unknown).",
    ]
    if retrieval:
        lines.append("- Retrieval notes (from the input's manifest, `source.retrieval`): "
                     + "; ".join(markdown_inline(r) for r in retrieval) + ".")
    else:
        lines.append("- Retrieval: not recorded (no manifest notes); how and when the pages were fetched is unknown "
                     "to this card.")
    lines += [
        "- Annotation: automatic, by " + (", ".join(f"`{p}`" for p in pipelines) or "the newsfacts pipeline")
        + " (the `pipeline` field of every article): spaCy named-entity recognition linked to a hand-curated "
        "knowledge base, rule-based quote attribution and figure extraction.",
        "- Machine-readable metadata: `croissant.json` (MLCommons Croissant 1.1 with the Responsible-AI fields).",
        "- A look at the release: `report.html`, one self-contained page (no script, nothing loaded from the "
        "network) listing the inputs excluded or flagged by the build with their reasons and charting each "
        "claim's values by outlet and date, each quote cluster's spread over outlets and "
        "time, the entities most often named together and the known errors by kind (`newsfacts report` makes "
        "it for any release).",
        "",
    ]
    return lines


def _limitation_lines() -> list[str]:
    return [
        "## Limitations",
        "",
        "- The annotations are automatic: entities, speakers and figures can be missed or wrong. Check a row "
        "against the article text (the offsets make that one slice) before relying on it.",
        "- A row says what the article says, not what is true: outlets misreport and disagree with each other.",
        "- Entities, quotes and figures need the English model: an article in another language keeps its text and "
        "metadata and carries the known error `language_not_annotated` instead.",
        "- A null outlet member or date means the page gave no sound evidence for it (`date.reason` says why); "
        "nothing is guessed.",
        "- The articles are whatever the builder chose: they represent no outlet, topic or period.",
        "- The article texts belong to their publishers (see License).",
        "",
    ]


EXAMPLE_TEXT_LIMIT = 160
EXAMPLE_LIST_LIMIT = 2


def example_rows(articles: Sequence[Article]) -> dict[str, dict[str, Any]]:
    """The first row of each config (rows are sorted by article id), shortened for the card."""
    from newsfacts.release.rows import ROW_BUILDERS

    articles = sorted(articles, key=lambda a: a.id)
    return {config: example_row(config, rows[0]) for config in CONFIGS
            if (rows := ROW_BUILDERS[config](articles) if articles else [])}


def example_row(config: str, row: dict[str, Any]) -> dict[str, Any]:
    """A config's row shortened for the card, columns in the Parquet file's order."""
    from newsfacts.release.schema import arrow_schema

    return _shorten({name: row[name] for name in arrow_schema(config).names})


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > EXAMPLE_TEXT_LIMIT:
        return value[:EXAMPLE_TEXT_LIMIT] + f"… ({len(value) - EXAMPLE_TEXT_LIMIT} more characters)"
    if isinstance(value, list):
        kept = [_shorten(v) for v in value[:EXAMPLE_LIST_LIMIT]]
        return kept + ([f"… ({len(value) - EXAMPLE_LIST_LIMIT} more items)"] if len(value) > EXAMPLE_LIST_LIMIT else [])
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


# Line separators that JSON leaves as they are but Markdown renderers may break a line on.
_JSON_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def code_block(text: str, language: str = "") -> list[str]:
    """`text` as a fenced code block that nothing in it can close (the fence is longer than any backtick run)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", text, fence]


def _example_lines(examples: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["## Example rows", "",
             f"The first row of each config, with text over {EXAMPLE_TEXT_LIMIT} characters and lists over "
             f"{EXAMPLE_LIST_LIMIT} items shortened (marked …).", ""]
    if not examples:
        return lines + ["This release has no rows.", ""]
    for config, row in examples.items():
        text = json.dumps(row, indent=2, ensure_ascii=False)
        for char, escape in _JSON_LINE_BREAKS.items():
            text = text.replace(char, escape)
        lines += [f"### `{config}`", "", *code_block(text, "json"), ""]
    return lines


_ARROW_NAMES = {"text": "string", "integer": "int64", "float": "float64", "boolean": "bool", "struct": "struct"}


def _field_lines() -> list[str]:
    from newsfacts.release.fields import config_fields, full_description

    lines = ["## Fields", "",
             "Every column of every config, nested members included (`a.b` is member `b` of struct `a`; in a list "
             "of structs, of each item). Generated from the data model (`newsfacts.models`); the JSON Schema files "
             "in `schema/` say the same with every constraint.", ""]
    for config in CONFIGS:
        lines += [f"### `{config}`", "", "| field | type | description |", "|---|---|---|"]
        for top in config_fields(config):
            for field in top.walk():
                kind = _ARROW_NAMES[field.kind]
                kind = f"list of {kind}" if field.is_list else kind
                # A member the model leaves undescribed says so (the gap is the model's to fill), with its type facts.
                described = full_description(field) if field.description else " ".join(
                    ["(no description in the model)", full_description(field)]).strip()
                description = markdown_inline(described)
                lines.append(f"| `{field.path}` | {kind} | {description} |")
        lines.append("")
    return lines


def citation_key(release: ReleaseInfo) -> str:
    name = re.sub(r"[^a-z0-9]+", "", release.name.lower()) if release.name != UNKNOWN else ""
    version = re.sub(r"[^a-z0-9]+", "_", release.version.lower()).strip("_") if release.version != UNKNOWN else ""
    return "_".join(part for part in (name or "newsfacts_release", version) if part)


def bibtex(release: ReleaseInfo) -> str:
    """A BibTeX entry for this release; the version is part of the key and the title, so a citation names it."""

    def value(text: str) -> str:  # braces would unbalance the entry; line breaks would end it
        return " ".join(re.sub(r"[{}\\]", "", text).split())

    title = value(release.name) if release.name != UNKNOWN else "Untitled newsfacts release"
    lines = [f"@misc{{{citation_key(release)},", f"  title = {{{title}"
             + (f" (version {value(release.version)})" if release.version != UNKNOWN else "") + "},"]
    if release.version != UNKNOWN:
        lines.append(f"  version = {{{value(release.version)}}},")
    lines.append(f"  note = {{Dataset built with newsfacts {__version__}"
                 + ("" if release.version != UNKNOWN else "; no dataset version was given") + "},")
    lines.append("}")
    return "\n".join(lines)


def _citation_lines(release: ReleaseInfo) -> list[str]:
    lines = ["Cite the version you used (a new release can change any row):", "", *code_block(bibtex(release), "bibtex")]
    if release.version == UNKNOWN:
        lines += ["", "This release has no version (`newsfacts build --version`): cite its `CHECKSUMS.sha256` digest "
                  "so readers can tell which copy you used."]
    return lines
