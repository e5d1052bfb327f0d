"""Typographic apostrophes: the model reads them as ASCII ones, every Doc and span keeps the original text."""

import pytest

from newsfacts.annotate.apostrophes import COMPONENT, model_view
from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp, parse
from newsfacts.annotate.quotes import find_quotes


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def changed(text: str) -> list[int]:
    view = model_view(text)
    assert len(view) == len(text)
    return [i for i, (a, b) in enumerate(zip(text, view)) if a != b]


@pytest.mark.parametrize(
    ("text", "apostrophes"),
    [
        ("Dinesh D’Souza and O’Brien", ["D’S", "O’B"]),
        ("Trump’s aides don’t know Ng’ang’a", ["p’s", "n’t", "g’a", "g’a"]),
        ("the voters’ views and Jeff Sessions’ aide", ["s’ ", "s’ "]),
        ("music of the ’90s and in ‘08, a wrong there‘s", [" ’9", " ‘0", "e‘s"]),
    ],
)
def test_apostrophes_become_ascii_in_the_models_view(text, apostrophes):
    positions = changed(text)
    assert [text[i - 1 : i + 2] for i in positions] == apostrophes
    assert all(model_view(text)[i] == "'" for i in positions)


@pytest.mark.parametrize(
    "text",
    [
        "‘It was fine,’ he said.",  # a single-quoted stretch: both marks stay
        "He called it ‘the best of the bosses’ and left.",  # its closer after an s is no possessive
        "“We’ll see,” said O’Brien.",  # double marks stay; only the apostrophes change
        "The ‘20 per cent’ figure was wrong.",  # an opener before a number that pairs up stays
    ],
)
def test_quotation_marks_stay(text):
    view = model_view(text)
    for mark in "“”‘’":
        quote_marks = [i for i, c in enumerate(text) if c == mark and not (text[i - 1 : i].isalnum() and text[i + 1 : i + 2].isalnum())]
        assert all(view[i] == mark for i in quote_marks), (mark, view)


def test_a_text_without_typographic_apostrophes_is_its_own_view():
    text = "O'Brien said: \"It's fine.\""
    assert model_view(text) is text


def test_a_name_with_a_typographic_apostrophe_is_a_person_in_the_original_text(nlp):
    text = "The author Dinesh D’Souza said he would appeal. O’Brien disagreed."
    doc = nlp(text)
    assert doc.text == text
    people = [(e.text, e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    assert people == [("Dinesh D’Souza", 11, 25), ("O’Brien", 48, 55)]
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert [t.lemma_ for t in doc if "’" in t.text] == ["D’Souza", "O’Brien"]


def test_the_annotations_are_those_of_the_ascii_text(nlp):
    text = "Trump’s aides don’t think O’Brien will win the voters’ trust in the ’90s style."
    doc, ascii_doc = nlp(text), nlp(text.replace("’", "'"))
    assert doc.text == text
    assert [t.text for t in doc] == [text[t.idx : t.idx + len(t)] for t in doc]
    assert [(t.idx, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in doc] == [
        (t.idx, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in ascii_doc]


def test_the_model_as_published_reads_the_text_as_written(nlp):
    with nlp.select_pipes(disable=[COMPONENT]):
        doc = nlp("Dinesh D’Souza said so.")
    assert doc.text == "Dinesh D’Souza said so."


def test_long_texts_parsed_in_pieces_keep_their_characters(nlp):
    text = "\n\n".join(["Dinesh D’Souza spoke on Friday and O’Brien didn’t."] * 6)
    doc = parse(nlp, text, piece_chars=120)
    assert doc.text == text
    ascii_doc = parse(nlp, text.replace("’", "'"), piece_chars=120)
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (e.start_char, e.end_char, e.label_) for e in ascii_doc.ents]
    assert any(e.text == "Dinesh D’Souza" for e in doc.ents[3:])  # a later piece too


def test_entities_and_quotes_point_into_the_original_text(nlp):
    text = ("Conservative author Dinesh D’Souza was sentenced on Tuesday.\n\n"
            "“I made a mistake,” he said after the hearing.")
    doc = nlp(text)
    entities = find_entities(doc)
    person = next(e for e in entities if e.name == "Dinesh D’Souza")
    assert person.type == "PERSON"
    assert all(text[m.start : m.end] == m.text for e in entities for m in e.mentions)
    quotes = find_quotes(doc, entities)
    assert [(q.text, q.speaker.name) for q in quotes] == [("I made a mistake", "Dinesh D’Souza")]
    assert all(text[q.start : q.end] == q.text for q in quotes)
