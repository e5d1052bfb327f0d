"""Apply a curation file to the pipeline's articles: `apply_curation(articles, curation) -> (articles, report)`.

A correction is applied only when everything it names is still there: the article (by id), the exact
characters of its span, the item at that span (for delete and fix), and for an article metadata fix the
automatic values it corrects. Otherwise it is reported with a status and skipped, never applied to text it
was not written for:

- ``stale``: the article is gone or its text changed (``text[start:end]`` is not the span's text, or a span
  inside the added or fixed item does not match);
- ``unmatched``: the text is the same but the pipeline's output changed (no item at the span to delete or fix,
  or the metadata is no longer the value the fix corrects);
- ``redundant``: the correction changes nothing (the pipeline now extracts the item it adds, or already has
  the values a fix sets);
- ``invalid``: what the correction sets does not make a valid item (a field of the wrong type, an entity id
  already used).

Each applied correction marks what it touched (`curation` on quotes, figures, entities, mentions and known
errors; `curated_fields` on the article); deleted items are counted in the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from newsfacts.curation.format import Correction, CurationFile, SpanRef
from newsfacts.models import Article, Entity, Figure, KnownError, Mention, Quote

APPLIED, STALE, UNMATCHED, REDUNDANT, INVALID = "applied", "stale", "unmatched", "redundant", "invalid"


@dataclass(frozen=True)
class Outcome:
    """What happened to one correction."""

    article_id: str
    number: int  # position of the correction in the article's list
    op: str
    item: str
    span: SpanRef | None
    status: str
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "correction": self.number, "op": self.op, "item": self.item,
                "span": self.span.model_dump(exclude_none=True) if self.span else None,
                "status": self.status, "detail": self.detail}


@dataclass
class CurationReport:
    outcomes: list[Outcome] = field(default_factory=list)
    # (item, "added" | "fixed" | "deleted") -> count of applied corrections
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != APPLIED]

    def as_dict(self) -> dict[str, Any]:
        items: dict[str, dict[str, int]] = {}
        for (item, change), n in sorted(self.counts.items()):
            items.setdefault(item, {})[change] = n
        statuses = Counter(o.status for o in self.outcomes)
        return {
            "corrections": len(self.outcomes),
            "statuses": dict(sorted(statuses.items())),
            "changes": items,
            "not_applied": [o.as_dict() for o in self.problems],
        }


class _Skip(Exception):
    def __init__(self, status: str, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def apply_curation(articles: Sequence[Article], curation: CurationFile) -> tuple[list[Article], CurationReport]:
    """The articles with every applicable correction applied, and what happened to each correction."""
    report = CurationReport()
    by_id = {a.id: a for a in articles}
    for article_id, entry in curation.articles.items():
        article = by_id.get(article_id)
        for number, correction in enumerate(entry.corrections):
            try:
                if article is None:
                    raise _Skip(STALE, f"no article with id {article_id} in this build (its input changed or is gone)")
                article, change = _apply(article, correction)
            except _Skip as skip:
                report.outcomes.append(Outcome(article_id, number, correction.op, correction.target, correction.span,
                                               skip.status, skip.detail))
                continue
            except ValueError as exc:
                report.outcomes.append(Outcome(article_id, number, correction.op, correction.target, correction.span,
                                               INVALID, str(exc)))
                continue
            report.counts[(correction.target, change)] += 1
            report.outcomes.append(Outcome(article_id, number, correction.op, correction.target, correction.span,
                                           APPLIED))
        if article is not None:
            by_id[article_id] = article
    return [by_id[a.id] for a in articles], report


class StreamingCuration:
    """`apply_curation` for articles that stream by one at a time (each once, in any order): only the few
    reviewed articles are kept (before and after their corrections, for the accuracy scores); `finish` gives
    the same report as `apply_curation` over all of them."""

    def __init__(self, curation: CurationFile) -> None:
        self.curation = curation
        self.automatic: list[Article] = []  # the reviewed articles as the pipeline made them
        self.curated: list[Article] = []
        self._reports: dict[str, CurationReport] = {}

    def apply(self, article: Article) -> Article:
        entry = self.curation.articles.get(article.id)
        if entry is None:
            return article
        one = self.curation.model_copy(update={"articles": {article.id: entry}})
        (curated,), report = apply_curation([article], one)
        self._reports[article.id] = report
        self.automatic.append(article)
        self.curated.append(curated)
        return curated

    def finish(self) -> CurationReport:
        """What happened to every correction, in the curation file's order (an article never seen: stale)."""
        unseen = {i: e for i, e in self.curation.articles.items() if i not in self._reports}
        if unseen:
            _, report = apply_curation([], self.curation.model_copy(update={"articles": unseen}))
            for article_id in unseen:
                self._reports[article_id] = CurationReport(
                    [o for o in report.outcomes if o.article_id == article_id])
        merged = CurationReport()
        for article_id in self.curation.articles:
            merged.outcomes.extend(self._reports[article_id].outcomes)
            merged.counts.update(self._reports[article_id].counts)
        return merged


# ---- one correction ------------------------------------------------------------------------------------


def _apply(article: Article, c: Correction) -> tuple[Article, str]:
    if c.span is not None:
        _check_span(article, c.span, "span")
    handler = {
        ("add", "quote"): _add_quote, ("add", "figure"): _add_figure, ("add", "entity"): _add_entity,
        ("add", "mention"): _add_mention,
        ("delete", "quote"): _delete_item, ("delete", "figure"): _delete_item, ("delete", "entity"): _delete_entity,
        ("delete", "mention"): _delete_mention, ("delete", "known_error"): _delete_known_error,
        ("fix", "quote"): _fix_item, ("fix", "figure"): _fix_item, ("fix", "entity"): _fix_entity,
        ("fix", "article"): _fix_article,
        ("add_known_error", "known_error"): _add_known_error,
    }[(c.op, c.target)]
    return handler(article, c)


def _base_text(article: Article, caption: int | None) -> str:
    if caption is None:
        return article.text
    if caption >= len(article.captions):
        raise _Skip(STALE, f"the article has no caption {caption}")
    return article.captions[caption].text


def _check_span(article: Article, span: SpanRef, where: str) -> None:
    text = _base_text(article, span.caption)
    found = text[span.start:span.end]
    if found != span.text:
        place = "text" if span.caption is None else f"caption {span.caption}"
        raise _Skip(STALE, f"{where}: {place}[{span.start}:{span.end}] is {found!r}, the correction says {span.text!r}")


def _check_nested_spans(node: Any, text: str, pointer: str = "") -> None:
    """Every span inside an added or fixed item must be exactly the characters it points to."""
    if isinstance(node, list):
        for i, value in enumerate(node):
            _check_nested_spans(value, text, f"{pointer}/{i}")
        return
    if not isinstance(node, dict) or node.get("where") not in (None, "text"):
        return
    if isinstance(node.get("start"), int) and isinstance(node.get("end"), int) and isinstance(node.get("text"), str):
        if text[node["start"]:node["end"]] != node["text"]:
            raise _Skip(STALE, f"{pointer or '/'}: text[{node['start']}:{node['end']}] is "
                               f"{text[node['start']:node['end']]!r}, the correction says {node['text']!r}")
    for key, value in node.items():
        _check_nested_spans(value, text, f"{pointer}/{key}")


def _build(model: type[BaseModel], data: dict[str, Any], text: str) -> Any:
    try:
        item = model.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"the correction does not make a valid {model.__name__}: {exc}") from exc
    _check_nested_spans(item.model_dump(mode="json"), text)
    return item


def _span_fields(span: SpanRef) -> dict[str, Any]:
    return {"text": span.text, "start": span.start, "end": span.end}


def _same_place(item: Quote | Figure | Mention, span: SpanRef) -> bool:
    return (item.start, item.end, getattr(item, "caption", None)) == (span.start, span.end, span.caption)


def _insert(items: list, new: Any) -> list:
    """Insert in reading order among the items of the same place (article text or one caption)."""
    place = getattr(new, "caption", None)
    position = len(items)
    for i, item in enumerate(items):
        if getattr(item, "caption", None) == place and item.start > new.start:
            position = i
            break
    else:
        same = [i for i, item in enumerate(items) if getattr(item, "caption", None) == place]
        position = same[-1] + 1 if same else len(items)
    return [*items[:position], new, *items[position:]]


_LISTS = {"quote": "quotes", "figure": "figures"}
_MODELS: dict[str, type[BaseModel]] = {"quote": Quote, "figure": Figure}


def _add_quote(article: Article, c: Correction) -> tuple[Article, str]:
    return _add_item(article, c)


def _add_figure(article: Article, c: Correction) -> tuple[Article, str]:
    return _add_item(article, c)


def _add_item(article: Article, c: Correction) -> tuple[Article, str]:
    key = _LISTS[c.target]
    items = getattr(article, key)
    if any(_same_place(item, c.span) for item in items):
        raise _Skip(REDUNDANT, f"the pipeline already extracts a {c.target} at this span")
    data = {**c.value, **_span_fields(c.span), "curation": "added"}
    if c.target == "figure":
        data["caption"] = c.span.caption
    new = _build(_MODELS[c.target], data, _base_text(article, c.span.caption))
    return article.model_copy(update={key: _insert(items, new)}), "added"


def _find(items: list, span: SpanRef, what: str) -> int:
    for i, item in enumerate(items):
        if _same_place(item, span):
            return i
    raise _Skip(UNMATCHED, f"the pipeline extracts no {what} at this span any more")


def _delete_item(article: Article, c: Correction) -> tuple[Article, str]:
    key = _LISTS[c.target]
    items = list(getattr(article, key))
    del items[_find(items, c.span, c.target)]
    return article.model_copy(update={key: items}), "deleted"


def _fix_item(article: Article, c: Correction) -> tuple[Article, str]:
    key = _LISTS[c.target]
    items = list(getattr(article, key))
    i = _find(items, c.span, c.target)
    old = items[i]
    dumped = old.model_dump()
    if all(dumped.get(name) == _plain(value) for name, value in c.value.items()):
        raise _Skip(REDUNDANT, f"the {c.target} already has the values this fix sets")
    items[i] = _build(type(old), {**dumped, **c.value, "curation": old.curation or "fixed"},
                      _base_text(article, getattr(old, "caption", None)))
    return article.model_copy(update={key: items}), "fixed"


def _plain(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


# ---- entities and mentions -----------------------------------------------------------------------------


def _entity_at(article: Article, span: SpanRef) -> tuple[int, int]:
    for i, entity in enumerate(article.entities):
        for j, mention in enumerate(entity.mentions):
            if _same_place(mention, span):
                return i, j
    raise _Skip(UNMATCHED, "no entity has a mention at this span any more")


def _mention(span: SpanRef, kind: str = "name") -> Mention:
    return Mention(**_span_fields(span), kind=kind, caption=span.caption, curation="added")


def _order_mentions(mentions: list[Mention]) -> list[Mention]:
    return sorted(mentions, key=lambda m: (m.caption is not None, m.caption or 0, m.start))


def _order_entities(entities: list[Entity]) -> list[Entity]:
    def first(entity: Entity) -> tuple:
        m = entity.mentions[0]
        return (m.caption is not None, m.caption or 0, m.start)

    return sorted(entities, key=first)


def _refuse_if_mentioned(article: Article, span: SpanRef) -> None:
    """An addition at a span some entity already mentions has nothing left to add."""
    try:
        _entity_at(article, span)
    except _Skip:
        return
    raise _Skip(REDUNDANT, "an entity already has a mention at this span")


def _add_entity(article: Article, c: Correction) -> tuple[Article, str]:
    from newsfacts.annotate.entities.names import fallback_id

    _refuse_if_mentioned(article, c.span)
    value = dict(c.value)
    spans = [c.span, *(SpanRef.model_validate(m) for m in value.pop("mentions", []))]
    for extra in spans[1:]:
        _check_span(article, extra, "value.mentions")
    entity_id = value.pop("id", None) or fallback_id(value.get("type", "OTHER"), value.get("name", ""))
    if any(e.id == entity_id for e in article.entities):
        raise ValueError(f"entity {entity_id} is already in the article: add a mention to it instead")
    kind = value.pop("kind", "name")
    entity = _build(Entity, {**value, "id": entity_id, "mentions": [_mention(s, kind) for s in spans],
                             "curation": "added"}, article.text)
    entity = entity.model_copy(update={"mentions": _order_mentions(entity.mentions)})
    return article.model_copy(update={"entities": _order_entities([*article.entities, entity])}), "added"


def _add_mention(article: Article, c: Correction) -> tuple[Article, str]:
    _refuse_if_mentioned(article, c.span)
    entities = list(article.entities)
    for i, entity in enumerate(entities):
        if entity.id == c.entity:
            mentions = _order_mentions([*entity.mentions, _mention(c.span, c.value.get("kind", "name"))])
            entities[i] = entity.model_copy(update={"mentions": mentions, "curation": entity.curation or "fixed"})
            return article.model_copy(update={"entities": _order_entities(entities)}), "added"
    raise _Skip(UNMATCHED, f"the article has no entity {c.entity} to add the mention to")


def _delete_entity(article: Article, c: Correction) -> tuple[Article, str]:
    i, _ = _entity_at(article, c.span)
    return article.model_copy(update={"entities": [e for k, e in enumerate(article.entities) if k != i]}), "deleted"


def _delete_mention(article: Article, c: Correction) -> tuple[Article, str]:
    i, j = _entity_at(article, c.span)
    entities = list(article.entities)
    entity = entities[i]
    mentions = [m for k, m in enumerate(entity.mentions) if k != j]
    if mentions:
        entities[i] = entity.model_copy(update={"mentions": mentions, "curation": entity.curation or "fixed"})
    else:  # its only mention: the entity goes with it
        del entities[i]
    return article.model_copy(update={"entities": _order_entities(entities)}), "deleted"


def _fix_entity(article: Article, c: Correction) -> tuple[Article, str]:
    if "mentions" in c.value:
        raise ValueError("fix entity cannot replace mentions: add or delete mentions instead")
    i, _ = _entity_at(article, c.span)
    entities = list(article.entities)
    old = entities[i]
    dumped = old.model_dump()
    if all(dumped.get(name) == value for name, value in c.value.items()):
        raise _Skip(REDUNDANT, "the entity already has the values this fix sets")
    entities[i] = _build(Entity, {**dumped, **c.value, "curation": old.curation or "fixed"}, article.text)
    return article.model_copy(update={"entities": entities}), "fixed"


# ---- known errors and article metadata -----------------------------------------------------------------


def _error_matches(error: KnownError, c: Correction) -> bool:
    if error.kind != c.value["kind"]:
        return False
    if c.span is None:
        return error.span is None
    return error.span is not None and (error.span.start, error.span.end) == (c.span.start, c.span.end)


def _add_known_error(article: Article, c: Correction) -> tuple[Article, str]:
    if any(_error_matches(e, c) for e in article.known_errors):
        raise _Skip(REDUNDANT, f"the pipeline already reports {c.value['kind']} here")
    data = {**c.value, "curation": "added"}
    if c.span is not None:
        data["span"] = _span_fields(c.span)
    error = _build(KnownError, data, article.text)
    return article.model_copy(update={"known_errors": [*article.known_errors, error]}), "added"


def _delete_known_error(article: Article, c: Correction) -> tuple[Article, str]:
    kept = [e for e in article.known_errors if not _error_matches(e, c)]
    if len(kept) == len(article.known_errors):
        raise _Skip(UNMATCHED, f"the pipeline no longer reports {c.value['kind']} here")
    return article.model_copy(update={"known_errors": kept}), "deleted"


def _contains(actual: Any, expected: Any) -> bool:
    """`expected` is a part of `actual`: equal scalars, or a dict whose keys all match recursively."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _contains(actual[k], v) for k, v in expected.items())
    return actual == expected


def _fix_article(article: Article, c: Correction) -> tuple[Article, str]:
    current = article.model_dump(mode="json")
    if not _contains(current, c.was):
        raise _Skip(UNMATCHED, "the pipeline's metadata is no longer the value this fix corrects "
                               f"(was: {c.was})")
    if all(_contains(current.get(name), value) for name, value in c.value.items()):
        raise _Skip(REDUNDANT, "the article already has the values this fix sets")
    fields = sorted({*article.curated_fields, *c.value}, key=["title", "outlet", "date", "original_source"].index)
    try:
        fixed = Article.model_validate({**current, **c.value, "curated_fields": fields})
    except ValidationError as exc:
        raise ValueError(f"the correction does not make a valid Article: {exc}") from exc
    # metadata evidence in text coordinates must point at the text like any other span
    _check_nested_spans({k: fixed.model_dump(mode="json")[k] for k in c.value}, article.text)
    return fixed, "fixed"
