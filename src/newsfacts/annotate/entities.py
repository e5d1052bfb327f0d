"""Entities: names of people, organisations and places, one entity per real-world thing.

    doc ─▶ ner_candidates ─▶ clean_candidate (boundaries) ─▶ drop_non_names ─▶ extend_person_names
        ─▶ drop_headline_guesses ─▶ relabel (evidence) ─▶ add_parenthetical_acronyms
        ─▶ apply_type_patterns (storms, works, diseases: annotate/entity_types.py) ─▶ add_missed_mentions
        (+ description_mentions) ─▶ group_mentions (in-document coreference, knowledge-base links) ─▶ Entity

Conventions follow CoNLL-2003 boundaries with OntoNotes types (see eval/gold/entities/GUIDELINES.md): a
mention is the name only (no title, no leading "the", no possessive), so
``text[m.start:m.end] == m.text`` for every mention and other stages can look mentions up by offsets. A
work's title keeps its own article ("The Purple Rose of Cairo"); a storm keeps its cue ("Hurricane Irma").
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources

import yaml
from spacy.tokens import Doc

from newsfacts.annotate.doc_index import SpanSet, text_of
from newsfacts.annotate.entity_candidate import NAME_TYPES, Candidate
from newsfacts.annotate.entity_types import apply_type_patterns, storm_name, team_cue
from newsfacts.annotate.kb import KbEntry, KnowledgeBase, alias_key, fold_diacritics, load_kb
from newsfacts.models import Entity, KnownError, Mention, Span

# spaCy OntoNotes labels -> published entity types. Numeric labels (DATE, CARDINAL, MONEY...) are figures,
# not entities.
TYPE_OF_LABEL = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "PRODUCT": "PRODUCT",
    "LAW": "LAW",
    "WORK_OF_ART": "WORK",
}


@dataclass(frozen=True)
class Lexicon:
    person_titles: frozenset[str]
    person_roles: frozenset[str]
    determiners: frozenset[str]
    name_particles: frozenset[str]
    org_heads: frozenset[str]
    event_heads: frozenset[str]
    party_names: frozenset[str]
    org_nouns: frozenset[str]
    person_nouns: frozenset[str]
    portfolio_roles: frozenset[str]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("entity_lexicon.yaml").read_text("utf-8"))
    return Lexicon(**{key: frozenset(str(w).lower() for w in data[key]) for key in Lexicon.__dataclass_fields__})


@functools.lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("entity_places.yaml").read_text("utf-8"))
    return frozenset(alias_key(name) for name in data["countries"])


# ---- ids and keys -------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """Case-, accent- and hyphen-insensitive form of a name (used for ids and document-level keys)."""
    ascii_only = fold_diacritics(name)
    return re.sub(r"[\s\-‐-―]+", " ", ascii_only).strip().lower()


def compact_name(name: str) -> str:
    """`normalise_name` without the spaces: spellings that differ only in case, spacing or hyphenation
    ("Time Warner", "TimeWarner", "Time-Warner") share it."""
    return normalise_name(name).replace(" ", "")


def fallback_id(entity_type: str, name: str) -> str:
    """Deterministic id for an entity not in the knowledge base: type + slug + short hash of the key. The
    key ignores spacing, so every spacing variant of a name gets one id across articles."""
    key = compact_name(name)
    slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:40] or "x"
    digest = hashlib.sha256(f"{entity_type}:{key}".encode()).hexdigest()[:8]
    return f"nf:{entity_type.lower()}:{slug}:{digest}"


# ---- 1. NER candidates and their boundaries -----------------------------------------------------------

_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
_EDGE_STRIP = "\"'“”‘’«»()[]{}<>*•·|:;,.!?-–—/\\ \t\u00a0"
_WORD = re.compile(r"[^\s]+")
# Where one NER span holds two names: a spaced dash ("Alan Milburn - the"), a bracket ("Partridge
# (Motherwell"), an inner possessive ("Henry's Arsenal"), a preposition that never sits inside a name
# ("Perpignan at Lansdowne Road", "Leinster to Toulouse").
_SPLIT_NAMES = re.compile(
    r"\s+[-–—]+\s+|\s*[()\[\]]\s*|(?<=\w)['’]s\s+(?=[A-Z])"
    r"|\s+(?:at|to|from|with|by|in|than|versus|vs\.?|into|via)\s+(?=[A-Z])"
)
_SPLIT_PERSON = re.compile(r"\s+(?:and|or|for|&)\s+(?=[A-Z])")
_SCORE = re.compile(r"\d+[-–]\d+")
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")


def ner_candidates(doc: Doc) -> list[Candidate]:
    return [
        Candidate(ent.start_char, ent.end_char, TYPE_OF_LABEL[ent.label_], (ent.label_,))
        for ent in doc.ents
        if ent.label_ in TYPE_OF_LABEL
    ]


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]


def _is_capitalised(word: str) -> bool:
    return any(c.isupper() or c.isdigit() for c in word[:2])


def _trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """No surrounding spaces, quotes or punctuation; no possessive 's; no dangling hyphen."""
    while True:
        before = (start, end)
        while start < end and text[start] in _EDGE_STRIP:
            start += 1
        while end > start and text[end - 1] in _EDGE_STRIP:
            # keep the period of an abbreviation that ends the name ("U.S.", "Co.", "Jr.")
            if text[end - 1] == "." and re.search(r"(?:\b[A-Z]\.[A-Z]|\b(?:Co|Jr|Sr|Inc|Ltd|St))\.$", text[start:end]):
                break
            end -= 1
        match = _POSSESSIVE_END.search(text[start:end])
        if match and match.start() > 0:
            end = start + match.start()
        # a lowercase prefix glued by a hyphen is not part of the name ("ex-Yukos", "anti-French", "non-BT")
        prefix = re.match(r"[a-z]+-(?=[A-Z])", text[start:end])
        if prefix:
            start += prefix.end()
        if (start, end) == before:
            return start, end


def _strip_words(text: str, start: int, end: int, entity_type: str) -> tuple[int, int]:
    """Drop leading determiners, titles, roles and lowercase words; trailing lowercase words."""
    lex = lexicon()
    words = _words(text, start, end)
    while len(words) > 1:
        word = text[words[0][0]:words[0][1]]
        lowered = word.lower().rstrip(".")
        rest_capitalised = any(_is_capitalised(text[s:e]) for s, e in words[1:])
        if lowered in lex.determiners and rest_capitalised:
            words = words[1:]
        elif _is_capitalised(text[words[1][0]:words[1][1]]) and (
            (entity_type == "PERSON" and (lowered in lex.person_titles or lowered in lex.person_roles))
            # other names may start with a title word ("General Motors", "Prince's Trust"): only honorifics
            # are certain to be a person's title there ("Mr Brown" read as an ORG)
            or lowered in _HONORIFICS
        ):
            words = words[1:]
        elif not _is_capitalised(word) and lowered not in lex.name_particles and rest_capitalised:
            words = words[1:]
        else:
            break
    while len(words) > 1:
        word = text[words[-1][0]:words[-1][1]]
        # a lowercase word or a match score ("Chelsea 2-0") after the name is not part of it
        if (not _is_capitalised(word) and word.lower() not in lex.name_particles) or _SCORE.fullmatch(word):
            words = words[:-1]
        else:
            break
    # a name never ends on a particle ("Bank of")
    while len(words) > 1 and text[words[-1][0]:words[-1][1]].lower() in lex.name_particles:
        words = words[:-1]
    if not words:
        return start, start
    return words[0][0], words[-1][1]


def clean_candidate(text: str, candidate: Candidate) -> list[Candidate]:
    """The name(s) inside an NER span: split at line breaks and spaced dashes, trimmed to the name itself.

    spaCy spans sometimes run across a paragraph break ("X.\\n\\nSeoul's") or a dash ("Alan Milburn - the");
    each piece is cleaned on its own and kept only if it still looks like a name (a capital letter or a
    digit, more than one character).
    """
    pieces: list[tuple[int, int]] = []
    splitters = [_SPLIT_NAMES] if candidate.type in NAME_TYPES else []
    if candidate.type == "PERSON":
        splitters.append(_SPLIT_PERSON)
    for line in re.finditer(r"[^\n]+", text[candidate.start:candidate.end]):
        line_start = candidate.start + line.start()
        last = line_start
        cuts = sorted(m.span() for splitter in splitters for m in splitter.finditer(line.group()))
        for cut_start, cut_end in cuts:
            if line_start + cut_start >= last:
                pieces.append((last, line_start + cut_start))
                last = line_start + cut_end
        pieces.append((last, candidate.start + line.end()))
    cleaned = []
    for start, end in pieces:
        start, end = _trim_edges(text, start, end)
        start, end = _strip_words(text, start, end, candidate.type)
        start, end = _trim_edges(text, start, end)
        surface = text[start:end]
        if end - start < 2 or not any(c.isupper() or c.isdigit() for c in surface):
            continue
        if start >= 2 and text[start - 1] in "." and text[start - 2].isalnum():
            continue  # the tail of a dotted name the model cut ("Tel" of "One.Tel")
        cleaned.append(replace(candidate, start=start, end=end))
    if len(pieces) > 1 and len(cleaned) > 1:
        # a span broken by a paragraph break or dash: keep pieces that are names on their own
        cleaned = [c for c in cleaned if _is_capitalised(text[c.start:c.end])]
    return cleaned


# ---- 2. labels from evidence --------------------------------------------------------------------------


def _preceding_word(text: str, start: int) -> str:
    match = re.search(r"(\S+)\s+$", text[max(0, start - 40):start])
    return match.group(1) if match else ""


def _is_part_of_person_name(key_words: list[str], people: Iterable[list[str]]) -> bool:
    return any(len(p) > len(key_words) and _contains(p, key_words) for p in people)


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    n = len(shorter)
    return any(list(longer[i:i + n]) == list(shorter) for i in range(len(longer) - n + 1))


def _kind_votes(text: str, c: Candidate) -> tuple[int, int]:
    """(organisation, person) evidence around one mention: the noun right before it ("publisher
    Bertelsmann", "sculptor Richard Wentworth"), an appositive after it (", the world's biggest spirits
    company"), a relative pronoun (", which" / ", who"), a determiner before a one-word name ("the Tate")."""
    lex = lexicon()
    org = person = 0
    before = _preceding_word(text, c.start)
    before_word = before.lower().split("-")[-1].rstrip(",")
    if before.islower() and (before_word in lex.org_nouns or before.lower() in lex.org_nouns):
        org += 1
    if before.islower() and before_word in lex.person_nouns:
        person += 1
    if before == "the" and " " not in text[c.start:c.end]:
        org += 1
    after = text[c.end:c.end + 80]
    appositive = re.match(r"(?:['’]s)?,\s+(?:the|a|an|[A-Z]\w+['’]s)\s+([^,.;:()\"“”]{0,60})", after)
    if appositive:
        # the head noun of a short appositive: its last word, or a known noun among its first words
        words = [w.lower() for w in appositive.group(1).split()[:6]]
        org += any(w in lex.org_nouns for w in words)
        person += any(w in lex.person_nouns for w in words)
    if re.match(r",\s+which\b", after):
        org += 1
    if re.match(r",\s+who\b", after):
        person += 1
    return org, person


def _as_party(text: str, c: Candidate) -> Candidate:
    """A party the model read as a group of people ("Liberal Democrats", "Tories") is an ORG; the model
    often leaves the first word of the name out ("Liberal" + "Democrats")."""
    start = c.start
    before = re.search(r"(?<![.!?:\n] )\b([A-Z][a-z]+) $", text[max(0, c.start - 30):c.start])
    if before and before.group(1).lower() not in lexicon().determiners | lexicon().person_titles:
        start = c.start - len(before.group(0))
    return replace(c, start=start, type="ORG")


def relabel(text: str, candidates: Sequence[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """Give every mention of one surface one type, from the strongest evidence in the article.

    Evidence, strongest first: the knowledge base (a curated alias), a person title right before a mention
    ("Mr Brown", "Dr Houck"), being part of a longer person name in the same article ("Claxton" after
    "Sarah Claxton"), the list of countries (GPE convention), an event or organisation head word
    ("... Championships", "... Foundation"), the words around the mentions ("publisher Bertelsmann",
    "Diageo, which"), then the majority of spaCy's labels for that surface.
    """
    lex = lexicon()
    countries = country_keys()
    # a party read as a group or as a person ("Lib Dems" PERSON) is the party
    candidates = [_as_party(text, c) if c.type in ("NORP", "PERSON") and alias_key(text[c.start:c.end]) in lex.party_names
                  else c for c in candidates]
    by_key: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_key[alias_key(text[c.start:c.end])].append(c)
    person_names = [key.split() for key, cs in by_key.items() if len(key.split()) > 1
                    and Counter(c.type for c in cs).most_common(1)[0][0] == "PERSON"]
    decided: dict[str, str] = {}
    for key, group in by_key.items():
        names_only = [c for c in group if c.type in NAME_TYPES]
        if not names_only:
            continue
        surface = text[group[0].start:group[0].end]
        majority = Counter(c.type for c in names_only).most_common(1)[0][0]
        entry = kb.lookup(surface, majority, context=text)
        words = key.split()
        titled = sum(
            _preceding_word(text, c.start).lower().rstrip(".") in lex.person_titles
            and _preceding_word(text, c.start)[:1].isupper()
            for c in group
        )
        org_votes = person_votes = 0
        for c in group:
            org, person = _kind_votes(text, c)
            org_votes += org
            person_votes += person
        team_votes = sum(team_cue(text, c.end) for c in group)
        # an acronym ("UN") is not the "Un" of "Kim Jong Un"
        part_of_person = len(words) == 1 and not surface.isupper() and _is_part_of_person_name(words, person_names)
        if entry is not None and entry.type in TYPE_OF_LABEL.values() and not (part_of_person and entry.type != "PERSON"):
            decided[key] = entry.type
        elif titled and len(words) <= 3 and not (set(words) & lex.org_heads):
            decided[key] = "PERSON"
        elif part_of_person:
            decided[key] = "PERSON"  # "Washington" after "Denzel Washington" is him, not the city
        elif majority == "PERSON" and surface.isupper() and surface.isalpha() and len(surface) >= 3:
            decided[key] = "ORG"  # an acronym ("BAA") is an organisation, not a person
        elif key in countries:
            decided[key] = "PLACE"
        elif team_votes and (majority == "PLACE" or (majority == "PERSON" and team_votes > 1 and not titled)):
            decided[key] = "ORG"  # "Arsenal manager Arsene Wenger", "Leeds fans": a club, not the city
        elif len(words) > 1 and words[-1] in lex.event_heads:
            decided[key] = "EVENT"
        elif len(words) > 1 and words[-1] in lex.org_heads:
            decided[key] = "ORG"
        elif org_votes > person_votes and majority == "PERSON":
            decided[key] = "ORG"
        elif person_votes > org_votes and majority == "ORG" and len(words) > 1:
            decided[key] = "PERSON"
        else:
            decided[key] = majority
    relabelled = []
    for c in candidates:
        key = alias_key(text[c.start:c.end])
        if key in decided and c.type in NAME_TYPES:
            relabelled.append(replace(c, type=decided[key]))
        elif key in decided and c.type == "NORP" and decided[key] == "PLACE":
            relabelled.append(replace(c, type="PLACE"))  # "Afghanistan" read as a group name
        elif decided.get(key) == "ORG" and c.type == "PRODUCT" and kb.lookup(text[c.start:c.end], context=text) is None:
            # "Leeds" read as a product once and as a club elsewhere (a brand the KB knows stays a product)
            relabelled.append(replace(c, type="ORG"))
        else:
            relabelled.append(c)
    return relabelled


def drop_non_names(doc: Doc, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Drop what is not a name: a capitalised common word opening a sentence or a line ("Broadband in
    the UK", "Digital sales ...", known as common because the article also uses it in lowercase), and
    portfolios that read like organisations ("Home Affairs spokesman", "minister for Russian Affairs")."""
    lex = lexicon()
    text = text_of(doc)
    kept = []
    for c in candidates:
        c = _strip_sentence_opener(doc, c)
        surface = text[c.start:c.end]
        if " " not in surface and surface[:1].isupper() and not surface.isupper():
            at_line_start = c.start == 0 or text[c.start - 1] == "\n"
            span = doc.char_span(c.start, c.end, alignment_mode="expand")
            at_sentence_start = at_line_start or (span is not None and span[0].is_sent_start)
            if at_sentence_start and _lowercase_use(doc)(surface):
                continue
        if c.type == "ORG":
            words = surface.lower().split()
            after = re.match(r"\s+([A-Za-z-]+)", text[c.end:c.end + 30])
            before = text[max(0, c.start - 30):c.start].lower()
            if after and after.group(1).lower() in lex.portfolio_roles and words[-1] not in lex.org_heads:
                continue
            if re.search(r"\b(?:minister|secretary|spokes(?:man|woman|person)|commissioner)\s+(?:for|of)\s+(?:the\s+)?$", before):
                continue
        kept.append(c)
    return kept


_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "over", "the",
                "to", "with", "vs", "via", "after", "amid", "against", "is", "are", "be", "its", "not", "but"}


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in Title Case (headlines, subheads), where every word looks like a name to the model."""
    lines = []
    for line in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[A-Za-z][\w'’-]*", line.group())
        content = [w for w in words if w.lower() not in _SMALL_WORDS]
        # a headline is short and is not a list ("Coyne (Burnley), Jones (Wolves), ...")
        if 4 <= len(words) <= 16 and line.group().count(",") <= 1 and "(" not in line.group() and \
                not line.group().isupper() and content and \
                sum(w[0].isupper() for w in content) / len(content) >= 0.75:
            lines.append(line.span())
    return lines


def drop_headline_guesses(text: str, candidates: Sequence[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """In a Title Case line, keep only mentions the article confirms: the same name found outside
    Title Case lines, a knowledge-base name or a country ("Pyongyang's Defense of Troop Deployment")."""
    lines = _title_case_lines(text)
    if not lines:
        return list(candidates)

    def in_headline(c: Candidate) -> bool:
        return any(s <= c.start and c.end <= e for s, e in lines)

    confirmed = {alias_key(text[c.start:c.end]) for c in candidates if not in_headline(c)}
    kept = []
    for c in candidates:
        key = alias_key(text[c.start:c.end])
        if not in_headline(c) or key in confirmed or key in country_keys() or \
                kb.lookup(text[c.start:c.end], context=text) is not None or \
                any(_contains(k.split(), key.split()) for k in confirmed if k):
            kept.append(c)
    return kept


def _strip_sentence_opener(doc: Doc, c: Candidate) -> Candidate:
    """'Later Brown said': a capitalised function word or common word opening the sentence is not part
    of the name (common = the article also writes it in lowercase)."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or len(span) < 2 or not (span[0].is_sent_start or c.start == 0 or text_of(doc)[c.start - 1] == "\n"):
        return c
    first = span[0]
    lowered = first.text.lower()
    function_word = first.pos_ in ("ADV", "ADP", "SCONJ", "CCONJ", "PRON", "DET", "AUX", "PART", "INTJ")
    common = function_word or first.is_stop or \
        (first.pos_ != "PROPN" and _lowercase_use(doc)(lowered))
    if common and first.text[:1].isupper() and span[1].text[:1].isupper():
        return replace(c, start=span[1].idx)
    return c


def extend_person_names(doc: Doc, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Complete a person's name the model cut short ("Yoon Suk" + "Yeol"): following capitalised words in
    the same sentence that belong to no other mention and are not function words."""
    taken = SpanSet({(c.start, c.end) for c in candidates})
    extended = []
    for c in candidates:
        if c.type != "PERSON":
            extended.append(c)
            continue
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        end = c.end
        if span is not None:
            i = span.end
            while i < len(doc):
                token = doc[i]
                if (token.idx != end + 1 or _not_a_name_word(token) or token.ent_type_
                        or taken.overlaps(token.idx, token.idx + 1)):
                    break
                end = token.idx + len(token.text)
                i += 1
        extended.append(replace(c, end=end))
    return extended


def _not_a_name_word(token) -> bool:
    word = token.text
    return (not word[:1].isupper() or not word.isalpha() or token.is_stop or token.is_sent_start
            or (word.isupper() and len(word) > 1))


def add_parenthetical_acronyms(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """'Iraqi Telecommunications and Post Company (ITPC)': the bracketed acronym is the same entity."""
    found = list(candidates)
    by_span = {(c.start, c.end): i for i, c in enumerate(found)}
    found_spans = SpanSet((x.start, x.end) for x in found)
    for c in candidates:
        if c.type not in NAME_TYPES + ("EVENT",):
            continue
        match = re.match(r"\s*\(([A-Z][A-Za-z&]{1,7})\)", text[c.end:c.end + 12])
        if not match or match.group(1) not in _acronym_of(text[c.start:c.end].split()):
            continue
        span = (c.end + match.start(1), c.end + match.end(1))
        acronym = Candidate(span[0], span[1], c.type, ("",))
        if span in by_span:
            found[by_span[span]] = replace(found[by_span[span]], type=c.type)
        elif not found_spans.overlaps(*span):
            found.append(acronym)
            found_spans.add(*span)
    return sorted(found, key=lambda c: (c.start, c.end))


# ---- 3. mentions spaCy missed -------------------------------------------------------------------------


class _LowercaseUse:
    """Does the article use a word in lower case, as a whole word (bounded by no word character or hyphen)? Answered
    from the set of the text's runs of word characters and hyphens, built once, for words made of those
    characters; other words are searched for, once each."""

    def __init__(self, text: str):
        self.text = text
        self._runs: set[str] | None = None
        self._searched: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        lowered = word.lower()
        if _WORD_RUN.fullmatch(lowered):
            if self._runs is None:
                self._runs = set(_WORD_RUN.findall(self.text))
            return lowered in self._runs
        if lowered not in self._searched:
            self._searched[lowered] = re.search(r"(?<![\w-])" + re.escape(lowered) + r"(?![\w-])", self.text) is not None
        return self._searched[lowered]


_WORD_RUN = re.compile(r"[\w-]+")


def _lowercase_use(doc: Doc) -> _LowercaseUse:
    """The lowercase-use test of a parsed article, kept with the doc."""
    found = doc.user_data.get("newsfacts.entities.lowercase")
    if found is None:
        found = doc.user_data["newsfacts.entities.lowercase"] = _LowercaseUse(text_of(doc))
    return found


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Not glued into a longer capitalised name ("Seoul" in "Seoul National University")."""
    before = re.search(r"(\S+)[ \t]+$", text[max(0, start - 40):start])
    after = re.match(r"[ \t]+(\S+)", text[end:end + 40])
    if after and _is_capitalised(after.group(1)) and not after.group(1)[0] in "(\"'“‘":
        return False
    if before and _is_capitalised(before.group(1)) and not before.group(1)[-1] in ".!?:;\"”’)":
        # a capitalised word before is fine at a sentence start ("Mr"), not inside a name
        word = before.group(1).lower().rstrip(".")
        if word not in lexicon().person_titles and word not in lexicon().person_roles:
            return False
    return True


_FORM_START = re.compile(r"(?<![\w.\-])")  # where a form may start: not inside a word, number or abbreviation
_FORM_END = re.compile(r"(?![\w\-]|\.\w)")  # and where it may end


class _FormOccurrences:
    """Whole-form occurrences of many surface forms in one text, as a `re.finditer` of the form between
    _FORM_START and _FORM_END finds them, without
    scanning the whole text once per form: the positions where a form may start are indexed once by their
    first characters, and only those that begin like the form are tried."""

    _KEY = 3  # characters of the index key (shorter forms use their whole length)

    def __init__(self, text: str, forms):
        self.text = text
        first_chars = {form[0] for form in forms if form}
        self.by_key: dict[str, list[int]] = {}
        for position, char in enumerate(text):
            if char in first_chars and _FORM_START.match(text, position):
                for size in range(1, self._KEY + 1):
                    self.by_key.setdefault(text[position : position + size], []).append(position)

    def of(self, form: str) -> Iterator[tuple[int, int]]:
        if not form:
            return
        taken_until = 0
        for position in self.by_key.get(form[: self._KEY], ()):
            if position < taken_until or not self.text.startswith(form, position):
                continue
            end = position + len(form)
            if _FORM_END.match(self.text, end):
                taken_until = end
                yield position, end


def add_missed_mentions(text: str, candidates: Sequence[Candidate], kb: KnowledgeBase,
                        other_spans: Sequence[tuple[int, int]] = ()) -> list[Candidate]:
    """Repeat mentions the model skipped: other occurrences of names it found, surnames of people it
    found, and names of the knowledge base (with their context rules). Only whole words, case-sensitive,
    not inside a longer capitalised name, not overlapping another mention or another entity the model
    found (a DATE "May" is not Theresa May), and never a word the article also uses in lowercase."""
    # `found` holds the mentions (in a SpanSet, in list order); `taken` is what a new mention may not overlap:
    # the mentions, plus the other entities' spans until a curated name first replaces model mentions
    # (from then on only the mentions count, as the list of spans is rebuilt from them).
    found = SpanSet(((c.start, c.end) for c in candidates), list(candidates))
    others = SpanSet(other_spans)
    others_count = True
    uses_lowercase = _LowercaseUse(text)
    forms: dict[str, tuple[str, str | None]] = {}
    for c in candidates:
        if c.pattern == "storm":
            # a storm's bare name repeated where the model missed it ("Irma" after "Hurricane Irma")
            forms.setdefault(storm_name(text[c.start:c.end]) or text[c.start:c.end], ("EVENT", None))
        if c.type not in NAME_TYPES:
            continue
        surface = text[c.start:c.end]
        forms.setdefault(surface, (c.type, None))
        words = surface.split()
        if c.type == "PERSON" and len(words) > 1 and _is_capitalised(words[-1]) and len(words[-1]) > 2:
            forms.setdefault(words[-1], ("PERSON", None))
    for form, entry in kb.gazetteer(text):
        if entry.type in NAME_TYPES and len(form) > 1:
            forms.setdefault(form, (entry.type, entry.id))
    occurrences = _FormOccurrences(text, forms)
    for form in sorted(forms, key=len, reverse=True):
        entity_type, kb_id = forms[form]
        if kb_id is None and " " not in form and uses_lowercase(form):
            continue  # "May", "Brown", "Page": also common words in this article
        for start, end in occurrences.of(form):
            if not _stands_alone(text, start, end):
                continue
            if kb_id is not None:
                # a curated name wins over what the model cut inside it or read as a work or law
                # ("German" + "Foreign Ministry", "Storm Corps" as WORK_OF_ART)
                overlapping = found.overlapping(start, end)
                if overlapping and all((start <= c.start and c.end <= end and (c.start, c.end) != (start, end))
                                       or (c.type not in NAME_TYPES and c.pattern is None) for *_, c in overlapping):
                    for item in overlapping:
                        found.remove(item)
                    others_count = False
            if not found.overlaps(start, end) and not (others_count and others.overlaps(start, end)):
                found.add(start, end, Candidate(start, end, entity_type, ("",), kb_id))
    return [c for *_, c in found.items()]


def description_mentions(text: str, kb: KnowledgeBase) -> list[Candidate]:
    """Descriptive aliases of knowledge-base entities ("Seoul's spy agency" for the NIS) found verbatim."""
    found = []
    for phrase, entry in kb.descriptions():
        pattern = re.compile(r"(?<!\w)" + re.escape(phrase[0]) + "(?i:" + re.escape(phrase[1:]) + r")(?!\w)")
        for match in pattern.finditer(text):
            found.append(Candidate(match.start(), match.end(), entry.type, ("",), entry.id, description=True))
    return found


# ---- 4. one entity per real-world thing ---------------------------------------------------------------


def _acronym_of(name_words: Sequence[str]) -> set[str]:
    """Acronyms a name may be shortened to: initials without function words, with or without a leading
    place word ("US Securities and Exchange Commission" -> USSEC, SEC)."""
    function_words = {"of", "and", "for", "the", "&", "on", "in", "de", "des", "du", "la", "le"}
    content = [w for w in name_words if w.lower() not in function_words and w[:1].isalpha()]
    initials = "".join(w[0].upper() for w in content)
    with_all = "".join(w[0].upper() for w in name_words if w[:1].isalpha())
    return {initials, initials[1:] if len(initials) > 3 else initials, with_all}


@dataclass
class _Group:
    type: str
    candidates: list[Candidate]
    kb_id: str | None = None

    def keys(self, text: str) -> list[list[str]]:
        return [alias_key(text[c.start:c.end]).split() for c in self.candidates if not c.description]


def group_mentions(text: str, candidates: Sequence[Candidate], kb: KnowledgeBase) -> list[_Group]:
    """Cluster mentions: same normalised name; a person's partial name with the nearest full name that
    contains it ("Rutte" -> "Mark Rutte", "Kim" -> the last Kim named before); acronyms with their
    expansion; every name that the knowledge base links to one entry."""
    exact: dict[tuple[str, str], _Group] = {}
    short_people: list[Candidate] = []
    ordered = sorted(candidates, key=lambda c: (c.start, c.end))
    for c in ordered:
        key = alias_key(text[c.start:c.end])
        if c.description:
            exact.setdefault((c.type, "#" + (c.kb_id or key)), _Group(c.type, [], c.kb_id)).candidates.append(c)
            continue
        # spacing variants are one name ("Time Warner", "TimeWarner")
        exact.setdefault((c.type, key.replace(" ", "")), _Group(c.type, [])).candidates.append(c)
    groups = _fold_storm_names(text, list(exact.values()))

    # people: fold partial names into full names that contain them. Each group's distinct name keys are
    # kept, and indexed by word, so that a partial name is compared only with the groups sharing its first
    # word (a key containing the partial name contains that word).
    people = [g for g in groups if g.type == "PERSON"]
    key_words: dict[tuple[int, int], tuple[str, ...]] = {}

    def key_of(c: Candidate) -> tuple[str, ...]:
        if (c.start, c.end) not in key_words:
            key_words[(c.start, c.end)] = tuple(alias_key(text[c.start:c.end]).split())
        return key_words[(c.start, c.end)]

    keys: list[set[tuple[str, ...]]] = [set() for _ in people]
    by_word: dict[str, set[int]] = defaultdict(set)

    def add_keys(number: int, added: Iterable[Candidate]) -> None:
        for c in added:
            if not c.description:
                keys[number].add(key_of(c))
                for word in key_of(c):
                    by_word[word].add(number)

    for number, group in enumerate(people):
        add_keys(number, group.candidates)
    longest = [max((len(k) for k in group_keys), default=0) for group_keys in keys]
    for number in sorted(range(len(people)), key=lambda n: longest[n]):
        group = people[number]
        first = next((c for c in group.candidates if not c.description), None)
        words = list(key_of(first)) if first is not None else []
        if not words:
            continue
        hosts = [people[h] for h in sorted(by_word.get(words[0], ())) if h != number and longest[h] > len(words)
                 and any(_contains(k, words) and (len(words) > 1 or k[-1] == words[0] or k[0] == words[0])
                         for k in keys[h])]
        if not hosts:
            continue
        number_of = {id(h): n for n, h in enumerate(people)} if len(hosts) > 1 else {}
        if len(hosts) == 1:
            hosts[0].candidates.extend(group.candidates)
            add_keys(people.index(hosts[0]), group.candidates)
        else:
            # ambiguous partial name: each mention goes to the closest preceding full name, else the next
            for c in group.candidates:
                before = [h for h in hosts if min(x.start for x in h.candidates) < c.start]
                if before:
                    host = max(before, key=lambda h: max(x.start for x in h.candidates if x.start < c.start))
                else:
                    host = min(hosts, key=lambda h: min(x.start for x in h.candidates))
                host.candidates.append(c)
                add_keys(number_of[id(host)], [c])
        group.candidates = []
        keys[number] = set()
    groups = [g for g in groups if g.candidates]

    # acronyms with their expansion ("NIS" and "National Intelligence Service", "CES" and the show);
    # the expansion's type wins, as the model labels bare acronyms least reliably
    # (The acronyms of every group's names of several words are indexed once.)
    named = [g for g in groups if g.type in NAME_TYPES + ("EVENT",)]
    by_acronym: dict[str, set[int]] = defaultdict(set)

    def add_acronyms(number: int, added: Iterable[Candidate]) -> None:
        for c in added:
            if " " in text[c.start:c.end]:
                for acronym in _acronym_of(text[c.start:c.end].split()):
                    by_acronym[acronym].add(number)

    for number, group in enumerate(named):
        add_acronyms(number, group.candidates)
    for number, group in enumerate(named):
        surface = text[group.candidates[0].start:group.candidates[0].end]
        if not (surface.isupper() and 2 <= len(surface) <= 6 and surface.isalpha()):
            continue
        hosts = [named[h] for h in sorted(by_acronym.get(surface, ()))
                 if h != number and named[h].candidates and named[h].type != "PERSON"]
        if len(hosts) == 1:
            moved = [replace(c, type=hosts[0].type) for c in group.candidates]
            hosts[0].candidates.extend(moved)
            add_acronyms(named.index(hosts[0]), moved)
            group.candidates = []
    groups = [g for g in groups if g.candidates]

    # knowledge base: one group per linked entry
    linked: dict[str, _Group] = {}
    result = []
    for group in groups:
        group.kb_id = group.kb_id or _link(text, group, kb)
        if group.kb_id is None:
            result.append(group)
        elif group.kb_id in linked:
            linked[group.kb_id].candidates.extend(group.candidates)
        else:
            linked[group.kb_id] = group
            result.append(group)
    return result


def _fold_storm_names(text: str, groups: list[_Group]) -> list[_Group]:
    """A storm's bare name ("Irma") joins the storm named with its cue ("Hurricane Irma") when the article
    names exactly one storm so."""
    cued: dict[str, list[_Group]] = defaultdict(list)
    for group in groups:
        if group.type == "EVENT":
            names = {storm_name(text[c.start:c.end]) for c in group.candidates}
            for name in names - {None}:
                cued[alias_key(name)].append(group)
    if not cued:
        return groups
    kept = []
    for group in groups:
        key = alias_key(text[group.candidates[0].start:group.candidates[0].end])
        hosts = cued.get(key, [])
        if group.type == "EVENT" and len(hosts) == 1 and hosts[0] is not group:
            hosts[0].candidates.extend(group.candidates)
        else:
            kept.append(group)
    return kept


def _link(text: str, group: _Group, kb: KnowledgeBase) -> str | None:
    """The KB entry of a group, looked up by its fullest names only: a partial name ("Washington" of
    Denzel Washington) must not link the group to a namesake."""
    for c in group.candidates:
        if c.kb_id:
            return c.kb_id
    surfaces = {text[c.start:c.end] for c in group.candidates if not c.description}
    most_words = max((len(alias_key(s).split()) for s in surfaces), default=0)
    for surface in sorted(s for s in surfaces if len(alias_key(s).split()) == most_words):
        entry = kb.lookup(surface, group.type, context=text)
        if entry is not None and _compatible(entry, group.type):
            return entry.id
    return None


def _compatible(entry: KbEntry, entity_type: str) -> bool:
    # names are linked across NER confusions (PERSON/ORG/PLACE), never to a NORP or the reverse
    return entry.type == entity_type or (entry.type in NAME_TYPES and entity_type in NAME_TYPES)


def to_entity(text: str, group: _Group, kb: KnowledgeBase) -> Entity:
    names = [text[c.start:c.end] for c in group.candidates if not c.description]
    entry = kb.get(group.kb_id) if group.kb_id else None
    if entry is not None:
        name, entity_type, wikidata, entity_id = entry.name, entry.type, entry.wikidata, entry.id
    else:
        counts = Counter(names)
        # fullest form: most words, then most frequent, then first seen
        name = max(names, key=lambda n: (len(alias_key(n).split()), len(n), counts[n]))
        entity_type, wikidata, entity_id = group.type, None, fallback_id(group.type, name)
    # A span is a name if any candidate at it is a name (a KB description can coincide with a name).
    spans = sorted({(c.start, c.end) for c in group.candidates})
    described = {(c.start, c.end) for c in group.candidates if c.description} - {
        (c.start, c.end) for c in group.candidates if not c.description
    }
    labels = sorted({label for c in group.candidates for label in c.labels if label})
    return Entity(
        id=entity_id,
        name=name,
        type=entity_type,
        ner_labels=labels,
        wikidata=wikidata,
        mentions=[
            Mention(text=text[s:e], start=s, end=e, kind="description" if (s, e) in described else "name")
            for s, e in spans
        ],
    )


_DATELINE_LINE = re.compile(r"^[^\n]{4,80}$", re.M)


def add_dateline_places(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The place of a dateline line ("BELGRADE 1996-08-30", "NICE , France 1996-08-30") is where the story
    was filed: a PLACE mention, whatever the model made of the capitals (it often misses or mistypes them)."""
    from newsfacts.clean.shape import is_place_dateline
    from newsfacts.meta.dates.patterns import parse_dates

    added: list[Candidate] = []
    for line in _DATELINE_LINE.finditer(text):
        if not is_place_dateline(line.group()):
            continue
        place_end = line.start() + parse_dates(line.group())[0].start
        for piece in re.finditer(r"[^,]+", text[line.start():place_end]):
            start, end = _trim_edges(text, line.start() + piece.start(), line.start() + piece.end())
            if end > start:
                added.append(Candidate(start, end, "PLACE", ("",)))
    if not added:
        return list(candidates)
    kept = [c for c in candidates if all(c.end <= a.start or a.end <= c.start for a in added)]
    return sorted(kept + added, key=lambda c: (c.start, c.end))


# ---- the stage ----------------------------------------------------------------------------------------


def find_entities(doc: Doc, kb: KnowledgeBase | None = None) -> list[Entity]:
    """Entities of one parsed article, each with all its mentions, ordered by first mention."""
    kb = kb if kb is not None else load_kb()
    text = text_of(doc)
    cleaned = [piece for c in ner_candidates(doc) for piece in clean_candidate(text, c)]
    cleaned = drop_non_names(doc, _drop_overlaps(cleaned))
    cleaned = extend_person_names(doc, cleaned)
    cleaned = drop_headline_guesses(text, cleaned, kb)
    labelled = relabel(text, cleaned, kb)
    labelled = add_dateline_places(text, labelled)
    labelled = add_parenthetical_acronyms(text, labelled)
    labelled = apply_type_patterns(doc, labelled, kb, _title_case_lines(text))
    non_names = [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in TYPE_OF_LABEL]
    completed = add_missed_mentions(text, labelled, kb, non_names)
    described = description_mentions(text, kb)
    groups = group_mentions(text, completed + described, kb)
    entities = [to_entity(text, g, kb) for g in groups]
    return sorted(entities, key=lambda e: (e.mentions[0].start, e.id))


def garbled_name_errors(entities: Sequence[Entity], kb: KnowledgeBase | None = None) -> list[KnownError]:
    """Known errors for mentions that the knowledge base records as garbled forms of a name."""
    kb = kb if kb is not None else load_kb()
    return [
        KnownError(
            kind="garbled_name",
            message=f"{mention.text!r} is a garbled form of {entity.name} (knowledge base {entity.id})",
            span=Span(text=mention.text, start=mention.start, end=mention.end),
        )
        for entity in entities
        for mention in entity.mentions
        # A known error's span points into the article text; a caption's garbled name is not placed there.
        if mention.caption is None and kb.is_misspelling(entity.id, mention.text)
    ]


def _drop_overlaps(candidates: Sequence[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    spans = SpanSet()
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if not spans.overlaps(c.start, c.end):
            spans.add(c.start, c.end)
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))
