"""Nothing lost: whether cleaning keeps every sentence of the article, on three kinds of input.

* ``conll_*``: Reuters wire copy (CoNLL-2003 dev), where the whole document is the article: stories, results
  tables, standings, one-line briefs; every line must survive;
* ``bbc_*``: the BBC corpus (headline, blank line, paragraphs): article text without furniture, every line
  must survive (a sample of every category, in a fixed order);
* ``bench_*``: article-bench page dumps, whose article bodies were written down by hand: every sentence of
  the true body must be found in the cleaned text.

A line or sentence counts as kept when its characters (whitespace ignored) appear in the cleaned text, title
included. ``*_empty`` counts documents whose body came out empty; ``*_complete_share`` is the share of
documents that kept every sentence; ``*_sentence_recall`` pools sentences over documents.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
from collections.abc import Iterable
from pathlib import Path

from newsfacts.documents import Hints, InputFormat, RawDocument
from newsfacts.read.decode import decode

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“'‘(])|\n+")
BBC_SAMPLE_EVERY = 4  # every 4th article of each category: ~550 articles, seconds to clean


def squash(text: str) -> str:
    return "".join(text.split())


def raw_document(name: str, text: str, url: str | None = None, fmt: InputFormat = "txt") -> RawDocument:
    """A document of a development set, read as the build would read a file of that format."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return RawDocument(path=name, sha256=digest, id=digest[:16], format=fmt, encoding="utf-8", raw=text,
                       hints=Hints(url=url, url_method="sidecar" if url else None))


def kept_counts(raw: RawDocument, sentences: Iterable[str]) -> tuple[int, int, bool]:
    """(sentences kept, sentences, body empty) for one document."""
    from newsfacts.clean import clean_document

    clean = clean_document(raw)
    haystack = squash(clean.text)
    wanted = [squash(s) for s in sentences if squash(s)]
    return sum(s in haystack for s in wanted), len(wanted), not clean.text[clean.body_start:].strip()


def conll_items(shared_dir: Path) -> list[tuple[RawDocument, list[str]]]:
    folder = shared_dir / "devdata" / "conll2003-dev" / "docs"
    items = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        items.append((raw_document(path.name, text), text.splitlines()))
    return items


def bbc_items(shared_dir: Path) -> list[tuple[RawDocument, list[str]]]:
    items = []
    with tarfile.open(shared_dir / "corpora" / "bbc-2225.tar.gz") as archive:
        members = sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")
                          and "README" not in m.name.upper()), key=lambda m: m.name)
        for i, member in enumerate(members):
            if i % BBC_SAMPLE_EVERY:
                continue
            data = archive.extractfile(member).read()
            text, _ = decode(data)  # the reader's own decoding (a few BBC files are cp1252)
            items.append((raw_document(member.name, text), text.splitlines()))
    return items


def bench_items(shared_dir: Path) -> list[tuple[RawDocument, list[str]]]:
    from newsfacts.evaluation.boilerplate import bench_documents

    gold = json.loads((shared_dir / "devdata" / "article-bench" / "ground-truth.json").read_text("utf-8"))
    return [(raw, _SENTENCE_BREAK.split(gold[key]["articleBody"])) for key, raw in bench_documents(shared_dir)]


def corpus_scores(prefix: str, items: list[tuple[RawDocument, list[str]]]) -> dict[str, float]:
    counts = [kept_counts(raw, sentences) for raw, sentences in items]
    kept = sum(k for k, _, _ in counts)
    total = sum(n for _, n, _ in counts)
    return {
        f"{prefix}empty": float(sum(empty for _, _, empty in counts)),
        f"{prefix}nonempty_share": 1 - sum(empty for _, _, empty in counts) / len(counts),
        f"{prefix}complete_share": sum(k == n for k, n, _ in counts) / len(counts),
        f"{prefix}sentence_recall": kept / total if total else 1.0,
    }


def score(shared_dir: Path) -> dict[str, float]:
    scores: dict[str, float] = {}
    scores.update(corpus_scores("conll_", conll_items(shared_dir)))
    scores.update(corpus_scores("bbc_", bbc_items(shared_dir)))
    scores.update(corpus_scores("bench_", bench_items(shared_dir)))
    return {k: round(v, 6) for k, v in sorted(scores.items())}
