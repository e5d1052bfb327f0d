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


def test_card_features_are_judged_without_datasets_as_datasets_judges_them(release_copy, monkeypatch):
    """validate takes a card's features as matching without importing datasets only when they are the features
    this version writes (data/card_features.json) for the generated schema; whatever it finds, datasets finds."""
    import json

    from newsfacts.release import validate as validate_module

    def with_and_without_the_copy():
        with_copy = validate_release(release_copy)
        with monkeypatch.context() as patched:
            patched.setattr(validate_module, "known_card_features", lambda config: None)
            return with_copy, validate_release(release_copy)

    card = release_copy / "README.md"
    assert with_and_without_the_copy() == ([], [])
    # the same features with a mapping's keys in another order: datasets reads them alike
    card.write_text(card.read_text().replace("  - name: id\n    dtype: string", "  - dtype: string\n    name: id", 1))
    write_checksums(release_copy)
    assert with_and_without_the_copy() == ([], [])
    # a Parquet file whose metadata declares datasets features of its own (a class label on a nullable int64)
    schema = arrow_schema("figures")
    declared = {"info": {"features": {"caption": {"names": ["a", "b"], "_type": "ClassLabel"}}}}
    rewrite_rows(release_copy, "figures", lambda rows: None,
                 schema=schema.with_metadata({**schema.metadata, b"huggingface": json.dumps(declared).encode()}))
    with_copy, without_copy = with_and_without_the_copy()
    assert with_copy == without_copy
    assert [(p.rule, p.pointer) for p in with_copy] == [("card", "/dataset_info/figures/features")]
    # other features declared for another config (the next one with an id): a problem either way
    card.write_text(card.read_text().replace("  - name: id\n    dtype: string", "  - name: id\n    dtype: large_string", 1))
    write_checksums(release_copy)
    with_copy, without_copy = with_and_without_the_copy()
    assert with_copy == without_copy
    pointers = [p.pointer for p in with_copy if p.rule == "card"]
    assert len(with_copy) == 2 and len(pointers) == 2 and "/dataset_info/figures/features" in pointers


def test_iter_text_spans_skips_raw_coordinates():
    row = {
        "text": "abc",
        "removed": [{"text": "zzz", "start": 0, "end": 3}],
        "date": {"evidence": {"where": "raw", "text": "zz", "start": 0, "end": 2}},
        "quotes": [{"text": "b", "start": 1, "end": 2, "cue": None}],
        "repairs": [{"before": "x", "after": "c", "start": 2, "end": 3}],
    }
    assert sorted(p for p, *_ in iter_text_spans(row)) == ["/quotes/0", "/repairs/0"]


# ---- hostile releases: problems, never a traceback; nothing read outside; bounded memory ------------------

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsfacts.release.validate import RELEASE_MARKER  # noqa: E402


def card_with_metadata(folder, yaml_text):
    """Replace the card's YAML block, keep its body, refresh the checksums."""
    card = folder / "README.md"
    body = card.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    card.write_text(f"---\n{yaml_text}\n---\n{body}", encoding="utf-8")
    write_checksums(folder)


def rules(problems):
    return {(p.file, p.rule) for p in problems}


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ("- configs\n- dataset_info", "YAML metadata is a list"),
        ("just a string", "YAML metadata is a string"),
        ("42", "YAML metadata is a number"),
        ("", "YAML metadata is empty"),
        ("configs: 5\ndataset_info: 5", "configs is a number, expected a list"),
        ("configs: [5, {config_name: 3}, {data_files: []}]", "entry is a number"),
        ("configs:\n- config_name: articles\n  data_files: data/articles.parquet", "data_files is a string"),
        ("dataset_info: {features: 1}", "dataset_info is a mapping, expected a list"),
        ("date: 2024-13-45", "YAML metadata does not parse"),
        ("a: [[[[[[", "YAML metadata does not parse"),
        ("a: " + "[" * 5000 + "]" * 5000, "YAML metadata does not parse"),
    ],
)
def test_malformed_card_metadata_is_a_problem(release_copy, metadata, expected):
    card_with_metadata(release_copy, metadata)
    problems = validate_release(release_copy)
    assert any(p.file == "README.md" and p.rule == "card" and expected in p.message for p in problems), problems


def test_card_with_missing_keys_and_wrong_feature_types(release_copy):
    card_with_metadata(release_copy, "configs:\n- config_name: articles\ndataset_info:\n- config_name: articles\n"
                                     "  features: 5\n- config_name: quotes\n  features: [{name: x, dtype: nope}]")
    problems = validate_release(release_copy)
    messages = [str(p) for p in problems]
    assert any("/configs/articles/data_files" in m and "expected data file" in m for m in messages)
    assert any("/configs/quotes" in m and "not declared" in m for m in messages)
    assert any("/dataset_info/articles/features" in m and "do not parse" in m for m in messages)
    assert any("/dataset_info/quotes/features" in m for m in messages)
    assert any("/dataset_info/figures" in m and "no features declared" in m for m in messages)


def test_card_that_is_not_utf8(release_copy):
    (release_copy / "README.md").write_bytes(b"---\nname: caf\xe9\n---\n")
    write_checksums(release_copy)
    problems = validate_release(release_copy)
    assert any(p.file == "README.md" and p.rule == "card" and "not UTF-8" in p.message for p in problems)


def test_missing_card(release_copy):
    (release_copy / "README.md").unlink()
    write_checksums(release_copy)
    assert ("README.md", "card") in rules(validate_release(release_copy))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe not utf-8\n", "not UTF-8"),
        (b"nonsense\n", "not a '<sha256>  <file>' line"),
        (b"abc  README.md\n", "not a '<sha256>  <file>' line"),
        (("0" * 64 + "  ../outside.txt\n").encode(), "not a plain path inside the release"),
        (("0" * 64 + "  /etc/passwd\n").encode(), "not a plain path inside the release"),
        (("0" * 64 + "  README.md\n" + "0" * 64 + "  README.md\n").encode(), "listed twice"),
    ],
)
def test_malformed_checksum_file(release_copy, content, expected):
    (release_copy / "CHECKSUMS.sha256").write_bytes(content)
    problems = validate_release(release_copy)
    assert any(p.file == "CHECKSUMS.sha256" and p.rule == "checksum" and expected in p.message for p in problems), problems


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_checksum_file_content_gives_problems_not_exceptions(release_copy, content):
    (release_copy / "CHECKSUMS.sha256").write_bytes(content)
    problems = validate_release(release_copy)
    assert all(isinstance(p.message, str) for p in problems)
    assert any(p.rule == "checksum" for p in problems)  # at least the files are no longer listed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(metadata=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["configs", "dataset_info", "config_name", "data_files", "path", "features", "name", "dtype"]),
        children, max_size=4),
    max_leaves=30))
def test_any_card_metadata_gives_problems_not_exceptions(release_copy, metadata):
    card_with_metadata(release_copy, json.dumps(metadata))  # JSON is YAML
    problems = validate_release(release_copy)
    assert any(p.file == "README.md" and p.rule == "card" for p in problems)


@pytest.mark.parametrize(
    "damage",
    ["not parquet", "truncated", "empty", "wrong schema", "footer only"],
)
def test_malformed_parquet_file(release_copy, damage):
    path = release_copy / parquet_path("figures")
    data = path.read_bytes()
    if damage == "not parquet":
        path.write_text("id,value\n1,2\n")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "footer only":
        path.write_bytes(data[-200:])
    else:
        pq.write_table(pa.table({"id": [1, 2], "nested": [[{"a": 1}], None]}), path)
    write_checksums(release_copy)
    problems = validate_release(release_copy)
    figures = [p for p in problems if p.file == "data/figures/train-00000-of-00001.parquet"]
    assert figures and all(p.rule in {"arrow", "card", "required", "type", "additionalProperties"} for p in figures)
    if damage == "wrong schema":
        assert any(p.rule == "arrow" and p.pointer == "/nested" and "unexpected column" in p.message for p in figures)
    else:
        assert any(p.rule == "arrow" and "cannot read Parquet" in p.message for p in figures)


def test_articles_with_a_wrong_schema_do_not_break_span_and_join_checks(release_copy):
    path = release_copy / parquet_path("articles")
    rows = pq.read_table(path).to_pylist()
    for row in rows:
        row["captions"] = ["a caption as a plain string"]
        row["figures"] = [{"caption": 0, "start": "x"}]
    pq.write_table(pa.Table.from_pylist(rows), path)
    write_checksums(release_copy)
    problems = validate_release(release_copy)
    assert any(p.rule == "arrow" and p.pointer == "/captions" for p in problems)
    assert not any("could not be checked" in p.message for p in problems)


@pytest.fixture
def secret(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n")
    return secret


def test_symlinked_files_pointing_outside_are_problems_and_not_read(release_copy, secret):
    (release_copy / "README.md").unlink()
    (release_copy / "README.md").symlink_to(secret)
    (release_copy / "CHECKSUMS.sha256").unlink()
    (release_copy / "CHECKSUMS.sha256").symlink_to(secret)
    data = release_copy / parquet_path("quotes")
    data.unlink()
    data.symlink_to(secret)
    problems = validate_release(release_copy)
    assert all("TOP-SECRET" not in p.message for p in problems)
    linked = {p.file for p in problems if "symbolic link" in p.message}
    assert {"README.md", "CHECKSUMS.sha256", "data/quotes/train-00000-of-00001.parquet"} <= linked


def test_symlinked_data_folder_pointing_outside_is_a_problem(release_copy, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (release_copy / "data" / "figures").rename(elsewhere)
    (release_copy / "data" / "figures").symlink_to(elsewhere, target_is_directory=True)
    problems = validate_release(release_copy)
    assert any(p.file == "data/figures" and p.rule == "release" and "symbolic link" in p.message for p in problems)
    assert any(p.file == "data/figures/train-00000-of-00001.parquet" and "link" in p.message for p in problems)


def test_a_release_reached_through_a_link_is_validated(seed_release, tmp_path):
    link = tmp_path / "current"
    link.symlink_to(seed_release, target_is_directory=True)
    assert validate_release(link) == []


def test_special_files_are_not_opened(release_copy):
    fifo = release_copy / "CHECKSUMS.sha256"
    fifo.unlink()
    os.mkfifo(fifo)
    result = []
    worker = threading.Thread(target=lambda: result.append(validate_release(release_copy)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert result, "validate blocked on a FIFO"
    assert any(p.file == "CHECKSUMS.sha256" and "not a regular file" in p.message for p in result[0])


def test_release_marker_is_accepted_listed_or_not(release_copy):
    (release_copy / RELEASE_MARKER).write_text(json.dumps({"format": "newsfacts-release", "version": 1}))
    write_checksums(release_copy)
    assert validate_release(release_copy) == []  # listed (as a build writes it)
    checksums = release_copy / "CHECKSUMS.sha256"
    lines = [line for line in checksums.read_text().splitlines() if not line.endswith(f"  {RELEASE_MARKER}")]
    checksums.write_text("\n".join(lines) + "\n")
    assert validate_release(release_copy) == []  # not listed (a marker added after the checksums were written)
    (release_copy / RELEASE_MARKER).write_text("{not json")
    write_checksums(release_copy)
    assert rules(validate_release(release_copy)) == {(RELEASE_MARKER, "release")}


def _dictionary_bomb(path, rows=6_000, value_bytes=100_000):
    """A Parquet file of about 100 KB whose rows decode to rows x value_bytes (600 MB): one long value,
    dictionary-encoded and zstd-compressed, repeated in every row."""
    dictionary = pa.array(["x" * value_bytes])
    column = pa.DictionaryArray.from_arrays(pa.array([0] * rows, type=pa.int32()), dictionary)
    pq.write_table(pa.table({"id": column}), path, compression="zstd", use_dictionary=True)


def test_a_small_file_that_decodes_to_600_mb_is_read_a_slice_at_a_time(release_copy, tmp_path):
    """Its rows are each within the limit: they are all read and checked, a slice at a time, never loaded
    together (the limit bounds what is held at once)."""
    path = release_copy / parquet_path("quotes")
    _dictionary_bomb(path)
    assert path.stat().st_size < 200_000
    write_checksums(release_copy)
    # Run in a child process to measure its peak memory.
    # (VmHWM, not ru_maxrss: the latter keeps the forking test process's peak across exec.)
    script = (
        "import json, re, sys\n"
        "from newsfacts.release.validate import validate_release\n"
        "problems = validate_release(sys.argv[1])\n"
        "status = open('/proc/self/status').read()\n"
        "peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)) * 1024\n"
        "print(json.dumps({'peak': peak, 'problems': [p.__dict__ for p in problems]}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(release_copy)], capture_output=True, text=True,
                          timeout=600, check=True)
    report = json.loads(done.stdout)
    quotes = [p for p in report["problems"] if p["file"] == "data/quotes/train-00000-of-00001.parquet"]
    assert any(p["rule"] == "required" for p in quotes)
    # every row was read and checked: 6,000 rows with a dozen problems each, the first 1,000 listed, the rest counted
    (counted,) = [p["message"] for p in quotes if p["rule"] == "limit"]
    assert "more problems in this file are not listed" in counted and int(counted.split()[0]) + 1000 >= 6000 * 10
    assert report["peak"] < 350 * 1024 * 1024, report["peak"]  # far below the 600 MB the rows would take


def test_declared_uncompressed_size_over_the_limit_is_not_read(release_copy):
    path = release_copy / parquet_path("figures")
    pq.write_table(pa.table({"id": ["y" * 1_000_000] * 40}), path, compression="zstd", use_dictionary=False)
    write_checksums(release_copy)
    problems = validate_release(release_copy, max_decoded_bytes=10_000_000)
    assert any(p.rule == "limit" and "declares" in p.message and p.file.startswith("data/figures") for p in problems)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "holds a list"),
        (b'{"type": "object"}', "differs from the one newsfacts generates"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    ],
)
def test_malformed_json_schema_file(release_copy, content, expected):
    (release_copy / "schema" / "quotes.schema.json").write_bytes(content)
    write_checksums(release_copy)
    problems = validate_release(release_copy)
    assert [(p.file, p.rule) for p in problems] == [("schema/quotes.schema.json", "schema")]
    assert expected in problems[0].message


def test_missing_json_schema_file(release_copy):
    (release_copy / "schema" / "figures.schema.json").unlink()
    write_checksums(release_copy)
    assert rules(validate_release(release_copy)) == {("schema/figures.schema.json", "schema")}


def test_claim_member_that_points_to_no_figure(release_copy):
    def corrupt(rows):
        rows[0]["members"][0]["figure_index"] = 99
        corrupt.id = rows[0]["id"]

    rewrite_rows(release_copy, "claims", corrupt)
    problems = [p for p in validate_release(release_copy) if p.rule == "join"]
    assert len(problems) == 1
    assert problems[0].file == "data/claims/train-00000-of-00001.parquet"
    assert problems[0].row == corrupt.id and problems[0].pointer == "/members/0/figure_index"
    assert "no figures row" in problems[0].message


def test_quote_cluster_member_whose_text_differs_from_its_quote(release_copy):
    def corrupt(rows):
        rows[0]["members"][1]["text"] = "words nobody quoted"

    rewrite_rows(release_copy, "quote_clusters", corrupt)
    (problem,) = [p for p in validate_release(release_copy) if p.rule == "join"]
    assert problem.file == "data/quote_clusters/train-00000-of-00001.parquet"
    assert problem.pointer == "/members/1/text" and "words nobody quoted" in problem.message
