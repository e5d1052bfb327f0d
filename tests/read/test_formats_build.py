"""End to end: `build` over a folder with one file of each input format gives a valid release in which every
record of every file has its fate."""

from __future__ import annotations

import gzip
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard
from warcio.warcwriter import WARCWriter

from newsfacts.build import build
from newsfacts.release.validate import validate_release
from newsfacts.release.write import parquet_path
from read.test_warc import make_warc
from tests_paths import SEEDS, seed_release_info

STORIES = [
    "Officials said on Monday that 1,500 soldiers had arrived in Vladivostok by rail, the ministry said.",
    "The minister said 20 ships had docked at the port of Wonsan on Tuesday, according to the agency.",
    "Prices rose 3.5% in October, the statistics office said in its monthly report on Thursday.",
    "The general said the brigade would stay for three months, a spokesman told reporters in Seoul.",
]


def test_one_file_of_each_format_builds_a_valid_release(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "page.txt").write_bytes((SEEDS / "004_a349b1ab514efdb2.txt").read_bytes())
    line = lambda i: json.dumps({"text": STORIES[i], "url": f"https://news.example.com/{i}"}).encode()
    (inputs / "plain.jsonl").write_bytes(line(0) + b"\n{broken\n")
    (inputs / "packed.jsonl.gz").write_bytes(gzip.compress(line(1) + b"\n", mtime=0))
    (inputs / "packed.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(line(2) + b"\n"))
    pq.write_table(pa.table({"text": [STORIES[3], None], "date": ["2024-10-25", None]}), inputs / "rows.parquet")
    (inputs / "crawl.warc.gz").write_bytes(make_warc(True))
    output = tmp_path / "release"

    result = build(inputs, output, progress=False, release=seed_release_info())

    assert validate_release(output) == []
    report = json.loads((output / "build-report.json").read_text())
    fates = {(e["file"], e["line"], e["outcome"]) for e in report["files"]}
    assert {("plain.jsonl", 2, "excluded"), ("rows.parquet", 2, "excluded"),
            ("crawl.warc.gz", 4, "excluded"), ("crawl.warc.gz", 5, "excluded"),
            ("crawl.warc.gz", None, "auxiliary")} <= fates
    built = {(e["file"], e["line"]) for e in report["files"] if e["outcome"] in {"included", "flagged"}}
    assert built == {("page.txt", None), ("plain.jsonl", 1), ("packed.jsonl.gz", 1), ("packed.jsonl.zst", 1),
                     ("rows.parquet", 1), ("crawl.warc.gz", 3), ("crawl.warc.gz", 6)}
    articles = pq.read_table(output / parquet_path("articles")).to_pylist()
    by_file = {(a["source"]["file"], a["source"]["line"]): a for a in articles}
    page = by_file[("crawl.warc.gz", 3)]
    assert page["source"]["url_method"] == "warc" and page["source"]["url"] == "https://news.example.com/a"
    assert page["source"]["retrieval"].startswith("crawled 2024-10-21") and page["source"]["format"] == "html"
    assert by_file[("rows.parquet", 1)]["text"].endswith(STORIES[3])
    assert result.counts["articles"] == len(articles) == 7
