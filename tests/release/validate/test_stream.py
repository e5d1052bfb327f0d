"""`validate` reads a release of any size in bounded memory, article by article, and still finds every fault:
rows out of article id order, per-item rows of no (or an earlier) article, duplicate ids, bad members."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsfacts.models import Article
from newsfacts.release.layout import config_files
from newsfacts.release.schema import arrow_schema
from newsfacts.release.validate import stream, validate_release
from newsfacts.release.write import ReleaseWriter, write_checksums

ARTICLES = 40


def copied_articles(source, n):
    """`n` articles cycling through the release at `source`, each copy under its own id (same text, spans and
    items, so the release validates)."""
    originals = [row for relative in config_files(source, "articles")
                 for row in pq.read_table(source / relative).to_pylist()]
    for i in range(n):
        copy, which = divmod(i, len(originals))
        row = originals[which]
        article_id = row["id"] if copy == 0 else hashlib.sha256(f"{row['id']}/{copy}".encode()).hexdigest()[:16]
        yield Article.model_validate({**row, "id": article_id})


@pytest.fixture(scope="module")
def large_release(seed_release, tmp_path_factory):
    """A release of 40 articles in small row groups and several shards per config, written (and checked)
    by the release writer as a build writes it."""
    folder = tmp_path_factory.mktemp("large") / "dataset"
    writer = ReleaseWriter(folder, row_group_bytes=20_000, shard_bytes=60_000, batch_rows=4)
    for article in sorted(copied_articles(seed_release, ARTICLES), key=lambda a: a.id):
        writer.add(article)
    writer.finish({})
    assert writer.problems == []
    return folder


@pytest.fixture
def large_copy(large_release, tmp_path):
    target = tmp_path / "dataset"
    shutil.copytree(large_release, target)
    return target


def decoded_bytes(folder):
    return sum(pq.read_table(path).nbytes for path in (folder / "data").rglob("*.parquet"))


def shard(folder, config, number):
    files = config_files(folder, config)
    assert len(files) > number, files
    return files[number]


def rewrite_shard(folder, relative, mutate):
    """Apply `mutate` to the rows of one shard and write them back with the config's schema (and fresh
    checksums, so only the fault itself is reported)."""
    path = folder / relative
    rows = pq.read_table(path).to_pylist()
    mutate(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(relative.split("/")[1])), path)
    write_checksums(folder)


def test_a_valid_release_larger_than_the_limit_validates(large_release):
    assert len(config_files(large_release, "articles")) > 1 and len(config_files(large_release, "entities")) > 1
    limit = decoded_bytes(large_release) // 4  # the release decodes to four times what may be held at once
    assert validate_release(large_release, max_decoded_bytes=limit) == []


def test_an_article_out_of_id_order(large_copy):
    relative = shard(large_copy, "articles", 1)

    def swap(rows):
        rows[0], rows[1] = rows[1], rows[0]
        swap.ids = rows[1]["id"], rows[0]["id"]

    rewrite_shard(large_copy, relative, swap)
    problems = validate_release(large_copy)
    earlier, later = swap.ids
    assert any(p.file == relative and p.row == earlier and p.pointer == "/id" and p.rule == "unique"
               and f"out of order (after {later!r})" in p.message for p in problems), problems
    assert not any("could not be checked" in p.message for p in problems)


def test_a_duplicate_article(large_copy):
    relative = shard(large_copy, "articles", 2)

    def duplicate(rows):
        rows[1] = dict(rows[0])
        duplicate.ids = rows[0]["id"]

    rewrite_shard(large_copy, relative, duplicate)
    problems = validate_release(large_copy)
    assert any(p.file == relative and p.row == duplicate.ids and p.pointer == "/id" and p.rule == "unique"
               and p.message == "article id is not unique" for p in problems), problems


def test_a_per_item_row_of_no_article(large_copy):
    relative = shard(large_copy, "quotes", 0)

    def orphan(rows):
        rows[0]["article_id"] = "0" * 16

    rewrite_shard(large_copy, relative, orphan)
    problems = validate_release(large_copy)
    assert any(p.file == relative and p.row == f"{'0' * 16}/0" and p.pointer == "/article_id" and p.rule == "join"
               and p.message == f"no article with id {'0' * 16!r}" for p in problems), problems


def test_a_per_item_row_that_comes_after_a_later_article(large_copy):
    relative = shard(large_copy, "figures", 0)

    def move(rows):
        first = rows.pop(0)
        later = next(i for i, row in enumerate(rows) if row["article_id"] > first["article_id"])
        after = next(i for i, row in enumerate(rows) if row["article_id"] > rows[later]["article_id"])
        rows.insert(after, first)
        move.row = f"{first['article_id']}/{first['index']}"

    rewrite_shard(large_copy, relative, move)
    problems = validate_release(large_copy)
    assert any(p.file == relative and p.row == move.row and p.pointer == "/article_id" and p.rule == "join"
               and "per-item rows follow the articles' id order" in p.message for p in problems), problems


def test_a_duplicate_per_item_row_in_a_later_shard(large_copy):
    relative = shard(large_copy, "entities", 1)

    def duplicate(rows):
        rows.insert(1, dict(rows[0]))
        duplicate.row = f"{rows[0]['article_id']}/{rows[0]['id']}"

    rewrite_shard(large_copy, relative, duplicate)
    problems = validate_release(large_copy)
    assert any(p.file == relative and p.row == duplicate.row and p.rule == "unique"
               and p.message == "row key is not unique" for p in problems), problems
    # the article's entities now differ from its nested ones (named in the shard where its rows begin)
    assert any(p.file in config_files(large_copy, "entities") and p.row == duplicate.row.split("/")[0]
               and p.pointer == "/entities" and p.rule == "join" for p in problems), problems


def test_members_are_matched_across_shards(large_copy):
    relative = shard(large_copy, "quote_clusters", 0)

    def corrupt(rows):
        rows[0]["members"][0]["quote_index"] = 99
        rows[-1]["members"][-1]["text"] = "words nobody quoted"
        corrupt.ids = rows[0]["id"], rows[-1]["id"], len(rows[-1]["members"]) - 1

    rewrite_shard(large_copy, relative, corrupt)
    problems = [p for p in validate_release(large_copy, max_decoded_bytes=decoded_bytes(large_copy) // 4)
                if p.rule == "join"]
    first, last, member = corrupt.ids
    assert [(p.row, p.pointer) for p in problems] == sorted([
        (first, "/members/0/quote_index"), (last, f"/members/{member}/text")])


def repeated_value_file(path, rows, repeats, value_bytes=100_000):
    """A small Parquet file whose every row is a list repeating one dictionary value: its row group declares
    about `value_bytes`, each row decodes to `repeats` times that."""
    values = pa.DictionaryArray.from_arrays(pa.array([0] * rows * repeats, type=pa.int32()),
                                            pa.array(["x" * value_bytes]))
    offsets = pa.array(range(0, rows * repeats + 1, repeats), type=pa.int32())
    pq.write_table(pa.table({"id": pa.ListArray.from_arrays(offsets, values)}), path, compression="zstd")


def test_a_row_that_decodes_to_more_than_the_limit(large_copy):
    relative = shard(large_copy, "figures", 0)
    repeated_value_file(large_copy / relative, rows=2, repeats=10)  # rows of 1 MB
    write_checksums(large_copy)
    problems = validate_release(large_copy, max_decoded_bytes=500_000)
    assert any(p.file == relative and p.row == "#0" and p.rule == "limit" and "row decodes to" in p.message
               for p in problems), problems
    assert not any("could not be checked" in p.message for p in problems)


def test_a_row_of_a_gigabyte_is_measured_not_expanded(large_copy):
    """Its size is counted from the dictionary and the indices: the row is never expanded (child process:
    its peak memory stays far below the row's size)."""
    relative = shard(large_copy, "figures", 0)
    repeated_value_file(large_copy / relative, rows=1, repeats=10_000)  # one row of 1 GB
    write_checksums(large_copy)
    script = (
        "import json, re, sys\n"
        "from newsfacts.release.validate import validate_release\n"
        "problems = validate_release(sys.argv[1])\n"
        "peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)) * 1024\n"
        "print(json.dumps({'peak': peak, 'problems': [p.__dict__ for p in problems]}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(large_copy)], capture_output=True, text=True,
                          timeout=600, check=True)
    report = json.loads(done.stdout)
    assert any(p["file"] == relative and p["rule"] == "limit" and "row decodes to" in p["message"]
               for p in report["problems"]), report["problems"]
    assert report["peak"] < 500 * 1024 * 1024, report["peak"]


def test_problems_past_the_most_listed_are_counted(large_copy, monkeypatch):
    monkeypatch.setattr(stream, "MAX_PROBLEMS_PER_FILE", 5)
    relative = shard(large_copy, "quotes", 0)

    def orphans(rows):
        for row in rows:
            row["article_id"] = "0" * 16

    rewrite_shard(large_copy, relative, orphans)
    problems = [p for p in validate_release(large_copy) if p.file == relative]
    assert len([p for p in problems if p.rule != "limit"]) <= 5
    assert any(p.rule == "limit" and "more problems in this file are not listed" in p.message for p in problems)


def test_a_shard_that_breaks_off_stops_the_joins_of_its_config(large_copy):
    """A damaged page in a later shard: its config is read and joined up to there, then no more (no article
    after it is reported for rows that could not be read)."""
    relative = shard(large_copy, "entities", 1)
    path = large_copy / relative
    data = bytearray(path.read_bytes())
    data[4:600] = bytes(596)  # the first pages; the footer (schema, row groups) stays readable
    path.write_bytes(bytes(data))
    write_checksums(large_copy)
    problems = validate_release(large_copy)
    assert any(p.file == relative and p.rule == "arrow" and "could not be checked" in p.message
               for p in problems), problems
    assert not any(p.rule == "join" for p in problems), problems


def test_problems_of_rows_with_huge_ids_are_clipped(large_copy):
    relative = shard(large_copy, "claims", 0)

    def huge(rows):
        rows[0]["id"] = "f" * 1_000_000

    rewrite_shard(large_copy, relative, huge)
    problems = [p for p in validate_release(large_copy) if p.file == relative]
    assert any(p.rule == "pattern" and p.row.startswith("fff") for p in problems), problems
    assert all(len(p.row) <= 1000 and len(p.message) <= 1000 for p in problems)


# One misplaced per-item row (moved, or its article_id edited) is reported once, where it lies, and validate
# reads on in step: the articles after it that are fine give no problems.

def article_runs(rows):
    """[(article id, [positions of its rows])] for each run of consecutive rows of one article."""
    runs = []
    for position, row in enumerate(rows):
        if not runs or runs[-1][0] != row["article_id"]:
            runs.append((row["article_id"], []))
        runs[-1][1].append(position)
    return runs


def inner_runs(rows, least):
    """The runs of at least `least` rows wholly inside the shard (not the first or last run, which may go
    on in the next or previous shard)."""
    return [run for run in article_runs(rows)[1:-1] if len(run[1]) >= least]


def keys(problems):
    return sorted((p.file, p.row, p.pointer, p.rule) for p in problems)


def differs(file, config, article_id):
    """The problem of an article whose `config` rows are not the items it nests."""
    return (file, article_id, f"/{config}", "join")


def test_a_row_moved_among_a_later_articles_rows_is_reported_once(large_copy):
    relative = shard(large_copy, "quotes", 0)

    def move(rows):
        runs = inner_runs(rows, 2)
        (owner, positions), (later, there) = runs[0], runs[3]
        row = rows.pop(positions[0])
        rows.insert(there[1] - 1, row)  # between the first and second rows of `later` (one row fewer before)
        move.row, move.owner, move.later = f"{owner}/{row['index']}", owner, later

    rewrite_shard(large_copy, relative, move)
    problems = validate_release(large_copy)
    assert keys(problems) == sorted([(relative, move.row, "/article_id", "join"),
                                     differs(relative, "quotes", move.owner)]), problems
    moved = next(p for p in problems if p.row == move.row)
    assert repr(move.later) in moved.message and "per-item rows follow the articles' id order" in moved.message


def test_a_row_moved_before_an_earlier_articles_rows_is_reported_once(large_copy):
    """Before, every article between the row's new place and its own article was reported as missing its
    rows."""
    relative = shard(large_copy, "entities", 1)

    def move(rows):
        runs = inner_runs(rows, 2)
        (earlier, there), (owner, positions) = runs[0], runs[-1]
        row = rows.pop(positions[-1])
        rows.insert(there[0], row)  # just before the rows of `earlier`
        move.row, move.owner, move.between = f"{owner}/{row['id']}", owner, len(runs)

    rewrite_shard(large_copy, relative, move)
    problems = validate_release(large_copy)
    assert move.between >= 5  # articles lie between the row's new place and its article
    assert keys(problems) == sorted([(relative, move.row, "/article_id", "join"),
                                     differs(relative, "entities", move.owner)]), problems


def test_an_article_id_edited_to_match_no_article_is_reported_once(large_copy):
    """An id after every article's: before, every later article was reported as missing its rows."""
    relative = shard(large_copy, "figures", 0)
    nobody = "f" * 16

    def edit(rows):
        owner, positions = inner_runs(rows, 3)[0]
        rows[positions[1]]["article_id"] = nobody
        edit.row, edit.owner = f"{nobody}/{rows[positions[1]]['index']}", owner

    rewrite_shard(large_copy, relative, edit)
    # A claim whose member was the edited figure rightly finds no figure row for it; only that is reported
    # outside the per-article configs.
    assert_edited_row_reported_once(validate_release(large_copy), relative, "figures", "claims", edit)


def test_a_row_of_an_article_that_came_earlier_is_reported_once(large_copy):
    """A row among an article's rows naming an earlier article: before, the article's rows after it were
    each reported too."""
    relative = shard(large_copy, "quotes", 0)

    def edit(rows):
        runs = inner_runs(rows, 4)
        (earlier, _), (owner, positions) = runs[0], runs[2]
        rows[positions[1]]["article_id"] = earlier
        edit.row, edit.owner = f"{earlier}/{rows[positions[1]]['index']}", owner

    rewrite_shard(large_copy, relative, edit)
    assert_edited_row_reported_once(validate_release(large_copy), relative, "quotes", "quote_clusters", edit)


def assert_edited_row_reported_once(problems, relative, config, members, edit):
    """The edited row (`edit.row`) is one `join` problem and its article (`edit.owner`) another; besides them,
    only the cross-document config `members` may report a member that lost its `config` row."""
    member_problems = [p for p in problems if p.file.startswith(f"data/{members}/")]
    assert all(p.rule == "join" and p.message.startswith(f"no {config} row with article_id") for p in member_problems)
    assert keys(p for p in problems if p not in member_problems) == sorted([
        (relative, edit.row, "/article_id", "join"), differs(relative, config, edit.owner)]), problems
