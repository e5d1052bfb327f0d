"""The cleaning ladder on plain text: article text is kept whole, page dumps get the density pass, and no
text with sentences or table rows ever comes out empty (newsfacts.clean.text_dump)."""

from __future__ import annotations

import hashlib
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfacts.clean import clean_document
from newsfacts.documents import Hints, RawDocument


def raw(text: str, url: str | None = None) -> RawDocument:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return RawDocument(path="t.txt", sha256=digest, id=digest[:16], format="txt", encoding="utf-8", raw=text,
                       hints=Hints(url=url))


def squash(text: str) -> str:
    return "".join(text.split())


def test_one_paragraph_with_a_headline_is_kept():
    clean = clean_document(raw("Headline\n\nThe main span will be roughly 1,300 meters long. About 1000 workers come from Asia."))
    assert clean.title == "Headline"
    assert clean.text[clean.body_start:] == "The main span will be roughly 1,300 meters long. About 1000 workers come from Asia."
    assert clean.cleaning.method == "whole" and clean.cleaning.kept_share == 1.0


def test_a_single_sentence_is_an_article_of_one_sentence():
    clean = clean_document(raw("Prices rose 3 percent in May, the statistics office said."))
    assert clean.text == "Prices rose 3 percent in May, the statistics office said."
    assert clean.title is None


def test_wire_results_table_is_kept_with_headline_and_dateline():
    text = ("ALPINE SKIING - WOMEN 'S DOWNHILL RESULTS .\nVAIL , Colorado 1996-12-06\n"
            "Results of the women 's World Cup downhill race on Friday :\n"
            "1. Katja Seizinger ( Germany ) 1:47.12\n2. Picabo Street ( U.S. ) 1:47.35\n3. Isolde Kostner ( Italy ) 1:47.60\n")
    clean = clean_document(raw(text))
    assert clean.title == "ALPINE SKIING - WOMEN 'S DOWNHILL RESULTS ."
    body = clean.text[clean.body_start:]
    assert body.startswith("VAIL , Colorado 1996-12-06")  # the dateline stays: its place is part of the story
    assert "3. Isolde Kostner ( Italy ) 1:47.60" in body
    assert clean.cleaning.method == "whole"


def test_market_brief_is_kept():
    text = "PT Tambang Timah closed at $ 15.575 per GDR in London on Friday ."
    assert clean_document(raw(text)).text == text


def test_a_few_furniture_lines_in_article_text_are_removed_by_pattern():
    text = "Minister resigns over budget row\n\nThe minister resigned on Monday.\n\nAdvertisement\n\nShe had been in office for two years."
    clean = clean_document(raw(text))
    assert "Advertisement" not in clean.text
    assert [r.kind for r in clean.removed] == ["advert"]
    assert clean.cleaning.method == "patterns"
    assert "She had been in office for two years." in clean.text


def test_page_dump_gets_the_density_pass():
    menu = "\n".join(["Home", "World", "Business", "Sport", "Culture", "Travel"])
    prose = ("The government announced on Tuesday that it would raise the minimum wage by five percent from "
             "next year, after months of talks with unions and employers about the cost of living.")
    text = f"{menu}\n\nWage rise announced for next year\n\n{prose}\n\n{prose}\n\nShare this article\n\nAccept cookies"
    clean = clean_document(raw(text))
    assert clean.cleaning.method == "density"
    assert clean.title == "Wage rise announced for next year"
    assert "Home" not in clean.text and "Accept cookies" not in clean.text
    assert clean.cleaning.kept_share < 1.0


def test_a_page_without_any_good_line_falls_back_without_losing_its_sentences():
    # Furniture all around, and only short sentences the density pass would score as bad.
    menu = "\n".join(["Home", "World", "Business", "Sport", "Culture", "Travel"])
    text = f"{menu}\n\nShort news.\n\nPolice closed the road.\n\nNo one was hurt.\n\nAccept cookies\n\nPrivacy policy"
    clean = clean_document(raw(text))
    assert clean.cleaning.method in ("densest_prose", "patterns")
    for sentence in ("Police closed the road.", "No one was hurt."):
        assert sentence in clean.text


def test_non_english_article_text_is_kept():
    text = ("Die Regierung hat am Dienstag angekündigt, den Mindestlohn im nächsten Jahr um fünf Prozent zu erhöhen.\n\n"
            "Die Gewerkschaften begrüßten die Entscheidung.")
    clean = clean_document(raw(text))
    assert squash(clean.text) == squash(text)


# ---- properties: texts built from prose, table rows, headlines, datelines and furniture ------------------

WORDS = st.sampled_from(["government", "police", "market", "shares", "minister", "river", "team", "vote", "city",
                         "council", "report", "water", "school", "price", "court", "union", "the", "of", "and",
                         "a", "in", "to", "was", "said", "on", "for", "with"])
SENTENCE = st.builds(lambda ws, end: " ".join(ws).capitalize() + end, st.lists(WORDS, min_size=5, max_size=25),
                     st.sampled_from([".", "!", "?", " ."]))
PARAGRAPH = st.builds(" ".join, st.lists(SENTENCE, min_size=1, max_size=4))
ROW = st.builds(lambda a, b, x, y: f"{a.capitalize()} {x} {b.capitalize()} {y}", WORDS, WORDS,
                st.integers(0, 99), st.integers(0, 99))
HEADLINE = st.builds(lambda ws: " ".join(ws).upper(), st.lists(WORDS, min_size=2, max_size=8))
DATELINE = st.sampled_from(["LONDON 1996-08-30", "NEW YORK 1996-12-06", "SEOUL 2024-10-21"])
# Single furniture lines; a section heading ("Leave a comment") ends the article by design, so it is
# tested apart.
FURNITURE = st.sampled_from(["Advertisement", "Share this article", "Accept cookies", "Privacy policy", "Home",
                             "Subscribe now", "Read more", "Sign in"])


@st.composite
def documents(draw):
    parts: list[tuple[str, str]] = []
    if draw(st.booleans()):
        parts.append(("headline", draw(HEADLINE)))
    if draw(st.booleans()):
        parts.append(("dateline", draw(DATELINE)))
    kinds = draw(st.lists(st.sampled_from(["prose", "prose", "rows", "furniture"]), min_size=1, max_size=6))
    if not {"prose", "rows"} & set(kinds):
        kinds.append("prose")
    for number, kind in enumerate(kinds):
        if kind == "prose":
            # Numbered, so that two paragraphs are never the same text (a repeated block is removed by design).
            parts.append(("prose", f"Report {number} says: {draw(PARAGRAPH)}"))
        elif kind == "rows":
            parts.extend(("row", row) for row in draw(st.lists(ROW, min_size=1, max_size=5)))
        else:
            parts.append(("furniture", draw(FURNITURE)))
    separator = draw(st.sampled_from(["\n", "\n\n"]))
    return parts, separator.join(text for _, text in parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_every_sentence_and_row_survives(document):
    parts, text = document
    clean = clean_document(raw(text))
    kept = squash(clean.text)
    for kind, part in parts:
        if kind in ("prose", "row", "dateline"):
            assert squash(part) in kept, (kind, part, clean.cleaning)
    assert clean.text[clean.body_start:].strip()
    for removed in clean.removed:
        assert text[removed.start:removed.end] == removed.text
    for repair in clean.repairs:
        if repair.start is not None:
            assert clean.text[repair.start:repair.end] == repair.after
    assert 0.0 <= clean.cleaning.kept_share <= 1.0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["Leave a comment", "Related stories", "Comments (3)"]))
def test_a_comment_section_never_empties_the_article(document, heading):
    parts, text = document
    clean = clean_document(raw(f"{text}\n\n{heading}\n\nGreat article, thanks for writing it."))
    assert clean.text[clean.body_start:].strip()


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_cleaning_never_raises_and_keeps_offsets(text):
    clean = clean_document(raw(text))
    for removed in clean.removed:
        assert text[removed.start:removed.end] == removed.text
    assert clean.body_start <= len(clean.text)
    if re.search(r"\w{3,}.*[.!?]", text) and not clean.removed:
        assert clean.text.strip()


def test_bullet_list_inside_a_page_article_is_body():
    menu = "\n".join(["Home", "World", "Business", "Sport", "Culture", "Travel"])
    prose = ("The government announced on Tuesday that it would raise the minimum wage by five percent from "
             "next year, after months of talks with unions and employers about the cost of living.")
    text = (f"{menu}\n\nWage rise announced for next year\n\n{prose}\n\nThe plan has three parts:\n\n"
            "• Lower taxes for families\n\n• Cheaper public transport\n\n• More childcare places\n\n"
            f"{prose.replace('Tuesday', 'Wednesday')}\n\nShare this article\n\nAccept cookies\n\nPrivacy policy")
    clean = clean_document(raw(text))
    assert clean.cleaning.method == "density"
    for item in ("• Lower taxes for families", "• Cheaper public transport", "• More childcare places"):
        assert item in clean.text
