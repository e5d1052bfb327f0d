#!/usr/bin/env python3
"""Agreement on the BBC attribution set: A's self-agreement and annotator C's independent pass.

Self-agreement (default): the first pass (``annotations/``) against the blind second pass (``agreement/``).
The sample: five of annotator A's articles (1-15), the first five by sha256 of ``"agreement:" + path``
(salted, because the selection itself ranked paths by their plain sha256, so the unsalted order would just
pick articles 1-5, one per category). They were re-annotated from the raw text, from scratch, without
opening the first pass.

Inter-annotator (``--annotator-c``): annotator C's blind pass (``agreement_c/``) against the committed gold
of annotators A (articles 1-15) and B (16-30). C's sample: of each half, the five articles with the lowest
sha256 of ``"annotator-c:" + path``, A's self-agreement sample left out so that more articles are covered
twice. The gold is read from ``annotations/``; an article not there yet (B's half before it is merged) is
read from the git ref given with ``--gold-ref`` (``git show REF:eval/gold/bbc30/annotations/NN.json``).

Matching is the scorer's (``newsfacts.evaluation.bbc_attribution``): quotes by shared word tokens (at least
half of each side), figures by overlapping spans, one-to-one. Reported: quote and figure span F1 (matched and
exact), and on matched items the share that agree on speaker name, mention kind, figure value, kind and unit,
with Cohen's kappa for the categorical ones (mention kind, figure kind).

    python eval/gold/bbc30/agreement.py                    # A's self-agreement table
    python eval/gold/bbc30/agreement.py --write            # and writes it into GUIDE.md
    python eval/gold/bbc30/agreement.py --annotator-c --gold-ref wt-gold-b [--disagreements] [--write]
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE))  # after the standard library: this folder's select.py would shadow `select`
sys.path.insert(0, str(HERE.parents[2] / "src"))

from annotate import AGREEMENT, ANNOTATIONS, articles, raw_text  # noqa: E402

from newsfacts.evaluation.bbc_attribution import (  # noqa: E402
    _normalise_unit, gold_items, match_by_tokens, match_figures, unit_correct, value_correct)

SAMPLE_SIZE = 5
BEGIN, END = "<!-- agreement table: begin -->", "<!-- agreement table: end -->"
ANNOTATOR_C = HERE / "agreement_c"
C_BEGIN, C_END = "<!-- inter-annotator table: begin -->", "<!-- inter-annotator table: end -->"


def sample() -> list[int]:
    first_half = [(n, row["path"]) for n, row in articles().items() if row["annotator"] == "A"]
    ranked = sorted(first_half, key=lambda item: hashlib.sha256(f"agreement:{item[1]}".encode()).hexdigest())
    return sorted(n for n, _ in ranked[:SAMPLE_SIZE])


def sample_c() -> dict[str, list[int]]:
    """Annotator C's articles per half: the five lowest sha256("annotator-c:" + path) of each annotator's
    articles, A's self-agreement sample left out."""
    taken = set(sample())
    chosen = {}
    for annotator in ("A", "B"):
        half = [(n, row["path"]) for n, row in articles().items() if row["annotator"] == annotator and n not in taken]
        ranked = sorted(half, key=lambda item: hashlib.sha256(f"annotator-c:{item[1]}".encode()).hexdigest())
        chosen[annotator] = sorted(n for n, _ in ranked[:SAMPLE_SIZE])
    return chosen


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


def _record(folder: Path, number: int) -> dict:
    return json.loads((folder / f"{number:02d}.json").read_text("utf-8"))


def gold_record(number: int, ref: str | None = None) -> dict:
    """The committed gold of article `number`: ``annotations/``, else the same path at git `ref`."""
    path = ANNOTATIONS / f"{number:02d}.json"
    if path.exists():
        return json.loads(path.read_text("utf-8"))
    if ref is None:
        raise FileNotFoundError(f"{path} (give --gold-ref to read it from a branch)")
    relative = path.relative_to(HERE.parents[2]).as_posix()
    # one pipe only: with two, subprocess needs the `select` module, which this folder's select.py shadows
    return json.loads(subprocess.check_output(["git", "show", f"{ref}:{relative}"], cwd=HERE, text=True))


def _same_span(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and (a.start, a.end) == (b.start, b.end))


def _who(raw: str, quote) -> str:
    """`name via 'mention words'@offset (kind)`, for the disagreement list."""
    if quote.mention is None:
        return f"{quote.speaker_name} via no mention"
    words = raw[quote.mention.start : quote.mention.end]
    return f"{quote.speaker_name} via {words!r}@{quote.mention.start} ({quote.mention_kind})"


def _describe_figure(f) -> str:
    value = f"{f.value:g}" + ("" if f.value_max is None else f"-{f.value_max:g}")
    return f"{f.text!r} {value} {f.kind} {f.unit}"


def _unmatched(pairs: list, one: list, two: list, labels: tuple[str, str]):
    """(label, item) for every item of either side that no pair holds."""
    matched = ({id(a) for a, _ in pairs}, {id(b) for _, b in pairs})
    for label, items, taken in zip(labels, (one, two), matched):
        yield from ((label, item) for item in items if id(item) not in taken)


def _compare_quotes(number: int, raw: str, one: list, two: list, labels: tuple[str, str], c: Counter,
                    mention_kinds: list, notes: list[str]) -> None:
    first, second = labels
    c["quotes_1"] += len(one)
    c["quotes_2"] += len(two)
    pairs = match_by_tokens(raw, one, two)
    c["quotes_matched"] += len(pairs)
    for label, q in _unmatched(pairs, one, two, labels):
        notes.append(f"{number}: QUOTE only {label}: {q.text[:70]!r} ({q.kind}; {_who(raw, q)})")
    for a, b in pairs:
        exact = _same_span(a, b)
        c["quotes_exact"] += exact
        if not exact:
            notes.append(f"{number}: QUOTE SPAN {first} {a.text[:60]!r} / {second} {b.text[:60]!r}")
        c["quote_kind_same"] += a.kind == b.kind
        if a.kind != b.kind:
            notes.append(f"{number}: QUOTE KIND {a.text[:50]!r}: {first} {a.kind} / {second} {b.kind}")
        same_name = (a.speaker_name or "").lower() == (b.speaker_name or "").lower()
        same_mention = _same_span(a.mention, b.mention)
        c["speaker_same"] += same_name
        c["mention_same"] += same_mention
        mention_kinds.append((a.mention_kind or "none", b.mention_kind or "none"))
        if not (same_name and same_mention and a.mention_kind == b.mention_kind):
            notes.append(f"{number}: SPEAKER {a.text[:50]!r}: {first} {_who(raw, a)} / {second} {_who(raw, b)}")


def _compare_figures(number: int, one: list, two: list, labels: tuple[str, str], c: Counter,
                     figure_kinds: list, notes: list[str]) -> None:
    first, second = labels
    c["figures_1"] += len(one)
    c["figures_2"] += len(two)
    pairs = match_figures(one, two)
    c["figures_matched"] += len(pairs)
    for label, f in _unmatched(pairs, one, two, labels):
        notes.append(f"{number}: FIGURE only {label}: {_describe_figure(f)}")
    for a, b in pairs:
        exact = _same_span(a, b)
        same_value = value_correct(a, b)
        same_unit = a.kind == b.kind and _normalise_unit(a.unit or "") == _normalise_unit(b.unit or "")
        c["figures_exact"] += exact
        c["value_same"] += same_value
        c["unit_same"] += same_unit
        c["unit_scorer_same"] += unit_correct(a, b)
        figure_kinds.append((a.kind, b.kind))
        if not (exact and same_value and same_unit):
            notes.append(f"{number}: FIGURE {first} {_describe_figure(a)} / {second} {_describe_figure(b)}")


def compare(pairs_of_records: list[tuple[dict, dict]], labels: tuple[str, str] = ("pass 1", "pass 2"),
            notes: list[str] | None = None) -> dict[str, float | str]:
    """Agreement between two annotations of the same articles; `notes` collects every disagreement."""
    c: Counter = Counter()
    mention_kinds: list[tuple[str, str]] = []
    figure_kinds: list[tuple[str, str]] = []
    notes = [] if notes is None else notes
    first_label, second_label = labels
    for first, second in pairs_of_records:
        number = first["article"]
        raw = raw_text(number)
        one, two = gold_items(first), gold_items(second)
        _compare_quotes(number, raw, one.quotes, two.quotes, labels, c, mention_kinds, notes)
        _compare_figures(number, one.figures, two.figures, labels, c, figure_kinds, notes)
    matched_q, matched_f = c["quotes_matched"], c["figures_matched"]

    def share(count: int, total: int) -> float:
        return count / total if total else float("nan")

    return {
        "articles": len(pairs_of_records),
        f"quotes ({first_label} / {second_label})": f"{c['quotes_1']} / {c['quotes_2']}",
        "quote span F1 (token overlap)": f1(matched_q, c["quotes_1"], c["quotes_2"]),
        "quote span F1 (exact)": f1(c["quotes_exact"], c["quotes_1"], c["quotes_2"]),
        "quote kind agreement (matched quotes)": share(c["quote_kind_same"], matched_q),
        "speaker name agreement (matched quotes)": share(c["speaker_same"], matched_q),
        "speaker mention span agreement": share(c["mention_same"], matched_q),
        "mention kind agreement": share(sum(a == b for a, b in mention_kinds), len(mention_kinds)),
        "mention kind Cohen's kappa": cohen_kappa(mention_kinds),
        f"figures ({first_label} / {second_label})": f"{c['figures_1']} / {c['figures_2']}",
        "figure span F1 (overlap)": f1(matched_f, c["figures_1"], c["figures_2"]),
        "figure span F1 (exact)": f1(c["figures_exact"], c["figures_1"], c["figures_2"]),
        "figure value agreement (matched)": share(c["value_same"], matched_f),
        "figure unit agreement (matched)": share(c["unit_same"], matched_f),
        "figure unit agreement, scorer's rule (matched)": share(c["unit_scorer_same"], matched_f),
        "figure kind agreement (matched)": share(sum(a == b for a, b in figure_kinds), len(figure_kinds)),
        "figure kind Cohen's kappa": cohen_kappa(figure_kinds),
    }


def table(numbers: list[int], results: dict) -> str:
    lines = [BEGIN, f"Articles {', '.join(map(str, numbers))} (`agreement.py`):", "", "| measure | value |", "|---|---|"]
    for name, value in results.items():
        lines.append(f"| {name} | {_cell(value)} |")
    return "\n".join(lines + [END])


def _cell(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table_c(columns: dict[str, dict]) -> str:
    """One row per measure, one column per comparison (C's five of A's, C's five of B's, pooled); the
    count rows say `gold / C` whichever annotator made the gold."""
    columns = {name: {re.sub(r"\((A|B) / C\)", "(gold / C)", row): value for row, value in results.items()}
               for name, results in columns.items()}
    names = list(columns)
    lines = [C_BEGIN, "| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for row in columns[names[0]]:
        lines.append(f"| {row} | " + " | ".join(_cell(columns[name][row]) for name in names) + " |")
    return "\n".join(lines + [C_END])


def _write(marks: tuple[str, str], text: str) -> None:
    guide = HERE / "GUIDE.md"
    content = guide.read_text(encoding="utf-8")
    begin, end = marks
    if begin in content:
        content = content[: content.index(begin)] + text + content[content.index(end) + len(end):]
    else:
        content = content.rstrip("\n") + "\n\n" + text + "\n"
    guide.write_text(content, encoding="utf-8")


def main_c(argv: list[str]) -> int:
    ref = argv[argv.index("--gold-ref") + 1] if "--gold-ref" in argv else None
    chosen = sample_c()
    columns, notes = {}, []
    pooled = []
    for annotator, numbers in chosen.items():
        missing = [n for n in numbers if not (ANNOTATOR_C / f"{n:02d}.json").exists()]
        if missing:
            print(f"annotator C's pass missing for {missing}", file=sys.stderr)
            return 1
        pairs = [(gold_record(n, ref), _record(ANNOTATOR_C, n)) for n in numbers]
        pooled += pairs
        label = f"{annotator} vs C (articles {', '.join(map(str, numbers))})"
        columns[label] = compare(pairs, (annotator, "C"), notes)
    columns["pooled (10 articles)"] = compare(pooled, ("A", "C"))
    text = table_c(columns)
    print(text)
    if "--disagreements" in argv:
        print("\n".join(notes))
    if "--write" in argv:
        _write((C_BEGIN, C_END), text)
    return 0


def main(argv: list[str]) -> int:
    if "--annotator-c" in argv:
        return main_c(argv)
    numbers = [n for n in sample() if (AGREEMENT / f"{n:02d}.json").exists()]
    if numbers != sample():
        print(f"second pass missing for {sorted(set(sample()) - set(numbers))}", file=sys.stderr)
    text = table(numbers, compare([(_record(ANNOTATIONS, n), _record(AGREEMENT, n)) for n in numbers]))
    print(text)
    if "--write" in argv:
        _write((BEGIN, END), text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
