"""Forms of a name that serve as keys: case-, accent- and hyphen-insensitive (`normalise_name`), without spaces
(`compact_name`), the acronyms a name may be shortened to, a run of words inside a longer name; and the
deterministic id of an entity that is not in the knowledge base (`fallback_id`), stable across articles."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from newsfacts.annotate.entities.kb import fold_diacritics


def normalise_name(name: str) -> str:
    """Case-, accent- and hyphen-insensitive form of a name (used for ids and document-level keys)."""
    ascii_only = fold_diacritics(name)
    return re.sub(r"[\s\-‐-―]+", " ", ascii_only).strip().lower()


def compact_name(name: str) -> str:
    """`normalise_name` without the spaces: spellings that differ only in case, spacing or hyphenation
    ("Time Warner", "TimeWarner", "Time-Warner") share it."""
    return normalise_name(name).replace(" ", "")


def fallback_id(entity_type: str, name: str) -> str:
    """Deterministic id for an entity not in the knowledge base: type + slug + short hash of the key. The
    key ignores spacing, so every spacing variant of a name gets one id across articles."""
    key = compact_name(name)
    slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:40] or "x"
    digest = hashlib.sha256(f"{entity_type}:{key}".encode()).hexdigest()[:8]
    return f"nf:{entity_type.lower()}:{slug}:{digest}"


def contains_run(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    n = len(shorter)
    return any(list(longer[i:i + n]) == list(shorter) for i in range(len(longer) - n + 1))


def acronym_of(name_words: Sequence[str]) -> set[str]:
    """Acronyms a name may be shortened to: initials without function words, with or without a leading
    place word ("US Securities and Exchange Commission" -> USSEC, SEC)."""
    function_words = {"of", "and", "for", "the", "&", "on", "in", "de", "des", "du", "la", "le"}
    content = [w for w in name_words if w.lower() not in function_words and w[:1].isalpha()]
    initials = "".join(w[0].upper() for w in content)
    with_all = "".join(w[0].upper() for w in name_words if w[:1].isalpha())
    return {initials, initials[1:] if len(initials) > 3 else initials, with_all}
