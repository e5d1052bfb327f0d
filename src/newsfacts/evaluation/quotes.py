"""Direct quotes and speakers on PolNeAR's dev split (devdata/polnear/, see its README.md).

Gold. PolNeAR annotates attributions (Source, Cue, Content) but not direct vs indirect speech. A gold
direct quote is a stretch between double quotation marks (straight ", curly “ ”, NYT's doubled '' ... '')
in one paragraph, at least half of whose word tokens lie inside a Content span; its gold speaker is that
attribution's Source span (absent for Attribution-no-source). Marks are paired here independently of the
extractor's own pairing: curly marks by shape, straight ones by their neighbours (space before = opening),
and a paragraph that ends inside a quote that the next paragraph reopens yields the stretch up to its end
(the multi-paragraph convention). Quoted titles and scare quotes that no Content covers are not gold.
One annotation file per article: the first in sorted order.

Matching. Word tokens (\\w+) of each side; a predicted quote and a gold quote match when their shared
tokens are at least half of each one's tokens; pairs are taken one-to-one, largest overlap first.
Only marked predictions (kind 'full' or 'partial') are scored: PolNeAR, US copy, has no dash or lost-mark
quotes to compare with, so those kinds are counted (``unmarked_predicted``) but not scored.

Speaker accuracy is over matched quotes whose gold has a Source. A predicted speaker is correct when
  (a) ``mention``: its mention overlaps the gold Source span (characters);
  (b) ``name``: otherwise, the gold Source holds a name (a capitalised word that is not an honorific,
      role or sentence-initial function word) and the predicted resolved name shares a name word with it;
  (c) ``coref``: otherwise, the gold Source is a pronoun or description without a name, the predicted
      speaker has an entity, and the same speaker resolver, applied to the gold Source span itself,
      resolves it to that same entity.
Anything else, including no predicted speaker, is wrong. The counts per case are reported
(``speaker_case_*``) so the accuracy can be audited.

By kind of gold Source. Each scored quote is put in one class by its gold Source's words: ``pronoun`` (the
Source is a personal or relative pronoun: he, she, they, who ...), ``named`` (it holds a name word, as in
(b)) or ``title`` (a title or description without a name: "the minister", "officials"); the accuracy is
reported per class (``speaker_accuracy_pronoun`` / ``_named`` / ``_title``). PolNeAR has no coreference
chains, so by (a) a prediction whose mention is the pronoun counts as correct in ``speaker_accuracy_pronoun``:
that number only checks the mention.

Pronoun referents. Who the pronoun stands for is annotated by hand for dev in
eval/gold/polnear_referents/referents.jsonl (GUIDE.md there), keyed by article and gold Source span, and for a
sample of train in eval/gold/polnear_referents_train/ (README.md there; ``python -m newsfacts.evaluation.quotes
train_sample`` scores its articles: where the rules are fitted, to be read beside dev; ``--errors`` lists its
pronoun quotes given a wrong name or none, with the evidence behind each, and ``--referents`` all of them: train
only, since dev is measured, not read for rules). For
each scored pronoun quote with a gold referent, the predicted resolved name (``Speaker.name``, not a
description) is
  right      when it shares a name word with the referent (as in (b)), or, for a referent the article never
             names (null), when no name is given;
  abstained  when no name is given (the pronoun kept, or no speaker at all) for a named referent: not right,
             but no harm;
  wrong      when a name is given that is not the referent's: the harm, words put in someone else's mouth.
The shares are ``speaker_accuracy_pronoun_referent``, ``speaker_pronoun_abstained`` and
``speaker_pronoun_wrong_name`` (they sum to 1 over ``speaker_pronoun_referent_scored`` quotes;
``speaker_pronoun_not_wrong`` is 1 - the wrong-name share, the form the gate pins). For
comparison, how often a given name agrees with a *silver* referent (the latest earlier gold Source in the
article that holds a name) is still reported (``speaker_pronoun_silver_agreement``, over pronoun quotes
given a name), never gated: it is a heuristic.

Calibration. Confidence says how sure the extractor is of *who* spoke, so the reliability table judges a
quote as right when its speaker is correct as above and, for a pronoun Source, when its resolved name is
right against the gold referent (a kept pronoun with no name, the cautious answer, identifies nobody); where
no gold referent exists (PolNeAR train outside the annotated sample, where the confidence table is fitted)
the silver referent stands in.
Each scored quote's ``Quote.confidence`` is binned (``CONFIDENCE_BINS``); per bin the mean confidence, that
accuracy and the count form the reliability table (``reliability_table``), and ``speaker_ece`` is the
expected calibration error, sum over bins of count/total * |accuracy - confidence| (lower is better, so it
is reported and not pinned: the gate pins floors). ``speaker_ece_silver`` is the same against the silver
target, for comparison with earlier releases.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# The gold and the referents live in their own modules; their names are re-exported here, where the scorer's
# users have always found them.
from newsfacts.evaluation.polnear import (  # noqa: F401
    GoldQuote, double_quoted_stretches, gold_quotes, load_dev, name_words, parse_brat, source_kind, tokens,
)
from newsfacts.evaluation.referents import (  # noqa: F401
    NO_REFERENT, REFERENTS, REFERENTS_TRAIN, Referents, load_referents, referent_case, referent_of, same_person,
)

# Upper edges of the confidence bins of the reliability table (the last bin includes 1.0).
CONFIDENCE_BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
SOURCE_KINDS = ("pronoun", "named", "title")


@dataclass
class Prediction:
    start: int
    end: int
    kind: str
    speaker_mention: tuple[int, int] | None
    speaker_name: str | None
    entity_id: str | None
    confidence: float = 1.0
    resolved_name: str | None = None  # Speaker.name alone (speaker_name falls back to the description)


# ---- matching and scoring -------------------------------------------------------------------------------


def match(text: str, gold: list[GoldQuote], predicted: list[Prediction]) -> list[tuple[GoldQuote, Prediction]]:
    """One-to-one pairs sharing at least half of each side's word tokens, largest overlap first."""
    candidates = []
    for g_index, g in enumerate(gold):
        g_words = tokens(text, g.start, g.end)
        for p_index, p in enumerate(predicted):
            if p.end <= g.start or g.end <= p.start:
                continue
            p_words = tokens(text, p.start, p.end)
            shared = len(g_words & p_words)
            if g_words and p_words and shared * 2 >= len(g_words) and shared * 2 >= len(p_words):
                candidates.append((shared, g_index, p_index))
    return one_to_one(candidates, gold, predicted)


def one_to_one(candidates: list[tuple[int, int, int]], gold: list, predicted: list) -> list[tuple]:
    """Greedy one-to-one pairs from (overlap, gold index, predicted index) candidates, largest overlap first
    (ties by position), each item in at most one pair."""
    pairs, used_gold, used_pred = [], set(), set()
    for _, g_index, p_index in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if g_index not in used_gold and p_index not in used_pred:
            used_gold.add(g_index)
            used_pred.add(p_index)
            pairs.append((gold[g_index], predicted[p_index]))
    return pairs


def identified(
    text: str, gold: GoldQuote, predicted: Prediction, sources: list[tuple[int, int]], resolve_gold=None,
    referents: Referents | None = None,
) -> bool:
    """The calibration target (module docstring): the speaker is right and, behind a pronoun, named as its
    gold referent, or where none is annotated, as its silver referent."""
    if source_kind(text, gold) == "pronoun":
        referent = referent_of(gold, referents)
        if referent is not NO_REFERENT:
            return referent_case(referent, predicted) in ("right", "abstained_right")
    return _identified_silver(text, gold, predicted, sources, resolve_gold)


def _identified_silver(text: str, gold: GoldQuote, predicted: Prediction, sources, resolve_gold=None) -> bool:
    if speaker_case(text, gold, predicted, resolve_gold) not in ("mention", "name", "coref"):
        return False
    if source_kind(text, gold) != "pronoun":
        return True
    referent = silver_referent(text, gold, sources)
    named = predicted.speaker_name
    return referent is None or bool(named and name_words(referent) & name_words(named))


def silver_referent(text: str, gold: GoldQuote, sources: list[tuple[int, int]]) -> str | None:
    """The latest gold Source before this quote's Source that holds a name (a heuristic referent)."""
    if not gold.source:
        return None
    start = gold.source[0][0]
    named = [(s, e) for s, e in sources if e <= start and name_words(text[s:e])]
    return text[slice(*max(named))] if named else None


def speaker_case(
    text: str, gold: GoldQuote, predicted: Prediction, resolve_gold: Callable[[int, int], str | None] | None = None
) -> str:
    """'mention', 'name', 'coref' (correct, by the rule that made it so) or 'wrong' / 'no_prediction'."""
    if predicted.speaker_mention is None and predicted.speaker_name is None:
        return "no_prediction"
    if predicted.speaker_mention is not None:
        p_start, p_end = predicted.speaker_mention
        if any(s < p_end and p_start < e for s, e in gold.source):
            return "mention"
    gold_text = " ".join(text[s:e] for s, e in gold.source)
    gold_names = name_words(gold_text)
    if gold_names:
        if predicted.speaker_name and gold_names & name_words(predicted.speaker_name):
            return "name"
        return "wrong"
    if resolve_gold is not None and predicted.entity_id is not None and gold.source:
        s, e = gold.source[0]
        if resolve_gold(s, e) == predicted.entity_id:
            return "coref"
    return "wrong"


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    unmarked_predicted: int = 0
    speaker_scored: int = 0
    cases: dict[str, int] = field(default_factory=dict)
    # Per class of gold Source: [scored, correct]; per confidence bin: [count, correct, sum of confidence].
    by_kind: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in SOURCE_KINDS})
    # Per confidence bin: [count, right (gold referents where annotated), sum of confidence, right (silver)].
    bins: list[list[float]] = field(default_factory=lambda: [[0, 0, 0.0, 0] for _ in CONFIDENCE_BINS])
    silver: list[int] = field(default_factory=lambda: [0, 0])  # pronoun quotes given a name: [agreeing, total]
    # Pronoun quotes with a gold referent, by referent_case ('right', 'abstained', 'wrong', 'abstained_right').
    referent_cases: dict[str, int] = field(default_factory=dict)

    def add(
        self, text: str, gold: list[GoldQuote], predicted: Iterable[Prediction], resolve_gold=None,
        sources: list[tuple[int, int]] | None = None, referents: Referents | None = None,
    ) -> None:
        """One article. `sources`: every gold Source span of the article (for the silver pronoun referent);
        `referents`: the article's gold pronoun referents (load_referents), if annotated."""
        predicted = list(predicted)
        marked = [p for p in predicted if p.kind in ("full", "partial")]
        self.unmarked_predicted += len(predicted) - len(marked)
        self.gold += len(gold)
        self.predicted += len(marked)
        pairs = match(text, gold, marked)
        self.matched += len(pairs)
        for g, p in pairs:
            if not g.source:
                continue
            self.speaker_scored += 1
            case = speaker_case(text, g, p, resolve_gold)
            self.cases[case] = self.cases.get(case, 0) + 1
            correct = case in ("mention", "name", "coref")
            kind = source_kind(text, g)
            self.by_kind[kind][0] += 1
            self.by_kind[kind][1] += correct
            if kind == "pronoun":
                referent = referent_of(g, referents)
                if referent is not NO_REFERENT:
                    case = referent_case(referent, p)
                    self.referent_cases[case] = self.referent_cases.get(case, 0) + 1
                if sources is not None:
                    silver = silver_referent(text, g, sources)
                    if silver is not None and p.speaker_name:
                        self.silver[1] += 1
                        self.silver[0] += bool(name_words(silver) & name_words(p.speaker_name))
            right = identified(text, g, p, sources or [], resolve_gold, referents)
            right_silver = _identified_silver(text, g, p, sources or [], resolve_gold)
            position = min(bisect.bisect_right(CONFIDENCE_BINS, p.confidence), len(CONFIDENCE_BINS) - 1)
            self.bins[position][0] += 1
            self.bins[position][1] += right
            self.bins[position][2] += p.confidence
            self.bins[position][3] += right_silver

    def scores(self) -> dict[str, float]:
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        correct = sum(self.cases.get(c, 0) for c in ("mention", "name", "coref"))
        result = {
            "quote_precision": precision,
            "quote_recall": recall,
            "quote_f1": f1,
            "speaker_accuracy": correct / self.speaker_scored if self.speaker_scored else 0.0,
        }
        for kind, (scored, right) in self.by_kind.items():
            result[f"speaker_accuracy_{kind}"] = right / scored if scored else 0.0
        total = sum(b[0] for b in self.bins)
        for metric, right in (("speaker_ece", 1), ("speaker_ece_silver", 3)):
            result[metric] = sum(
                b[0] / total * abs(b[right] / b[0] - b[2] / b[0]) for b in self.bins if b[0]
            ) if total else 0.0
        result["speaker_pronoun_silver_agreement"] = self.silver[0] / self.silver[1] if self.silver[1] else 0.0
        checked = sum(self.referent_cases.values())
        if checked:
            cases = self.referent_cases
            right = cases.get("right", 0) + cases.get("abstained_right", 0)
            result["speaker_accuracy_pronoun_referent"] = right / checked
            result["speaker_pronoun_abstained"] = cases.get("abstained", 0) / checked
            result["speaker_pronoun_wrong_name"] = cases.get("wrong", 0) / checked
            # The same harm as a floor the gate can pin (the gate pins floors; a share of wrong names is a ceiling).
            result["speaker_pronoun_not_wrong"] = 1 - result["speaker_pronoun_wrong_name"]
        return result

    def reliability_table(self) -> list[dict[str, float]]:
        """Per confidence bin: its range, count, mean confidence and speaker accuracy."""
        table = []
        for index, (count, right, confidence_sum, _) in enumerate(self.bins):
            low = CONFIDENCE_BINS[index - 1] if index else 0.0
            table.append({
                "bin": f"[{low:.1f}, {CONFIDENCE_BINS[index]:.1f}{']' if index == len(self.bins) - 1 else ')'}",
                "count": int(count),
                "mean_confidence": round(confidence_sum / count, 4) if count else None,
                "accuracy": round(right / count, 4) if count else None,
            })
        return table

    def counts(self) -> dict[str, int]:
        counts = {
            "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
            "speaker_scored": self.speaker_scored, "unmarked_predicted": self.unmarked_predicted,
        }
        counts.update({f"speaker_case_{k}": v for k, v in sorted(self.cases.items())})
        counts.update({f"speaker_scored_{k}": v[0] for k, v in self.by_kind.items()})
        counts["speaker_pronoun_silver_checked"] = self.silver[1]
        counts["speaker_pronoun_referent_scored"] = sum(self.referent_cases.values())
        counts.update({f"speaker_pronoun_referent_{k}": v for k, v in sorted(self.referent_cases.items())})
        return counts


def predictions_from_quotes(quotes) -> list[Prediction]:
    return [
        Prediction(
            q.start, q.end, q.kind,
            (q.speaker.mention.start, q.speaker.mention.end) if q.speaker and q.speaker.mention else None,
            q.speaker.name or q.speaker.description if q.speaker else None,
            q.speaker.entity_id if q.speaker else None,
            q.confidence,
            q.speaker.name if q.speaker else None,
        )
        for q in quotes
    ]


def evaluate(shared_dir: Path, split: str = "dev", referent_rows: list[dict] | None = None) -> Tally:
    """Score a split: 'dev' (the gate's, with gold referents), 'train' (no gold referents: silver only) or
    'train_sample' (the train articles of eval/gold/polnear_referents_train/, with their gold referents: the
    split rules and the confidence table are fitted on, reported beside dev). `referent_rows`, when given,
    receives one row per scored pronoun quote with a gold referent (`referent_row`)."""
    from newsfacts.annotate.entities import find_entities
    from newsfacts.annotate.nlp import load_nlp
    from newsfacts.annotate.quotes import find_quotes
    from newsfacts.annotate.quotes.coref import SpeakerResolver

    nlp = load_nlp()
    if split == "train_sample":  # the train articles whose pronoun referents are annotated (referents.py)
        referents = load_referents(REFERENTS_TRAIN)
        articles = [a for a in load_dev(shared_dir, "train") if a[0] in referents]
    else:
        articles = load_dev(shared_dir, split)
        referents = load_referents() if split == "dev" else {}
    tally = Tally()
    for (name, text, ann), doc in zip(articles, nlp.pipe(text for _, text, _ in articles)):
        entities = find_entities(doc)
        resolver = SpeakerResolver(doc, entities)

        def resolve_gold(start: int, end: int, doc=doc, resolver=resolver) -> str | None:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                return None
            return resolver.speaker(start, end, span.root).entity_id

        spans, _ = parse_brat(ann)
        sources = sorted(f[0] for label, f in spans.values() if label == "Source" and f)
        keys: dict[tuple[int, int], tuple[str, str]] = {}
        predictions = predictions_from_quotes(find_quotes(doc, entities, keys))
        gold = gold_quotes(text, ann)
        tally.add(text, gold, predictions, resolve_gold, sources, referents.get(name))
        if referent_rows is not None:
            marked = [p for p in predictions if p.kind in ("full", "partial")]
            for g, p in match(text, gold, marked):
                referent = referent_of(g, referents.get(name)) if g.source else NO_REFERENT
                if referent is not NO_REFERENT and source_kind(text, g) == "pronoun":
                    referent_rows.append(referent_row(name, text, g, p, referent, keys.get((p.start, p.end))))
    return tally


def referent_row(article: str, text: str, gold: GoldQuote, predicted: Prediction, referent: str | None,
                 key: tuple[str, str] | None) -> dict:
    """One scored pronoun quote for reading: its case, the gold referent, the name given and the evidence behind
    it (route, evidence: annotate/quotes/confidence.py), and the text leading up to the pronoun."""
    start, end = gold.source[0]
    return {
        "article": article, "case": referent_case(referent, predicted), "source": [start, end, text[start:end]],
        "referent": referent, "predicted": predicted.resolved_name,
        "mention": text[slice(*predicted.speaker_mention)] if predicted.speaker_mention else None,
        "route_evidence": list(key) if key else None, "confidence": round(predicted.confidence, 3),
        "quote": text[gold.start:gold.end][:80], "before": text[max(0, start - 600):start],
    }


def _print_referent_rows(rows: list[dict], everything: bool) -> None:
    for row in rows:
        if everything or row["case"] in ("wrong", "abstained"):
            before = row.pop("before")
            print(json.dumps(row, ensure_ascii=False))
            print("   ..." + before.replace("\n", " / ")[-600:] + f" [[{row['source'][2]}]]\n")


def score(shared_dir: Path) -> dict[str, float]:
    """Quote precision/recall/F1 and speaker accuracy on PolNeAR dev (definitions in the module docstring)."""
    # Only rates are returned: the gate pins every returned metric as a floor, which counts must not be.
    return evaluate(shared_dir).scores()


if __name__ == "__main__":  # python -m newsfacts.evaluation.quotes [dev|train|train_sample] [--errors|--referents]
    import argparse

    from newsfacts.evaluation import shared_dir as _shared_dir

    _parser = argparse.ArgumentParser(prog="python -m newsfacts.evaluation.quotes",
                                      description="Scores, counts and the reliability table of a PolNeAR split.")
    _parser.add_argument("split", nargs="?", default="dev", choices=("dev", "train", "train_sample"))
    _listing = _parser.add_mutually_exclusive_group()
    _listing.add_argument("--errors", action="store_true",
                          help="also list the pronoun quotes given a wrong name or none (train_sample only)")
    _listing.add_argument("--referents", action="store_true",
                          help="also list every scored pronoun quote with its gold referent (train_sample only)")
    _args = _parser.parse_args()
    if (_args.errors or _args.referents) and _args.split != "train_sample":
        # Rules are fitted on the train sample; dev is a measurement, its errors are not read for rules.
        _parser.error("--errors / --referents list the train sample's quotes only (dev is measured, not read)")
    _rows: list[dict] | None = [] if _args.errors or _args.referents else None
    _tally = evaluate(_shared_dir(), _args.split, _rows)
    print(json.dumps({**_tally.scores(), **_tally.counts(), "reliability": _tally.reliability_table()}, indent=2))
    if _rows is not None:
        _print_referent_rows(_rows, _args.referents)
