"""Text from the inputs (file names, outlet names, titles) as literal Markdown, for the card."""

from __future__ import annotations

import re

# Every kind of line break and other control characters: a table row or heading must stay on one line.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# ASCII punctuation that Markdown (CommonMark, GFM tables, the Hub's math) may interpret; all of it can be
# backslash-escaped. `_` only matters at a word boundary.
_SPECIAL = re.compile(r"([\\`*\[\]<>|&~$])|(?<!\w)_|_(?!\w)")


def markdown_inline(text: str) -> str:
    """`text` as literal inline Markdown on one line (safe in a table cell or heading)."""
    flat = " ".join(_BREAKS.sub(" ", text).split())
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), flat)
