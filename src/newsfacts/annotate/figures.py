"""Figures: the numbers an article states, with unit, hedge, change and the claimant the article names.

Conventions of a published `Figure`:

* `text`/`start`/`end` cover the whole figure phrase: hedge, currency, number, scale, unit and, for counts,
  the counted noun phrase ("around 12,000 soldiers", "at least 10,000 containers", "$2 billion").
* `kind`: money (a currency), percent, percentage_points, measure (a unit of measure, durations included),
  count (a number with the noun it counts), number (a bare number).
* `unit`: ISO 4217 code for money ("USD"; the currency's name for units without a code: "cent"),
  "percent", "percentage point", the SI-style unit name for measures ("kilometre", "square mile",
  "kilometre per hour"), and for counts the counted noun phrase in lower case as written, without proper
  modifiers or words like "more" ("1,500 more soldiers" -> "soldiers", "1,500 special forces" ->
  "special forces"). Plurals are kept: "special forces" is not "special force".
* `object`: for counts the full counted noun phrase as written ("North Korean special forces soldiers");
  otherwise the noun the figure measures when the parse gives one ("27-kilometre ring" -> "ring",
  "35% of voters" -> "voters").
* ranges ("25 to 40 miles", "between 10,000 and 12,000") give `value` (low) and `value_max` (high).
* vague quantities ("tens of thousands") set `vague` and give a lower bound as `value`.

Not figures: calendar dates and years, clock times, ordinals, phone numbers, numbers inside names and
identifiers ("World War II", "F-16", "Voyager 2"), counters and other page furniture, and a bare "one".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span as SpacySpan, Token

from newsfacts.annotate.cues import cue_lexicon
from newsfacts.annotate.figure_lexicon import FigureLexicon, Surface, Unit, figure_lexicon
from newsfacts.annotate.numbers import NumberMention, find_numbers, number_lexicon
from newsfacts.models import Claimant, Entity, Figure, Span

# spaCy labels whose spans are names: a number inside one is part of the name ("Voyager 2", "G7").
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP", "LANGUAGE"})

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?,?\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
# Spans that are never figures, found on the raw text before numbers are read.
_NOT_FIGURE_PATTERNS = (
    # web addresses and e-mail addresses: their digits are identifiers ("%20", "?id=305")
    re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE),
    # clock times: 05:44, 5:44 PM, 2pm, 2.17pm (minutes are always two digits)
    re.compile(r"(?<![\d.,])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE),
    re.compile(r"(?<![\d.,])\d{1,2}(?:\.\d{2})?\s*[ap]\.?m\b\.?", re.IGNORECASE),
    # numeric dates: 21/10/2024, 2024-10-21, 21.10.2024
    re.compile(r"(?<!\d)\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)"),
    # phone numbers: +44 20 7946 0958, (555) 123-4567, 555-123-4567
    re.compile(r"\+\d{1,3}(?:[\s.-]\(?\d{1,5}\)?){2,}"),
    re.compile(r"(?<!\d)\(?\d{3}\)?[\s.-]\d{3}-\d{4}(?!\d)"),
    # year spans and decades: 2013-14, 1990s, '90s
    re.compile(r"(?<!\d)(?:1\d|20)\d{2}[-–/](?:\d{2}|\d{4})(?![\d%])"),
    re.compile(r"(?<!\d)(?:1\d|20)?\d0['’]?s\b"),
    # ordinals: 21st, 2nd, 4th
    re.compile(r"(?<![\w.])\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
    # numbered references: No. 5, #3, page 12
    re.compile(r"\b(?:No\.|Nos\.|#|page|pp?\.|art\.|article|section|chapter|vol\.|volume)\s*\d+", re.IGNORECASE),
)
_COMPARATIVES = frozenset({"more", "additional", "other", "extra", "further", "fewer", "less", "new", "another", "some", "several", "many", "few"})
_SOURCE_NOUNS = frozenset({"analysis", "report", "estimate", "estimates", "data", "figures", "figure", "intelligence", "statement", "assessment", "survey", "study", "count", "tally", "research", "briefing", "officials", "sources", "poll", "polls", "census", "tally"})
_PRONOUNS = frozenset({"he", "she"})


@dataclass(frozen=True)
class _Candidate:
    """A figure being assembled: offsets into the text plus what has been read so far."""

    start: int
    end: int
    number: NumberMention
    value: float
    value_max: float | None = None
    kind: str = "number"
    unit: str | None = None
    unit_dimension: str | None = None
    object: str | None = None
    hedge: str | None = None
    change: str | None = None
    vague: bool = False
    noun_token: int | None = None  # index of the counted noun


# ---- exclusions -----------------------------------------------------------------------------------------


def _excluded_spans(text: str, lex: FigureLexicon) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for pattern in _NOT_FIGURE_PATTERNS for m in pattern.finditer(text)]
    for idiom in lex.idioms:
        spans.extend((m.start(), m.end()) for m in re.finditer(rf"(?<![\w/]){re.escape(idiom)}(?![\w/])", text))
    return spans


def _line_of(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


def _is_furniture(text: str, number: NumberMention, lex: FigureLexicon) -> bool:
    line = _line_of(text, number.start)
    if any(p.search(line) for p in lex.furniture_lines):
        return True
    following = re.match(r"\s*([A-Za-z]+)", text[number.end :])
    return bool(following and following.group(1).lower() in lex.counter_nouns)


def _glued_identifier(text: str, number: NumberMention) -> bool:
    """Digits glued to letters ("i7", "F-16", "06F6", "860BOX") belong to an identifier, not a figure."""
    if number.written != "digits":
        return False
    before = text[max(0, number.start - 2) : number.start]
    if before[-1:].isalpha() and number.start and not text[number.start - 1] in "$€£¥₩₹₽":
        return True
    if len(before) == 2 and before[1] in "-–/" and before[0].isalpha() and before[0].isupper():
        return True
    return False


def _in_name(doc: Doc, start: int, end: int, entities: Sequence[Entity]) -> bool:
    for ent in doc.ents:
        if ent.label_ in NAME_LABELS and ent.start_char <= start and end <= ent.end_char and ent.end_char - ent.start_char > end - start:
            return True
    for entity in entities:
        for mention in entity.mentions:
            if mention.start <= start and end <= mention.end and mention.end - mention.start > end - start:
                return True
    return False


def _in_date(doc: Doc, start: int, end: int) -> bool:
    return any(ent.label_ in ("DATE", "TIME") and ent.start_char <= start and end <= ent.end_char for ent in doc.ents)


def _is_calendar(text: str, doc: Doc, number: NumberMention) -> bool:
    """A day of the month or a year."""
    if not number.plain_integer:
        return False
    value = number.value
    if 1 <= value <= 31 and (_MONTH_BEFORE.search(text[max(0, number.start - 12) : number.start]) or _MONTH_AFTER.match(text[number.end : number.end + 16])):
        return True
    if 1000 <= value <= 2100 and number.end - number.start == 4:
        before = text[max(0, number.start - 12) : number.start].lower()
        if _in_date(doc, number.start, number.end) or re.search(r"\b(in|since|by|until|till|from|of|year|during|before|after|early|late|mid|circa)\s*-?$", before):
            return True
        if re.search(rf"\b(?:{_MONTHS}|{_WEEKDAYS})\.?,?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?$", before, re.IGNORECASE):
            return True
    return False


def _after_proper_name(doc: Doc, number: NumberMention) -> bool:
    """'Boeing 737 Max', 'Apollo 11', 'Route 66', 'Voyager 2': a plain integer right after a capitalised
    proper noun, with no unit or counted noun of its own, is part of the name."""
    if not number.plain_integer:
        return False
    span = _tokens(doc, number.start, number.end)
    if span is None or not len(span) or span[0].i == 0:
        return False
    before = doc[span[0].i - 1]
    if before.pos_ != "PROPN" or not before.text[:1].isupper() or before.whitespace_ != " ":
        return False
    if before.is_sent_start or before.ent_type_ in ("DATE", "TIME"):
        return False
    nxt = doc[span[-1].i + 1] if span[-1].i + 1 < len(doc) else None
    return nxt is None or not (nxt.pos_ == "NOUN" and nxt.text.islower())


def _age_after_name(text: str, doc: Doc, number: NumberMention) -> bool:
    """'John Smith, 45,' : an age in apposition to a person (bylines, captions)."""
    if not number.plain_integer or not (1 <= number.value <= 120):
        return False
    if not re.match(r"\s*[,)]", text[number.end :]) or not re.search(r",\s*$", text[: number.start]):
        return False
    comma = text.rfind(",", 0, number.start)
    return any(ent.label_ == "PERSON" and ent.end_char == comma for ent in doc.ents)


# ---- units around the number ----------------------------------------------------------------------------


def _match_surface(text: str, position: int, surfaces: Sequence[Surface], glued: bool = False) -> Surface | None:
    for surface in surfaces:
        if surface.glued_only and not glued:
            continue
        chunk = text[position : position + len(surface.text)]
        if (chunk == surface.text) if surface.case_sensitive else (chunk.lower() == surface.text.lower()):
            after = text[position + len(surface.text) : position + len(surface.text) + 1]
            if surface.text[-1:].isalpha() and (after.isalpha() or after.isdigit() and after not in "23"):
                continue
            return surface
    return None


def _currency_before(text: str, start: int, lex: FigureLexicon) -> tuple[int, Unit] | None:
    window = text[max(0, start - 8) : start]
    for surface in lex.currency_before:
        for gap in ("", " ", "\u00a0"):
            candidate = surface.text + gap
            if window.endswith(candidate):
                begin = start - len(candidate)
                if surface.text[:1].isalpha() and begin > 0 and text[begin - 1].isalpha():
                    continue
                return begin, surface.unit
    return None


@dataclass(frozen=True)
class _UnitRead:
    end: int
    unit: Unit
    name: str


def _unit_after(text: str, end: int, money: bool, lex: FigureLexicon) -> _UnitRead | None:
    """Read a unit (with power and 'per' denominators) starting right after the number."""
    m = re.match(r"[ \u00a0]?-?[ \u00a0]?", text[end:])
    position = end + (m.end() if m else 0)
    power = 0
    pm = re.match(r"(square|sq|cubic|cu)\.?\s+", text[position:], re.IGNORECASE)
    if pm:
        power = lex.power_words[pm.group(1).lower()]
        position += pm.end()
    surface = _match_surface(text, position, lex.after, glued=position == end)
    if surface is None:
        return None
    unit = surface.unit
    if money and unit.kind == "measure":
        return None
    if surface.text in lex.ambiguous_symbols:
        following = text[position + len(surface.text) :].lstrip().lower()
        if following and not any(following.startswith(word) for word in lex.ambiguous_symbols[surface.text]):
            return None
    stop = position + len(surface.text)
    name = unit.name
    if unit.kind == "measure":
        sm = re.match(r"(?:\^?([23])|([²³])|\s+(squared|cubed))(?![\w])", text[stop:])
        if sm:
            power = 2 if (sm.group(1) == "2" or sm.group(2) == "²" or sm.group(3) == "squared") else 3
            stop += sm.end()
        im = re.match(r"(?:\^?[-−]1)(?![\d])", text[stop:])
        if power:
            name = ("square " if power == 2 else "cubic ") + name
        if im:
            name = "inverse " + name
            stop += im.end()
    stop, name = _denominators(text, stop, name, lex)
    return _UnitRead(stop, unit, name)


def _denominators(text: str, stop: int, name: str, lex: FigureLexicon) -> tuple[int, str]:
    """Denominators: "per hour", "/hour", "a day", "/kg"."""
    while True:
        dm = re.match(r"(?:\s*/\s*|\s+(?:per|a|an|each|every)\s+)", text[stop:], re.IGNORECASE)
        if not dm:
            break
        denominator = _match_surface(text, stop + dm.end(), [s for s in lex.after if s.unit.kind == "measure"])
        if denominator is None:
            break
        dstop = stop + dm.end() + len(denominator.text)
        dname = denominator.unit.name
        sm = re.match(r"\^?([23])(?![\w])", text[dstop:])
        if sm:
            dname = ("square " if sm.group(1) == "2" else "cubic ") + dname
            dstop += sm.end()
        name = f"{name} per {dname}"
        stop = dstop
    return stop, name


# ---- the counted noun -----------------------------------------------------------------------------------


def _tokens(doc: Doc, start: int, end: int) -> SpacySpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _counted_noun(doc: Doc, end: int) -> Token | None:
    """The noun a number counts: the nummod head ("10,000 troops"), or "of" + noun after a vague scale."""
    span = _tokens(doc, max(0, end - 1), end)
    if span is None or not len(span):
        return None
    token = span[-1]
    # "1,500 more soldiers": climb modifiers to the right until a noun. In "10,000 and 12,000 troops" the
    # second number may hang on the first as a conjunct.
    current = token.head if token.dep_ == "conj" and token.head.i < token.i and token.head.like_num else token
    for _ in range(4):
        head = current.head
        if head.i <= token.i or head.i - token.i > 6:
            break
        if current.dep_ not in ("nummod", "quantmod", "amod", "advmod", "compound", "npadvmod", "nmod"):
            break
        if head.pos_ in ("NOUN", "PROPN"):
            between = doc[token.i + 1 : head.i]
            if any(t.is_punct or t.pos_ in ("VERB", "AUX", "ADP", "CCONJ") for t in between):
                return None
            return head
        current = head
    # "thousands of soldiers", "a dozen of them"
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of" and token.pos_ in ("NOUN", "NUM"):
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN") and child.i - nxt.i <= 4:
                return child
    return None


def _noun_phrase_words(doc: Doc, noun: Token, first: int) -> tuple[int, str, str]:
    """(start char, unit, object) of the counted noun phrase that begins after token index `first`."""
    left = [t for t in doc[first : noun.i] if t.i >= first]
    while left and left[0].lower_ in _COMPARATIVES:
        left = left[1:]  # "1,500 more soldiers": the object is the soldiers
    modifiers = [t for t in left if t.head == noun or t.head.head == noun]
    start_token = left[0] if left else noun
    object_text = doc.text[start_token.idx : noun.idx + len(noun.text)]
    unit_words = [
        t.lower_ for t in modifiers
        if t.dep_ in ("compound", "amod") and t.lower_ not in _COMPARATIVES and not t.ent_type_ and t.text.islower() and t.is_alpha
    ]
    unit_words.append(noun.lower_)
    return start_token.idx, " ".join(unit_words), object_text


def _object_of(doc: Doc, start: int, end: int) -> str | None:
    """The noun a measure, sum or share is about: '27-kilometre ring', '35% of voters'."""
    span = _tokens(doc, start, end)
    if span is None or not len(span):
        return None
    last = span[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN"):
                return child.lemma_.lower() if child.pos_ == "NOUN" else child.text
    head = last.head
    if head.i > last.i and head.pos_ == "NOUN" and head.i - last.i <= 3 and last.dep_ in ("nummod", "amod", "compound", "quantmod", "npadvmod", "nmod"):
        return head.lemma_.lower()
    return None


# ---- hedges and changes ---------------------------------------------------------------------------------


def _best_hedge(text: str, start: int, lex: FigureLexicon) -> tuple[int, str] | None:
    """The longest hedge phrase ending right before `start` ('more than' beats 'than')."""
    window = text[max(0, start - 40) : start].lower()
    best: tuple[int, str] | None = None
    for name, sides in lex.hedges.items():
        for phrase in sides.get("before", ()):
            pattern = rf"(?:^|(?<=[\s(\"“'—–-]))({re.escape(phrase)})" + (r"\s+$" if phrase[-1:].isalnum() else r"\s*$")
            m = re.search(pattern, window)
            if m:
                begin = start - (len(window) - m.start(1))
                if best is None or begin < best[0]:
                    best = (begin, name)
    return best


def _hedge_after(text: str, end: int, lex: FigureLexicon) -> tuple[int, str] | None:
    following = text[end : end + 20].lower()
    for name, sides in lex.hedges.items():
        for phrase in sides.get("after", ()):
            m = re.match(rf"\s*{re.escape(phrase)}(?![\w])", following)
            if m:
                return end + m.end(), name
    return None


def _change(doc: Doc, start: int, lex: FigureLexicon, kind: str) -> str | None:
    """'rose by 5%' -> increase, 'fell to 3%' -> to, 'up 3%' -> increase."""
    before = [t for t in doc if t.idx + len(t.text) <= start][-3:]
    if not before:
        return None
    last = before[-1]
    if last.lower_ in ("by", "to", "at") and len(before) >= 2:
        # the word before, or the verb the preposition hangs on ("rose by 2.5 points to 7%")
        for verb in (before[-2], last.head):
            for kind, lemmas in lex.change.items():
                if verb.lemma_.lower() in lemmas:
                    return kind if last.lower_ == "by" else "to"
        return None
    if kind == "count":
        return None  # "lost 300,000 troops" is a count of losses, not a change of a level
    for kind, lemmas in lex.change.items():
        if last.lemma_.lower() in lemmas and last.pos_ in ("VERB", "ADV", "ADP") and last.lower_ in ("up", "down", "rose", "fell", "jumped", "dropped", "climbed", "slipped", "gained", "lost", "rises", "falls", "grew", "shrank", "plunged", "soared", "surged", "declined", "increased", "decreased", "doubled", "halved"):
            return kind
    return None


# ---- claimants ------------------------------------------------------------------------------------------


def _np_span(doc: Doc, head: Token) -> tuple[int, int]:
    """Character span of a noun phrase: its left edge to its head, plus a following 'of ...' phrase."""
    start = head.left_edge.i
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and (child.lower_ == "of" or (child.lower_ == "for" and head.pos_ == "PROPN")):
            end = child.right_edge.i
        elif child.dep_ in ("compound", "flat", "appos") and child.ent_type_ and child.i == end + 1:
            end = child.right_edge.i
    # A noun phrase never runs across a line break (the parser sometimes joins paragraphs).
    while start < end and ("\n" in doc.text[doc[start].idx : doc[end].idx] or doc[start].is_punct):
        start += 1
    return doc[start].idx, doc[end].idx + len(doc[end].text)


def _entity_at(entities: Sequence[Entity], start: int, end: int, head_start: int, head_end: int, anywhere: bool):
    exact = None
    inside = None
    for entity in entities:
        for mention in entity.mentions:
            if mention.start == start and mention.end == end:
                exact = entity
            elif mention.start < head_end and head_start < mention.end:
                exact = exact or entity
            elif anywhere and start <= mention.start and mention.end <= end and entity.type in ("ORG", "PERSON"):
                inside = inside or entity
    return exact or inside


@dataclass(frozen=True)
class _Claim:
    name: str
    start: int
    end: int
    head_lemma: str
    entity_id: str | None


def _claim_from_np(doc: Doc, head: Token, entities: Sequence[Entity], earlier: list[_Claim]) -> _Claim:
    # "a poll by Gallup", "figures from the UN": the source is the agent of the report noun
    if head.lower_ in _SOURCE_NOUNS:
        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
                agent = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ in ("PROPN", "NOUN")), None)
                if agent is not None:
                    head = agent
                    break
    start, end = _np_span(doc, head)
    text = doc.text[start:end]
    if head.lower_ in _PRONOUNS:
        people = [e for e in entities if e.type == "PERSON" and any(m.end <= start for m in e.mentions)]
        if people:
            person = max(people, key=lambda e: max(m.end for m in e.mentions if m.end <= start))
            return _Claim(person.name, start, end, head.lemma_.lower(), person.id)
        return _Claim(text, start, end, head.lemma_.lower(), None)
    entity = _entity_at(entities, start, end, head.idx, head.idx + len(head.text), head.lower_ in _SOURCE_NOUNS or head.pos_ == "PROPN")
    if entity is not None:
        return _Claim(entity.name if head.lower_ in _SOURCE_NOUNS else text, start, end, head.lemma_.lower(), entity.id)
    # "The agency" after "Seoul's spy agency": a definite description names the fuller earlier claimant.
    determiner = doc[head.left_edge.i]
    if determiner.lower_ in ("the", "this", "that") and head.left_edge.i == head.i - 1:
        for claim in reversed(earlier):
            if claim.head_lemma == head.lemma_.lower() and len(claim.name) > len(text):
                return _Claim(claim.name, start, end, claim.head_lemma, claim.entity_id)
        # else the nearest earlier noun phrase with the same head and a naming modifier
        for token in reversed(doc[: head.left_edge.i]):
            if token.lemma_.lower() == head.lemma_.lower() and any(c.dep_ in ("poss", "compound", "amod") for c in token.lefts):
                earlier_start, earlier_end = _np_span(doc, token)
                earlier_entity = _entity_at(entities, earlier_start, earlier_end, token.idx, token.idx + len(token.text), False)
                return _Claim(doc.text[earlier_start:earlier_end], start, end, head.lemma_.lower(), earlier_entity.id if earlier_entity else None)
    return _Claim(text, start, end, head.lemma_.lower(), None)


def _claim_for(doc: Doc, start: int, end: int, entities: Sequence[Entity], earlier: list[_Claim]) -> _Claim | None:
    span = _tokens(doc, start, end)
    if span is None or not len(span):
        return None
    token = span[-1]
    sent = token.sent
    cues = cue_lexicon()
    # "according to X"
    lowered = sent.text.lower()
    for phrase in cues.phrases:
        at = lowered.find(phrase)
        if at < 0:
            continue
        phrase_end = sent.start_char + at + len(phrase)
        last = next((t for t in sent if t.idx < phrase_end <= t.idx + len(t.text)), None)
        if last is None:
            continue
        for child in last.children:
            if child.dep_ == "pobj" and not (child.left_edge.idx <= start < child.right_edge.idx + len(child.right_edge.text)):
                return _claim_from_np(doc, child, entities, earlier)
    # the subject of a cue verb governing the figure, or of one beside it in the sentence
    # Paragraph breaks end a claim even where the parser ran two paragraphs into one sentence.
    paragraph_start = doc.text.rfind("\n", 0, start) + 1
    paragraph_end = doc.text.find("\n", end)
    paragraph_end = len(doc.text) if paragraph_end < 0 else paragraph_end
    verbs = [
        t for t in sent
        if t.lemma_.lower() in cues.all_verbs and t.pos_ in ("VERB", "AUX") and paragraph_start <= t.idx < paragraph_end
    ]
    ancestors = list(token.ancestors)
    ordered = [v for v in ancestors if v in verbs] + [v for v in verbs if v not in ancestors and (v.dep_ in ("ROOT", "parataxis", "ccomp", "advcl", "conj") )]
    for verb in ordered:
        subject = _subject_of(verb)
        if subject is None:
            continue
        if subject.left_edge.idx <= start and end <= subject.right_edge.idx + len(subject.right_edge.text):
            continue  # the figure is inside the subject: it is what is claimed, not who claims it
        if subject.pos_ not in ("NOUN", "PROPN", "PRON") or subject.lower_ in ("it", "they", "we", "i", "you", "this", "that", "there"):
            continue
        return _claim_from_np(doc, subject, entities, earlier)
    return None


def _subject_of(verb: Token) -> Token | None:
    current = verb
    for _ in range(3):
        for child in current.children:
            if child.dep_ in ("nsubj",):
                return child
        if current.dep_ in ("advcl", "xcomp", "conj", "acl") and current.head is not current:
            current = current.head
        else:
            break
    # The parser sometimes leaves a reporting verb without a subject ("..., Seoul's spy agency said"):
    # the noun right before the verb is then its subject.
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.pos_ in ("NOUN", "PROPN") and "\n" not in before.whitespace_:
        return before
    return None


# ---- assembly -------------------------------------------------------------------------------------------


def _read(text: str, doc: Doc, number: NumberMention, lex: FigureLexicon) -> _Candidate | None:
    start, end = number.start, number.end
    value = number.value
    kind, unit_name, dimension = "number", None, None
    money_before = _currency_before(text, start, lex)
    if money_before is not None:
        start, unit = money_before
        kind, unit_name = "money", unit.name
        # "$10M", "€3.5m", "$2.174T": single-letter scales only in money
        sm = re.match(r"[ \u00a0]?([A-Za-z]{1,2})\b", text[end:])
        if number.written == "digits" and sm and sm.group(1) in number_lexicon().money_scale_letters:
            value *= number_lexicon().money_scale_letters[sm.group(1)]
            end += sm.end()
    # "minus five percent", "negative 3"
    sign_word = re.search(r"(?:^|(?<=\s))(minus|negative)\s+$", text[max(0, start - 10) : start], re.IGNORECASE)
    if sign_word and value > 0:
        value = -value
        start -= len(sign_word.group())
    read = _unit_after(text, end, money=kind == "money", lex=lex)
    if read is not None and read.unit.name == "GBP" and re.match(r"\s+of\b", text[read.end :]):
        read = None  # "200 pounds of cocaine" is a mass, not money
    if read is None:
        if kind == "money":
            end, unit_name = _denominators(text, end, unit_name, lex)  # "$15.4/hour", "$350 per kg"
    elif kind == "money":
        end = read.end  # a currency written on both sides: "$5 USD"
    else:
        kind, unit_name, dimension, end = read.unit.kind, read.name, read.unit.dimension, read.end
    # Accounting negatives: "revenue is ($99.99)" is minus 99.99. Only after a linking word, so that an
    # amount restated in brackets ("€10m ($11m)") keeps its sign.
    if kind == "money" and start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")" and value > 0:
        if re.search(r"(?:\b(?:is|was|were|are|be|of|at|reached|totalled|totaled)|:)\s*$", text[: start - 1], re.IGNORECASE):
            value = -value
    return _Candidate(start, end, number, value, kind=kind, unit=unit_name, unit_dimension=dimension, vague=number.vague)


def _attach_counted_noun(doc: Doc, candidate: _Candidate) -> _Candidate:
    if candidate.kind != "number":
        return candidate
    noun = _counted_noun(doc, candidate.end)
    if noun is None or noun.idx < candidate.end or "\n" in doc.text[candidate.end : noun.idx]:
        return candidate
    span = _tokens(doc, candidate.start, candidate.end)
    first = span[-1].i + 1 if span is not None and len(span) else noun.i
    if doc[first].lower_ == "of":
        first += 1
    _, unit, object_text = _noun_phrase_words(doc, noun, first)
    end = noun.idx + len(noun.text)
    # "four times per week", "3 cases per 1,000 people" -> "times per week"
    end, unit = _denominators(doc.text, end, unit, figure_lexicon())
    return replace(candidate, kind="count", unit=unit, object=object_text, end=end, noun_token=noun.i)


def _article_units(text: str, lex: FigureLexicon) -> list[NumberMention]:
    """'a gallon of beer', 'a penny': the article is the number one, read only before the units listed in
    units.yaml's article_units (its span is the article; the unit is read after it like any other)."""
    words = "|".join(sorted((re.escape(w) for w in lex.article_units), key=len, reverse=True))
    pattern = re.compile(rf"\b(an?)\s+(?=(?:{words})\b)", re.IGNORECASE)
    return [NumberMention(m.start(1), m.end(1), 1.0, "words") for m in pattern.finditer(text)]


def _drop_juxtaposed(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Two digit numbers side by side with only a space between ("0 490,607", "245 23") are counters or
    broken tables, not figures: neither can be read with confidence."""
    drop: set[int] = set()
    for i in range(len(candidates) - 1):
        left, right = candidates[i], candidates[i + 1]
        if left.number.written == right.number.written == "digits" and left.kind == "number" and re.fullmatch(r"[ \u00a0]+", text[left.end : right.start]):
            drop.update((i, i + 1))
    return [c for i, c in enumerate(candidates) if i not in drop]


_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|and|or|through|until|\+/-|±|\+-)\s*$", re.IGNORECASE)


def _merge_ranges(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """'25 to 40 miles', 'between 10,000 and 12,000', '3.5–4.0 TeV', '8- to 16-meter' -> one ranged figure.

    'X and Y unit' without 'between' is a list, not a range: X takes Y's unit ('45 and 50 mg')."""
    merged: list[_Candidate] = []
    i = 0
    while i < len(candidates):
        left = candidates[i]
        right = candidates[i + 1] if i + 1 < len(candidates) else None
        if right is not None:
            gap = text[left.end : right.start]
            # "8- to 16-meter": the hyphen of a suspended compound
            gap_clean = re.sub(r"^-\s+(?=\w)", " ", gap)
            gap_word = gap_clean.strip().lower()
            if gap_word in ("+/-", "±", "+-") and left.kind == "number":
                # "9.83e-3 +/- 1e-5 km/s2": a value and its uncertainty share the unit; the uncertainty is
                # not a figure of its own.
                merged.append(replace(left, end=right.end, kind=right.kind, unit=right.unit, unit_dimension=right.unit_dimension))
                i += 2
                continue
            before = text[max(0, left.start - 10) : left.start].lower()
            between = bool(re.search(r"\bbetween\s+$", before))
            same_unit = left.kind in ("number",) or (left.kind == right.kind and left.unit == right.unit)
            joinable = _RANGE_JOIN.match(gap_clean) and same_unit and not left.vague and not right.vague
            if joinable and gap_word in ("and",) and not between:
                if left.kind == "number" and right.kind in ("measure", "money", "percent") and right.number.written == left.number.written:
                    merged.append(replace(left, kind=right.kind, unit=right.unit, unit_dimension=right.unit_dimension))
                else:
                    merged.append(left)
                i += 1
                continue
            if joinable and gap_word in ("or",):
                merged.append(replace(left, kind=right.kind, unit=right.unit) if left.kind == "number" and right.kind != "count" else left)
                i += 1
                continue
            if joinable and gap_word in ("-", "–", "—", "to", "through", "until", "and"):
                if gap_word in ("-", "–") and re.search(r"\s", gap):
                    merged.append(left)
                    i += 1
                    continue
                if gap_word in ("-", "–") and left.kind == right.kind == "number" and left.value > right.value >= 0:
                    i += 2  # "passed 52-48", "won 110-102": a tally or a score, not a range
                    continue
                start = left.start
                if between:
                    start = left.start - len(re.search(r"between\s+$", before).group())
                elif re.search(r"\bfrom\s+$", before):
                    start = left.start - len(re.search(r"from\s+$", before).group())
                low, high = sorted((left.value, right.value))
                merged.append(
                    replace(right, start=start, value=low, value_max=high, hedge=left.hedge or right.hedge, number=left.number)
                )
                i += 2
                continue
        merged.append(left)
        i += 1
    return merged


def _keep(candidate: _Candidate, text: str) -> bool:
    number = candidate.number
    # A bare "one" is a pronoun or an article in prose ("one of the", "no one"), not a figure.
    if candidate.kind == "number" and number.written == "words" and number.value == 1 and candidate.value_max is None:
        return False
    if number.written == "words" and number.value == 1 and re.match(r"\s+of\b", text[number.end :]):
        return False  # "one of the largest companies"
    # Numbers on a line without words are counters and page furniture, unless they carry a unit.
    line = _line_of(text, number.start)
    if candidate.kind == "number" and not re.search(r"[A-Za-z]{2,}", line):
        return False
    return True


def find_figures(doc: Doc, entities: Sequence[Entity]) -> list[Figure]:
    """All figures of an article, in text order. `doc` is the one spaCy parse of `clean.text`."""
    text = doc.text
    lex = figure_lexicon()
    excluded = _excluded_spans(text, lex)
    candidates: list[_Candidate] = []
    for number in sorted(find_numbers(text) + _article_units(text, lex), key=lambda m: m.start):
        if any(a < number.end and number.start < b for a, b in excluded):
            continue
        if _glued_identifier(text, number) or _is_furniture(text, number, lex):
            continue
        if candidates and number.start < candidates[-1].end:
            continue  # already read as part of the figure before ("$2 a barrel")
        candidate = _read(text, doc, number, lex)
        if candidate is None:
            continue
        if number.written == "words" and number.end - number.start <= 2 and candidate.kind == "number":
            continue  # "a"/"an" without a unit after it
        if candidate.kind != "money" and (_in_name(doc, number.start, number.end, entities) or _age_after_name(text, doc, number)):
            continue
        if candidate.kind in ("number",) and _is_calendar(text, doc, number):
            continue
        if candidate.kind == "number" and _after_proper_name(doc, number):
            continue
        # Letters glued after the digits that are not a unit or scale: an identifier ("5G", "3D").
        if number.written == "digits" and candidate.end == number.end and re.match(r"[A-Za-z]", text[number.end : number.end + 1]):
            continue
        candidates.append(candidate)
    candidates = _drop_juxtaposed(text, candidates)
    candidates = _merge_ranges(text, candidates)
    figures: list[Figure] = []
    earlier: list[_Claim] = []
    for candidate in candidates:
        candidate = _attach_counted_noun(doc, candidate)
        if candidate.kind == "count" and candidate.number.plain_integer and 1000 <= candidate.value <= 2100 and _in_date(doc, candidate.number.start, candidate.number.end):
            continue  # "Russia's 2022 invasion"
        if candidate.kind == "count" and candidate.unit and candidate.unit.split()[-1] in lex.counter_nouns:
            continue
        if not _keep(candidate, text):
            continue
        hedge = _best_hedge(text, candidate.start, lex)
        start, end, hedge_name = candidate.start, candidate.end, None
        if hedge is not None:
            start, hedge_name = hedge
        else:
            after = _hedge_after(text, end, lex)
            if after is not None:
                end, hedge_name = after
        change = _change(doc, start, lex, candidate.kind)
        obj = candidate.object if candidate.kind == "count" else _object_of(doc, candidate.start, candidate.end)
        claim = _claim_for(doc, candidate.start, candidate.end, entities, earlier)
        claimant = None
        if claim is not None:
            earlier.append(claim)
            claimant = Claimant(
                name=claim.name,
                mention=Span(text=text[claim.start : claim.end], start=claim.start, end=claim.end),
                entity_id=claim.entity_id,
            )
        figures.append(
            Figure(
                text=text[start:end],
                start=start,
                end=end,
                value=candidate.value,
                value_max=candidate.value_max,
                kind=candidate.kind,
                unit=candidate.unit,
                object=obj,
                hedge=hedge_name,
                change=change,
                vague=candidate.vague,
                claimant=claimant,
            )
        )
    return figures
