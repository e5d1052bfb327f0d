"""HTML pages go through trafilatura, JSONL articles only through repairs."""

import hashlib

from newsfacts.clean import clean_document
from newsfacts.documents import Hints, RawDocument
from newsfacts.meta import extract_metadata

HTML = """<html><head><title>Seoul says troops arrived | Example News</title>
<meta property="article:published_time" content="2024-10-21T08:00:00+09:00"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Seoul says North Korean troops arrived in Russia</h1>
<p>SEOUL: South Korea's spy agency said on Friday that North Korea had sent about 1,500 special forces to
Russia's Far East, the first batch of a larger deployment.</p>
<p>The agency said the troops were undergoing training and were likely to be sent to the front lines soon,
in what officials called a significant escalation.</p>
<p>Moscow and Pyongyang have denied that any troops were sent, and the Kremlin called the reports
contradictory.</p>
</article><footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"""


def raw_document(text: str, fmt: str, hints: Hints) -> RawDocument:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return RawDocument(path=f"x.{fmt}", sha256=digest, id=digest[:16], format=fmt, encoding="utf-8", raw=text,
                       line=1 if fmt == "jsonl" else None, hints=hints)


def test_html_article_title_date_outlet():
    raw = raw_document(HTML, "html", Hints(url="https://www.koreaherald.com/view.php?ud=20241021000123",
                                           url_method="manifest"))
    clean = clean_document(raw)
    assert clean.title == "Seoul says North Korean troops arrived in Russia"
    body = clean.text[clean.body_start:]
    assert body.startswith("SEOUL:") and "Home" not in body and "All rights reserved" not in body
    meta = extract_metadata(clean)
    assert (meta.date.value, meta.date.method) == ("2024-10-21", "html")
    assert meta.outlet.name == "The Korea Herald" and meta.outlet.method == "manifest"


def test_jsonl_text_is_repaired_and_hints_used():
    raw = raw_document("Talks on support withUkraine resumed.\n\nSecond paragraph.", "jsonl",
                       Hints(title="A title", date="2024-10-21", url_method="jsonl"))
    clean = clean_document(raw)
    assert clean.text == "A title\n\nTalks on support with Ukraine resumed.\n\nSecond paragraph."
    (repair,) = clean.repairs
    assert clean.text[repair.start : repair.end] == "with Ukraine"
    meta = extract_metadata(clean)
    assert (meta.date.value, meta.date.method) == ("2024-10-21", "jsonl")
