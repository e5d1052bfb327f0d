"""Quotes between quotation marks: whether a quoted stretch is speech (a whole statement or a phrase; quoted
names and titles, and scare quotes that no speech governs, are left out), the route that attributes it
(`routes.py`, tried in order), its speaker (`speakers.py`) and its confidence (`confidence.py`)."""

from __future__ import annotations

import re

from newsfacts.annotate.doc_index import doc_index, text_of
from newsfacts.annotate.quotes.attribution import Attribution, last_char_before_mark, quoted_words
from newsfacts.annotate.quotes.confidence import evidence_of, speaker_confidence
from newsfacts.annotate.quotes.coref import quote_lexicon
from newsfacts.annotate.quotes.marks import QuotedSpan
from newsfacts.annotate.quotes.routes import (
    according_to,
    clause_before_colon,
    dash_signature,
    governing_cue_by_sentence,
    introduced_by_colon,
    nearby_cue,
    parenthetical_cue,
    speech_clause_after,
    stance_of_named_subject,
)
from newsfacts.annotate.quotes.speakers import (
    can_speak,
    colon_label,
    continued_clause,
    continued_speaker,
    speaker_from_head,
)
from newsfacts.models import Quote, Speaker, Span


def _looks_like_term(text: str) -> bool:
    """A quoted name or title ("Storm Corps", "Necessary"): capitalised words only, no speech punctuation."""
    if re.search(r"[,;:.!?]", text.strip().rstrip(".")) or re.search(r"[!?]$", text.strip()):
        return False
    words = re.findall(r"[^\W\d_][\w'’\-]*", text)
    minor = set(quote_lexicon()["title_minor_words"])
    return 0 < len(words) <= 6 and words[0][0].isupper() and all(w[0].isupper() for w in words if w.lower() not in minor)


def _is_full_statement(text: str, span: QuotedSpan, index) -> bool:
    """A whole quoted statement rather than a phrase inside someone's reported speech."""
    words = text.split()
    starts_upper = bool(re.match(r"\W*[A-Z0-9]", text))
    before_end = last_char_before_mark(index, span)
    at_clause_start = before_end < 0 or index.text[before_end] in ":,.!?—–-"
    closes_with_punctuation = re.search(r"[.,!?]\W*$", text) is not None
    return starts_upper and (len(words) >= 4 or closes_with_punctuation) and (at_clause_start or len(words) >= 6)


def marked_quote(doc, span, quoted, index, inside, resolver, previous, keys=None) -> Quote | None:
    text = text_of(doc)
    start, end = quoted_words(text, span.start, span.end)
    if end <= start:
        return None
    words = text[start:end]
    full = _is_full_statement(text[span.start:span.end], span, doc_index(doc))
    quote_tokens = doc.char_span(start, end, alignment_mode="expand")
    if quote_tokens is None or len(quote_tokens) == 0:
        return None
    speech_clause = speech_clause_after(doc, span, inside)
    if _looks_like_term(words) and speech_clause is None and (
        not (full and len(words.split()) >= 4) or _after_work_noun(text, span) or _names_a_thing(quote_tokens)
    ):
        return None
    if speech_clause is None and (_modifies_noun_after(text, span, quote_tokens) or _glossed_name(text, span, words)):
        return None
    if span.continued and _runs_into_narrative(quote_tokens):
        return None
    route = "cue"
    attribution = governing_cue_by_sentence(quote_tokens, inside)
    if attribution is None:
        attribution, route = according_to(doc, quote_tokens, inside), "according_to"
    if attribution is not None and _names_its_subject(attribution):
        attribution = None
    if attribution is None and speech_clause is not None:
        attribution, route = speech_clause, "speech_clause"
    if attribution is None and full:
        attribution, route = dash_signature(doc, span, inside), "dash_signature"
    if attribution is None and full:
        attribution = nearby_cue(doc, quote_tokens, inside) or introduced_by_colon(doc, span, inside)
        route = "nearby_cue"
    if attribution is None and full:
        attribution, route = clause_before_colon(doc, span, inside), "clause_before_colon"
    if attribution is None and not full:
        attribution, route = parenthetical_cue(quote_tokens, inside), "parenthetical"
    if attribution is None and not full and doc_index(doc).line_start(start) != 0:
        # Not in a headline: there a quoted word without a speech verb is the desk's scare quote.
        attribution, route = stance_of_named_subject(quote_tokens, inside), "stance"
    speaker: Speaker | None = None
    cue: Span | None = None
    evidence = "none"
    if attribution is not None:
        cue_start, cue_end = attribution.cue_span
        cue = Span(text=text[cue_start:cue_end], start=cue_start, end=cue_end)
        if attribution.speaker_head is not None and can_speak(attribution.speaker_head):
            speaker = speaker_from_head(attribution.speaker_head, inside, resolver)
            evidence = resolver.last_speaker_evidence
    if speaker is None:
        speaker = colon_label(doc, span, inside, resolver)
        if speaker is not None:
            route, evidence = "colon_label", resolver.last_speaker_evidence
    if attribution is None and speaker is None:
        if full:
            inherited = continued_speaker(span, quoted, index, previous, resolver)
        else:
            inherited = continued_clause(quote_tokens, span, previous, inside)
        if inherited is None:
            return None  # a scare quote or a quoted term that no speech governs
        speaker, cue = inherited.speaker, inherited.cue
        route, evidence = "continued" if full else "continued_clause", evidence_of(inherited.speaker)
    confidence = speaker_confidence(route, evidence)
    if keys is not None:
        keys[(start, end)] = (route, evidence)
    return Quote(
        text=text[start:end], start=start, end=end, kind="full" if full else "partial", cue=cue, speaker=speaker,
        confidence=confidence,
    )


def continued_from(doc, span: QuotedSpan, following: Quote) -> Quote | None:
    """A quoted paragraph left open (`span.continued`) with no attribution of its own, whose quote goes on in
    `following` ('"A. <para>"B," he said.'): it takes that quote's speaker and cue."""
    text = text_of(doc)
    start, end = quoted_words(text, span.start, span.end)
    if end <= start or following.speaker is None or following.kind != "full":
        return None
    index = doc_index(doc)
    if not _is_full_statement(text[span.start:span.end], span, index):
        return None
    quote_tokens = doc.char_span(start, end, alignment_mode="expand")
    if quote_tokens is None or not len(quote_tokens) or _runs_into_narrative(quote_tokens):
        return None
    same_line = not index.has_newline(end, following.start)
    next_line = index.line_start(following.start) == index.next_nonspace(index.line_end(end))
    if following.start < end or not (same_line or next_line):
        return None
    return Quote(
        text=text[start:end], start=start, end=end, kind="full", cue=following.cue, speaker=following.speaker,
        confidence=speaker_confidence("continued", evidence_of(following.speaker)),
    )


def _runs_into_narrative(quote_tokens) -> bool:
    """An unclosed stretch ('"If we win it is great. Robinson also revealed that ... "Everyone ...') whose
    later sentence reports someone by name speaking ('Robinson also revealed'): the closing mark was lost and
    the stretch runs into the writer's narrative, so it is not one quote."""
    from newsfacts.annotate.cues import cue_lexicon

    first_sentence = quote_tokens[0].sent.start
    for token in quote_tokens:
        if token.sent.start == first_sentence or token.dep_ != "ROOT" or token.tag_ not in ("VBD", "VBZ"):
            continue
        if token.lemma_.lower() in cue_lexicon().all_verbs and any(
                c.dep_ == "nsubj" and (c.pos_ == "PROPN" or c.ent_type_ == "PERSON") for c in token.children):
            return True
    return False


# How a quoted word or two can modify the noun that follows its closing mark.
_MODIFIER_DEPS = {"amod", "compound", "nmod", "poss"}


def _modifies_noun_after(text: str, span: QuotedSpan, quote_tokens) -> bool:
    """A word or two in single marks standing before the noun it modifies, outside the marks ("the 'minor'
    categories", "its 'super size' portions", "another 'contentious' film"): the writer's scare quotes around
    part of a noun phrase, not someone's words. Single marks only: in double marks a reported speaker's own
    adjective is quoted that way ('the agency said the North sent a "large-scale" deployment')."""
    if span.style != "single" or len(quote_tokens) > 3 or span.end >= len(text) or not text[span.end + len(span.mark) - 1 :][1:2].isspace():
        return False
    root = quote_tokens.root
    head = root.head
    if head.i < quote_tokens.end or root.dep_ not in _MODIFIER_DEPS or head.pos_ not in ("NOUN", "PROPN"):
        return False
    between = quote_tokens.doc[quote_tokens.end : head.i]
    return all(t.is_punct or t.dep_ in _MODIFIER_DEPS | {"punct", "case"} for t in between)


_GLOSS = re.compile(r"[\"”'’]+\s*\([^()\n]{1,60}\)")


def _glossed_name(text: str, span: QuotedSpan, words: str) -> bool:
    """A short quoted stretch without sentence punctuation followed by a gloss in brackets ('the "Partido
    ..." (Game Against ...)', '"Lok Sabha" (lower house)'): a name given with its translation, not speech."""
    return len(words.split()) <= 6 and not re.search(r"[,;:.!?]", words) and _GLOSS.match(text, span.end) is not None


def _after_work_noun(text: str, span: QuotedSpan) -> bool:
    """The quoted stretch follows a noun naming a kind of work ('the film "A Rainy Day in New York"')."""
    before = text[max(0, span.start - len(span.mark) - 30) : span.start - len(span.mark)].split()
    return bool(before) and before[-1].lower().strip(",'’") in quote_lexicon()["work_nouns"]


# Where a quoted title-case term stands as a thing named in its sentence rather than as words spoken.
_NOUN_SLOTS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "compound", "attr", "conj", "npadvmod"}


def _names_a_thing(quote_tokens) -> bool:
    """A quoted title-case stretch that is a noun phrase in its sentence ('his movie "A Rainy Day ..." was
    shelved'): a name or a title, not speech."""
    root = quote_tokens.root
    return root.pos_ in ("PROPN", "NOUN") and root.dep_ in _NOUN_SLOTS


def _names_its_subject(attribution: Attribution) -> bool:
    """'The storms were called "monster storms"', headline style 'Hurricanes called "monster storms"': the
    subject of a passive naming verb, or of one with a predicate name and no object (headlines drop the
    'were'), is what is named, not who speaks; 'Trump called it "a disaster"' keeps its object and speaker."""
    head = attribution.speaker_head
    cue = attribution.cue if not isinstance(attribution.cue, tuple) else None
    if head is None or cue is None or cue.lemma_.lower() not in quote_lexicon()["naming_verbs"]:
        return False
    if head.dep_ == "nsubjpass":
        return True
    if doc_index(cue.doc).line_start(cue.idx) != 0:
        return False  # headline grammar only: in the body the parse of 'called it "..."' is not this reliable
    deps = {c.dep_ for c in cue.children}
    return "oprd" in deps and not deps & {"dobj", "dative", "ccomp"}
