"""`validate` must catch a corrupted copy of a release, naming file, row, JSON pointer and rule."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts.release.validate import iter_text_spans, validate_release
from newsfacts.release.write import parquet_path, write_checksums, write_parquet
from newsfacts.release.schema import arrow_schema


def rewrite_rows(folder, config, mutate, schema=None):
    """Apply `mutate` to the rows of one config and write them back (with fresh checksums, so only the
    corruption itself is reported)."""
    path = folder / parquet_path(config)
    rows = pq.read_table(path).to_pylist()
    mutate(rows)
    if schema is None:
        write_parquet(rows, arrow_schema(config), path)
    else:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    write_checksums(folder)


def test_the_seed_release_is_valid(seed_release):
    assert validate_release(seed_release) == []


def test_span_past_the_end_of_text(release_copy):
    def corrupt(rows):
        article = next(r for r in rows if r["entities"])
        article["entities"][0]["mentions"][0]["end"] = len(article["text"]) + 5
        corrupt.id = article["id"]

    rewrite_rows(release_copy, "articles", corrupt)
    problems = [p for p in validate_release(release_copy) if p.rule == "span"]
    assert problems and problems[0].row == corrupt.id
    assert problems[0].pointer == "/entities/0/mentions/0"
    assert "outside the article text" in problems[0].message
    assert problems[0].file == "data/articles/train-00000-of-00001.parquet"


def test_span_text_that_does_not_match_the_offsets(release_copy):
    def corrupt(rows):
        rows[0]["text"] = rows[0]["text"][:-1] + "#"
        rows[0]["title"] = rows[0]["title"]
        rows[0]["entities"][0]["mentions"][0]["text"] = "Nobody"

    rewrite_rows(release_copy, "articles", corrupt)
    messages = [str(p) for p in validate_release(release_copy)]
    assert any("[span]" in m and "'Nobody'" in m and "/entities/0/mentions/0" in m for m in messages)
    # the per-item config now disagrees with the article it joins to
    assert any("[join]" in m for m in messages)


def test_caption_figure_offsets_are_checked_against_their_caption(release_copy):
    def corrupt(rows):
        article = next(r for r in rows if any(f["caption"] is not None for f in r["figures"]))
        index = next(i for i, f in enumerate(article["figures"]) if f["caption"] is not None)
        article["figures"][index]["start"] += 1
        corrupt.where = (article["id"], f"/figures/{index}")

    rewrite_rows(release_copy, "articles", corrupt)
    problems = [p for p in validate_release(release_copy) if p.rule == "span"]
    assert [(p.row, p.pointer) for p in problems] == [corrupt.where]


def test_caption_mention_offsets_are_checked_against_their_caption(release_copy):
    def corrupt(rows):
        for article in rows:
            for e, entity in enumerate(article["entities"]):
                for m, mention in enumerate(entity["mentions"]):
                    if mention["caption"] is not None:
                        mention["start"] += 1
                        corrupt.where = (article["id"], f"/entities/{e}/mentions/{m}")
                        return

    rewrite_rows(release_copy, "articles", corrupt)
    problems = [p for p in validate_release(release_copy) if p.rule == "span"]
    assert [(p.row, p.pointer) for p in problems] == [corrupt.where]


def test_missing_required_field(release_copy):
    schema = arrow_schema("quotes")
    loose = pa.schema([f.with_nullable(True) if f.name == "kind" else f for f in schema])

    def corrupt(rows):
        rows[0]["kind"] = None

    rewrite_rows(release_copy, "quotes", corrupt, schema=loose)
    problems = validate_release(release_copy)
    assert any(p.rule == "arrow" and p.pointer == "/kind" for p in problems)
    assert any(p.rule == "type" and p.pointer == "/kind" and p.row.endswith("/0") for p in problems)


def test_missing_column_is_a_required_error(release_copy):
    path = release_copy / parquet_path("figures")
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["unit"]), path)
    write_checksums(release_copy)
    problems = validate_release(release_copy)
    assert any(p.rule == "arrow" and p.pointer == "/unit" and "missing" in p.message for p in problems)
    assert any(p.rule == "required" and p.pointer == "/unit" for p in problems)


def test_wrong_type(release_copy):
    schema = arrow_schema("figures")
    stringly = pa.schema([f.with_type(pa.string()) if f.name == "value" else f for f in schema])

    def corrupt(rows):
        for row in rows:
            row["value"] = str(row["value"])

    rewrite_rows(release_copy, "figures", corrupt, schema=stringly)
    problems = validate_release(release_copy)
    assert any(p.rule == "arrow" and p.pointer == "/value" for p in problems)
    assert any(p.rule == "type" and p.pointer == "/value" and "is not of type 'number'" in p.message for p in problems)


def test_tampered_file_fails_the_checksum(release_copy):
    card = release_copy / "README.md"
    card.write_text(card.read_text() + "\nextra\n")
    problems = validate_release(release_copy)
    assert [(p.file, p.rule) for p in problems] == [("README.md", "checksum")]


def test_card_features_must_match(release_copy):
    card = release_copy / "README.md"
    card.write_text(card.read_text().replace("dtype: float64", "dtype: float32", 1))
    write_checksums(release_copy)
    problems = validate_release(release_copy)
    assert any(p.rule == "card" and "features" in p.pointer for p in problems)


def test_iter_text_spans_skips_raw_coordinates():
    row = {
        "text": "abc",
        "removed": [{"text": "zzz", "start": 0, "end": 3}],
        "date": {"evidence": {"where": "raw", "text": "zz", "start": 0, "end": 2}},
        "quotes": [{"text": "b", "start": 1, "end": 2, "cue": None}],
        "repairs": [{"before": "x", "after": "c", "start": 2, "end": 3}],
    }
    assert sorted(p for p, *_ in iter_text_spans(row)) == ["/quotes/0", "/repairs/0"]
