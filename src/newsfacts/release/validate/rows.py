"""Row checks shared by `newsfacts validate` (rows read back from Parquet) and the build (rows checked as they
are written, `RowChecker`): each row against its config's JSON Schema, spans against the article text, the
per-item rows against the items nested in their article, and unique ids."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator

from newsfacts.models import CONFIGS
from newsfacts.release.layout import parquet_path
from newsfacts.release.schema import json_schema
from newsfacts.release.validate.problems import Problem
from newsfacts.release.validate.spans import check_spans_and_joins, row_label

# Keep this many problems at most: a build stops at the first few anyway.
MAX_PROBLEMS = 1000


class RowSchema:
    """One config's JSON Schema, checked in two steps.

    A compiled validator (jsonschema-rs, about 200 times faster on our rows) says whether a row is valid; only a
    row it rejects is checked again by `jsonschema`, whose errors give the problems their pointer, rule and
    message. The two must never disagree on a row the fast one accepts: `tests/release/validate/test_rows.py`
    checks that on broken rows of every config. Formats are annotations in draft 2020-12 for both (neither
    checks them), and the fast one is stricter on `\\d` and `$` in patterns (ASCII digits, no trailing
    newline), which only sends a row to the full check.
    """

    def __init__(self, config: str) -> None:
        self.config = config
        schema = json_schema(config)
        self.fast = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
        self.full = Draft202012Validator(schema)

    def problems(self, file: str, row: dict[str, Any], number: int) -> list[Problem]:
        """The JSON Schema problems of one row (the rule is the JSON Schema keyword broken)."""
        try:
            if self.fast.is_valid(row):
                return []
        except (ValueError, TypeError, RecursionError):
            pass  # a value JSON has no type for, or nesting too deep for the fast validator: the full check says
        return row_schema_problems(self.full, file, self.config, row, number)


def row_schema_problems(validator: Draft202012Validator, file: str, config: str, row: dict[str, Any], number: int
                        ) -> list[Problem]:
    """The JSON Schema problems of one row found by `validator` (the rule is the JSON Schema keyword broken)."""
    row_id = row_label(config, row, number)
    try:
        errors = list(validator.iter_errors(row))
    except RecursionError:
        return [Problem(file, row_id, "", "schema", "row is nested too deeply to validate")]
    problems = []
    for error in errors:
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        if error.validator == "required":
            missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
            if missing:
                pointer = pointer.rstrip("/") + "/" + missing[0]
        problems.append(Problem(file, row_id, pointer, str(error.validator), error.message[:500]))
    return problems


def article_order_problems(file: str, article_id: Any, last: str | None) -> list[Problem]:
    """Articles come in strictly increasing id order (as a build writes them): a problem when `article_id`
    does not follow `last`, the id of the article before it (None: it is the first)."""
    if last is not None and not (isinstance(article_id, str) and article_id > last):
        return [Problem(file, str(article_id), "/id", "unique",
                        f"article id is not unique or out of order (after {last!r})")]
    return []


@functools.lru_cache(maxsize=1)
def _row_schemas() -> dict[str, RowSchema]:
    return {config: RowSchema(config) for config in CONFIGS}


def article_rows_pass(rows: dict[str, list[dict[str, Any]]]) -> bool:
    """Whether one article's rows (config → rows) pass `RowChecker.article`'s rules other than the order of
    ids, which only the writer can see: each row against its JSON Schema, spans, joins. For a worker to check
    the rows of the article it extracted, so the serial write need not."""
    schemas = _row_schemas()
    for config, config_rows in rows.items():
        for number, row in enumerate(config_rows):
            if schemas[config].problems(parquet_path(config), row, number):
                return False
    return not check_spans_and_joins(rows)


class RowChecker:
    """The rules `newsfacts validate` applies to rows, applied to each article's rows as the build writes them.

    The build writes articles in strictly increasing id order, so uniqueness needs only the last id of each
    config; every per-item row belongs to the article it is written with, so joins are checked per article.
    """

    def __init__(self) -> None:
        self.schemas = {config: RowSchema(config) for config in CONFIGS}
        self.problems: list[Problem] = []
        self.rows: dict[str, int] = dict.fromkeys(CONFIGS, 0)
        self._last_key: dict[str, Any] = {}

    def _schema(self, config: str, rows: list[dict[str, Any]]) -> None:
        schema, file = self.schemas[config], parquet_path(config)
        for row in rows:
            self._note(schema.problems(file, row, self.rows[config]))
            self.rows[config] += 1

    def _note(self, problems: list[Problem]) -> None:
        if problems and len(self.problems) < MAX_PROBLEMS:
            self.problems.extend(problems[: MAX_PROBLEMS - len(self.problems)])

    def article(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """The rows of one article: config → its rows (`articles` holds the article's own row)."""
        for config, config_rows in rows.items():
            self._schema(config, config_rows)
        article_id = rows["articles"][0].get("id")
        self._note(article_order_problems(parquet_path("articles"), article_id, self._last_key.get("articles")))
        self._last_key["articles"] = article_id
        self._note(check_spans_and_joins(rows))

    def cross_document(self, config: str, rows: list[dict[str, Any]]) -> None:
        """Rows of a cross-document config, in their order (ids unique and increasing when they have one)."""
        self._schema(config, rows)
        for row in rows:
            key = row.get("id")
            last = self._last_key.get(config)
            if key is not None and last is not None and not key > last:
                self._note([Problem(parquet_path(config), str(key), "/id", "unique", "id is not unique or out of order")])
            if key is not None:
                self._last_key[config] = key
