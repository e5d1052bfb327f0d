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
    """One CatalogEntity per entity id seen in `articles`, sorted by id (deterministic)."""
    kb = kb if kb is not None else load_kb()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    surfaces: dict[str, set[str]] = defaultdict(set)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    wikidata: dict[str, str | None] = {}
    articles_with: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    for article in articles:
        for entity in article.entities:
            names[entity.id][entity.name] += 1
            types[entity.id][entity.type] += 1
            wikidata.setdefault(entity.id, entity.wikidata)
            articles_with[entity.id].add(article.id)
            mentions[entity.id] += len(entity.mentions)
            surfaces[entity.id].update(m.text for m in entity.mentions)
    rows = []
    for entity_id in sorted(names):
        entry = kb.get(entity_id)
        if entry is not None:
            name, entity_type, qid = entry.name, entry.type, entry.wikidata
            known = list(entry.aliases)
        else:
            # most used name; ties go to the longer, then alphabetical, so the choice is stable
            name = max(names[entity_id].items(), key=lambda item: (item[1], len(item[0]), item[0]))[0]
            entity_type = types[entity_id].most_common(1)[0][0]
            qid, known = wikidata.get(entity_id), []
        aliases = _aliases(name, [*known, *sorted(names[entity_id]), *sorted(surfaces[entity_id])])
        rows.append(
            CatalogEntity(
                id=entity_id,
                name=name,
                type=entity_type,
                aliases=aliases,
                wikidata=qid,
                in_knowledge_base=entry is not None,
                article_count=len(articles_with[entity_id]),
                mention_count=mentions[entity_id],
            )
        )
    return rows


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
