"""The rows of a release checked article by article, in memory bounded by validate's limit.

A build writes the per-article configs (`articles`, `quotes`, `figures`, `entities`) in article id order, so
they are read side by side, in lockstep with `articles`: each article's row and its per-item rows go to the
same rules the build applies as it writes (`check_spans_and_joins`), and the next article follows. Rows out
of that order are problems: an article whose id does not follow the one before it (`unique`), a per-item
row whose article does not exist or came earlier (`join`). The cross-document configs are read first: their
members are collected (`members.py`) and matched while `figures` and `quotes` stream by.

A per-item stream looks one row ahead, so that one row out of place (moved, or its article_id edited) is
reported once and passed: a row of another article just before a row of the article being joined is out of
place whichever way it moved (its neighbours agree with each other, not with it). Without the lookahead a
row of a later or unknown article would stop its stream there, and every article after it would be reported
as missing its rows. (Several rows out of place together cannot be told from the rows around them that way:
they are reported as before.)

What is held at once: one slice of rows per config being read (`parquet.py`) and the row after the current
one of each per-item config, the current article's rows (at most two rows of the same article id, and no
more per-item rows than the article nests plus one, within the limit), the members, and at most
`MAX_PROBLEMS_PER_FILE` problems per file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newsfacts.release.validate.members import MEMBER_TARGETS, MemberReferences
from newsfacts.release.validate.parquet import NotRead, declared_size_problem, file_rows
from newsfacts.release.validate.problems import Problem
from newsfacts.release.validate.rows import RowSchema, article_order_problems
from newsfacts.release.validate.safe_files import open_inside
from newsfacts.release.validate.spans import check_spans_and_joins, row_label

ITEM_CONFIGS = ("quotes", "figures", "entities")  # per-item configs: rows of an article's nested items
MAX_PROBLEMS_PER_FILE = 1000
MAX_FIELD = 1000  # characters of a problem's row, pointer or message


def _clipped(text: str) -> str:
    return text if len(text) <= MAX_FIELD else text[: MAX_FIELD - 1] + "…"

Note = Callable[[list[Problem]], None]
RowEntry = tuple[str, int, dict[str, Any], int]  # (file, row number in the config, row, decoded bytes)


class ProblemLog:
    """Problems as they are found, at most `MAX_PROBLEMS_PER_FILE` per file, each field at most `MAX_FIELD`
    characters (a hostile file of millions of bad rows, or of rows whose id is megabytes long, must not fill
    memory with their problems); `summary` says how many more each file had."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.counts: Counter[str] = Counter()

    def __call__(self, found: list[Problem]) -> None:
        for problem in found:
            self.counts[problem.file] += 1
            if self.counts[problem.file] <= MAX_PROBLEMS_PER_FILE:
                self.problems.append(replace(problem, row=_clipped(problem.row), pointer=_clipped(problem.pointer),
                                             message=_clipped(problem.message)))

    def summary(self) -> list[Problem]:
        return [Problem(file, "-", "", "limit", f"{count - MAX_PROBLEMS_PER_FILE} more problems in this file are not "
                                               f"listed (validate lists the first {MAX_PROBLEMS_PER_FILE} of a file)")
                for file, count in self.counts.items() if count > MAX_PROBLEMS_PER_FILE]


class ConfigRows:
    """The rows of one config across its shards, in order, each checked against the config's JSON Schema as it
    is read. `head` is the next row as (file, row number in the config, row, decoded bytes), None at the end;
    with `lookahead`, `after` is the row after it in the same form (None at the end). `complete` turns false
    when a file could not be read to its end (reported) and every row read before has been passed."""

    def __init__(self, root: Path, config: str, shards: list[str], limit: int, note: Note,
                 watch: Callable[[dict[str, Any]], list[Problem]] | None = None, lookahead: bool = False) -> None:
        self.config = config
        self.file = shards[0] if shards else ""
        self._broken = False
        self._note = note
        self._watch = watch
        self._number = 0
        self._rows = self._read(root, shards, limit)
        self._lookahead = lookahead
        self.head: RowEntry | None = None
        self.after: RowEntry | None = self._fetch() if lookahead else None
        self.advance()

    @property
    def complete(self) -> bool:
        return not self._broken or self.head is not None

    def advance(self) -> None:
        if self._lookahead:
            self.head, self.after = self.after, (self._fetch() if self.after is not None else None)
        else:
            self.head = self._fetch()
        if self.head is None:
            return
        self.file = self.head[0]
        if self._watch is not None:
            self._note(self._watch(self.head[2]))

    def _fetch(self) -> RowEntry | None:
        found = next(self._rows, None)
        if found is None:
            return None
        file, row, size = found
        self._number += 1
        return file, self._number - 1, row, size

    def drain(self) -> None:
        while self.head is not None:
            self.advance()

    def _read(self, root: Path, shards: list[str], limit: int) -> Iterator[tuple[str, dict[str, Any], int]]:
        schema = RowSchema(self.config)
        for relative in shards:
            try:
                with open_inside(root, relative) as handle:
                    parquet = pq.ParquetFile(handle)
                    over = declared_size_problem(relative, parquet, limit)
                    if over is not None:
                        raise NotRead(over)
                    for number, (row, size) in enumerate(file_rows(relative, parquet, limit)):
                        self._note(schema.problems(relative, row, number))
                        yield relative, row, size
            except NotRead as exc:
                self._note([exc.problem])
                self._broken = True
                return
            except (Exception, RecursionError) as exc:  # noqa: BLE001 - a damaged page, a file that changed
                self._note([Problem(relative, "-", "", "arrow",
                                    f"could not be checked: {type(exc).__name__}: {exc}"[:500])])
                self._broken = True
                return


def check_rows(root: Path, shards: dict[str, list[str]], joinable: set[str], limit: int, note: Note) -> None:
    """Read every row of the release once and check it: the JSON Schema of each row, then spans, joins, order
    and uniqueness for the configs in `joinable` (those whose every file has the expected Arrow schema).
    `shards`: config → its files that can be read."""
    members = MemberReferences(limit)
    for config in shards:
        if config in ITEM_CONFIGS or config == "articles":
            continue
        stream = ConfigRows(root, config, shards[config], limit, note)
        target = MEMBER_TARGETS.get(config, (None,))[0]
        collect = config in joinable and target in joinable
        while stream.head is not None:
            file, number, row, _ = stream.head
            if collect:
                note(members.add(config, file, row, number))
            stream.advance()
    watched = {target for config, (target, _) in MEMBER_TARGETS.items() if config in joinable and target in joinable}
    items = {config: ConfigRows(root, config, shards.get(config, []), limit, note,
                                watch=(lambda row, c=config: members.see(c, row)) if config in watched else None,
                                lookahead=True)
             for config in ITEM_CONFIGS}
    articles = ConfigRows(root, "articles", shards.get("articles", []), limit, note)
    last = None
    if "articles" in joinable:
        last = _check_articles(articles, {c: s for c, s in items.items() if c in joinable}, limit, note)
    articles.drain()
    for config, stream in items.items():
        if "articles" in joinable and articles.complete and config in joinable:
            _orphans(stream, None, last, note)
        stream.drain()
        if config in watched and stream.complete:
            note(members.unmatched(config))


def _check_articles(articles: ConfigRows, items: dict[str, ConfigRows], limit: int, note: Note) -> str | None:
    """Each article with its per-item rows, in article id order, through `check_spans_and_joins`. Return the
    id of the last article."""
    last = None
    while articles.head is not None:
        file, _, first, _ = articles.head
        article_id = first.get("id")
        articles.advance()
        if not isinstance(article_id, str):  # nothing to join on (the schema problem is reported)
            note(check_spans_and_joins({"articles": [first]}, files={"articles": file}))
            continue
        group = [first]
        while articles.head is not None and articles.head[2].get("id") == article_id:
            if len(group) == 2:  # a third row of the same id: check the second now, hold the first and the latest
                note(check_spans_and_joins({"articles": group}, files={"articles": file}))
                group = group[:1]
            group.append(articles.head[2])
            articles.advance()
        note(article_order_problems(file, article_id, last))
        tables: dict[str, list[dict[str, Any]]] = {"articles": group}
        files = {"articles": file}
        # An article's rows may span two shards: (the file named for its config, row id) -> the row's own file
        row_files: dict[tuple[str, str], str] = {}
        for config, stream in items.items():
            if not stream.complete:  # a file of it could not be read to its end (reported): no more joins
                continue
            _orphans(stream, article_id, last, note)
            rows = _rows_of_article(stream, article_id, group[-1], limit, note)
            if rows is not None and stream.complete:
                files[config] = rows[0][0] if rows else stream.file
                tables[config] = [row for _, row in rows]
                row_files.update(((files[config], row_label(config, row, i)), row_file)
                                 for i, (row_file, row) in enumerate(rows))
        note([replace(p, file=row_files.get((p.file, p.row), p.file))
              for p in check_spans_and_joins(tables, files=files)])
        last = article_id
    return last


def _orphans(stream: ConfigRows, article_id: str | None, last: str | None, note: Note) -> None:
    """Skip (and report) the per-item rows ahead of the article `article_id` whose article has been passed or
    does not exist (`article_id` None: after the last article, every row left). `last`: the id of the article
    before."""
    while stream.head is not None:
        file, number, row, _ = stream.head
        owner = row.get("article_id")
        if isinstance(owner, str) and article_id is not None and owner >= article_id:
            return
        message = f"no article with id {owner!r}"
        if isinstance(owner, str) and last is not None and owner <= last:
            where = "after the last article" if article_id is None else f"before article {article_id!r}"
            message += f" {where} (per-item rows follow the articles' id order)"
        note([Problem(file, row_label(stream.config, row, number), "/article_id", "join", message)])
        stream.advance()


def _rows_of_article(stream: ConfigRows, article_id: str, article: dict[str, Any], limit: int, note: Note
                     ) -> list[tuple[str, dict[str, Any]]] | None:
    """The (file, row) of `stream` that belong to `article_id`, which come next. A row of another article
    just before one of them is out of place (`_out_of_place`): it is reported and passed. At most one more
    row than the article nests is held (more cannot match it: the join problem is reported all the same);
    None when they take more than the limit (a `limit` problem; they are not joined)."""
    nested = article.get(stream.config)
    nests = len(nested) if isinstance(nested, list) else 0
    rows: list[tuple[str, dict[str, Any]]] = []
    held, over = 0, False
    while stream.head is not None:
        file, number, row, size = stream.head
        if row.get("article_id") != article_id:
            if not _out_of_place(stream, article_id, nests):
                break
            note([Problem(file, row_label(stream.config, row, number), "/article_id", "join",
                          f"a row of article {row.get('article_id')!r} among the {stream.config} rows of article "
                          f"{article_id!r} (per-item rows follow the articles' id order)")])
        elif not over and len(rows) <= nests:
            held += size
            if held > limit:
                over = True
                note([Problem(file, row_label(stream.config, row, number), "", "limit",
                              f"the {stream.config} rows of article {article_id!r} decode to more than validate's "
                              f"limit of {limit} bytes held at once; not joined")])
                rows = []
            else:
                rows.append((file, row))
        stream.advance()
    return None if over else rows


def _out_of_place(stream: ConfigRows, article_id: str, nests: int) -> bool:
    """Whether the head row of `stream`, which is not of `article_id`, lies out of place: the row after it is
    of `article_id`, an article that nests items of the config. Its neighbours then agree with each other and
    not with it, whichever way it moved. (When the article nests none, a row of it after the head is the one
    out of place: it is reported when its turn comes, as a row of no article or of the wrong one.)"""
    return nests > 0 and stream.after is not None and stream.after[2].get("article_id") == article_id
