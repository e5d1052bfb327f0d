"""The curated knowledge base of entities: canonical ids, names, types, aliases and Wikidata QIDs.

The data is ``newsfacts/data/entities.yaml`` (see its header for the fields). Lookup is by a normalised
alias key that folds case, diacritics, punctuation, hyphenation and the usual transliteration variants of
names (Zinoviev / Zinovyev, Zelensky / Zelenskyy, Sergey / Sergei), so one KB entry catches every spelling
an article is likely to use.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

_POSSESSIVE = re.compile(r"['’]s?$")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/]+")
_DROPPED = re.compile(r"[.'’`\"“”‘,()]")


def fold_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_word(word: str) -> str:
    """Fold transliteration variants of one lowercase word to a shared spelling.

    Romanisations of Cyrillic, Korean and Arabic names differ mostly in y/i/j glides and doubled
    letters (Zinovyev/Zinoviev, Zelenskyy/Zelensky, Georgiy/Georgy): a non-initial 'y' reads as 'i' and
    runs of one letter collapse. Initial letters are kept so "Yoon" and "Ioon" stay apart.
    """
    if len(word) <= 2:
        return word
    folded = word[0] + word[1:].replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", folded)


@functools.lru_cache(maxsize=1 << 16)  # the same names recur across articles and within one
def alias_key(name: str) -> str:
    """Normalised lookup key: 'Kim Jong-un' and 'kim jong un' and 'KIM JONG UN' share one key."""
    text = fold_diacritics(name).strip()
    text = _POSSESSIVE.sub("", text)
    text = _DROPPED.sub("", text)
    words = [w for w in _SEPARATORS.split(text.lower()) if w]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(_fold_word(w) for w in words)


@dataclass(frozen=True)
class KbEntry:
    id: str
    name: str
    type: str
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    # forms that are errors in a source article (a garbled name): linked like aliases, and reported
    misspellings: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    # ambiguous alias -> words of which one must occur in the article for the alias to link
    context_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.misspellings)


def _occurs(word: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text) is not None


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[KbEntry, ...]
    by_id: Mapping[str, KbEntry] = field(init=False, repr=False)
    by_key: Mapping[str, tuple[KbEntry, ...]] = field(init=False, repr=False)
    by_context_key: Mapping[str, tuple[tuple[KbEntry, tuple[str, ...]], ...]] = field(init=False, repr=False)
    by_description: Mapping[str, KbEntry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_id: dict[str, KbEntry] = {}
        by_key: dict[str, list[KbEntry]] = {}
        by_context: dict[str, list[tuple[KbEntry, tuple[str, ...]]]] = {}
        by_description: dict[str, KbEntry] = {}
        for entry in self.entries:
            if entry.id in by_id:
                raise ValueError(f"duplicate knowledge-base id {entry.id!r}")
            by_id[entry.id] = entry
            for name in entry.names:
                bucket = by_key.setdefault(alias_key(name), [])
                if entry not in bucket:
                    bucket.append(entry)
            for alias, words in entry.context_aliases.items():
                by_context.setdefault(alias_key(alias), []).append((entry, tuple(words)))
            for description in entry.descriptions:
                by_description[alias_key(description)] = entry
        object.__setattr__(self, "by_id", by_id)
        object.__setattr__(self, "by_key", {k: tuple(v) for k, v in by_key.items()})
        object.__setattr__(self, "by_context_key", {k: tuple(v) for k, v in by_context.items()})
        object.__setattr__(self, "by_description", by_description)

    def get(self, entity_id: str) -> KbEntry | None:
        return self.by_id.get(entity_id)

    def lookup(self, name: str, entity_type: str | None = None, context: str | None = None) -> KbEntry | None:
        """The entry a name refers to, or None when unknown or ambiguous.

        `entity_type` narrows homonyms (a PLACE and an ORG sharing an alias); `context` (the article text)
        enables the context-dependent aliases.
        """
        key = alias_key(name)
        candidates = list(self.by_key.get(key, ()))
        if context is not None:
            candidates += [e for e, words in self.by_context_key.get(key, ()) if any(_occurs(w, context) for w in words)]
        candidates = list(dict.fromkeys(candidates))
        if entity_type is not None and len(candidates) > 1:
            typed = [e for e in candidates if e.type == entity_type]
            candidates = typed or candidates
        return candidates[0] if len(candidates) == 1 else None

    def description_entry(self, phrase: str) -> KbEntry | None:
        return self.by_description.get(alias_key(phrase))

    def is_misspelling(self, entity_id: str, surface: str) -> bool:
        entry = self.by_id.get(entity_id)
        return entry is not None and alias_key(surface) in {alias_key(m) for m in entry.misspellings}

    def is_description(self, entity_id: str, phrase: str) -> bool:
        entry = self.by_description.get(alias_key(phrase))
        return entry is not None and entry.id == entity_id

    def gazetteer(self, context: str) -> list[tuple[str, KbEntry]]:
        """Surface forms worth searching for in `context`: names, aliases, and context aliases that apply."""
        forms = [(name, entry) for entry in self.entries for name in entry.names]
        for entry in self.entries:
            for alias, words in entry.context_aliases.items():
                if any(_occurs(w, context) for w in words):
                    forms.append((alias, entry))
        return forms

    def descriptions(self) -> list[tuple[str, KbEntry]]:
        return [(d, entry) for entry in self.entries for d in entry.descriptions]


def parse_entries(records: Iterable[Mapping]) -> tuple[KbEntry, ...]:
    return tuple(
        KbEntry(
            id=r["id"],
            name=r["name"],
            type=r["type"],
            wikidata=r.get("wikidata"),
            aliases=tuple(r.get("aliases") or ()),
            misspellings=tuple(r.get("misspellings") or ()),
            descriptions=tuple(r.get("descriptions") or ()),
            context_aliases={k: tuple(v) for k, v in (r.get("context_aliases") or {}).items()},
            note=r.get("note"),
        )
        for r in records
    )


@functools.lru_cache(maxsize=4)
def load_kb(path: str | Path | None = None) -> KnowledgeBase:
    """The knowledge base from `path`, else the packaged ``data/entities.yaml`` (cached)."""
    if path is None:
        text = resources.files("newsfacts.data").joinpath("entities.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return KnowledgeBase(parse_entries(yaml.safe_load(text) or []))
