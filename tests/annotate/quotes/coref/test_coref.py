"""Speaker coreference (annotate/quotes/coref/), directly and through find_quotes: who a pronoun or a name is.

Each text is a shortened, rewritten form of a failure seen on news pages (issue 14)."""

from __future__ import annotations

import re

import pytest

from newsfacts.annotate.quotes.coref import SpeakerResolver
from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.nlp import load_nlp
from newsfacts.annotate.quotes import find_quotes
from newsfacts.models import Entity, Mention


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def speaker_of(nlp, text: str, words: str):
    doc = nlp(text)
    quotes = [q for q in find_quotes(doc, find_entities(doc)) if words in q.text]
    assert len(quotes) == 1, quotes
    speaker = quotes[0].speaker
    if speaker.mention is not None:
        assert text[speaker.mention.start : speaker.mention.end] == speaker.mention.text
    return quotes[0], speaker


def test_a_gendered_word_says_the_gender_only_right_before_the_name(nlp):
    # "her daughter at Allen's apartment" says nothing of Allen's gender; taking it for "female" had ruled Allen
    # out as the antecedent of "he".
    text = (
        "Woody Allen has a new memoir.\n\n"
        "Mia Farrow found photographs of her daughter at Allen's apartment. Allen denies any wrongdoing.\n\n"
        '"I never laid a finger on her," he writes.'
    )
    _, speaker = speaker_of(nlp, text, "laid a finger")
    assert speaker.kind == "pronoun" and speaker.name == "Woody Allen"


def people(text: str, *names: tuple[str, list[tuple[str, int]]]) -> list[Entity]:
    """Person entities built by hand, as the entity stage may group them: (name, [(words, nth occurrence)])."""
    entities = []
    for name, mentions in names:
        spans = []
        for words, nth in mentions:
            starts = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text)]
            spans.append(Mention(text=words, start=starts[nth - 1], end=starts[nth - 1] + len(words)))
        entities.append(Entity(id=f"nf:person:{name.lower().replace(' ', '')}", name=name, type="PERSON",
                               mentions=spans))
    return entities


def pronoun_before(doc, words: str):
    """The pronoun token right before `words` (its cue verb)."""
    at = doc.text.index(words)
    return next(t for t in reversed(doc) if t.idx < at and t.pos_ == "PRON")


def test_a_name_coordinated_with_the_pronoun_is_not_its_antecedent(nlp):
    # "he and Farrow were apart ... he writes": the pronoun goes on with the "he" of the pair, not Farrow.
    text = (
        "Woody Allen wrote a memoir.\n\n"
        "As he has alleged before, he and Farrow were apart by the time he began dating Soon-Yi Previn.\n\n"
        '"We could not keep our hands off each other," he writes.'
    )
    doc = nlp(text)
    entities = people(text, ("Woody Allen", [("Woody Allen", 1)]), ("Mia Farrow", [("Farrow", 1)]),
                      ("Soon-Yi Previn", [("Soon-Yi Previn", 1)]))
    resolver = SpeakerResolver(doc, entities, [(text.index("We could"), text.index(",\" he"))])
    person = resolver.resolve_pronoun(pronoun_before(doc, "writes"))
    assert person is not None and person.name == "Woody Allen"


def test_a_pronoun_never_names_a_person_of_the_other_gender(nlp):
    # The entity stage put "Farrow's" with Ronan Farrow, the surname rule takes it to the last Farrow named, his
    # daughter Dylan: she is no "he". Better no name than hers.
    text = (
        "Ronan Farrow wrote a book. His daughter Dylan Farrow has spoken out.\n\n"
        'Describing a visit to Farrow\'s house, he adds: "I did nothing improper."'
    )
    doc = nlp(text)
    entities = people(text, ("Ronan Farrow", [("Ronan Farrow", 1), ("Farrow", 3)]),
                      ("Dylan Farrow", [("Dylan Farrow", 1)]))
    resolver = SpeakerResolver(doc, entities, [(text.index("I did"), len(text) - 1)])
    assert resolver.resolve_pronoun(pronoun_before(doc, "adds")) is None
    assert resolver.last_evidence == "object"  # weak evidence: the quote's confidence stays low


def test_a_name_led_by_the_is_no_antecedent_of_a_pronoun(nlp):
    # "The Keys" (a place the NER may take for a person) stands between Kaple and "she said".
    text = (
        "Stephanie Kaple runs a food pantry. Kaple said most jobs depend on tourism.\n\n"
        "The Keys closed its doors to tourists on March 22.\n\n"
        '"This is more stressful to me than Irma," she said.'
    )
    _, speaker = speaker_of(nlp, text, "more stressful")
    assert speaker.kind == "pronoun" and speaker.name in (None, "Stephanie Kaple")


def test_a_title_before_a_name_does_not_become_the_speaker(nlp):
    # The NER may read "Wilmington Mayor" as a person of its own: the name the phrase ends with speaks.
    text = 'Storms worry the coast.\n\n"Absolutely that is our nightmare scenario," said Wilmington Mayor Bill Saffo.'
    _, speaker = speaker_of(nlp, text, "nightmare scenario")
    assert speaker.name == "Bill Saffo"


def test_a_surname_goes_to_its_bearer_of_the_pronouns_gender(nlp):
    # The latest full "Cruz" named is his wife; "he" after "how Cruz could" is the Cruz who is a man.
    text = (
        "Ted Cruz spoke in July. Mr. Cruz said he was standing on principle.\n\n"
        "Trump had attacked his wife, Heidi Cruz, and his father.\n\n"
        "Delegates asked how Cruz could go back on a pledge.\n\n"
        '"The day that was abrogated was the day this became personal," he said.'
    )
    doc = nlp(text)
    entities = people(text, ("Ted Cruz", [("Ted Cruz", 1), ("Cruz", 2), ("Cruz", 4)]),
                      ("Heidi Cruz", [("Heidi Cruz", 1)]), ("Donald Trump", [("Trump", 1)]))
    resolver = SpeakerResolver(doc, entities, [(text.index("The day"), text.index(',\" he'))])
    person = resolver.resolve_pronoun(pronoun_before(doc, "said."))
    assert person is not None and person.name == "Ted Cruz"
