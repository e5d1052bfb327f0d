"""Near-duplicate detection across a build: MinHash over word 5-gram shingles, verified by exact Jaccard.

Exact duplicates (same bytes) are caught earlier by their identical id. Near duplicates (the same story
re-published with a different page around it, a corrected copy) are kept but flagged and linked to the
article they duplicate, so users can decide; nothing is dropped silently.
"""

from __future__ import annotations

import re
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps of one text: its distinct shingles, sorted, as 32-bit hashes, and its MinHash
    signature (None for a text without words). Compact and picklable: a worker process computes it with the
    article, so the build's own process, which every worker waits on, does not."""

    shingles: bytes
    signature: bytes | None


def fingerprint(text: str) -> Fingerprint:
    items = shingles(text)
    return Fingerprint(np.array(sorted(items), dtype=np.uint32).tobytes(),
                       _signature(items).tobytes() if items else None)


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def find_near_duplicates(texts: Sequence[tuple[str, str]], threshold: float = THRESHOLD) -> dict[str, tuple[str, float]]:
    """Map the id of each near duplicate to (id of the article it duplicates, Jaccard similarity).

    `texts` is (id, text) pairs; within a group the smallest id is the original.
    """
    index = NearDuplicateIndex()
    try:
        for doc_id, text in texts:
            index.add(doc_id, text)
        return index.find(threshold)
    finally:
        index.close()


class NearDuplicateIndex:
    """What near-duplicate detection needs of each article, kept instead of the article: its MinHash signature
    (512 bytes, in memory) and its shingles as a sorted array of 32-bit hashes (4 bytes per distinct word
    5-gram, for the exact Jaccard check of candidate pairs), appended to a temporary file and read back
    (memory-mapped) only for the candidates. Articles may be added in any order; `find` gives the same result."""

    def __init__(self) -> None:
        self._signatures: dict[str, bytes] = {}
        self._where: dict[str, tuple[int, int]] = {}  # id → (offset, count) of its shingles in the file
        self._file = tempfile.TemporaryFile(prefix="newsfacts-shingles-")
        self._written = 0
        self._mapped: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self._where)

    def add(self, doc_id: str, text: str) -> None:
        self.add_fingerprint(doc_id, fingerprint(text))

    def add_fingerprint(self, doc_id: str, found: Fingerprint) -> None:
        """Add an article by its `fingerprint`, computed where the article was extracted."""
        if doc_id in self._where:
            # the same id twice (exact duplicates are excluded before): ids are content hashes, same text
            return
        self._file.write(found.shingles)
        count = len(found.shingles) // 4
        self._where[doc_id] = (self._written, count)
        self._written += count
        self._mapped = None
        if found.signature is not None:
            self._signatures[doc_id] = found.signature

    def _shingles_of(self, doc_id: str) -> np.ndarray:
        if self._mapped is None:
            self._file.flush()
            self._mapped = np.memmap(self._file, dtype=np.uint32, mode="r", shape=(self._written,)) \
                if self._written else np.zeros(0, dtype=np.uint32)
        start, count = self._where[doc_id]
        return self._mapped[start : start + count]

    def close(self) -> None:
        self._mapped = None
        self._file.close()

    def find(self, threshold: float = THRESHOLD) -> dict[str, tuple[str, float]]:
        """Map the id of each near duplicate to (id of the article it duplicates, Jaccard similarity)."""
        ids = sorted(self._signatures)
        result: dict[str, tuple[str, float]] = {}
        below: set[tuple[str, str]] = set()  # pairs already found under the threshold
        for members in self._buckets(ids):
            members = [ids[i] for i in members]
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
                    similarity = _array_jaccard(self._shingles_of(first), self._shingles_of(second))
                    if similarity >= threshold:
                        original = result.get(first, (first, 1.0))[0]
                        result[second] = (original, round(similarity, 4))
                    else:
                        below.add((first, second))
        return result

    def _buckets(self, ids: list[str]) -> list[np.ndarray]:
        """The LSH buckets with two members or more, as arrays of positions in `ids`, in the order a dict keyed
        by (band, band's signature values) would list them when filled article by article (in `ids` order) and
        band by band: by first member, then band. Members are in `ids` order. (A dict of every bucket would
        hold 16 entries per article; single-member buckets give no pair.)"""
        if not ids:
            return []
        rows = NUM_HASHES // BANDS
        signatures = np.frombuffer(b"".join(self._signatures[i] for i in ids), dtype=np.uint64)
        signatures = signatures.reshape(len(ids), NUM_HASHES)
        found: list[tuple[int, int, np.ndarray]] = []
        for band in range(BANDS):
            block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
            keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
            _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
            inverse = inverse.ravel()
            shared = np.nonzero(counts[inverse] > 1)[0]
            if not len(shared):
                continue
            ordered = shared[np.argsort(inverse[shared], kind="stable")]  # by bucket, then by position
            cuts = np.nonzero(np.diff(inverse[ordered]))[0] + 1
            for members in np.split(ordered, cuts):
                found.append((int(members[0]), band, members))
        found.sort(key=lambda item: (item[0], item[1]))
        return [members for _, _, members in found]


def _array_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """`jaccard` of two shingle sets given as sorted arrays of distinct values."""
    if not len(a) and not len(b):
        return 1.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)
