"""A content-addressed cache of extracted articles: an unchanged input is not processed again.

An entry holds what `newsfacts.pipeline.process` returned for one document (before the cross-document steps:
near duplicates and curation run on every build), as the Article's pydantic JSON, which round-trips exactly.

Its key is the sha256 of two things (`fingerprint`):

- **the document**: every field of its `RawDocument` (path, line, bytes' sha256, decoded text, format,
  encoding, hints such as url and date), since each can change the Article (`source.file`, `source.line`,
  `source.url`, the id, ...). A field a reader adds later is part of the key without a change here.
- **the pipeline fingerprint**: the newsfacts version, a hash of every file of the installed package (its
  code and its data files in `newsfacts/data/`), the spaCy model's name and `meta.json` (name, version), the
  installed versions of newsfacts' dependencies (spaCy, trafilatura, ...) and the Python version. Any change
  to code, data, model or dependencies invalidates every entry: coarse, but never stale.

Entries are written as soon as each article is extracted, each atomically (a temporary file, then
`os.replace`), so a killed build leaves only whole entries and the next build continues where it stopped
(`store`). An entry that cannot be read or does not parse is a miss (and is replaced); a cache that cannot be
written is reported once and the build goes on without storing.

Each pipeline has its own folder (`articles-v1/<fingerprint>/`), holding its entries, the notes and report
pages kept beside them and the records of the releases it built (`newsfacts.up_to_date`). Folders of other
pipelines are never read again by this one: `newsfacts cache info` shows them (`inventory`), `newsfacts cache
prune` removes them or bounds the whole cache to a size, least recently used first, and `clear` removes all
(`prune`); a running build's folder is locked against both (`lock`).
"""

from newsfacts.cache.fingerprint import describe_pipeline, document_identity, pipeline_fingerprint
from newsfacts.cache.store import (
    CACHE_ENV,
    DESCRIPTION_FILE,
    LAYOUT,
    ROWS_CHECKED_SUFFIX,
    ArticleCache,
    CacheStats,
    CheckedRows,
    RenderedReports,
    default_cache_dir,
    mark_used,
    note_rows_checked,
    rows_checked,
    write_atomically,
)

__all__ = [
    "CACHE_ENV", "DESCRIPTION_FILE", "LAYOUT", "ROWS_CHECKED_SUFFIX", "ArticleCache", "CacheStats", "CheckedRows",
    "RenderedReports", "default_cache_dir", "describe_pipeline", "document_identity", "mark_used",
    "note_rows_checked", "pipeline_fingerprint", "rows_checked", "write_atomically",
]
