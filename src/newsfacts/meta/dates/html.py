"""HTML metadata dates through htmldate, configured so that the result is the original publication date
and does not depend on when the page is processed."""

from __future__ import annotations

from newsfacts.documents import CleanDocument
from newsfacts.meta.dates.page import PageDate
from newsfacts.meta.dates.patterns import date_cues
from newsfacts.models import DateInfo, Evidence


def from_html(clean: CleanDocument) -> PageDate | None:
    if clean.raw.format != "html":
        return None
    from htmldate import find_date

    found = find_date(
        clean.raw.raw,
        # The publication date, not the last modification.
        original_date=True,
        # No free-text search: it falls back on copyright years and on any date in the page (comments,
        # teasers), inventing a day where the page states none.
        extensive_search=False,
        # The page's own metadata (article:published_time, JSON-LD datePublished, <time>) before the URL:
        # the URL date is reconciled separately, so the page's statement must not be replaced by it.
        url=clean.raw.hints.url,
        deferred_url_extractor=True,
        # A fixed ceiling instead of htmldate's default "end of today" (see data/meta_date_cues.yaml).
        max_date=date_cues()["html_latest_date"],
    )
    if not found:
        return None
    # htmldate reads publication metadata first (original_date=True): a stated publication date, but often
    # a UTC timestamp (see `reconcile`).
    return PageDate(DateInfo(value=found, method="html", evidence=Evidence(where="html", text=found)), "metadata")
