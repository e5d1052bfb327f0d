"""JSON Lines: every line on its own; a hostile line is excluded with its number and reason, never the file."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.documents import RawDocument
from newsfacts.read.files import Excluded, read_bytes

GOOD = {"text": "Officials said 1,500 soldiers had arrived.", "url": "https://example.com/x", "title": "Troops"}


def good_line(n: int) -> bytes:
    return json.dumps({**GOOD, "text": f"{GOOD['text']} Report {n}."}).encode()


HOSTILE = {
    "huge integer": (b'{"text": "a", "n": ' + b"9" * 5000 + b"}", "a number with 5000 digits"),
    "huge negative integer": (b'{"text": "a", "n": -' + b"9" * 5000 + b"}", "a number with 5000 digits"),
    "deep nesting": (b'{"text": "a", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    "lone surrogate in text": (b'{"text": "before \\ud800 after"}', "'text' field holds a lone surrogate (\\ud800"),
    "lone surrogate in title": (b'{"text": "fine", "title": "bad \\udfff"}', "'title' field holds a lone surrogate"),
    "not JSON": (b"{not json", "invalid JSON"),
    "not an object": (b"[1, 2]", "not an object"),
    "no text field": (b'{"title": "no text"}', "missing or empty 'text' field"),
    "empty text": (b'{"text": "   "}', "missing or empty 'text' field"),
    "text not a string": (b'{"text": 5}', "missing or empty 'text' field"),
    "NUL in text": (b'{"text": "a\\u0000b"}', "'text' field is not text: binary content"),
    "invalid date": (b'{"text": "fine", "date": "2024-13-45"}', "'date' field: invalid date '2024-13-45'"),
    "raw control bytes": (b'{"text": "\x00\x01\x02\x03"}', "invalid JSON: Invalid control character"),
    "undecodable": (b'{"text": "\xff\xfe\x00\x00\x00\x00"}', "binary content"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_line_is_excluded_alone(case):
    line, reason = HOSTILE[case]
    data = b"\n".join([good_line(1), line, good_line(3)])
    found = read_bytes(data, "batch.jsonl", suffix=".jsonl")
    assert [type(o).__name__ for o in found] == ["RawDocument", "Excluded", "RawDocument"]
    assert found[1].line == 2 and reason in found[1].reason
    assert [o.line for o in found] == [1, 2, 3]
    assert found[0].raw.endswith("Report 1.") and found[2].raw.endswith("Report 3.")


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_first_line_does_not_stop_a_jsonl_file(case):
    line, reason = HOSTILE[case]
    found = read_bytes(b"\n".join([line, good_line(2)]), "batch.jsonl", suffix=".jsonl")
    assert isinstance(found[0], Excluded) and found[0].line == 1 and reason in found[0].reason
    assert isinstance(found[1], RawDocument) and found[1].line == 2


def test_one_invalid_byte_changes_only_its_own_line():
    lines = [json.dumps({"text": "Café owners in Zürich said 20 tables were full."}, ensure_ascii=False).encode(),
             b'{"text": "The club wrote off a \xa315.8m fee."}',
             json.dumps({"text": "Naïve résumé of the day’s news."}, ensure_ascii=False).encode()]
    first, odd, last = read_bytes(b"\n".join(lines), "mixed.jsonl", suffix=".jsonl")
    assert first.raw.startswith("Café owners in Zürich") and first.encoding == "utf-8"
    assert last.raw == "Naïve résumé of the day’s news." and last.encoding == "utf-8"
    assert odd.raw == "The club wrote off a £15.8m fee." and odd.encoding == "cp1252"  # flagged encoding_guessed


def test_raw_line_separators_are_characters_not_line_breaks():
    record = {"text": "First paragraph.\u2028Second\u2029 paragraph.", "title": "A\u2028B"}
    data = json.dumps(record, ensure_ascii=False).encode() + b"\n" + good_line(2)
    first, second = read_bytes(data, "sep.jsonl", suffix=".jsonl")
    assert first.raw == record["text"] and first.hints.title == "A\u2028B" and second.line == 2
    # Without the .jsonl name the content still decides.
    assert [o.line for o in read_bytes(data, "sep.txt", suffix=".txt")] == [1, 2]


def test_max_bytes_applies_per_record():
    long_line = json.dumps({"text": "word " * 400}).encode()
    found = read_bytes(b"\n".join([good_line(1), long_line, good_line(3)]), "b.jsonl", suffix=".jsonl", max_bytes=1000)
    assert [type(o).__name__ for o in found] == ["RawDocument", "Excluded", "RawDocument"]
    assert "line too large" in found[1].reason and "--max-bytes" in found[1].reason


def test_crlf_and_bom_are_handled_per_line():
    data = b"\xef\xbb\xbf" + good_line(1) + b"\r\n" + good_line(2) + b"\r\n"
    first, second = read_bytes(data, "w.jsonl", suffix=".jsonl")
    assert first.raw.endswith("Report 1.") and second.raw.endswith("Report 2.")
    assert first.id == read_bytes(good_line(1), "x.jsonl", suffix=".jsonl")[0].id


def test_iso_dates_are_accepted():
    data = b"\n".join(json.dumps({"text": "Body.", "date": d}).encode() for d in ("2024-10-25", "2024-10-25T08:00:00Z"))
    assert [o.hints.date for o in read_bytes(data, "d.jsonl", suffix=".jsonl")] == ["2024-10-25", "2024-10-25T08:00:00Z"]


_records = st.one_of(
    st.builds(lambda t: {"text": t}, st.text(min_size=1)),
    st.dictionaries(st.sampled_from(["text", "title", "url", "date", "outlet", "n"]),
                    st.one_of(st.text(), st.integers(), st.none(), st.lists(st.integers(), max_size=3)), max_size=5),
)
_hostile_lines = st.one_of(
    _records.map(lambda r: json.dumps(r).encode()),  # ensure_ascii: surrogates survive as \\udXXX escapes
    _records.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", errors="surrogatepass")),
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
    st.sampled_from([line for line, _ in HOSTILE.values()]),
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_hostile_lines, min_size=1, max_size=8), good_at=st.integers(0, 8))
def test_any_line_mix_keeps_every_good_record(lines, good_at):
    good = good_line(99)
    lines.insert(min(good_at, len(lines)), good)
    found = read_bytes(b"\n".join(lines), "any.jsonl", suffix=".jsonl")  # never raises
    kept = [o for o in found if isinstance(o, RawDocument)]
    assert any(o.raw == json.loads(good)["text"] for o in kept)
    for outcome in found:
        if isinstance(outcome, RawDocument):
            outcome.raw.encode("utf-8")  # no surrogate reaches the release
            assert outcome.raw.strip()
            for value in (outcome.hints.title, outcome.hints.url, outcome.hints.outlet, outcome.hints.date):
                assert value is None or value.encode("utf-8")
        else:
            assert outcome.reason and (outcome.line is not None)
    numbers = [o.line for o in found]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert numbers == [n for n, line in enumerate(lines, start=1) if line.strip()]
