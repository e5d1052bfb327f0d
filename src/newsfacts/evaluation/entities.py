"""Entity scorer: person / organisation / place names against the hand annotations in eval/gold/entities.

Each gold document is self-contained (its exact text and mentions), so the score measures NER and mention
cleaning only, not the cleaning stage. The same documents are scored for raw spaCy (its GPE/LOC/FAC
mapped to PLACE, spans as the model returns them) so the gain of ``find_entities`` is visible.

* mention level: a predicted mention counts when start, end and type equal a gold mention's
  (``*_partial_*``: when it overlaps a gold mention of the same type, each gold mention used once);
* document level: the set of (type, normalised surface) per document.

Descriptive aliases that the knowledge base links ("Seoul's spy agency") are not names, so they are left
out of the predictions (see GUIDELINES.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsfacts.evaluation import REPO_ROOT

GOLD_DIR = REPO_ROOT / "eval" / "gold" / "entities" / "docs"
SCORED = ("PERSON", "ORG", "PLACE")

Span = tuple[int, int, str]


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    mentions: tuple[Span, ...]


def load_gold(gold_dir: Path = GOLD_DIR) -> list[GoldDocument]:
    docs = []
    for path in sorted(gold_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        text = record["text"]
        mentions = []
        for m in record["mentions"]:
            if text[m["start"]:m["end"]] != m["text"]:
                raise ValueError(f"{path.name}: offsets of {m['text']!r} do not match the text")
            mentions.append((m["start"], m["end"], m["type"]))
        docs.append(GoldDocument(record["id"], text, tuple(mentions)))
    return docs


def predicted_mentions(doc, kb) -> list[Span]:
    from newsfacts.annotate.entities import find_entities

    spans = []
    for entity in find_entities(doc, kb):
        if entity.type not in SCORED:
            continue
        for m in entity.mentions:
            if m.kind == "name":  # descriptions ("Seoul's spy agency") are not names to score
                spans.append((m.start, m.end, entity.type))
    return spans


def spacy_mentions(doc) -> list[Span]:
    from newsfacts.annotate.entities.lexicon import TYPE_OF_LABEL

    return [(e.start_char, e.end_char, TYPE_OF_LABEL[e.label_]) for e in doc.ents
            if TYPE_OF_LABEL.get(e.label_) in SCORED]


def prf(true_positives: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _partial_matches(gold: Sequence[Span], predicted: Sequence[Span]) -> int:
    used: set[int] = set()
    hits = 0
    for start, end, kind in predicted:
        for i, (gs, ge, gk) in enumerate(gold):
            if i not in used and gk == kind and start < ge and gs < end:
                used.add(i)
                hits += 1
                break
    return hits


def _doc_set(text: str, spans: Iterable[Span]) -> set[tuple[str, str]]:
    from newsfacts.annotate.entities.names import normalise_name

    return {(kind, normalise_name(text[s:e])) for s, e, kind in spans}


def score_system(docs: Sequence[GoldDocument], predictions: Sequence[Sequence[Span]], prefix: str) -> dict[str, float]:
    tp = pred = gold = partial = 0
    doc_tp = doc_pred = doc_gold = 0
    by_type = {t: [0, 0, 0] for t in SCORED}
    for doc, spans in zip(docs, predictions):
        gold_set, pred_set = set(doc.mentions), set(spans)
        tp += len(gold_set & pred_set)
        pred += len(pred_set)
        gold += len(gold_set)
        partial += _partial_matches(sorted(gold_set), sorted(pred_set))
        for t in SCORED:
            g = {m for m in gold_set if m[2] == t}
            p = {m for m in pred_set if m[2] == t}
            by_type[t][0] += len(g & p)
            by_type[t][1] += len(p)
            by_type[t][2] += len(g)
        gold_doc, pred_doc = _doc_set(doc.text, gold_set), _doc_set(doc.text, pred_set)
        doc_tp += len(gold_doc & pred_doc)
        doc_pred += len(pred_doc)
        doc_gold += len(gold_doc)
    p, r, f = prf(tp, pred, gold)
    pp, pr, pf = prf(partial, pred, gold)
    dp, dr, df = prf(doc_tp, doc_pred, doc_gold)
    scores = {
        f"{prefix}mention_precision": p, f"{prefix}mention_recall": r, f"{prefix}mention_f1": f,
        f"{prefix}mention_partial_f1": pf,
        f"{prefix}document_precision": dp, f"{prefix}document_recall": dr, f"{prefix}document_f1": df,
    }
    for t, (t_tp, t_pred, t_gold) in by_type.items():
        scores[f"{prefix}{t.lower()}_f1"] = prf(t_tp, t_pred, t_gold)[2]
    return scores


def score(shared_dir: Path | None = None) -> dict[str, float]:
    """Scores of find_entities and of raw spaCy on the entity gold (shared_dir is unused: the gold is
    committed with its texts)."""
    from newsfacts.annotate.entities.kb import load_kb
    from newsfacts.annotate.nlp import load_nlp

    nlp, kb = load_nlp(), load_kb()
    docs = load_gold()
    parsed = list(nlp.pipe([d.text for d in docs]))
    ours = [predicted_mentions(p, kb) for p in parsed]
    # Raw spaCy means the model exactly as published: without the pipeline's sentence hints.
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n.startswith("newsfacts_")]):
        raw = [spacy_mentions(p) for p in nlp.pipe([d.text for d in docs])]
    scores = score_system(docs, ours, "")
    scores.update(score_system(docs, raw, "spacy_"))
    seeds = [i for i, d in enumerate(docs) if d.id.startswith("seed-")]
    scores["seeds_mention_f1"] = score_system([docs[i] for i in seeds], [ours[i] for i in seeds], "")["mention_f1"]
    scores["spacy_seeds_mention_f1"] = score_system([docs[i] for i in seeds], [raw[i] for i in seeds], "")["mention_f1"]
    scores["mention_f1_gain_over_spacy"] = scores["mention_f1"] - scores["spacy_mention_f1"]
    return {k: round(v, 6) for k, v in sorted(scores.items())}
