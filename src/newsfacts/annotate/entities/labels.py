"""Step 2: which candidates are names, and of what type, from the evidence of the article.

One type per surface from the strongest evidence (`relabel`: the knowledge base, a person title, being part
of a longer person name, party names, team cues, the model's votes); capitalised common words and portfolios
dropped (`drop_non_names`); Title Case headline guesses kept only when the article confirms them; person
names the model cut short completed; bracketed acronyms made mentions of the name they follow.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc

from newsfacts.annotate.doc_index import SpanSet, text_of
from newsfacts.annotate.entities.candidates import Candidate, NAME_TYPES
from newsfacts.annotate.entities.kb import KnowledgeBase, alias_key
from newsfacts.annotate.entities.lexicon import TYPE_OF_LABEL, country_keys, lexicon
from newsfacts.annotate.entities.missed import lowercase_use
from newsfacts.annotate.entities.names import acronym_of, contains_run
from newsfacts.annotate.entities.type_patterns import team_cue


def _preceding_word(text: str, start: int) -> str:
    match = re.search(r"(\S+)\s+$", text[max(0, start - 40):start])
    return match.group(1) if match else ""


def _is_part_of_person_name(key_words: list[str], people: Iterable[list[str]]) -> bool:
    return any(len(p) > len(key_words) and contains_run(p, key_words) for p in people)


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
            if at_sentence_start and lowercase_use(doc)(surface):
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


def title_case_lines(text: str) -> list[tuple[int, int]]:
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
    lines = title_case_lines(text)
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
                any(contains_run(k.split(), key.split()) for k in confirmed if k):
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
        (first.pos_ != "PROPN" and lowercase_use(doc)(lowered))
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
        if not match or match.group(1) not in acronym_of(text[c.start:c.end].split()):
            continue
        span = (c.end + match.start(1), c.end + match.end(1))
        acronym = Candidate(span[0], span[1], c.type, ("",))
        if span in by_span:
            found[by_span[span]] = replace(found[by_span[span]], type=c.type)
        elif not found_spans.overlaps(*span):
            found.append(acronym)
            found_spans.add(*span)
    return sorted(found, key=lambda c: (c.start, c.end))
