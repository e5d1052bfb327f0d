"""Entity types that hold outside politics: storms, works, diseases and sports teams found by cue words
and word lists (``data/entity_types.yaml``), where the model reads them as people or places.

Each finder returns `TypedSpan`s over the article text; `apply_type_patterns` puts them in place of the
model's mentions they overlap (names inside a work's title are not annotated, after the CoNLL/OntoNotes
convention). Platforms and products are names of single things: they are in the knowledge base.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources

import yaml
from spacy.tokens import Doc

from newsfacts.annotate.doc_index import SpanSet, text_of
from newsfacts.annotate.entities.candidates import NAME_TYPES, Candidate
from newsfacts.annotate.entities.kb import KnowledgeBase, alias_key


@dataclass(frozen=True)
class TypePatterns:
    storm_cues: tuple[str, ...]
    storm_cues_plural: tuple[str, ...]
    work_cues: frozenset[str]
    title_small_words: tuple[str, ...]
    title_joining_words: tuple[str, ...]
    diseases: tuple[str, ...]
    team_nouns: frozenset[str]


@functools.lru_cache(maxsize=1)
def type_patterns() -> TypePatterns:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("entity_types.yaml").read_text("utf-8"))
    return TypePatterns(
        storm_cues=tuple(sorted((str(w).lower() for w in data["storm_cues"]), key=len, reverse=True)),
        storm_cues_plural=tuple(sorted((str(w).lower() for w in data["storm_cues_plural"]), key=len, reverse=True)),
        work_cues=frozenset(str(w).lower() for w in data["work_cues"]),
        title_small_words=tuple(str(w).lower() for w in data["title_small_words"]),
        title_joining_words=tuple(str(w).lower() for w in data["title_joining_words"]),
        diseases=tuple(str(w) for w in data["diseases"]),
        team_nouns=frozenset(str(w).lower() for w in data["team_nouns"]),
    )


@dataclass(frozen=True)
class TypedSpan:
    start: int
    end: int
    type: str
    pattern: str  # which rule found it: "storm", "work", "disease"
    quoted: bool = False  # a title in quotation marks: its words are certain


def _cue_alternation(cues: Iterable[str]) -> str:
    # a cue matches with its first letter in either case ("Hurricane Irma", "hurricane Irma")
    return "|".join("[" + c[0].upper() + c[0] + "]" + re.escape(c[1:]).replace(r"\ ", r"\s+") for c in cues)


_NAME = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"


@functools.lru_cache(maxsize=1)
def _storm_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    patterns = type_patterns()
    single = re.compile(
        r"(?<![\w-])(?P<cue>" + _cue_alternation(patterns.storm_cues) + r")\s+(?P<name>" + _NAME + r")(?![\w-])"
    )
    plural = re.compile(
        r"(?<![\w-])(?:" + _cue_alternation(patterns.storm_cues_plural) + r")\s+"
        r"(?P<names>" + _NAME + r"(?:\s*,\s*" + _NAME + r")*(?:,?\s+(?:and|&)\s+" + _NAME + r"))(?![\w-])"
    )
    return single, plural


def storm_mentions(text: str, known_names: frozenset[str] = frozenset()) -> list[TypedSpan]:
    """Named storms: "Hurricane Irma" (the cue is part of the name when capitalised), "hurricane Irma" (the
    name only), and each name of "hurricanes Irma and Maria". A cue inside a longer name ("Desert Storm",
    "Melbourne Storm"), a name followed by another capitalised word, or a phrase the knowledge base knows
    (`known_names`: alias keys, "Storm Corps") is not a storm."""
    single, plural = _storm_patterns()
    found = []
    for match in single.finditer(text):
        before = re.search(r"(\S+)[ \t]+$", text[max(0, match.start() - 40):match.start()])
        after = re.match(r"[ \t]+(\S+)", text[match.end():match.end() + 40])
        if before and before.group(1)[:1].isupper() and before.group(1)[-1] not in ".!?:;\"”’)":
            continue
        if after and after.group(1)[:1].isupper():
            continue
        if alias_key(match.group()) in known_names:
            continue
        start = match.start() if match.group("cue")[:1].isupper() else match.start("name")
        found.append(TypedSpan(start, match.end(), "EVENT", "storm"))
    for match in plural.finditer(text):
        offset = match.start("names")
        for name in re.finditer(_NAME, match.group("names")):
            found.append(TypedSpan(offset + name.start(), offset + name.end(), "EVENT", "storm"))
    return found


def storm_name(surface: str) -> str | None:
    """The bare name of a storm mention with its cue ("Hurricane Irma" -> "Irma"), else None."""
    match = _storm_patterns()[0].fullmatch(surface)
    return match.group("name") if match else None


# ---- works ----------------------------------------------------------------------------------------------

# the closing mark matches the opening one; a single quote closes only where no letter follows (an
# apostrophe inside, "Don't Stop Me Now", does not close the title)
_QUOTED_TITLE = re.compile(
    r"[,:]?\s+(?:\"(?P<straight>[A-Z0-9][^\"\n]{0,118}?)\"|“(?P<curly>[A-Z0-9][^”\n]{0,118}?)”"
    r"|‘(?P<single_curly>[A-Z0-9][^\n]{0,118}?)’(?!\w)|'(?P<single>[A-Z0-9][^\n]{0,118}?)'(?!\w))"
)
# a capitalised article inside a sentence starts a title ("directed The Purple Rose of Cairo"); at a
# sentence start it may be any "The"
_DETERMINER_BEFORE = re.compile(r"(?<=[a-z0-9,“‘\"'(])[ \t]+(?P<article>The|A|An)[ \t]+$")


@functools.lru_cache(maxsize=1)
def _title_run() -> re.Pattern[str]:
    word = r"[A-Z0-9][\w'’/.!?-]*(?<![.!?])"
    small = "|".join(re.escape(w) for w in type_patterns().title_small_words)
    return re.compile(r"[,:]?[ \t]+(?P<title>" + word + r"(?:[ \t]+(?:(?:" + small + r")[ \t]+)*" + word + r"){0,11})")


def work_titles(doc: Doc, text: str, headline_lines: Sequence[tuple[int, int]] = ()) -> list[TypedSpan]:
    """A work's title right after a cue noun: "the film "A Rainy Day in New York"", "his film The Purple Rose
    of Cairo". A quoted title is taken whole; an unquoted one is the run of Title Case words (with small
    words inside), unless the run is the subject of a verb ("the film Michael Moore made") or the line is
    in Title Case (a headline, where every word is capitalised)."""
    cues = type_patterns().work_cues
    found = []
    for token in doc:
        if token.lower_ not in cues or token.pos_ != "NOUN":
            continue
        after = token.idx + len(token.text)
        quoted = _QUOTED_TITLE.match(text, after)
        group = next((g for g, v in quoted.groupdict().items() if v is not None), None) if quoted else None
        if quoted and group and _looks_like_title(quoted.group(group)):
            found.append(TypedSpan(quoted.start(group), quoted.end(group), "WORK", "work", quoted=True))
            continue
        run = _title_run().match(text, after)
        if not run or any(s <= run.start("title") < e for s, e in headline_lines):
            continue
        start, end = run.start("title"), run.end("title")
        if token.tag_ == "NNS":
            # a list of titles: "the albums Nevermind, In Utero or Bleach"
            while more := _LIST_SEPARATOR.match(text, end):
                next_run = _title_run().match(text, more.end() - 1)
                if not next_run:
                    break
                end = next_run.end("title")
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(t.dep_ in ("nsubj", "nsubjpass") and not (span.start <= t.head.i < span.end)
                               for t in span):
            continue
        if token.tag_ == "NNS":
            # a plural cue lists several works ("the films Sideways and Finding Neverland")
            last = start
            for separator in [*re.finditer(r",\s+|\s+(?:and|or|&)\s+", text[start:end]), None]:
                piece_end = start + separator.start() if separator else end
                if piece_end > last:
                    found.append(TypedSpan(last, piece_end, "WORK", "work"))
                last = start + separator.end() if separator else end
        else:
            found.append(TypedSpan(start, end, "WORK", "work"))
    return found


_LIST_SEPARATOR = re.compile(r",?[ \t]+(?:and|or|&)[ \t]|,[ \t]")


def cut_title(text: str, start: int, end: int, name_starts: Sequence[int]) -> int:
    """The end of an unquoted title that runs into another name ("Ring of Fire with June Carter Cash",
    "Record Of The Year on the ITV1"): the title stops before the small words that lead to the first
    person or organisation named inside it (`name_starts`); `start` when nothing is left."""
    small = set(type_patterns().title_small_words)
    # only a name led by a small word ("with June Carter Cash"): a name right after a title word is part of
    # the title ("Gulliver's Travels")
    inside = [n for n in name_starts if start < n < end
              and (before := re.search(r"(\S+)\s+$", text[start:n])) and before.group(1).lower() in small]
    if not inside:
        return end
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:min(inside)])]
    while words and text[start + words[-1][0]:start + words[-1][1]].lower() in small:
        words.pop()
    return start + words[-1][1] if words else start


def _looks_like_title(words: str) -> bool:
    """A quoted title, not a quoted remark: short, no sentence inside, its content words capitalised
    ("A Rainy Day in New York", "Yesterday"; not "We are going to have a proper inquiry.")."""
    if words != words.strip() or re.search(r"[.!?;,]\s|[.;,]$", words):
        return False
    tokens = words.split()
    small = set(type_patterns().title_small_words)
    content = [w for w in tokens[1:] if w.lower() not in small]
    return len(tokens) <= 12 and all(w[:1].isupper() or w[:1].isdigit() for w in content)


def extend_work(text: str, start: int, end: int) -> tuple[int, int]:
    """A work's title the model cut ("Purple Rose" + "Cairo" of "The Purple Rose of Cairo"): take in a
    capitalised article before it inside a sentence, and joining words followed by Title Case words after
    it (not a possessive: "in France's Cesar awards" is not part of the title)."""
    before = _DETERMINER_BEFORE.search(text, max(0, start - 6), start)
    if before:
        start = before.start("article")
    joining = "|".join(re.escape(w) for w in type_patterns().title_joining_words)
    word = r"[A-Z][\w-]*(?!['’]s\b)(?![\w'’])"
    continuation = re.compile(r"(?:[ \t]+(?:" + joining + r"))+[ \t]+" + word + r"(?:[ \t]+" + word + r")*")
    while match := continuation.match(text, end):
        end = match.end()
    return start, end


# ---- diseases -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def disease_keys() -> frozenset[str]:
    return frozenset(alias_key(name) for name in type_patterns().diseases)


@functools.lru_cache(maxsize=1)
def _disease_pattern() -> re.Pattern[str]:
    forms = set()
    for name in type_patterns().diseases:
        for form in (name, name[:1].upper() + name[1:]):
            if any(c.isupper() for c in form):
                forms.add(form)
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-]|['’]s\b)")


def disease_mentions(text: str) -> list[TypedSpan]:
    """Diseases written as on the list (or with a capital first letter): OTHER, not people or places. One
    followed by a capitalised word is the start of a longer name ("Alzheimer's Society", "HIV Trust")."""
    return [TypedSpan(m.start(), m.end(), "OTHER", "disease") for m in _disease_pattern().finditer(text)
            if not re.match(r"[ \t]+[A-Z]", text[m.end():m.end() + 2])]


def is_disease(surface: str) -> bool:
    return alias_key(surface) in disease_keys()


# ---- teams ----------------------------------------------------------------------------------------------


def team_cue(text: str, end: int) -> bool:
    """Is the name ending at `end` followed by a team noun ("Arsenal manager", "Leeds fans")?"""
    after = re.match(r"[ \t]+([a-z][a-z-]*)\b", text[end:end + 30])
    return after is not None and after.group(1) in type_patterns().team_nouns


# ---- the stage -----------------------------------------------------------------------------------------


def apply_type_patterns(doc: Doc, candidates: Sequence[Candidate], kb: KnowledgeBase,
                        headline_lines: Sequence[tuple[int, int]] = ()) -> list[Candidate]:
    """Storms, works and diseases found by cue words and word lists (`type_patterns.py`) take the
    place of the model's mentions they overlap: "Hurricane Irma" for "Irma" (PERSON), "The Purple Rose of
    Cairo" for "Purple Rose" (WORK) + "Cairo" (PLACE), "COVID-19" (OTHER) for "COVID-19" (GPE). A disease
    inside a longer name ("Alzheimer's Society") leaves the name alone. A storm's bare name elsewhere in
    the article ("Irma") becomes the same EVENT. `headline_lines` are the Title Case lines, where a run of
    capitals is no title."""
    text = text_of(doc)
    known = frozenset(alias_key(name) for entry in kb.entries for name in entry.names)
    found: list[TypedSpan] = [*storm_mentions(text, known), *work_titles(doc, text, headline_lines)]
    for c in candidates:
        if c.type == "WORK":
            start, end = extend_work(text, c.start, c.end)
            if (start, end) != (c.start, c.end):
                found.append(TypedSpan(start, end, "WORK", "work"))
    # a title found once (after a cue, or completed) is the work wherever the article repeats it whole
    titles = {text[s.start:s.end] for s in found if s.type == "WORK" and " " in text[s.start:s.end]}
    for title in titles:
        for match in re.finditer(r"(?<![\w-])" + re.escape(title) + r"(?![\w-])", text):
            found.append(TypedSpan(match.start(), match.end(), "WORK", "work"))
    # an unquoted title stops before a person or organisation it runs into
    name_starts = [c.start for c in candidates if c.type in ("PERSON", "ORG")]
    found = [s if s.type != "WORK" or s.quoted else replace(s, end=cut_title(text, s.start, s.end, name_starts))
             for s in found]
    found = [s for s in found if s.end > s.start]
    found.extend(disease_mentions(text))
    # longest first; a pattern span overlapping a longer one is dropped
    spans = SpanSet()
    chosen: list[TypedSpan] = []
    for span in sorted(found, key=lambda s: (-(s.end - s.start), s.start)):
        if not spans.overlaps(span.start, span.end):
            spans.add(span.start, span.end)
            chosen.append(span)
    kept: list[Candidate] = []
    labels_at: dict[tuple[int, int], set[str]] = defaultdict(set)
    dropped_patterns = set()
    for c in candidates:
        hits = [s for s in chosen if s.start < c.end and c.start < s.end]
        if not hits:
            kept.append(c)
            continue
        inside_name = all(s.pattern == "disease" and c.start <= s.start and s.end <= c.end
                          and (s.start, s.end) != (c.start, c.end) for s in hits)
        if inside_name and not is_disease(text[c.start:c.end]):
            kept.append(c)
            dropped_patterns.update((s.start, s.end) for s in hits)
            continue
        for s in hits:
            labels_at[(s.start, s.end)].update(label for label in c.labels if label)
    added = [Candidate(s.start, s.end, s.type, tuple(sorted(labels_at[(s.start, s.end)])) or ("",), pattern=s.pattern)
             for s in chosen if (s.start, s.end) not in dropped_patterns]
    storms = {alias_key(name) for s in added if s.pattern == "storm"
              for name in [storm_name(text[s.start:s.end]) or text[s.start:s.end]]}
    retyped = []
    for c in kept:
        key = alias_key(text[c.start:c.end])
        if key in storms and c.type in NAME_TYPES:
            c = replace(c, type="EVENT", pattern="storm")
        elif is_disease(text[c.start:c.end]):
            c = replace(c, type="OTHER", pattern="disease")
        retyped.append(c)
    return sorted(retyped + added, key=lambda c: (c.start, c.end))
