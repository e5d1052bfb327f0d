"""Side-by-side on article-bench: the cleaner's body against plain jusText (its own package, default
parameters, English stoplist) run on the same dump with one <p> per line. Not used by the tests.

    .venv/bin/python scripts/compare_boilerplate_justext.py
"""

from __future__ import annotations

import html
import json

import justext

from newsfacts.evaluation import shared_dir
from newsfacts.evaluation.boilerplate import bench_documents, overlap, prf, score, tokens


def justext_body(dump: str) -> str:
    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in dump.split("\n") if line.strip())
    paragraphs = justext.justext((page + "</body></html>").encode("utf-8"), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def main() -> None:
    shared = shared_dir()
    gold = json.loads((shared / "devdata" / "article-bench" / "ground-truth.json").read_text("utf-8"))
    totals = [0, 0, 0]
    for key, raw in bench_documents(shared):
        counts = overlap(tokens(justext_body(raw.raw)), tokens(gold[key]["articleBody"]))
        totals = [a + b for a, b in zip(totals, counts)]
    p, r, f = prf(*totals)
    print(f"jusText (defaults):  precision {p:.4f}  recall {r:.4f}  f1 {f:.4f}")
    ours = score(shared)
    print(f"newsfacts.clean:     precision {ours['precision']:.4f}  recall {ours['recall']:.4f}  f1 {ours['f1']:.4f}")
    print(f"whole dump:          precision {ours['baseline_precision']:.4f}  recall {ours['baseline_recall']:.4f}  "
          f"f1 {ours['baseline_f1']:.4f}")


if __name__ == "__main__":
    main()
