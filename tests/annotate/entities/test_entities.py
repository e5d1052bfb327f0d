"""find_entities: labels, in-document grouping, knowledge-base ids and types outside politics, on the seeds
and on small constructed texts (boundaries: test_candidates.py)."""

from __future__ import annotations

import json

import pytest

from newsfacts.annotate.entities import find_entities
from newsfacts.annotate.entities.kb import load_kb
from newsfacts.annotate.entities.names import fallback_id, normalise_name
from newsfacts.annotate.nlp import load_nlp
from tests_paths import REPO, SEEDS

GOLD = REPO / "eval" / "gold" / "entities" / "docs"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def seed_entities(nlp):
    """Entities of the five hand-cleaned seeds, by document id."""
    result = {}
    for path in sorted(GOLD.glob("seed-*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        result[record["id"]] = (record["text"], find_entities(nlp(record["text"])))
    return result


def entities_of(nlp, text):
    return find_entities(nlp(text))


def by_name(entities, name):
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, f"{name!r}: {[(e.name, e.type) for e in entities]}"
    return found[0]


# ---- the seeds -----------------------------------------------------------------------------------------


def test_three_kims_stay_three_people(seed_entities):
    ids = {}
    for doc_id, (_, entities) in seed_entities.items():
        for e in entities:
            if e.type == "PERSON" and e.name.startswith("Kim"):
                ids.setdefault(e.name, set()).add(e.id)
    assert {"Kim Jong Un", "Kim Hong-kyun", "Kim Jong Gyu"} <= set(ids)
    assert all(len(v) == 1 for v in ids.values()), ids
    assert len({next(iter(v)) for v in ids.values()}) == len(ids)


def test_no_person_entity_holds_two_different_people(seed_entities):
    """Every mention of a seed person is the entity's name or a part of one of its spellings."""
    kb = load_kb()
    for doc_id, (_, entities) in seed_entities.items():
        for e in [e for e in entities if e.type == "PERSON"]:
            entry = kb.get(e.id)
            spellings = [normalise_name(n) for n in ([e.name] + list(entry.names if entry else []))]
            for m in e.mentions:
                words = normalise_name(m.text).split()
                assert any(all(w in s.split() for w in words) for s in spellings) or entry and entry.context_aliases, (
                    doc_id, e.name, m.text)


def test_hyphenation_variants_share_one_id(seed_entities):
    _, seed_000 = seed_entities["seed-000"]
    _, seed_002 = seed_entities["seed-002"]
    assert by_name(seed_000, "Kim Jong Un").id == by_name(seed_002, "Kim Jong Un").id == "kb:person:kim-jong-un"
    assert "Kim Jong-un" in {m.text for m in by_name(seed_002, "Kim Jong Un").mentions}


def test_transliteration_variants_merge(seed_entities):
    _, entities = seed_entities["seed-004"]
    envoy = [e for e in entities if any(m.text == "Zinovyev" for m in e.mentions)]
    assert len(envoy) == 1 and {"Georgiy Zinoviev", "Zinovyev"} <= {m.text for m in envoy[0].mentions}


def test_surname_goes_to_the_closest_preceding_namesake(seed_entities):
    text, entities = seed_entities["seed-004"]
    said = text.index('", Kim said') + 3
    hong_kyun = by_name(entities, "Kim Hong-kyun")
    assert any(m.start == said for m in hong_kyun.mentions)
    text_002, entities_002 = seed_entities["seed-002"]
    signed = text_002.index("Putin And Kim") + len("Putin And ")
    assert any(m.start == signed for m in by_name(entities_002, "Kim Jong Un").mentions)


def test_partial_name_joins_the_full_name(seed_entities):
    _, entities = seed_entities["seed-004"]
    rutte = by_name(entities, "Mark Rutte")
    assert [m.text for m in rutte.mentions].count("Rutte") == 2


def test_name_cut_short_by_the_model_is_completed(seed_entities):
    for doc_id in ("seed-001", "seed-004"):
        _, entities = seed_entities[doc_id]
        yoon = by_name(entities, "Yoon Suk Yeol")
        assert [m.text for m in yoon.mentions] == ["Yoon Suk Yeol"]
        assert not [e for e in entities if e.name == "Yoon Suk"]


def test_spy_agency_descriptions_link_to_the_nis(seed_entities):
    text, entities = seed_entities["seed-004"]
    nis = [e for e in entities if e.id == "kb:org:national-intelligence-service-south-korea"]
    assert len(nis) == 1 and {m.text for m in nis[0].mentions} == {"Seoul's spy agency"}
    assert len(nis[0].mentions) == text.count("Seoul's spy agency")
    assert {m.kind for m in nis[0].mentions} == {"description"}
    _, entities_003 = seed_entities["seed-003"]
    nis_003 = by_name(entities_003, "National Intelligence Service")
    assert {"NIS", "National Intelligence Service"} <= {m.text for m in nis_003.mentions}
    assert {m.kind for m in nis_003.mentions if m.text in {"NIS", "National Intelligence Service"}} == {"name"}


def test_one_entity_per_id_and_kb_types(seed_entities):
    kb = load_kb()
    for doc_id, (_, entities) in seed_entities.items():
        ids = [e.id for e in entities]
        assert len(ids) == len(set(ids)), doc_id
        for e in entities:
            entry = kb.get(e.id)
            if entry is not None:
                assert (e.name, e.type, e.wikidata) == (entry.name, entry.type, entry.wikidata)


def test_raw_seeds_through_cleaning_have_no_furniture_entities(nlp):
    from newsfacts.clean import clean_document
    from newsfacts.documents import RawDocument
    from newsfacts.read import read_folder

    furniture = {"good articles to share", "tan kw", "daily tribune", "latest stories", "customize consent preferences"}
    seen = 0
    for outcome in read_folder(SEEDS):
        if not isinstance(outcome, RawDocument):
            continue
        seen += 1
        names = {normalise_name(m.text) for e in find_entities(nlp(clean_document(outcome).text)) for m in e.mentions}
        assert not names & furniture, (outcome.path, names & furniture)
    assert seen == 5


# ---- constructed texts ---------------------------------------------------------------------------------


def test_namesakes_in_one_article_stay_apart(nlp):
    entities = entities_of(nlp, "Gordon Brown met Nick Brown in London on Monday. Later Brown said the talks went well.")
    people = [e for e in entities if e.type == "PERSON"]
    assert {e.name for e in people} == {"Gordon Brown", "Nick Brown"}
    assert [m.text for m in by_name(people, "Nick Brown").mentions] == ["Nick Brown", "Brown"]


def test_a_form_of_address_stays_with_the_namesake_it_first_named(nlp):
    # "Mrs. Marsh" first follows Ellen Marsh in her paragraph: every later "Mrs. Marsh" is hers, and "Mr. Marsh"
    # cannot be the one addressed as "Mrs.", whatever paragraph each stands in.
    text = ("Paul Marsh ran the family company for thirty years.\n\n"
            "Ellen Marsh joined its board in 2010, and Mrs. Marsh now chairs it.\n\n"
            "Mr. Marsh said on Monday that he had no regrets.\n\n"
            "Mrs. Marsh declined to comment.")
    people = [e for e in entities_of(nlp, text) if e.type == "PERSON"]
    assert {e.name for e in people} == {"Paul Marsh", "Ellen Marsh"}

    def addressed(name):
        return [text[:m.start].split()[-1] for m in by_name(people, name).mentions if m.text == "Marsh"]

    assert addressed("Ellen Marsh") == ["Mrs.", "Mrs."]
    assert addressed("Paul Marsh") == ["Mr."]


def test_a_gendered_title_does_not_draw_every_mr_to_a_relative(nlp):
    # "his father, Luis Reyes" says Luis is a man; so is the senator the article is about. "Mr. Reyes" stays with
    # the person named first in the body, as for any bare surname.
    text = ("Senator Tom Reyes campaigned in Iowa with his father, Luis Reyes, a pastor.\n\n"
            "Mr. Reyes told voters that taxes were too high.\n\nMr. Reyes later flew to Texas.")
    people = [e for e in entities_of(nlp, text) if e.type == "PERSON"]
    assert [m.text for m in by_name(people, "Tom Reyes").mentions] == ["Tom Reyes", "Reyes", "Reyes"]
    assert [m.text for m in by_name(people, "Luis Reyes").mentions] == ["Luis Reyes"]


def test_title_is_evidence_for_person_and_is_left_out(nlp):
    entities = entities_of(nlp, "Relations between Mr Brown and Mr Milburn are cool. Mr Brown will speak on Tuesday.")
    brown = [e for e in entities if e.name == "Brown"]
    assert len(brown) == 1 and brown[0].type == "PERSON" and len(brown[0].mentions) == 2


def test_acronym_in_brackets_joins_its_organisation(nlp):
    text = ("The winner will work with the Iraqi Telecommunications and Post Company (ITPC). "
            "ITPC will install the network.")
    company = [e for e in entities_of(nlp, text) if e.name == "Iraqi Telecommunications and Post Company"]
    assert len(company) == 1 and [m.text for m in company[0].mentions].count("ITPC") == 2


def test_unknown_entities_get_deterministic_fallback_ids():
    assert fallback_id("PERSON", "Gavin Williams") == fallback_id("PERSON", "gavin  williams")
    assert fallback_id("PERSON", "Gavin Williams").startswith("nf:person:gavinwilliams:")
    # spacing and hyphenation variants of one name share the id, so the catalog joins them across articles
    assert fallback_id("ORG", "Time Warner") == fallback_id("ORG", "TimeWarner") == fallback_id("ORG", "Time-Warner")
    assert fallback_id("PERSON", "Gavin Williams") != fallback_id("ORG", "Gavin Williams")


def test_kb_none_loads_the_default_kb(nlp):
    doc = nlp("NATO met in Brussels.")
    assert find_entities(doc) == find_entities(doc, load_kb())
    assert by_name(find_entities(doc), "NATO").wikidata == "Q7184"


def test_partial_name_never_links_to_a_namesake_in_the_kb(nlp):
    entities = entities_of(nlp, "Actor Denzel Washington won the award in Los Angeles. Washington said he was thrilled.")
    actor = by_name(entities, "Denzel Washington")
    assert actor.type == "PERSON" and actor.id.startswith("nf:person:")
    assert [m.text for m in actor.mentions] == ["Denzel Washington", "Washington"]


def test_acronym_is_not_part_of_a_person_name(seed_entities):
    _, entities = seed_entities["seed-004"]
    un = [e for e in entities if any(m.text == "UN" for m in e.mentions)]
    assert len(un) == 1 and un[0].id == "kb:org:united-nations"


# ---- types outside politics (issue 14) -------------------------------------------------------------------


def types_of(entities):
    return {m.text: e.type for e in entities for m in e.mentions}


def test_platforms_are_organisations_and_devices_products(nlp):
    entities = entities_of(nlp, "Trump posted the message on Twitter on Sunday. Twitter later removed it. "
                                "Facebook and YouTube followed, and Apple sold more iPhone handsets.")
    types = types_of(entities)
    assert types["Twitter"] == types["Facebook"] == types["YouTube"] == "ORG"
    assert types["iPhone"] == "PRODUCT"
    assert by_name(entities, "Twitter").id == "kb:org:twitter"


def test_diseases_are_neither_people_nor_places(nlp):
    entities = entities_of(nlp, "She said she had tested positive for COVID-19 last week. Covid-19 cases rose. "
                                "The Ebola outbreak and HIV remain concerns, said Ms Jones.")
    types = types_of(entities)
    assert types["COVID-19"] == types["Covid-19"] == types["Ebola"] == types["HIV"] == "OTHER"
    assert by_name(entities, "COVID-19").id == next(e.id for e in entities if "Covid-19" in [m.text for m in e.mentions])
    assert types["Jones"] == "PERSON"


def test_a_disease_inside_a_longer_name_leaves_the_name(nlp):
    types = types_of(entities_of(nlp, "The Alzheimer's Society said funding for research had doubled."))
    assert "Alzheimer's" not in types and "Alzheimer" not in types


def test_storms_are_events_with_their_bare_names(nlp):
    entities = entities_of(nlp, "Hurricane Irma hit Florida in September. Irma caused damage. "
                                "Typhoon Haiyan struck the Philippines in 2013.")
    irma = by_name(entities, "Hurricane Irma")
    assert irma.type == "EVENT" and [m.text for m in irma.mentions] == ["Hurricane Irma", "Irma"]
    assert by_name(entities, "Typhoon Haiyan").type == "EVENT"
    assert types_of(entities)["Florida"] == "PLACE"


def test_a_list_of_storms_is_events_not_places(nlp):
    types = types_of(entities_of(nlp, "Puerto Rico was devastated by hurricanes Irma and Maria last year, officials said."))
    assert types["Irma"] == types["Maria"] == "EVENT"
    assert types["Puerto Rico"] == "PLACE"


def test_a_storm_cue_inside_a_name_is_not_a_storm(nlp):
    types = types_of(entities_of(nlp, "The Melbourne Storm coach said the Storm Corps report was wrong."))
    assert "EVENT" not in types.values()


def test_a_work_title_is_one_entity(nlp):
    entities = entities_of(nlp, "Allen directed The Purple Rose of Cairo in 1985. His film A Rainy Day in New York "
                                "was shelved.")
    assert by_name(entities, "The Purple Rose of Cairo").type == "WORK"
    assert by_name(entities, "A Rainy Day in New York").type == "WORK"
    assert "Cairo" not in types_of(entities) and "New York" not in types_of(entities)


def test_a_quoted_title_after_a_work_cue_is_one_entity(nlp):
    text = 'The film "A Rainy Day in New York" stars Timothee Chalamet. He sang the song \u201cDon\'t Stop Me Now\u201d.'
    types = types_of(entities_of(nlp, text))
    assert types["A Rainy Day in New York"] == "WORK"
    assert types["Don't Stop Me Now"] == "WORK"
    assert types["Timothee Chalamet"] == "PERSON"


def test_a_quoted_remark_after_a_cue_word_is_not_a_title(nlp):
    text = 'He told the programme: "We are going to have a proper inquiry. Nobody is above the law."'
    assert "WORK" not in types_of(entities_of(nlp, text)).values()


def test_a_name_that_is_the_subject_after_a_cue_is_not_a_title(nlp):
    types = types_of(entities_of(nlp, "The documentary Michael Moore made last year angered the White House."))
    assert types.get("Michael Moore") == "PERSON"


def test_parties_the_model_reads_as_people_are_organisations(nlp):
    types = types_of(entities_of(nlp, "The Lib Dems won the seat. Lib Dems leader Tim Farron said the party was delighted."))
    assert types["Lib Dems"] == "ORG"
    assert types["Tim Farron"] == "PERSON"


def test_clubs_are_organisations_and_scores_are_not_names(nlp):
    types = types_of(entities_of(nlp, "Manchester United beat Chelsea 2-0 at Old Trafford. Leeds manager Kevin "
                                      "Blackwell said Leeds fans deserved better."))
    assert types["Chelsea"] == "ORG" and "Chelsea 2-0" not in types
    assert types["Manchester United"] == "ORG"
    assert types["Leeds"] == "ORG"


def test_spacing_variants_of_a_name_are_one_entity(nlp):
    entities = entities_of(nlp, "Time Warner said profits rose. TimeWarner, which owns CNN, said its AOL unit grew. "
                                "Shares in Time-Warner fell.")
    time_warner = [e for e in entities if e.name.replace(" ", "").replace("-", "") == "TimeWarner"]
    assert len(time_warner) == 1
    assert {m.text for m in time_warner[0].mentions} == {"Time Warner", "TimeWarner", "Time-Warner"}


def test_a_storm_named_again_by_its_bare_name_is_the_same_event(nlp):
    entities = entities_of(nlp, "Hurricane Irma hit Florida in September. Officials said Irma caused damage as "
                                "Irma moved north.")
    irma = by_name(entities, "Hurricane Irma")
    assert [m.text for m in irma.mentions] == ["Hurricane Irma", "Irma", "Irma"]
    assert types_of(entities)["Florida"] == "PLACE"


def test_a_work_title_repeated_whole_is_the_same_work(nlp):
    entities = entities_of(nlp, "Allen directed The Purple Rose of Cairo in 1985, when he was still working with his "
                                "long-time producers. Many critics still say that The Purple Rose of Cairo is his best work.")
    work = by_name(entities, "The Purple Rose of Cairo")
    assert work.type == "WORK" and len(work.mentions) == 2
    assert "Cairo" not in types_of(entities)


def test_spacing_variants_are_one_catalog_entity_across_articles(nlp):
    from newsfacts.annotate.entities.catalog import build_catalog
    from newsfacts.models import Article

    ids = set()
    for text in ("Time Warner said profits rose on Monday.", "Shares in TimeWarner fell on Tuesday, traders said."):
        entities = entities_of(nlp, text)
        ids |= {e.id for e in entities if e.type == "ORG"}
    assert len(ids) == 1
    catalog = build_catalog([Article.model_construct(id=str(n), entities=entities_of(nlp, text))
                             for n, text in enumerate(("Time Warner said profits rose on Monday.",
                                                       "Shares in TimeWarner fell on Tuesday, traders said."))])
    rows = [row for row in catalog if row.type == "ORG"]
    assert len(rows) == 1 and rows[0].article_count == 2


def test_a_plural_work_cue_lists_several_works(nlp):
    types = types_of(entities_of(nlp, "The albums Nevermind, In Utero or Bleach sold well, the label said. She liked "
                                      "the films Sideways and Finding Neverland, she said."))
    for title in ("Nevermind", "In Utero", "Bleach", "Sideways", "Finding Neverland"):
        assert types[title] == "WORK", title


def test_an_unquoted_title_stops_before_a_person_it_runs_into():
    from newsfacts.annotate.entities.type_patterns import cut_title

    text = "He wrote Ring of Fire with June Carter Cash in 1963."
    start = text.index("Ring")
    end = cut_title(text, start, text.index(" in 1963"), [text.index("June")])
    assert text[start:end] == "Ring of Fire"
    # a name right after a title word belongs to the title
    text = "his classic novel, Gulliver's Travels. It sold."
    start = text.index("Gulliver")
    assert cut_title(text, start, text.index(". It"), [text.index("Travels")]) == text.index(". It")


def test_a_portfolio_before_adviser_is_no_organisation(nlp):
    """"National Security Adviser" is a title: the model's ORG "National Security" in it is not kept."""
    text = "South Korea's National Security Adviser Song Ho-jin condemned the pact and promised similar measures."
    entities = entities_of(nlp, text)
    assert not any(e.name == "National Security" for e in entities)
    assert any(e.type == "PERSON" for e in entities)
