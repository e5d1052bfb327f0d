"""Publication dates, rule by rule, on small synthetic pages (no development data).

Pages are built directly as CleanDocuments (title, body, removed furniture with raw offsets), so each test
checks the date rules alone, whatever the cleaner decides about a line.
"""

from __future__ import annotations

import hashlib

import pytest

from newsfacts.documents import CleanDocument, Hints, RawDocument
from newsfacts.meta.dates import find_date, from_url, parse_dates, reconcile, time_after
from newsfacts.meta.dates.html import from_html
from newsfacts.meta.dates.page import PageDate
from newsfacts.meta.dates.patterns import label_before
from newsfacts.models import DateInfo, Evidence, RemovedBlock

TITLE = "Harbour authority approves the new container terminal"
BODY = ("The harbour authority approved the terminal after a two-year review.\n\n"
        "Construction is expected to take three years, officials said.")


def page(furniture: list[tuple[str, str]], *, url: str | None = None, title: str = TITLE, body: str = BODY,
         below: list[tuple[str, str]] = ()) -> CleanDocument:
    """A dump: furniture lines (kind, text) between headline and body, more furniture after the body; the
    clean document keeps title and body and lists the furniture as removed, with raw offsets."""
    lines = [("title", title)] + list(furniture) + [("body", body)] + list(below)
    raw_text, removed, position = "", [], 0
    for kind, text in lines:
        if kind not in ("title", "body"):
            removed.append(RemovedBlock(kind=kind, text=text, start=position, end=position + len(text)))
        raw_text += text + "\n"
        position = len(raw_text)
    digest = hashlib.sha256(raw_text.encode()).hexdigest()
    raw = RawDocument(path="page.txt", sha256=digest, id=digest[:16], format="txt", encoding="utf-8", raw=raw_text,
                      hints=Hints(url=url, url_method="sidecar" if url else None))
    text = f"{title}\n\n{body}"
    for block in removed:
        assert raw_text[block.start : block.end] == block.text
    return CleanDocument(raw=raw, title=title, text=text, body_start=len(title) + 2, removed=tuple(removed))


def _span_ok(clean: CleanDocument, info: DateInfo) -> None:
    ev = info.evidence
    if ev is not None and ev.where == "raw":
        assert clean.raw.raw[ev.start : ev.end] == ev.text
    if ev is not None and ev.where == "text":
        assert clean.text[ev.start : ev.end] == ev.text


# --- URL dates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected"), [
    ("https://observer.example/2023/11/08/arnault-louvre/", "2023-11-08"),
    ("https://news.example/2023/1/8/story", "2023-01-08"),
    ("https://paper.example/news/20201026/council-vote", "2020-10-26"),
    ("https://paper.example/news/council-vote-20201026.html", "2020-10-26"),
    ("https://paper.example/politik/wahl-2020-10-26-ergebnis", "2020-10-26"),
    ("https://www.lemonde.example/international/article/2023/11/08/la-cop-28_6198.html", "2023-11-08"),
    ("https://www.spiegel.example/politik/bundestag-abstimmung-2021-03-14", "2021-03-14"),
    ("https://archive.example/story?date=2019-11-19&ref=home", "2019-11-19"),
    ("https://tokyo.example/news/2020/04/24?utm=x", "2020-04-24"),
])
def test_url_full_dates(url, expected):
    info = from_url(url)
    assert info is not None and info.value == expected and info.method == "url"
    assert info.evidence.where == "url" and info.evidence.text == url


@pytest.mark.parametrize("url", [
    "https://observer.example/2023/11/bernard-arnault-louvre/",   # year and month only
    "https://blog.example/2023/11/10-best-coffee-grinders/",       # month, then a slug starting with a number
    "https://news.example/story/22002407",                          # an article number
    "https://news.example/video/ca6ce285879e2291307f3fc8148670aa",
    "https://20201026.example/story",                               # digits in the host name
    "https://news.example/2020/13/45/impossible",
    None,
])
def test_url_without_a_full_date(url):
    assert from_url(url) is None


def test_url_date_alone_is_used_with_its_reason():
    clean = page([("navigation", "Home | World | Business")], url="https://news.example/2020/03/23/story/")
    info = find_date(clean)
    assert info.value == "2020-03-23" and info.method == "url" and "URL" in info.reason


def test_year_and_month_in_url_complete_a_byline_without_year():
    clean = page([("byline", "By Ana Ruiz | Posted Nov 19, 6:51 AM")], url="https://n.example/2019/11/terminal/")
    info = find_date(clean)
    assert info.value == "2019-11-19" and info.method == "byline" and "/2019/11/" in info.reason
    _span_ok(clean, info)


# --- reconciling the URL with the page --------------------------------------------------------------------

def test_url_and_byline_agree():
    clean = page([("byline", "By Ana Ruiz"), ("dateline", "November 8, 2023")],
                 url="https://n.example/2023/11/08/terminal/")
    info = find_date(clean)
    assert info.value == "2023-11-08" and info.method == "byline"
    assert "URL" in info.reason and "same date" in info.reason
    _span_ok(clean, info)


def test_labelled_publication_beats_a_different_url_date():
    clean = page([("byline", "First published on November 20, 2019 / 1:07 AM")],
                 url="https://n.example/news/hearing-key-moments-2019-11-17/")
    info = find_date(clean)
    assert info.value == "2019-11-20" and info.method == "byline"
    assert "2019-11-17" in info.reason and "publication" in info.reason


def test_unlabelled_stamp_a_day_from_the_url_is_kept():
    clean = page([("dateline", "Nov 20, 2019 01:07 GMT")], url="https://n.example/2019/11/19/story/")
    info = find_date(clean)
    assert info.value == "2019-11-20" and "time zone" in info.reason


def test_unlabelled_stamp_far_from_the_url_loses():
    clean = page([("dateline", "March 30, 2015")], url="https://n.example/2015/03/20/story/")
    info = find_date(clean)
    assert info.value == "2015-03-20" and info.method == "url" and "2015-03-30" in info.reason


def test_update_date_loses_to_the_url():
    clean = page([("byline", "Updated 2010 GMT (0410 HKT) March 14, 2021")],
                 url="https://n.example/2021/03/08/uk/interview-recap/index.html")
    info = find_date(clean)
    assert info.value == "2021-03-08" and info.method == "url" and "update" in info.reason


def test_html_metadata_a_day_from_the_url_yields_to_the_url():
    url = DateInfo(value="2020-02-24", method="url", evidence=Evidence(where="url", text="https://p.example/2020/02/24/x/"))
    metadata = PageDate(DateInfo(value="2020-02-25", method="html", evidence=Evidence(where="html", text="2020-02-25")),
                        "metadata")
    info = reconcile(metadata, url)
    assert info.value == "2020-02-24" and "UTC" in info.reason
    far = PageDate(metadata.info.model_copy(update={"value": "2020-03-02"}), "metadata")
    assert reconcile(far, url).value == "2020-03-02"


# --- publication beats update ----------------------------------------------------------------------------

def test_label_before_each_date():
    line = "Updated: 20 Nov 2019 | Published: 19 Nov 2019"
    first, second = parse_dates(line)
    assert label_before(line, first.start) == "updated" and label_before(line, second.start) == "published"
    assert label_before("Updated date: 2019-11-20", 14) == "updated"  # one label, not "updated" + "date"


@pytest.mark.parametrize("line", [
    "Updated: Nov 20, 2019 10:02 | Published: Nov 19, 2019 08:00",
    "Published Nov 19, 2019 08:00 Updated Nov 20, 2019 10:02",
    "Last modified 2019-11-20T10:02:00Z · First published 2019-11-19T08:00:00Z",
])
def test_publication_beats_update_on_one_line(line):
    clean = page([("byline", line)])
    info = find_date(clean)
    assert info.value == "2019-11-19" and info.time.startswith("08:00")
    _span_ok(clean, info)


def test_unlabelled_stamp_beats_an_update_line():
    clean = page([("byline", "Last updated: 21 November 2019"), ("dateline", "19 November 2019")])
    assert find_date(clean).value == "2019-11-19"


def test_update_alone_is_used_and_says_so():
    clean = page([("byline", "Last updated: 21 November 2019")])
    info = find_date(clean)
    assert info.value == "2019-11-21" and "only an update date" in info.reason


# --- dates of other things never win --------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["comments", "related", "consent", "footer", "navigation", "caption", "advert",
                                  "references", "subscription", "counter"])
def test_furniture_of_other_content_never_dates_the_article(kind):
    clean = page([(kind, "March 26, 2018 at 1:09 pm")])
    info = find_date(clean)
    assert info.value is None


def test_comment_dates_below_the_article_are_ignored_and_the_byline_is_used():
    clean = page([("byline", "By Ana Ruiz, April 13, 2020")],
                 below=[("comments", "Chris A. February 23, 2021 at 12:33 pm Reply"),
                        ("related", "Ports: another terminal opens  May 2, 2021"),
                        ("footer", "© 2021 Harbour News. Updated January 1, 2021")])
    assert find_date(clean).value == "2020-04-13"


def test_copyright_year_is_not_a_date():
    clean = page([], below=[("footer", "Copyright © 2020 Harbour News. All rights reserved.")])
    assert find_date(clean).value is None


# --- relative dates --------------------------------------------------------------------------------------

def test_publication_weekday_resolved_against_the_update_date():
    # 2 May 2020 was a Saturday: "Published Friday" is 1 May.
    clean = page([("byline", "Published Friday"), ("byline", "Updated Sat, May 2, 2020 8:31 PM")])
    info = find_date(clean)
    assert info.value == "2020-05-01" and info.method == "inferred"
    assert "Friday" in info.reason and "2020-05-02" in info.reason
    assert info.evidence.text == "Friday"
    _span_ok(clean, info)


def test_publication_weekday_equal_to_the_update_weekday_is_the_update_day():
    clean = page([("byline", "Posted on Saturday"), ("byline", "Updated May 2, 2020")])
    assert find_date(clean).value == "2020-05-02"


def test_relative_references_without_anchor_stay_null():
    clean = page([], body="The ministry said on Friday that the terminal would open.\n\nWork began yesterday.")
    info = find_date(clean)
    assert info.value is None and "on friday" in info.reason and "no stated anchor" in info.reason


def test_yesterday_is_never_resolved():
    clean = page([("byline", "Published yesterday"), ("byline", "Updated May 2, 2020")])
    info = find_date(clean)
    assert info.value == "2020-05-02" and info.method == "byline" and "only an update" in info.reason


def test_event_weekday_in_the_body_is_not_a_publication_anchor():
    clean = page([("byline", "Updated May 2, 2020")],
                 body="The announcement was made on Friday.\n\nThe station closes on Sunday.")
    assert find_date(clean).method != "inferred"


# --- other languages: numeric dates and URLs are language-independent -------------------------------------

def test_iso_timestamp_in_a_german_byline():
    clean = page([("byline", "Stand: 2023-11-08T14:05:00+01:00")],
                 title="Bundestag beschließt das neue Hafengesetz",
                 body="Der Bundestag hat am Mittwoch das Hafengesetz beschlossen.\n\nDie Opposition stimmte dagegen.")
    info = find_date(clean)
    assert (info.value, info.time, info.timezone) == ("2023-11-08", "14:05:00", "+01:00")
    _span_ok(clean, info)


def test_german_labels_publication_before_update():
    clean = page([("byline", "Aktualisiert am 09.11.2023, 10:15 Uhr · Veröffentlicht am 08.11.2023, 07:30 Uhr")],
                 title="Hafen erhält neues Terminal", body="Der Hafen erhält ein neues Terminal.")
    info = find_date(clean)
    assert info.value == "2023-11-08" and info.time == "07:30"


def test_dotted_dates_are_day_first():
    assert [d.value.isoformat() for d in parse_dates("08.11.2023")] == ["2023-11-08"]
    assert [d.value.isoformat() for d in parse_dates("21.10.2019")] == ["2019-10-21"]
    assert parse_dates("08/11/2023") == []  # slashed: day-first or month-first, not guessed


def test_french_page_dated_by_its_url_and_iso_stamp():
    clean = page([("dateline", "Publié le 2023-11-08 à 07h30")],
                 url="https://www.journal.example/international/article/2023/11/08/la-cop_6198.html",
                 title="La conférence sur le climat s'ouvre à Dubaï",
                 body="La conférence s'ouvre jeudi.\n\nLes négociations dureront deux semaines.")
    info = find_date(clean)
    assert info.value == "2023-11-08" and "same date" in info.reason


def test_iso_time_after_date():
    assert time_after("2019-11-19T12:48:14Z", 10) == ("12:48:14", "UTC")
    assert time_after("2019-11-19T12:48:14.000Z", 10) == ("12:48:14", "UTC")


# --- HTML metadata through htmldate ------------------------------------------------------------------------

def _html_page(head: str, body: str = "<p>The harbour authority approved the terminal.</p>",
               url: str | None = None) -> CleanDocument:
    html = f"<html><head><title>{TITLE}</title>{head}</head><body><h1>{TITLE}</h1>{body}</body></html>"
    raw = RawDocument(path="p.html", sha256="0" * 64, id="0" * 16, format="html", encoding="utf-8", raw=html,
                      hints=Hints(url=url))
    return CleanDocument(raw=raw, title=TITLE, text=f"{TITLE}\n\nThe harbour authority approved the terminal.",
                         body_start=len(TITLE) + 2)


def test_html_original_date_beats_modified():
    clean = _html_page('<meta property="article:modified_time" content="2020-02-27T10:00:00Z"/>'
                       '<meta property="article:published_time" content="2020-02-20T10:00:00Z"/>')
    assert from_html(clean).info.value == "2020-02-20"


def test_html_metadata_before_the_url():
    clean = _html_page('<meta property="article:published_time" content="2020-02-20T10:00:00Z"/>',
                       url="https://n.example/2020/01/05/story/")
    found = from_html(clean)
    assert found.info.value == "2020-02-20" and found.strength == "metadata"


def test_html_does_not_depend_on_the_clock():
    # htmldate's default ceiling is today: a far-future page date would be refused today and accepted
    # later. The fixed ceiling accepts it the same way on any day.
    clean = _html_page('<meta property="article:published_time" content="2090-05-01T10:00:00Z"/>')
    assert from_html(clean).info.value == "2090-05-01"


def test_html_without_date_invents_none():
    clean = _html_page("", body="<p>The harbour authority approved the terminal.</p>"
                               "<footer>© 2020 Harbour News</footer>")
    assert from_html(clean) is None
    assert find_date(clean).value is None


@pytest.mark.parametrize("text, expected", [
    ("Von Moritz Bachmann publiziert am 25. September 2018", "2018-09-25"),
    ("Publicado el 25 de septiembre de 2018", "2018-09-25"),
    ("Publié le 1er mars 2024", "2024-03-01"),
    ("Diterbitkan 30 Maret 2015", "2015-03-30"),
    ("Опубликовано 5 октября 2024 года", "2024-10-05"),
])
def test_month_names_of_other_languages(text, expected):
    assert [found.value.isoformat() for found in parse_dates(text)] == [expected]


def test_foreign_month_names_need_a_day_and_a_year():
    assert parse_dates("Mai 2018") == [] and parse_dates("le mars dernier") == []
