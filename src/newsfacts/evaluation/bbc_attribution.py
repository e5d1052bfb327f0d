"""Quotes, speakers and figures on the hand-annotated BBC attribution set (``eval/gold/bbc30``).

Gold. One JSON file per article in ``eval/gold/bbc30/annotations/`` (guide: ``eval/gold/bbc30/GUIDE.md``),
made by hand from the raw BBC files without looking at newsfacts' output. Every gold span indexes the raw
file as the reader decodes it; the file's bytes must match the sha256 recorded with the annotation. Whatever
annotation files exist are scored; ``articles`` says how many.

System. Each article goes through ``newsfacts.pipeline.process`` as the build reads a ``.txt`` file
(``retention.raw_document``). System spans index the cleaned text; they are mapped to raw offsets line by
line (a BBC file's cleaned text keeps every line, so each line of the text is found in the raw text in
order). A system item that cannot be mapped is not dropped: it stays a prediction that matches nothing and
is counted in ``unmapped_items``.

Quotes: a system quote and a gold quote match when they share at least half of each one's word tokens,
one-to-one, largest overlap first (``quotes.match``, the PolNeAR scorer's rule); every kind is scored.

Speakers, over matched quotes whose gold has a speaker mention, split by the gold mention's kind:
``named`` (a name), ``pronoun`` (judged against the true referent), ``title`` (title or description) and
``organization``. The system's speaker is right when

* the gold speaker has a name (for a pronoun/title/description, its referent): the system's resolved name
  holds the gold name's last word (case-insensitive: "Mr Flynn" and "Jeremy Flynn" both identify "Jeremy
  Flynn"); for an organisation, also when the system's mention overlaps the gold mention;
* the gold speaker has no name (a pronoun or description whose referent the article never names): the
  system gives no name and its mention overlaps the gold mention (it attributes the words to that
  unnamed person and names nobody).

Quotes whose gold has no speaker at all are reported apart (``quote_unattributed_*``), not in the accuracy.

Figures: a system figure matches a gold figure when their spans overlap, one-to-one, largest character
overlap first (a figure's boundaries vary more than its number: "around an 80%" against "80%").
``figure_exact_span_*`` counts exact span equality (informative). On matched figures: ``figure_value_accuracy``
(value and value_max equal within a relative 1e-3, so a written 0.6667 matches two thirds),
``figure_kind_accuracy`` and ``figure_unit_accuracy``: same kind and a matching unit, normalised as
``figures._normalise_unit`` does (case, spelling, plural); a count matches on the counted noun's head (the
last word), money on the currency code and its "per" denominator, percent and bare numbers on kind alone.

    python -m newsfacts.evaluation.bbc_attribution          # scores, then every disagreement per article
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
import sys
import tarfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsfacts.evaluation import REPO_ROOT
from newsfacts.evaluation.figures import _normalise_unit
from newsfacts.evaluation.quotes import match as match_by_tokens
from newsfacts.evaluation.quotes import one_to_one

GOLD_DIR = REPO_ROOT / "eval" / "gold" / "bbc30"
CORPUS = Path("corpora") / "bbc-2225.tar.gz"
VALUE_REL_TOL = 1e-3
MENTION_CLASSES = {"name": "named", "pronoun": "pronoun", "title": "title", "description": "title",
                   "organization": "organization"}
SPEAKER_CLASSES = ("named", "pronoun", "title", "organization")


# ---- items on both sides, in raw coordinates -------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class QuoteItem:
    start: int
    end: int
    text: str
    kind: str
    speaker_name: str | None = None
    mention: Span | None = None
    mention_kind: str | None = None


@dataclass
class FigureItem:
    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    kind: str
    unit: str | None


@dataclass
class ArticleItems:
    quotes: list[QuoteItem] = field(default_factory=list)
    figures: list[FigureItem] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


def gold_items(record: dict) -> ArticleItems:
    items = ArticleItems()
    for q in record["quotes"]:
        speaker = q["speaker"]
        mention = speaker["mention"]
        items.quotes.append(QuoteItem(
            q["start"], q["end"], q["text"], q["kind"],
            speaker["name"], Span(mention["start"], mention["end"]) if mention else None, speaker["kind"]))
    for f in record["figures"]:
        items.figures.append(FigureItem(f["start"], f["end"], f["text"], f["value"], f["value_max"], f["kind"], f["unit"]))
    return items


@dataclass(frozen=True)
class _Segment:
    text_start: int
    text_end: int
    raw_start: int
    raw_end: int
    exact: bool  # characters correspond one to one; else a repair, mapped as a whole


class RawMap:
    """Cleaned-text offsets -> raw offsets, line by line.

    Each line of the text is found in the raw text after the previous one, with the cleaner's repairs inside
    it undone first ("ground rules" is "groundrules" in the raw file): the characters around a repair map one
    to one, a repair's text maps to the whole raw text it replaced. A line that cannot be found maps nothing.
    """

    def __init__(self, raw: str, text: str, repairs: Iterable = ()):
        placed = sorted((r for r in repairs if r.start is not None and r.end is not None), key=lambda r: r.start)
        self._segments: list[_Segment] = []
        cursor = 0
        for match in re.finditer(r"[^\n]+", text):
            inside = [r for r in placed if match.start() <= r.start and r.end <= match.end()]
            original, at = match.group(), match.start()
            for repair in reversed(inside):
                offset = repair.start - at
                original = original[:offset] + repair.before + original[offset + repair.end - repair.start:]
            found = raw.find(original, cursor)
            if found < 0:
                continue
            t, r = match.start(), found
            for repair in inside:
                self._segments.append(_Segment(t, repair.start, r, r + repair.start - t, True))
                r += repair.start - t
                self._segments.append(_Segment(repair.start, repair.end, r, r + len(repair.before), False))
                r, t = r + len(repair.before), repair.end
            self._segments.append(_Segment(t, match.end(), r, r + match.end() - t, True))
            cursor = found + len(original)
        self._starts = [segment.text_start for segment in self._segments]

    def _segment(self, offset: int) -> _Segment | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0 or offset >= self._segments[index].text_end:
            return None
        return self._segments[index]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Raw (start, end) of text[start:end], or None when an end falls outside the mapped lines."""
        first, last = self._segment(start), self._segment(max(start, end - 1))
        if first is None or last is None:
            return None
        raw_start = first.raw_start + (start - first.text_start) if first.exact else first.raw_start
        raw_end = last.raw_start + (end - last.text_start) if last.exact else last.raw_end
        return raw_start, raw_end


def system_items(raw: str, article) -> ArticleItems:
    """The article's quotes and figures (article text only, not captions) in raw coordinates."""
    mapping = RawMap(raw, article.text, article.repairs)
    items = ArticleItems()
    for q in article.quotes:
        span = mapping.span(q.start, q.end)
        if span is None:
            items.unmapped.append(f"quote {q.text!r}")
            items.quotes.append(QuoteItem(-1, -1, q.text, q.kind))  # matches nothing
            continue
        speaker = q.speaker
        mention = None
        if speaker and speaker.mention:
            mapped = mapping.span(speaker.mention.start, speaker.mention.end)
            if mapped is None:
                items.unmapped.append(f"speaker mention {speaker.mention.text!r}")
            else:
                mention = Span(*mapped)
        items.quotes.append(QuoteItem(span[0], span[1], q.text, q.kind, speaker.name if speaker else None,
                                      mention, speaker.kind if speaker else None))
    for f in article.figures:
        if f.caption is not None:
            continue  # BBC text files have no captions; a caption figure would point into the caption
        span = mapping.span(f.start, f.end)
        if span is None:
            items.unmapped.append(f"figure {f.text!r}")
            items.figures.append(FigureItem(-1, -1, f.text, f.value, f.value_max, f.kind, f.unit))
            continue
        items.figures.append(FigureItem(span[0], span[1], f.text, f.value, f.value_max, f.kind, f.unit))
    return items


# ---- judging ---------------------------------------------------------------------------------------------


def overlaps(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def _words(name: str | None) -> list[str]:
    return re.findall(r"\w+", (name or "").lower())


def speaker_correct(gold: QuoteItem, predicted: QuoteItem) -> bool:
    """Whether the system's speaker is the gold speaker (see the module docstring)."""
    if gold.speaker_name is None:
        return predicted.speaker_name is None and overlaps(gold.mention, predicted.mention)
    gold_words = [w for w in _words(gold.speaker_name) if w != "the"]
    if gold_words and gold_words[-1] in _words(predicted.speaker_name):
        return True
    return gold.mention_kind == "organization" and overlaps(gold.mention, predicted.mention)


def match_figures(gold: list[FigureItem], predicted: list[FigureItem]) -> list[tuple[FigureItem, FigureItem]]:
    """One-to-one pairs of overlapping spans, largest character overlap first."""
    candidates = []
    for g_index, g in enumerate(gold):
        for p_index, p in enumerate(predicted):
            shared = min(g.end, p.end) - max(g.start, p.start)
            if shared > 0:
                candidates.append((shared, g_index, p_index))
    return one_to_one(candidates, gold, predicted)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=VALUE_REL_TOL, abs_tol=1e-9)


def value_correct(gold: FigureItem, predicted: FigureItem) -> bool:
    return _close(gold.value, predicted.value) and _close(gold.value_max, predicted.value_max)


def unit_correct(gold: FigureItem, predicted: FigureItem) -> bool:
    if gold.kind != predicted.kind:
        return False
    if gold.kind in ("percent", "percentage_points", "number"):
        return True
    ours = _normalise_unit(predicted.unit or "")
    theirs = _normalise_unit(gold.unit or "")
    if gold.kind == "count":  # the counted noun's head
        return bool(ours) and ours.split()[-1] == theirs.split()[-1]
    return ours == theirs


# ---- tallying --------------------------------------------------------------------------------------------


@dataclass
class Tally:
    articles: int = 0
    counts: Counter = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)

    def add(self, name: str, raw: str, gold: ArticleItems, predicted: ArticleItems) -> None:
        self.articles += 1
        c = self.counts
        note = self.disagreements.append
        c["unmapped_items"] += len(predicted.unmapped)
        for what in predicted.unmapped:
            note(f"{name}: UNMAPPED {what}")
        # quotes
        placed = [q for q in predicted.quotes if q.start >= 0]
        pairs = match_by_tokens(raw, gold.quotes, placed)
        c["quote_gold"] += len(gold.quotes)
        c["quote_predicted"] += len(predicted.quotes)
        c["quote_matched"] += len(pairs)
        matched_gold = {id(g) for g, _ in pairs}
        matched_pred = {id(p) for _, p in pairs}
        for g in gold.quotes:
            c[f"quote_gold_{g.kind}"] += 1
            if id(g) in matched_gold:
                c[f"quote_matched_{g.kind}"] += 1
            else:
                note(f"{name}: MISSED quote ({g.kind}) {g.text[:70]!r}")
        for p in predicted.quotes:
            if id(p) not in matched_pred:
                note(f"{name}: SPURIOUS quote ({p.kind}) {p.text[:70]!r}")
        for g, p in pairs:
            if g.mention is None:
                c["quote_unattributed_matched"] += 1
                c["quote_unattributed_system_named"] += p.speaker_name is not None
                continue
            cls = MENTION_CLASSES[g.mention_kind]
            right = speaker_correct(g, p)
            c[f"speaker_{cls}"] += 1
            c[f"speaker_{cls}_correct"] += right
            if not right:
                note(f"{name}: SPEAKER ({cls}) gold {g.speaker_name!r} system {p.speaker_name!r} "
                     f"[{p.mention_kind}] for {g.text[:50]!r}")
        # figures
        placed_figures = [f for f in predicted.figures if f.start >= 0]
        figure_pairs = match_figures(gold.figures, placed_figures)
        c["figure_gold"] += len(gold.figures)
        c["figure_predicted"] += len(predicted.figures)
        c["figure_matched"] += len(figure_pairs)
        c["figure_exact_span"] += sum(g.start == p.start and g.end == p.end for g, p in figure_pairs)
        matched_gold = {id(g) for g, _ in figure_pairs}
        matched_pred = {id(p) for _, p in figure_pairs}
        for g in gold.figures:
            if id(g) not in matched_gold:
                note(f"{name}: MISSED figure {g.text!r} ({g.value} {g.kind} {g.unit})")
        for p in predicted.figures:
            if id(p) not in matched_pred:
                note(f"{name}: SPURIOUS figure {p.text!r} ({p.value} {p.kind} {p.unit})")
        for g, p in figure_pairs:
            good_value, good_unit = value_correct(g, p), unit_correct(g, p)
            c["figure_value_correct"] += good_value
            c["figure_kind_correct"] += g.kind == p.kind
            c["figure_unit_correct"] += good_unit
            if not (good_value and good_unit):
                note(f"{name}: FIGURE {g.text!r} gold {g.value}-{g.value_max} {g.kind} {g.unit!r} | system "
                     f"{p.text!r} {p.value}-{p.value_max} {p.kind} {p.unit!r}")

    def scores(self) -> dict[str, float]:
        c = self.counts

        def ratio(num: float, den: float) -> float:
            return num / den if den else 0.0

        def prf(prefix: str, matched: int, predicted: int, gold: int) -> dict[str, float]:
            p, r = ratio(matched, predicted), ratio(matched, gold)
            return {f"{prefix}_precision": p, f"{prefix}_recall": r, f"{prefix}_f1": ratio(2 * p * r, p + r)}

        out: dict[str, float] = {"articles": float(self.articles), "unmapped_items": float(c["unmapped_items"])}
        out.update(prf("quote", c["quote_matched"], c["quote_predicted"], c["quote_gold"]))
        out.update({"quote_gold": float(c["quote_gold"]), "quote_predicted": float(c["quote_predicted"])})
        for kind in ("full", "partial"):
            out[f"quote_recall_{kind}"] = ratio(c[f"quote_matched_{kind}"], c[f"quote_gold_{kind}"])
        scored = sum(c[f"speaker_{cls}"] for cls in SPEAKER_CLASSES)
        out["speaker_accuracy"] = ratio(sum(c[f"speaker_{cls}_correct"] for cls in SPEAKER_CLASSES), scored)
        out["speaker_scored"] = float(scored)
        for cls in SPEAKER_CLASSES:
            out[f"speaker_accuracy_{cls}"] = ratio(c[f"speaker_{cls}_correct"], c[f"speaker_{cls}"])
            out[f"speaker_scored_{cls}"] = float(c[f"speaker_{cls}"])
        out["quote_unattributed_matched"] = float(c["quote_unattributed_matched"])
        out.update(prf("figure", c["figure_matched"], c["figure_predicted"], c["figure_gold"]))
        out.update(prf("figure_exact_span", c["figure_exact_span"], c["figure_predicted"], c["figure_gold"]))
        out.update({"figure_gold": float(c["figure_gold"]), "figure_predicted": float(c["figure_predicted"])})
        for what in ("value", "kind", "unit"):
            out[f"figure_{what}_accuracy"] = ratio(c[f"figure_{what}_correct"], c["figure_matched"])
        return out


# ---- corpus, gold and the run ----------------------------------------------------------------------------


def load_gold(gold_dir: Path = GOLD_DIR) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((gold_dir / "annotations").glob("*.json"))]


def raw_texts(shared_dir: Path, records: Iterable[dict]) -> dict[str, str]:
    """path -> the raw file decoded as the reader decodes it; its bytes must match the gold's sha256."""
    from newsfacts.read.decode import decode

    wanted = {r["path"]: r["sha256"] for r in records}
    texts = {}
    with tarfile.open(shared_dir / CORPUS) as archive:
        for member in archive.getmembers():
            if member.name in wanted:
                data = archive.extractfile(member).read()
                if hashlib.sha256(data).hexdigest() != wanted[member.name]:
                    raise ValueError(f"{member.name}: bytes differ from the annotated file (sha256)")
                texts[member.name] = decode(data)[0]
    missing = sorted(set(wanted) - set(texts))
    if missing:
        raise ValueError(f"annotated files missing from the corpus: {', '.join(missing)}")
    return texts


def evaluate(shared_dir: Path, gold_dir: Path = GOLD_DIR) -> Tally:
    from newsfacts.evaluation.retention import raw_document
    from newsfacts.pipeline import Annotators, process

    records = load_gold(gold_dir)
    texts = raw_texts(shared_dir, records)
    annotators = Annotators.load()
    tally = Tally()
    for record in records:
        raw = texts[record["path"]]
        article = process(raw_document(record["path"], raw), annotators)
        tally.add(f"{record['article']:02d} {record['path']}", raw, gold_items(record), system_items(raw, article))
    return tally


def score(shared_dir: Path) -> dict[str, float]:
    scores = evaluate(shared_dir).scores()
    return {k: round(v, 6) for k, v in sorted(scores.items())}


def main() -> int:
    from newsfacts.evaluation import shared_dir

    tally = evaluate(shared_dir())
    print(json.dumps({k: round(v, 4) for k, v in sorted(tally.scores().items())}, indent=1))
    print("\n".join(tally.disagreements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
