"""Hand-annotated pronoun referents of PolNeAR quotes: who "he said" stands for (eval/gold/polnear_referents/
for dev, GUIDE.md there; eval/gold/polnear_referents_train/ for a train sample, README.md there), and how a
predicted name is judged against one (evaluation/quotes.py's docstring: right, abstained, wrong).

The train sample is drawn by a fixed rule (`train_sample`), so that anyone can rebuild the worksheet it was
annotated from (scripts/referent_worksheet.py) and check the file against the text (`check_referents`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from newsfacts.evaluation.polnear import GoldQuote, gold_quotes, load_dev, name_words, source_kind

_GOLD = Path(__file__).resolve().parents[3] / "eval" / "gold"
REFERENTS = _GOLD / "polnear_referents" / "referents.jsonl"
REFERENTS_TRAIN = _GOLD / "polnear_referents_train" / "referents.jsonl"
# How many gold pronoun quotes the train sample holds at least (whole articles are taken).
TRAIN_SAMPLE_QUOTES = 200
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}
GROUP_WORDS = {"it", "they"}
GROUP_SUPPLEMENT_QUOTES = 30
FEMALE_WORDS = {"she", "her"}
FEMALE_SUPPLEMENT_QUOTES = 40
MALE_WORDS = {"he", "him", "his"}
MALE_SUPPLEMENT_QUOTES = 60
SECOND_FEMALE_SUPPLEMENT_QUOTES = 40

# Gold pronoun referents of one article: {(source start, source end): referent name or None}.
Referents = dict[tuple[int, int], str | None]
# (source span, quote span) of each gold pronoun quote of an article.
PronounQuotes = list[tuple[tuple[int, int], tuple[int, int]]]

def load_referents(path: Path = REFERENTS) -> dict[str, Referents]:
    """The hand-annotated pronoun referents (GUIDE.md beside the file), by article name (file stem)."""
    found: dict[str, Referents] = {}
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            source = row["source"]
            found.setdefault(Path(row["article"]).stem, {})[(source["start"], source["end"])] = row["referent"]
    return found


NO_REFERENT = object()


def referent_of(gold: GoldQuote, referents: Referents | None):
    """The gold referent of a pronoun quote (a name or None), or NO_REFERENT when none is annotated."""
    if not referents or not gold.source:
        return NO_REFERENT
    return referents.get(gold.source[0], NO_REFERENT)


def referent_case(referent: str | None, predicted) -> str:
    """'right', 'abstained' or 'wrong' (evaluation/quotes.py's docstring), or 'abstained_right': no name for a referent the
    article never names."""
    name = predicted.resolved_name
    if referent is None:
        return "abstained_right" if not name else "wrong"
    if not name:
        return "abstained"
    return "right" if same_person(referent, name) else "wrong"


def same_person(referent: str, name: str) -> bool:
    """Do two names name one person? They share a name word, and where both give a first name, the first names
    agree (the first name of one appears in the other, or as its initial): "Heidi Cruz" is not "Ted Cruz",
    "Clinton" is "Hillary Clinton", "Bobby Scott" is 'Robert C. "Bobby" Scott'."""
    if not name_words(referent) & name_words(name):
        return False
    words = [[w.lower().rstrip(".") for w in re.findall(r"[A-Z][\w'’\-]*", n)] for n in (referent, name)]
    if len(words[0]) < 2 or len(words[1]) < 2:
        return True

    def given(first: str, other: list[str]) -> bool:  # an initial matches the name it abbreviates
        return any(w == first or (len(first) == 1 and w.startswith(first)) for w in other)

    # The first word of either name appears in the other ("Bobby Scott" in 'Robert C. "Bobby" Scott').
    return given(words[0][0], words[1]) or given(words[1][0], words[0])


# ---- the train sample ---------------------------------------------------------------------------------------


def pronoun_quotes(text: str, ann: str) -> PronounQuotes:
    """The article's gold quotes whose Source is a pronoun: (source span, quote span) each."""
    return [(g.source[0], (g.start, g.end)) for g in gold_quotes(text, ann)
            if g.source and source_kind(text, g) == "pronoun"]


def train_sample(shared: Path, quotes: int = TRAIN_SAMPLE_QUOTES) -> list[tuple[str, str, str, PronounQuotes]]:
    """(article stem, text, annotation, pronoun quotes) of the sampled train articles, in sample order: the
    train articles in ascending order of the SHA-256 of their file name, taken whole until their gold pronoun
    quotes reach `quotes` (articles without any are passed over)."""
    articles = sorted(load_dev(shared, "train"), key=lambda a: hashlib.sha256(f"{a[0]}.txt".encode()).hexdigest())
    chosen, total = [], 0
    for name, text, ann in articles:
        if total >= quotes:
            break
        found = pronoun_quotes(text, ann)
        if found:
            chosen.append((name, text, ann, found))
            total += len(found)
    return chosen


def first_person_supplement(shared: Path, exclude: set[str]) -> list[tuple[str, str, str, PronounQuotes]]:
    """The train articles outside `exclude` (the sample) with a gold pronoun quote whose Source is a first-person
    pronoun ("I said", "we wrote", "reminds me"), all of them, with all their pronoun quotes, in the sample's
    order: op-eds, letters and first-person reports are too rare in a sample of 200 to fit the rule for "I"."""
    articles = sorted(load_dev(shared, "train"), key=lambda a: hashlib.sha256(f"{a[0]}.txt".encode()).hexdigest())
    chosen = []
    for name, text, ann in articles:
        if name in exclude:
            continue
        found = pronoun_quotes(text, ann)
        if any(text[s:e].lower() in FIRST_PERSON for (s, e), _ in found):
            chosen.append((name, text, ann, found))
    return chosen


def group_supplement(shared: Path, exclude: set[str], quotes: int = GROUP_SUPPLEMENT_QUOTES
                     ) -> list[tuple[str, str, str, PronounQuotes]]:
    """The next train articles outside `exclude`, in the sample's order, with a gold pronoun quote whose Source is
    "it" or "they", until `quotes` such quotes; only those quotes are annotated: "it"/"they" for organisations
    and groups are too rare in the sample to fit their rule on."""
    articles = sorted(load_dev(shared, "train"), key=lambda a: hashlib.sha256(f"{a[0]}.txt".encode()).hexdigest())
    chosen, total = [], 0
    for name, text, ann in articles:
        if total >= quotes:
            break
        if name in exclude:
            continue
        found = [(source, quote) for source, quote in pronoun_quotes(text, ann)
                 if text[source[0]:source[1]].lower() in GROUP_WORDS]
        if found:
            chosen.append((name, text, ann, found))
            total += len(found)
    return chosen


def _sample_order(shared: Path) -> list[tuple[str, str, str]]:
    return sorted(load_dev(shared, "train"), key=lambda a: hashlib.sha256(f"{a[0]}.txt".encode()).hexdigest())


def _words_supplement(shared: Path, exclude: set[str], words: set[str], quotes: int | None
                      ) -> list[tuple[str, str, str, PronounQuotes]]:
    """The train articles outside `exclude`, in the sample's order, with their gold pronoun quotes whose Source
    is one of `words` (only those), until `quotes` such quotes (None: every such article)."""
    chosen, total = [], 0
    for name, text, ann in _sample_order(shared):
        if quotes is not None and total >= quotes:
            break
        if name in exclude:
            continue
        found = [(source, quote) for source, quote in pronoun_quotes(text, ann)
                 if text[source[0]:source[1]].lower() in words]
        if found:
            chosen.append((name, text, ann, found))
            total += len(found)
    return chosen


def female_supplement(shared: Path, exclude: set[str], quotes: int = FEMALE_SUPPLEMENT_QUOTES
                      ) -> list[tuple[str, str, str, PronounQuotes]]:
    """The next train articles outside `exclude`, in the sample's order, with a gold pronoun quote whose Source is
    "she" or "her", until `quotes` such quotes; only those quotes are annotated. Women speak in a third of the
    sample's pronoun quotes or less, and the errors that are theirs alone (a woman named only inside a
    quotation, a woman's name typed an organisation, two people of one surname) need more examples to be
    fitted on."""
    return _words_supplement(shared, exclude, FEMALE_WORDS, quotes)


def male_supplement(shared: Path, exclude: set[str], quotes: int = MALE_SUPPLEMENT_QUOTES
                    ) -> list[tuple[str, str, str, PronounQuotes]]:
    """The next train articles outside `exclude`, in the sample's order, with a gold pronoun quote whose Source is
    "he", "him" or "his", until `quotes` such quotes; only those quotes are annotated. "He" is most of the
    pronoun quotes, and the errors left on it (the man named paragraphs back, a man named only inside a
    quotation, several men in one passage) need more train examples to be fitted on than the sample holds."""
    return _words_supplement(shared, exclude, MALE_WORDS, quotes)


def second_female_supplement(shared: Path, exclude: set[str], quotes: int = SECOND_FEMALE_SUPPLEMENT_QUOTES
                             ) -> list[tuple[str, str, str, PronounQuotes]]:
    """The next train articles outside `exclude` (every set annotated before it, the "she" and "he" supplements
    included), in the sample's order, with a gold pronoun quote whose Source is "she" or "her", until `quotes`
    such quotes; only those quotes are annotated. The first "she" supplement left too few train errors on women
    (a woman named paragraphs back, one introduced only as "his wife, Jane" or by "Ms. X") to fit rules on."""
    return _words_supplement(shared, exclude, FEMALE_WORDS, quotes)


def group_remainder(shared: Path, exclude: set[str]) -> list[tuple[str, str, str, PronounQuotes]]:
    """Every other train article outside `exclude` with a gold pronoun quote whose Source is "it" or "they", with
    those quotes only: the "it"/"they" supplement extended to the whole of train ("the newspaper ... it")."""
    return _words_supplement(shared, exclude, GROUP_WORDS, None)


def annotated_train(shared: Path) -> list[tuple[str, str, str, PronounQuotes]]:
    """Every train article of eval/gold/polnear_referents_train/ with the pronoun quotes annotated in it: the
    sample, the first-person supplement, the "it"/"they" supplement, then the "she" supplement and the rest of
    the "it"/"they" quotes, then the "he" supplement and a second "she" supplement (README.md there). An article may appear twice (the "she"
    quotes of one stratum, the "it"/"they" quotes of a later one)."""
    sample = train_sample(shared)
    first_person = first_person_supplement(shared, {name for name, *_ in sample})
    taken = {name for name, *_ in sample + first_person}
    group = group_supplement(shared, taken)
    earlier = sample + first_person + group
    female = female_supplement(shared, {name for name, *_ in earlier})
    remainder = group_remainder(shared, {name for name, *_ in earlier})
    male = male_supplement(shared, {name for name, *_ in earlier + female + remainder})
    second_female = second_female_supplement(shared, {name for name, *_ in earlier + female + remainder + male})
    return earlier + female + remainder + male + second_female


def check_referents(path: Path, articles: list[tuple[str, str, str, PronounQuotes]]) -> list[str]:
    """Problems of a referents file against (stem, text, annotation, pronoun quotes) articles: offsets that do
    not match the text, and rows missing or extra against the articles' gold pronoun quotes."""
    problems = []
    texts = {name: text for name, text, _, _ in articles}
    expected = {(name, s, qs, qe) for name, _, _, found in articles for (s, _e), (qs, qe) in found}
    seen = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        name = Path(row["article"]).stem
        text = texts.get(name)
        if text is None:
            problems.append(f"line {number}: {name} is not among the articles")
            continue
        for part in ("source", "quote"):
            span = row[part]
            if text[span["start"]:span["end"]] != span["text"]:
                problems.append(f"line {number}: the {part} offsets do not match the text")
        seen.add((name, row["source"]["start"], row["quote"]["start"], row["quote"]["end"]))
    problems += [f"no row for {m}" for m in sorted(expected - seen)]
    problems += [f"not a gold pronoun quote: {m}" for m in sorted(seen - expected)]
    return problems
