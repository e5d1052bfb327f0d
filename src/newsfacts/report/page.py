"""The report's HTML: one self-contained page (inline CSS and SVG; no script, no font, no request).

Every chart sits in a `<figure class="chart">` with a caption and is followed by a table of the same data,
so the numbers can be read (and copied, and read aloud by a screen reader) as well as seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from html import escape
from typing import Any

from newsfacts.release.layout import REPORT_FILE as BUILD_REPORT
from newsfacts.report import charts
from newsfacts.report.data import ReportData
from newsfacts.report.inputs import Inputs, InputsUnknown

GENERATOR = "newsfacts report"

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #eee; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1rem 0 0.3rem; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.8rem; color: #555; }
.status { display: inline-block; padding: 0 0.4rem; border-radius: 0.3rem; font-size: 0.8rem; color: #fff; }
.status-agree, .status-range { background: #0072B2; } .status-disagree { background: #D55E00; }
.status-update { background: #009E73; }
.absent { color: #777; font-style: italic; }
nav a { margin-right: 1rem; }
"""


def render_page(data: ReportData, *, max_claims: int, max_clusters: int, draw=map) -> tuple[str, int]:
    """The report page and the number of charts in it. `draw`: a `map` that draws the claims' and clusters'
    charts (each a pure function of its rows, so another process may draw them; the order is kept)."""
    sections: list[str] = []
    chart_count = 0
    claim_svgs = iter(draw(charts.claim_chart, (data.claims or [])[:max_claims]))
    cluster_svgs = iter(draw(charts.cluster_chart, (data.quote_clusters or [])[:max_clusters]))

    def chart(svg: str, anchor: str, caption: str) -> str:
        nonlocal chart_count
        chart_count += 1
        return (f'<figure class="chart" id="{anchor}">{scope_ids(svg, anchor)}'
                f'<figcaption>{escape(caption)}</figcaption></figure>')

    sections.append(_overview(data))
    sections.append(_inputs(data.inputs))
    sections.append(_claims(data, max_claims, chart, claim_svgs))
    sections.append(_clusters(data, max_clusters, chart, cluster_svgs))
    sections.append(_network(data, chart))
    sections.append(_errors(data, chart))
    title = f"newsfacts report: {data.release_name}" + (f" {data.version}" if data.version else "")
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta name="generator" content="{GENERATOR}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        '<nav><a href="#inputs">Inputs</a><a href="#claims">Claims</a><a href="#quote-clusters">Quote clusters</a>'
        '<a href="#entities">Entities named together</a><a href="#known-errors">Known errors</a></nav>\n'
        + "\n".join(sections)
        + f"\n<footer><p>Made from the release's Parquet files and its <code>{BUILD_REPORT}</code>; every row "
        "named here can be found in them by its article id and index, every input by its file and line.</p>"
        "</footer>\n</body>\n</html>\n"
    )
    return page, chart_count


def scope_ids(svg: str, prefix: str) -> str:
    """Prefix the element ids of one chart (and the references to them): matplotlib names markers and clip
    paths by a hash of their content, so two charts of one page would otherwise share ids."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = svg.replace("url(#", f"url(#{prefix}-")
    return re.sub(r'(xlink:)?href="#', lambda m: f'{m.group(0)}{prefix}-', svg)


def _overview(data: ReportData) -> str:
    rows = "".join(f"<tr><td>{escape(config)}</td><td class=\"num\">{n:,}</td></tr>"
                   for config, n in data.counts.items())
    return f"<section id=\"overview\"><h2>Release</h2><table><tr><th>config</th><th>rows</th></tr>{rows}</table></section>"


# What each outcome of build.py means, for the counts table (an outcome not named here is shown as it is).
_OUTCOME_MEANINGS = {
    "included": "made an article of the release",
    "flagged": "made an article that carries known errors (their kinds below)",
    "excluded": "not in the release, for the reason given",
    "auxiliary": "not an article: the input folder's manifest, documentation or checksums",
}


def _inputs(inputs: Inputs | InputsUnknown) -> str:
    head = '<section id="inputs"><h2>Inputs</h2>'
    if isinstance(inputs, InputsUnknown):
        return head + (f'<p class="absent">The inputs are unknown: {escape(inputs.why)}, so which were excluded '
                       "or flagged cannot be shown.</p></section>")
    folder = f" <code>{escape(inputs.input_name)}</code>" if inputs.input_name else ""
    parts = [head, f"<p>Every file (or record) of the input folder{folder}, as <code>{BUILD_REPORT}</code> lists "
                   "it: nothing is left out silently.</p>",
             _table(["outcome", "inputs", "meaning"], [[outcome, f"{n:,}", _OUTCOME_MEANINGS.get(outcome, "–")]
                                                         for outcome, n in inputs.counts.items()], numeric={1})]
    if inputs.low_retention:
        share = f"{inputs.low_retention_threshold:.0%}" if inputs.low_retention_threshold is not None else "little"
        parts.append(f"<p>{inputs.low_retention:,} article{'s' if inputs.low_retention != 1 else ''} kept less than "
                     f"{share} of their input's words: listed in <code>{BUILD_REPORT}</code> "
                     "(<code>low_retention</code>) for a look by hand.</p>")
    parts.append(_listed_inputs("excluded", ["file", "line", "reason"], inputs.excluded_count,
                                [[i.file, i.line or "–", i.reason] for i in inputs.excluded]))
    parts.append(_listed_inputs("flagged", ["file", "line", "article", "known errors"], inputs.flagged_count,
                                [[i.file, i.line or "–", i.article_id or "–", i.reason] for i in inputs.flagged]))
    return "".join(parts) + "</section>"


def _listed_inputs(outcome: str, headers: list[str], total: int, rows: list[list[str]]) -> str:
    """The heading and table of the inputs with `outcome` ("excluded", "flagged"): `rows`, the first of `total`."""
    head = f'<h3 id="inputs-{outcome}">{outcome.capitalize()} inputs</h3>'
    if not total:
        return head + f'<p class="absent">No input was {outcome}.</p>'
    more = f"<p>… and {total - len(rows):,} more, see <code>{BUILD_REPORT}</code>.</p>" if total > len(rows) else ""
    return head + _table(headers, rows, numeric={1}) + more


def _claims(data: ReportData, limit: int, chart: Callable[[str, str, str], str], svgs: Iterator[str]) -> str:
    head = ('<section id="claims"><h2>Claims: the same figure across outlets</h2>'
            "<p>Figures from different articles that count the same thing. <em>agree</em>: every outlet gives the "
            "same value; <em>range</em>: the values fit within each other's ranges and hedges; <em>update</em>: a "
            "later report revises an earlier value; <em>disagree</em>: otherwise. A point's shape is its hedge "
            "(◆ about, ▲ at least / more than, ▼ at most / nearly / up to, ● as stated); a hollow point is a vague "
            "quantity (a lower bound); a bar is a range.</p>")
    if data.claims is None:
        return head + '<p class="absent">This release has no <code>claims</code> config (it appeared in newsfacts 1.2.0).</p></section>'
    if not data.claims:
        return head + '<p class="absent">No figure is reported by more than one article in this release.</p></section>'
    parts = [head, _shown(data.claim_count, limit, "claims")]
    for i, claim in enumerate(data.claims[:limit], 1):
        parts.append(f'<h3>{escape(claim["statement"])} <span class="status status-{escape(claim["status"])}">'
                     f'{escape(claim["status"])}</span></h3>')
        parts.append(chart(next(svgs), f"claim-{i}",
                           f"Claim {claim['id']}: values reported, by outlet and date."))
        parts.append(_table(["outlet", "date", "as written", "value", "claimant", "why grouped", "article", "figure"], [
            [m["outlet"] or "–", m["date"] or "–", m["text"],
             charts.format_value(m["value"]) + (f"–{charts.format_value(m['value_max'])}" if m["value_max"] is not None else ""),
             m["claimant"] or "–", "; ".join(m["reasons"]), m["article_id"], str(m["figure_index"])]
            for m in claim["members"]], numeric={3, 7}))
    return "".join(parts) + "</section>"


def _clusters(data: ReportData, limit: int, chart: Callable[[str, str, str], str], svgs: Iterator[str]) -> str:
    head = ('<section id="quote-clusters"><h2>Quote clusters: one statement, many outlets</h2>'
            "<p>The same statement quoted in different articles: in full (●), in part (■) or in other words (◆), "
            "by outlet and date.</p>")
    if data.quote_clusters is None:
        return head + '<p class="absent">This release has no <code>quote_clusters</code> config (it appeared in newsfacts 1.2.0).</p></section>'
    if not data.quote_clusters:
        return head + '<p class="absent">No statement is quoted by more than one article in this release.</p></section>'
    parts = [head, _shown(data.quote_cluster_count, limit, "quote clusters")]
    for i, cluster in enumerate(data.quote_clusters[:limit], 1):
        first = cluster["first_outlet"] or "an unknown outlet"
        parts.append(f"<h3>{escape(cluster['speaker'] or 'Unnamed speaker')}: “{escape(cluster['canonical'])}”</h3>")
        parts.append(f"<p>First carried by {escape(first)}" + (f" on {escape(cluster['first_date'])}" if cluster["first_date"] else "")
                     + f" (article {escape(cluster['first_article_id'])}).</p>")
        parts.append(chart(next(svgs), f"cluster-{i}",
                           f"Quote cluster {cluster['id']}: who quoted it, when, and how."))
        parts.append(_table(["outlet", "date", "how", "similarity", "quoted words", "article", "quote"], [
            [m["outlet"] or "–", m["date"] or "–", m["match"], f"{m['similarity']:.2f}", m["text"], m["article_id"],
             str(m["quote_index"])] for m in cluster["members"]], numeric={3, 6}))
    return "".join(parts) + "</section>"


def _network(data: ReportData, chart: Callable[[str, str, str], str]) -> str:
    head = ('<section id="entities"><h2>Entities named together</h2>'
            "<p>The pairs of people, organisations and places named in the most articles together; a line's width "
            "is the number of articles, a point's colour the entity type.</p>")
    if not data.entity_pairs:
        return head + '<p class="absent">No two entities are named in the same article.</p></section>'
    return (head + chart(charts.network_chart(data.entity_pairs, data.entity_types), "entity-network",
                         f"The {len(data.entity_pairs)} pairs of entities most often named together.")
            + _table(["entity", "entity", "articles naming both"],
                     [[p.a_name, p.b_name, str(p.articles)] for p in data.entity_pairs], numeric={2})
            + "</section>")


def _errors(data: ReportData, chart: Callable[[str, str, str], str]) -> str:
    head = ('<section id="known-errors"><h2>Known errors</h2>'
            "<p>What the pipeline knows may be wrong in an article (each is in <code>articles.known_errors</code>, "
            "with its message and, where it has one, its place in the text).</p>")
    if not data.known_errors:
        return head + '<p class="absent">No article carries a known error.</p></section>'
    ranked = sorted(data.error_articles.items(), key=lambda item: (-item[1], item[0]))
    return (head + chart(charts.errors_chart(data.error_articles), "known-errors-chart",
                         f"Known errors by kind: how many of the {data.articles:,} articles carry each.")
            + _table(["kind", "articles", "occurrences", "example"],
                     [[kind, str(n), str(data.known_errors[kind]), _example(data, kind)] for kind, n in ranked],
                     numeric={1, 2})
            + "</section>")


def _example(data: ReportData, kind: str) -> str:
    examples = data.error_examples.get(kind) or []
    if not examples:
        return "–"
    first = examples[0]
    return f"{first.message} ({first.title or 'article ' + first.article_id})"


def _shown(total: int, limit: int, what: str) -> str:
    named = what if total != 1 else what.removesuffix("s")
    if total <= limit:
        return f"<p>{total:,} {named}.</p>"
    return f"<p>{total:,} {named}; the {limit} with the most outlets are shown (disagreements first for claims).</p>"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{escape(str(c))}</td>' if i in numeric else f"<td>{escape(str(c))}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
