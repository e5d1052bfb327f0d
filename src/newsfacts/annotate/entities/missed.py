"""Step 3: mentions the model missed: other occurrences of names it found and surnames of people it found
(whole words, case-sensitive, not inside a longer capitalised name), knowledge-base names with their context
rules, descriptive aliases ("Seoul's spy agency"), and the place of a dateline line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc

from newsfacts.annotate.doc_index import SpanSet, text_of
from newsfacts.annotate.entities.candidates import Candidate, NAME_TYPES, is_capitalised, trim_edges
from newsfacts.annotate.entities.kb import KnowledgeBase
from newsfacts.annotate.entities.lexicon import lexicon
from newsfacts.annotate.entities.type_patterns import storm_name


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


def lowercase_use(doc: Doc) -> _LowercaseUse:
    """The lowercase-use test of a parsed article, kept with the doc."""
    found = doc.user_data.get("newsfacts.entities.lowercase")
    if found is None:
        found = doc.user_data["newsfacts.entities.lowercase"] = _LowercaseUse(text_of(doc))
    return found


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Not glued into a longer capitalised name ("Seoul" in "Seoul National University")."""
    before = re.search(r"(\S+)[ \t]+$", text[max(0, start - 40):start])
    after = re.match(r"[ \t]+(\S+)", text[end:end + 40])
    if after and is_capitalised(after.group(1)) and not after.group(1)[0] in "(\"'“‘":
        return False
    if before and is_capitalised(before.group(1)) and not before.group(1)[-1] in ".!?:;\"”’)":
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
        if c.type == "PERSON" and len(words) > 1 and is_capitalised(words[-1]) and len(words[-1]) > 2:
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
            start, end = trim_edges(text, line.start() + piece.start(), line.start() + piece.end())
            if end > start:
                added.append(Candidate(start, end, "PLACE", ("",)))
    if not added:
        return list(candidates)
    kept = [c for c in candidates if all(c.end <= a.start or a.end <= c.start for a in added)]
    return sorted(kept + added, key=lambda c: (c.start, c.end))
