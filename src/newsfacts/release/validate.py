"""`newsfacts validate DIR`: check a built release the way a user's CI would.

Checks, each reported as a Problem naming the file, the row id, the JSON pointer and the rule broken:
  card        the dataset card declares every config, its data files exist, its features match the Parquet
  arrow       each Parquet file's schema equals the Arrow schema generated from the models
  schema      each row validates against the generated JSON Schema (rule = the JSON Schema keyword)
  span        every text-coordinate span satisfies 0 <= start <= end <= len(text) and text[start:end] == span text
  join        per-item rows point to an existing article and agree with the article's nested items
  unique      ids are unique
  checksum    CHECKSUMS.sha256 lists every file with its current hash
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml
from jsonschema import Draft202012Validator

from newsfacts.models import CONFIGS
from newsfacts.release.schema import arrow_schema, json_schema
from newsfacts.release.write import CHECKSUM_FILE, parquet_path, release_files, sha256_file

# Subtrees of an article row whose offsets point into the raw input, not into `text`.
RAW_COORDINATE_FIELDS = {"removed", "captions"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: str
    pointer: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}: {self.pointer or '/'}: [{self.rule}] {self.message}"


def validate_release(folder: Path) -> list[Problem]:
    folder = Path(folder)
    if not folder.is_dir():
        return [Problem(str(folder), "-", "", "release", "not a folder")]
    problems: list[Problem] = []
    card = _read_card(folder, problems)
    tables: dict[str, list[dict[str, Any]]] = {}
    for config in CONFIGS:
        rows = _check_config(folder, config, card, problems)
        if rows is not None:
            tables[config] = rows
    if "articles" in tables:
        problems.extend(_check_spans_and_joins(tables))
    problems.extend(_check_checksums(folder))
    return sorted(set(problems))


def _read_card(folder: Path, problems: list[Problem]) -> dict[str, Any]:
    path = folder / "README.md"
    if not path.is_file():
        problems.append(Problem("README.md", "-", "", "card", "the dataset card is missing"))
        return {}
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        problems.append(Problem("README.md", "-", "", "card", "no YAML metadata block at the top of the card"))
        return {}
    try:
        meta = yaml.safe_load(text[4 : text.index("\n---\n", 4)]) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem("README.md", "-", "", "card", f"YAML metadata does not parse: {exc}"))
        return {}
    return meta


def _check_config(folder: Path, config: str, card: dict[str, Any], problems: list[Problem]) -> list[dict] | None:
    from datasets import Features

    relative = parquet_path(config)
    declared = {c.get("config_name"): c for c in card.get("configs", []) if isinstance(c, dict)}
    if card and config not in declared:
        problems.append(Problem("README.md", "-", f"/configs/{config}", "card", f"config {config!r} is not declared"))
    elif card:
        paths = [f.get("path") for f in declared[config].get("data_files", []) if isinstance(f, dict)]
        if relative not in paths:
            problems.append(Problem("README.md", "-", f"/configs/{config}/data_files", "card",
                                    f"expected data file {relative}, card lists {paths}"))
    path = folder / relative
    if not path.is_file():
        problems.append(Problem(relative, "-", "", "arrow", "Parquet file is missing"))
        return None
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable file; report it
        problems.append(Problem(relative, "-", "", "arrow", f"cannot read Parquet: {exc}"))
        return None
    expected = arrow_schema(config)
    if not table.schema.equals(expected, check_metadata=False):
        problems.extend(_schema_differences(relative, table.schema, expected))
    infos = {i.get("config_name"): i for i in card.get("dataset_info", []) if isinstance(i, dict)}
    if card and config in infos:
        try:
            card_features = Features._from_yaml_list(infos[config]["features"])
        except Exception as exc:  # noqa: BLE001
            problems.append(Problem("README.md", "-", f"/dataset_info/{config}/features", "card",
                                    f"features do not parse: {exc}"))
        else:
            if card_features != Features.from_arrow_schema(table.schema):
                problems.append(Problem("README.md", "-", f"/dataset_info/{config}/features", "card",
                                        f"features declared for {config!r} differ from the Parquet file's schema"))
    elif card:
        problems.append(Problem("README.md", "-", f"/dataset_info/{config}", "card", "no features declared"))
    rows = table.to_pylist()
    validator = Draft202012Validator(json_schema(config))
    for number, row in enumerate(rows):
        row_id = row_label(config, row, number)
        for error in validator.iter_errors(row):
            pointer = "/" + "/".join(str(p) for p in error.absolute_path)
            if error.validator == "required":
                missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
                if missing:
                    pointer = pointer.rstrip("/") + "/" + missing[0]
            problems.append(Problem(relative, row_id, pointer, str(error.validator), error.message))
    return rows


def row_label(config: str, row: dict[str, Any], number: int) -> str:
    """A human-usable id for a row: its id, article/index, or its position when those are missing."""
    if config in {"quotes", "figures"} and "article_id" in row and "index" in row:
        return f"{row['article_id']}/{row['index']}"
    if config == "entities" and "article_id" in row and "id" in row:
        return f"{row['article_id']}/{row['id']}"
    return str(row.get("id") or f"#{number}")


def _schema_differences(file: str, actual, expected) -> list[Problem]:
    problems = []
    for field in expected:
        if field.name not in actual.names:
            problems.append(Problem(file, "-", f"/{field.name}", "arrow", "column is missing"))
        elif not actual.field(field.name).equals(field):
            problems.append(Problem(file, "-", f"/{field.name}", "arrow",
                                    f"column is {actual.field(field.name).type} (nullable={actual.field(field.name).nullable}), "
                                    f"expected {field.type} (nullable={field.nullable})"))
    for name in actual.names:
        if name not in expected.names:
            problems.append(Problem(file, "-", f"/{name}", "arrow", "unexpected column"))
    if not problems:
        problems.append(Problem(file, "-", "", "arrow", "column order differs from the generated schema"))
    return problems


def iter_text_spans(node: Any, pointer: str = "") -> Iterator[tuple[str, str, int, int]]:
    """Yield (pointer, span text, start, end) for every span in text coordinates inside a row."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from iter_text_spans(item, f"{pointer}/{i}")
        return
    if not isinstance(node, dict):
        return
    if node.get("where") not in (None, "text"):
        return  # evidence in raw/url/manifest coordinates
    if node.get("caption") is not None and pointer:
        return  # a figure read from a caption points into that caption (see caption_span_problems)
    if isinstance(node.get("start"), int) and isinstance(node.get("end"), int):
        if isinstance(node.get("text"), str):
            yield pointer, node["text"], node["start"], node["end"]
        elif isinstance(node.get("after"), str):  # a repair: its result is what the text contains
            yield pointer, node["after"], node["start"], node["end"]
    for key, value in node.items():
        if pointer == "" and key in RAW_COORDINATE_FIELDS:
            continue
        yield from iter_text_spans(value, f"{pointer}/{key}")


def caption_span_problems(file: str, row_id: str, captions: list[dict], figure: Any, pointer: str) -> list[Problem]:
    """Spans of a figure read from a caption are checked against that caption's text."""
    index = figure.get("caption")
    if not isinstance(index, int) or not 0 <= index < len(captions or []):
        return [Problem(file, row_id, f"{pointer}/caption", "span", f"no caption {index!r} in the article")]
    return span_problems(file, row_id, captions[index]["text"], {**figure, "caption": None}, pointer)


def span_problems(file: str, row_id: str, text: str, node: Any, prefix: str = "") -> list[Problem]:
    problems = []
    for pointer, span_text, start, end in iter_text_spans(node, prefix):
        if not 0 <= start <= end <= len(text):
            problems.append(Problem(file, row_id, pointer, "span",
                                    f"offsets {start}:{end} are outside the article text (length {len(text)})"))
        elif text[start:end] != span_text:
            problems.append(Problem(file, row_id, pointer, "span",
                                    f"text[{start}:{end}] is {text[start:end]!r}, span says {span_text!r}"))
    return problems


def caption_mention_problems(file: str, row_id: str, captions: list[dict], entities: Any, pointer: str
                             ) -> list[Problem]:
    """Entity mentions printed in a photo caption are checked against that caption's text."""
    problems: list[Problem] = []
    for i, entity in enumerate(entities if isinstance(entities, list) else []):
        mentions = entity.get("mentions") if isinstance(entity, dict) else None
        prefix = f"{pointer}/{i}" if pointer else ""
        for j, mention in enumerate(mentions if isinstance(mentions, list) else []):
            if isinstance(mention, dict) and mention.get("caption") is not None:
                problems.extend(caption_span_problems(file, row_id, captions, mention, f"{prefix}/mentions/{j}"))
    return problems


def _check_spans_and_joins(tables: dict[str, list[dict[str, Any]]]) -> list[Problem]:
    problems: list[Problem] = []
    articles_file = parquet_path("articles")
    texts: dict[str, str] = {}
    captions: dict[str, list[dict]] = {}
    nested: dict[tuple[str, str], list] = {}
    for number, article in enumerate(tables["articles"]):
        row_id = row_label("articles", article, number)
        if row_id in texts:
            problems.append(Problem(articles_file, row_id, "/id", "unique", "article id is not unique"))
        text = article.get("text")
        if not isinstance(text, str):
            continue
        texts[row_id] = text
        captions[row_id] = article.get("captions") or []
        problems.extend(span_problems(articles_file, row_id, text, article))
        for i, figure in enumerate(article.get("figures") or []):
            if figure.get("caption") is not None:
                problems.extend(caption_span_problems(articles_file, row_id, captions[row_id], figure, f"/figures/{i}"))
        problems.extend(caption_mention_problems(articles_file, row_id, captions[row_id], article.get("entities"),
                                                 "/entities"))
        for config, key in (("quotes", "quotes"), ("figures", "figures"), ("entities", "entities")):
            nested[(config, row_id)] = article.get(key) or []
    for config in ("quotes", "figures", "entities"):
        file = parquet_path(config)
        seen: set[str] = set()
        by_article: dict[str, list[dict]] = {}
        for number, row in enumerate(tables.get(config, [])):
            row_id = row_label(config, row, number)
            if row_id in seen:
                problems.append(Problem(file, row_id, "", "unique", "row key is not unique"))
            seen.add(row_id)
            article_id = row.get("article_id")
            if article_id not in texts:
                problems.append(Problem(file, row_id, "/article_id", "join", f"no article with id {article_id!r}"))
                continue
            if row.get("caption") is not None:
                problems.extend(caption_span_problems(file, row_id, captions[article_id], row, ""))
            else:
                problems.extend(span_problems(file, row_id, texts[article_id], row))
            if config == "entities":
                problems.extend(caption_mention_problems(file, row_id, captions[article_id], [row], ""))
            by_article.setdefault(article_id, []).append(
                {k: v for k, v in row.items() if k not in {"article_id", "index"}}
            )
        for article_id in texts:
            if by_article.get(article_id, []) != nested.get((config, article_id), []):
                problems.append(Problem(file, article_id, f"/{config}", "join",
                                        f"{config} rows differ from the article's nested {config}"))
    return problems


def _check_checksums(folder: Path) -> list[Problem]:
    path = folder / CHECKSUM_FILE
    if not path.is_file():
        return [Problem(CHECKSUM_FILE, "-", "", "checksum", "checksum file is missing")]
    listed: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    problems = []
    present = {name: p for name, p in release_files(folder) if name != CHECKSUM_FILE}
    for name, file_path in present.items():
        if name not in listed:
            problems.append(Problem(name, "-", "", "checksum", f"file is not listed in {CHECKSUM_FILE}"))
        elif sha256_file(file_path) != listed[name]:
            problems.append(Problem(name, "-", "", "checksum", f"sha256 differs from {CHECKSUM_FILE}"))
    for name in listed:
        if name not in present:
            problems.append(Problem(name, "-", "", "checksum", f"listed in {CHECKSUM_FILE} but missing"))
    return problems


def problems_as_json(problems: list[Problem]) -> str:
    return json.dumps([p.__dict__ for p in problems], indent=2)
