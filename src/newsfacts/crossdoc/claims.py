"""Figures of different articles → claims: who reported which number, and where they differ.

Two figures of different articles are candidates when they are of one kind, count the same noun (or nouns of
one class, `data/claims.yaml`), differ at most by a factor, and their articles' dates lie within a window.
Candidates are scored by their evidence (the counted noun, its modifiers, the entities named in the same
sentence, the sentence's other words weighted by rarity, the claimant, the same, nesting or close value) and
joined at a threshold, a higher one when a date is unknown.
Groups are grown strongest pair first, and every pair inside a group must stay compatible, so chains of
small steps never join different counts. A group that spans two articles or more is a claim.

At corpus scale only the pairs that share some evidence are scored (`claim_candidates`: the same edges as scoring
every pair in the value window), and copies of one figure in republished stories are grouped as one
(`grouping.copy_classes`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsfacts.crossdoc.claim_candidates import candidate_pairs
from newsfacts.crossdoc.grouping import (
    ConstrainedGroups, copy_classes, date_order, dumped, days_between, most_common, one_article, stable_id,
)
from newsfacts.crossdoc.records import FigureRecord, RecordPool, entity_names, figure_records
from newsfacts.crossdoc.text import (
    content_lemmas, inverse_document_frequency, settings, singular, weighted_cosine, words,
)
from newsfacts.models import Article, Claim, ClaimMember


@dataclass(frozen=True)
class ClaimSettings:
    kinds: frozenset[str]
    join_vague: bool
    max_value_ratio: float
    window_days: int
    weights: dict[str, float]
    join_score: float
    undated_score: float
    about_tolerance: float
    close_ratio: float
    noun_class: dict[str, str]  # lemma -> class name
    generic_nouns: frozenset[str]

    @classmethod
    def from_data(cls, data: dict[str, Any] | None = None) -> ClaimSettings:
        data = data if data is not None else settings()["claims"]
        classes = {singular(w): name for name, members in data["noun_classes"].items() for w in members}
        return cls(frozenset(data["kinds"]), bool(data["join_vague"]), float(data["max_value_ratio"]),
                   int(data["window_days"]), {k: float(v) for k, v in data["weights"].items()},
                   float(data["join_score"]), float(data["undated_score"]), float(data["about_tolerance"]),
                   float(data["close_ratio"]), classes, frozenset(data["generic_nouns"]))


@cache
def default_settings() -> ClaimSettings:
    return ClaimSettings.from_data()


@dataclass(frozen=True)
class _Figure:
    """A figure record with what comparison needs, computed once."""

    record: FigureRecord
    noun: str | None  # lemma of the counted noun (counts) or of the unit (other kinds)
    topic: str | None  # lemma of what the figure is about (the object's head), for money, percentages, measures
    modifiers: frozenset[str]
    key: tuple[str, int] = ("", 0)  # (article id, figure index), set from the record
    low: float = 0.0  # |value| and |range end|, for the value window
    high: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", self.record.key)
        object.__setattr__(self, "low", _span(self.record)[0])
        object.__setattr__(self, "high", _span(self.record)[1])


def _head(text: str | None, generic: frozenset[str]) -> tuple[str | None, frozenset[str]]:
    """(lemma of the last content word, lemmas of the other content words) of a short noun phrase."""
    lemmas = [w for w in content_lemmas(text or "") if w not in generic]
    if not lemmas:
        return None, frozenset()
    return lemmas[-1], frozenset(lemmas[:-1])


def _figure(record: FigureRecord, cfg: ClaimSettings) -> _Figure:
    if record.kind == "count":
        noun, mods = _head(record.unit, cfg.generic_nouns)
        if noun is None:
            noun, mods = _head(record.object, cfg.generic_nouns)
        _, object_mods = _head(record.object, cfg.generic_nouns)
        return _Figure(record, noun, None, mods | object_mods)
    unit = " ".join(words(record.unit or "")) or None
    topic, mods = _head(record.object, cfg.generic_nouns)
    return _Figure(record, unit, topic, mods)


def _span(f: FigureRecord) -> tuple[float, float]:
    return abs(f.value), abs(f.value_max if f.value_max is not None else f.value)


def _values_close(lo: float, hi: float, cfg: ClaimSettings) -> bool:
    if lo <= 0:
        return hi <= 0
    return hi / lo <= cfg.max_value_ratio + 1e-9


def compatible(a: _Figure, b: _Figure, cfg: ClaimSettings) -> bool:
    """Whether two figures may be in one claim at all (the hard conditions; evidence is scored apart)."""
    ra, rb = a.record, b.record
    if ra.kind != rb.kind or (ra.value < 0) != (rb.value < 0):
        return False
    if a.noun is None or b.noun is None:
        return False
    if a.noun != b.noun and (ra.kind != "count" or cfg.noun_class.get(a.noun, a.noun) != cfg.noun_class.get(b.noun, b.noun)):
        return False
    if a.topic and b.topic and a.topic != b.topic and cfg.noun_class.get(a.topic, a.topic) != cfg.noun_class.get(b.topic, b.topic):
        return False
    lo = min(a.low, b.low)
    hi = max(a.high, b.high)
    if not _values_close(lo, hi, cfg):
        return False
    gap = days_between(ra.article.date, rb.article.date)
    return gap is None or gap <= cfg.window_days


def evidence(a: _Figure, b: _Figure, cfg: ClaimSettings, names: dict[str, str],
             idf: dict[str, float] | None = None) -> tuple[float, list[str]]:
    """(score, reasons) for two compatible figures of different articles."""
    w = cfg.weights
    ra, rb = a.record, b.record
    score, reasons = 0.0, []
    if ra.kind == "count":
        if a.noun == b.noun:
            score += w["noun_same"]
            reasons.append(f"counted noun: {a.noun}")
        else:
            score += w["noun_class"]
            reasons.append(f"counted nouns of one class: {a.noun}, {b.noun}")
    else:
        score += w["noun_same"]
        reasons.append(f"unit: {a.noun}")
        if a.topic and a.topic == b.topic:
            score += w["object_same"]
            reasons.append(f"about: {a.topic}")
    shared_mods = sorted(a.modifiers & b.modifiers)
    if shared_mods:
        score += min(w["modifier_cap"], w["modifier"] * len(shared_mods))
        reasons.append("qualifier: " + ", ".join(shared_mods))
    shared = sorted(set(ra.context) & set(rb.context), key=lambda e: (names.get(e, e), e))
    if shared:
        score += min(w["entity_cap"], w["entity"] * len(shared))
        reasons.extend(f"entity: {names.get(e, e)}" for e in shared)
    similarity, words_shared = weighted_cosine(ra.words, rb.words, idf or {})
    if similarity > 0:
        score += w["sentence"] * similarity
        if similarity >= 0.2:
            reasons.append("sentence words: " + ", ".join(words_shared[:4]))
    if _same_claimant(ra, rb):
        score += w["claimant"]
        reasons.append(f"claimant: {names.get(ra.claimant_entity_id or '', ra.claimant)}")
    if ra.value == rb.value and ra.value_max == rb.value_max:
        score += w["same_value"]
        digits = significant_digits(ra.value)
        if digits > 1:  # 27.5bn in two articles is rarely a coincidence; 10,000 often is
            score += min(w["precise_value_cap"], w["precise_value"] * (digits - 1))
            reasons.append(f"same precise value: {ra.value:,.12g}")
        else:
            reasons.append("same value")
    elif _nest([ra, rb], cfg.about_tolerance):
        score += w["nested_value"]
        reasons.append(f"values nest: {ra.text} / {rb.text}")
    elif _close(ra, rb, cfg):
        score += w["close_value"]
        reasons.append(f"close values: {ra.text} / {rb.text}")
    return score, reasons


def _close(a: FigureRecord, b: FigureRecord, cfg: ClaimSettings) -> bool:
    lo, hi = sorted((abs(a.value), abs(b.value)))
    return lo > 0 and hi / lo <= cfg.close_ratio


def significant_digits(value: float) -> int:
    """Significant digits of a value as written: 27,500,000,000 has 3, 1,500 has 2, 10,000 has 1."""
    digits = f"{abs(value):.12g}".split("e")[0].replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if digits else 0


def _same_claimant(a: FigureRecord, b: FigureRecord) -> bool:
    if a.claimant_entity_id and b.claimant_entity_id:
        return a.claimant_entity_id == b.claimant_entity_id
    return bool(a.claimant and b.claimant and words(a.claimant) == words(b.claimant))


def _threshold(a: FigureRecord, b: FigureRecord, cfg: ClaimSettings) -> float:
    return cfg.join_score if a.article.date and b.article.date else cfg.undated_score


@dataclass(frozen=True)
class _Edge:
    score: float
    a: _Figure
    b: _Figure
    reasons: tuple[str, ...]


def scored_pairs(figures: Sequence[_Figure], cfg: ClaimSettings, names: dict[str, str],
                 idf: dict[str, float] | None = None,
                 comparable: Callable[[_Figure, _Figure], bool] | None = None) -> list[_Edge]:
    """Every compatible pair of figures of different articles whose evidence reaches its threshold.
    `idf`: word rarity (default: over `figures`); `comparable`: whether two figures may be paired at all
    (default: they are of different articles)."""
    if idf is None:
        idf = inverse_document_frequency([f.record.words for f in figures])
    if comparable is None:
        def comparable(a: _Figure, b: _Figure) -> bool:
            return a.record.article.article_id != b.record.article.article_id
    by_noun: dict[tuple[str, str], list[_Figure]] = {}
    for f in figures:  # candidates share kind and noun class: compare within those blocks only
        by_noun.setdefault((f.record.kind, cfg.noun_class.get(f.noun, f.noun)), []).append(f)
    edges = []
    for block in by_noun.values():
        # sorted by value: a figure is compared only with those whose value is within the ratio of its own
        block.sort(key=lambda f: (f.low, f.key))
        for a, b in candidate_pairs(block, cfg, idf):
            if not comparable(a, b) or not compatible(a, b, cfg):
                continue
            score, reasons = evidence(a, b, cfg, names, idf)
            if score >= _threshold(a.record, b.record, cfg) - 1e-9:
                edges.append(_Edge(score, a, b, tuple(reasons)))
    edges.sort(key=lambda e: (-e.score, e.a.key, e.b.key))
    return edges


def group_figures(records: Iterable[FigureRecord], names: dict[str, str],
                  cfg: ClaimSettings | None = None) -> list[Claim]:
    """Claims from the figure records of many articles, sorted by id.

    Copies of one figure (a republished story: `grouping.copy_classes`) are grouped as one figure, the
    class's first; a claim lists every copy."""
    cfg = cfg or default_settings()
    figures: dict[tuple[str, int], _Figure] = {}

    def figure(r: FigureRecord) -> _Figure:
        if r.key not in figures:
            figures[r.key] = _figure(r, cfg)
        return figures[r.key]

    def copies_join(a: FigureRecord, b: FigureRecord) -> bool:
        fa, fb = figure(a), figure(b)
        return compatible(fa, fb, cfg) and evidence(fa, fb, cfg, names, idf)[0] >= _threshold(a, b, cfg) - 1e-9

    has_noun: dict[tuple[str, str | None, str | None], bool] = {}  # by what `_figure` reads to find the noun

    def counts_something(r: FigureRecord) -> bool:
        what = (r.kind, r.unit, r.object)
        if what not in has_noun:
            has_noun[what] = _figure(r, cfg).noun is not None
        return has_noun[what]

    eligible = [r for r in records if _eligible(r, cfg) and counts_something(r)]
    idf = inverse_document_frequency([r.words for r in eligible])
    classes = copy_classes(eligible, copies_join)
    del eligible
    firsts = [figure(members[0]) for members in classes]
    class_of = {f.key: members for f, members in zip(firsts, classes)}
    edges = scored_pairs(firsts, cfg, names, idf,
                         comparable=lambda a, b: not one_article(class_of[a.key], class_of[b.key]))
    groups = ConstrainedGroups(firsts, key=lambda f: f.key, compatible=lambda x, y: compatible(x, y, cfg))
    accepted: list[_Edge] = [edge for edge in edges if groups.merge(edge.a, edge.b)]
    edges_of: dict[int, list[_Edge]] = {}
    for edge in accepted:  # an accepted edge joined its two figures: both are in one group
        edges_of.setdefault(groups.group_of(edge.a), []).append(edge)
    claims = []
    for members in groups.groups():
        member_classes = [class_of[f.key] for f in members]
        if len({r.article.article_id for c in member_classes for r in c}) < 2:
            continue
        group_edges = edges_of.get(groups.group_of(members[0]), [])
        claims.append(_claim(member_classes, _reasons(member_classes, group_edges, cfg, names, idf), cfg, names))
    return sorted(claims, key=lambda c: c.id)


def _reasons(classes: list[list[FigureRecord]], edges: list[_Edge], cfg: ClaimSettings, names: dict[str, str],
             idf: dict[str, float]) -> dict[tuple[str, int], tuple[str, ...]]:
    """Each member's reasons: those of the strongest accepted pair it is in (its class's first figure stands
    for it), or of its pairing with its own copies when that is stronger."""
    best: dict[tuple[str, int], tuple[float, tuple[str, ...]]] = {}
    for members in classes:
        if len(members) > 1:
            a, b = _figure(members[0], cfg), _figure(members[1], cfg)
            score, reasons = evidence(a, b, cfg, names, idf)
            best[members[0].key] = (score, tuple(reasons))
    for edge in edges:
        for key in (edge.a.key, edge.b.key):
            if key not in best or edge.score > best[key][0]:
                best[key] = (edge.score, edge.reasons)
    return {r.key: best[members[0].key][1] for members in classes for r in members if members[0].key in best}


def _eligible(r: FigureRecord, cfg: ClaimSettings) -> bool:
    return r.kind in cfg.kinds and (cfg.join_vague or not r.vague) and math.isfinite(r.value)


def _claim(classes: list[list[FigureRecord]], reasons: dict[tuple[str, int], tuple[str, ...]], cfg: ClaimSettings,
           names: dict[str, str]) -> Claim:
    keys = {r.key for members in classes for r in members}
    records = sorted((r for members in classes for r in members),
                     key=lambda r: date_order(r.article.article_id, r.article.outlet, r.article.date, r.index))
    claim_members = [
        ClaimMember(article_id=r.article.article_id, figure_index=r.index, text=r.text, outlet=r.article.outlet,
                    date=r.article.date, claimant=r.claimant, claimant_entity_id=r.claimant_entity_id,
                    value=r.value, value_max=r.value_max, hedge=r.hedge, vague=r.vague,
                    reasons=list(reasons.get(r.key, ())))
        for r in records
    ]
    shared = _shared_entities(records)
    dates = sorted(r.article.date for r in records if r.article.date)
    return Claim(
        id=stable_id(keys),
        statement=_statement(records, shared, names),
        kind=records[0].kind,
        unit=most_common(r.unit for r in records),
        entity_ids=shared,
        values=sorted({r.value for r in records}),
        value_min=min(r.value for r in records),
        value_max=max(r.value_max if r.value_max is not None else r.value for r in records),
        status=status(records, cfg),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        outlets=sorted({r.article.outlet for r in records if r.article.outlet}),
        members=claim_members,
    )


def _shared_entities(records: Sequence[FigureRecord]) -> list[str]:
    """Context entities named near the figure in at least two of the claim's articles."""
    articles: dict[str, set[str]] = {}
    for r in records:
        for entity in r.context:
            articles.setdefault(entity, set()).add(r.article.article_id)
    return sorted(e for e, ids in articles.items() if len(ids) >= 2)


def _phrase(r: FigureRecord) -> str:
    """What a figure counts or measures, in words: its object, else its counted noun, else its unit."""
    if r.object:
        return r.object
    if r.kind == "count" and r.unit:
        return r.unit
    kinds = {"money": "amount", "percent": "share", "percentage_points": "change", "measure": "measure"}
    return f"{kinds.get(r.kind, 'number')} in {r.unit}" if r.unit else kinds.get(r.kind, "number")


def _statement(records: Sequence[FigureRecord], shared: list[str], names: dict[str, str]) -> str:
    phrases = Counter(" ".join(_phrase(r).split()) for r in records)
    phrase = min(phrases, key=lambda p: (-phrases[p], len(p), p))
    counts = Counter(e for r in records for e in set(r.context) if e in shared)
    top = sorted(shared, key=lambda e: (-counts[e], names.get(e, e)))[:3]
    return f"{phrase} ({', '.join(names.get(e, e) for e in top)})" if top else phrase


# ---- status ------------------------------------------------------------------------------------------------


def interval(r: FigureRecord, tolerance: float) -> tuple[float, float]:
    """The values a figure allows: its range, widened or opened by its hedge."""
    lo, hi = r.value, r.value_max if r.value_max is not None else r.value
    if r.hedge == "about":
        return lo - abs(lo) * tolerance, hi + abs(hi) * tolerance
    if r.hedge == "nearly":
        return lo - abs(lo) * tolerance, hi
    if r.hedge in ("at_least", "more_than"):
        return lo, math.inf
    if r.hedge in ("at_most", "less_than", "up_to"):
        return -math.inf if hi < 0 else 0.0, hi
    if r.vague:
        return lo, math.inf
    return lo, hi


def _nest(records: Sequence[FigureRecord], tolerance: float) -> bool:
    spans = [interval(r, tolerance) for r in records]
    return max(lo for lo, _ in spans) <= min(hi for _, hi in spans) + 1e-9


def status(records: Sequence[FigureRecord], cfg: ClaimSettings) -> str:
    """'agree', 'range', 'update' or 'disagree' for the members of one claim."""
    if len({(r.value, r.value_max) for r in records}) == 1:
        return "agree"
    if _nest(records, cfg.about_tolerance):
        return "range"
    if all(r.article.date for r in records):
        by_date: dict[str, list[FigureRecord]] = {}
        for r in records:
            by_date.setdefault(r.article.date, []).append(r)
        days = sorted(by_date)
        if len(days) >= 2 and all(_nest(by_date[d], cfg.about_tolerance) for d in days):
            # each date agrees with itself; the value moves with time and never returns to an earlier one
            runs = [by_date[d] for d in days]
            changes = [not _nest(runs[i] + runs[i + 1], cfg.about_tolerance) for i in range(len(runs) - 1)]
            returns = any(_nest(runs[i] + runs[j], cfg.about_tolerance) and any(changes[i:j])
                          for i in range(len(runs)) for j in range(i + 2, len(runs)))
            if any(changes) and not returns:
                return "update"
    return "disagree"


# ---- the collector -------------------------------------------------------------------------------------------


class ClaimCollector:
    """Receives each article once (`add`), keeps its compact figure records, and returns the `claims` rows."""

    def __init__(self, cfg: ClaimSettings | None = None):
        self.cfg = cfg or default_settings()
        self._records: list[FigureRecord] = []
        self._pool = RecordPool()  # copies of one figure share their fields
        self._names: dict[str, Counter[str]] = {}

    @staticmethod
    def records(article: Article) -> list[FigureRecord]:
        """What `add` keeps of an article, computed apart (a function of the article alone): the build computes
        it while the workers extract, instead of in the serial write."""
        return figure_records(article)

    def add(self, article: Article, records: list[FigureRecord] | None = None) -> None:
        """`records`: `records(article)` if already computed."""
        if records is None:
            records = figure_records(article)
        self._records.extend(self._pool.share(r) for r in records if _eligible(r, self.cfg))
        for entity_id, name in entity_names(article).items():
            self._names.setdefault(entity_id, Counter())[name] += 1

    def names(self) -> dict[str, str]:
        return {e: min(c, key=lambda n: (-c[n], n)) for e, c in self._names.items()}

    def claims(self) -> list[Claim]:
        return group_figures(self._records, self.names(), self.cfg)

    def rows(self) -> list[dict[str, Any]]:
        return dumped(self.claims())
