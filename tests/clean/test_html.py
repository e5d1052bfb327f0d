"""HTML pages get the care text dumps get: furniture removed with its kind, captions kept apart, repeats
removed once, the site name cut from the title, and every removal located in the HTML source."""

from __future__ import annotations

import gzip
import hashlib
import html as html_lib
import re

import pytest

from newsfacts.clean import clean_document
from newsfacts.clean.html.source import SourceText
from newsfacts.clean.title import strip_site_name
from newsfacts.documents import CleanDocument, Hints, RawDocument
from newsfacts.evaluation import shared_dir

PARAGRAPHS = [
    "SEOUL: South Korea's spy agency said on Friday that North Korea had sent about 1,500 special forces to "
    "Russia's Far East, the first batch of a larger deployment that officials expect to grow this winter.",
    "The agency said the troops were undergoing training at bases in the region and were likely to be sent to "
    "the front lines soon, in what officials in Seoul called a significant escalation of the war.",
    "Moscow and Pyongyang have denied that any troops were sent, and a spokesman for the Kremlin called the "
    "reports contradictory, adding that cooperation between the two countries broke no international law.",
    "Analysts said the deployment, if confirmed, would give North Korea combat experience and could bring it "
    "technology it has long sought for its missile and satellite programmes in return for the soldiers.",
]


def page(*, title: str = "Seoul says North Korean troops arrived in Russia", head: str = "", before: str = "",
         middle: str = "", after: str = "", h1: bool = True, paragraphs=PARAGRAPHS, lang: str = "en") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    half = len(paragraphs) // 2
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs[:half]) + f"\n{middle}\n" + \
        "\n".join(f"<p>{p}</p>" for p in paragraphs[half:])
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>{f"<h1>{title}</h1>" if h1 else ""}
{before}
{body}
{after}
</article>
<footer><p>Contact us</p></footer></body></html>"""


def clean(source: str, url: str = "https://www.example-times.com/world/2024/10/21/troops-russia") -> CleanDocument:
    digest = hashlib.sha256(source.encode()).hexdigest()
    raw = RawDocument(path="page.html", sha256=digest, id=digest[:16], format="html", encoding="utf-8", raw=source,
                      hints=Hints(url=url, url_method="manifest"))
    return clean_document(raw)


def body_of(doc: CleanDocument) -> str:
    return doc.text[doc.body_start:]


def visible(source: str) -> str:
    return "".join(html_lib.unescape(re.sub(r"<[^>]*>", "", source)).split())


def assert_audit_trail(doc: CleanDocument) -> None:
    """Every removed block is exactly its source; every caption's source reads as the caption."""
    raw = doc.raw.raw
    for block in doc.removed:
        assert 0 <= block.start <= block.end <= len(raw)
        assert raw[block.start:block.end] == block.text, block
    for caption in doc.captions:
        assert 0 <= caption.start <= caption.end <= len(raw)
        source = raw[caption.start:caption.end]
        if source != caption.text:
            # Only a caption whose source holds markup, references or line breaks may differ, and then
            # only by those.
            assert re.search(r"[<&\n\r]", source), caption
            assert visible(source) == "".join(caption.text.split()), caption


def test_plain_article_is_kept_whole():
    doc = clean(page())
    for paragraph in PARAGRAPHS:
        assert paragraph in body_of(doc)
    assert not doc.captions
    assert doc.title == "Seoul says North Korean troops arrived in Russia"
    # The extractor repeats the <h1> as the first line: recorded as a repeat of the title, pointing at the h1.
    (block,) = doc.removed
    assert (block.kind, block.reason, block.text) == ("duplicate", "repeats the title", doc.title)
    assert doc.raw.raw[block.start - 4:block.start] == "<h1>"


def test_advert_line_is_removed_with_its_kind():
    ad = "Time to show-off your poker skills and win Rs.25 lakhs with no investment. Register Now!"
    doc = clean(page(middle=f"<p>{ad}</p>"))
    assert ad not in doc.text
    (block,) = [b for b in doc.removed if b.kind == "advert"]
    assert block.text == ad
    assert_audit_trail(doc)
    for paragraph in PARAGRAPHS:
        assert paragraph in body_of(doc)


def test_copyright_line_with_markup_is_removed_and_located_in_the_source():
    line = '<p>Copyright &copy; 2024 <a href="/">Example Times</a>. All rights reserved.</p>'
    doc = clean(page(after=line))
    assert "All rights reserved" not in doc.text
    (block,) = [b for b in doc.removed if b.kind == "footer"]
    # The line holds a reference and a link: the removed text is its source, exactly.
    assert block.text == 'Copyright &copy; 2024 <a href="/">Example Times</a>. All rights reserved.'
    assert_audit_trail(doc)


def test_file_photo_line_becomes_a_caption_with_its_credit():
    caption = ("FILE PHOTO: North Korean leader Kim Jong Un attends a military parade in Pyongyang, North Korea, "
               "October 10, 2024.")
    doc = clean(page(before=f"<p>{caption} REUTERS/Kim Hong-Ji</p>"))
    assert "FILE PHOTO" not in doc.text
    (record,) = doc.captions
    assert record.text == caption and record.credit == "REUTERS/Kim Hong-Ji"
    assert {b.kind for b in doc.removed if b.reason != "repeats the title"} == {"caption", "credit"}
    assert_audit_trail(doc)


def test_figcaption_is_a_caption_not_text():
    figure = ('<figure><img src="parade.jpg" alt="parade"><figcaption>Soldiers march during a parade in '
              'Pyongyang. <span class="credit">Photo: Jane Doe</span></figcaption></figure>')
    doc = clean(page(middle=figure))
    assert "Soldiers march" not in doc.text
    (record,) = doc.captions
    assert record.text == "Soldiers march during a parade in Pyongyang."
    assert record.credit == "Photo: Jane Doe"
    assert doc.raw.raw[record.start:record.end] == record.text
    assert_audit_trail(doc)


def test_teaser_figcaption_outside_the_article_is_not_a_caption():
    teaser = ('<aside><figure><a href="/other"><img src="x.jpg"><figcaption>Another story about the weather '
              'this week</figcaption></a></figure></aside>')
    doc = clean(page() .replace("</article>", "</article>" + teaser))
    assert not doc.captions


def test_repeated_opening_paragraph_appears_once():
    lead = PARAGRAPHS[0]
    doc = clean(page(paragraphs=[lead, *PARAGRAPHS[1:3], lead, PARAGRAPHS[3]]))
    assert body_of(doc).count(lead) == 1
    assert body_of(doc).startswith(lead)
    (block,) = [b for b in doc.removed if b.kind == "duplicate" and b.reason != "repeats the title"]
    # The block points at the second occurrence in the source, the one that was dropped.
    assert block.start == doc.raw.raw.rindex(lead)
    assert any(r.kind == "duplicate_block" and r.before == lead for r in doc.repairs)
    assert_audit_trail(doc)


def test_title_repeated_as_first_line_is_recorded():
    title = "Seoul says North Korean troops arrived in Russia"
    doc = clean(page(title=title, h1=False, before=f"<p><strong>{title}</strong></p>"))
    assert body_of(doc).count(title) == 0
    assert doc.title == title
    assert_audit_trail(doc)


def test_site_name_suffix_is_cut_from_the_title_and_recorded():
    head = ('<meta property="og:title" content="Troops arrive in Russia | World News - Example Times">'
            '<meta property="og:site_name" content="Example Times">')
    doc = clean(page(title="Troops arrive in Russia | World News - Example Times", head=head, h1=False))
    assert doc.title == "Troops arrive in Russia"
    assert doc.text.startswith("Troops arrive in Russia\n\n")
    (repair,) = [r for r in doc.repairs if r.kind == "other"]
    assert repair.before == "Troops arrive in Russia | World News - Example Times"
    assert doc.text[repair.start:repair.end] == repair.after == "Troops arrive in Russia"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Coronavirus in Odisha: first death | Bhubaneswar News - Times of India", "Coronavirus in Odisha: first death"),
        ("What we do - Creative Commons", "What we do"),
        ("Uncertain future for workers after Brexit - La Prensa Latina Media", "Uncertain future for workers after Brexit"),
        ("Example Times - Troops arrive in Russia", "Troops arrive in Russia"),
        ("Le gouvernement présente sa réforme des retraites - Le Journal", "Le gouvernement présente sa réforme des retraites"),
        ("朝鲜军队抵达俄罗斯 - 新华网", "朝鲜军队抵达俄罗斯"),
    ],
)
def test_strip_site_name(title, expected):
    sites = {"Times of India": "https://timesofindia.indiatimes.com/city/x.cms", "Creative Commons": None,
             "La Prensa Latina": "https://www.laprensalatina.com/x/", "Example Times": None, "Le Journal": None,
             "新华网": None}
    site = next(s for s in sites if s.replace(" ", "").lower()[:6] in title.replace(" ", "").lower())
    url = sites[site]
    headline, cut = strip_site_name(title, [site if url is None else None], url)
    assert headline == expected
    assert title.replace(headline, "", 1) == cut


@pytest.mark.parametrize(
    "title",
    [
        "Trump visited a Trump-owned golf course - nearly 24 percent of days in 2019",
        "Kim Jong Un - the man behind the missiles",
        "Run Windows on Mac - Parallels Desktop 15 Virtual Machine for Mac",
        "Example Times",
        "Example Times - Opinion",
    ],
)
def test_a_dash_in_a_headline_is_kept(title):
    assert strip_site_name(title, ["Example Times"], "https://www.parallels.com/products/desktop/") is None


def test_headline_with_dash_is_kept_on_a_page():
    title = "Trump-owned golf course - what the records show"
    head = f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Example Times">'
    doc = clean(page(title=title, head=head, h1=False))
    assert doc.title == title
    assert not [r for r in doc.repairs if r.kind == "other"]


FRENCH = [
    "PARIS : Le gouvernement a présenté mercredi sa réforme des retraites devant le Conseil des ministres, "
    "après plusieurs semaines de négociations avec les syndicats et le patronat.",
    "Selon le texte, l'âge légal de départ serait progressivement relevé, une mesure que les syndicats jugent "
    "injuste et contre laquelle ils appellent à manifester dans toute la France jeudi prochain.",
    "Le Premier ministre a défendu un projet « juste et nécessaire » et a promis des mesures pour les carrières "
    "longues, tout en reconnaissant que le débat au Parlement serait difficile pour la majorité.",
    "Les partis d'opposition ont annoncé le dépôt de milliers d'amendements et une motion de censure, tandis "
    "que plusieurs économistes doutent de l'effet réel de la réforme sur les comptes publics.",
]


def test_non_english_page():
    title = "Le gouvernement présente sa réforme des retraites - Le Journal"
    head = f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Le Journal">'
    figure = ('<figure><img src="a.jpg"><figcaption>Le Premier ministre à l\'Assemblée nationale, mercredi. '
              '<span class="credit">AFP</span></figcaption></figure>')
    doc = clean(page(title=title, head=head, h1=False, paragraphs=FRENCH, lang="fr", middle="<p>Publicité</p>" + figure,
                     after="<p>© 2024 Le Journal. Tous droits réservés.</p>"),
                url="https://www.lejournal.fr/politique/reforme-retraites")
    assert doc.title == "Le gouvernement présente sa réforme des retraites"
    for paragraph in FRENCH:
        assert paragraph in body_of(doc)
    assert "Publicité" not in doc.text and "Tous droits" not in doc.text
    assert {"advert", "footer"} <= {b.kind for b in doc.removed}
    (record,) = doc.captions
    assert record.text.startswith("Le Premier ministre à l'Assemblée") and record.credit == "AFP"
    assert_audit_trail(doc)


def test_table_rows_without_letters_are_kept():
    table = ("<table><tr><th>Date</th><th>Amount</th></tr><tr><td>2020-09-30</td><td>2,800</td></tr>"
             "<tr><td>2020-09-12</td><td>1,000</td></tr></table>")
    doc = clean(page(middle=table))
    assert "2,800" in body_of(doc) and "1,000" in body_of(doc)


def test_source_text_finds_text_across_markup_and_references():
    source = '<div><p>AT&amp;T said <b>profits</b>\n rose.</p><script>var x = "AT&T said profits rose.";</script></div>'
    span = SourceText(source).find("AT&T said profits rose.")
    assert span is not None
    assert source[span.start:span.end] == "AT&amp;T said <b>profits</b>\n rose."
    # Text inside a word is not a match, and script text is not page text.
    assert SourceText("<p>Adidas</p>").find("Ad") is None
    assert SourceText("<script>Register now</script>").find("Register now") is None


# ---- the audit trail on real pages, when the shared development data is present ---------------------

WEB_PAGES = sorted((shared_dir() / "devdata" / "web-dates" / "pages").glob("*.html.gz"))


@pytest.mark.skipif(not WEB_PAGES, reason="shared web-dates pages are not available")
def test_offsets_point_into_the_html_source_on_real_pages():
    import trafilatura

    for path in WEB_PAGES:
        source = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        url_file = path.with_name(path.name.replace(".html.gz", ".url"))
        url = url_file.read_text().strip() if url_file.exists() else None
        doc = clean(source, url)
        assert_audit_trail(doc)
        found = trafilatura.extract(source, favor_precision=True, include_comments=False, include_tables=True)
        if found and found.strip():
            assert body_of(doc).strip(), path.name  # never empty a body the extractor found
