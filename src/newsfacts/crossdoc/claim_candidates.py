"""Which pairs of figures the claims grouping compares: those that can reach the join score.

A block (figures of one kind and counted-noun class, sorted by value) would be compared pair by pair within
the value ratio, which grows with the square of the corpus; `candidate_pairs` gives the same pairs that can
join, found through what they share (see its docstring), at a cost that grows with those pairs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING

from newsfacts.crossdoc.text import words

if TYPE_CHECKING:
    from newsfacts.crossdoc.claims import ClaimSettings, _Figure


def candidate_pairs(block: list[_Figure], cfg: ClaimSettings, idf: dict[str, float]
                    ) -> Iterator[tuple[_Figure, _Figure]]:
    """The pairs of a block (sorted by value) within the value ratio that can reach the join score, each once,
    the lower value first.

    Without shared evidence a pair scores at most its noun and a near value, under the join score; the rest
    is what the two figures share: a qualifier, an entity, a claimant, the exact value, the thing measured,
    or words of their sentences. All but the last are keys a figure is indexed under. For the sentence words
    the similarity needed is known (`least_similarity`), and prefix filtering finds every pair that reaches
    it: each figure's words in one global order, rarest first, indexed until the words left could not reach
    that similarity alone; two sentences that similar share a word indexed by both. The pairs left out could
    not join, so the edges are those of comparing every pair in the value window, at a cost that grows with
    the pairs that share something, not with the square of the block."""
    least = least_similarity(cfg)
    if least is None:  # the weights let a pair join on nothing shared: compare every pair in the window
        for i, a in enumerate(block):
            reach = a.high * cfg.max_value_ratio + 1e-9
            for b in block[i + 1:]:
                if b.low > reach:
                    break
                yield a, b
        return
    postings: dict[tuple, list[int]] = {}
    for i, f in enumerate(block):
        for key in keys(f, cfg, idf, least):
            postings.setdefault(key, []).append(i)
    lows = [f.low for f in block]
    for i, a in enumerate(block):
        end = bisect_right(lows, a.high * cfg.max_value_ratio + 1e-9)
        partners: set[int] = set()
        for key in keys(a, cfg, idf, least):
            ids = postings[key]
            partners.update(ids[bisect_right(ids, i):bisect_left(ids, end)])
        for j in sorted(partners):
            yield a, block[j]


def least_similarity(cfg: ClaimSettings) -> float | None:
    """The sentence similarity a pair sharing no qualifier, entity, claimant, exact value or measured thing
    needs to reach the lower join score (its noun and a nested or close value give the rest), or None when
    such a pair may join on less."""
    w = cfg.weights
    rest = min(cfg.join_score, cfg.undated_score) - w["noun_same"] - max(w["nested_value"], w["close_value"])
    if rest <= 0 or w["sentence"] <= 0:
        return None
    return rest / w["sentence"] - 1e-9


def keys(f: _Figure, cfg: ClaimSettings, idf: dict[str, float], least: float) -> Iterator[tuple]:
    """What a figure is indexed under in its block (see `candidate_pairs`)."""
    r = f.record
    yield from (("qualifier", m) for m in f.modifiers)
    yield from (("entity", e) for e in r.context)
    if r.claimant_entity_id:
        yield "claimant", r.claimant_entity_id
    if r.claimant:
        yield "claimant name", tuple(words(r.claimant))
    yield "value", r.value, r.value_max
    if f.topic:
        yield "about", f.topic
    weights = sorted(((idf.get(w, 0.0) ** 2, w) for w in r.words if idf.get(w, 0.0) > 0), key=lambda x: (-x[0], x[1]))
    left = sum(weight for weight, _ in weights)
    enough = (least ** 2) * left  # the words after the prefix weigh less than this: they cannot reach `least`
    for weight, w in weights:
        if left < enough:
            break
        yield "word", w
        left -= weight
