"""Span and join checks on the rows of a release: every text-coordinate span matches the article text, and
the per-item configs agree with the items nested in their articles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsfacts.release.validate.problems import Problem
from newsfacts.release.layout import parquet_path

# Subtrees of an article row whose offsets point into the raw input, not into `text`.
RAW_COORDINATE_FIELDS = {"removed", "captions"}


def row_label(config: str, row: dict[str, Any], number: int) -> str:
    """A human-usable id for a row: its id, article/index, or its position when those are missing."""
    if config in {"quotes", "figures"} and "article_id" in row and "index" in row:
        return f"{row['article_id']}/{row['index']}"
    if config == "entities" and "article_id" in row and "id" in row:
        return f"{row['article_id']}/{row['id']}"
    return str(row.get("id") or f"#{number}")


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
    """Spans of a figure (or an entity mention) read from a caption are checked against that caption's text."""
    index = figure.get("caption")
    if not isinstance(index, int) or not 0 <= index < len(captions or []):
        return [Problem(file, row_id, f"{pointer}/caption", "span", f"no caption {index!r} in the article")]
    caption = captions[index]
    if not isinstance(caption, dict) or not isinstance(caption.get("text"), str):
        return [Problem(file, row_id, f"{pointer}/caption", "span", f"caption {index} has no text")]
    return span_problems(file, row_id, caption["text"], {**figure, "caption": None}, pointer)


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


def check_spans_and_joins(tables: dict[str, list[dict[str, Any]]], files: dict[str, str] | None = None
                          ) -> list[Problem]:
    """The span, join and uniqueness problems of `tables` (config → rows; a per-item config left out is not
    joined). `newsfacts validate` and the build call it on one article at a time: its row and its per-item rows.
    `files`: config → the file its problems name (by default the config's single-shard path)."""
    files = files or {}
    problems: list[Problem] = []
    articles_file = files.get("articles", parquet_path("articles"))
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
        if config not in tables:
            continue  # unreadable or of another shape: reported as such, nothing to join
        file = files.get(config, parquet_path(config))
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
