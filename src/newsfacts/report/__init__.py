"""`newsfacts report`: one self-contained HTML page that shows a release to people who would rather look than
read — what became of the build's inputs (counted, the excluded and flagged ones named with their reasons),
each claim's values by outlet and date, each quote cluster's spread over outlets and time, the entities most
often named together, and the known errors by kind.

    data.py    the release's Parquet → the values shown (absent configs stay absent, not empty)
    inputs.py  the release's build-report.json → the inputs' outcomes (a release without one: unknown, said so)
    charts.py  matplotlib → deterministic inline SVG
    page.py    the HTML page (no script, no external resource)
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from newsfacts.cache import write_atomically
from newsfacts.forking import frozen_for_fork
from newsfacts.report.data import load_report_data
from newsfacts.report.page import GENERATOR, render_page

REPORT_FILE = "report.html"
DEFAULT_MAX_CLAIMS = 40
DEFAULT_MAX_CLUSTERS = 40
# A chart takes about 50 ms to draw: fewer than twice this many are not worth starting processes for.
MIN_CHARTS_PER_PROCESS = 8


class ReportRefused(ValueError):
    """The report cannot be written where asked (nothing was changed)."""


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    charts: int
    claims: int | None
    quote_clusters: int | None


def render_report(release: Path, *, name: str | None = None, max_claims: int = DEFAULT_MAX_CLAIMS,
                  max_clusters: int = DEFAULT_MAX_CLUSTERS) -> tuple[str, int]:
    """The report page for the release folder `release` and its number of charts (deterministic). `name`: the
    release's name in the title (default: the folder's name)."""
    data = load_report_data(Path(release), name=name, max_claims=max_claims, max_clusters=max_clusters)
    return render_page(data, max_claims=max_claims, max_clusters=max_clusters)


def write_report(release: Path, output: Path, *, name: str | None = None, max_claims: int = DEFAULT_MAX_CLAIMS,
                 max_clusters: int = DEFAULT_MAX_CLUSTERS, jobs: int = 1) -> ReportSummary:
    """Write the report of `release` to `output`, atomically. An existing `output` is replaced only when it is
    an earlier newsfacts report: a user's own file is never overwritten. `name`: as for `render_report`.
    `jobs`: processes that draw the charts (the page is the same for any number)."""
    output = Path(output)
    if output.is_dir():
        raise ReportRefused(f"{output}: is a folder; give the path of the HTML file to write")
    if os.path.lexists(output) and not is_report(output):
        raise ReportRefused(f"{output}: exists and is not a newsfacts report; it is left untouched "
                            "(remove it or choose another path)")
    if output.parent and not output.parent.is_dir():
        raise ReportRefused(f"{output.parent}: folder does not exist")
    data = load_report_data(Path(release), name=name, max_claims=max_claims, max_clusters=max_clusters)
    charts_drawn = min(max_claims, data.claim_count or 0) + min(max_clusters, data.quote_cluster_count or 0)
    if jobs > 1 and charts_drawn >= MIN_CHARTS_PER_PROCESS * 2:
        with frozen_for_fork(), ProcessPoolExecutor(max_workers=jobs) as pool:
            page, charts = render_page(data, max_claims=max_claims, max_clusters=max_clusters,
                                       draw=functools.partial(pool.map, chunksize=max(1, MIN_CHARTS_PER_PROCESS // 2)))
    else:
        page, charts = render_page(data, max_claims=max_claims, max_clusters=max_clusters)
    write_atomically(output, page.encode("utf-8"))
    os.chmod(output, 0o644)  # a page to share, not a private cache entry (mkstemp creates 0600)
    return ReportSummary(path=output, charts=charts,
                         claims=None if data.claims is None else data.claim_count,
                         quote_clusters=None if data.quote_clusters is None else data.quote_cluster_count)


def is_report(path: Path) -> bool:
    """Whether `path` is a regular file written by `newsfacts report` (its generator tag in the first 2 KB)."""
    try:
        if not path.is_file() or path.is_symlink():
            return False
        with open(path, "rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in head
