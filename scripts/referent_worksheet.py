#!/usr/bin/env python3
"""The blind worksheet for the PolNeAR train sample of hand-annotated pronoun referents, and its check.

    NEWSFACTS_SHARED=/work/shared python scripts/referent_worksheet.py > worksheet.txt
    NEWSFACTS_SHARED=/work/shared python scripts/referent_worksheet.py --check eval/gold/polnear_referents_train/referents.jsonl

The sample and its supplements (first person, "it"/"they", "she", the rest of "it"/"they", "he", a second "she":
newsfacts.evaluation.referents.annotated_train; rules in eval/gold/polnear_referents_train/README.md) are drawn
from PolNeAR alone. The worksheet prints each sampled article with its pronoun Sources marked
[[article.source:he]] and lists each Source's quotes: it is built without running newsfacts, so the referents
are annotated blind. ``--check FILE`` verifies that every row's offsets match the article text and that the
rows are exactly the gold pronoun quotes of the sample and its supplements.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsfacts import evaluation
from newsfacts.evaluation.referents import annotated_train, check_referents


def worksheet(chosen) -> str:
    out = []
    for number, (name, text, _, found) in enumerate(chosen):
        sources = sorted({source for source, _ in found})
        marked, position = [], 0
        for index, (start, end) in enumerate(sources):
            marked += [text[position:start], f"[[{number}.{index}:{text[start:end]}]]"]
            position = end
        marked.append(text[position:])
        out += [f"=== A{number} {name}.txt", "".join(marked), "--- pronoun sources"]
        for source, (start, end) in found:
            out.append(f"  {number}.{sources.index(source)} {text[slice(*source)]!r} <- {text[start:end][:90]!r}")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", type=Path, help="a referents.jsonl to check against the sample")
    args = parser.parse_args()
    chosen = annotated_train(evaluation.shared_dir())
    if args.check:
        problems = check_referents(args.check, chosen)
        print("\n".join(problems) or f"ok: {sum(len(c[3]) for c in chosen)} quotes in {len(chosen)} articles")
        return 1 if problems else 0
    print(worksheet(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
