"""Quotes without quotation marks: dash-introduced paragraphs ("– ..., said X") and the attribution-less dash
paragraphs that continue that turn, and sentences whose marks were lost ("We believe ..., Peskov stated")."""

from __future__ import annotations

from spacy.tokens import Doc

from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.doc_index import overlap_test, text_of
from newsfacts.annotate.quotes.attribution import SUBJECT_DEPS, TRAILING_PUNCT, is_cue
from newsfacts.annotate.quotes.coref import SpeakerResolver, quote_lexicon
from newsfacts.annotate.quotes.marks import paragraphs
from newsfacts.annotate.quotes.speakers import speaker_from_head
from newsfacts.models import Quote, Span


def _trailing_attribution(doc: Doc, first: int, last: int, inside: list[bool]):
    """In tokens [first, last): a final ', X said ...' / ', says X' clause. Returns (comma, cue, subject)."""
    for token in reversed(doc[first:last]):
        if not is_cue(token, inside) or token.lemma_.lower() not in cue_lexicon().speech:
            continue
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None:
            continue
        clause_start = min(token.i, subject.left_edge.i)
        comma = doc[clause_start - 1] if clause_start - 1 >= first else None
        if comma is not None and comma.text == ",":
            return comma, token, subject
    return None


def dash_quotes(doc: Doc, inside: list[bool], resolver: SpeakerResolver) -> list[Quote]:
    dashes = tuple(quote_lexicon()["quote_dashes"])
    text = text_of(doc)
    found: list[Quote] = []
    turn_paragraph = -2  # index of the paragraph holding the last dash quote
    for index, (p_start, p_end) in enumerate(paragraphs(text)):
        line = text[p_start:p_end]
        if not (line[:1] in dashes and line[1:2] == " "):
            continue
        start = p_start + 2
        while start < p_end and text[start].isspace():
            start += 1
        tokens = doc.char_span(start, p_end, alignment_mode="expand")
        if tokens is None or any(inside[t.i] for t in tokens):
            continue
        attribution = _trailing_attribution(doc, tokens.start, tokens.end, inside)
        if attribution is not None:
            comma, cue, subject = attribution
            end = comma.idx
            speaker = speaker_from_head(subject, inside, resolver)
            cue_span = Span(text=cue.text, start=cue.idx, end=cue.idx + len(cue.text))
            confidence = 0.85
        elif found and turn_paragraph == index - 1 and not line.rstrip(" .").endswith(dashes):
            # An attribution-less dash paragraph right after a dash quote continues that speaker's turn;
            # elsewhere a leading dash marks a list item or a subheading ("– Ready to quiz Trump –").
            end = p_end
            speaker, cue_span, confidence = found[-1].speaker, found[-1].cue, 0.6
        else:
            continue
        while end > start and text[end - 1] in TRAILING_PUNCT:
            end -= 1
        if len(text[start:end].split()) >= 4:  # a dash before a credit (" - AFP") is not a quote
            found.append(Quote(text=text[start:end], start=start, end=end, kind="dash", cue=cue_span,
                               speaker=speaker, confidence=confidence))
            turn_paragraph = index
    return found


def unmarked_quotes(doc: Doc, inside: list[bool], resolver: SpeakerResolver, known: list[Quote]) -> list[Quote]:
    """Sentences whose marks were lost: first-person content then ', X said.' ("We believe ..., Peskov stated.")."""
    first_person = set(quote_lexicon()["first_person"])
    dashes = tuple(quote_lexicon()["quote_dashes"])
    found: list[Quote] = []
    overlaps_known = overlap_test([(q.start, q.end) for q in known])
    for sentence in doc.sents:
        if any(inside[t.i] for t in sentence) or overlaps_known(sentence.start_char, sentence.end_char):
            continue
        if sentence.text[:1] in dashes:
            continue
        attribution = _trailing_attribution(doc, sentence.start, sentence.end, inside)
        if attribution is None:
            continue
        comma, cue, subject = attribution
        content = doc[sentence.start : comma.i]
        tail = [t for t in doc[cue.i + 1 : sentence.end] if not t.is_punct]
        if len(content) < 4 or len(tail) > 4 or cue.head.i != cue.i and cue.dep_ not in ("ROOT", "parataxis"):
            continue
        if any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > cue.i for c in cue.children):
            continue  # "..., Holder announced his resignation": the verb has its own object, nothing is quoted
        if not any(t.lower_ in first_person and t.pos_ == "PRON" for t in content):
            continue
        start, end = content.start_char, comma.idx
        found.append(Quote(
            text=text_of(doc)[start:end], start=start, end=end, kind="unmarked",
            cue=Span(text=cue.text, start=cue.idx, end=cue.idx + len(cue.text)),
            speaker=speaker_from_head(subject, inside, resolver), confidence=0.6,
        ))
    return found
