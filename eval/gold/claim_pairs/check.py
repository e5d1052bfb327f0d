"""Check the hand-labelled claim pairs against the current pipeline and print their counts.

    .venv/bin/python eval/gold/claim_pairs/check.py            # structure + every item against the pipeline
    .venv/bin/python eval/gold/claim_pairs/check.py --counts   # structure and counts only (no pipeline run)

Every item of ``figures.jsonl``, ``quotes.jsonl`` and ``figures_captions.jsonl`` must resolve in the output of
``newsfacts.pipeline.process`` on its document (see ``documents.py``): the same text at ``start:end`` of
``Article.text`` (of ``Article.captions[caption].text`` for a caption item), or, when the text moved, the same text
found within ``NEARBY`` characters (reported as moved, with the new offsets); the two items of a pair must come
from different documents (byte-identical files are one article for the build). The check also reports how many items
are exactly a figure / quote span of the current pipeline (what a scorer matching by span will find), and exits
non-zero when an item cannot be found or a line breaks the format.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"figures": "figures.jsonl", "quotes": "quotes.jsonl", "figures_captions": "figures_captions.jsonl"}
ITEM_KEYS = {"corpus", "file", "start", "end", "text", "context"}
NEARBY = 300  # characters either side searched when an item's text is no longer at its span


def load_pairs() -> dict[str, list[dict]]:
    return {kind: [json.loads(line) for line in (HERE / name).read_text("utf-8").splitlines() if line.strip()]
            for kind, name in FILES.items()}


def format_problems(kind: str, number: int, pair: dict) -> list[str]:
    where = f"{FILES[kind]}:{number}"
    problems = []
    if set(pair) != {"a", "b", "same", "note"}:
        problems.append(f"{where}: keys {sorted(pair)}")
    if not isinstance(pair.get("same"), bool) or not str(pair.get("note", "")).strip():
        problems.append(f"{where}: 'same' must be a boolean and 'note' non-empty")
    for side in ("a", "b"):
        item = pair.get(side, {})
        allowed = (ITEM_KEYS, ITEM_KEYS | {"caption"}) if kind == "figures_captions" else (ITEM_KEYS,)
        if set(item) not in allowed:
            problems.append(f"{where}: item {side} keys {sorted(item)}")
        elif item["corpus"] not in ("seeds", "bbc") or not (0 <= item["start"] < item["end"]):
            problems.append(f"{where}: item {side} corpus/offsets")
        elif item["end"] - item["start"] != len(item["text"]):
            problems.append(f"{where}: item {side} span length differs from its text")
        elif item["text"] not in item["context"]:
            problems.append(f"{where}: item {side} text not inside its context")
    if pair.get("a", {}).get("file") == pair.get("b", {}).get("file"):
        problems.append(f"{where}: both items come from the same article")
    return problems


def counts(pairs: dict[str, list[dict]]) -> None:
    for kind, rows in pairs.items():
        by_corpus: Counter = Counter()
        positives: Counter = Counter()
        for pair in rows:
            corpus = "+".join(sorted({pair["a"]["corpus"], pair["b"]["corpus"]}))
            by_corpus[corpus] += 1
            positives[corpus] += pair["same"]
        total, same = len(rows), sum(p["same"] for p in rows)
        print(f"{kind}: {total} pairs, {same} same ({same / total:.0%})" if total else f"{kind}: none")
        for corpus in sorted(by_corpus):
            print(f"  {corpus}: {by_corpus[corpus]} pairs, {positives[corpus]} same")


def resolve(item: dict, text: str) -> tuple[str, int | None]:
    """('exact' | 'moved' | 'missing', new start)."""
    start, end = item["start"], item["end"]
    if text[start:end] == item["text"]:
        return "exact", start
    lo = max(0, start - NEARBY)
    found = text.find(item["text"], lo, end + NEARBY)
    return ("moved", found) if found >= 0 else ("missing", None)


def check_against_pipeline(pairs: dict[str, list[dict]]) -> int:
    sys.path.insert(0, str(HERE))
    from documents import articles

    wanted: dict[str, set[str]] = defaultdict(set)
    for rows in pairs.values():
        for pair in rows:
            for side in ("a", "b"):
                wanted[pair[side]["corpus"]].add(pair[side]["file"])
    extracted = {}
    for corpus, names in sorted(wanted.items()):
        for name, article in articles(corpus, sorted(names)):
            extracted[(corpus, name)] = article
    failures = 0
    for kind, rows in pairs.items():
        outcome: Counter = Counter()
        as_spans: Counter = Counter()
        for number, pair in enumerate(rows, 1):
            ids = {extracted[(pair[s]["corpus"], pair[s]["file"])].id for s in ("a", "b")
                   if (pair[s]["corpus"], pair[s]["file"]) in extracted}
            if len(ids) == 1:  # byte-identical files are one article: the build keeps only one of them
                print(f"{FILES[kind]}:{number}: both items come from the same document (identical files)")
                failures += 1
            for side in ("a", "b"):
                item = pair[side]
                article = extracted.get((item["corpus"], item["file"]))
                if article is None:
                    print(f"{FILES[kind]}:{number}{side}: document {item['file']} not found")
                    failures += 1
                    continue
                caption = item.get("caption")
                text = article.text if caption is None else article.captions[caption].text
                state, start = resolve(item, text)
                outcome[state] += 1
                if state != "exact":
                    print(f"{FILES[kind]}:{number}{side}: {state} {item['file']} {item['start']}:{item['end']} "
                          f"{item['text']!r}" + (f" now at {start}" if start is not None else ""))
                failures += state == "missing"
                spans = {(f.start, f.end, f.caption) for f in article.figures} if kind != "quotes" else \
                    {(q.start, q.end, None) for q in article.quotes}
                as_spans[(item["start"], item["end"], caption) in spans] += 1
        items = sum(outcome.values())
        print(f"{kind}: {items} items: {outcome['exact']} exact, {outcome['moved']} moved, {outcome['missing']} missing; "
              f"{as_spans[True]} are a span the pipeline extracts as a {'quote' if kind == 'quotes' else 'figure'}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", action="store_true", help="format and counts only, without running the pipeline")
    args = parser.parse_args()
    pairs = load_pairs()
    problems = [p for kind, rows in pairs.items() for n, pair in enumerate(rows, 1) for p in format_problems(kind, n, pair)]
    for problem in problems:
        print(problem)
    counts(pairs)
    failures = len(problems)
    if not args.counts:
        failures += check_against_pipeline(pairs)
    print("OK" if not failures else f"{failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
