"""Quotes of different articles → quote clusters: the same statement quoted across outlets.

Two quotes match when one renders the other:
  full      the same words (case, punctuation and typographic quotes aside);
  partial   one inside the other, or a shared run of words covering most of the shorter quote, or a long one
            (`data/claims.yaml`: `ngram_*`);
  variant   another wording of the same statement by the same speaker (two translations of one remark):
            most content lemmas of the shorter quote are in the longer one.
Quotes shorter than `min_words` (scare quotes: "grave concern") join nothing; two quotes whose speakers are
both known and differ never match. Clusters grow from the strongest match, and every pair inside a cluster
must have compatible speakers and dates.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from newsfacts.crossdoc.grouping import (
    ConstrainedGroups, copy_classes, date_order, dumped, days_between, most_common, one_article, stable_id,
)
from newsfacts.crossdoc.records import QuoteRecord, RecordPool, quote_records
from newsfacts.crossdoc.text import (
    inverse_document_frequency, is_stop, settings, singular, weighted_cosine, words,
)
from newsfacts.models import Article, QuoteCluster, QuoteClusterMember

MATCH_STRENGTH = {"full": 3, "partial": 2, "variant": 1}


@dataclass(frozen=True)
class QuoteSettings:
    min_words: int
    min_words_same_speaker: int
    verbatim_any_speaker: int
    near_verbatim: float
    ngram_min: int
    ngram_cover_min: float
    ngram_long: int
    ngram_content_min: int
    variant_overlap: float
    variant_min_shared: int
    window_days: int
    strong_speaker_kinds: frozenset[str] = frozenset({"name", "organization"})
    short_context_min: float = 0.5

    @classmethod
    def from_data(cls, data: dict[str, Any] | None = None) -> QuoteSettings:
        data = data if data is not None else settings()["quote_clusters"]
        return cls(int(data["min_words"]), int(data["min_words_same_speaker"]), int(data["verbatim_any_speaker"]),
                   float(data["near_verbatim"]), int(data["ngram_min"]), float(data["ngram_cover_min"]),
                   int(data["ngram_long"]), int(data["ngram_content_min"]), float(data["variant_overlap"]),
                   int(data["variant_min_shared"]), int(data["window_days"]),
                   frozenset(data["strong_speaker_kinds"]), float(data["short_context_min"]))


@cache
def default_settings() -> QuoteSettings:
    return QuoteSettings.from_data()


SHINGLE = 4  # words: quotes that share no run of this many words cannot be a partial match


@dataclass(frozen=True)
class _Quote:
    record: QuoteRecord
    words: tuple[str, ...]
    content: frozenset[str]  # content lemmas

    @property
    def key(self) -> tuple[str, int]:
        return self.record.key


def _quote(record: QuoteRecord) -> _Quote:
    tokens = tuple(words(record.text))
    return _Quote(record, tokens, frozenset(singular(w) for w in tokens if not is_stop(w)))


def _shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def _contains(long: Sequence[str], short: Sequence[str]) -> bool:
    n = len(short)
    return any(tuple(long[i:i + n]) == tuple(short) for i in range(len(long) - n + 1))


def longest_shared_run(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """(length, start in a) of the longest run of words both share (dynamic programming, O(len a * len b))."""
    best, where = 0, 0
    previous = [0] * (len(b) + 1)
    for i, word in enumerate(a, start=1):
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best, where = current[j], i - current[j]
        previous = current
    return best, where


def is_partial(short: _Quote, long: _Quote, cfg: QuoteSettings) -> bool:
    """`short` inside `long`, or a long run of words of `short` in `long`."""
    if _contains(long.words, short.words):
        return True
    if not _shingles(short.words) & _shingles(long.words):
        return False  # no shared run of SHINGLE words, so none of ngram_min (>= SHINGLE) words either
    run, start = longest_shared_run(short.words, long.words)
    if run >= cfg.ngram_min and run / len(short.words) >= cfg.ngram_cover_min:
        return True
    content = sum(not is_stop(w) for w in short.words[start:start + run])
    return run >= cfg.ngram_long and content >= cfg.ngram_content_min


def match(a: _Quote, b: _Quote, cfg: QuoteSettings, idf: dict[str, float] | None = None
          ) -> tuple[str, float] | None:
    """How `b` renders `a` ('full', 'partial' or 'variant') and its word overlap, or None."""
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if len(short.words) < min(cfg.min_words, cfg.min_words_same_speaker):
        return None
    if not speakers_compatible(a.record, b.record, cfg):
        # two speakers for one long verbatim sentence: an attribution slip, not two utterances
        if len(short.words) < cfg.verbatim_any_speaker or not _contains(long.words, short.words):
            return None
    if len(short.words) < cfg.min_words:
        # a short phrase ("at this stage", "detailed proposal") anyone may use: only within one speaker's
        # words, or in sentences that are alike (the same story filed twice)
        if not (same_speaker(a.record, b.record)
                or weighted_cosine(a.record.words, b.record.words, idf or {})[0] >= cfg.short_context_min):
            return None
    if a.words == b.words:
        return "full", 1.0
    if is_partial(short, long, cfg):
        return "partial", _overlap(short, long)
    if _near_verbatim(short, long) >= cfg.near_verbatim:
        return "variant", _overlap(short, long)
    shared = len(short.content & long.content)
    if (same_speaker(a.record, b.record) and len(short.words) >= cfg.min_words and short.content
            and shared >= cfg.variant_min_shared and shared / len(short.content) >= cfg.variant_overlap):
        return "variant", round(shared / len(short.content | long.content), 4)
    return None


def _near_verbatim(a: _Quote, b: _Quote) -> float:
    """Word-sequence similarity (difflib's ratio over words): 'detailed proposal' / 'detailed proposals'."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, [singular(w) for w in a.words], [singular(w) for w in b.words],
                           autojunk=False).ratio()


def speakers_compatible(a: QuoteRecord, b: QuoteRecord, cfg: QuoteSettings | None = None) -> bool:
    """False only when both speakers are known, differ, and are named in the text (a speaker resolved through
    a pronoun or a title is a guess that does not keep two renderings of one sentence apart)."""
    strong = (cfg or default_settings()).strong_speaker_kinds
    if a.speaker_kind not in strong or b.speaker_kind not in strong:
        return True
    if a.speaker_entity_id and b.speaker_entity_id:
        return a.speaker_entity_id == b.speaker_entity_id
    if a.speaker and b.speaker and not (a.speaker_entity_id or b.speaker_entity_id):
        return words(a.speaker) == words(b.speaker)
    return True


def same_speaker(a: QuoteRecord, b: QuoteRecord) -> bool:
    if a.speaker_entity_id and b.speaker_entity_id:
        return a.speaker_entity_id == b.speaker_entity_id
    return bool(a.speaker and b.speaker and words(a.speaker) == words(b.speaker))


def _compatible(a: _Quote, b: _Quote, cfg: QuoteSettings) -> bool:
    gap = days_between(a.record.article.date, b.record.article.date)
    if gap is not None and gap > cfg.window_days:
        return False
    if speakers_compatible(a.record, b.record, cfg):
        return True
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    return len(short.words) >= cfg.verbatim_any_speaker and _contains(long.words, short.words)


@dataclass(frozen=True)
class _Edge:
    strength: tuple[int, float]
    a: _Quote
    b: _Quote


def _candidate_pairs(quotes: Sequence[_Quote], cfg: QuoteSettings,
                     comparable: Callable[[_Quote, _Quote], bool] | None = None) -> Iterator[tuple[_Quote, _Quote]]:
    """Pairs of quotes that could match, each once; others are never compared. A pair is a candidate when
    the two quotes
      - share a run of SHINGLE lemmas (full and partial matches do, and near-verbatim ones in practice);
      - have the same speaker and share at least `variant_min_shared` content lemmas (variants do): found by
        prefix filtering, each quote indexed under its speaker (entity id and name) and its first (rarest)
        content lemmas but the last `variant_min_shared` - 1, so that two quotes sharing that many lemmas
        share an indexed one;
      - or one is a phrase shorter than SHINGLE words found (as lemmas) in the other.
    Pairs are made quote by quote, never all held at once. `comparable`: whether two quotes may be paired at
    all (default: they are of different articles)."""
    if comparable is None:
        def comparable(a: _Quote, b: _Quote) -> bool:
            return a.record.article.article_id != b.record.article.article_id
    lemmas = [tuple(singular(w) for w in q.words) for q in quotes]
    frequency = Counter(w for q in quotes for w in q.content)
    keep = max(cfg.variant_min_shared, 1) - 1

    def keys(i: int) -> Iterator[str]:
        seq = lemmas[i]
        for k in range(len(seq) - SHINGLE + 1):
            yield "run\x1f" + "\x1f".join(seq[k:k + SHINGLE])
        record = quotes[i].record
        # `same_speaker` compares entity ids when both have one, else the names: a quote is indexed under both
        speakers = [f"speaker id\x1f{record.speaker_entity_id}"] if record.speaker_entity_id else []
        if record.speaker:
            speakers.append("speaker name\x1f" + " ".join(words(record.speaker)))
        if speakers and len(quotes[i].content) > keep:
            rarest = sorted(quotes[i].content, key=lambda w: (frequency[w], w))
            yield from (f"{speaker}\x1f{w}" for speaker in speakers for w in rarest[:len(rarest) - keep])

    # The index: one (64-bit hash of a key, quote) pair per key of each quote, sorted, in two arrays (16 bytes a
    # key, where a dict of key tuples took some 200): a quote's partners are the others under its keys. A hash
    # collision only adds a pair to compare.
    hashed = [np.unique(np.fromiter((_key_hash(key) for key in keys(i)), dtype=np.uint64))
              for i in range(len(quotes))]
    all_hashes = np.concatenate(hashed) if hashed else np.zeros(0, dtype=np.uint64)
    owners = np.repeat(np.arange(len(quotes), dtype=np.int32), [len(h) for h in hashed])
    order = np.lexsort((owners, all_hashes))
    all_hashes, owners = all_hashes[order], owners[order]
    del order
    short: dict[tuple[str, ...], list[int]] = {}
    for i, q in enumerate(quotes):
        if len(q.words) < SHINGLE:
            short.setdefault(lemmas[i], []).append(i)
    with_short: dict[int, set[int]] = {}  # the smaller index of a pair with a short phrase → the larger ones
    if short:
        lengths = {len(key) for key in short}
        for j, seq in enumerate(lemmas):
            for n in lengths:
                for k in range(len(seq) - n + 1):
                    for i in short.get(seq[k:k + n], ()):
                        if i != j:
                            with_short.setdefault(min(i, j), set()).add(max(i, j))
    del short
    for i in range(len(quotes)):
        partners = with_short.pop(i, set())
        mine = hashed[i]
        starts = np.searchsorted(all_hashes, mine, side="left")
        ends = np.searchsorted(all_hashes, mine, side="right")
        for start, end in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist()):
            ids = owners[start:end]  # in index order
            partners.update(ids[np.searchsorted(ids, i, side="right"):].tolist())
        hashed[i] = None
        for j in sorted(partners):
            if comparable(quotes[i], quotes[j]):
                yield quotes[i], quotes[j]


def _key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def group_quotes(records: Iterable[QuoteRecord], names: dict[str, str] | None = None,
                 cfg: QuoteSettings | None = None) -> list[QuoteCluster]:
    """Quote clusters from the quote records of many articles, sorted by id.

    Copies of one quote (a republished story: `grouping.copy_classes`) are grouped as one quote, the class's
    first; a cluster lists every copy."""
    cfg = cfg or default_settings()
    shortest = min(cfg.min_words, cfg.min_words_same_speaker)
    kept = [r for r in records if len(words(r.text)) >= shortest]
    idf = inverse_document_frequency([r.words for r in kept])

    def copies_join(a: QuoteRecord, b: QuoteRecord) -> bool:
        qa, qb = _quote(a), _quote(b)
        return _compatible(qa, qb, cfg) and match(qa, qb, cfg, idf) is not None

    classes = copy_classes(kept, copies_join)
    del kept
    quotes = [_quote(members[0]) for members in classes]
    class_of = {q.key: members for q, members in zip(quotes, classes)}
    edges = []
    for a, b in _candidate_pairs(quotes, cfg, lambda a, b: not one_article(class_of[a.key], class_of[b.key])):
        if not _compatible(a, b, cfg):
            continue
        found = match(a, b, cfg, idf)
        if found:
            edges.append(_Edge((MATCH_STRENGTH[found[0]], found[1]), a, b))
    edges.sort(key=lambda e: (-e.strength[0], -e.strength[1], e.a.key, e.b.key))
    groups = ConstrainedGroups(quotes, key=lambda q: q.key, compatible=lambda x, y: _compatible(x, y, cfg))
    for edge in edges:
        groups.merge(edge.a, edge.b)
    clusters = []
    for members in groups.groups():
        copies = [_quote(r) if r is not first.record else first
                  for first in members for r in class_of[first.key]]
        if len({q.record.article.article_id for q in copies}) >= 2:
            clusters.append(_cluster(copies, cfg, names or {}))
    return sorted(clusters, key=lambda c: c.id)


def _cluster(members: list[_Quote], cfg: QuoteSettings, names: dict[str, str]) -> QuoteCluster:
    def order(q: _Quote) -> tuple:
        r = q.record
        return date_order(r.article.article_id, r.article.outlet, r.article.date, r.index)

    members = sorted(members, key=order)
    canonical = min(members, key=lambda q: (-len(q.words), order(q)))
    rendered = [(q, _describe(q, canonical, cfg), _overlap(q, canonical)) for q in members]
    speaker_id = most_common(q.record.speaker_entity_id for q in members)
    if speaker_id:
        speaker = most_common(q.record.speaker for q in members if q.record.speaker_entity_id == speaker_id)
        speaker = names.get(speaker_id, speaker)
    else:
        speaker = most_common(q.record.speaker for q in members)
    # the earliest date (undated last), ties by article id
    first = min((q.record for q in members), key=lambda r: (r.article.date is None, r.article.date or "",
                                                             r.article.article_id, r.index))
    return QuoteCluster(
        id=stable_id(q.key for q in members),
        canonical=canonical.record.text,
        speaker=speaker,
        speaker_entity_id=speaker_id,
        first_article_id=first.article.article_id,
        first_outlet=first.article.outlet,
        first_date=first.article.date,
        outlets=sorted({q.record.article.outlet for q in members if q.record.article.outlet}),
        members=[QuoteClusterMember(article_id=q.record.article.article_id, quote_index=q.record.index,
                                    text=q.record.text, outlet=q.record.article.outlet, date=q.record.article.date,
                                    match=kind, similarity=similarity)
                 for q, kind, similarity in rendered],
    )


def _describe(member: _Quote, canonical: _Quote, cfg: QuoteSettings) -> str:
    """How a member renders the canonical wording (the longest member)."""
    if member.words == canonical.words:
        return "full"
    return "partial" if is_partial(member, canonical, cfg) else "variant"


def _overlap(member: _Quote, canonical: _Quote) -> float:
    """Share of the member's words found in the canonical wording."""
    if not member.words:
        return 0.0
    found = Counter(canonical.words)
    hits = 0
    for w in member.words:
        if found[w] > 0:
            found[w] -= 1
            hits += 1
    return round(hits / len(member.words), 4)


class QuoteClusterCollector:
    """Receives each article once (`add`), keeps its compact quote records, returns the `quote_clusters` rows."""

    def __init__(self, cfg: QuoteSettings | None = None):
        self.cfg = cfg or default_settings()
        self._records: list[QuoteRecord] = []
        self._pool = RecordPool()  # copies of one quote share their fields
        self._names: dict[str, Counter[str]] = {}

    @staticmethod
    def records(article: Article) -> list[QuoteRecord]:
        """What `add` keeps of an article, computed apart (see `ClaimCollector.records`)."""
        return quote_records(article)

    def add(self, article: Article, records: list[QuoteRecord] | None = None) -> None:
        """`records`: `records(article)` if already computed."""
        if records is None:
            records = quote_records(article)
        shortest = min(self.cfg.min_words, self.cfg.min_words_same_speaker)
        self._records.extend(self._pool.share(r) for r in records if len(words(r.text)) >= shortest)
        for quote in article.quotes:
            if quote.speaker and quote.speaker.entity_id and quote.speaker.name:
                self._names.setdefault(quote.speaker.entity_id, Counter())[quote.speaker.name] += 1

    def clusters(self) -> list[QuoteCluster]:
        names = {e: min(c, key=lambda n: (-c[n], n)) for e, c in self._names.items()}
        return group_quotes(self._records, names, self.cfg)

    def rows(self) -> list[dict[str, Any]]:
        return dumped(self.clusters())
