"""`newsfacts report`: a self-contained page whose every chart renders.

Structural checks always run; when Debian's chromium is installed (CI installs it), the page is also opened
in a real headless browser and every chart must be laid out with a size and drawn marks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsfacts.cli import main
from newsfacts.models import Claim, ClaimMember, QuoteCluster, QuoteClusterMember
from newsfacts.report import ReportRefused, is_report, render_report, write_report

SVG_NS = "{http://www.w3.org/2000/svg}"
ID_A, ID_B, ID_C = "a" * 16, "b" * 16, "c" * 16


def _member(article_id, index, value, outlet, date, *, value_max=None, hedge=None, claimant=None):
    return ClaimMember(article_id=article_id, figure_index=index, text=f"{value:,.0f} soldiers", outlet=outlet,
                       date=date, claimant=claimant, value=value, value_max=value_max, hedge=hedge,
                       reasons=["counted noun: soldiers", "entity: North Korea"])


SOLDIERS = Claim(
    id="1" * 16, statement="North Korean soldiers sent to Russia", kind="count", unit="soldiers",
    entity_ids=["Q423"], values=[10000.0, 12000.0], value_min=10000.0, value_max=12000.0, status="disagree",
    first_date="2024-10-18", last_date="2024-10-21", outlets=["Outlet <A>", "Outlet B"],
    members=[_member(ID_A, 0, 10000, "Outlet <A>", "2024-10-18", claimant="NIS"),
             _member(ID_B, 2, 12000, "Outlet B", None, hedge="about"),
             _member(ID_C, 1, 10000, None, "2024-10-21", value_max=12000)])
STATEMENT = QuoteCluster(
    id="2" * 16, canonical="We are deeply concerned", speaker="German foreign ministry", speaker_entity_id=None,
    first_article_id=ID_A, first_outlet="Outlet <A>", first_date="2024-10-18", outlets=["Outlet <A>", "Outlet B"],
    members=[QuoteClusterMember(article_id=ID_A, quote_index=0, text="We are deeply concerned", outlet="Outlet <A>",
                                date="2024-10-18", match="full", similarity=1.0),
             QuoteClusterMember(article_id=ID_B, quote_index=3, text="deeply concerned", outlet="Outlet B",
                                date=None, match="partial", similarity=0.5)])


@pytest.fixture
def release_with_claims(release_copy) -> Path:
    """The seed release with a `claims` and a `quote_clusters` config holding the rows above (written here, so
    the report's drawing is tested apart from how the rows are grouped)."""
    for config, row in (("claims", SOLDIERS), ("quote_clusters", STATEMENT)):
        folder = release_copy / "data" / config
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist([row.model_dump(mode="json")]), folder / "train-00000-of-00001.parquet")
    return release_copy


class _Page(HTMLParser):
    """The page's tags, external references and the raw text of each chart's <svg>."""

    def __init__(self, source: str):
        super().__init__()
        self.tags: list[str] = []
        self.references: list[str] = []
        self.figures = 0
        self.source = source
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "figure" and ("class", "chart") in attrs:
            self.figures += 1
        for name, value in attrs:
            if name in {"src", "href", "xlink:href", "action", "data"} and value and not value.startswith("#"):
                self.references.append(value)

    def charts(self) -> list[ET.Element]:
        svgs = re.findall(r'<figure class="chart"[^>]*>(<svg.*?</svg>)', self.source, flags=re.S)
        return [ET.fromstring(svg) for svg in svgs]


def _check_structure(page: str, expected_charts: int) -> None:
    parsed = _Page(page)
    assert parsed.references == [], "the page must load nothing: no link, image, font or script from elsewhere"
    assert "script" not in parsed.tags and "link" not in parsed.tags and "iframe" not in parsed.tags
    assert "@import" not in page and not re.search(r"url\((?!#)", page)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "element ids must be unique in the page"
    for target in re.findall(r'(?:url\(#|href="#)([^")]+)', page):
        assert target in ids, f"a reference to a missing element: #{target}"
    assert parsed.figures == expected_charts
    charts = parsed.charts()
    assert len(charts) == expected_charts
    for svg in charts:
        assert svg.get("role") == "img" and svg.get("aria-label")
        assert svg.get("viewBox") and float(svg.get("width").removesuffix("pt")) > 50
        marks = [e for e in svg.iter() if e.tag in {f"{SVG_NS}path", f"{SVG_NS}use", f"{SVG_NS}text"}]
        assert len(marks) > 5, "a chart with almost nothing drawn"


def test_report_of_seed_release_is_self_contained_and_deterministic(release_with_claims, tmp_path):
    first = write_report(release_with_claims, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    # a claim, a quote cluster, the entity network and the known errors
    assert first.charts == 4 and first.claims == 1 and first.quote_clusters == 1
    _check_structure(page, first.charts)
    assert "North Korean soldiers sent to Russia" in page and "disagree" in page
    assert "Outlet &lt;A&gt;" in page and "Outlet <A>" not in page  # data is escaped, never markup
    assert "We are deeply concerned" in page and "First carried by Outlet &lt;A&gt; on 2024-10-18" in page
    again, _ = render_report(release_with_claims)
    assert again == page


def test_release_without_cross_document_configs_says_so(release_copy, tmp_path):
    for config in ("claims", "quote_clusters"):
        shutil.rmtree(release_copy / "data" / config, ignore_errors=True)
    page, charts = render_report(release_copy)
    assert "This release has no <code>claims</code> config" in page
    assert "This release has no <code>quote_clusters</code> config" in page
    _check_structure(page, charts)
    assert charts == 2  # entity network and known errors


def test_claim_chart_shows_each_report_and_hedge(release_with_claims):
    page, _ = render_report(release_with_claims)
    svg = _Page(page).charts()[0]
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG_NS}text")]
    assert any("about 12,000" in t for t in texts)
    assert any("10,000–12,000" in t for t in texts)  # a range is drawn as one
    assert any("unknown outlet" in t for t in texts) and any("undated" in t for t in texts)
    assert any("NIS" in t for t in texts)


def test_report_never_overwrites_a_users_file(release_with_claims, tmp_path):
    mine = tmp_path / "notes.html"
    mine.write_text("<html>my notes</html>", encoding="utf-8")
    with pytest.raises(ReportRefused, match="not a newsfacts report"):
        write_report(release_with_claims, mine)
    assert mine.read_text(encoding="utf-8") == "<html>my notes</html>"
    with pytest.raises(ReportRefused, match="is a folder"):
        write_report(release_with_claims, tmp_path)
    target = tmp_path / "report.html"
    write_report(release_with_claims, target)
    assert is_report(target)
    write_report(release_with_claims, target)  # an earlier report is replaced
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_cli_report(release_with_claims, tmp_path, capsys):
    assert main(["report", str(release_with_claims), "--output", str(tmp_path / "r.html")]) == 0
    assert "4 charts" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "missing"), "--output", str(tmp_path / "r.html")]) == 2
    assert main(["report", str(tmp_path), "--output", str(tmp_path / "x.html")]) == 2
    assert "not a newsfacts release" in capsys.readouterr().err


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Added to a copy of the page for the test only (the report itself carries no script): after layout, write
# each chart's rendered size and number of drawn elements into the DOM that --dump-dom prints.
_PROBE = """<script>
window.addEventListener("load", () => {
  const rows = [...document.querySelectorAll("figure.chart svg")].map(svg => {
    const box = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll("path, use, text")].filter(e => {
      const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length;
    return {width: box.width, height: box.height, drawn: drawn};
  });
  const out = document.createElement("pre"); out.id = "probe"; out.textContent = JSON.stringify(rows);
  document.body.appendChild(out);
});
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (CI installs Debian's chromium)")
def test_every_chart_renders_in_a_real_browser(release_with_claims, tmp_path):
    summary = write_report(release_with_claims, tmp_path / "report.html")
    probed = tmp_path / "probed.html"
    probed.write_text((tmp_path / "report.html").read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"),
                      encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900", "--virtual-time-budget=5000",
         "--dump-dom", probed.as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, flags=re.S)
    assert found, f"the browser did not render the page: {result.stderr[-2000:]}"
    charts = json.loads(found.group(1).replace("&quot;", '"'))
    assert len(charts) == summary.charts
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 50, chart
        assert chart["drawn"] > 5, chart


def test_every_release_carries_its_report_named_by_the_release(seed_release):
    page = (seed_release / "report.html").read_text(encoding="utf-8")
    assert "<title>newsfacts report: newsfacts " in page  # --name, never the build's staging folder
    assert "staging" not in page
    _check_structure(page, page.count('<figure class="chart"'))
    assert 'id="claim-1"' in page and 'id="cluster-1"' in page  # the seeds' soldiers claim, the ministry's words


def test_charts_drawn_by_other_processes_give_the_same_page(seed_release, tmp_path, monkeypatch):
    import newsfacts.report as report

    report.write_report(seed_release, tmp_path / "one.html", jobs=1)
    monkeypatch.setattr(report, "MIN_CHARTS_PER_PROCESS", 1)  # the seeds have three charts of that kind
    drawn = []
    real = report.ProcessPoolExecutor

    class CountingPool(real):
        def __init__(self, *args, **kwargs):
            drawn.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(report, "ProcessPoolExecutor", CountingPool)
    report.write_report(seed_release, tmp_path / "two.html", jobs=2)
    assert drawn == [2]
    assert (tmp_path / "two.html").read_bytes() == (tmp_path / "one.html").read_bytes()
