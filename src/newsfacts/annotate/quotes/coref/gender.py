"""The grammatical gender the article itself gives each person, for resolving "he" and "she".

No list of first names: a reader learns that Clinton is "she" from the article, and so does this module.
Two kinds of evidence, both read next to the person's own mentions:
- a title or role word right before a mention: an honorific (Mr., Mrs.) or a gendered role or kin word
  ("spokeswoman Jen Psaki", "his wife, Soon-Yi Previn"); decisive when it is one-sided (`title_gender` in
  entities/lexicon.py, which entity grouping also reads to tell namesakes apart);
- agreement: a "he"/"she" that is the subject of a clause governed by a clause whose subject is the person
  ("Clinton says she appreciated ...", "Trump said he would ...", "Fowler argued that ... he said"). One such
  pair can mislead ("Clinton said he lied", about someone else), so agreement decides only by a clear
  majority (at least twice as many votes for one gender as for the other).
The same agreement says who is a person at all: "he", "she", "his" and "her" stand for people, an organisation is
"it" or "they". A name the NER typed an organisation, an event or a work ("Carly Fiorina threw her support
behind ...", "Fiorina said she ...") is a person to the pronoun rules when the article's own pronouns agree with
it as with a person (coref/people.py, `PeopleByAgreement`); the published entity keeps its type.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# How a clause holding a pronoun hangs from the clause whose subject it may continue.
_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "parataxis"}
_PRONOUN_GENDER = {"he": "male", "she": "female"}
_POSSESSIVE_GENDER = {"his": "male", "her": "female"}
# Pronouns for a person: one of them between a subject and a possessive may be whom the possessive belongs to.
_PERSONAL = {"he", "she", "him", "her", "his", "i", "me", "my", "you", "your", "we", "us", "our", "they", "them"}


def agreement_votes(
    doc: Doc, person_at: Callable[[Token], str | None], in_quote: Callable[[int], bool],
    person_between: Callable[[int, int], bool],
) -> dict[str, dict[str, int]]:
    """{entity id: {'male': n, 'female': n}}: for each "he"/"she" subject outside quotation marks, the person
    (``person_at(subject token)``, an entity id or None) who is the subject of the nearest governing clause
    that has a subject, climbing at most three clauses, when no other person is named between the two
    (``person_between(start, end)``: "X described Clinton as a disgrace after she attacked" is no evidence)."""
    votes: dict[str, dict[str, int]] = {}
    for token in doc:
        gender = _PRONOUN_GENDER.get(token.lower_)
        if gender is None or token.dep_ not in SUBJECT_DEPS or in_quote(token.idx):
            continue
        clause = token.head
        if clause.dep_ == "parataxis":
            # "AT&T just finished laying fiber downtown, she said, ...": a parenthetical attribution; its speaker
            # reports on the subject it hangs from, and is someone else.
            continue
        for _ in range(3):
            if clause.dep_ not in _CLAUSE_DEPS or clause.head.i == clause.i:
                break
            clause = clause.head
            subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS and c.i < token.i]
            if subjects:
                subject = subjects[0]
                if (
                    not in_quote(subject.idx)
                    and (entity_id := person_at(subject)) is not None
                    and not person_between(subject.idx + len(subject.text), token.idx)
                ):
                    tally = votes.setdefault(entity_id, {"male": 0, "female": 0})
                    tally[gender] += 1
                break
    return votes


def possessive_votes(
    doc: Doc, named_at: Callable[[Token], str | None], in_quote: Callable[[int], bool]
) -> dict[str, dict[str, int]]:
    """{entity id: {'male': n, 'female': n}}: for each possessive "his"/"her" outside quotation marks, the entity
    (``named_at(subject token)``) that is the subject of its clause, before it, with no other name or personal
    pronoun between the two ("Carly Fiorina threw her support", "Hillary Clinton has told her supporters"; not
    "Trump attacked Fiorina over her record", where the possessive may be the object's)."""
    votes: dict[str, dict[str, int]] = {}
    for token in doc:
        gender = _POSSESSIVE_GENDER.get(token.lower_)
        if gender is None or token.dep_ != "poss" or in_quote(token.idx):
            continue
        clause = token.head
        for _ in range(4):  # up to the verb of its clause: "her" -> "support" -> "threw"
            if clause.pos_ in ("VERB", "AUX") or clause.head.i == clause.i:
                break
            clause = clause.head
        subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS and c.i < token.i]
        if clause.pos_ not in ("VERB", "AUX") or not subjects or in_quote(subjects[0].idx):
            continue
        subject = subjects[0]
        between = doc[subject.i + 1 : token.i]
        if any(t.pos_ == "PROPN" or t.lower_ in _PERSONAL for t in between):
            continue
        if (entity_id := named_at(subject)) is not None:
            tally = votes.setdefault(entity_id, {"male": 0, "female": 0})
            tally[gender] += 1
    return votes


def merged_votes(*tallies: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The sum of several vote tallies, entity by entity."""
    merged: dict[str, dict[str, int]] = {}
    for tally in tallies:
        for entity_id, counts in tally.items():
            into = merged.setdefault(entity_id, {"male": 0, "female": 0})
            for gender, n in counts.items():
                into[gender] += n
    return merged


def agreement_gender(tally: dict[str, int] | None) -> str | None:
    """The gender a clear majority of agreement votes gives (at least twice the other side's), else None."""
    if not tally:
        return None
    male, female = tally["male"], tally["female"]
    if male > 0 and male >= 2 * female:
        return "male"
    if female > 0 and female >= 2 * male:
        return "female"
    return None
