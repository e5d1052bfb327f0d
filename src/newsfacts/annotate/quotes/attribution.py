"""What every attribution route shares: the `Attribution` value (a cue and the head of its subject), the mask
of tokens inside quotation marks (`InsideMask`, which also keeps per-token answers asked again for every
quote), the cue-verb test, and the paragraph test (attribution never crosses a paragraph)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.doc_index import doc_index, text_of
from newsfacts.annotate.quotes.coref import quote_lexicon
from newsfacts.annotate.quotes.marks import QuotedSpan


SUBJECT_DEPS = {"nsubj", "nsubjpass"}


TRAILING_PUNCT = " \t\n,;:"


def quoted_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the separators a quoted stretch ends with (",", ";", ":", whitespace) and without
    leading whitespace: the quoted words' own bounds (empty when nothing is left)."""
    while end > start and text[end - 1] in TRAILING_PUNCT:
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


STANCE_PRONOUNS = {"he", "she", "they", "i", "we"}


@functools.lru_cache(maxsize=1)
def _cue_verbs() -> frozenset[str]:
    return cue_lexicon().speech | frozenset(quote_lexicon()["quote_cue_verbs"])


@dataclass(frozen=True)
class Attribution:
    cue: Token | tuple[Token, Token]  # a verb, or the first and last token of a phrase (according to)
    speaker_head: Token | None

    @property
    def cue_span(self) -> tuple[int, int]:
        first, last = self.cue if isinstance(self.cue, tuple) else (self.cue, self.cue)
        return first.idx, last.idx + len(last.text)


def inside_quote_mask(doc: Doc, quoted: list[QuotedSpan]) -> list[bool]:
    """Per token: does it lie inside quotation marks (marks included)?"""
    mask = InsideMask([False] * len(doc))
    for span in quoted:
        for token in doc.char_span(span.start, span.end, alignment_mode="expand") or []:
            mask[token.i] = True
        for offset in (span.start - 1, span.end):
            token = token_at(doc, offset)
            if token is not None and not token.is_alpha:
                mask[token.i] = True
    return mask


def token_at(doc: Doc, offset: int) -> Token | None:
    if offset < 0 or offset >= len(text_of(doc)):
        return None
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def in_one_paragraph(doc: Doc, a: int, b: int) -> bool:
    """spaCy may run a sentence across a heading's line break; attribution never crosses a paragraph."""
    return not doc_index(doc).has_newline(min(a, b), max(a, b))


def last_char_before_mark(index, span: QuotedSpan) -> int:
    """The offset of the last non-space character between the start of the quote's line and its opening
    mark, or -1 when the mark opens the line."""
    line_start = index.line_start(span.start)
    found = index.previous_nonspace(span.start - len(span.mark), line_start)
    return found if found >= line_start else -1


def is_cue(token: Token, inside: list[bool]) -> bool:
    return (not inside[token.i] and token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in _cue_verbs()
            and not _discourse_marker(token))


def _discourse_marker(verb: Token) -> bool:
    """"That said, she also noted ...", "This said, ...": a clause-opening phrase meaning "even so", which
    reports nothing; the speaker is the subject of the verb that follows."""
    doc = verb.doc
    if verb.lower_ != "said" or verb.i == 0 or verb.i + 1 >= len(doc) or doc[verb.i + 1].text != ",":
        return False
    before = doc[verb.i - 1]
    opener = doc[verb.i - 2] if verb.i >= 2 else None
    return before.lower_ in ("that", "this") and (
        before.is_sent_start or opener is None or opener.is_space or opener.text in ("(", "[", "—", ";"))


class InsideMask(list):
    """Per token of one article: does it lie inside quotation marks? Also holds, per token, facts that
    depend on the mask and are asked again for every quote (see `routes._outermost_cue`)."""

    def __init__(self, values):
        super().__init__(values)
        self.outermost_cue: dict[int, Attribution | None] = {}
        self.sentence_tokens: dict[tuple[str, int], list[int]] = {}

    def indices_of(self, sentence, name: str, test) -> list[int]:
        """Indices of the tokens of `sentence` passing `test`, in order; listed once per sentence."""
        key = (name, sentence.start)
        if key not in self.sentence_tokens:
            self.sentence_tokens[key] = [t.i for t in sentence if test(t)]
        return self.sentence_tokens[key]

    def tokens_of(self, sentence, name: str, test) -> list[Token]:
        doc = sentence.doc
        return [doc[i] for i in self.indices_of(sentence, name, test)]
