"""Quotation-mark pairing on plain text (no parse)."""

from __future__ import annotations

from newsfacts.annotate.quotes.marks import find_quoted_spans


def test_apostrophes_are_not_quotation_marks():
    text = "Trump's aides don't know the voters' mood in the '90s style."
    assert find_quoted_spans(text) == []


def test_quote_reopened_on_one_line_keeps_each_stretch():
    # Paragraphs of one quote run together on a line: each reopening mark starts a new quoted paragraph,
    # and the stretch before it is kept (continued), not thrown away as a stray opener.
    text = 'She told reporters: "We won the vote. We will win again. "Nobody can stop us now."'
    spans = [(text[s.start : s.end], s.continued) for s in find_quoted_spans(text)]
    assert spans == [("We won the vote. We will win again.", True), ("Nobody can stop us now.", False)]


def test_stray_opener_mid_sentence_still_starts_over():
    text = 'The so "called plan and the "second" one.'
    assert [text[s.start : s.end] for s in find_quoted_spans(text)] == ["second"]


def test_reopening_after_a_stray_mark_starts_over():
    text = 'He said: "We are ready. "We have options. " The hooker remains a doubt. "We will see," he added.'
    assert [text[s.start : s.end] for s in find_quoted_spans(text)] == ["We are ready.", "We will see,"]


def test_an_apostrophe_eliding_letters_or_digits_opens_no_quote():
    text = (
        "The band played rock ’n’ roll in the ’90s. ‘We love it,’ she said. Fans shouted ‘let ’em play’ and left."
    )
    quoted = [text[q.start:q.end] for q in find_quoted_spans(text)]
    assert quoted == ["We love it,", "let ’em play"]


def test_a_quote_may_begin_with_a_word_an_elision_ends_with():
    text = "‘Emma is here,’ she said. 'Cause for concern,' he added."
    quoted = [text[q.start:q.end] for q in find_quoted_spans(text)]
    assert quoted == ["Emma is here,", "Cause for concern,"]
