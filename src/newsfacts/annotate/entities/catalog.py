"""The entity catalog: one row per canonical entity across a release.

Rows join to the per-article entities (``entities`` config) by ``id``, and through them to quote speakers
(``speaker.entity_id``) and figure claimants (``claimant.entity_id``). Knowledge-base entities take their
name, type, QID and aliases from the knowledge base; the others (fallback ids) take their most used name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsfacts.annotate.entities.kb import KnowledgeBase, alias_key, load_kb
from newsfacts.models import Article, CatalogEntity


def build_catalog(articles: Sequence[Article], kb: KnowledgeBase | None = None) -> list[CatalogEntity]:
    """One CatalogEntity per entity id seen in `articles`, sorted by id (a release passes the articles in id
    order, so ties between names and types are settled the same way whatever order they were built in)."""
    collected = CatalogCollector(kb)
    for article in articles:
        collected.add(article)
    return collected.entities()


class CatalogCollector:
    """The catalog collected one article at a time, holding per entity only its names, surface forms and counts
    (the first Wikidata id and, among equally frequent types, the first type seen win: the release feeds the
    articles in id order)."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb if kb is not None else load_kb()
        self.names: dict[str, Counter[str]] = defaultdict(Counter)
        self.surfaces: dict[str, set[str]] = defaultdict(set)
        self.types: dict[str, Counter[str]] = defaultdict(Counter)
        self.wikidata: dict[str, str | None] = {}
        self.article_count: Counter[str] = Counter()
        self.mentions: Counter[str] = Counter()

    def add(self, article: Article) -> None:
        for entity in article.entities:
            self.names[entity.id][entity.name] += 1
            self.types[entity.id][entity.type] += 1
            self.wikidata.setdefault(entity.id, entity.wikidata)
            self.mentions[entity.id] += len(entity.mentions)
            self.surfaces[entity.id].update(m.text for m in entity.mentions)
        self.article_count.update({entity.id for entity in article.entities})

    def entities(self) -> list[CatalogEntity]:
        return [self._entity(entity_id) for entity_id in sorted(self.names)]

    def _entity(self, entity_id: str) -> CatalogEntity:
        names = self.names[entity_id]
        entry = self.kb.get(entity_id)
        if entry is not None:
            name, entity_type, qid = entry.name, entry.type, entry.wikidata
            known = list(entry.aliases)
        else:
            # most used name; ties go to the longer, then alphabetical, so the choice is stable
            name = max(names.items(), key=lambda item: (item[1], len(item[0]), item[0]))[0]
            entity_type = self.types[entity_id].most_common(1)[0][0]
            qid, known = self.wikidata.get(entity_id), []
        aliases = _aliases(name, [*known, *sorted(names), *sorted(self.surfaces[entity_id])])
        return CatalogEntity(
            id=entity_id,
            name=name,
            type=entity_type,
            aliases=aliases,
            wikidata=qid,
            in_knowledge_base=entry is not None,
            article_count=self.article_count[entity_id],
            mention_count=self.mentions[entity_id],
        )


def _aliases(name: str, candidates: Sequence[str]) -> list[str]:
    """Distinct spellings other than the name itself, in first-seen order (exact-string distinct, so users
    see every form that occurs; 'Kim Jong-un' and 'Kim Jong Un' both stay). Partial names ("Rutte",
    "Kim") are mentions, not aliases: a bare surname would name several entities."""
    seen = {name}
    aliases = []
    name_words = alias_key(name).split()
    for candidate in candidates:
        words = alias_key(candidate).split()
        partial = len(words) < len(name_words) and all(w in name_words for w in words)
        if candidate not in seen and words and not partial:
            seen.add(candidate)
            aliases.append(candidate)
    return aliases
