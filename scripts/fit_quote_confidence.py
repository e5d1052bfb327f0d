#!/usr/bin/env python3
"""Fit Quote.confidence on PolNeAR train: src/newsfacts/data/quote_confidence.yaml.

    NEWSFACTS_SHARED=/work/shared python scripts/fit_quote_confidence.py [--split train]

Each marked quote's confidence is looked up by how it was attributed (the route: a governing cue verb, a
speech clause after it, a colon label, a continued turn, ...) and by the evidence behind its speaker (a
resolved name, a pronoun resolved through a subject, the last speaker's turn, or left unresolved ...).
The table holds the calibration target's accuracy (evaluation/quotes.py: identified) of each (route, evidence) pair over the matched quotes of the split
(behind a pronoun: right against the gold referent where eval/gold/polnear_referents_train/ annotates one, else
against the silver referent),
as the quotes scorer judges it, shrunk toward the accuracy of its evidence alone, which is shrunk toward the
accuracy of its group (a pronoun left unnamed, no speaker, or any other: confidence.evidence_group), by SHRINK
pseudo-quotes each, so a rare pair gets a cautious value rather than 0 or 1, and an
unnamed pronoun a low one. Quotes behind a pronoun count only where the random train sample of
eval/gold/polnear_referents_train/ annotates who it is (its supplements are chosen for their pronouns and
would weigh them out of proportion): the silver referent calls a pronoun left unnamed right whenever no earlier
Source holds a name.
Measure the result on dev (python -m newsfacts.evaluation.quotes dev: speaker_ece and the reliability table),
never on the split it was fitted on.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import yaml

from newsfacts import evaluation
from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp
from newsfacts.annotate.quotes import find_quotes
from newsfacts.annotate.quotes.confidence import evidence_group
from newsfacts.evaluation.referents import train_sample
from newsfacts.evaluation.quotes import (
    NO_REFERENT, REFERENTS_TRAIN, gold_quotes, identified, load_dev, load_referents, match, parse_brat,
    predictions_from_quotes, referent_of, source_kind,
)

SHRINK = 10.0
OUTPUT = Path(__file__).resolve().parents[1] / "src" / "newsfacts" / "data" / "quote_confidence.yaml"


def observations(split: str) -> list[tuple[str, str, bool]]:
    """(route, evidence, speaker correct) for every matched, speaker-scored quote of the split."""
    nlp = load_nlp()
    articles = load_dev(evaluation.shared_dir(), split)
    # Gold referents of the random train sample only: the supplements are chosen for their pronouns ("I", "it",
    # "they") and would weigh those kinds of evidence out of proportion.
    sampled = {name for name, *_ in train_sample(evaluation.shared_dir())} if split == "train" else set()
    referents = {k: v for k, v in load_referents(REFERENTS_TRAIN).items() if k in sampled}
    found = []
    for (name, text, ann), doc in zip(articles, nlp.pipe(text for _, text, _ in articles)):
        keys: dict[tuple[int, int], tuple[str, str]] = {}
        spans, _ = parse_brat(ann)
        sources = sorted(f[0] for label, f in spans.values() if label == "Source" and f)
        quotes = find_quotes(doc, find_entities(doc), keys)
        predictions = [p for p in predictions_from_quotes(quotes) if p.kind in ("full", "partial")]
        for gold, predicted in match(text, gold_quotes(text, ann), predictions):
            if gold.source and (predicted.start, predicted.end) in keys:
                route, evidence = keys[(predicted.start, predicted.end)]
                # The scorer's calibration target; without the gold-side resolver the rare 'coref' case (5 of
                # 818 on dev) cannot arise, which only makes the fit a little more cautious.
                if split == "train" and source_kind(text, gold) == "pronoun" and referent_of(
                        gold, referents.get(name)) is NO_REFERENT:
                    continue  # behind a pronoun only a gold referent says who spoke (the silver one is lenient)
                found.append((route, evidence, identified(text, gold, predicted, sources,
                                                          referents=referents.get(name))))
    return found


def fit(rows: list[tuple[str, str, bool]]) -> dict:
    overall = sum(c for _, _, c in rows) / len(rows)
    by_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_evidence: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for route, evidence, correct in rows:
        for tally in (by_group[evidence_group(evidence)], by_evidence[evidence], by_pair[(route, evidence)]):
            tally[0] += correct
            tally[1] += 1
    # A group is not shrunk: it is what a rare evidence falls back on, and an unnamed pronoun is a different
    # thing from the overall rate (mostly named speakers), not a noisy estimate of it.
    group_rate = {g: r / n for g, (r, n) in by_group.items()}
    evidence_rate = {e: (r + SHRINK * group_rate[evidence_group(e)]) / (n + SHRINK) for e, (r, n) in by_evidence.items()}
    table: dict[str, dict[str, float]] = {}
    for (route, evidence), (right, n) in sorted(by_pair.items()):
        table.setdefault(route, {})[evidence] = round((right + SHRINK * evidence_rate[evidence]) / (n + SHRINK), 3)
    return {
        "overall": round(overall, 3),
        "by_group": {g: round(v, 3) for g, v in sorted(group_rate.items())},
        "group_counts": {g: n for g, (_, n) in sorted(by_group.items())},
        "by_evidence": {e: round(v, 3) for e, v in sorted(evidence_rate.items())},
        "by_route_and_evidence": table,
        "counts": {f"{r}|{e}": n for (r, e), (_, n) in sorted(by_pair.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    if args.split == "dev":
        raise SystemExit("fit on train; dev is for measuring the fit")
    table = fit(observations(args.split))
    header = (
        "# Quote.confidence: speaker accuracy by (route, evidence) on PolNeAR train, shrunk toward the evidence's\n"
        "# rate; written by scripts/fit_quote_confidence.py (do not edit by hand; refit after attribution changes).\n"
    )
    OUTPUT.write_text(header + yaml.safe_dump(table, sort_keys=True), encoding="utf-8")
    print(yaml.safe_dump(table, sort_keys=True))


if __name__ == "__main__":
    main()
