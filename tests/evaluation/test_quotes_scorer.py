"""The quotes scorer on tiny hand-made cases: gold derivation, matching, speaker cases."""

from __future__ import annotations

import pytest

from newsfacts.evaluation.quotes import (
    GoldQuote, Prediction, Tally, double_quoted_stretches, gold_quotes, identified, load_referents, match, parse_brat,
    silver_referent, source_kind, speaker_case,
)

TEXT = 'He called it "a disaster" yesterday.\n\n"We will win," Jane Roe said. The "Big Apple" is lovely.'
#       0123456789012345678901234567890123456789
ANN = "\n".join([
    "T1\tSource 0 2\tHe", "T2\tCue 3 9\tcalled", "T3\tContent 10 25\tit \"a disaster\"",
    "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
    "T5\tContent 38 52\t\"We will win,\"", "T6\tSource 53 61\tJane Roe", "T7\tCue 62 66\tsaid",
    "E2\tAttribution:T8 Source:T6 Cue:T7 Content:T5",
])


def test_parse_brat_reads_fragments_and_roles():
    spans, relations = parse_brat("T1\tContent 1 3;5 9\tab cdef\nE1\tAttribution:T2 Content:T1")
    assert spans["T1"] == ("Content", [(1, 3), (5, 9)])
    assert relations == [{"Attribution": "T2", "Content": "T1"}]


def test_gold_is_marked_content_only():
    gold = gold_quotes(TEXT, ANN)
    assert [TEXT[g.start : g.end] for g in gold] == ["a disaster", "We will win,"]  # "Big Apple": no Content
    assert [TEXT[s:e] for s, e in gold[1].source] == ["Jane Roe"]


def test_multi_paragraph_quote_reopened():
    text = '"First part.\n\n"Second part," she said.'
    assert [text[s:e] for s, e in double_quoted_stretches(text)] == ["First part.", "Second part,"]


def test_mistyped_curly_closer_still_closes():
    # '“... 51 percent.“' (an opening mark typed for the closing one) must not drop the quote from the gold,
    # while a “ after a space still opens.
    text = "Sanders said:\n“The rate is 51 percent.“\nThen “Mostly True” was the verdict."
    assert [text[s:e] for s, e in double_quoted_stretches(text)] == ["The rate is 51 percent.", "Mostly True"]


def test_match_needs_half_of_both_sides():
    gold = [GoldQuote(0, 20)]
    text = "one two three four five six seven"
    assert match(text, gold, [Prediction(0, 13, "full", None, None, None)])  # 3 of 4 gold words
    assert not match(text, gold, [Prediction(0, 7, "full", None, None, None)])  # 2 of 4: too little
    assert not match(text, [GoldQuote(0, 7)], [Prediction(0, 33, "full", None, None, None)])  # too long


def test_speaker_cases():
    text = "Jane Roe spoke. She said it."
    gold_name = GoldQuote(0, 0, [(0, 8)])
    gold_pronoun = GoldQuote(0, 0, [(16, 19)])
    assert speaker_case(text, gold_name, Prediction(0, 0, "full", (5, 8), "Jane Roe", None)) == "mention"
    assert speaker_case(text, gold_name, Prediction(0, 0, "full", (16, 19), "Jane Roe", None)) == "name"
    assert speaker_case(text, gold_name, Prediction(0, 0, "full", (16, 19), "Bob Smith", None)) == "wrong"
    assert speaker_case(text, gold_name, Prediction(0, 0, "full", None, None, None)) == "no_prediction"
    same = Prediction(0, 0, "full", (0, 8), "Jane Roe", "e1")
    assert speaker_case(text, gold_pronoun, same, lambda s, e: "e1") == "coref"
    assert speaker_case(text, gold_pronoun, same, lambda s, e: "e2") == "wrong"


def test_tally_scores_and_ignores_unmarked_kinds():
    tally = Tally()
    gold = gold_quotes(TEXT, ANN)
    tally.add(TEXT, gold, [
        Prediction(14, 24, "partial", (0, 2), None, None),
        Prediction(39, 50, "full", (53, 61), "Jane Roe", None),
        Prediction(67, 80, "unmarked", None, None, None),
    ])
    scores = tally.scores()
    assert scores["quote_precision"] == 1.0 and scores["quote_recall"] == 1.0
    assert scores["speaker_accuracy"] == 1.0 and tally.unmarked_predicted == 1
    tally.add(TEXT, gold, [Prediction(72, 81, "full", None, None, None)])
    assert tally.scores()["quote_precision"] == 2 / 3


def test_source_kind_classes():
    text = "She said. Jane Roe said. The minister said. Officials who spoke said."
    assert source_kind(text, GoldQuote(0, 0, [(0, 3)])) == "pronoun"
    assert source_kind(text, GoldQuote(0, 0, [(10, 18)])) == "named"
    assert source_kind(text, GoldQuote(0, 0, [(25, 37)])) == "title"


def test_accuracy_by_source_kind_and_silver_referent():
    text = 'Jane Roe spoke. "We will win," she said. "No," Bob Smith said.'
    gold = [GoldQuote(17, 29, [(31, 34)]), GoldQuote(42, 45, [(47, 56)])]
    sources = [(0, 8), (31, 34), (47, 56)]
    assert silver_referent(text, gold[0], sources) == "Jane Roe"
    tally = Tally()
    tally.add(text, gold, [
        Prediction(17, 29, "full", (31, 34), "Bob Smith", None, 0.5),   # right mention, name against silver
        Prediction(42, 45, "full", (0, 8), "Jane Roe", None, 0.9),       # wrong person
    ], sources=sources)
    scores = tally.scores()
    assert scores["speaker_accuracy_pronoun"] == 1.0 and scores["speaker_accuracy_named"] == 0.0
    assert scores["speaker_pronoun_silver_agreement"] == 0.0


def test_reliability_table_and_ece():
    text = "a b c d e f g h"
    gold = [GoldQuote(0, 1, [(0, 1)]), GoldQuote(2, 3, [(2, 3)]), GoldQuote(4, 5, [(4, 5)]), GoldQuote(6, 7, [(6, 7)])]
    tally = Tally()
    tally.add(text, gold, [
        Prediction(0, 1, "full", (0, 1), None, None, 0.95),   # right, 0.95
        Prediction(2, 3, "full", (8, 9), None, None, 0.95),   # wrong, 0.95
        Prediction(4, 5, "full", (4, 5), None, None, 0.3),    # right, 0.3
        Prediction(6, 7, "full", (6, 7), None, None, 1.0),    # right, 1.0: the last bin includes 1.0
    ])
    table = {row["bin"]: row for row in tally.reliability_table()}
    assert table["[0.9, 1.0]"]["count"] == 3 and table["[0.0, 0.5)"]["count"] == 1
    assert abs(table["[0.9, 1.0]"]["accuracy"] - 2 / 3) < 1e-4
    # ECE: 3/4 * |2/3 - 0.9667| + 1/4 * |1 - 0.3|
    expected = 0.75 * abs(2 / 3 - (0.95 + 0.95 + 1.0) / 3) + 0.25 * 0.7
    assert abs(tally.scores()["speaker_ece"] - expected) < 1e-9


def test_pronoun_referent_right_abstained_and_wrong_name():
    # Three "she said" quotes whose gold referent is Jane Roe, one whose referent the article never names.
    text = 'Jane Roe and Ann Lee spoke. "A," she said. "B," she said. "C," she said. "D," she said.'
    gold = [GoldQuote(29, 30, [(33, 36)]), GoldQuote(44, 45, [(48, 51)]), GoldQuote(59, 60, [(63, 66)]),
            GoldQuote(74, 75, [(78, 81)])]
    referents = {(33, 36): "Jane Roe", (48, 51): "Jane Roe", (63, 66): "Jane Roe", (78, 81): None}
    predictions = [
        Prediction(29, 30, "full", (33, 36), "Roe", None, 0.9, resolved_name="Roe"),       # right
        Prediction(44, 45, "full", (48, 51), None, None, 0.3, resolved_name=None),         # abstained
        Prediction(59, 60, "full", (63, 66), "Ann Lee", None, 0.7, resolved_name="Ann Lee"),  # wrong name
        Prediction(74, 75, "full", (78, 81), None, None, 0.3, resolved_name=None),         # no name: right
    ]
    tally = Tally()
    tally.add(text, gold, predictions, sources=[(0, 8), (33, 36), (48, 51), (63, 66), (78, 81)], referents=referents)
    scores = tally.scores()
    # The mention check counts all four right; the referent check does not.
    assert scores["speaker_accuracy_pronoun"] == 1.0
    assert scores["speaker_accuracy_pronoun_referent"] == 0.5
    assert scores["speaker_pronoun_abstained"] == 0.25 and scores["speaker_pronoun_wrong_name"] == 0.25
    assert scores["speaker_pronoun_not_wrong"] == 0.75
    # The calibration target follows the gold referent (the silver one, Jane Roe, would call quote 4 wrong too).
    assert [identified(text, g, p, [], referents=referents) for g, p in zip(gold, predictions)] == [
        True, False, False, True]
    assert identified(text, gold[2], predictions[2], [(0, 8)]) is False  # silver: "Ann Lee" is not Jane Roe


def test_gold_referents_file_covers_the_pronoun_quotes_it_names(tmp_path):
    path = tmp_path / "referents.jsonl"
    path.write_text(
        '{"article": "a.txt", "source": {"start": 3, "end": 5, "text": "he"}, "quote": {"start": 9, "end": 12, '
        '"text": "Yes"}, "referent": "Tom Reed"}\n', encoding="utf-8")
    assert load_referents(path) == {"a": {(3, 5): "Tom Reed"}}
    committed = load_referents()
    assert sum(len(v) for v in committed.values()) == 168  # distinct Source spans of PolNeAR dev's 220 pronoun quotes


def test_same_person_needs_agreeing_first_names():
    from newsfacts.evaluation.quotes import same_person

    assert not same_person("Ted Cruz", "Heidi Cruz")  # one surname, two people
    assert same_person("Hillary Clinton", "Clinton")
    assert same_person("Hillary Clinton", "Crooked Hillary Clinton")
    assert same_person('Robert C. "Bobby" Scott', "Bobby Scott")
    assert same_person("George W. Bush", "G. Bush")
    assert not same_person("Melanie", "Stephanie McCrummen")


def test_train_referents_are_the_sampled_pronoun_quotes_at_their_offsets():
    """The committed train sample: every row's offsets match the article text, and the rows are exactly the
    gold pronoun quotes of the articles the sample rule draws (eval/gold/polnear_referents_train/README.md)."""
    from newsfacts import evaluation
    from newsfacts.evaluation.referents import REFERENTS_TRAIN, annotated_train, check_referents, train_sample

    if not (evaluation.shared_dir() / "devdata" / "polnear" / "train").is_dir():
        pytest.skip("PolNeAR train not found (set NEWSFACTS_SHARED)")
    sample = train_sample(evaluation.shared_dir())
    assert len(sample) >= 40 and sum(len(c[3]) for c in sample) >= 200
    assert check_referents(REFERENTS_TRAIN, annotated_train(evaluation.shared_dir())) == []


def test_check_referents_reports_bad_offsets_and_missing_rows(tmp_path):
    from newsfacts.evaluation.referents import check_referents

    text = 'Tom Reed spoke. "Yes," he said. "No," she said.'
    articles = [("a", text, "", [((23, 25), (17, 21)), ((38, 41), (33, 36))])]
    path = tmp_path / "referents.jsonl"
    path.write_text('{"article": "a.txt", "source": {"start": 23, "end": 25, "text": "he"}, "quote": {"start": 17, '
                    '"end": 21, "text": "Yes,"}, "referent": "Tom Reed"}\n'
                    '{"article": "a.txt", "source": {"start": 37, "end": 40, "text": "she"}, "quote": {"start": 33, '
                    '"end": 36, "text": "No,"}, "referent": null}\n', encoding="utf-8")
    problems = check_referents(path, articles)
    assert any("source offsets do not match" in p for p in problems)
    assert any(p.startswith("no row for ('a', 38") for p in problems)


def test_referent_row_reports_the_case_and_the_evidence_behind_it():
    from newsfacts.evaluation.quotes import referent_row

    text = 'Jane Roe spoke. "We will win," she said.'
    gold = GoldQuote(17, 29, [(31, 34)])
    predicted = Prediction(17, 29, "full", (31, 34), "Ann Lee", None, 0.88, resolved_name="Ann Lee")
    row = referent_row("a", text, gold, predicted, "Jane Roe", ("cue", "pronoun:subject"))
    assert row["case"] == "wrong" and row["source"] == [31, 34, "she"] and row["mention"] == "she"
    assert row["route_evidence"] == ["cue", "pronoun:subject"] and row["before"].endswith("spoke. \"We will win,\" ")


def test_the_error_listing_refuses_dev():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "newsfacts.evaluation.quotes", "dev", "--errors"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "train sample's quotes only" in done.stderr
