"""The model reads typographic apostrophes as the ASCII apostrophe it was trained on; the Doc keeps the text.

en_core_web_sm was trained on text with ASCII apostrophes, so a name written with a typographic one is not
a name to it: "Dinesh D'Souza" and "O'Brien" are PERSONs, "Dinesh D’Souza" and "O’Brien" nothing, and a
later "he" then goes to someone else. News pages write ’ (and now and then ‘) for the apostrophe.

So the pipeline's tokenizer hands the model a *view* of the text (`model_view`) in which every ’ or ‘ that is
an apostrophe is the ASCII ' — one code point for one, so every offset means the same in both — and the last
component (`restore_original_characters`) gives back a Doc of the original text carrying the view's
annotations (tags, lemmas, parse, sentences, entities). `doc.text` is always the text that was parsed, every
token's text its original characters, so spans cut from the text keep `text[start:end] == span.text`.

What an apostrophe is follows the quote finder (`quotes/marks.py`), which reads the original text and is not
affected: a mark between letters or digits (D’Souza, Trump’s, don’t, Ng’ang’a, 1990’s); a ’ ending a word
(voters’, Sessions’) unless it closes a single-quoted stretch; a ’ or ‘ before a two-digit year (the ’90s,
in ‘08) unless it opens one. Quotation marks that pair up as quotes are left as they are.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from newsfacts.annotate.quotes.marks import find_quoted_spans

COMPONENT = "newsfacts_original_characters"
_ORIGINAL_TEXT = "newsfacts.original_text"  # doc.user_data key, set only on a Doc whose text was changed

# A mark between two letters or digits is an apostrophe whatever it is (the quote finder agrees).
_INSIDE_WORD = re.compile(r"(?<=[^\W_])[’‘](?=[^\W_])")
# A ’ ending a word: a plural possessive or a dropped letter (voters’, nothin’), or a single closing mark.
_WORD_END = re.compile(r"(?<=[^\W_])’(?![^\W_])")
# A mark before a two-digit year (the ’90s, ’08), or a single opening mark before a number.
_BEFORE_YEAR = re.compile(r"(?<![^\W_])[’‘](?=\d\d(?:s\b|(?![\w%]|[.,]\d)))")


def model_view(text: str) -> str:
    """`text` with every typographic apostrophe replaced by ', same length; `text` itself when it has none."""
    if "’" not in text and "‘" not in text:
        return text
    apostrophes = [m.start() for m in _INSIDE_WORD.finditer(text)]
    word_ends = [m.start() for m in _WORD_END.finditer(text)]
    before_years = [m.start() for m in _BEFORE_YEAR.finditer(text)]
    if word_ends or before_years:
        marks = _single_quote_marks(text)
        apostrophes += [i for i in word_ends + before_years if i not in marks]
    if not apostrophes:
        return text
    chars = list(text)
    for i in apostrophes:
        chars[i] = "'"
    return "".join(chars)


def _single_quote_marks(text: str) -> set[int]:
    """Offsets of the single quotation marks the quote finder pairs (opening and closing)."""
    marks = set()
    for span in find_quoted_spans(text):
        if span.style == "single":
            marks.add(span.start - len(span.mark))
            marks.add(span.end)
    return marks


class ModelViewTokenizer:
    """The model's tokenizer run on `model_view(text)`, while the pipeline can give the text back (its
    `COMPONENT` enabled); otherwise (the model exactly as published) on the text itself."""

    def __init__(self, tokenizer, nlp: Language):
        self.tokenizer = tokenizer
        self.nlp = nlp

    def __call__(self, text: str) -> Doc:
        view = model_view(text) if COMPONENT in self.nlp.pipe_names else text
        doc = self.tokenizer(view)
        if view is not text:
            doc.user_data[_ORIGINAL_TEXT] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # the wrapped tokenizer's rules, explain(), serialisation
        if name in ("tokenizer", "nlp"):  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


@Language.component(COMPONENT)
def restore_original_characters(doc: Doc) -> Doc:
    """The Doc of the original text with `doc`'s annotations (`doc` itself when its text was not changed).

    Token boundaries, tags, morphology, parse, sentences, entities, norms and the tensor are copied as they
    are; a lemma that spells its token (O'Brien, 's) is spelled with the token's original characters, so
    names and counted nouns that reach the data are as the article wrote them."""
    text = doc.user_data.pop(_ORIGINAL_TEXT, None)
    if text is None:
        return doc
    if len(text) != len(doc.text):  # would shift every span
        raise RuntimeError("the model's view of the text does not keep its length")
    message = doc.to_dict(exclude=["user_data"])
    message["text"] = text
    original = Doc(doc.vocab).from_dict(message)
    original.user_data.update(doc.user_data)
    for seen, token in zip(doc, original):
        if seen.text != token.text:
            lemma = seen.lemma_
            if lemma.lower() == seen.lower_:
                token.lemma_ = "".join(o if o != v else l for l, v, o in zip(lemma, seen.text, token.text))
    return original


def install(nlp: Language) -> None:
    """Give `nlp` the model's view of apostrophes: the tokenizer reads the view, the last component restores
    the text."""
    nlp.add_pipe(COMPONENT, last=True)
    nlp.tokenizer = ModelViewTokenizer(nlp.tokenizer, nlp)
