"""Names the NER typed something else that the pronoun rules take for people (annotate/quotes/coref/people.py
`PeopleByAgreement`): the article's he/she/his/her agree with them, a person's title introduces them, or the
NER itself once labelled them PERSON. Each text is a shortened form of a case from the PolNeAR train sample; the
entity the NER found is retyped by the test, so that the rule, not the model's mood, is what is tested."""

from __future__ import annotations

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.quotes.coref import SpeakerResolver
from newsfacts.annotate.quotes.marks import find_quoted_spans


def _resolver(nlp, text: str, retype: dict[str, str] | None = None, labels: dict[str, list[str]] | None = None):
    """The resolver of `text`, with the entities named in `retype` given that type (and in `labels` those NER
    labels), as a mistaken NER would."""
    doc = nlp(text)
    entities = []
    for entity in find_entities(doc):
        update = {}
        if retype and entity.name in retype:
            update["type"] = retype[entity.name]
        if labels and entity.name in labels:
            update["ner_labels"] = labels[entity.name]
        entities.append(entity.model_copy(update=update) if update else entity)
    for name in list(retype or {}) + list(labels or {}):
        assert any(e.name == name for e in entities), f"the NER did not find {name}"
    quoted = [(q.start, q.end) for q in find_quoted_spans(text) if not q.nested_in_double]
    return doc, SpeakerResolver(doc, entities, quoted)


def resolved(nlp, text: str, pronoun: str, occurrence: int = 0, retype: dict[str, str] | None = None,
             labels: dict[str, list[str]] | None = None):
    """The Speaker the resolver gives the `occurrence`-th token `pronoun` of `text` (entities as in `_resolver`)."""
    doc, resolver = _resolver(nlp, text, retype, labels)
    token = [t for t in doc if t.text == pronoun][occurrence]
    return resolver.speaker(token.idx, token.idx + len(token.text), token)


def type_to_the_rules(nlp, text: str, name: str, retype: dict[str, str] | None = None,
                      labels: dict[str, list[str]] | None = None) -> str:
    """The type the pronoun rules give the entity `name` (entities as in `_resolver`)."""
    _, resolver = _resolver(nlp, text, retype, labels)
    return next(e.type for e in resolver.entities if e.name == name)


FIORINA = (
    "Carly Fiorina threw her support behind Ted Cruz on Wednesday, saying it is time for a conservative.\n\n"
    "Carly Fiorina was upfront about her distaste for Donald Trump.\n\n"
    '"There are other people in our party who are horrified by Donald Trump," she said.'
)


def test_a_name_typed_an_organisation_is_a_person_when_her_possessives_agree(nlp):
    speaker = resolved(nlp, FIORINA, "she", retype={"Carly Fiorina": "ORG"})
    assert speaker.kind == "pronoun" and speaker.name == "Carly Fiorina"


def test_without_agreement_an_organisation_stays_no_one_to_continue(nlp):
    text = (
        "Carly Fiorina threw its support behind Ted Cruz on Wednesday.\n\n"
        "Carly Fiorina was upfront about its distaste for Donald Trump.\n\n"
        '"There are other people in our party who are horrified by Donald Trump," she said.'
    )
    speaker = resolved(nlp, text, "she", retype={"Carly Fiorina": "ORG"})
    assert speaker.name != "Carly Fiorina"


def test_a_parenthetical_she_said_casts_no_vote_for_the_subject_it_hangs_from(nlp):
    text = (
        '"The accessibility of this convention will be unprecedented," said Audrey Scagnelli, a press secretary. '
        "Verizon Wireless just finished laying fiber downtown, she said, to make sure anyone can watch.\n\n"
        '"We are ready," she said.'
    )
    speaker = resolved(nlp, text, "she", occurrence=1, retype={"Verizon Wireless": "ORG"})
    assert speaker.name != "Verizon Wireless"


def test_a_name_given_a_persons_title_is_a_person(nlp):
    text = (
        "Republican officials are accelerating plans for a contested convention.\n\n"
        "Reince Priebus, the party chairman, this past week announced a website.\n\n"
        '"It is a tool for voters to learn about convention delegates," he said.'
    )
    assert type_to_the_rules(nlp, text, "Priebus", retype={"Priebus": "ORG"}) == "PERSON"
    speaker = resolved(nlp, text, "he", retype={"Priebus": "ORG"})
    assert speaker.name == "Priebus"


def test_a_name_that_only_modifies_a_noun_after_a_role_word_is_no_one_titled(nlp):
    text = "Mike Flynn, who served as the chief Pentagon military adviser, spoke first."
    assert type_to_the_rules(nlp, text, "Pentagon", retype={"Pentagon": "ORG"}) == "ORG"


def test_a_place_is_a_person_only_by_an_honorific_or_a_gendered_word(nlp):
    wife = "On the opening night, Trump's wife, Melania, is scheduled to speak."
    assert type_to_the_rules(nlp, wife, "Melania", retype={"Melania": "PLACE"}) == "PERSON"
    # "San Jose, California the GOP candidate": the parser's apposition gives a place no title.
    rally = "After his rally in San Jose, the Republican candidate went a step further."
    assert type_to_the_rules(nlp, rally, "San Jose", retype={"San Jose": "PLACE"}) == "PLACE"


def test_the_ners_own_person_label_makes_a_person_of_a_name_shaped_like_one(nlp):
    text = (
        "Alan Abramowitz studies voters at Emory University.\n\n"
        "The promise appeals to lesser-educated whites, said Alan Abramowitz.\n\n"
        '"He is trying to appeal to a sense of displacement," he said.'
    )
    retype = {"Alan Abramowitz": "ORG"}
    assert type_to_the_rules(nlp, text, "Alan Abramowitz", retype, {"Alan Abramowitz": ["ORG"]}) == "ORG"
    assert type_to_the_rules(nlp, text, "Alan Abramowitz", retype, {"Alan Abramowitz": ["ORG", "PERSON"]}) == "PERSON"
    assert resolved(nlp, text, "he", 0, retype, {"Alan Abramowitz": ["ORG", "PERSON"]}).name == "Alan Abramowitz"


def test_the_ners_person_label_on_a_company_name_makes_no_person(nlp):
    text = "Mark Weddle worked at the plant for years.\n\nCarrier announced that it would move the jobs to Mexico."
    labels = {"Carrier": ["ORG", "PERSON"]}
    assert type_to_the_rules(nlp, text, "Carrier", {"Carrier": "ORG"}, labels) == "ORG"
