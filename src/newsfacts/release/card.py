"""The dataset card (`README.md` of a release): Hub YAML metadata generated from the models, then prose."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import yaml

from newsfacts import __version__
from newsfacts.models import CONFIGS, SCHEMA_VERSION, Article

DEFAULT_CONFIG = "articles"

CONFIG_DESCRIPTIONS = {
    "articles": "one row per article: cleaned text, metadata with provenance, and nested quotes, figures, "
    "entities, captions, removed furniture, repairs and known errors",
    "quotes": "one row per quote, with `article_id`",
    "figures": "one row per figure, with `article_id`",
    "entities": "one row per entity per article (all its mentions in that article), with `article_id`",
    "entity_catalog": "one row per canonical entity across the release (id, name, type, aliases, Wikidata QID, counts)",
}


def card_metadata(counts: dict[str, int], sizes: dict[str, int]) -> dict[str, Any]:
    from newsfacts.release.schema import features
    from newsfacts.release.write import SPLIT, parquet_path

    return {
        "pretty_name": "newsfacts",
        "language": ["en"],
        "license": "other",
        "tags": ["news", "quotes", "attribution", "named-entities", "quantities", "provenance"],
        "size_categories": [_size_category(counts.get(DEFAULT_CONFIG, 0))],
        "configs": [
            {
                "config_name": config,
                **({"default": True} if config == DEFAULT_CONFIG else {}),
                "data_files": [{"split": SPLIT, "path": parquet_path(config)}],
            }
            for config in CONFIGS
        ],
        "dataset_info": [
            {
                "config_name": config,
                "features": features(config)._to_yaml_list(),
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
    articles: Sequence[Article], counts: dict[str, int], sizes: dict[str, int], report: dict[str, Any]
) -> str:
    header = yaml.safe_dump(card_metadata(counts, sizes), sort_keys=False, allow_unicode=True, width=120)
    return f"---\n{header}---\n\n{_body(articles, counts, report)}"


def _body(articles: Sequence[Article], counts: dict[str, int], report: dict[str, Any]) -> str:
    lines = [
        f"# newsfacts {__version__}",
        "",
        "What the news said, as data: the outlet and date of each article (with the evidence they were read "
        "from), who was quoted saying what, which figures were reported, and which people, organisations and "
        "places are named. Every quote, speaker mention, figure and entity mention carries `start`/`end` "
        "character offsets into the article's `text`, and `text[start:end]` equals the span's text.",
        "",
        f"- Dataset version: **{__version__}** (the `newsfacts` package version that built it; cite this).",
        f"- Schema version: {SCHEMA_VERSION} (JSON Schema files in `schema/`).",
        f"- Pipeline: `{articles[0].pipeline if articles else 'n/a'}`.",
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
        "| id | file | outlet | date (method) | title |",
        "|---|---|---|---|---|",
        *[_article_line(a) for a in articles],
        "",
        "## Build report",
        "",
        *[f"- {outcome}: {n}" for outcome, n in sorted(report.get("counts", {}).items())],
        "",
        "Every input file appears in `build-report.json` as included, flagged (included, with known errors) or "
        "excluded, with its reason.",
        "",
        "## Known errors",
        "",
        "Problems found in the source articles or in their processing are listed per article in "
        "`known_errors`. In this release:",
        "",
        *_known_error_lines(articles),
        "",
        "See `DATASHEET.md` in the newsfacts repository for motivation, collection, processing, uses and "
        "limitations.",
        "",
        "## License",
        "",
        "The article texts belong to their publishers and are included for research, fact-checking and "
        "journalism under the quotation and text-and-data-mining exceptions that apply to you; the extracted "
        "annotations are released under CC BY 4.0. The code that builds the dataset is MIT-licensed.",
        "",
    ]
    return "\n".join(lines)


def _article_line(article: Article) -> str:
    date = article.date.value or "unknown"
    method = f" ({article.date.method})" if article.date.method else ""
    title = (article.title or "").replace("|", "\\|")
    return f"| `{article.id}` | {article.source.file} | {article.outlet.name or 'unknown'} | {date}{method} | {title} |"


def _known_error_lines(articles: Sequence[Article]) -> list[str]:
    kinds = Counter(error.kind for a in articles for error in a.known_errors)
    if not kinds:
        return ["- none recorded"]
    return [f"- `{kind}`: {n}" for kind, n in sorted(kinds.items())]
