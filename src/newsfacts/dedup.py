"""Near-duplicate detection across a build: MinHash over word 5-gram shingles, verified by exact Jaccard.

Exact duplicates (same bytes) are caught earlier by their identical id. Near duplicates (the same story
re-published with a different page around it, a corrected copy) are kept but flagged and linked to the
article they duplicate, so users can decide; nothing is dropped silently.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

SHINGLE_WORDS = 5
NUM_HASHES = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 similarity become candidates, then are verified exactly
THRESHOLD = 0.8
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20241021)  # fixed seed: the same inputs always give the same flags
_A = _rng.integers(1, _PRIME, size=NUM_HASHES, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=NUM_HASHES, dtype=np.uint64)


def shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _signature(items: set[int]) -> np.ndarray:
    values = np.fromiter(items, dtype=np.uint64)
    # (a*x + b) mod p on uint64 wraps around; that is still a fixed pseudo-random permutation of the
    # 32-bit shingle space for MinHash purposes.
    return ((_A[:, None] * values[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def find_near_duplicates(texts: Sequence[tuple[str, str]], threshold: float = THRESHOLD) -> dict[str, tuple[str, float]]:
    """Map the id of each near duplicate to (id of the article it duplicates, Jaccard similarity).

    `texts` is (id, text) pairs; within a group the smallest id is the original.
    """
    index = NearDuplicateIndex()
    for doc_id, text in texts:
        index.add(doc_id, text)
    return index.find(threshold)


class NearDuplicateIndex:
    """What near-duplicate detection needs of each article, kept instead of the article: its MinHash signature
    (512 bytes) and its shingles as a sorted array of 32-bit hashes (4 bytes per distinct word 5-gram, for the
    exact Jaccard check of candidate pairs). Articles may be added in any order; `find` gives the same result."""

    def __init__(self) -> None:
        self._signatures: dict[str, bytes] = {}
        self._shingles: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._shingles)

    def add(self, doc_id: str, text: str) -> None:
        if doc_id in self._shingles:
            # the same id twice (exact duplicates are excluded before): keep the first, as a dict of texts would
            # keep the last; ids are content hashes, so both texts are the same
            return
        items = shingles(text)
        self._shingles[doc_id] = np.array(sorted(items), dtype=np.uint32)
        if items:
            self._signatures[doc_id] = _signature(items).tobytes()

    def find(self, threshold: float = THRESHOLD) -> dict[str, tuple[str, float]]:
        """Map the id of each near duplicate to (id of the article it duplicates, Jaccard similarity)."""
        buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
        width = NUM_HASHES // BANDS * 8  # bytes of one band of the signature
        for doc_id in sorted(self._signatures):
            signature = self._signatures[doc_id]
            for band in range(BANDS):
                buckets[(band, signature[band * width : (band + 1) * width])].append(doc_id)
        result: dict[str, tuple[str, float]] = {}
        below: set[tuple[str, str]] = set()  # pairs already found under the threshold
        for members in buckets.values():
            for i, first in enumerate(members):
                # A second already flagged keeps its first original, so it is not compared again; once every
                # later member is flagged no pair of this bucket can change anything (many copies of one
                # story then cost one comparison each, not one per pair).
                rest = [second for second in members[i + 1 :] if second not in result]
                if not rest:
                    break
                for second in rest:
                    if (first, second) in below:
                        continue
                    similarity = _array_jaccard(self._shingles[first], self._shingles[second])
                    if similarity >= threshold:
                        original = result.get(first, (first, 1.0))[0]
                        result[second] = (original, round(similarity, 4))
                    else:
                        below.add((first, second))
        return result


def _array_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """`jaccard` of two shingle sets given as sorted arrays of distinct values."""
    if not len(a) and not len(b):
        return 1.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)
