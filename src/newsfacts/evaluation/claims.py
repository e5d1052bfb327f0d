"""Score the cross-document grouping on hand-labelled pairs: is this the same claim (or statement) or not?

The pairs are in ``eval/gold/claim_pairs/figures.jsonl`` (and ``figures_captions.jsonl``, items of photo
captions with a ``caption`` index) and ``quotes.jsonl``, one per line::

    {"a": ITEM, "b": ITEM, "same": true|false, "note": "..."}
    ITEM = {"corpus": "seeds"|"bbc", "file": "...", "start": int, "end": int, "text": "...", "context": "..."}

with offsets into ``Article.text`` of ``newsfacts.pipeline.process`` on the document (no curation). The
scorer extracts every article the pairs name (seeds through the folder reader, so ids and hints are the
release's; BBC files from ``corpora/bbc-2225.tar.gz`` like the retention scorer), runs the claims and quote
cluster collectors over all of them together, finds each item (by its span, else by its text nearby) and
counts a pair as predicted "same" when both items are members of one claim (one cluster).

Reported: precision, recall and F1 of "same" for figures and quotes, over all pairs and over each half of
the pairs split by a hash of the pair (``half_a`` was used to fit the thresholds in ``data/claims.yaml``,
``half_b`` was not), and the items that could not be found (``*_unresolved``).

    python -m newsfacts.evaluation.claims            # scores, and the pairs the grouping gets wrong
"""

from __future__ import annotations

import hashlib
import json
import sys
import tarfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfacts.evaluation import REPO_ROOT, shared_dir
from newsfacts.models import Article

PAIRS_DIR = REPO_ROOT / "eval" / "gold" / "claim_pairs"
SEEDS_DIR = REPO_ROOT / "seeds"
BBC_ARCHIVE = Path("corpora") / "bbc-2225.tar.gz"
# How far (in characters) from its labelled start an item's text is looked for when its span is not a figure
# or quote of the current pipeline.
NEARBY = 200


@dataclass(frozen=True)
class Pair:
    kind: str  # 'figures' or 'quotes'
    a: dict[str, Any]
    b: dict[str, Any]
    same: bool

    @property
    def half(self) -> str:
        key = json.dumps([_item_key(self.a), _item_key(self.b)], sort_keys=True)
        return "a" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "b"


def _item_key(item: dict[str, Any]) -> list:
    return [item.get("corpus"), item.get("file"), item.get("caption"), item.get("start"), item.get("end")]


def load_pairs(folder: Path = PAIRS_DIR) -> list[Pair]:
    pairs = []
    # figures_captions.jsonl: pairs where an item is a figure of a photo caption (its `caption` key is the
    # caption's index, its offsets point into that caption's text); scored with the figures.
    for kind, name in (("figures", "figures"), ("figures", "figures_captions"), ("quotes", "quotes")):
        path = folder / f"{name}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                pairs.append(Pair(kind, data["a"], data["b"], bool(data["same"])))
    return pairs


# ---- the articles the pairs point into ---------------------------------------------------------------------


def documents(pairs: Sequence[Pair], shared: Path):
    """(corpus, file, RawDocument) for every seed and every BBC file the pairs name."""
    from newsfacts.documents import RawDocument
    from newsfacts.evaluation.retention import raw_document
    from newsfacts.read.decode import decode
    from newsfacts.read.files import read_folder

    wanted: dict[str, set[str]] = {}
    for pair in pairs:
        for item in (pair.a, pair.b):
            wanted.setdefault(item["corpus"], set()).add(item["file"])
    documents = []
    if "seeds" in wanted:
        documents += [("seeds", o.path, o) for o in read_folder(SEEDS_DIR) if isinstance(o, RawDocument)]
    if "bbc" in wanted:
        with tarfile.open(shared / BBC_ARCHIVE) as archive:
            for member in sorted((m for m in archive.getmembers() if m.isfile() and m.name in wanted["bbc"]),
                                 key=lambda m: m.name):
                text, _ = decode(archive.extractfile(member).read())
                documents.append(("bbc", member.name, raw_document(member.name, text)))
    return documents


def extract(documents) -> dict[tuple[str, str], Article]:
    """The pipeline's article for each document, through the article cache when one is configured."""
    from newsfacts.cache import ArticleCache, default_cache_dir
    from newsfacts.engine.cached import plan, run_cached

    cache = ArticleCache.open(default_cache_dir())
    raws = [raw for _, _, raw in documents]
    where = {id(raw): (corpus, name) for corpus, name, raw in documents}
    articles = {}
    # Cached articles come first, then the extracted ones: each result names its document.
    for done in run_cached(lambda: raws, plan(raws, cache), cache, jobs=1):
        if isinstance(done.result, Article):
            articles[where[id(done.raw)]] = done.result
    return articles


# ---- finding the items --------------------------------------------------------------------------------------


def find_item(article: Article | None, item: dict[str, Any], kind: str) -> int | None:
    """Index of the figure (quote) the item labels: the one at its span, else one overlapping it with the same
    text, else the nearest one with its text within NEARBY characters."""
    if article is None:
        return None
    caption = item.get("caption")  # a figure of a photo caption: offsets into that caption's text
    if kind == "figures":
        indexes = [i for i, f in enumerate(article.figures) if f.caption == caption]
        spans = [(article.figures[i].start, article.figures[i].end, article.figures[i].text) for i in indexes]
    else:
        indexes = list(range(len(article.quotes)))
        spans = [(q.start, q.end, q.text) for q in article.quotes]
    start, end, text = item["start"], item["end"], item.get("text", "")
    for (s, e, _), i in zip(spans, indexes):
        if (s, e) == (start, end):
            return i
    overlapping = [(abs(s - start), i) for (s, e, t), i in zip(spans, indexes) if s < end and e > start
                   and (text in t or t in text)]
    if overlapping:
        return min(overlapping)[1]
    near = [(abs(s - start), i) for (s, _, t), i in zip(spans, indexes) if t == text and abs(s - start) <= NEARBY]
    return min(near)[1] if near else None


# ---- scoring ------------------------------------------------------------------------------------------------


def group_keys(articles: Iterable[Article], claim_settings=None, quote_settings=None
               ) -> dict[str, dict[tuple[str, int], str]]:
    """For each kind, (article id, index) -> id of the claim (cluster) it belongs to."""
    from newsfacts.crossdoc import ClaimCollector, QuoteClusterCollector

    claims, clusters = ClaimCollector(claim_settings), QuoteClusterCollector(quote_settings)
    for article in sorted(articles, key=lambda a: a.id):
        claims.add(article)
        clusters.add(article)
    return {
        "figures": {(m.article_id, m.figure_index): c.id for c in claims.claims() for m in c.members},
        "quotes": {(m.article_id, m.quote_index): c.id for c in clusters.clusters() for m in c.members},
    }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def distinct_articles(articles: dict[tuple[str, str], Article]) -> dict[tuple[str, str], Article]:
    """Every file as an article of its own. The BBC corpus holds the same story in two files (a build keeps one
    as an exact duplicate); the pairs treat them as two articles, so the grouping sees two: an article whose
    id another file shares gets an id derived from its file name."""
    seen = Counter(a.id for a in articles.values())
    distinct = {}
    for (corpus, name), article in sorted(articles.items()):
        if seen[article.id] > 1:
            article = article.model_copy(update={"id": hashlib.sha256(f"{corpus}/{name}".encode()).hexdigest()[:16]})
        distinct[(corpus, name)] = article
    return distinct


def judge(pairs: Sequence[Pair], articles: dict[tuple[str, str], Article], claim_settings=None,
          quote_settings=None):
    """(pair, predicted same, resolved, item keys) for every pair."""
    articles = distinct_articles(articles)
    groups = group_keys(articles.values(), claim_settings, quote_settings)
    judged = []
    for pair in pairs:
        keys = []
        for item in (pair.a, pair.b):
            article = articles.get((item["corpus"], item["file"]))
            index = find_item(article, item, pair.kind)
            keys.append(None if index is None else (article.id, index))
        resolved = None not in keys
        group = groups[pair.kind]
        predicted = resolved and keys[0] in group and group.get(keys[0]) == group.get(keys[1])
        judged.append((pair, predicted, resolved, keys))
    return judged


def metrics(judged) -> dict[str, float]:
    scores: dict[str, float] = {}
    for kind in ("figures", "quotes"):
        for half in (None, "a", "b"):
            rows = [(p, predicted) for p, predicted, resolved, _ in judged
                    if p.kind == kind and resolved and (half is None or p.half == half)]
            tp = sum(p.same and predicted for p, predicted in rows)
            fp = sum(predicted and not p.same for p, predicted in rows)
            fn = sum(p.same and not predicted for p, predicted in rows)
            prefix = f"{kind}_" if half is None else f"{kind}_half_{half}_"
            scores[prefix + "precision"], scores[prefix + "recall"], scores[prefix + "f1"] = _prf(tp, fp, fn)
            if half is None:
                scores[f"{kind}_pairs"] = float(len(rows))
        items = {json.dumps(_item_key(item)) for p, _, _, keys in judged if p.kind == kind
                 for item, key in zip((p.a, p.b), keys) if key is None}
        scores[f"{kind}_unresolved"] = float(len(items))
    return {k: round(v, 4) for k, v in sorted(scores.items())}


def score(shared: Path | None = None, pairs_dir: Path = PAIRS_DIR) -> dict[str, float]:
    pairs = load_pairs(pairs_dir)
    articles = extract(documents(pairs, shared or shared_dir()))
    return metrics(judge(pairs, articles))


def main(argv: list[str] | None = None) -> int:
    pairs = load_pairs()
    articles = extract(documents(pairs, shared_dir()))
    judged = judge(pairs, articles)
    print(json.dumps(metrics(judged), indent=2))
    show = set(argv or sys.argv[1:]) or {"a"}
    for pair, predicted, resolved, _ in judged:
        if pair.half in show and (not resolved or predicted != pair.same):
            label = "unresolved" if not resolved else ("false positive" if predicted else "missed")
            print(f"{pair.kind} half {pair.half} {label}: {pair.a['file']} {pair.a['text']!r} | "
                  f"{pair.b['file']} {pair.b['text']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
