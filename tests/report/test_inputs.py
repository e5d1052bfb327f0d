"""report.html's Inputs section: what became of every input of the build, from the release's build-report.json
(counted; the excluded and flagged ones named, bounded, as text), or a note that it is unknown."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsfacts.build import build
from newsfacts.cache import ArticleCache, RenderedReports
from newsfacts.report import render_report, write_report
from newsfacts.report.inputs import MAX_INPUTS_LISTED, MAX_TEXT_CHARS
from tests_paths import SEEDS

EXCLUDED = [
    {"file": "broken.html", "line": None, "outcome": "excluded", "reason": "unreadable: permission denied",
     "sha256": None, "article_id": None},
    {"file": "empty.txt", "line": None, "outcome": "excluded", "reason": "empty file", "sha256": "e" * 64,
     "article_id": None},
    {"file": "feed.jsonl", "line": 3, "outcome": "excluded", "reason": "invalid JSON: Expecting value",
     "sha256": "f" * 64, "article_id": None},
    {"file": "slow.html", "line": None, "outcome": "excluded", "reason": "timed out after 60 s", "sha256": "a" * 64,
     "article_id": None},
    {"file": "zz-copy.txt", "line": None, "outcome": "excluded", "reason": "exact duplicate of good.txt (article "
     "0123456789abcdef)", "sha256": "b" * 64, "article_id": None},
]


def _with_inputs(release: Path, files: list[dict], **extra) -> Path:
    """`release` with its build report's list of inputs replaced by `files` (the rest of the report kept)."""
    path = release / "build-report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    report["files"] = files
    report.update(extra)
    path.write_text(json.dumps(report, indent=2, sort_keys=True), encoding="utf-8")
    return release


def _section(page: str) -> str:
    found = re.search(r'<section id="inputs">.*?</section>', page, flags=re.S)
    assert found, "the page has no Inputs section"
    return found.group(0)


def _rows(section: str, heading: str) -> list[list[str]]:
    """The cells of the table under the <h3> `heading` (text, unescaped), without its header row."""
    after = section.split(f">{heading}</h3>", 1)[1]
    table = re.match(r"<table>.*?</table>", after, flags=re.S)
    assert table, f"no table under {heading!r}"
    return _Cells(table.group(0)).rows[1:]


def _counts(section: str) -> dict[str, str]:
    """The section's first table: outcome -> number of inputs (as shown)."""
    table = re.search(r"<table>.*?</table>", section, flags=re.S).group(0)
    return {row[0]: row[1] for row in _Cells(table).rows[1:]}


class _Cells(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self.rows[-1].append("")

    def handle_data(self, data):
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def test_excluded_and_flagged_inputs_are_counted_and_named(release_copy):
    seeds = json.loads((release_copy / "build-report.json").read_text(encoding="utf-8"))["files"]
    flagged = [e for e in seeds if e["outcome"] == "flagged"]
    _with_inputs(release_copy, seeds + EXCLUDED, low_retention={"threshold": 0.1, "articles": [{"file": "x"}]})
    page, _ = render_report(release_copy)
    section = _section(page)
    assert '<a href="#inputs">Inputs</a>' in page
    assert _counts(section) == {"flagged": str(len(flagged)), "excluded": "5", "auxiliary": "3"}
    assert _rows(section, "Excluded inputs") == [
        ["broken.html", "–", "unreadable: permission denied"],
        ["empty.txt", "–", "empty file"],
        ["feed.jsonl", "3", "invalid JSON: Expecting value"],
        ["slow.html", "–", "timed out after 60 s"],
        ["zz-copy.txt", "–", "exact duplicate of good.txt (article 0123456789abcdef)"],
    ]
    assert _rows(section, "Flagged inputs") == [[e["file"], "–", e["article_id"], e["reason"]] for e in flagged]
    assert "1 article kept less than 10% of their input's words" in section
    assert "more, see" not in section  # everything is listed


def test_a_release_without_a_build_report_says_its_inputs_are_unknown(release_copy):
    with_report, charts = render_report(release_copy)
    (release_copy / "build-report.json").unlink()
    page, charts_without = render_report(release_copy)
    assert _section(page) == ('<section id="inputs"><h2>Inputs</h2><p class="absent">The inputs are unknown: this '
                              "release has no build-report.json, so which were excluded or flagged cannot be "
                              "shown.</p></section>")
    # the rest of the page is as before
    assert page.replace(_section(page), "") == with_report.replace(_section(with_report), "")
    assert charts_without == charts


@pytest.mark.parametrize(("content", "why"), [
    (b"{not json", "its build-report.json is not valid JSON"),
    (b"\xff\xfe\x00garbage", "its build-report.json is not valid JSON"),
    (b"[" * 200_000, "its build-report.json is not valid JSON"),  # deeper than the parser goes
    (b'["a list"]', "its build-report.json has no list of input files"),
    (b'{"files": {"a": 1}}', "its build-report.json has no list of input files"),
    (None, "this release has no build-report.json"),  # a folder of that name
])
def test_an_unreadable_build_report_is_unknown_inputs_not_an_error(release_copy, tmp_path, content, why):
    path = release_copy / "build-report.json"
    path.unlink()
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    charts = render_report(release_copy)[1]
    write_report(release_copy, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"The inputs are unknown: {why}," in _section(page)
    assert page.count('<figure class="chart"') == charts > 0 and 'id="known-errors"' in page  # the rest as ever


def test_hostile_paths_and_reasons_are_shown_as_text(release_copy, tmp_path):
    hostile = [
        {"file": "<script>alert(1)</script>.txt", "line": None, "outcome": "excluded",
         "reason": '"><img src=x onerror=alert(1)> & <!-- </table>', "sha256": None, "article_id": None},
        {"file": "invoice\u202etxt.exe", "line": "<b>7</b>", "outcome": "excluded",
         "reason": "bad\x00byte\x1b[31m red\nnew line\u2028", "sha256": None, "article_id": None},
        {"file": "name-\udcff.txt", "line": None, "outcome": "excluded", "reason": "x" * (MAX_TEXT_CHARS + 5000),
         "sha256": None, "article_id": None},
        {"file": ["not", "a", "string"], "line": None, "outcome": "flagged", "reason": {"kinds": 2},
         "article_id": "<i>id</i>"},
        "not an entry at all",
        {"file": "odd.txt", "outcome": "<u>odd\u202e</u>"},
    ]
    _with_inputs(release_copy, hostile)
    write_report(release_copy, tmp_path / "report.html")  # a lone surrogate would not encode as UTF-8
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = _section(page)
    parsed = _Cells(section)
    assert {"script", "img", "b", "i", "u"}.isdisjoint(parsed.tags)  # data is text, never markup
    assert "<!--" not in section and section.count("</table>") == 3  # counts, excluded, flagged
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.txt" in section
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &lt;!-- &lt;/table&gt;" in section
    excluded = _rows(section, "Excluded inputs")
    # invisible and line-breaking characters are spelled out, so a name cannot pose as another on screen
    assert excluded[1] == ["invoice\\u202etxt.exe", "<b>7</b>", "bad\\x00byte\\x1b[31m red\\x0anew line\\u2028"]
    assert excluded[2][0] == "name-\\udcff.txt"
    assert excluded[2][2] == "x" * MAX_TEXT_CHARS + "… (5,000 more characters)"
    assert _rows(section, "Flagged inputs") == [['["not", "a", "string"]', "–", "<i>id</i>", '{"kinds": 2}']]
    # nothing dropped silently: an entry that is not one, an outcome of nobody's making, counted as text
    assert _counts(section) == {"flagged": "1", "excluded": "3", "<u>odd\\u202e</u>": "1", "unknown": "1"}


def test_long_lists_are_cut_and_point_to_the_build_report(release_copy):
    excluded = [{"file": f"bad-{i:05d}.txt", "line": None, "outcome": "excluded", "reason": "empty file",
                 "sha256": None, "article_id": None} for i in range(MAX_INPUTS_LISTED + 1234)]
    flagged = [{"file": f"ok-{i:05d}.txt", "line": None, "outcome": "flagged", "reason": "no_date",
                "sha256": None, "article_id": f"{i:016x}"} for i in range(MAX_INPUTS_LISTED + 1)]
    _with_inputs(release_copy, excluded + flagged)
    section = _section(render_report(release_copy)[0])
    listed = _rows(section, "Excluded inputs")
    assert [row[0] for row in listed] == [f"bad-{i:05d}.txt" for i in range(MAX_INPUTS_LISTED)]  # the first, in order
    assert "… and 1,234 more, see <code>build-report.json</code>." in section
    assert len(_rows(section, "Flagged inputs")) == MAX_INPUTS_LISTED
    assert "… and 1 more, see <code>build-report.json</code>." in section
    assert f'<td>excluded</td><td class="num">{MAX_INPUTS_LISTED + 1234:,}</td>' in section  # all counted


def test_the_page_is_the_same_bytes_for_the_same_release(release_copy, tmp_path):
    _with_inputs(release_copy, EXCLUDED)
    write_report(release_copy, tmp_path / "one.html", name="news")
    moved = shutil.copytree(release_copy, tmp_path / "elsewhere")
    write_report(moved, tmp_path / "two.html", name="news")
    first = (tmp_path / "one.html").read_bytes()
    assert first == (tmp_path / "two.html").read_bytes()
    assert b"exact duplicate of good.txt" in first and b"Excluded inputs" in first


def test_the_cached_page_is_keyed_on_the_build_report(release_copy, tmp_path):
    reports = RenderedReports(ArticleCache.open(tmp_path / "cache"))
    key = reports.key(release_copy, "news")
    _with_inputs(release_copy, EXCLUDED)  # the Parquet unchanged, only the inputs' fates differ
    assert reports.key(release_copy, "news") != key


def test_a_rebuild_whose_inputs_fared_differently_does_not_reuse_the_page(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "004_a349b1ab514efdb2.txt", inputs / "good.txt")
    cache = tmp_path / "cache"
    build(inputs, tmp_path / "first", progress=False, cache=cache)
    first = (tmp_path / "first" / "report.html").read_text(encoding="utf-8")
    assert "No input was excluded." in _section(first)
    (inputs / "empty.txt").write_bytes(b"")
    result = build(inputs, tmp_path / "second", progress=False, cache=cache)
    assert result.cache.hits == 1  # the article came from the cache: the Parquet is the same
    page = (tmp_path / "second" / "report.html").read_text(encoding="utf-8")
    reason = next(e["reason"] for e in result.report["files"] if e["file"] == "empty.txt")
    assert reason.startswith("empty file")
    assert _rows(_section(page), "Excluded inputs") == [["empty.txt", "–", reason]]
