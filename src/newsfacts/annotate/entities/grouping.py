"""Step 4: one entity per real-world thing. Mentions are grouped by in-document coreference (the same
normalised name, a person's partial name with the nearest full name that contains it, acronyms with their
expansion, storm names with and without their cue) and by knowledge-base links; each group becomes an
`Entity` with a knowledge-base id or a fallback id (`names.py`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from newsfacts.annotate.entities.candidates import Candidate, NAME_TYPES
from newsfacts.annotate.entities.kb import KbEntry, KnowledgeBase, alias_key
from newsfacts.annotate.entities.lexicon import title_gender, title_gender_before
from newsfacts.annotate.entities.names import acronym_of, contains_run, fallback_id
from newsfacts.annotate.entities.type_patterns import storm_name
from newsfacts.models import Entity, Mention


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
                 and any(contains_run(k, words) and (len(words) > 1 or k[-1] == words[0] or k[0] == words[0])
                         for k in keys[h])]
        if not hosts:
            continue
        number_of = {id(h): n for n, h in enumerate(people)} if len(hosts) > 1 else {}
        if len(hosts) == 1:
            hosts[0].candidates.extend(group.candidates)
            add_keys(people.index(hosts[0]), group.candidates)
        else:
            # ambiguous partial name: each mention goes to the closest preceding full name, else the next. A
            # surname that ends every full name ("Clinton" after "Hillary Clinton" and "Bill Clinton") goes there
            # only from within its own paragraph, else to the person named first in full: news gives the others
            # of a family name their full name each time they come back ("Bill Clinton"), so a bare surname
            # paragraphs later is the article's own person, not the one last named. (A family name that comes
            # first, "Kim Jong Un" and "Kim Hong-kyun", names no family: the closest one it is.)
            surname = len(words) == 1 and all(any(k[-1] == words[0] for k in keys[people.index(h)]) for h in hosts)
            # Named first in the body: a headline's wordplay ("Classy Henman makes winning start") introduces no one.
            body = text.find("\n") + 1

            def first_named(h: _Group) -> int:
                return min((x.start for x in h.candidates if x.start >= body), default=len(text) + min(
                    x.start for x in h.candidates))

            # A gendered title tells namesakes apart ("Mr. Clinton", "Mrs. Clinton"): a host the titles next to
            # its names give the other gender is no choice, and the person the first "Mrs. Clinton" goes to is
            # every later one's, as news keeps one form of address for one person (the others of the family get
            # their full name). The first one's choice is the rule above among the hosts left.
            gender_of = {id(h): title_gender(text, (c.start for c in h.candidates if not c.description)) for h in hosts}
            addressed: dict[str, _Group] = {}
            for c in group.candidates:
                gender = title_gender_before(text, c.start)
                if gender in addressed:
                    host = addressed[gender]
                else:
                    choices = [h for h in hosts if gender is None or gender_of[id(h)] in (gender, None)] or hosts
                    before = [h for h in choices if min(x.start for x in h.candidates) < c.start]
                    if surname:
                        paragraph_start = text.rfind("\n", 0, c.start) + 1
                        before = [h for h in before if any(paragraph_start <= x.start < c.start for x in h.candidates)]
                    if before:
                        host = max(before, key=lambda h: max(x.start for x in h.candidates if x.start < c.start))
                    elif surname:
                        host = min(choices, key=first_named)
                    else:
                        host = min(choices, key=lambda h: min(x.start for x in h.candidates))
                    if gender is not None and gender_of[id(host)] in (gender, None):
                        gender_of[id(host)] = gender
                        addressed[gender] = host
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
                for acronym in acronym_of(text[c.start:c.end].split()):
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
