#!/usr/bin/env python3
"""Self-agreement: the first pass (``annotations/``) against the blind second pass (``agreement/``).

The sample: five of annotator A's articles (1-15), the first five by sha256 of ``"agreement:" + path``
(salted, because the selection itself ranked paths by their plain sha256, so the unsalted order would just
pick articles 1-5, one per category). They were re-annotated from the raw text, from scratch, without
opening the first pass.

Matching is the scorer's (``newsfacts.evaluation.bbc_attribution``): quotes by shared word tokens (at least
half of each side), figures by overlapping spans, one-to-one. Reported: quote and figure span F1 (matched and
exact), and on matched items the share that agree on speaker name, mention kind, figure value, kind and unit,
with Cohen's kappa for the categorical ones (mention kind, figure kind).

    python eval/gold/bbc30/agreement.py            # prints the table
    python eval/gold/bbc30/agreement.py --write    # and writes it into GUIDE.md
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2] / "src"))

from annotate import AGREEMENT, ANNOTATIONS, articles, raw_text  # noqa: E402

from newsfacts.evaluation.bbc_attribution import (  # noqa: E402
    _normalise_unit, gold_items, match_by_tokens, match_figures, value_correct)

SAMPLE_SIZE = 5
BEGIN, END = "<!-- agreement table: begin -->", "<!-- agreement table: end -->"


def sample() -> list[int]:
    first_half = [(n, row["path"]) for n, row in articles().items() if row["annotator"] == "A"]
    ranked = sorted(first_half, key=lambda item: hashlib.sha256(f"agreement:{item[1]}".encode()).hexdigest())
    return sorted(n for n, _ in ranked[:SAMPLE_SIZE])


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two labelings of the same items (1.0 when both use one identical label)."""
    if not pairs:
        return float("nan")
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def f1(matched: int, first: int, second: int) -> float:
    return 2 * matched / (first + second) if first + second else 1.0


def compare(numbers: list[int]) -> dict[str, float]:
    c: Counter = Counter()
    mention_kinds: list[tuple[str, str]] = []
    figure_kinds: list[tuple[str, str]] = []
    for number in numbers:
        raw = raw_text(number)
        one = gold_items(json.loads((ANNOTATIONS / f"{number:02d}.json").read_text("utf-8")))
        two = gold_items(json.loads((AGREEMENT / f"{number:02d}.json").read_text("utf-8")))
        c["quotes_1"] += len(one.quotes)
        c["quotes_2"] += len(two.quotes)
        pairs = match_by_tokens(raw, one.quotes, two.quotes)
        c["quotes_matched"] += len(pairs)
        c["quotes_exact"] += sum(a.start == b.start and a.end == b.end for a, b in pairs)
        for a, b in pairs:
            c["speaker_same"] += (a.speaker_name or "").lower() == (b.speaker_name or "").lower()
            c["mention_same"] += (a.mention is None and b.mention is None) or (
                a.mention is not None and b.mention is not None and (a.mention.start, a.mention.end) == (b.mention.start, b.mention.end))
            mention_kinds.append((a.mention_kind or "none", b.mention_kind or "none"))
        c["figures_1"] += len(one.figures)
        c["figures_2"] += len(two.figures)
        figure_pairs = match_figures(one.figures, two.figures)
        c["figures_matched"] += len(figure_pairs)
        c["figures_exact"] += sum(a.start == b.start and a.end == b.end for a, b in figure_pairs)
        for a, b in figure_pairs:
            c["value_same"] += value_correct(a, b)
            c["unit_same"] += a.kind == b.kind and _normalise_unit(a.unit or "") == _normalise_unit(b.unit or "")
            figure_kinds.append((a.kind, b.kind))
    matched_q, matched_f = c["quotes_matched"], c["figures_matched"]
    return {
        "articles": len(numbers),
        "quotes (pass 1 / pass 2)": f"{c['quotes_1']} / {c['quotes_2']}",
        "quote span F1 (token overlap)": f1(matched_q, c["quotes_1"], c["quotes_2"]),
        "quote span F1 (exact)": f1(c["quotes_exact"], c["quotes_1"], c["quotes_2"]),
        "speaker name agreement (matched quotes)": c["speaker_same"] / matched_q if matched_q else float("nan"),
        "speaker mention span agreement": c["mention_same"] / matched_q if matched_q else float("nan"),
        "mention kind agreement": sum(a == b for a, b in mention_kinds) / len(mention_kinds) if mention_kinds else float("nan"),
        "mention kind Cohen's kappa": cohen_kappa(mention_kinds),
        "figures (pass 1 / pass 2)": f"{c['figures_1']} / {c['figures_2']}",
        "figure span F1 (overlap)": f1(matched_f, c["figures_1"], c["figures_2"]),
        "figure span F1 (exact)": f1(c["figures_exact"], c["figures_1"], c["figures_2"]),
        "figure value agreement (matched)": c["value_same"] / matched_f if matched_f else float("nan"),
        "figure unit agreement (matched)": c["unit_same"] / matched_f if matched_f else float("nan"),
        "figure kind Cohen's kappa": cohen_kappa(figure_kinds),
    }


def table(numbers: list[int], results: dict) -> str:
    lines = [BEGIN, f"Articles {', '.join(map(str, numbers))} (`agreement.py`):", "", "| measure | value |", "|---|---|"]
    for name, value in results.items():
        lines.append(f"| {name} | {value:.3f} |" if isinstance(value, float) else f"| {name} | {value} |")
    return "\n".join(lines + [END])


def main(argv: list[str]) -> int:
    numbers = [n for n in sample() if (AGREEMENT / f"{n:02d}.json").exists()]
    if numbers != sample():
        print(f"second pass missing for {sorted(set(sample()) - set(numbers))}", file=sys.stderr)
    text = table(numbers, compare(numbers))
    print(text)
    if "--write" in argv:
        guide = HERE / "GUIDE.md"
        content = guide.read_text(encoding="utf-8")
        if BEGIN in content:
            content = content[: content.index(BEGIN)] + text + content[content.index(END) + len(END):]
        else:
            content = content.rstrip("\n") + "\n\n" + text + "\n"
        guide.write_text(content, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
