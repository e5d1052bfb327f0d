"""The curation file: hand corrections of a release, keyed by article id and span.

``curation/seeds.yaml``::

    curation_version: 1
    description: ...
    articles:
      602b7f6733b1d64f:                        # article id (derived from the input bytes)
        file: 000_1bf7e7c3ea9bf00a.txt        # informational: the input it was built from
        corrections:
          - op: fix                           # add | delete | fix | add_known_error
            item: quote                       # quote | figure | entity | mention | known_error | article
            span: {start: 333, end: 345, text: deep concern}   # + caption: N for an item of a caption
            value: {speaker: {...}}           # add: the item's fields; fix: the fields that replace the old ones
            reason: why the pipeline's output is wrong, in a sentence

Every correction names the exact characters it is about (``span``: offsets and text), so a correction made
against one version of an article text is never applied to another: when ``text[start:end]`` is no longer
``span.text`` the correction is reported as stale and skipped. Article metadata fixes (``item: article``)
name the automatic values they correct in ``was``, for the same reason.

- ``add`` quote / figure: ``value`` holds the item's other fields (its own span is ``span``).
- ``add`` entity: ``value`` holds ``name``, ``type``, optional ``id`` (default: the pipeline's fallback id for
  that type and name) and ``wikidata``; ``span`` is its first mention, ``value.mentions`` optional further ones.
- ``add`` mention: ``entity`` is the id of the article's entity that gets the mention at ``span``
  (``value.kind``: name or description).
- ``delete`` quote / figure / mention: the item at ``span``; entity: the entity holding the mention at ``span``;
  known_error: ``value.kind`` (and ``span`` when the error has one).
- ``fix`` quote / figure / entity (located like delete): ``value`` replaces those fields.
- ``fix`` article: ``value`` replaces title / outlet / date / original_source; ``was`` is the part of the
  automatic values it corrects.
- ``add_known_error``: ``value`` holds ``kind``, ``message`` and optional ``related_id``; ``span`` is where in
  the text, when the error has a place.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CURATION_VERSION = 1

Op = Literal["add", "delete", "fix", "add_known_error"]
Item = Literal["quote", "figure", "entity", "mention", "known_error", "article"]

# Which items each operation applies to.
_ITEMS: dict[str, set[str]] = {
    "add": {"quote", "figure", "entity", "mention"},
    "delete": {"quote", "figure", "entity", "mention", "known_error"},
    "fix": {"quote", "figure", "entity", "article"},
    "add_known_error": {"known_error"},
}
ARTICLE_FIELDS = ("title", "outlet", "date", "original_source")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpanRef(_Strict):
    """The exact characters a correction is about."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(min_length=1, description="Must equal text[start:end] of the article (or of its caption).")
    caption: int | None = Field(default=None, ge=0, description="Index into the article's captions, when the "
                                "span is in a photo caption rather than the article text.")

    @model_validator(mode="after")
    def _ordered(self) -> SpanRef:
        if self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}:{self.end} is {self.end - self.start} characters long but its "
                             f"text {self.text!r} has {len(self.text)}")
        return self


class Correction(_Strict):
    op: Op
    item: Item | None = Field(default=None, description="Implied 'known_error' for add_known_error.")
    span: SpanRef | None = None
    entity: str | None = Field(default=None, description="add mention: id of the entity that gets it.")
    value: dict[str, Any] = Field(default_factory=dict)
    was: dict[str, Any] | None = Field(default=None, description="fix article: the automatic values corrected.")
    reason: str = Field(min_length=1, description="Why: what the text says and what the pipeline got wrong.")

    @model_validator(mode="after")
    def _consistent(self) -> Correction:
        item = self.target
        if item not in _ITEMS[self.op]:
            raise ValueError(f"op {self.op!r} does not apply to item {item!r} (allowed: {sorted(_ITEMS[self.op])})")
        needs_span = item in {"quote", "figure", "entity", "mention"}
        if needs_span and self.span is None:
            raise ValueError(f"{self.op} {item} needs a span")
        if item == "article":
            if self.span is not None:
                raise ValueError("fix article takes no span")
            unknown = set(self.value) - set(ARTICLE_FIELDS)
            if unknown or not self.value:
                raise ValueError(f"fix article sets some of {ARTICLE_FIELDS}, got {sorted(self.value)}")
            if self.was is None:
                raise ValueError("fix article needs `was`: the automatic values it corrects")
        if self.op == "add" and item == "mention" and not self.entity:
            raise ValueError("add mention needs `entity`: the id of the entity it belongs to")
        if self.op == "fix" and not self.value:
            raise ValueError("fix needs `value`: the fields to replace")
        if item == "known_error" and "kind" not in self.value:
            raise ValueError(f"{self.op} known_error needs value.kind")
        if self.op == "add_known_error" and not self.value.get("message"):
            raise ValueError("add_known_error needs value.message")
        if self.span is not None and self.span.caption is not None and item in {"quote", "known_error"}:
            raise ValueError(f"a {item} is always in the article text, not in a caption")
        return self

    @property
    def target(self) -> str:
        return self.item or ("known_error" if self.op == "add_known_error" else "?")


class ArticleCuration(_Strict):
    file: str | None = Field(default=None, description="Informational: the input file of the article.")
    corrections: list[Correction]


class CurationFile(_Strict):
    curation_version: Literal[1] = Field(description="Version of this file format.")
    description: str | None = None
    articles: dict[str, ArticleCuration] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ids(self) -> CurationFile:
        import re

        bad = [key for key in self.articles if not re.fullmatch(r"[0-9a-f]{16}", key)]
        if bad:
            raise ValueError(f"article keys must be 16-hex article ids, got {bad}")
        return self
