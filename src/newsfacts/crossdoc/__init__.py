"""Cross-document steps over the extracted articles: figures grouped into claims, quotes into quote clusters.

Each step is a collector: `add(article)` once per article as the articles stream by (only compact records
are kept), then `rows()` gives the config's rows, sorted by their content-derived id.
"""

from newsfacts.crossdoc.claims import ClaimCollector, group_figures
from newsfacts.crossdoc.quote_clusters import QuoteClusterCollector, group_quotes

__all__ = ["ClaimCollector", "QuoteClusterCollector", "group_figures", "group_quotes"]
