"""The BBC attribution scorer: raw-offset mapping, quote/figure matching, speaker and unit judgements, and the
committed gold itself (every span is the raw text it names; the JSON is what the compact files build)."""

from __future__ import annotations

import importlib.util
import json
import os
from types import SimpleNamespace

import pytest

from newsfacts import evaluation
from newsfacts.evaluation.bbc_attribution import (
    GOLD_DIR, FigureItem, QuoteItem, RawMap, Span, ArticleItems, Tally, load_gold, match_figures, raw_texts,
    speaker_correct, unit_correct, value_correct)


def _repair(before: str, after: str, start: int) -> SimpleNamespace:
    return SimpleNamespace(before=before, after=after, start=start, end=start + len(after))


# ---- mapping system spans to raw offsets -------------------------------------------------------------------


def test_map_is_identity_when_the_text_is_the_raw_file():
    raw = "Title\n\nFirst line.\n\nSecond line.\n"
    mapping = RawMap(raw, raw.rstrip("\n"))
    assert mapping.span(7, 12) == (7, 12)
    assert mapping.span(20, 26) == (20, 26)


def test_map_skips_raw_lines_the_cleaner_removed():
    raw = "Title\n\nAdvert: buy now\n\nThe story goes on.\n"
    text = "Title\n\nThe story goes on."
    start = text.index("story")
    assert RawMap(raw, text).span(start, start + 5) == (raw.index("story"), raw.index("story") + 5)


def test_map_undoes_repairs_inside_a_line():
    raw = "T\n\nThe groundrules must be applied, he said.\n"
    text = "T\n\nThe ground rules must be applied, he said."
    repairs = [_repair("groundrules", "ground rules", text.index("ground rules"))]
    mapping = RawMap(raw, text, repairs)
    said = text.index("said")
    assert mapping.span(said, said + 4) == (raw.index("said"), raw.index("said") + 4)  # after the repair
    whole = mapping.span(text.index("The"), text.index(", he"))
    assert raw[whole[0] : whole[1]] == "The groundrules must be applied"
    assert RawMap(raw, text).span(said, said + 4) is None  # without the repair the line is not found


def test_map_refuses_spans_outside_mapped_lines():
    raw = "Title\n\nBody.\n"
    text = "Title\n\nBody.\n\nA line the raw file does not have."
    assert RawMap(raw, text).span(text.index("A line"), len(text)) is None


# ---- judgements -------------------------------------------------------------------------------------------


def _quote(name, mention=None, kind=None, start=0, end=10):
    return QuoteItem(start, end, "x", "full", name, Span(*mention) if mention else None, kind)


def test_named_speaker_matches_on_the_surname_and_fails_on_another_person():
    gold = _quote("Jeremy Flynn", (50, 58), "name")
    assert speaker_correct(gold, _quote("Jeremy Flynn"))
    assert speaker_correct(gold, _quote("Mr Flynn"))
    assert not speaker_correct(gold, _quote("Andrew Bud", (50, 58)))  # right mention, wrong person
    assert not speaker_correct(gold, _quote(None, (50, 58)))


def test_pronoun_is_judged_against_its_referent():
    gold = _quote("Emilio Butragueno", (40, 42), "pronoun")
    assert speaker_correct(gold, _quote("Emilio Butragueno", (40, 42), "pronoun"))
    assert not speaker_correct(gold, _quote("Jose Luis Astiazaran", (40, 42), "pronoun"))
    assert not speaker_correct(gold, _quote(None, (40, 42), "pronoun"))  # kept the pronoun: names nobody


def test_unnamed_speaker_needs_no_name_and_the_same_mention():
    gold = _quote(None, (30, 45), "description")  # "a spokesman", never named
    assert speaker_correct(gold, _quote(None, (30, 41), "description"))
    assert not speaker_correct(gold, _quote(None, (60, 70), "description"))
    assert not speaker_correct(gold, _quote("Tony Blair", (30, 45), "name"))


def test_organisation_matches_by_name_or_by_its_mention():
    gold = _quote("State Administration of Radio, Film and Television", (10, 19), "organization")
    assert speaker_correct(gold, _quote("SARFT", (14, 19), "organization"))
    assert not speaker_correct(gold, _quote("SARFT", (80, 85), "organization"))


def _figure(start, end, value=1.0, kind="count", unit="people", value_max=None):
    return FigureItem(start, end, "x", value, value_max, kind, unit)


def test_figures_match_one_to_one_by_largest_overlap():
    gold = [_figure(0, 10), _figure(20, 25)]
    wide, narrow, elsewhere = _figure(0, 12), _figure(8, 11), _figure(40, 45)
    pairs = match_figures(gold, [narrow, wide, elsewhere])
    assert [(g.start, p.start) for g, p in pairs] == [(0, 0)]  # wide wins; narrow is left unmatched


def test_values_and_units():
    assert value_correct(_figure(0, 1, 0.6667, "number", None), _figure(0, 1, 2 / 3, "number", None))
    assert not value_correct(_figure(0, 1, 5), _figure(0, 1, 6))
    assert not value_correct(_figure(0, 1, 2.5, value_max=4), _figure(0, 1, 2.5))
    assert unit_correct(_figure(0, 1, unit="pirated dvds"), _figure(0, 1, unit="DVDs"))
    assert not unit_correct(_figure(0, 1, unit="pirated dvds"), _figure(0, 1, unit="films"))
    assert not unit_correct(_figure(0, 1, unit="votes"), _figure(0, 1, kind="number", unit=None))
    assert unit_correct(_figure(0, 1, kind="money", unit="GBP per month"), _figure(0, 1, kind="money", unit="GBP per month"))
    assert not unit_correct(_figure(0, 1, kind="money", unit="cent"), _figure(0, 1, kind="money", unit="EUR"))
    assert unit_correct(_figure(0, 1, kind="measure", unit="year"), _figure(0, 1, kind="measure", unit="years"))


def test_tally_counts_misses_spurious_and_unmapped_items():
    raw = 'T\n\n"We are happy," he said. "And proud of the team," he added. Sales rose 10% to £5m.\n'
    gold = ArticleItems(
        quotes=[QuoteItem(raw.index("We"), raw.index(',"'), "We are happy", "full", "Al Smith", Span(raw.index("he said"), raw.index("he said") + 2), "pronoun"),
                QuoteItem(raw.index("And"), raw.index('," he added'), "And proud of the team", "full", "Al Smith", Span(raw.index("he added"), raw.index("he added") + 2), "pronoun")],
        figures=[_figure(raw.index("10%"), raw.index("10%") + 3, 10, "percent", "percent"),
                 _figure(raw.index("£5m"), raw.index("£5m") + 3, 5e6, "money", "GBP")])
    predicted = ArticleItems(
        quotes=[QuoteItem(raw.index("We"), raw.index(',"'), "We are happy", "full", "Al Smith", None, "pronoun"),
                QuoteItem(-1, -1, "unplaceable", "full")],
        figures=[_figure(raw.index("10%"), raw.index("10%") + 3, 10, "percent", "percent"),
                 _figure(raw.index("£5m"), raw.index("£5m") + 3, 5, "money", "USD")],
        unmapped=["quote 'unplaceable'"])
    tally = Tally()
    tally.add("a", raw, gold, predicted)
    scores = tally.scores()
    assert scores["quote_precision"] == 0.5 and scores["quote_recall"] == 0.5
    assert scores["speaker_accuracy_pronoun"] == 1.0 and scores["speaker_scored_pronoun"] == 1
    assert scores["figure_f1"] == 1.0
    assert scores["figure_value_accuracy"] == 0.5 and scores["figure_unit_accuracy"] == 0.5
    assert scores["unmapped_items"] == 1
    assert any("MISSED quote" in line for line in tally.disagreements)


# ---- the committed gold -------------------------------------------------------------------------------------


def _corpus_or_skip():
    shared = evaluation.shared_dir()
    if not (shared / "corpora" / "bbc-2225.tar.gz").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"BBC corpus not found under {shared} (set NEWSFACTS_SHARED)")
        pytest.skip(f"BBC corpus not found under {shared}")
    return shared


def _records() -> list[dict]:
    first = load_gold()
    second = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((GOLD_DIR / "agreement").glob("*.json"))]
    return first + second


def test_every_gold_span_is_the_raw_text_it_names():
    shared = _corpus_or_skip()
    records = _records()
    assert len(load_gold()) >= 15
    texts = raw_texts(shared, records)  # also checks each file's sha256
    problems = []
    for record in records:
        raw = texts[record["path"]]
        spans = [(q, "quote") for q in record["quotes"]] + [(f, "figure") for f in record["figures"]]
        spans += [(q["speaker"]["mention"], "mention") for q in record["quotes"] if q["speaker"]["mention"]]
        for span, what in spans:
            if raw[span["start"] : span["end"]] != span["text"]:
                problems.append(f"{record['article']} {what} {span['text']!r}")
    assert not problems, problems


def test_committed_json_is_what_the_compact_files_build(tmp_path):
    shared = _corpus_or_skip()
    spec = importlib.util.spec_from_file_location("bbc30_annotate", GOLD_DIR / "annotate.py")
    annotate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(annotate)
    for compact_dir, committed in ((GOLD_DIR / "compact", GOLD_DIR / "annotations"),
                                   (GOLD_DIR / "agreement" / "compact", GOLD_DIR / "agreement")):
        for path in sorted(compact_dir.glob("*.yaml")):
            built = annotate.build_one(path, tmp_path / committed.name, shared)
            assert built.read_text(encoding="utf-8") == (committed / built.name).read_text(encoding="utf-8"), path
