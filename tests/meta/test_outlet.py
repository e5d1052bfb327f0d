from newsfacts.clean import clean_document
from newsfacts.documents import Hints
from newsfacts.meta.outlet import find_outlet
from newsfacts.read.files import read_bytes

PAGE = """<!DOCTYPE html><html><head><title>Troops arrive | Example News</title>
<meta property="og:site_name" content="Example News"></head><body><article><h1>Troops arrive</h1>
<p>North Korea has sent 1,500 more soldiers to Russia, South Korea's spy agency told lawmakers on Wednesday.</p>
</article></body></html>"""


def outlet_of(html: str, url: str | None = None):
    (raw,) = read_bytes(html.encode(), "page.html", hints=Hints(url=url, url_method="sidecar" if url else None),
                        suffix=".html")
    return find_outlet(clean_document(raw))


def test_html_site_name_names_an_unregistered_outlet():
    outlet = outlet_of(PAGE)
    assert (outlet.name, outlet.domain, outlet.method) == ("Example News", None, "html")
    with_url = outlet_of(PAGE, "https://www.example.com/world/troops")
    assert (with_url.name, with_url.domain) == ("Example News", "example.com")


def test_registry_name_wins_over_page_metadata():
    outlet = outlet_of(PAGE.replace("Example News", "Some Headline Site"), "https://www.reuters.com/world/x")
    assert outlet.name == "Reuters" and outlet.kind == "agency"
