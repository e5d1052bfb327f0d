"""Metadata of a cleaned article: outlet, date, language, translation flag, credits, original source."""

from __future__ import annotations

from newsfacts.documents import CleanDocument, Metadata
from newsfacts.meta.credits import find_credits
from newsfacts.meta.dates import find_date
from newsfacts.meta.language import find_translation, guess_language
from newsfacts.meta.outlet import find_outlet
from newsfacts.models import KnownError

__all__ = ["extract_metadata"]


def extract_metadata(clean: CleanDocument) -> Metadata:
    language = guess_language(clean.text)
    outlet = find_outlet(clean)
    date_info = find_date(clean)
    credits, original_source = find_credits(clean)
    errors = []
    if date_info.value is None:
        errors.append(KnownError(kind="no_date", message=date_info.reason or "no publication date found"))
    if outlet.name is None and outlet.domain is None:
        errors.append(KnownError(kind="no_outlet", message="no URL, source line or site name identifies the outlet"))
    if clean.title is None:
        errors.append(KnownError(kind="no_title", message="no headline was found on the page; the text starts with the body"))
    if not clean.text[clean.body_start:].strip():
        errors.append(KnownError(kind="empty_body", message="no article body was found on the page"))
    translation = find_translation(clean, language, outlet)
    if translation is not None:
        errors.append(KnownError(kind="translation", message=f"the text reads as a translation: {translation.reason}"))
    return Metadata(outlet=outlet, date=date_info, language=language, translation=translation,
                    original_source=original_source, credits=tuple(credits), known_errors=tuple(errors))
