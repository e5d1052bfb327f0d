"""The shared spaCy pipeline: the pinned model, plus sentence hints from news layout."""

import pytest

from newsfacts.annotate.nlp import load_nlp, model_label


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_pinned_model_and_label(nlp):
    assert model_label(nlp) == "en_core_web_sm-3.8.0"
    assert nlp.pipe_names.index("newsfacts_sentence_hints") < nlp.pipe_names.index("parser")


@pytest.mark.parametrize(
    ("text", "first_sentence"),
    [
        ("WASHINGTON (AP) — The Latest on the race.", "WASHINGTON (AP) —"),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — Jill Stein was escorted off.", "HEMPSTEAD, N.Y., Sept. 26 (UPI) —"),
        ("WASHINGTON, United States—The advisers voiced concern.", "WASHINGTON, United States—"),
        ("BRUSSELS: NATO chief Mark Rutte warned on Monday.", "BRUSSELS:"),
        ("Germany Warns of Escalation\n\nChancellor Olaf Scholz spoke.", "Germany Warns of Escalation\n\n"),
    ],
)
def test_datelines_and_line_breaks_end_sentences(nlp, text, first_sentence):
    assert next(nlp(text).sents).text_with_ws.rstrip(" ") == first_sentence


def test_ordinary_openings_are_not_datelines(nlp):
    doc = nlp("US-based investors said the deal - a big one - would close. NATO-led forces moved in.")
    assert [s.text for s in doc.sents][0].startswith("US-based investors said the deal")


def test_dateline_no_longer_steals_the_subject(nlp):
    doc = nlp('WASHINGTON, United States—The national security advisors of the United States, South Korea, and '
              'Japan voiced "grave concern" on Friday.')
    voiced = next(t for t in doc if t.text == "voiced")
    assert [c.text for c in voiced.children if c.dep_ == "nsubj"][0] == "advisors"
