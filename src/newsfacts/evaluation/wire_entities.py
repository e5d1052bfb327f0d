"""Entities on Reuters wire copy (CoNLL-2003 English development split) through the whole text path.

The wire documents are stories, results tables, standings and one-line briefs, the shapes a cleaner tuned on
web pages throws away. Each document is scored three ways on the same gold PER/ORG/LOC mentions:

* ``text_*``: the normal path for a file: read as a plain-text input, cleaned (`clean_document`), parsed,
  `find_entities`; predicted offsets in the cleaned text are mapped back to the document;
* ``jsonl_*``: the same text given as a JSON line (article text, no page cleaning), then the same annotators;
* ``spacy_*``: raw spaCy on the document as it is (the published model, without newsfacts' components).

``text_jsonl_gap`` is how much entity F1 the cleaner costs (the gate keeps it small), and
``text_empty_documents`` / ``text_min_kept_share`` say whether any document lost its text.

The data is CoNLL-2003 (Reuters): it is read from the shared development folder, never copied into the project.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from pathlib import Path

from newsfacts.evaluation.entities import GoldDocument, Span, score_system, spacy_mentions
from newsfacts.evaluation.retention import raw_document

DATA = Path("devdata") / "conll2003-dev"


def load_documents(shared_dir: Path) -> list[GoldDocument]:
    folder = shared_dir / DATA
    docs = []
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = (folder / "docs" / f"{record['id']}.txt").read_text(encoding="utf-8")
        mentions = tuple((m["start"], m["end"], m["type"]) for m in record["mentions"])
        docs.append(GoldDocument(record["id"], text, mentions))
    return docs


def offset_map(source: str, target: str) -> list[int | None]:
    """For each character of `target`, its offset in `source` (None for characters that are not there).

    Cleaning keeps characters in order but changes whitespace between lines and drops furniture lines, so the
    non-space characters are aligned (difflib, no junk heuristic) and whitespace maps to nothing."""
    src = [i for i, ch in enumerate(source) if not ch.isspace()]
    tgt = [i for i, ch in enumerate(target) if not ch.isspace()]
    matcher = difflib.SequenceMatcher(None, "".join(source[i] for i in src), "".join(target[i] for i in tgt),
                                      autojunk=False)
    mapping: list[int | None] = [None] * len(target)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            mapping[tgt[b + k]] = src[a + k]
    return mapping


def map_spans(spans: Sequence[Span], mapping: Sequence[int | None]) -> list[Span]:
    """Spans of the cleaned text as spans of the document; a span whose ends do not map is dropped."""
    mapped = []
    for start, end, kind in spans:
        first = mapping[start] if start < len(mapping) else None
        last = mapping[end - 1] if 0 < end <= len(mapping) else None
        if first is not None and last is not None:
            mapped.append((first, last + 1, kind))
    return mapped


def score(shared_dir: Path) -> dict[str, float]:
    from newsfacts.annotate.entities.kb import load_kb
    from newsfacts.annotate.nlp import load_nlp
    from newsfacts.clean import clean_document
    from newsfacts.evaluation.entities import predicted_mentions

    nlp, kb = load_nlp(), load_kb()
    docs = load_documents(shared_dir)
    scores: dict[str, float] = {}
    kept: list[float] = []
    for fmt, prefix in (("txt", "text_"), ("jsonl", "jsonl_")):
        cleaned = [clean_document(raw_document(f"{doc.id}.txt", doc.text, fmt=fmt)) for doc in docs]
        if fmt == "txt":
            kept = [c.cleaning.kept_share for c in cleaned]
            scores["text_empty_documents"] = float(sum(not c.text[c.body_start:].strip() for c in cleaned))
        predictions = []
        for doc, clean, parsed in zip(docs, cleaned, nlp.pipe([c.text for c in cleaned])):
            spans = predicted_mentions(parsed, kb)
            predictions.append(map_spans(spans, offset_map(doc.text, clean.text)))
        scores.update(score_system(docs, predictions, prefix))
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n.startswith("newsfacts_")]):
        raw = [spacy_mentions(p) for p in nlp.pipe([d.text for d in docs])]
    scores.update(score_system(docs, raw, "spacy_"))
    scores["text_min_kept_share"] = min(kept)
    scores["text_jsonl_gap"] = scores["jsonl_mention_f1"] - scores["text_mention_f1"]
    # Gated as a floor, so the gap enters negated: 0 is no loss to the cleaner.
    scores["text_minus_jsonl_mention_f1"] = -abs(scores["text_jsonl_gap"])
    scores["text_nonempty_share"] = 1 - scores["text_empty_documents"] / len(docs)
    return {k: round(v, 6) for k, v in sorted(scores.items())}

