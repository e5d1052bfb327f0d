"""The shared spaCy pipeline: the pinned model, plus sentence hints from news layout."""

import pytest

from newsfacts.annotate.nlp import load_nlp, model_label


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_pinned_model_and_label(nlp):
    assert model_label(nlp) == "en_core_web_sm-3.8.0"
    assert nlp.pipe_names.index("newsfacts_sentence_hints") < nlp.pipe_names.index("parser")
    assert nlp.pipe_names[-1] == "newsfacts_original_characters"  # annotations move to the original text last


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


# ---- long texts: bounded pieces with exact offsets --------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsfacts.annotate.doc_index import doc_index  # noqa: E402
from newsfacts.annotate.entities import find_entities  # noqa: E402
from newsfacts.annotate.figures import find_figures  # noqa: E402
from newsfacts.annotate.nlp import parse, piece_bounds  # noqa: E402
from newsfacts.annotate.quotes import find_quotes  # noqa: E402

PARAGRAPHS = [
    'North Korea has sent about 12,000 soldiers to Russia, Seoul\'s spy agency said on Friday.',
    '"This is a serious escalation," said John Kirby, a White House spokesman.',
    "Ukraine's President Volodymyr Zelensky said 1,500 more troops had arrived in Vladivostok.",
    "The agency said the troops were trained for at least 30 days before the deployment.",
]


def test_a_short_text_is_parsed_in_one_call(nlp):
    text = "\n\n".join(PARAGRAPHS)
    assert [(t.idx, t.text, t.dep_) for t in parse(nlp, text)] == [(t.idx, t.text, t.dep_) for t in nlp(text)]


def test_a_long_text_is_parsed_in_pieces_with_exact_offsets(nlp):
    text = "\n\n".join(PARAGRAPHS * 12)
    whole, pieces = nlp(text), parse(nlp, text, piece_chars=700)
    assert len(piece_bounds(text, 700)) > 5
    assert pieces.text == text
    # cut after paragraph breaks: the same tokens and sentences as one parse of the whole text
    assert [(t.idx, t.text) for t in pieces] == [(t.idx, t.text) for t in whole]
    assert [s.start_char for s in pieces.sents] == [s.start_char for s in whole.sents]
    entities = find_entities(pieces)
    quotes, figures = find_quotes(pieces, entities), find_figures(pieces, entities)
    assert len(quotes) == 12 and len(figures) >= 36
    for item in [*quotes, *figures, *(m for e in entities for m in e.mentions)]:
        assert text[item.start : item.end] == item.text


def test_a_run_without_spaces_longer_than_a_piece_is_cut_anywhere(nlp):
    text = "Figures\n\n" + "7" * 2_500 + " and more"
    doc = parse(nlp, text, piece_chars=1_000)
    assert doc.text == text
    assert all(end - start <= 1_000 for start, end in piece_bounds(text, 1_000))


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab \n", max_size=300), limit=st.integers(min_value=1, max_value=40))
def test_piece_bounds_cover_the_text_within_the_limit(text, limit):
    bounds = piece_bounds(text, limit)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a < b or len(text) == 0 for a, b in bounds)
    assert all(previous[1] == following[0] for previous, following in zip(bounds, bounds[1:]))
    assert all(b - a <= limit for a, b in bounds)
    for _, end in bounds[:-1]:
        # a piece ends at white space (after its run, or before it when the run goes past the limit)
        # whenever its window held some; else it is cut at the limit
        window_start = next(a for a, b in bounds if b == end)
        if any(c.isspace() for c in text[window_start + 1 : window_start + limit]):
            assert text[end - 1].isspace() or text[end].isspace()
        else:
            assert end - window_start == limit


def test_the_document_index_agrees_with_spacy(nlp):
    text = "\n\n".join(PARAGRAPHS * 2)
    doc = nlp(text)
    expected = [(t.i, t.sent.start, t.sent.end) for t in doc]  # spaCy's own walk, before the index exists
    index = doc_index(doc)
    assert index.text == text
    assert [(t.i, t.sent.start, t.sent.end) for t in doc] == expected  # now through the index's hooks
    assert [doc[2:5].sent.start] == [doc[2].sent.start]
    for offset in range(0, len(text), 7):
        assert index.line_start(offset) == text.rfind("\n", 0, offset) + 1
        found = text.find("\n", offset)
        assert index.line_end(offset) == (found if found >= 0 else len(text))
    assert [index.ent_containing(e.start_char, e.end_char).label_ for e in doc.ents] == [e.label_ for e in doc.ents]


def test_numpy_matrix_products_give_the_same_analysis_as_blis(nlp):
    """`use_numpy_matrix_products` is a speed change only: a stock load of the same model (BLIS products)
    gives the same tags, lemmas, heads, labels and entities on the seed articles."""
    import spacy

    from newsfacts.annotate import apostrophes
    from newsfacts.annotate.nlp import model_name, parse_many
    from tests_paths import SEEDS

    stock = spacy.load(model_name())
    assert all(getattr(node.ops, "use_blis", True) for _, c in stock.pipeline
               if getattr(c, "model", None) is not None for node in c.model.walk())
    assert not any(getattr(node.ops, "use_blis", False) for _, c in nlp.pipeline
                   if getattr(c, "model", None) is not None for node in c.model.walk())
    stock.add_pipe("newsfacts_sentence_hints", before="parser")
    apostrophes.install(stock)  # the same view of the text, so only the matrix products differ
    texts = [path.read_text("utf-8", errors="replace") for path in sorted(SEEDS.glob("*.txt"))]
    assert texts

    def analysis(doc):
        return ([(t.tag_, t.lemma_, t.head.i, t.dep_, t.ent_iob_, t.ent_type_) for t in doc],
                [(e.start_char, e.end_char, e.label_) for e in doc.ents])

    assert [analysis(d) for d in parse_many(nlp, texts)] == [analysis(d) for d in stock.pipe(texts)]
