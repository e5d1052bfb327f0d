"""Build the entity gold files (one JSON per document) from the annotator's judgments.

    python eval/gold/entities/make_gold.py [--review]

Texts: the seeds are hand-cleaned by make_seed_texts.py from seeds/; the BBC articles are read from
the corpus tarball (NEWSFACTS_SHARED/corpora/bbc-2225.tar.gz), paragraphs joined by blank lines.
Offsets are computed here from the judgments in judgments.yaml, so they are exact by construction;
--review prints every mention in context for re-reading. Every listed surface must match at least once.
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_seed_texts import SELECTION, seed_text  # noqa: E402

SCORED_TYPES = ("PERSON", "ORG", "PLACE")
BBC_CITATION = (
    "BBC News dataset, D. Greene and P. Cunningham, ICML 2006 (mlg.ucd.ie/datasets/bbc.html); "
    "articles (c) BBC, used as test input only"
)


def bbc_text(raw: str) -> str:
    paragraphs = [line.strip() for line in raw.splitlines() if line.strip()]
    return "\n\n".join(paragraphs)


def load_texts(tarball: Path, names: list[str]) -> dict[str, tuple[str, str]]:
    """doc id -> (source description, text)."""
    texts = {}
    seed_files = {f"seed-{name[:3]}": name for name in SELECTION}
    with tarfile.open(tarball) as tar:
        for doc_id in names:
            if doc_id in seed_files:
                texts[doc_id] = (f"seeds/{seed_files[doc_id]} (hand-cleaned)", seed_text(seed_files[doc_id]))
                continue
            _, section, number = doc_id.split("-")
            member = f"bbc/{section}/{number}.txt"
            raw = tar.extractfile(member).read().decode("utf-8")
            texts[doc_id] = (f"bbc-2225.tar.gz:{member}", bbc_text(raw))
    return texts


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def mentions_for(doc_id: str, text: str, judgment: dict) -> list[dict]:
    taken: list[tuple[int, int]] = []
    for phrase in judgment.get("block", []):
        found = _occurrences(text, phrase)
        if not found:
            raise ValueError(f"{doc_id}: blocked phrase {phrase!r} not in text")
        taken.extend(found)
    surfaces = [(s, t) for t in SCORED_TYPES for s in judgment.get(t, [])]
    surfaces.sort(key=lambda item: -len(item[0]))
    overrides = judgment.get("override", {})
    mentions = []
    for surface, entity_type in surfaces:
        accepted = [(s, e) for s, e in _occurrences(text, surface) if _free(taken, s, e)]
        if not accepted:
            raise ValueError(f"{doc_id}: {surface!r} ({entity_type}) has no free occurrence")
        taken.extend(accepted)
        for n, (start, end) in enumerate(accepted):
            mention_type = overrides.get(surface, {}).get(n, entity_type)
            if mention_type is not None:
                mentions.append({"start": start, "end": end, "text": text[start:end], "type": mention_type})
    for surface, entity_type, context in judgment.get("extra", []):
        where = text.index(context) + context.index(surface)
        mentions.append({"start": where, "end": where + len(surface), "text": surface, "type": entity_type})
    mentions.sort(key=lambda m: (m["start"], m["end"]))
    for m in mentions:
        assert text[m["start"]:m["end"]] == m["text"]
    return mentions


def main(review: bool = False) -> None:
    from newsfacts.evaluation import shared_dir

    judgments = yaml.safe_load((HERE / "judgments.yaml").read_text(encoding="utf-8"))
    texts = load_texts(shared_dir() / "corpora" / "bbc-2225.tar.gz", list(judgments))
    out = HERE / "docs"
    out.mkdir(exist_ok=True)
    for doc_id, judgment in judgments.items():
        source, text = texts[doc_id]
        mentions = mentions_for(doc_id, text, judgment)
        record = {"id": doc_id, "source": source, "text": text, "mentions": mentions}
        if doc_id.startswith("bbc-"):
            record["license"] = BBC_CITATION
        (out / f"{doc_id}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        if review:
            print(f"== {doc_id}: {len(mentions)} mentions")
            for m in mentions:
                left = text[max(0, m["start"] - 25):m["start"]].replace("\n", " ")
                right = text[m["end"]:m["end"] + 25].replace("\n", " ")
                print(f"  {m['type']:6} {left:>25}[{m['text']}]{right}")


if __name__ == "__main__":
    main(review="--review" in sys.argv)
