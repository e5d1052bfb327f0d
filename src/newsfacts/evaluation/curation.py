"""The automatic pipeline's accuracy against the curated release: what to expect on articles nobody reviewed.

Gold is the curated release: the pipeline's output with every applied correction of the curation file (so
an item nobody corrected counts as right: the review read every item of every curated article). Only the
articles the curation file covers are scored. Items are compared as exact keys, per field:

- ``quotes``: article, span (start, end) and the speaker's resolved name (or, for an unnamed speaker, its
  description);
- ``figures``: article, place (text or caption index), span, value, upper value and unit;
- ``entities``: article, place, mention span and entity type, for every mention;
- ``title``, ``outlet`` (name and domain), ``date`` (ISO value): one value per article; a null value is no
  prediction (it is counted in neither precision nor recall; a null where the curated release has a value is a
  miss, a value where it has null is a false positive).

Precision = correct automatic / automatic; recall = correct automatic / curated.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from newsfacts.curation import CurationFile, apply_curation
from newsfacts.models import Article

FIELDS = ("quotes", "figures", "entities", "title", "outlet", "date")


@dataclass(frozen=True)
class FieldScore:
    field: str
    automatic: int  # items the pipeline produced
    curated: int  # items in the curated release
    correct: int  # items in both

    @property
    def precision(self) -> float | None:
        return self.correct / self.automatic if self.automatic else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.curated if self.curated else None

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "automatic": self.automatic, "curated": self.curated, "correct": self.correct,
                "precision": _round(self.precision), "recall": _round(self.recall)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _quote_keys(a: Article) -> Iterable[Hashable]:
    for q in a.quotes:
        speaker = q.speaker.name or q.speaker.description if q.speaker else None
        yield (a.id, q.start, q.end, speaker)


def _figure_keys(a: Article) -> Iterable[Hashable]:
    for f in a.figures:
        yield (a.id, f.caption, f.start, f.end, f.value, f.value_max, f.unit)


def _entity_keys(a: Article) -> Iterable[Hashable]:
    for e in a.entities:
        for m in e.mentions:
            yield (a.id, m.caption, m.start, m.end, e.type)


def _value_keys(get: Callable[[Article], Hashable | None]) -> Callable[[Article], Iterable[Hashable]]:
    def keys(a: Article) -> Iterable[Hashable]:
        value = get(a)
        if value is not None:
            yield (a.id, value)

    return keys


def _outlet(a: Article) -> Hashable | None:
    return None if a.outlet.name is None and a.outlet.domain is None else (a.outlet.name, a.outlet.domain)


KEYS: dict[str, Callable[[Article], Iterable[Hashable]]] = {
    "quotes": _quote_keys,
    "figures": _figure_keys,
    "entities": _entity_keys,
    "title": _value_keys(lambda a: a.title),
    "outlet": _value_keys(_outlet),
    "date": _value_keys(lambda a: a.date.value),
}


def score_fields(automatic: Sequence[Article], curated: Sequence[Article]) -> list[FieldScore]:
    """Per-field counts of `automatic` against `curated` (the same articles, matched by id)."""
    ids = {a.id for a in curated}
    auto = [a for a in automatic if a.id in ids]
    scores = []
    for name in FIELDS:
        predicted = {k for a in auto for k in KEYS[name](a)}
        gold = {k for a in curated for k in KEYS[name](a)}
        scores.append(FieldScore(name, len(predicted), len(gold), len(predicted & gold)))
    return scores


def score_curation(automatic: Sequence[Article], curation: CurationFile) -> list[FieldScore]:
    """The pipeline's accuracy on the articles `curation` reviewed (curated = automatic + corrections)."""
    curated, _ = apply_curation(automatic, curation)
    reviewed = [a for a in curated if a.id in curation.articles]
    return score_fields(automatic, reviewed)


def accuracy_table(scores: Sequence[FieldScore | dict]) -> str:
    """The scores as a Markdown table (the form DATASHEET.md publishes)."""
    rows = [s.as_dict() if isinstance(s, FieldScore) else s for s in scores]

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    lines = ["| field | compared on | automatic | curated | correct | precision | recall |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['field']} | {COMPARED_ON[r['field']]} | {r['automatic']} | {r['curated']} | "
                     f"{r['correct']} | {pct(r['precision'])} | {pct(r['recall'])} |")
    return "\n".join(lines)


COMPARED_ON = {
    "quotes": "span + speaker",
    "figures": "span + value + unit",
    "entities": "mention span + type",
    "title": "exact",
    "outlet": "name + domain",
    "date": "ISO date",
}


def main(argv: list[str] | None = None) -> int:
    """Extract the input folder without curation, score against the curation file, print the table."""
    import argparse
    from pathlib import Path

    from newsfacts.build import extract_folder
    from newsfacts.curation import load_curation

    parser = argparse.ArgumentParser(prog="python -m newsfacts.evaluation.curation", description=main.__doc__)
    parser.add_argument("--input", type=Path, default=Path("seeds"))
    parser.add_argument("--curation", type=Path, default=Path("curation/seeds.yaml"))
    args = parser.parse_args(argv)
    loaded = load_curation(args.curation)
    articles = extract_folder(args.input)
    print(accuracy_table(score_curation(articles, loaded.curation)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
