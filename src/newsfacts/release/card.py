"""The dataset card (`README.md` of a release): Hub YAML metadata generated from the models, then prose.

The card describes the build it belongs to: its name, licence and version are the builder's (`ReleaseInfo`,
from `newsfacts build --name/--license/--version`), "unknown" when not given; anything from the inputs (file
names, outlet names, titles) is escaped before it goes into Markdown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from newsfacts import __version__
from newsfacts.models import CONFIGS, SCHEMA_VERSION, Article

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
}


def card_metadata(counts: dict[str, int], sizes: dict[str, int], release: ReleaseInfo = ReleaseInfo()) -> dict[str, Any]:
    from newsfacts.release.schema import features
    from newsfacts.release.write import SPLIT, parquet_path

    return {
        "pretty_name": release.name,
        "language": ["en"],
        "license": release.license,
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
    articles: Sequence[Article],
    counts: dict[str, int],
    sizes: dict[str, int],
    report: dict[str, Any],
    release: ReleaseInfo = ReleaseInfo(),
) -> str:
    header = yaml.safe_dump(card_metadata(counts, sizes, release), sort_keys=False, allow_unicode=True, width=120)
    return f"---\n{header}---\n\n{_body(articles, counts, report, release)}"


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


def _body(articles: Sequence[Article], counts: dict[str, int], report: dict[str, Any], release: ReleaseInfo) -> str:
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
        "| id | file | outlet | date (method) | cleaning (words kept) | title |",
        "|---|---|---|---|---|---|",
        *[_article_line(a) for a in articles],
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
        *_known_error_lines(articles),
        "",
        "## License",
        "",
        *_license_lines(release),
        "",
    ]
    if release.notes and release.notes.strip():
        lines += [release.notes.strip(), ""]
    return "\n".join(lines)


def _article_line(article: Article) -> str:
    date = article.date.value or "unknown"
    method = f" ({article.date.method})" if article.date.method else ""
    cells = [f"`{article.id}`", markdown_inline(article.source.file), markdown_inline(article.outlet.name or "unknown"),
             markdown_inline(f"{date}{method}"),
             f"{article.cleaning.method} ({article.cleaning.kept_share:.0%})", markdown_inline(article.title or "")]
    return "| " + " | ".join(cells) + " |"


# Every kind of line break and other control characters: a table row or heading must stay on one line.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# ASCII punctuation that Markdown (CommonMark, GFM tables, the Hub's math) may interpret; all of it can be
# backslash-escaped. `_` only matters at a word boundary.
_SPECIAL = re.compile(r"([\\`*\[\]<>|&~$])|(?<!\w)_|_(?!\w)")


def markdown_inline(text: str) -> str:
    """`text` as literal inline Markdown on one line (safe in a table cell or heading)."""
    flat = " ".join(_BREAKS.sub(" ", text).split())
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), flat)


def _known_error_lines(articles: Sequence[Article]) -> list[str]:
    kinds = Counter(error.kind for a in articles for error in a.known_errors)
    if not kinds:
        return ["- none recorded"]
    return [f"- `{kind}`: {n}" for kind, n in sorted(kinds.items())]
