import pytest

from newsfacts.meta import extract_metadata
from newsfacts.meta.dates import from_url, parse_dates


@pytest.fixture(scope="module")
def meta(clean_seeds):
    return {p: extract_metadata(c) for p, c in clean_seeds.items()}


def test_000_vietnamese_outlet_translation_no_date(meta, clean_seeds):
    m = meta["000"]
    assert m.outlet.domain == "baoquocte.vn" and m.outlet.country == "VN"
    assert clean_seeds["000"].raw.raw[m.outlet.evidence.start : m.outlet.evidence.end] == m.outlet.evidence.text
    assert m.translation is not None
    assert m.date.value is None and "without a year" in m.date.reason
    assert {"no_date", "no_title", "translation"} <= {e.kind for e in m.known_errors}
    assert not any(e.kind == "no_title" for e in meta["004"].known_errors)


def test_001_daily_tribune_date_honestly_null(meta):
    m = meta["001"]
    assert m.outlet.name == "Daily Tribune" and m.outlet.domain == "tribune.net.ph" and m.outlet.country == "PH"
    assert m.date.value is None and "on friday" in m.date.reason.lower()
    assert any(c.role == "photo" and "AFP" in c.name for c in m.credits)


def test_002_no_outlet_translated(meta):
    m = meta["002"]
    assert m.outlet.name is None and m.outlet.domain is None
    assert m.translation is not None and m.date.value is None


def test_003_dateline(meta, clean_seeds):
    m = meta["003"]
    assert m.date.value == "2024-10-21" and m.date.method == "dateline"
    ev = m.date.evidence
    assert clean_seeds["003"].text[ev.start : ev.end] == ev.text == "October 21, 2024"


def test_004_byline_date_time_author_wire(meta, clean_seeds):
    m = meta["004"]
    assert (m.date.value, m.date.time, m.date.method) == ("2024-10-21", "17:44", "byline")
    assert m.date.timezone is None
    assert clean_seeds["004"].raw.raw[m.date.evidence.start : m.date.evidence.end] == "Mon, 21 Oct 2024"
    assert m.original_source == "AFP"
    assert any(c.role == "author" and c.name == "Tan KW" for c in m.credits)
    assert [c.name for c in m.credits if c.role == "wire"] == ["AFP"]
    assert not any(c.role == "photo" for c in m.credits)
    assert m.language == "en"


def test_date_parsing_rules():
    assert [d.value.isoformat() for d in parse_dates("Nov 19, 2019, 10:31 pm CST")] == ["2019-11-19"]
    assert [d.value.isoformat() for d in parse_dates("By Tess Bonn - 11/19/19 06:56 AM EST")] == ["2019-11-19"]
    assert parse_dates("03/04/2019") == []  # day-first or month-first: not guessed
    assert parse_dates("On October 25, the White House said") == []
    assert from_url("https://techcrunch.com/2019/11/18/wework/").value == "2019-11-18"
    assert from_url("https://example.com/news/story-123") is None


def test_translation_signals():
    from newsfacts.meta.language import foreign_slug

    assert foreign_slug("https://baoquocte.vn/kha-nang-quan-trieu-tien-den-nga-my-nhat-han-dong-291425.html")
    assert not foreign_slug("https://www.thesun.co.uk/news/1/hunter-diagnosed-bubonic-plague-eating-rabbit-third-beijing/")
    assert not foreign_slug("https://phys.org/news/2019-11-hibernating-astronauts-smaller-spacecraft.html")
